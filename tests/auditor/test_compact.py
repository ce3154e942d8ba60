"""Deferred compaction: the auditor's inputs are exactly those Inspect's handler gives."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest
from inspect_ai.model import (
    ChatMessage,
    ChatMessageSystem,
    ChatMessageUser,
    Compact,
    CompactionTrim,
    ContentImage,
    ContentText,
    GenerateConfig,
    ModelOutput,
    ModelUsage,
    compaction,
    get_model,
)

from assay.auditor import TargetSession
from assay.auditor._compact import DeferredCompaction, deferral_limit
from assay.auditor._llm import run_llm_auditor
from assay.auditor._tools import AUDITOR_TOOLS
from assay.models._sim import SimModelAPI

from .test_llm_auditor import SEED, call

THRESHOLD = 8000  # tokens: the history below passes it after about 35 calls


def _handler(threshold: int = THRESHOLD) -> tuple[Compact, list[ChatMessage]]:
    messages: list[ChatMessage] = [
        ChatMessageSystem(content="You audit the target. " * 40),
        ChatMessageUser(content="The brief."),
    ]
    model = get_model("sim/auditor", memoize=False)
    handler = compaction(
        CompactionTrim(threshold=threshold), prefix=messages, tools=AUDITOR_TOOLS, model=model
    )
    return handler, messages


async def _drive(compact: Any, messages: list[ChatMessage], calls: int) -> list[list[str]]:
    """Calls as the auditor makes them; the text of each call's input."""
    inputs = []
    for i in range(calls):
        request, extra = await compact.compact_input(messages)
        if extra is not None:
            messages.append(extra)
        inputs.append([m.text for m in request])
        output = ModelOutput.from_content("sim/auditor", f"Move {i}. " + "x" * 400)
        tokens = sum(len(m.text) for m in request) // 4 + 1
        output.usage = ModelUsage(input_tokens=tokens, output_tokens=100, total_tokens=0)
        await compact.record_output(request, output)
        messages += [output.message, ChatMessageUser(content=f"Result {i}. " + "y" * 400)]
    return inputs


def test_deferred_calls_then_inspects_own_compaction_give_the_same_inputs() -> None:
    reference, messages = _handler()
    expected = asyncio.run(_drive(reference, messages, 45))
    handler, messages = _handler()
    # Any limit up to the threshold is safe: the bound is at least Inspect's estimate.
    deferred = DeferredCompaction(handler, THRESHOLD, AUDITOR_TOOLS)
    assert asyncio.run(_drive(deferred, messages, 45)) == expected
    sizes = [len(i) for i in expected]
    assert deferred.deferred >= 20  # the first calls skipped Inspect's handler
    assert min(sizes[deferred.deferred :]) < max(sizes)  # and it compacted later


def test_media_ends_the_deferral() -> None:
    class Handler:
        calls = 0

        async def compact_input(self, messages: list[ChatMessage]) -> Any:
            self.calls += 1
            return list(messages), None

    handler = Handler()
    deferred = DeferredCompaction(handler, 10**9, AUDITOR_TOOLS)  # type: ignore[arg-type]
    text: list[ChatMessage] = [ChatMessageUser(content="hello")]
    asyncio.run(deferred.compact_input(text))
    assert (deferred.deferred, handler.calls) == (1, 0)
    image = ChatMessageUser(
        content=[ContentText(text="see"), ContentImage(image="data:image/png;base64,AA==")]
    )
    asyncio.run(deferred.compact_input([*text, image]))
    asyncio.run(deferred.compact_input(text))  # never deferred again
    assert (deferred.deferred, handler.calls) == (1, 2)


def test_deferral_limit_is_half_of_the_threshold_inspect_resolves() -> None:
    sim = get_model("sim/auditor", memoize=False)  # registers its context window
    assert deferral_limit(sim, 10_000) == 5_000
    assert deferral_limit(sim, 0.8) == int(0.5 * int(0.8 * 128_000))
    assert deferral_limit(get_model("mockllm/model", memoize=False), 0.8) is None


def test_an_audit_far_below_the_threshold_counts_no_tokens(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counted: list[str] = []
    original = SimModelAPI.count_text_tokens

    async def count(self: SimModelAPI, text: str) -> int:
        counted.append(text)
        return await original(self, text)

    monkeypatch.setattr(SimModelAPI, "count_text_tokens", count)
    outputs = [call("set_target_system_prompt", system_prompt="sys")]
    outputs += [call("send_message", message=f"hi {i}") for i in range(3)] + [call("end_audit")]
    auditor = get_model("sim/auditor", outputs=outputs, memoize=False)
    target = get_model("sim/target", memoize=False)
    session = TargetSession(target, max_turns=5, config=GenerateConfig())
    run = asyncio.run(run_llm_auditor(SEED, session, auditor))
    assert run.error is None and session.transcript.target_turns == 3
    assert counted == []
