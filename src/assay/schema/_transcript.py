"""The audit transcript: an append-only list of typed events.

Every change to the target's conversation is an event; what the target saw at any
point is derived from the events, never stored twice.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ._seed import ToolSpec


class _Event(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class SystemSet(_Event):
    """The auditor set the target's system prompt (the conversation restarts)."""

    type: Literal["system_set"] = "system_set"
    content: str


class ToolCreated(_Event):
    """The auditor gave the target a tool.

    `environment` is the auditor's private description of what stands behind the
    tool (never shown to the target).
    """

    type: Literal["tool_created"] = "tool_created"
    tool: ToolSpec
    environment: str | None = None


class ToolRemoved(_Event):
    """The auditor took a tool away from the target."""

    type: Literal["tool_removed"] = "tool_removed"
    name: str


class Prefill(_Event):
    """The auditor put words in the target's mouth: its reply starts with this text.

    The prefill is the auditor's, never the target's: the `TargetReply` that follows
    holds only what the target generated after it.
    """

    type: Literal["prefill"] = "prefill"
    content: str


class Rollback(_Event):
    """The auditor rolled the conversation back to an earlier turn.

    Events before this one stay in the transcript: the abandoned branch remains
    visible to judges; the target no longer sees it.
    """

    type: Literal["rollback"] = "rollback"
    to_turn: int


class UserMessage(_Event):
    """The auditor, playing the user, sent a message."""

    type: Literal["user_message"] = "user_message"
    content: str


class ToolCall(BaseModel):
    """One tool call made by the target."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    function: str
    arguments: dict[str, Any] = Field(default_factory=dict)


class TargetReply(_Event):
    """The target's reply: the text and tool calls it generated itself.

    After a `Prefill`, `content` is only the continuation, without the prefill.
    """

    type: Literal["target_reply"] = "target_reply"
    content: str
    tool_calls: list[ToolCall] = Field(default_factory=list)
    stop_reason: str | None = None


class ToolResult(_Event):
    """The auditor's answer to one of the target's tool calls."""

    type: Literal["tool_result"] = "tool_result"
    call_id: str
    function: str
    content: str = ""
    error: str | None = None


class TargetError(_Event):
    """A target call failed (provider error, timeout, refusal to run)."""

    type: Literal["target_error"] = "target_error"
    message: str


class AuditEnd(_Event):
    """The audit ended."""

    type: Literal["audit_end"] = "audit_end"
    reason: str


TranscriptEvent = Annotated[
    SystemSet
    | ToolCreated
    | ToolRemoved
    | UserMessage
    | Prefill
    | TargetReply
    | ToolResult
    | TargetError
    | Rollback
    | AuditEnd,
    Field(discriminator="type"),
]


class Transcript(BaseModel):
    """The whole audit, as events in the order they happened."""

    model_config = ConfigDict(extra="forbid")

    events: list[TranscriptEvent] = Field(default_factory=list)

    def append(self, event: TranscriptEvent) -> int:
        """Add an event and return its index (citations refer to events by index)."""
        self.events.append(event)
        return len(self.events) - 1

    @property
    def target_turns(self) -> int:
        """How many replies the target actually produced (non-empty text or tool calls).

        A prefill is the auditor's words: a target that adds nothing after one has
        not replied.
        """
        return sum(
            1
            for e in self.events
            if isinstance(e, TargetReply) and (e.content.strip() or e.tool_calls)
        )
