"""Faults the simulated provider injects: provider errors and unusable replies."""

from __future__ import annotations

import hashlib
import json
import random

from inspect_ai.model import ChatMessage, GenerateConfig, ModelOutput
from inspect_ai.tool import ToolCall, ToolInfo

FAULT_KINDS = ("rate_limit", "server_error", "timeout", "malformed_tool_call", "garbage")
"""Every kind of fault the simulated provider can inject."""


class SimulatedFault(RuntimeError):
    """An injected failure of a simulated model call.

    Attributes:
        kind: Which fault this is (`fault` for the generic, never-retried one).
        retryable: Whether Inspect may retry the call.
    """

    kind = "fault"

    def __init__(self, message: str, retryable: bool = False) -> None:
        super().__init__(message)
        self.retryable = retryable


class SimulatedRateLimit(SimulatedFault):
    """HTTP 429: the provider's rate limit was hit."""

    kind = "rate_limit"


class SimulatedServerError(SimulatedFault):
    """HTTP 5xx: the provider failed or was overloaded."""

    kind = "server_error"


class SimulatedTimeout(SimulatedFault):
    """The request timed out before the provider answered."""

    kind = "timeout"


RAISED: dict[str, type[SimulatedFault]] = {
    c.kind: c for c in (SimulatedRateLimit, SimulatedServerError, SimulatedTimeout)
}

_SERVER_ERRORS = {
    500: "The server had an error while processing your request.",
    502: "Bad gateway.",
    503: "The server is overloaded or not ready yet.",
    504: "Gateway timeout.",
}


def fault_message(kind: str, model: str, rng: random.Random) -> str:
    """The error text of a raised fault, with the HTTP status a provider would send."""
    # Shaped like the OpenAI SDK's errors, so classifiers see what real runs produce.
    if kind == "rate_limit":
        wait = rng.randint(1, 20)
        body = {
            "message": f"Rate limit reached for sim/{model}: please try again in {wait}s.",
            "type": "rate_limit_error",
        }
        return f"Error code: 429 - {{'error': {body!r}}}"
    if kind == "server_error":
        code = rng.choice(sorted(_SERVER_ERRORS))
        body = {"message": _SERVER_ERRORS[code], "type": "server_error"}
        return f"Error code: {code} - {{'error': {body!r}}}"
    return f"Request to sim/{model} timed out after 600 s (HTTP 408 Request Timeout)."


def parse_fault_kinds(value: object) -> tuple[str, ...]:
    """Fault kinds from a comma list or a list; empty or None means all kinds.

    Raises:
        ValueError: A name that is not one of `FAULT_KINDS`.
    """
    if value is None or value == "":
        return FAULT_KINDS
    if isinstance(value, str):
        items = value.split(",")
    elif isinstance(value, list | tuple):
        items = [str(item) for item in value]
    else:
        raise ValueError(f"sim faults must be a comma list or a list, not {value!r}")
    names = {item.strip() for item in items} - {""}
    unknown = sorted(names - set(FAULT_KINDS))
    if unknown:
        raise ValueError(
            f"unknown sim fault kind(s) {', '.join(unknown)}; use {', '.join(FAULT_KINDS)}"
        )
    return tuple(k for k in FAULT_KINDS if k in names)


_SYLLABLES = ("zor", "ple", "qua", "vex", "mib", "tro", "ska", "lun", "fep", "dro", "ny", "ix")


def request_key(
    model: str, input: list[ChatMessage], tools: list[ToolInfo], config: GenerateConfig
) -> str:
    """A digest naming one request, the same for every retry of it."""
    messages = [
        [m.role, m.text, [[c.function, c.arguments] for c in getattr(m, "tool_calls", None) or []]]
        for m in input
    ]
    schema = config.response_schema.name if config.response_schema else None
    parts = [model, messages, [t.name for t in tools], schema, config.seed, config.temperature]
    return hashlib.sha256(json.dumps(parts, default=str).encode()).hexdigest()


def gibberish(rng: random.Random, structured: bool) -> str:
    """Unusable reply text: never JSON, even where a response schema asked for it."""
    words = [
        "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 3)))
        for _ in range(rng.randint(6, 14))
    ]
    text = " ".join(words)
    # No braces: a lenient JSON parser must find nothing to salvage.
    return f"Sure! Verdict follows: {text} ..." if structured else text.capitalize() + "."


def malformed_tool_call(model: str, tools: list[ToolInfo], rng: random.Random) -> ModelOutput:
    """A reply calling a tool that does not exist, or one of `tools` with arguments
    that are not a JSON object (`parse_error` set, as Inspect's parser does) or that
    the tool does not take."""
    tool = rng.choice(tools)
    call_id = f"call_{rng.getrandbits(48):012x}"
    required = tool.parameters.required or []
    variant = rng.choice(["unknown_tool", "not_json", "bad_arguments"])
    if variant == "not_json" and not required:
        variant = "bad_arguments"  # {} would be valid for a tool without required args
    if variant == "unknown_tool":
        names = {t.name for t in tools}
        name = next(n for n in ("run_shell", "web_search", f"{tool.name}_v2") if n not in names)
        call = ToolCall(id=call_id, function=name, arguments={"query": "status"})
    elif variant == "not_json":
        raw = '{"' + required[0] + '": "unterminated'
        try:
            json.loads(raw)
            detail = ""
        except json.JSONDecodeError as exc:
            detail = str(exc)
        error = f"Error parsing the following tool call arguments:\n\n{raw}\n\n{detail}"
        # Like Inspect's own parser: the arguments that could not be read are dropped.
        call = ToolCall(id=call_id, function=tool.name, arguments={}, parse_error=error)
    else:
        call = ToolCall(id=call_id, function=tool.name, arguments={"unexpected_argument": 42})
    output = ModelOutput.for_tool_call(model, call.function, {}, content="Calling the tool.")
    output.choices[0].message.tool_calls = [call]
    return output
