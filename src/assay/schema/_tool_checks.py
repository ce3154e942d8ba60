"""Checks of the target's tool calls against the tools it had been given."""

from __future__ import annotations

from typing import Any

from ._seed import ToolSpec
from ._transcript import TargetReply, ToolCreated, ToolRemoved, Transcript

MALFORMED_TOOL_CALLS = "malformed_tool_calls"
"""The key under which an audit's details carry its count of malformed target tool
calls, so reports count them without reading the transcript (the store sets it)."""


def arguments_fit(spec: ToolSpec, arguments: dict[str, Any]) -> bool:
    """Whether `arguments` are ones the tool takes: no unknown ones (unless the tool
    allows extra properties), every required one present."""
    params = spec.parameters
    properties = params.get("properties") or {}
    extra_allowed = params.get("additionalProperties", False) is not False
    if not extra_allowed and not set(arguments) <= set(properties):
        return False
    return set(params.get("required") or []) <= set(arguments)


def malformed_tool_calls(transcript: Transcript) -> int:
    """Target tool calls naming a tool it did not have, or with arguments the tool
    does not take (unknown or missing required ones; unparseable arguments arrive
    empty)."""
    tools: dict[str, ToolSpec] = {}
    count = 0
    for event in transcript.events:
        if isinstance(event, ToolCreated):
            tools[event.tool.name] = event.tool
        elif isinstance(event, ToolRemoved):
            tools.pop(event.name, None)
        elif isinstance(event, TargetReply):
            for call in event.tool_calls:
                spec = tools.get(call.function)
                count += spec is None or not arguments_fit(spec, call.arguments)
    return count
