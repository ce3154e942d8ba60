"""The audit transcript: an append-only list of typed events.

Every change to the target's conversation is an event; what the target saw at any
point is derived from the events, never stored twice.
"""

from __future__ import annotations

from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

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
    """The auditor rolled the target's conversation back to an earlier point.

    `to_event` is the index of the last event the target still sees: the
    conversation is exactly as it was just after that event, which may be inside a
    tool round (just after the target's tool call, to answer it differently).
    `to_turn` names the point by user turn instead (just after user turn `to_turn`
    was answered; 0 keeps only the system prompt). A rollback made by turn records
    both; transcripts stored before `to_event` existed hold only `to_turn`.

    Events before this one stay in the transcript: the abandoned branch remains
    visible to judges; the target no longer sees it. Tools are not rewound.
    """

    type: Literal["rollback"] = "rollback"
    to_turn: int | None = Field(default=None, ge=0)
    to_event: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _names_a_point(self) -> Rollback:
        if self.to_turn is None and self.to_event is None:
            raise ValueError("a rollback needs to_turn or to_event")
        return self


class Restart(_Event):
    """The auditor wiped the target's conversation, system prompt included.

    With `keep_tools` false the target's tools were taken away too (each is also
    recorded as a `ToolRemoved` event right after this one). The auditor sets a
    new system prompt before the next message. Earlier events stay for the judges.
    """

    type: Literal["restart"] = "restart"
    keep_tools: bool = True


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
    `reasoning` is what the provider returned as the model's reasoning (never shown
    to the user it talks to; judges see it, labelled as private).
    """

    type: Literal["target_reply"] = "target_reply"
    content: str
    tool_calls: list[ToolCall] = Field(default_factory=list)
    stop_reason: str | None = None
    reasoning: str | None = None
    """The target's private reasoning, when its provider returned any (a redacted
    block keeps its summary, or a note that it was redacted)."""


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
    | Restart
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
