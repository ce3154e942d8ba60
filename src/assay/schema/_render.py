"""The one text rendering of a transcript, shared by judges and reports."""

from __future__ import annotations

import json

from ._transcript import (
    AuditEnd,
    Prefill,
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
        return f"ROLLBACK: the auditor rewound the conversation to turn {event.to_turn}"
    if isinstance(event, UserMessage):
        return f"USER (auditor): {event.content}"
    if isinstance(event, TargetReply):
        calls = "".join(
            f"\n  calls {c.function}({json.dumps(c.arguments)})" for c in event.tool_calls
        )
        return f"TARGET: {event.content}{calls}"
    if isinstance(event, ToolResult):
        body = f"ERROR {event.error}" if event.error else event.content
        return f"TOOL RESULT {event.function} (auditor): {body}"
    if isinstance(event, TargetError):
        return f"TARGET CALL FAILED: {event.message}"
    if isinstance(event, AuditEnd):
        return f"AUDIT ENDED: {event.reason}"
    raise TypeError(f"unknown event {event!r}")


def transcript_text(transcript: Transcript) -> str:
    """The transcript as numbered lines; citations refer to these numbers."""
    return "\n".join(f"[{i}] {event_text(e)}" for i, e in enumerate(transcript.events))
