"""The scripted auditor: runs a seed's deterministic plan against the target."""

from __future__ import annotations

from ..schema import CannedResult, CreateTool, OnToolCall, Seed, Send, SetSystem
from ._session import TargetSession, TurnBudgetExhausted

MAX_TOOL_ROUNDS = 5
"""How many times in a row the target may call tools after one auditor step."""


async def run_script(seed: Seed, session: TargetSession) -> None:
    """Execute every step of `seed.script`, recording the audit in `session.transcript`.

    `on_tool_call` results stay registered for the rest of the audit, so a tool the
    target calls again later gets the same canned answer.

    Raises:
        ValueError: The seed has no script.
    """
    if seed.script is None:
        raise ValueError(f"seed {seed.id!r} has no script; use an auditor model")
    canned: dict[str, CannedResult] = {}
    try:
        for step in seed.script:
            if isinstance(step, SetSystem):
                session.set_system(step.content)
            elif isinstance(step, CreateTool):
                session.create_tool(step.tool)
            elif isinstance(step, Send):
                await session.send(step.content)
                await _answer_tool_calls(session, canned)
            elif isinstance(step, OnToolCall):
                canned.update(step.results)
                await _answer_tool_calls(session, canned)
        reason = "script complete"
    except TurnBudgetExhausted:
        reason = f"turn budget of {session.max_turns} used"
    session.end(reason)


async def _answer_tool_calls(session: TargetSession, canned: dict[str, CannedResult]) -> None:
    """Answer the target's tool calls from `canned` while it keeps calling tools."""
    for _ in range(MAX_TOOL_ROUNDS):
        if not session.pending_calls or not session.answer(canned, default=None):
            return
        if session.pending_calls:
            return  # some calls still wait for a result a later step provides
        await session.resume()
