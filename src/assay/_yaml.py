"""Parsing YAML data files with libyaml when PyYAML has it (several times faster)."""

from __future__ import annotations

from typing import Any

import yaml

_Loader: Any = getattr(yaml, "CSafeLoader", yaml.SafeLoader)


def load_yaml(text: str) -> Any:
    """`yaml.safe_load(text)`, with the C loader where available.

    Raises:
        yaml.YAMLError: The text is not valid YAML (with its line, as `safe_load`).
    """
    return yaml.load(text, Loader=_Loader)
