"""The `local/...` Inspect provider: a GGUF model run in-process by llama.cpp."""

from __future__ import annotations

import json
import os
from typing import Any

import anyio
from inspect_ai.model import (
    ChatCompletionChoice,
    ChatMessage,
    ChatMessageAssistant,
    GenerateConfig,
    Logprob,
    Logprobs,
    ModelAPI,
    ModelOutput,
    ModelUsage,
    TopLogprob,
)
from inspect_ai.tool import ToolChoice, ToolInfo

from ._context import register_context_window
from ._embedded import LoadedModel, load_model, resolve_weights
from ._tool_text import parse_calls, to_chat_dicts

DEFAULT_MAX_TOKENS = 256


def _logprobs(raw: Any) -> Logprobs | None:
    """Convert llama.cpp's OpenAI-style logprobs to Inspect's."""
    content = (raw or {}).get("content") or []
    if not content:
        return None
    return Logprobs(
        content=[
            Logprob(
                token=entry["token"],
                logprob=float(entry["logprob"]),
                top_logprobs=[
                    TopLogprob(token=t["token"], logprob=float(t["logprob"]))
                    for t in entry.get("top_logprobs") or []
                ],
            )
            for entry in content
        ]
    )


_MAX_ENUM_RANGE = 100
GRAMMAR_MAX_ITEMS = 3
"""Arrays in a grammar-constrained answer get at most this many items unless the
schema says otherwise: Inspect's JSON Schema drops `maxItems`, and a small model
under an unbounded array grammar can keep adding items until it runs out of tokens."""


def grammar_schema(schema: Any) -> Any:
    """Adapt a JSON Schema for llama.cpp's grammar.

    Small bounded integer ranges become enums (the grammar ignores `minimum` and
    `maximum`, so a judge asked for 1-10 could emit 15), and arrays get a
    `maxItems` bound.
    """
    if isinstance(schema, list):
        return [grammar_schema(item) for item in schema]
    if not isinstance(schema, dict):
        return schema
    out = {key: grammar_schema(value) for key, value in schema.items()}
    if out.get("type") == "array":
        out.setdefault("maxItems", GRAMMAR_MAX_ITEMS)
    low, high = out.get("minimum"), out.get("maximum")
    if out.get("type") == "integer" and isinstance(low, int) and isinstance(high, int):
        span = high - low
        if span >= 0 and span <= _MAX_ENUM_RANGE:
            out = {k: v for k, v in out.items() if k not in ("minimum", "maximum", "type")}
            out["enum"] = list(range(low, high + 1))
    return out


DEFAULT_TEMPERATURE = 0.7
LOGPROBS_N_CTX = 2048


class LocalModelAPI(ModelAPI):
    """llama.cpp in-process; deterministic for a given seed (default 0).

    Model args: `n_ctx` (context window, default 8192), `n_threads` (default: all
    cores), `repeat_penalty` (default 1.1).
    """

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig = GenerateConfig(),
        **model_args: Any,
    ) -> None:
        super().__init__(model_name, base_url, api_key, [], config)
        self._path = resolve_weights(model_name)
        self._n_ctx = int(model_args.get("n_ctx", 8192))
        self._n_threads = int(model_args.get("n_threads", os.cpu_count() or 2))
        self._repeat_penalty = float(model_args.get("repeat_penalty", 1.1))
        register_context_window(f"local/{model_name}", self._n_ctx)

    def _loaded(self, logits_all: bool = False) -> LoadedModel:
        # Blocks (loading the weights the first time): call it in a worker thread.
        # Log-probabilities need every position's logits: a second instance, with a
        # short context (probe prompts are short) to bound the memory that costs.
        n_ctx = min(self._n_ctx, LOGPROBS_N_CTX) if logits_all else self._n_ctx
        return load_model(self._path, n_ctx, self._n_threads, logits_all)

    def max_connections(self) -> int:
        # One CPU-bound model: concurrent calls would only queue on its lock.
        return 1

    def connection_key(self) -> str:
        return f"local:{self._path}"

    def should_retry(self, ex: Exception) -> bool:
        return False

    async def count_text_tokens(self, text: str) -> int:
        # Inspect's default downloads a tokenizer; use the model's own. In a worker
        # thread: it may load the model, and waits while another call generates.
        def count() -> int:
            model = self._loaded()
            with model.lock:
                return len(model.llama.tokenize(text.encode("utf-8"), add_bos=False))

        return await anyio.to_thread.run_sync(count)

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> ModelOutput:
        request: dict[str, Any] = {
            "messages": to_chat_dicts(input, tools),
            "max_tokens": config.max_tokens or DEFAULT_MAX_TOKENS,
            "temperature": (
                config.temperature if config.temperature is not None else DEFAULT_TEMPERATURE
            ),
            "top_p": config.top_p if config.top_p is not None else 0.95,
            "seed": config.seed if config.seed is not None else 0,
            "repeat_penalty": self._repeat_penalty,
            "stop": config.stop_seqs or None,
        }
        if config.response_schema is not None:
            schema = config.response_schema.json_schema.model_dump(exclude_none=True)
            request["response_format"] = {
                "type": "json_object",
                "schema": grammar_schema(schema),
            }
        want_logprobs = bool(config.logprobs)
        if want_logprobs:
            request["logprobs"] = True
            request["top_logprobs"] = config.top_logprobs or 5

        def complete() -> dict[str, Any]:
            # Loading and generating block for seconds: both stay off the event loop.
            model = self._loaded(logits_all=want_logprobs)
            key = json.dumps(request, sort_keys=True, default=str)
            with model.lock:
                # The model is deterministic for a request (seed included), so an
                # identical request (a second judge seat of the same model) is
                # answered from memory with exactly what generating would give.
                if key in model.answers:
                    return model.answers[key]
                # A fresh KV cache per call: reusing a previous call's prefix changes
                # batch boundaries and with them the numerics, breaking determinism.
                model.llama.reset()
                result: dict[str, Any] = model.llama.create_chat_completion(**request)
                model.remember(key, result)
                return result

        response = await anyio.to_thread.run_sync(complete)
        choice = response["choices"][0]
        text = choice["message"].get("content") or ""
        prose, calls = parse_calls(text, tools) if tools else (text, [])
        usage = response.get("usage", {})
        logprobs = _logprobs(choice.get("logprobs")) if want_logprobs else None
        return ModelOutput(
            model=self.model_name,
            choices=[
                ChatCompletionChoice(
                    message=ChatMessageAssistant(
                        content=prose,
                        tool_calls=calls or None,
                        model=self.model_name,
                        source="generate",
                    ),
                    logprobs=logprobs,
                    stop_reason=(
                        "tool_calls"
                        if calls
                        else "max_tokens"
                        if choice.get("finish_reason") == "length"
                        else "stop"
                    ),
                )
            ],
            usage=ModelUsage(
                input_tokens=usage.get("prompt_tokens", 0),
                output_tokens=usage.get("completion_tokens", 0),
                total_tokens=usage.get("total_tokens", 0),
            ),
        )
