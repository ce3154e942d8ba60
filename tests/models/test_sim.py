from __future__ import annotations

import asyncio
import json

import pytest
from inspect_ai.model import ChatMessageUser, GenerateConfig, ResponseSchema, get_model
from inspect_ai.tool import ToolInfo, ToolParams
from inspect_ai.util import JSONSchema

from assay.models import SimulatedFault


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


def test_fault_rate_from_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("ASSAY_SIM_FAULT_RATE", "1")
    with pytest.raises(SimulatedFault):
        generate("sim/x")


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
