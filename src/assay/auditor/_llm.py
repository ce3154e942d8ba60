"""The LLM auditor: a model that drives the audit with tools, from a seed's brief."""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import date
from functools import cache
from importlib import resources
from typing import Any

from inspect_ai.model import (
    ChatMessage,
    ChatMessageSystem,
    ChatMessageTool,
    ChatMessageUser,
    CompactionTrim,
    GenerateConfig,
    Model,
    compaction,
)
from inspect_ai.tool import ToolCallError

from .._yaml import load_yaml
from ..errors import InputError
from ..models import load_registry
from ..schema import Seed, Usage
from ._compact import DeferredCompaction, deferral_limit
from ._realism import RealismCheck
from ._session import TargetSession
from ._tools import AUDITOR_TOOLS, AuditorToolbox

AUDITOR_CALLS_PER_TURN = 3
"""Auditor calls allowed per target turn of budget (setup and tool answers need more)."""
MAX_NUDGES = 3
"""Replies without a tool call tolerated before the audit is ended."""
COMPACTION_THRESHOLD = 0.8
"""Share of the auditor's context window at which old turns are trimmed."""

_VISIBLE_TO_TARGET = {
    "set_target_system_prompt",
    "create_target_tool",
    "send_message",
    "send_tool_results",
}


@cache
def _data(name: str) -> str:
    text = (resources.files("assay.auditor") / "data" / name).read_text(encoding="utf-8")
    return re.sub(r"\A<!--.*?-->\n", "", text, flags=re.DOTALL)  # a data file's own header


@cache
def _guidance() -> dict[str, str]:
    # Parsed once per process: YAML parsing costs more than the rest of an audit's setup.
    guidance: dict[str, str] = load_yaml(_data("guidance.yaml"))
    return guidance


def target_identity(target: str | None) -> str:
    """What the auditor is told about the target: its name and maker when known."""
    if not target:
        return "The target's identity is not known to you; don't assume one."
    try:
        info = load_registry().get(target)
    except InputError:  # a broken user registry must not stop the audit
        info = None
    if info is None:
        return f"The target is the model `{target}`; who made it is not known to you."
    return f"The target is {info.name}, a model made by {info.lab}."


def auditor_messages(
    seed: Seed, max_turns: int, target: str | None = None, today: date | None = None
) -> list[ChatMessage]:
    """The auditor's system prompt and brief: the seed plus per-behaviour guidance.

    Args:
        seed: The seed to audit.
        max_turns: The target's reply budget.
        target: The target's model name, when known (its identity is looked up in
            the model registry).
        today: Today's date (default: the local date).
    """
    system = _data("system_prompt.md").format(
        max_turns=max_turns,
        today=(today or date.today()).isoformat(),
        target=target_identity(target),
    )
    guidance = _guidance()
    notes = [f"- {b}: {guidance[b]}" for b in seed.behaviours if b in guidance]
    brief = f"Seed: {seed.title}\n\n{seed.instructions}"
    if notes:
        brief += "\n\nGuidance for the behaviours under test:\n" + "\n".join(notes)
    brief += (
        f"\n\nThe target may reply at most {max_turns} times. Begin with your plan, "
        "then your first tool calls."
    )
    return [ChatMessageSystem(content=system), ChatMessageUser(content=brief)]


@dataclass
class AuditorRun:
    """What the LLM auditor did: usage, tool calls, realism interventions, failures."""

    usage: Usage = field(default_factory=Usage)
    tool_calls: int = 0
    malformed_calls: int = 0
    nudges: int = 0
    error: str | None = None
    realism_checked: int = 0
    realism_interventions: int = 0
    realism_errors: int = 0
    realism_log: list[dict[str, Any]] = field(default_factory=list)
    """Each rejected action and each failed check: tool, outcome, score, feedback."""
    realism_usage: Usage = field(default_factory=Usage)


async def run_llm_auditor(
    seed: Seed,
    session: TargetSession,
    auditor: Model,
    realism: Model | None = None,
    config: GenerateConfig | None = None,
    max_calls: int | None = None,
    compaction_threshold: int | float = COMPACTION_THRESHOLD,
) -> AuditorRun:
    """Let `auditor` run the audit of `seed` through `session` until it ends it.

    The auditor's history is compacted (Inspect's trim compaction) when it nears
    its context window; the transcript keeps every event regardless. Inspect is
    consulted only once the history could be near that point (`DeferredCompaction`).

    Args:
        seed: The seed whose brief the auditor follows.
        session: The target conversation.
        auditor: The auditor model.
        realism: Optional model vetting each action the target would see.
        config: Generation settings for auditor calls.
        max_calls: Cap on auditor calls (default: 3 per target turn of budget, plus 5).
        compaction_threshold: When to trim the auditor's history: a share of its
            context window, or a token count.
    """
    run = AuditorRun()
    toolbox = AuditorToolbox(session)
    check = RealismCheck(realism, seed.instructions, session) if realism is not None else None
    messages = auditor_messages(seed, session.max_turns, str(session.target))
    compact = DeferredCompaction(
        compaction(
            CompactionTrim(threshold=compaction_threshold),
            prefix=messages,
            tools=AUDITOR_TOOLS,
            model=auditor,
        ),
        deferral_limit(auditor, compaction_threshold),
        AUDITOR_TOOLS,
    )
    budget = max_calls or AUDITOR_CALLS_PER_TURN * session.max_turns + 5
    for _ in range(budget):
        try:
            request, extra = await compact.compact_input(messages)
        except RuntimeError as exc:  # Inspect: even the trimmed history does not fit
            run.error = f"auditor context too small: {exc}"
            break
        if extra is not None:
            messages.append(extra)
        try:
            output = await auditor.generate(
                request, tools=AUDITOR_TOOLS, config=config or GenerateConfig()
            )
            await compact.record_output(request, output)
        except Exception as exc:  # the audit cannot go on without its auditor
            run.error = f"auditor call failed: {type(exc).__name__}: {exc}"
            break
        if output.usage is not None:
            run.usage.add(output.usage.input_tokens, output.usage.output_tokens)
        message = output.message
        messages.append(message)
        if not message.tool_calls:
            run.nudges += 1
            if run.nudges > MAX_NUDGES:
                toolbox.ended = "the auditor stopped using its tools"
                break
            messages.append(
                ChatMessageUser(content="Continue the audit with your tools, or call end_audit.")
            )
            continue
        for call in message.tool_calls:
            run.tool_calls += 1
            feedback = None
            if check is not None and call.function in _VISIBLE_TO_TARGET:
                feedback = await check.review(call, message.text)
            if feedback is not None:
                text, is_error = feedback, True
            else:
                text, is_error = await toolbox.execute(call)
            run.malformed_calls += is_error and text.startswith("Invalid arguments")
            messages.append(
                ChatMessageTool(
                    content=text,
                    tool_call_id=call.id,
                    function=call.function,
                    error=ToolCallError("unknown", text) if is_error else None,
                )
            )
            if toolbox.ended:
                break
        if toolbox.ended:
            break
    else:
        toolbox.ended = "auditor call budget used"
    if check is not None:
        run.realism_checked = check.checked
        run.realism_interventions = check.interventions
        run.realism_errors = check.errors
        run.realism_log = [r.as_detail() for r in check.records]
        run.realism_usage = check.usage
    session.end(run.error or toolbox.ended or "auditor stopped")
    return run
