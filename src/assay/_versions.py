"""Software versions recorded with every run, for reproducibility."""

from __future__ import annotations

import platform
from importlib.metadata import version


def versions() -> dict[str, str]:
    """Versions of assay, Inspect and Python."""
    return {
        "assay": version("assay"),
        "inspect_ai": version("inspect_ai"),
        "python": platform.python_version(),
    }
