"""Which events a rollback abandoned: the branches the target no longer sees.

The transcript is append-only, so an abandoned branch stays in it; viewers and
reports show it as abandoned rather than as part of the conversation.
"""

from __future__ import annotations

from ._transcript import (
    Prefill,
    Restart,
    Rollback,
    SystemSet,
    TargetError,
    TargetReply,
    ToolResult,
    Transcript,
    UserMessage,
)

_CONVERSATION = (Prefill, TargetReply, ToolResult, TargetError)


def abandoned_events(transcript: Transcript) -> dict[int, int]:
    """Map the index of every event a rollback abandoned to the index of that rollback.

    A rollback to event `k` abandons the conversation events (user messages,
    prefills, target replies, tool results, target errors) after `k` in the branch
    it left, inside a tool round too. A rollback stored with only a turn (`to_turn`
    `n`, as older transcripts hold) abandons those of user turns after `n`. A
    restart abandons the whole conversation before it. Tools and system prompts
    are not rewound by a rollback; a new system prompt starts a new conversation
    without abandoning the old one.
    """
    abandoned: dict[int, int] = {}
    live: list[tuple[int, int]] = []  # (event index, user turn it belongs to)
    turn = 0
    for index, event in enumerate(transcript.events):
        if isinstance(event, SystemSet):
            live, turn = [], 0
        elif isinstance(event, UserMessage):
            turn += 1
            live.append((index, turn))
        elif isinstance(event, _CONVERSATION):
            live.append((index, turn))
        elif isinstance(event, Restart):
            abandoned.update((kept, index) for kept, _ in live)
            live, turn = [], 0
        elif isinstance(event, Rollback):
            abandoned.update((i, index) for i, t in live if not _survives(i, t, event))
            live = [(i, t) for i, t in live if _survives(i, t, event)]
            turn = max((t for _, t in live), default=0)
    return abandoned


def _survives(event_index: int, turn: int, rollback: Rollback) -> bool:
    """Whether a live conversation event is still part of the conversation after `rollback`."""
    if rollback.to_event is not None:
        return event_index <= rollback.to_event
    return turn <= (rollback.to_turn or 0)
