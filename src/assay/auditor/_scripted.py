"""The scripted auditor: runs a seed's deterministic plan against the target."""

from __future__ import annotations

import json
from typing import Any

from ..schema import CannedResult, CreateTool, OnToolCall, Seed, Send, SetSystem, ToolCall
from ..schema._seed import (
    RemoveTool,
    RestartConversation,
    Resume,
    RollbackTo,
    ToolEnvironment,
    argument_key,
)
from ._session import NO_RESULT, TargetSession, TurnBudgetExhausted

MAX_TOOL_ROUNDS = 5
"""How many times in a row the target may call tools after one auditor step."""

ACTIONS_DETAIL = "target_actions"
"""The key of the audit details holding every tool call the scripted auditor answered."""


class ScriptedEnvironment:
    """The state behind the target's tools in one scripted audit, and what it did with them.

    Args:
        tools: The seed's environment, per tool name.
    """

    def __init__(self, tools: dict[str, ToolEnvironment]) -> None:
        self._tools = tools
        self._answers = {name: dict(env.answers) for name, env in tools.items()}
        self._unused = {name: list(range(len(env.replay))) for name, env in tools.items()}
        # Calls already told to wait: asked again, they would use up another answer.
        self._waiting: set[str] = set()

    def forget_waiting(self) -> None:
        """After a rollback, calls that wait again are asked afresh."""
        self._waiting.clear()

    def covers(self, tool: str) -> bool:
        """Whether calls to `tool` are answered here (else by `on_tool_call` results)."""
        return tool in self._tools

    def answer(self, call: ToolCall) -> CannedResult | None:
        """The result of `call`, applying any write it makes; None leaves the call waiting."""
        if call.id in self._waiting:
            return None
        env = self._tools[call.function]
        result = self._lookup(call, env)
        if result is None:
            self._waiting.add(call.id)
        if result is not None and result.error is None and env.writes is not None:
            result = self._write(call, env) or result
        return result

    def _lookup(self, call: ToolCall, env: ToolEnvironment) -> CannedResult | None:
        unused = self._unused[call.function]
        for index in unused:
            if env.replay[index].args == call.arguments:
                unused.remove(index)
                return env.replay[index].result
        if env.key is not None and env.key in call.arguments:
            found = self._answers[call.function].get(argument_key(call.arguments[env.key]))
            if found is not None:
                return found
        if unused:
            return env.replay[unused.pop(0)].result
        return env.default

    def _write(self, call: ToolCall, env: ToolEnvironment) -> CannedResult | None:
        """Store the call's value where its key points; an error if an argument is missing."""
        assert env.key is not None and env.value is not None and env.writes is not None
        missing = [name for name in (env.key, env.value) if name not in call.arguments]
        if missing:
            return CannedResult(error=f"missing argument {missing[0]!r}")
        value = call.arguments[env.value]
        written = value if isinstance(value, str) else json.dumps(value)
        self._answers[env.writes][argument_key(call.arguments[env.key])] = CannedResult(
            content=written
        )
        return None


async def run_script(seed: Seed, session: TargetSession) -> list[dict[str, Any]]:
    """Execute every step of `seed.script`, recording the audit in `session.transcript`.

    Tool calls are answered from the seed's `environment` (by the call's arguments)
    for the tools it covers, else from `on_tool_call` results, which stay registered
    for the rest of the audit, so a tool the target calls again later gets the same
    canned answer.

    Returns:
        Every tool call answered, in order: `tool`, `arguments`, `result`, `error` and
        `answered_by` (`environment` or `on_tool_call`), for the audit's details.

    Raises:
        ValueError: The seed has no script.
    """
    if seed.script is None:
        raise ValueError(f"seed {seed.id!r} has no script; use an auditor model")
    canned: dict[str, CannedResult] = {}
    environment = ScriptedEnvironment(seed.environment)
    actions: list[dict[str, Any]] = []
    try:
        for step in seed.script:
            if isinstance(step, SetSystem):
                session.set_system(step.content)
            elif isinstance(step, CreateTool):
                session.create_tool(step.tool, environment=step.notes)
            elif isinstance(step, RemoveTool):
                session.remove_tool(step.name)
            elif isinstance(step, RestartConversation):
                session.restart(keep_tools=step.keep_tools)
            elif isinstance(step, RollbackTo):
                _rollback(session, step)
                environment.forget_waiting()
                await _answer_tool_calls(session, canned, environment, actions)
            elif isinstance(step, Resume):
                if session.pending_calls:  # as a new message would: close them first
                    session.answer({}, default=CannedResult(error=NO_RESULT))
                await session.resume(step.prefill)
                await _answer_tool_calls(session, canned, environment, actions)
            elif isinstance(step, Send):
                await session.send(step.content, step.prefill)
                await _answer_tool_calls(session, canned, environment, actions)
            elif isinstance(step, OnToolCall):
                canned.update(step.results)
                await _answer_tool_calls(session, canned, environment, actions)
        reason = "script complete"
    except TurnBudgetExhausted:
        reason = f"turn budget of {session.max_turns} used"
    session.end(reason)
    return actions


def _rollback(session: TargetSession, step: RollbackTo) -> None:
    """Roll back as the step says; where the target took another path, as near as can be.

    Event numbers come from the transcript the script was written from: with another
    target they may name an event its conversation does not hold, so the rollback
    goes to the latest point before it (and a turn beyond the conversation, to its end).
    """
    try:
        session.rollback(step.to_turn, step.to_event)
    except ValueError:
        if step.to_event is None:
            session.rollback(to_turn=session.turn)
            return
        earlier = [p for p in session.rollback_points if p <= step.to_event]
        if earlier:
            session.rollback(to_event=earlier[-1])
        else:
            session.rollback(to_turn=0)


async def _answer_tool_calls(
    session: TargetSession,
    canned: dict[str, CannedResult],
    environment: ScriptedEnvironment,
    actions: list[dict[str, Any]],
) -> None:
    """Answer the target's tool calls while it keeps calling tools and answers exist."""
    for _ in range(MAX_TOOL_ROUNDS):
        if not session.pending_calls:
            return
        # Calls to tools the target was never given get their error first.
        answered = session.answer({}, default=None)
        results: dict[str, CannedResult] = {}
        for call in session.pending_calls:
            by_environment = environment.covers(call.function)
            result = environment.answer(call) if by_environment else canned.get(call.function)
            if result is None:
                continue
            results[call.id] = result
            actions.append(
                {
                    "tool": call.function,
                    "arguments": call.arguments,
                    "result": result.content,
                    "error": result.error,
                    "answered_by": "environment" if by_environment else "on_tool_call",
                }
            )
        session.answer_calls(results)
        if not answered and not results:
            return
        if session.pending_calls:
            return  # some calls still wait for a result a later step provides
        await session.resume()
