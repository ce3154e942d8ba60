"""A plain-text tool-calling protocol for models without native tool support.

Tools are described in the system prompt; the model calls one by writing
`<tool_call>{"name": ..., "arguments": {...}}</tool_call>`; results come back as
user turns. The embedded model uses this because its chat template has no tools.
"""

from __future__ import annotations

import json
import re
from typing import Any

from inspect_ai.model import (
    ChatMessage,
    ChatMessageAssistant,
    ChatMessageSystem,
    ChatMessageTool,
)
from inspect_ai.tool import ToolCall, ToolInfo

_CALL = re.compile(r"<tool_call>\s*(\{.*?\})\s*</tool_call>", re.DOTALL)


def tools_preamble(tools: list[ToolInfo]) -> str:
    """Describe the tools and the calling convention, for the system prompt."""
    lines = [
        "You can use these tools. To call one, write exactly:",
        '<tool_call>{"name": "TOOL_NAME", "arguments": {...}}</tool_call>',
        "Tools:",
    ]
    for tool in tools:
        params = tool.parameters.model_dump(exclude_none=True).get("properties", {})
        lines.append(f"- {tool.name}: {tool.description} Arguments: {json.dumps(params)}")
    return "\n".join(lines)


def render_call(name: str, arguments: dict[str, Any]) -> str:
    """The text form of one tool call."""
    return f"<tool_call>{json.dumps({'name': name, 'arguments': arguments})}</tool_call>"


def parse_calls(text: str, tools: list[ToolInfo]) -> tuple[str, list[ToolCall]]:
    """Split model text into its prose and the well-formed calls to known tools."""
    known = {t.name for t in tools}
    calls: list[ToolCall] = []
    for index, match in enumerate(_CALL.finditer(text)):
        try:
            payload = json.loads(match.group(1))
        except json.JSONDecodeError:
            continue
        name = payload.get("name") if isinstance(payload, dict) else None
        args = payload.get("arguments", {}) if isinstance(payload, dict) else {}
        if name in known and isinstance(args, dict):
            calls.append(ToolCall(id=f"call_{index}", function=name, arguments=args))
    prose = _CALL.sub("", text).strip() if calls else text.strip()
    return prose, calls


def to_chat_dicts(messages: list[ChatMessage], tools: list[ToolInfo]) -> list[dict[str, str]]:
    """Convert Inspect messages to plain role/content dicts, tools rendered as text."""
    out: list[dict[str, str]] = []
    preamble = tools_preamble(tools) if tools else ""
    for message in messages:
        if isinstance(message, ChatMessageSystem):
            text = message.text + (f"\n\n{preamble}" if preamble else "")
            out.append({"role": "system", "content": text})
            preamble = ""
        elif isinstance(message, ChatMessageTool):
            status = f"error: {message.error.message}" if message.error else message.text
            out.append(
                {"role": "user", "content": f"[tool result for {message.function}] {status}"}
            )
        elif isinstance(message, ChatMessageAssistant):
            calls = [render_call(c.function, c.arguments) for c in message.tool_calls or []]
            out.append({"role": "assistant", "content": "\n".join([message.text, *calls]).strip()})
        else:
            out.append({"role": "user", "content": message.text})
    if preamble:
        out.insert(0, {"role": "system", "content": preamble})
    return _merge_consecutive(out)


def _merge_consecutive(messages: list[dict[str, str]]) -> list[dict[str, str]]:
    # Small chat templates expect alternating roles; join runs of the same role.
    merged: list[dict[str, str]] = []
    for message in messages:
        if merged and merged[-1]["role"] == message["role"] != "system":
            merged[-1] = {
                "role": message["role"],
                "content": merged[-1]["content"] + "\n\n" + message["content"],
            }
        else:
            merged.append(message)
    return merged
