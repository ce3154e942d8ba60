"""Inspect entry point: registers assay's providers and task.

Kept tiny because Inspect imports every extension's entry point at start-up;
the providers themselves load only when a `local/` or `sim/` model is used.
"""

from typing import Any

from inspect_ai.model import modelapi


@modelapi(name="local")
def local() -> Any:
    """The embedded llama.cpp provider (`local/smollm2-135m`, `local/PATH.gguf`)."""
    from .models._local import LocalModelAPI

    return LocalModelAPI


@modelapi(name="sim")
def sim() -> Any:
    """The simulated provider for tests and benchmarks (`sim/NAME`)."""
    from .models._sim import SimModelAPI

    return SimModelAPI


from .task import audit  # noqa: E402  (registers the task `assay/audit`)

__all__ = ["audit", "local", "sim"]
