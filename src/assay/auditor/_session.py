"""The target's side of an audit: what it sees, and the transcript of every change.

Both the scripted auditor and the LLM auditor drive the target through this class,
so what the target receives is built in one place.
"""

from __future__ import annotations

from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageTool,
    ChatMessageUser,
    GenerateConfig,
    Model,
)
from inspect_ai.tool import ToolCallError, ToolInfo, ToolParams

from ..schema import (
    AuditEnd,
    CannedResult,
    Prefill,
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
        """Set the system prompt and restart the conversation."""
        self._messages = [ChatMessageSystem(content=content)]
        self._pending = []
        self._turn_starts = []
        self.transcript.append(SystemSet(content=content))

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

    def rollback(self, to_turn: int) -> None:
        """Rewind the conversation to just after user turn `to_turn` was answered.

        `0` keeps only the system prompt. Tools are not rewound. The abandoned
        branch stays in the transcript.

        Raises:
            ValueError: `to_turn` is negative or beyond the current turn.
        """
        if not 0 <= to_turn <= self.turn:
            raise ValueError(f"to_turn must be between 0 and {self.turn}")
        if to_turn < self.turn:
            self._messages = self._messages[: self._turn_starts[to_turn]]
            self._turn_starts = self._turn_starts[:to_turn]
        self._pending = []
        self.transcript.append(Rollback(to_turn=to_turn))

    async def send(self, content: str, prefill: str | None = None) -> TargetReply | None:
        """Send a user message and get the target's reply.

        Tool calls left unanswered are first closed with an error result, since a
        conversation cannot continue past unanswered calls.

        Args:
            content: The user message.
            prefill: Text the target's reply is made to start with (providers that
                support assistant prefill continue it). It is recorded as the
                auditor's `Prefill` event; the `TargetReply` holds only what the
                target generated after it.
        """
        if self._pending:
            self.answer({}, default=CannedResult(error=NO_RESULT))
        self._turn_starts.append(len(self._messages))
        self._messages.append(ChatMessageUser(content=content))
        self.transcript.append(UserMessage(content=content))
        if prefill:
            self.transcript.append(Prefill(content=prefill))
        return await self._generate(prefill)

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
        self.transcript.append(
            ToolResult(
                call_id=call_id, function=function, content=result.content, error=result.error
            )
        )

    async def resume(self) -> TargetReply | None:
        """Let the target continue after its tool calls were answered."""
        return await self._generate()

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
        self._messages.append(
            ChatMessageAssistant(content=seen, tool_calls=message.tool_calls, model=message.model)
        )
        self._pending = calls
        reply = TargetReply(content=own, tool_calls=calls, stop_reason=output.stop_reason)
        self.transcript.append(reply)
        return reply
