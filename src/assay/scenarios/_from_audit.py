"""A finding becomes a regression test: a stored audit turned into a replaying seed.

The seed's script repeats the auditor's side of the audit step by step (system
prompts, tools created and removed, user messages, prefills, rollbacks, restarts)
and its environment gives back the tool results the auditor gave, keyed by the
arguments of the calls they answered. Run with the scripted auditor on the same
target, it reproduces the audit; on the next release, the same probe runs offline.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from pydantic import ValidationError

from ..errors import InputError, Problem
from ..schema import (
    SCORE_MIN,
    AuditEnd,
    AuditRecord,
    Prefill,
    Restart,
    Rollback,
    Rubric,
    Seed,
    SystemSet,
    TargetError,
    TargetReply,
    ToolCall,
    ToolCreated,
    ToolRemoved,
    ToolResult,
    TranscriptEvent,
    UserMessage,
)
from ._load import known_seeds

if TYPE_CHECKING:
    from ..store import Store

REPLAY_TAG = "replay"
"""The tag every seed written from an audit carries."""
MAX_BEHAVIOURS = 3
"""How many of an audit's highest-scored dimensions name a replay's behaviours."""
_MAX_TURNS = 200  # the most a seed may ask for
_NOT_BEHAVIOURS = {"audit_quality", "positive"}  # rubric tags of dimensions no seed probes


def seed_from_audit(
    record: AuditRecord, original: Seed | None = None, rubric: Rubric | None = None
) -> Seed:
    """A scripted seed that replays the auditor's side of `record` exactly.

    Args:
        record: A stored audit, typically run by an LLM auditor.
        original: The seed the audit ran, when known: its behaviours, brief and tags
            carry over.
        rubric: Names the behaviours when `original` is unknown: the audit's
            highest-scored dimensions of this rubric (default: the shipped one).

    Raises:
        InputError: The audit has no transcript events to replay, or its auditor
            never sent the target a message.
    """
    where = f"audit {record.id}"
    events = record.transcript.events
    if not events:
        raise InputError(
            "audit",
            [
                Problem(
                    where,
                    "has no transcript events to replay (was it stored before "
                    "transcripts were kept?)",
                    field="transcript",
                )
            ],
        )
    if not any(isinstance(e, UserMessage) for e in events):
        raise InputError(
            "audit",
            [
                Problem(
                    where,
                    "its auditor never sent the target a message: there is nothing to replay",
                    field="transcript",
                )
            ],
        )
    script, environment = _replay_plan(events)
    generations = sum(isinstance(e, TargetReply | TargetError) for e in events)
    data: dict[str, Any] = {
        "id": _replay_id(record),
        "title": f"Replay of audit {record.id} on {record.target}: "
        + (original.title if original else record.seed_id),
        "behaviours": original.behaviours if original else _top_behaviours(record, rubric),
        "tags": list(dict.fromkeys([*(original.tags if original else []), REPLAY_TAG])),
        "instructions": _instructions(record, original),
    }
    if generations:
        data["max_turns"] = min(generations, _MAX_TURNS)
    data["script"] = script
    if environment:
        data["environment"] = environment
    # Validated here, so a replay that would not load is never written.
    try:
        return Seed.model_validate(data)
    except ValidationError as exc:
        first = exc.errors()[0]
        raise InputError(
            "audit",
            [Problem(where, f"cannot be written as a seed: {first['msg']}", field="transcript")],
        ) from None


def replay_seed(store: Store, audit_id: int) -> Seed:
    """The replaying seed of the audit stored under `audit_id` (see `seed_from_audit`).

    The original seed is looked up by id in the shipped library and in the seed
    files the audit's run named.

    Raises:
        InputError: No audit has this id, or it has nothing to replay.
    """
    record = store.audit(audit_id)
    if record is None:
        raise InputError(
            "audit",
            [
                Problem(
                    str(audit_id),
                    f"no audit with this id in {store.safe_url}; `assay view` lists the "
                    "stored audits with their ids",
                    field="AUDIT",
                )
            ],
        )
    return seed_from_audit(record, _original_seed(store, record))


def _original_seed(store: Store, record: AuditRecord) -> Seed | None:
    run = store.find_run(record.run_id)
    entries = run.config.get("seeds") or [] if run is not None else []
    return next((s for s in known_seeds(entries) if s.id == record.seed_id), None)


def write_replay_seed(seed: Seed, path: Path) -> Path:
    """Write `seed` as a YAML file `assay seeds validate` accepts; returns the path.

    A folder (existing, or a path without a .yaml/.yml suffix) gets `<seed id>.yaml`.
    """
    if path.is_dir() or path.suffix not in (".yaml", ".yml"):
        path = path / f"{seed.id}.yaml"
    path.parent.mkdir(parents=True, exist_ok=True)
    text = yaml.dump([_plain(seed)], Dumper=_BlockDumper, sort_keys=False, allow_unicode=True)
    path.write_text(text, encoding="utf-8")
    return path


def _replay_plan(events: Sequence[TranscriptEvent]) -> tuple[list[Any], dict[str, Any]]:
    """The script steps and the environment (recorded answers) that replay `events`."""
    from ..auditor import MAX_TOOL_ROUNDS, NO_RESULT

    steps: list[Any] = []
    created: set[str] = set()
    answers: dict[str, list[dict[str, Any]]] = {}
    calls: dict[str, ToolCall] = {}
    pending: list[str] = []  # ids of the calls waiting for a result, as the target sees it
    pending_at: dict[int, tuple[str, ...]] = {}  # the waiting calls just after each event
    rounds = 0  # target replies since the last step that answers tool calls
    removing = False  # inside the tool removals a restart without tools records

    def record(call_id: str, result: dict[str, Any] | None) -> None:
        call = calls.get(call_id)
        if call is not None:
            answers.setdefault(call.function, []).append({"args": call.arguments, "result": result})

    def drop_pending() -> None:
        for call_id in pending:
            record(call_id, None)
        pending.clear()

    previous: TranscriptEvent | None = None
    for index, event in enumerate(events):
        removing = removing and isinstance(event, ToolRemoved)
        if isinstance(event, SystemSet):
            drop_pending()
            steps.append({"set_system": event.content})
        elif isinstance(event, ToolCreated):
            tool = event.tool.model_dump(mode="json")
            if event.environment:
                tool["notes"] = event.environment
            steps.append({"create_tool": tool})
            created.add(event.tool.name)
        elif isinstance(event, ToolRemoved):
            if not removing:
                steps.append({"remove_tool": event.name})
        elif isinstance(event, Restart):
            drop_pending()
            steps.append({"restart": {"keep_tools": event.keep_tools}})
            removing = not event.keep_tools
        elif isinstance(event, UserMessage):
            steps.append({"send": event.content})
            rounds = 0
        elif isinstance(event, Prefill):
            if isinstance(previous, UserMessage):
                steps[-1] = {"send": {"content": previous.content, "prefill": event.content}}
            else:
                steps.append({"resume": {"prefill": event.content}})
                rounds = 0
        elif isinstance(event, TargetReply | TargetError):
            if isinstance(previous, ToolResult):
                rounds += 1
                if rounds > MAX_TOOL_ROUNDS:  # the scripted auditor needs a new step
                    steps.append({"on_tool_call": {}})
                    rounds = 1
            elif not isinstance(previous, UserMessage | Prefill):
                steps.append({"resume": {}})
                rounds = 0
            if isinstance(event, TargetReply):
                calls.update((c.id, c) for c in event.tool_calls)
                pending[:] = [c.id for c in event.tool_calls]
        elif isinstance(event, ToolResult):
            if event.call_id in pending:
                pending.remove(event.call_id)
            # A call left waiting is closed with NO_RESULT by the next message: that
            # result is the session's, not the auditor's.
            closed = event.error == NO_RESULT and not event.content
            result = None if closed else _result(event)
            record(event.call_id, result)
        elif isinstance(event, Rollback):
            drop_pending()
            # By turn where the auditor gave one: that holds whatever the target does.
            point = (
                {"to_turn": event.to_turn}
                if event.to_turn is not None
                else {"to_event": event.to_event}
            )
            steps.append({"rollback": point})
            pending[:] = pending_at.get(event.to_event, ()) if event.to_event is not None else []
            rounds = 0
        elif isinstance(event, AuditEnd):
            drop_pending()
        pending_at[index] = tuple(pending)
        previous = event
    environment = {
        name: {"replay": entries} for name, entries in answers.items() if name in created
    }
    return steps, environment


def _result(event: ToolResult) -> Any:
    return {"error": event.error} if event.error is not None else event.content


def _replay_id(record: AuditRecord) -> str:
    base = re.sub(r"[^a-z0-9]+", "-", record.seed_id.lower()).strip("-") or "audit"
    return f"{base}-replay-{record.id}"


def _instructions(record: AuditRecord, original: Seed | None) -> str:
    text = (
        f"Replays the auditor's side of audit {record.id} (run {record.run_id}, seed "
        f"{record.seed_id}, target {record.target}, auditor {record.auditor}) exactly, "
        "as written by `assay seeds from-audit`. Run it with `--auditor scripted`."
    )
    if original is not None:
        text += "\n\nThe original brief:\n\n" + original.instructions
    return text


def _top_behaviours(record: AuditRecord, rubric: Rubric | None) -> list[str]:
    """The audit's highest-scored behaviour dimensions (the best judge score of each)."""
    if rubric is None:
        from ..judge import load_rubric

        rubric = load_rubric()
    probed = {
        d.name
        for d in rubric.dimensions
        if d.higher_is == "worse" and not _NOT_BEHAVIOURS & set(d.tags)
    }
    best: dict[str, int] = {}
    for verdict in record.verdicts:
        if verdict.status != "ok":
            continue
        for name, score in verdict.scores.items():
            if name in probed and score.score > SCORE_MIN:
                best[name] = max(best.get(name, SCORE_MIN), score.score)
    ranked = sorted(best, key=lambda name: (-best[name], name))
    return ranked[:MAX_BEHAVIOURS] or ["concerning"]


def _plain(seed: Seed) -> dict[str, Any]:
    """The seed as YAML data, with each script step in its one-key form."""
    dumped = seed.model_dump(mode="json", exclude_none=True)
    data = {key: value for key, value in dumped.items() if value not in ([], {})}
    data["script"] = [_step(step) for step in data.get("script", [])]
    for name, env in data.get("environment", {}).items():
        data["environment"][name] = env = {k: v for k, v in env.items() if v not in ([], {})}
        for entry in env.get("replay", []):
            if "result" in entry:
                entry["result"] = _short(entry["result"])
    return data


def _short(result: dict[str, Any]) -> Any:
    """A result as seeds write it: plain text, or `{error: TEXT}`."""
    return result if "error" in result else result.get("content", "")


def _step(step: dict[str, Any]) -> dict[str, Any]:
    kind = step.pop("kind")
    if kind == "set_system":
        return {kind: step["content"]}
    if kind == "create_tool":
        return {kind: {**step["tool"], **({"notes": step["notes"]} if "notes" in step else {})}}
    if kind == "send" and set(step) == {"content"}:
        return {kind: step["content"]}
    if kind == "remove_tool":
        return {kind: step["name"]}
    if kind == "on_tool_call":
        return {kind: step.get("results", {})}
    return {kind: step}


class _BlockDumper(yaml.SafeDumper):
    """Multi-line text as YAML block scalars, so a replay seed reads like a hand-written one."""


def _text(dumper: yaml.SafeDumper, value: str) -> yaml.ScalarNode:
    style = "|" if "\n" in value else None
    return dumper.represent_scalar("tag:yaml.org,2002:str", value, style=style)


_BlockDumper.add_representer(str, _text)
