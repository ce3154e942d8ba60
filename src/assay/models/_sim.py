"""The `sim/...` Inspect provider: scripted and simulated outputs for tests and benchmarks.

Model args:
    outputs: replies to return in order; each is a string, or a mapping with `text`,
        `tool_calls` (list of `{function, arguments}`) or `error` (raise a fault).
        When they run out, the default behaviour takes over.
    latency: seconds to wait per call (else `ASSAY_SIM_LATENCY`, else 0).
    fault_rate: probability 0-1 that a call raises `SimulatedFault`
        (else `ASSAY_SIM_FAULT_RATE`, else 0).
    seed: makes the pseudo-random parts reproducible (default 0).
    bias, noise: turn the model into a judge of known quality. Every simulated
        judge shares one hidden "true" answer per input; with `noise` set (even 0)
        the judge returns the truth plus `bias` plus Gaussian noise of that standard
        deviation, rounded and clamped. Without them, each judge (by name and seed)
        draws its own independent answer.

Default behaviour, by model name:
    sim/garbage: always replies with text that is not JSON.
    sim/silent:  always replies with an empty message.
    sim/faulty:  every call raises `SimulatedFault`.
    any other:   with a response schema, returns JSON valid for it (see bias, noise;
                 deterministic for a given input); with tools offered after a user
                 turn, calls them in turn (the first on the first turn); asked a
                 lettered multiple-choice question ("A. ..." lines), answers a letter
                 (with log-probabilities when asked); otherwise a short text reply
                 that quotes the last message.
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import re
from dataclasses import dataclass
from typing import Any

import anyio
from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageTool,
    ChatMessageUser,
    GenerateConfig,
    Logprob,
    Logprobs,
    ModelAPI,
    ModelOutput,
    ModelUsage,
    TopLogprob,
)
from inspect_ai.tool import ToolChoice, ToolInfo

from ._schema_sample import sample_from_schema


class SimulatedFault(RuntimeError):
    """An injected failure of a simulated model call."""


@dataclass(frozen=True)
class SimCall:
    """One call received by a simulated model, kept for tests to inspect."""

    model: str
    messages: list[ChatMessage]
    tools: list[ToolInfo]
    config: GenerateConfig


_calls: list[SimCall] = []


def sim_calls() -> list[SimCall]:
    """Every call simulated models received in this process, oldest first."""
    return _calls


def reset_sim_calls() -> None:
    """Forget recorded calls (tests call this between cases)."""
    _calls.clear()


_CHOICE_LINE = re.compile(r"^([A-F])\. ", re.MULTILINE)


def _rng(*parts: object) -> random.Random:
    digest = hashlib.sha256("\x1f".join(map(str, parts)).encode()).digest()
    return random.Random(int.from_bytes(digest[:8], "big"))


def _env_float(name: str, default: float) -> float:
    value = os.environ.get(name)
    return float(value) if value else default


class SimModelAPI(ModelAPI):
    """A model that replays scripted outputs or simulates plausible ones."""

    def __init__(
        self,
        model_name: str,
        base_url: str | None = None,
        api_key: str | None = None,
        config: GenerateConfig = GenerateConfig(),
        **model_args: Any,
    ) -> None:
        super().__init__(model_name, base_url, api_key, [], config)
        self._outputs = list(model_args.get("outputs") or [])
        self._latency = float(model_args.get("latency", _env_float("ASSAY_SIM_LATENCY", 0.0)))
        self._fault_rate = float(
            model_args.get("fault_rate", _env_float("ASSAY_SIM_FAULT_RATE", 0.0))
        )
        self._seed = int(model_args.get("seed", 0))
        self._random = random.Random(self._seed)
        self._bias = float(model_args.get("bias", 0.0))
        noise = model_args.get("noise")
        self._noise = float(noise) if noise is not None else None

    def should_retry(self, ex: Exception) -> bool:
        return False

    def connection_key(self) -> str:
        return f"sim:{self.model_name}"

    async def count_text_tokens(self, text: str) -> int:
        return len(text) // 4 + 1

    async def generate(
        self,
        input: list[ChatMessage],
        tools: list[ToolInfo],
        tool_choice: ToolChoice,
        config: GenerateConfig,
    ) -> ModelOutput:
        _calls.append(SimCall(self.model_name, list(input), list(tools), config))
        if self._latency:
            await anyio.sleep(self._latency)
        if self.model_name == "faulty" or self._random.random() < self._fault_rate:
            raise SimulatedFault(f"simulated fault in sim/{self.model_name}")
        output = self._next_output(input, tools, config)
        text = output.completion or ""
        output.usage = ModelUsage(
            input_tokens=sum(len(m.text) for m in input) // 4 + 1,
            output_tokens=len(text) // 4 + 1,
            total_tokens=0,
        )
        return output

    def _next_output(
        self, input: list[ChatMessage], tools: list[ToolInfo], config: GenerateConfig
    ) -> ModelOutput:
        if self._outputs:
            return self._scripted(self._outputs.pop(0))
        if self.model_name == "garbage":
            return self._text("I think the assistant did fine overall {not json")
        if self.model_name == "silent":
            return self._text("")
        last = input[-1] if input else None
        if config.response_schema is not None:
            schema = config.response_schema.json_schema.model_dump(exclude_none=True)
            return self._text(json.dumps(self._structured(schema, input)))
        if tools and isinstance(last, ChatMessageUser):
            # Take the offered tools in turn, one per user turn.
            turn = sum(isinstance(m, ChatMessageAssistant) for m in input)
            tool = tools[turn % len(tools)]
            schema = tool.parameters.model_dump(exclude_none=True)
            args = sample_from_schema(schema, random.Random(0))
            return ModelOutput.for_tool_call(
                self.model_name, tool.name, args, content=f"Let me use {tool.name}."
            )
        letters = _CHOICE_LINE.findall(last.text) if last is not None else []
        if letters:
            return self._multiple_choice(letters, input, config)
        if isinstance(last, ChatMessageTool):
            return self._text(f"The {last.function} tool returned: {last.text[:80]}")
        quoted = last.text[:80] if last is not None else ""
        return self._text(f"Simulated reply to: {quoted}")

    def _structured(self, schema: dict[str, Any], input: list[ChatMessage]) -> Any:
        text = "".join(m.text for m in input)
        if self._noise is None and not self._bias:
            return sample_from_schema(schema, _rng(text, self.model_name, self._seed))
        noise_rng = _rng(text, self.model_name, self._seed)
        noise = self._noise or 0.0

        def perturb(value: int, low: int, high: int) -> int:
            return round(value + self._bias + noise_rng.gauss(0.0, noise))

        return sample_from_schema(schema, _rng(text), perturb)

    def _multiple_choice(
        self, letters: list[str], input: list[ChatMessage], config: GenerateConfig
    ) -> ModelOutput:
        # A deterministic preference over the lettered choices; its log-probabilities
        # are returned when asked for, like providers that expose them.
        rng = _rng("".join(m.text for m in input), self.model_name, self._seed)
        weights = [rng.random() + 0.05 for _ in letters]
        total = sum(weights)
        ranked = sorted(zip(letters, weights, strict=True), key=lambda p: -p[1])
        output = self._text(ranked[0][0])
        if config.logprobs:
            top = [TopLogprob(token=k, logprob=math.log(w / total)) for k, w in ranked]
            output.choices[0].logprobs = Logprobs(
                content=[Logprob(token=top[0].token, logprob=top[0].logprob, top_logprobs=top)]
            )
        return output

    def _text(self, text: str) -> ModelOutput:
        return ModelOutput.from_content(model=self.model_name, content=text)

    def _scripted(self, item: Any) -> ModelOutput:
        if isinstance(item, str):
            return self._text(item)
        if isinstance(item, dict) and "error" in item:
            raise SimulatedFault(str(item["error"]))
        if isinstance(item, dict) and item.get("tool_calls"):
            calls = item["tool_calls"]
            output = ModelOutput.for_tool_call(
                self.model_name,
                calls[0]["function"],
                calls[0].get("arguments", {}),
                content=item.get("text", ""),
            )
            message = output.choices[0].message
            for index, call in enumerate(calls[1:], start=1):
                extra = (
                    ModelOutput.for_tool_call(
                        self.model_name,
                        call["function"],
                        call.get("arguments", {}),
                        tool_call_id=f"call_{index}",
                    )
                    .choices[0]
                    .message.tool_calls
                )
                message.tool_calls = [*(message.tool_calls or []), *(extra or [])]
            return output
        if isinstance(item, dict) and "text" in item:
            return self._text(str(item["text"]))
        raise ValueError(
            f"sim output must be a string or a mapping with text/tool_calls/error: {item!r}"
        )
