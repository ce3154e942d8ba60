"""The target's side of an audit: what it sees, and the transcript of every change.

Both the scripted auditor and the LLM auditor drive the target through this class,
so what the target receives is built in one place.
"""

from __future__ import annotations

from dataclasses import dataclass

from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageTool,
    ChatMessageUser,
    Content,
    ContentReasoning,
    ContentText,
    GenerateConfig,
    Model,
)
from inspect_ai.tool import ToolCallError, ToolInfo, ToolParams

from ..schema import (
    AuditEnd,
    CannedResult,
    Prefill,
    Restart,
    Rollback,
    SystemSet,
    TargetError,
    TargetReply,
    ToolCall,
    ToolCreated,
    ToolRemoved,
    ToolResult,
    ToolSpec,
    Transcript,
    Usage,
    UserMessage,
)

NO_RESULT = "the tool returned no result"

# Events a rollback can return to: the points between which the target's
# conversation changes (a prefill or a failed call leaves no state of its own).
_ROLLBACK_POINTS = (SystemSet, UserMessage, TargetReply, ToolResult)


@dataclass(frozen=True)
class _Point:
    """The target's conversation just after one live event, for rollback."""

    event: int
    messages: int  # how many messages the conversation held
    turns: int  # how many user turns it held
    pending: tuple[ToolCall, ...]  # the tool calls still waiting for a result


class TurnBudgetExhausted(Exception):
    """The target has used all the turns the audit allows."""


class TargetSession:
    """One target conversation under audit.

    Args:
        target: The model under audit.
        max_turns: The most target replies this audit may ask for.
        config: Generation settings for target calls (seed, max tokens).
    """

    def __init__(self, target: Model, max_turns: int, config: GenerateConfig) -> None:
        self.target = target
        self.max_turns = max_turns
        self.config = config
        self.transcript = Transcript()
        self.usage = Usage()
        self.calls = 0
        self.errors: list[str] = []
        self._messages: list[ChatMessage] = []
        self._tools: dict[str, ToolSpec] = {}
        self._pending: list[ToolCall] = []
        # Where each user turn starts in `_messages`, for rollback.
        self._turn_starts: list[int] = []
        # The rollback points of the conversation the target now holds, oldest first.
        self._points: list[_Point] = []

    @property
    def pending_calls(self) -> list[ToolCall]:
        """Tool calls from the target still waiting for a result."""
        return list(self._pending)

    @property
    def messages(self) -> list[ChatMessage]:
        """The conversation exactly as the target will next receive it."""
        return list(self._messages)

    @property
    def tools(self) -> list[ToolInfo]:
        """The tools the target currently sees."""
        return [
            ToolInfo(
                name=spec.name,
                description=spec.description,
                parameters=ToolParams.model_validate(spec.parameters),
            )
            for spec in self._tools.values()
        ]

    @property
    def turn(self) -> int:
        """How many user turns the current conversation holds."""
        return len(self._turn_starts)

    @property
    def tool_names(self) -> list[str]:
        """Names of the tools the target currently has."""
        return list(self._tools)

    def set_system(self, content: str) -> None:
        """Set the system prompt and restart the conversation (tools stay)."""
        self._messages = [ChatMessageSystem(content=content)]
        self._pending = []
        self._turn_starts = []
        self._points = []
        self._mark(self.transcript.append(SystemSet(content=content)))

    def create_tool(self, spec: ToolSpec, environment: str | None = None) -> None:
        """Offer the target a new tool (replacing one of the same name)."""
        self._tools[spec.name] = spec
        self.transcript.append(ToolCreated(tool=spec, environment=environment))

    def remove_tool(self, name: str) -> None:
        """Take a tool away from the target.

        Raises:
            KeyError: The target has no tool of that name.
        """
        del self._tools[name]
        self.transcript.append(ToolRemoved(name=name))

    @property
    def rollback_points(self) -> list[int]:
        """Indices of the events the target's current conversation can return to."""
        return [p.event for p in self._points]

    def rollback(self, to_turn: int | None = None, to_event: int | None = None) -> int | None:
        """Rewind the conversation to an earlier point; returns the event returned to.

        `to_event` returns to just after that event (a system prompt, user message,
        target reply or tool result of the current conversation), inside a tool round
        too: back to just after the target's tool call, its calls wait for results
        again. `to_turn` returns to just after user turn `to_turn` was answered (0
        keeps only the system prompt). Tools are not rewound. The abandoned branch
        stays in the transcript.

        Raises:
            ValueError: Neither or both points are given, or the point is not part of
                the current conversation.
        """
        if (to_turn is None) == (to_event is None):
            raise ValueError("give exactly one of to_turn and to_event")
        if to_turn is not None:
            point = self._turn_point(to_turn)
        else:
            point = next((p for p in self._points if p.event == to_event), None)
            if point is None:
                raise ValueError(
                    f"event {to_event} is not in the target's current conversation; "
                    f"it can return to events {_ranges(self.rollback_points) or 'none yet'}"
                )
        if point is not None:
            self._messages = self._messages[: point.messages]
            self._turn_starts = self._turn_starts[: point.turns]
            self._pending = list(point.pending)
            self._points = [p for p in self._points if p.event <= point.event]
        event = point.event if point is not None else None
        self.transcript.append(Rollback(to_turn=to_turn, to_event=event))
        return event

    def _turn_point(self, to_turn: int) -> _Point | None:
        if not 0 <= to_turn <= self.turn:
            raise ValueError(f"to_turn must be between 0 and {self.turn}")
        if not self._points:
            return None  # no system prompt yet: nothing to rewind
        if to_turn == self.turn:
            return self._points[-1]
        # The last point before the user message that opens turn `to_turn + 1`.
        opening = next(i for i, p in enumerate(self._points) if p.turns == to_turn + 1)
        return self._points[opening - 1]

    def restart(self, keep_tools: bool = True) -> None:
        """Wipe the conversation, system prompt included; optionally the tools too."""
        self._messages = []
        self._pending = []
        self._turn_starts = []
        self._points = []
        self.transcript.append(Restart(keep_tools=keep_tools))
        if not keep_tools:
            for name in list(self._tools):
                self.remove_tool(name)

    def _mark(self, event: int) -> None:
        """Remember the conversation as it stands just after `event`."""
        self._points.append(
            _Point(event, len(self._messages), len(self._turn_starts), tuple(self._pending))
        )

    async def send(self, content: str, prefill: str | None = None) -> TargetReply | None:
        """Send a user message and get the target's reply.

        Tool calls left unanswered are first closed with an error result, since a
        conversation cannot continue past unanswered calls.

        Args:
            content: The user message.
            prefill: Text the target's reply is made to start with (see `resume`).
        """
        if self._pending:
            self.answer({}, default=CannedResult(error=NO_RESULT))
        self._turn_starts.append(len(self._messages))
        self._messages.append(ChatMessageUser(content=content))
        self._mark(self.transcript.append(UserMessage(content=content)))
        return await self.resume(prefill)

    def answer_calls(self, results: dict[str, CannedResult]) -> list[str]:
        """Answer waiting tool calls by call id; returns ids that were not waiting."""
        waiting = {c.id for c in self._pending}
        unknown = [call_id for call_id in results if call_id not in waiting]
        by_name = {c.id: c.function for c in self._pending}
        for call_id, result in results.items():
            if call_id in by_name:
                self._record_result(call_id, by_name[call_id], result)
        self._pending = [c for c in self._pending if c.id not in results]
        return unknown

    def answer(self, results: dict[str, CannedResult], default: CannedResult | None) -> int:
        """Answer waiting tool calls from `results` (by tool name).

        Calls with no matching result get `default`, or stay waiting when it is None.
        Returns how many calls were answered.
        """
        waiting: list[ToolCall] = []
        answered = 0
        for call in self._pending:
            result = results.get(call.function, default)
            if call.function not in self._tools:
                result = CannedResult(error=f"unknown tool {call.function!r}")
            if result is None:
                waiting.append(call)
                continue
            self._record_result(call.id, call.function, result)
            answered += 1
        self._pending = waiting
        return answered

    def _record_result(self, call_id: str, function: str, result: CannedResult) -> None:
        error = ToolCallError("unknown", result.error) if result.error else None
        self._messages.append(
            ChatMessageTool(
                content=result.content if not result.error else "",
                tool_call_id=call_id,
                function=function,
                error=error,
            )
        )
        self._pending = [c for c in self._pending if c.id != call_id]
        self._mark(
            self.transcript.append(
                ToolResult(
                    call_id=call_id, function=function, content=result.content, error=result.error
                )
            )
        )

    async def resume(self, prefill: str | None = None) -> TargetReply | None:
        """Let the target reply to the conversation as it stands.

        After its tool calls were answered, or after a rollback to a user message or
        a tool result (a fresh reply to the same input).

        Args:
            prefill: Text the target's reply is made to start with (providers that
                support assistant prefill continue it). It is recorded as the
                auditor's `Prefill` event; the `TargetReply` holds only what the
                target generated after it.
        """
        if prefill:
            self.transcript.append(Prefill(content=prefill))
        return await self._generate(prefill)

    def end(self, reason: str) -> None:
        """Record the end of the audit."""
        self.transcript.append(AuditEnd(reason=reason))

    async def _generate(self, prefill: str | None = None) -> TargetReply | None:
        if self.calls >= self.max_turns:
            raise TurnBudgetExhausted()
        self.calls += 1
        request = list(self._messages)
        if prefill:
            request.append(ChatMessageAssistant(content=prefill))
        try:
            output = await self.target.generate(request, tools=self.tools, config=self.config)
        except Exception as exc:  # any provider failure is recorded, not raised
            failure = f"{type(exc).__name__}: {exc}"
            self.errors.append(failure)
            self.transcript.append(TargetError(message=failure))
            return None
        if output.usage is not None:
            self.usage.add(output.usage.input_tokens, output.usage.output_tokens)
        message = output.message
        calls = [
            ToolCall(id=c.id, function=c.function, arguments=dict(c.arguments))
            for c in message.tool_calls or []
        ]
        own = message.text
        if prefill and own.startswith(prefill):
            # Some providers echo the prefill back; the target did not write it.
            own = own[len(prefill) :]
        # Later turns show the target its whole turn, prefill included (what it saw);
        # the transcript credits it only with its own words.
        seen = (prefill or "") + own
        thinking = _reasoning_blocks(message.content)
        # Reasoning goes back to the target with its turn: providers that sign it
        # (extended thinking with tool use) reject a conversation that drops it.
        content: str | list[Content] = [*thinking, ContentText(text=seen)] if thinking else seen
        self._messages.append(
            ChatMessageAssistant(
                content=content, tool_calls=message.tool_calls, model=message.model
            )
        )
        self._pending = calls
        reply = TargetReply(
            content=own,
            tool_calls=calls,
            stop_reason=output.stop_reason,
            reasoning="\n\n".join(_reasoning_text(b) for b in thinking) or None,
        )
        self._mark(self.transcript.append(reply))
        return reply


def _reasoning_blocks(content: str | list[Content]) -> list[ContentReasoning]:
    """The reasoning the provider returned with a reply, if any."""
    if isinstance(content, str):
        return []
    return [c for c in content if isinstance(c, ContentReasoning)]


def _reasoning_text(block: ContentReasoning) -> str:
    """Readable reasoning: a redacted block shows its summary, or says it was redacted."""
    if block.redacted:
        return block.summary or "(reasoning redacted by the provider)"
    return block.reasoning


def _ranges(numbers: list[int]) -> str:
    """`[0, 1, 2, 5]` as `0-2, 5`."""
    spans: list[list[int]] = []
    for n in numbers:
        if spans and n == spans[-1][1] + 1:
            spans[-1][1] = n
        else:
            spans.append([n, n])
    return ", ".join(str(a) if a == b else f"{a}-{b}" for a, b in spans)
