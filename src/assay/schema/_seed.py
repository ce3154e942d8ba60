"""Seeds: the scenario brief an audit starts from, with an optional scripted plan."""

from __future__ import annotations

import json
import re
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

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


def _result_from_yaml(value: Any) -> Any:
    """A result written as a plain string is its content."""
    return {"content": value} if isinstance(value, str) else value


def argument_key(value: Any) -> str:
    """The text an argument value selects an answer by: a string as is, else its JSON."""
    return value if isinstance(value, str) else json.dumps(value, sort_keys=True)


class ReplayAnswer(_Strict):
    """One tool call an earlier audit's auditor answered (written by `seeds from-audit`).

    Attributes:
        args: The arguments the target called the tool with.
        result: What the auditor answered; None when it gave no answer (the call
            waits, and the next message closes it).
    """

    args: dict[str, Any] = Field(default_factory=dict)
    result: CannedResult | None = None

    @field_validator("result", mode="before")
    @classmethod
    def _plain_result(cls, value: Any) -> Any:
        return _result_from_yaml(value)


class ToolEnvironment(_Strict):
    """What stands behind one of the target's tools in a scripted audit.

    A call is answered, in this order, by: the first unused `replay` answer recorded
    with exactly the call's arguments; `answers[call[key]]` (as earlier writes left
    it); the next unused `replay` answer; `default`. With none of them the call waits.

    Attributes:
        key: The tool parameter whose value selects the answer.
        answers: Result per value of `key`: a string, or `{error: TEXT}`.
        default: Result when nothing else answers.
        writes: Another environment tool whose `answers` a call to this one changes:
            it sets `answers[call[key]]` of that tool to `call[value]`.
        value: The parameter holding what a write stores.
        replay: Recorded answers from an earlier audit, used once each, in order.
    """

    key: str | None = None
    answers: dict[str, CannedResult] = Field(default_factory=dict)
    default: CannedResult | None = None
    writes: str | None = None
    value: str | None = None
    replay: list[ReplayAnswer] = Field(default_factory=list)

    @field_validator("answers", mode="before")
    @classmethod
    def _plain_answers(cls, value: Any) -> Any:
        if isinstance(value, dict):
            return {argument_key(k): _result_from_yaml(v) for k, v in value.items()}
        return value

    @field_validator("default", mode="before")
    @classmethod
    def _plain_default(cls, value: Any) -> Any:
        return _result_from_yaml(value)

    @model_validator(mode="after")
    def _fields_fit_together(self) -> ToolEnvironment:
        if self.answers and self.key is None:
            raise ValueError("answers need a key: the parameter whose value selects the answer")
        if self.writes is not None and (self.key is None or self.value is None):
            raise ValueError("writes needs key (where to write) and value (what to write)")
        if self.value is not None and self.writes is None:
            raise ValueError("value needs writes: the tool whose answers the write changes")
        return self


class SetSystem(_Strict):
    """Set the target's system prompt; this resets the conversation."""

    kind: Literal["set_system"] = "set_system"
    content: str


class CreateTool(_Strict):
    """Give the target a tool it sees as real."""

    kind: Literal["create_tool"] = "create_tool"
    tool: ToolSpec
    notes: str | None = None
    """Private notes on what stands behind the tool (never shown to the target)."""


class Send(_Strict):
    """Send one user message; the target replies, starting with `prefill` if set."""

    kind: Literal["send"] = "send"
    content: str
    prefill: str | None = None


class RemoveTool(_Strict):
    """Take a tool away from the target."""

    kind: Literal["remove_tool"] = "remove_tool"
    name: str


class RollbackTo(_Strict):
    """Rewind the conversation: to just after user turn `to_turn` (0: the system
    prompt), or to just after transcript event `to_event` (inside a tool round too)."""

    kind: Literal["rollback"] = "rollback"
    to_turn: int | None = Field(default=None, ge=0)
    to_event: int | None = Field(default=None, ge=0)

    @model_validator(mode="after")
    def _one_point(self) -> RollbackTo:
        if (self.to_turn is None) == (self.to_event is None):
            raise ValueError("rollback takes exactly one of to_turn and to_event")
        return self


class Resume(_Strict):
    """Let the target reply to its conversation as it stands (after a rollback)."""

    kind: Literal["resume"] = "resume"
    prefill: str | None = None


class RestartConversation(_Strict):
    """Wipe the conversation, system prompt included; `keep_tools: false` removes tools."""

    kind: Literal["restart"] = "restart"
    keep_tools: bool = True


class OnToolCall(_Strict):
    """Register canned tool results and answer any tool calls waiting for them."""

    kind: Literal["on_tool_call"] = "on_tool_call"
    results: dict[str, CannedResult]


ScriptStep = Annotated[
    SetSystem
    | CreateTool
    | Send
    | OnToolCall
    | RemoveTool
    | RollbackTo
    | Resume
    | RestartConversation,
    Field(discriminator="kind"),
]

_STEP_KEYS = (
    "set_system",
    "create_tool",
    "send",
    "on_tool_call",
    "remove_tool",
    "rollback",
    "resume",
    "restart",
)


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
        if isinstance(value, dict) and "notes" in value:
            tool = {k: v for k, v in value.items() if k != "notes"}
            return {"kind": key, "tool": tool, "notes": value["notes"]}
        return {"kind": key, "tool": value}
    if key == "send":
        return {"kind": key, **(value if isinstance(value, dict) else {"content": value})}
    if key == "remove_tool":
        return {"kind": key, "name": value}
    if key == "rollback":
        return {"kind": key, **(value if isinstance(value, dict) else {"to_turn": value})}
    if key in ("resume", "restart"):
        if value is not None and not isinstance(value, dict):
            raise ValueError(f"{key} takes a mapping of options (or nothing), not {value!r}")
        return {"kind": key, **(value or {})}
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
        environment: What stands behind the script's tools, per tool name.
    """

    id: str
    title: str
    behaviours: list[str] = Field(min_length=1)
    instructions: str = Field(min_length=1)
    tags: list[str] = Field(default_factory=list)
    max_turns: int | None = Field(default=None, ge=1, le=200)
    script: list[ScriptStep] | None = None
    environment: dict[str, ToolEnvironment] = Field(default_factory=dict)

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
            _check_script(self.script, self.environment)
        elif self.environment:
            raise ValueError("environment needs a script: the scripted auditor answers from it")
        return self

    @property
    def scripted(self) -> bool:
        """Whether the seed carries a scripted auditor plan."""
        return self.script is not None


def _check_script(script: list[ScriptStep], environment: dict[str, ToolEnvironment]) -> None:
    """Check that each step makes sense where it stands, and the environment fits the tools."""
    if not any(isinstance(step, Send) for step in script):
        raise ValueError("script must contain at least one send step")
    created: dict[str, list[ToolSpec]] = {}
    live: set[str] = set()
    turns: int | None = 0  # user turns in the conversation; None: unknown here
    for number, step in enumerate(script, start=1):
        where = f"script step {number} ({step.kind})"
        if isinstance(step, SetSystem | RestartConversation):
            turns = 0
            if isinstance(step, RestartConversation) and not step.keep_tools:
                live.clear()
        elif isinstance(step, CreateTool):
            created.setdefault(step.tool.name, []).append(step.tool)
            live.add(step.tool.name)
        elif isinstance(step, RemoveTool):
            if step.name not in live:
                raise ValueError(
                    f"{where}: the target has no tool {step.name!r} at that point; "
                    "create it in an earlier step"
                )
            live.discard(step.name)
        elif isinstance(step, Send):
            turns = None if turns is None else turns + 1
        elif isinstance(step, RollbackTo):
            # After a rollback to an event the turn count depends on the target.
            if step.to_turn is not None and turns is not None and step.to_turn > turns:
                raise ValueError(
                    f"{where}: to_turn {step.to_turn} is beyond the {turns} user turn(s) "
                    "sent since the last set_system"
                )
            turns = step.to_turn
        elif isinstance(step, OnToolCall):
            clash = sorted(name for name in step.results if name in environment)
            if clash:
                raise ValueError(
                    f"{where}: {', '.join(clash)} answered by environment.{clash[0]} too; "
                    "give each tool its answers in one place"
                )
    for name, env in environment.items():
        if name not in created:
            raise ValueError(
                f"environment.{name}: the script creates no tool {name!r}; "
                "add a create_tool step for it or remove the entry"
            )
        for field in ("key", "value"):
            parameter = getattr(env, field)
            for spec in created[name] if parameter is not None else []:
                known = spec.parameters.get("properties", {})
                if parameter not in known:
                    raise ValueError(
                        f"environment.{name}.{field}: {parameter!r} is not a parameter of tool "
                        f"{name} (its parameters: {', '.join(known) or 'none'})"
                    )
        if env.writes is not None:
            written = environment.get(env.writes)
            if written is None or written.key is None:
                raise ValueError(
                    f"environment.{name}.writes: {env.writes!r} needs its own environment "
                    "entry with a key, so that the write has somewhere to go"
                )
