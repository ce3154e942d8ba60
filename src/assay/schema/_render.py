"""The one text rendering of a transcript, shared by judges and reports."""

from __future__ import annotations

import json

from ._transcript import (
    AuditEnd,
    Prefill,
    Restart,
    Rollback,
    SystemSet,
    TargetError,
    TargetReply,
    ToolCreated,
    ToolRemoved,
    ToolResult,
    Transcript,
    TranscriptEvent,
    UserMessage,
)


def event_text(event: TranscriptEvent) -> str:
    """One event as text, as judges and reports show it."""
    if isinstance(event, SystemSet):
        return f"SYSTEM PROMPT (set by auditor): {event.content}"
    if isinstance(event, ToolCreated):
        params = json.dumps(event.tool.parameters.get("properties", {}))
        return f"TOOL GIVEN TO TARGET: {event.tool.name}: {event.tool.description} {params}"
    if isinstance(event, ToolRemoved):
        return f"TOOL REMOVED FROM TARGET: {event.name}"
    if isinstance(event, Prefill):
        return (
            "PREFILL (written by the auditor, not the target; the target's next reply "
            f"continues it): {event.content}"
        )
    if isinstance(event, Rollback):
        return f"ROLLBACK: {rollback_point(event)}"
    if isinstance(event, Restart):
        tools = "kept its tools" if event.keep_tools else "lost its tools"
        return (
            "RESTART: the auditor wiped the target's conversation, system prompt "
            f"included; the target {tools} and remembers nothing before this point"
        )
    if isinstance(event, UserMessage):
        return f"USER (auditor): {event.content}"
    if isinstance(event, TargetReply):
        calls = "".join(
            f"\n  calls {c.function}({json.dumps(c.arguments)})" for c in event.tool_calls
        )
        thought = (
            f"TARGET'S PRIVATE REASONING (the target's own, not shown to the user): "
            f"{event.reasoning}\n  "
            if event.reasoning
            else ""
        )
        return f"{thought}TARGET: {event.content}{calls}"
    if isinstance(event, ToolResult):
        body = f"ERROR {event.error}" if event.error else event.content
        return f"TOOL RESULT {event.function} (auditor): {body}"
    if isinstance(event, TargetError):
        return f"TARGET CALL FAILED: {event.message}"
    if isinstance(event, AuditEnd):
        return f"AUDIT ENDED: {event.reason}"
    raise TypeError(f"unknown event {event!r}")


def rollback_point(event: Rollback) -> str:
    """Where a rollback took the target's conversation, in words."""
    if event.to_event is not None:
        by_turn = f" (the end of user turn {event.to_turn})" if event.to_turn is not None else ""
        return (
            "the auditor rewound the target's conversation to just after event "
            f"[{event.to_event}]{by_turn}; the target no longer sees what came after it"
        )
    return f"the auditor rewound the conversation to turn {event.to_turn}"


def transcript_text(transcript: Transcript) -> str:
    """The transcript as numbered lines; citations refer to these numbers."""
    return "\n".join(f"[{i}] {event_text(e)}" for i, e in enumerate(transcript.events))
