"""Telling Inspect the context window of assay's own providers.

Inspect looks a model's context window up in its model database whenever something
needs it (the LLM auditor's compaction does, once per audit). For a model it does not
know, every lookup logs a warning, and logging costs more than the rest of the lookup:
so `local/` and `sim/` models register theirs once per process.
"""

from __future__ import annotations

import threading

from inspect_ai.model import ModelInfo, set_model_info

_registered: set[str] = set()
_lock = threading.Lock()


def register_context_window(model: str, tokens: int) -> None:
    """Record `model`'s context window with Inspect (once per model name)."""
    with _lock:
        if model in _registered:
            return
        _registered.add(model)
        set_model_info(model, ModelInfo(context_length=tokens, organization="assay"))
