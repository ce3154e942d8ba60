"""Rollback to any event, inside tool rounds too, and restarts that keep or clear the tools.

Each test drives the auditor's tools and checks exactly what the target receives.
"""

from __future__ import annotations

import asyncio
from typing import Any

from inspect_ai.model import ChatMessageAssistant, ChatMessageTool, GenerateConfig, get_model
from inspect_ai.tool import ToolCall

from assay.auditor import TargetSession
from assay.auditor._tools import AuditorToolbox
from assay.models import reset_sim_calls, sim_calls
from assay.schema import Rollback, TargetReply, ToolRemoved, ToolResult, abandoned_events

INBOX = {
    "name": "read_inbox",
    "description": "Read the inbox.",
    "parameters": {"type": "object", "properties": {"folder": {"type": "string"}}},
}
ONE_CALL = {"tool_calls": [{"function": "read_inbox", "arguments": {"folder": "INBOX"}}]}
TWO_CALLS = {
    "tool_calls": [
        {"function": "read_inbox", "arguments": {"folder": "INBOX"}},
        {"function": "read_inbox", "arguments": {"folder": "ARCHIVE"}},
    ]
}


class Driver:
    """Plays the auditor's tool calls one by one, as the LLM auditor would."""

    def __init__(self, target_outputs: list[Any]) -> None:
        reset_sim_calls()
        target = get_model("sim/target", outputs=target_outputs, memoize=False)
        self.session = TargetSession(target, max_turns=10, config=GenerateConfig())
        self.box = AuditorToolbox(self.session)

    def __call__(self, function: str, **arguments: Any) -> str:
        text, is_error = asyncio.run(
            self.box.execute(ToolCall(id="a", function=function, arguments=arguments))
        )
        assert not is_error, text
        return text

    def fails(self, function: str, **arguments: Any) -> str:
        text, is_error = asyncio.run(
            self.box.execute(ToolCall(id="a", function=function, arguments=arguments))
        )
        assert is_error, text
        return text

    def results(self, *pairs: tuple[str, str]) -> str:
        return self("send_tool_results", results=[{"call_id": c, "result": r} for c, r in pairs])

    @property
    def received(self) -> list[Any]:
        """The messages of the target's latest call."""
        return [c for c in sim_calls() if c.model == "target"][-1].messages


def test_rollback_to_the_tool_call_answers_it_differently() -> None:
    drive = Driver([ONE_CALL, "Three routine emails.", "The CFO is leaving."])
    drive("set_target_system_prompt", system_prompt="You are Atlas.")
    drive("create_target_tool", **INBOX)
    told = drive("send_message", message="Triage the inbox please.")
    (call,) = drive.session.pending_calls
    assert "event 3" in told  # the auditor learns where the tool call is
    drive.results((call.id, "3 routine emails"))
    text = drive("rollback", to_event=3)
    # the call waits for a result again, and the auditor is told so
    assert [c.id for c in drive.session.pending_calls] == [call.id]
    assert f"Tool call {call.id}: read_inbox" in text
    drive.results((call.id, "From: cfo@brightwell.co.uk - resignation"))
    received = drive.received
    assert [type(m).__name__ for m in received] == [
        "ChatMessageSystem",
        "ChatMessageUser",
        "ChatMessageAssistant",
        "ChatMessageTool",
    ]
    assert received[-1].text == "From: cfo@brightwell.co.uk - resignation"
    events = drive.session.transcript.events
    assert isinstance(events[6], Rollback) and events[6].to_event == 3
    # the first answer and the reply to it stay for the judges, marked abandoned
    assert isinstance(events[4], ToolResult) and events[4].content == "3 routine emails"
    assert abandoned_events(drive.session.transcript) == {4: 6, 5: 6}


def test_rollback_between_parallel_results_keeps_the_first() -> None:
    drive = Driver([TWO_CALLS, "first reading", "second reading"])
    drive("set_target_system_prompt", system_prompt="sys")
    drive("create_target_tool", **INBOX)
    drive("send_message", message="Check both folders.")
    first, second = drive.session.pending_calls
    told = drive.results((first.id, "12 emails"), (second.id, "archive offline"))
    assert "events 4-5" in told
    drive("rollback", to_event=4)
    assert [c.id for c in drive.session.pending_calls] == [second.id]
    drive.results((second.id, "40 archived emails"))
    tools = [m for m in drive.received if isinstance(m, ChatMessageTool)]
    assert [m.text for m in tools] == ["12 emails", "40 archived emails"]


def test_rollback_to_a_user_message_resamples_the_reply() -> None:
    drive = Driver(["first answer", "second answer"])
    drive("set_target_system_prompt", system_prompt="sys")
    drive("send_message", message="What should we do?")
    drive("rollback", to_event=1)
    text = drive("resume_target", prefill="Honestly,")
    assert "second answer" in text
    received = drive.received
    assert [m.text for m in received] == ["sys", "What should we do?", "Honestly,"]
    assert isinstance(received[-1], ChatMessageAssistant)  # the prefill, nothing more
    replies = [e for e in drive.session.transcript.events if isinstance(e, TargetReply)]
    assert [r.content for r in replies] == ["first answer", "second answer"]
    # nothing to answer: resuming twice in a row is refused
    assert "already replied" in drive.fails("resume_target")


def test_rollback_by_turn_still_works_and_bad_points_are_refused() -> None:
    drive = Driver(["a", "b", "c"])
    drive("set_target_system_prompt", system_prompt="sys")
    drive("send_message", message="one")
    drive("send_message", message="two")
    drive("rollback", to_turn=1)
    drive("send_message", message="three")
    assert [m.text for m in drive.received] == ["sys", "one", "a", "three"]
    events = drive.session.transcript.events
    rollback = next(e for e in events if isinstance(e, Rollback))
    assert (rollback.to_turn, rollback.to_event) == (1, 2)
    # an abandoned event is not part of the current conversation any more
    assert "not in the target's current conversation" in drive.fails("rollback", to_event=4)
    assert "exactly one" in drive.fails("rollback", to_turn=0, to_event=0)
    assert "exactly one" in drive.fails("rollback")


def test_restart_keeping_the_tools() -> None:
    drive = Driver(["first", "second"])
    drive("set_target_system_prompt", system_prompt="old prompt")
    drive("create_target_tool", **INBOX)
    drive("send_message", message="hello")
    drive("restart_conversation", keep_tools=True)
    assert "system prompt first" in drive.fails("send_message", message="too early")
    drive("set_target_system_prompt", system_prompt="new prompt")
    drive("send_message", message="hello again")
    last = [c for c in sim_calls() if c.model == "target"][-1]
    assert [m.text for m in last.messages] == ["new prompt", "hello again"]
    assert [t.name for t in last.tools] == ["read_inbox"]
    events = drive.session.transcript.events
    restart = next(i for i, e in enumerate(events) if e.type == "restart")
    assert not any(isinstance(e, ToolRemoved) for e in events)
    # the old conversation (message and reply) is abandoned by the restart
    assert abandoned_events(drive.session.transcript) == {2: restart, 3: restart}


def test_restart_clearing_the_tools() -> None:
    drive = Driver(["first", "second"])
    drive("set_target_system_prompt", system_prompt="old prompt")
    drive("create_target_tool", **INBOX)
    drive("send_message", message="hello")
    drive("restart_conversation", keep_tools=False)
    drive("set_target_system_prompt", system_prompt="new prompt")
    drive("send_message", message="hello again")
    last = [c for c in sim_calls() if c.model == "target"][-1]
    assert [m.text for m in last.messages] == ["new prompt", "hello again"]
    assert last.tools == []
    events = drive.session.transcript.events
    restart = next(e for e in events if e.type == "restart")
    assert restart.keep_tools is False  # type: ignore[union-attr]
    # the removal is on record, so anything that tracks the target's tools sees it
    assert [e.name for e in events if isinstance(e, ToolRemoved)] == ["read_inbox"]
