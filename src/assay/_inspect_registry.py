"""Inspect entry point: registers assay's providers, task and store hook.

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


from .recording._hook import StoreHook  # noqa: E402  (registers the store hook)
from .task import audit  # noqa: E402  (registers the task `assay/audit`)

__all__ = ["StoreHook", "audit", "local", "sim"]
