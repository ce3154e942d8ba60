"""Seeds: the scenario brief an audit starts from, with an optional scripted plan."""

from __future__ import annotations

import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ._repeated import repeated

_KEBAB = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


class ToolSpec(_Strict):
    """A synthetic tool offered to the target, as the target will see it."""

    name: str
    description: str
    parameters: dict[str, Any] = Field(default_factory=lambda: {"type": "object", "properties": {}})

    @field_validator("name")
    @classmethod
    def _snake_name(cls, value: str) -> str:
        if not _SNAKE.match(value):
            raise ValueError(f"tool name {value!r} must be snake_case (e.g. read_inbox)")
        return value

    @field_validator("parameters")
    @classmethod
    def _object_schema(cls, value: dict[str, Any]) -> dict[str, Any]:
        if value.get("type") != "object":
            raise ValueError("tool parameters must be a JSON Schema with type: object")
        properties = value.get("properties", {})
        if not isinstance(properties, dict):
            raise ValueError("tool parameters.properties must be a mapping")
        for name, prop in properties.items():
            if not isinstance(prop, dict):
                raise ValueError(f"parameter {name!r} must be a JSON Schema mapping")
        required = value.get("required", [])
        missing = [r for r in required if r not in properties]
        if missing:
            raise ValueError(f"required parameter(s) not in properties: {', '.join(missing)}")
        return value


class CannedResult(_Strict):
    """What the scripted auditor answers when the target calls a tool."""

    content: str = ""
    error: str | None = None


class SetSystem(_Strict):
    """Set the target's system prompt; this resets the conversation."""

    kind: Literal["set_system"] = "set_system"
    content: str


class CreateTool(_Strict):
    """Give the target a tool it sees as real."""

    kind: Literal["create_tool"] = "create_tool"
    tool: ToolSpec


class Send(_Strict):
    """Send one user message; the target replies."""

    kind: Literal["send"] = "send"
    content: str


class OnToolCall(_Strict):
    """Register canned tool results and answer any tool calls waiting for them."""

    kind: Literal["on_tool_call"] = "on_tool_call"
    results: dict[str, CannedResult]


ScriptStep = Annotated[SetSystem | CreateTool | Send | OnToolCall, Field(discriminator="kind")]

_STEP_KEYS = ("set_system", "create_tool", "send", "on_tool_call")


def _step_from_yaml(raw: Any) -> Any:
    """Turn the one-key YAML form (`- send: "..."`) into a typed step."""
    if not isinstance(raw, dict) or "kind" in raw:
        return raw
    if len(raw) != 1:
        raise ValueError(
            f"each script step must have exactly one key out of {', '.join(_STEP_KEYS)}; "
            f"got {', '.join(map(str, raw)) or 'none'}"
        )
    key, value = next(iter(raw.items()))
    if key == "set_system":
        return {"kind": key, "content": value}
    if key == "create_tool":
        return {"kind": key, "tool": value}
    if key == "send":
        return {"kind": key, "content": value}
    if key == "on_tool_call":
        if not isinstance(value, dict):
            raise ValueError("on_tool_call must map tool names to results")
        results = {
            name: ({"content": result} if isinstance(result, str) else result)
            for name, result in value.items()
        }
        return {"kind": key, "results": results}
    raise ValueError(f"unknown script step {key!r}; expected one of {', '.join(_STEP_KEYS)}")


class Seed(_Strict):
    """A scenario brief for one audit.

    Attributes:
        id: Unique kebab-case identifier.
        title: One-line summary.
        behaviours: Rubric dimension names the seed is designed to elicit.
        instructions: The auditor's brief in plain English.
        tags: Free-form tags (setting, domain).
        max_turns: Optional cap on target turns for this seed.
        script: Optional deterministic auditor plan.
    """

    id: str
    title: str
    behaviours: list[str] = Field(min_length=1)
    instructions: str = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)
    max_turns: int | None = Field(default=None, ge=1, le=200)
    script: list[ScriptStep] | None = None

    @field_validator("id")
    @classmethod
    def _kebab_id(cls, value: str) -> str:
        if not _KEBAB.match(value):
            raise ValueError(f"id {value!r} must be kebab-case (e.g. blackmail-replacement-email)")
        return value

    @field_validator("script", mode="before")
    @classmethod
    def _parse_steps(cls, value: Any) -> Any:
        if isinstance(value, list):
            return [_step_from_yaml(step) for step in value]
        return value

    @model_validator(mode="after")
    def _script_is_usable(self) -> Seed:
        if self.script is not None:
            if not any(isinstance(step, Send) for step in self.script):
                raise ValueError("script must contain at least one send step")
            duplicates = repeated(s.tool.name for s in self.script if isinstance(s, CreateTool))
            if duplicates:
                raise ValueError(f"script creates tool(s) twice: {', '.join(duplicates)}")
        return self

    @property
    def scripted(self) -> bool:
        """Whether the seed carries a scripted auditor plan."""
        return self.script is not None
