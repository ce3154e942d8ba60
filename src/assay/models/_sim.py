"""The `sim/...` Inspect provider: scripted and simulated outputs for tests and benchmarks.

Model args:
    outputs: replies to return in order; each is a string, or a mapping with `text`,
        `tool_calls` (list of `{function, arguments}`) or `error` (raise a fault;
        add `kind` to raise that kind of fault, e.g. `{error: ..., kind: rate_limit}`).
        When they run out, the default behaviour takes over.
    latency: seconds to wait per call (else `ASSAY_SIM_LATENCY`, else 0).
    fault_rate: probability 0-1 that a call is faulty (else `ASSAY_SIM_FAULT_RATE`,
        else 0).
    faults: the kinds of fault injected, a comma list or a list (else
        `ASSAY_SIM_FAULTS`, else all), drawn evenly among those that apply to the call:
        `rate_limit` (raises `SimulatedRateLimit`, HTTP 429), `server_error`
        (`SimulatedServerError`, HTTP 500-504), `timeout` (`SimulatedTimeout`,
        raised at once: no real wait), `malformed_tool_call` (only when tools are
        offered: a call to a tool that does not exist, arguments that are not a JSON
        object, or arguments the tool does not take) and `garbage` (gibberish that is
        not JSON, also where a response schema asked for JSON).
    max_retries: how often Inspect may retry one request after a rate limit, server
        error or timeout before the fault is raised to the caller (else
        `ASSAY_SIM_MAX_RETRIES`, else 2). The sim caps retries itself because
        Inspect's own default is to retry forever; a `max_retries` in the generate
        config stops Inspect sooner.
    retry_wait: first backoff in seconds before a retry, doubling per retry (default
        0.01). Inspect's default backoff starts at 3 s and grows to minutes: far too
        slow for tests, and a simulated outage needs no real waiting.
    seed: makes the pseudo-random parts reproducible (default 0). Faults are drawn
        per request (its messages, tools and config) and per attempt at it, so the
        same seed injects the same faults however concurrent calls interleave.
    bias, noise: turn the model into a judge of known quality. Every simulated
        judge shares one hidden "true" answer per input; with `noise` set (even 0)
        the judge returns the truth plus `bias` plus Gaussian noise of that standard
        deviation, rounded and clamped. Without them, each judge (by name and seed)
        draws its own independent answer.
    reasoning: private reasoning returned with every reply, as Inspect's
        `ContentReasoning` before the text (as reasoning models' providers do).
    truth: a mapping `{passage: {dimension: score}}`, or a YAML file of one: a judge
        whose input contains a passage answers those dimensions with the given score
        (plus `bias` and `noise` when set), so tests can make the hidden truth equal
        their own labels (see `assay calibrate`).

Default behaviour, by model name:
    sim/garbage: always replies with text that is not JSON.
    sim/silent:  always replies with an empty message.
    sim/faulty:  every call raises `SimulatedFault` (never retried).
    any other:   with a response schema, returns JSON valid for it (see bias, noise;
                 deterministic for a given input); offered the LLM auditor's tools,
                 plays Petri's simulated auditor (see `_sim_auditor`: system prompt
                 and first message, one message per call up to the brief's turn
                 budget, then end_audit); with other tools offered after a user
                 turn, calls them in turn (the first on the first turn); asked a
                 lettered multiple-choice question ("A. ..." lines), answers a letter
                 (with log-probabilities when asked); otherwise a short text reply
                 that quotes the last message.

Calls are recorded for tests (`sim_calls`), keeping only the latest `SIM_CALLS_KEPT`
so long benchmark runs do not grow without bound; `sim_call_count` counts them all
(`sim_call_counts` by model name).
"""

from __future__ import annotations

import hashlib
import json
import math
import os
import random
import re
from collections import Counter, OrderedDict, deque
from dataclasses import dataclass
from typing import Any

import anyio
from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageTool,
    ChatMessageUser,
    ContentReasoning,
    ContentText,
    GenerateConfig,
    Logprob,
    Logprobs,
    ModelAPI,
    ModelOutput,
    ModelUsage,
    RetryDecision,
    TopLogprob,
)
from inspect_ai.tool import ToolChoice, ToolInfo
from tenacity.wait import WaitBaseT, wait_exponential

from ._context import register_context_window
from ._schema_sample import sample_from_schema
from ._sim_auditor import auditor_output, offers_auditor_tools
from ._sim_faults import (
    FAULT_KINDS,
    RAISED,
    SimulatedFault,
    SimulatedRateLimit,
    SimulatedServerError,
    SimulatedTimeout,
    fault_message,
    gibberish,
    malformed_tool_call,
    parse_fault_kinds,
    request_key,
)
from ._sim_truth import apply_truth, load_truth

SIM_CALLS_KEPT = 10_000
"""How many of the latest calls `sim_calls` keeps."""

_REQUESTS_KEPT = 10_000  # per model: attempt counters of recent requests
SIM_CONTEXT_WINDOW = 128_000  # Inspect's fallback for unknown models


@dataclass(frozen=True)
class SimCall:
    """One call received by a simulated model, kept for tests to inspect."""

    model: str
    messages: list[ChatMessage]
    tools: list[ToolInfo]
    config: GenerateConfig


# A bounded log: a benchmark run makes many thousands of calls, each holding its
# whole conversation, so keeping every one would leak memory.
_calls: deque[SimCall] = deque(maxlen=SIM_CALLS_KEPT)
_call_count = 0
_call_counts: Counter[str] = Counter()


def sim_calls() -> list[SimCall]:
    """The latest calls simulated models received in this process, oldest first.

    At most `SIM_CALLS_KEPT` are kept; `sim_call_count` counts every call.
    """
    return list(_calls)


def sim_call_count() -> int:
    """How many calls simulated models received since the last `reset_sim_calls`."""
    return _call_count


def sim_call_counts() -> dict[str, int]:
    """Calls since the last `reset_sim_calls`, by model name (e.g. `{"target": 30}`)."""
    return dict(_call_counts)


def reset_sim_calls() -> None:
    """Forget recorded calls (tests call this between cases)."""
    global _call_count
    _calls.clear()
    _call_counts.clear()
    _call_count = 0


def _record(call: SimCall) -> None:
    global _call_count
    _calls.append(call)
    _call_count += 1
    _call_counts[call.model] += 1


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
        register_context_window(f"sim/{model_name}", SIM_CONTEXT_WINDOW)
        self._outputs = list(model_args.get("outputs") or [])
        self._latency = float(model_args.get("latency", _env_float("ASSAY_SIM_LATENCY", 0.0)))
        self._fault_rate = float(
            model_args.get("fault_rate", _env_float("ASSAY_SIM_FAULT_RATE", 0.0))
        )
        self._faults = parse_fault_kinds(
            model_args.get("faults", os.environ.get("ASSAY_SIM_FAULTS"))
        )
        self._max_retries = int(
            model_args.get("max_retries", _env_float("ASSAY_SIM_MAX_RETRIES", 2))
        )
        self._retry_wait = float(model_args.get("retry_wait", 0.01))
        self._seed = int(model_args.get("seed", 0))
        self._bias = float(model_args.get("bias", 0.0))
        noise = model_args.get("noise")
        self._noise = float(noise) if noise is not None else None
        self._reasoning = model_args.get("reasoning")
        self._truth = load_truth(model_args.get("truth"))
        # Per recent request: [attempts so far, faults raised in a row].
        self._requests: OrderedDict[str, list[int]] = OrderedDict()

    def should_retry(self, ex: Exception) -> bool | RetryDecision:
        if not isinstance(ex, SimulatedFault) or not ex.retryable:
            return RetryDecision.no()
        if ex.kind == "rate_limit":
            return RetryDecision.rate_limit()
        return RetryDecision.transient()

    def retry_wait(self) -> WaitBaseT | None:
        return wait_exponential(multiplier=self._retry_wait, max=16 * self._retry_wait)

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
        _record(SimCall(self.model_name, list(input), list(tools), config))
        if self._latency:
            await anyio.sleep(self._latency)
        if self.model_name == "faulty":
            raise SimulatedFault(f"simulated fault in sim/{self.model_name}")
        if not self._fault_rate and not self._outputs:
            # Nothing can fault: skip the per-request bookkeeping (it hashes the
            # whole conversation, a cost that grows with every turn).
            return self._with_usage(self._next_output(input, tools, config), input)
        key = request_key(self.model_name, input, tools, config)
        counts = self._requests.pop(key, [0, 0])
        self._requests[key] = counts
        if len(self._requests) > _REQUESTS_KEPT:
            self._requests.popitem(last=False)
        counts[0] += 1
        try:
            output = self._injected(key, counts[0], tools, config)
            if output is None:
                output = self._next_output(input, tools, config)
        except SimulatedFault as exc:
            counts[1] += 1
            # Past the cap the fault reaches the caller, as when a provider stays down.
            # Capping at Inspect's own limit too lets the fault itself, not Inspect's
            # RetryError wrapper, reach the caller.
            cap = self._max_retries
            if config.max_retries is not None:
                cap = min(cap, config.max_retries)
            exc.retryable = exc.kind in RAISED and counts[1] <= cap
            raise
        counts[1] = 0
        return self._with_usage(output, input)

    def _with_usage(self, output: ModelOutput, input: list[ChatMessage]) -> ModelOutput:
        # Every reply passes here, so the reasoning model arg is applied here too.
        if self._reasoning and output.choices:
            message = output.choices[0].message
            message.content = [
                ContentReasoning(reasoning=str(self._reasoning)),
                ContentText(text=message.text),
            ]
        text = output.completion or ""
        output.usage = ModelUsage(
            input_tokens=sum(len(m.text) for m in input) // 4 + 1,
            output_tokens=len(text) // 4 + 1,
            total_tokens=0,
        )
        return output

    def _injected(
        self,
        key: str,
        attempt: int,
        tools: list[ToolInfo],
        config: GenerateConfig,
    ) -> ModelOutput | None:
        """A faulty output for this attempt at the request, raised or returned; or None."""
        if not self._fault_rate:
            return None
        rng = _rng("fault", self.model_name, self._seed, key, attempt)
        if rng.random() >= self._fault_rate:
            return None
        kinds = [k for k in self._faults if k != "malformed_tool_call" or tools]
        if not kinds:
            return None
        kind = rng.choice(kinds)
        if kind in RAISED:
            raise RAISED[kind](fault_message(kind, self.model_name, rng))
        if kind == "malformed_tool_call":
            return malformed_tool_call(self.model_name, tools, rng)
        return self._text(gibberish(rng, config.response_schema is not None))

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
        if offers_auditor_tools(tools):
            return auditor_output(self.model_name, input)
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
        answer = self._sampled(schema, input)
        if not self._truth:
            return answer
        text = "".join(m.text for m in input)
        rng = _rng("truth", text, self.model_name, self._seed)
        return apply_truth(answer, self._truth, text, self._bias, self._noise or 0.0, rng)

    def _sampled(self, schema: dict[str, Any], input: list[ChatMessage]) -> Any:
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
            kind = item.get("kind", "fault")
            if kind != "fault" and kind not in RAISED:
                raise ValueError(f"sim error kind must be one of fault, {', '.join(RAISED)}")
            raise RAISED.get(kind, SimulatedFault)(str(item["error"]))
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


__all__ = [
    "FAULT_KINDS",
    "SIM_CALLS_KEPT",
    "SimCall",
    "SimModelAPI",
    "SimulatedFault",
    "SimulatedRateLimit",
    "SimulatedServerError",
    "SimulatedTimeout",
    "parse_fault_kinds",
    "reset_sim_calls",
    "sim_call_count",
    "sim_call_counts",
    "sim_calls",
]
