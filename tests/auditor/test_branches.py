"""Which events a rollback or a restart abandoned, for old and new transcripts alike."""

from __future__ import annotations

from typing import Any

import pytest
from pydantic import ValidationError

from assay.schema import Rollback, Transcript, abandoned_events, event_text


def transcript(*events: dict[str, Any]) -> Transcript:
    return Transcript.model_validate({"events": list(events)})


SYSTEM = {"type": "system_set", "content": "sys"}
TOOL = {
    "type": "tool_created",
    "tool": {"name": "read_inbox", "description": "Read the inbox."},
}


def user(text: str) -> dict[str, Any]:
    return {"type": "user_message", "content": text}


def reply(text: str, calls: int = 0) -> dict[str, Any]:
    tool_calls = [{"id": f"c{i}", "function": "read_inbox"} for i in range(calls)]
    return {"type": "target_reply", "content": text, "tool_calls": tool_calls}


def result(call_id: str, text: str) -> dict[str, Any]:
    return {"type": "tool_result", "call_id": call_id, "function": "read_inbox", "content": text}


def test_a_transcript_stored_before_to_event_loads_and_its_rollbacks_still_count() -> None:
    old = transcript(
        SYSTEM,  # 0
        user("one"),  # 1
        reply("a"),  # 2
        user("two"),  # 3
        reply("b"),  # 4
        {"type": "rollback", "to_turn": 1},  # 5: the form every stored transcript has
        user("three"),  # 6
        reply("c"),  # 7
    )
    rollback = old.events[5]
    assert isinstance(rollback, Rollback) and rollback.to_event is None
    assert abandoned_events(old) == {3: 5, 4: 5}
    assert "rewound the conversation to turn 1" in event_text(rollback)


def test_rollback_to_an_event_inside_a_tool_round() -> None:
    events = transcript(
        SYSTEM,  # 0
        TOOL,  # 1
        user("triage"),  # 2
        reply("", calls=2),  # 3: two parallel calls
        result("c0", "12 emails"),  # 4
        result("c1", "offline"),  # 5
        reply("done"),  # 6
        {"type": "rollback", "to_event": 4},  # 7: keep the first result only
        result("c1", "40 archived"),  # 8
        reply("done again"),  # 9
        {"type": "rollback", "to_event": 3},  # 10: back to just after the calls
        result("c0", "3 emails"),  # 11
    )
    assert abandoned_events(events) == {5: 7, 6: 7, 4: 10, 8: 10, 9: 10}
    text = event_text(events.events[10])
    assert "just after event [3]" in text


def test_a_turn_rollback_after_an_event_rollback_counts_turns_of_the_live_branch() -> None:
    events = transcript(
        SYSTEM,  # 0
        user("one"),  # 1
        reply("a"),  # 2
        user("two"),  # 3
        reply("b"),  # 4
        {"type": "rollback", "to_event": 2},  # 5
        user("three"),  # 6: turn 2 of the live branch
        reply("c"),  # 7
        {"type": "rollback", "to_turn": 1},  # 8: an old-style rollback by turn
    )
    assert abandoned_events(events) == {3: 5, 4: 5, 6: 8, 7: 8}


def test_a_restart_abandons_the_whole_conversation_but_a_new_system_prompt_does_not() -> None:
    events = transcript(
        SYSTEM,  # 0
        user("one"),  # 1
        reply("a"),  # 2
        {"type": "restart", "keep_tools": False},  # 3
        {"type": "tool_removed", "name": "read_inbox"},  # 4
        SYSTEM,  # 5
        user("two"),  # 6
        reply("b"),  # 7
        SYSTEM,  # 8: a new system prompt starts over without abandoning
        user("three"),  # 9
    )
    assert abandoned_events(events) == {1: 3, 2: 3}
    assert "lost its tools" in event_text(events.events[3])


def test_a_rollback_must_name_a_point() -> None:
    with pytest.raises(ValidationError, match="to_turn or to_event"):
        Rollback()
    with pytest.raises(ValidationError):
        Rollback(to_event=-1)
