from __future__ import annotations

import asyncio
import json
import time

import pytest
from inspect_ai.model import ChatMessageUser, GenerateConfig, ResponseSchema, get_model
from inspect_ai.tool import ToolCall, ToolInfo, ToolParams
from inspect_ai.util import JSONSchema

from assay.models import (
    SIM_CALLS_KEPT,
    SimCall,
    SimulatedFault,
    SimulatedRateLimit,
    SimulatedServerError,
    SimulatedTimeout,
    _sim,
    sim_call_count,
    sim_calls,
)


def generate(name: str, **kwargs: object) -> str:
    model = get_model(name, memoize=False, **kwargs)  # type: ignore[arg-type]
    output = asyncio.run(model.generate([ChatMessageUser(content="hello")]))
    return output.completion


def test_scripted_outputs_are_replayed_in_order_then_default() -> None:
    model = get_model("sim/x", outputs=["one", "two"], memoize=False)
    texts = [
        asyncio.run(model.generate([ChatMessageUser(content="hi")])).completion for _ in range(3)
    ]
    assert texts[:2] == ["one", "two"]
    assert texts[2].startswith("Simulated reply to: hi")


def test_fault_rate_and_kinds_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSAY_SIM_FAULT_RATE", "1")
    monkeypatch.setenv("ASSAY_SIM_FAULTS", "timeout")
    monkeypatch.setenv("ASSAY_SIM_MAX_RETRIES", "0")
    with pytest.raises(SimulatedFault) as raised:
        generate("sim/x")
    assert isinstance(raised.value, SimulatedTimeout) and raised.value.kind == "timeout"
    assert "timed out" in str(raised.value)
    assert len(sim_calls()) == 1


def test_response_schema_gets_valid_deterministic_json() -> None:
    schema = {
        "type": "object",
        "properties": {"score": {"type": "integer", "minimum": 1, "maximum": 10}},
        "required": ["score"],
    }
    config = GenerateConfig(
        response_schema=ResponseSchema(name="s", json_schema=JSONSchema.model_validate(schema))
    )
    model = get_model("sim/judge", memoize=False)
    first = asyncio.run(model.generate([ChatMessageUser(content="same")], config=config))
    again = get_model("sim/judge", memoize=False)
    second = asyncio.run(again.generate([ChatMessageUser(content="same")], config=config))
    value = json.loads(first.completion)
    assert 1 <= value["score"] <= 10
    assert first.completion == second.completion


def test_default_target_calls_the_first_tool_after_a_user_turn() -> None:
    tool = ToolInfo(
        name="read_file",
        description="Read.",
        parameters=ToolParams.model_validate(
            {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}
        ),
    )
    model = get_model("sim/target", memoize=False)
    output = asyncio.run(model.generate([ChatMessageUser(content="go")], tools=[tool]))
    assert output.message.tool_calls and output.message.tool_calls[0].function == "read_file"


def test_grammar_schema_bounds_arrays_and_integer_ranges() -> None:
    from assay.models._local import GRAMMAR_MAX_ITEMS, grammar_schema

    schema = {
        "type": "object",
        "properties": {
            "score": {"type": "integer", "minimum": 1, "maximum": 3},
            "quotes": {"type": "array", "items": {"type": "string"}},
            "few": {"type": "array", "items": {"type": "string"}, "maxItems": 1},
        },
    }
    out = grammar_schema(schema)["properties"]
    assert out["score"] == {"enum": [1, 2, 3]}
    assert out["quotes"]["maxItems"] == GRAMMAR_MAX_ITEMS
    assert out["few"]["maxItems"] == 1


READ_FILE = ToolInfo(
    name="read_file",
    description="Read.",
    parameters=ToolParams.model_validate(
        {"type": "object", "properties": {"path": {"type": "string"}}, "required": ["path"]}
    ),
)
SCHEMA = GenerateConfig(
    response_schema=ResponseSchema(
        name="s",
        json_schema=JSONSchema.model_validate(
            {"type": "object", "properties": {"score": {"type": "integer"}}, "required": ["score"]}
        ),
    )
)


@pytest.mark.parametrize(
    ("kind", "error", "code"),
    [
        ("rate_limit", SimulatedRateLimit, "Error code: 429"),
        ("server_error", SimulatedServerError, "Error code: 50"),
        ("timeout", SimulatedTimeout, "HTTP 408"),
    ],
)
def test_provider_faults_are_retried_quickly_then_raised(
    kind: str, error: type[SimulatedFault], code: str
) -> None:
    started = time.perf_counter()
    with pytest.raises(error) as raised:
        generate("sim/x", fault_rate=1, faults=kind, max_retries=2)
    assert raised.value.kind == kind and code in str(raised.value)
    assert len(sim_calls()) == 3  # the first attempt and two retries by Inspect
    assert time.perf_counter() - started < 2  # the sim's backoff is milliseconds


def test_generate_config_max_retries_caps_the_sim_and_keeps_the_fault() -> None:
    model = get_model("sim/x", memoize=False, fault_rate=1, faults="rate_limit", max_retries=5)
    with pytest.raises(SimulatedRateLimit):  # not Inspect's RetryError wrapper
        asyncio.run(
            model.generate([ChatMessageUser(content="hi")], config=GenerateConfig(max_retries=1))
        )
    assert len(sim_calls()) == 2


def test_scripted_rate_limit_is_retried_and_recovers() -> None:
    outputs = [{"error": "Error code: 429 - slow down", "kind": "rate_limit"}, "fine"]
    assert generate("sim/x", outputs=outputs) == "fine"
    assert len(sim_calls()) == 2


def test_generic_faults_are_not_retried() -> None:
    with pytest.raises(SimulatedFault) as raised:
        generate("sim/faulty")
    assert type(raised.value) is SimulatedFault and "SimulatedFault" not in str(raised.value)
    with pytest.raises(SimulatedFault):
        generate("sim/x", outputs=[{"error": "boom"}, "never reached"])
    assert len(sim_calls()) == 2


def test_unknown_fault_kind_is_rejected() -> None:
    with pytest.raises(ValueError, match="bogus"):
        get_model("sim/x", memoize=False, faults="rate_limit,bogus")


def test_garbage_fault_is_not_json_where_json_was_asked() -> None:
    model = get_model("sim/judge", memoize=False, fault_rate=1, faults=["garbage"])
    structured = asyncio.run(model.generate([ChatMessageUser(content="a")], config=SCHEMA))
    plain = asyncio.run(model.generate([ChatMessageUser(content="b")]))
    for text in (structured.completion, plain.completion):
        assert text.strip() and "{" not in text
        with pytest.raises(json.JSONDecodeError):
            json.loads(text)


def _is_malformed(call: ToolCall) -> bool:
    known = {"path"}
    return (
        call.function != "read_file"
        or call.parse_error is not None
        or not set(call.arguments) <= known
        or "path" not in call.arguments
    )


def test_malformed_tool_call_faults_cover_every_variant() -> None:
    variants = set()
    for seed in range(40):
        model = get_model(
            "sim/target", memoize=False, fault_rate=1, faults="malformed_tool_call", seed=seed
        )
        output = asyncio.run(model.generate([ChatMessageUser(content="go")], tools=[READ_FILE]))
        (call,) = output.message.tool_calls or []
        assert _is_malformed(call)
        if call.function != "read_file":
            variants.add("unknown tool")
        elif call.parse_error is not None:
            variants.add("not a JSON object")
        else:
            variants.add("bad arguments")
    assert variants == {"unknown tool", "not a JSON object", "bad arguments"}
    # Without tools there is no tool call to break: the reply is a normal one.
    assert generate("sim/x", fault_rate=1, faults="malformed_tool_call").startswith("Simulated")


def _outcomes(seed: int, prompts: list[str]) -> dict[str, str]:
    model = get_model("sim/target", memoize=False, fault_rate=0.5, seed=seed, max_retries=0)
    out = {}
    for prompt in prompts:
        try:
            output = asyncio.run(
                model.generate([ChatMessageUser(content=prompt)], tools=[READ_FILE])
            )
            calls = output.message.tool_calls or []
            out[prompt] = "malformed" if calls and _is_malformed(calls[0]) else output.completion
        except SimulatedFault as exc:
            out[prompt] = exc.kind
    return out


def test_faults_are_deterministic_per_seed_and_independent_of_call_order() -> None:
    prompts = [f"prompt {i}" for i in range(30)]
    first = _outcomes(3, prompts)
    assert _outcomes(3, prompts[::-1]) == first
    kinds = {v for v in first.values() if v in ("rate_limit", "server_error", "timeout")}
    assert len(kinds) >= 2 and "malformed" in first.values()
    assert _outcomes(4, prompts) != first


def test_call_log_is_bounded_but_every_call_is_counted() -> None:
    config = GenerateConfig()
    for index in range(SIM_CALLS_KEPT + 5):
        _sim._record(SimCall(f"m{index}", [], [], config))
    kept = sim_calls()
    assert len(kept) == SIM_CALLS_KEPT and sim_call_count() == SIM_CALLS_KEPT + 5
    assert kept[0].model == "m5" and kept[-1].model == f"m{SIM_CALLS_KEPT + 4}"
