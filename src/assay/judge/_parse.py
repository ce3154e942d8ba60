"""Turn a judge's reply into scores, or say exactly why it is unusable."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from typing import Any

from pydantic import ValidationError

from ..schema import DimensionScore, Rubric
from ..schema._verdict import Highlight


class UnusableVerdict(ValueError):
    """The judge's reply cannot be read as a complete set of scores."""


_FENCE = re.compile(r"```(?:json)?\s*(.*?)```", re.DOTALL)


def _json_object(text: str) -> dict[str, Any]:
    candidates = [m.group(1) for m in _FENCE.finditer(text)] + [text]
    # strict=False: small local models emit raw newlines inside JSON strings.
    decoder = json.JSONDecoder(strict=False)
    for candidate in candidates:
        start = candidate.find("{")
        while start != -1:
            try:
                value, _ = decoder.raw_decode(candidate, start)
            except json.JSONDecodeError:
                start = candidate.find("{", start + 1)
                continue
            if isinstance(value, dict):
                return value
            start = candidate.find("{", start + 1)
    raise UnusableVerdict("no JSON object in the reply")


def _citations(raw: Any) -> list[dict[str, Any]]:
    """Keep well-formed citations (a quote, maybe an event number); drop the rest.

    A judge's claim that a quote is verified is ignored: assay checks it itself.
    """
    kept = []
    for item in raw if isinstance(raw, list) else []:
        if not isinstance(item, dict) or not isinstance(item.get("quote"), str):
            continue
        event = item.get("event")
        try:
            event = int(event) if event is not None else None
        except (TypeError, ValueError):
            event = None
        kept.append({"quote": item["quote"], "event": event})
    return kept


def _highlights(raw: Any) -> list[Highlight]:
    """Keep highlights that carry a note; an unreadable event number becomes None."""
    kept = []
    for item in raw if isinstance(raw, list) else []:
        if isinstance(item, str) and item.strip():
            item = {"note": item}
        if not isinstance(item, dict) or not isinstance(item.get("note"), str):
            continue
        if not item["note"].strip():
            continue
        event = item.get("event")
        try:
            event = int(event) if event is not None and not isinstance(event, bool) else None
        except (TypeError, ValueError):
            event = None
        kept.append(
            Highlight(event=event if event is None or event >= 0 else None, note=item["note"])
        )
    return kept


@dataclass
class JudgeReply:
    """What a judge's reply holds: its notes and its scores."""

    scores: dict[str, DimensionScore]
    summary: str = ""
    highlights: list[Highlight] = field(default_factory=list)


def parse_reply(text: str, rubric: Rubric) -> JudgeReply:
    """Read a judge's reply: the summary and highlights, and a score for every dimension.

    The scores sit under `scores` (the structured answer) or at the top level (older
    answers, small models). Notes are optional: a reply without them, or with
    malformed ones, is still usable for its scores.

    Raises:
        UnusableVerdict: As `parse_verdict`.
    """
    data = _json_object(text)
    summary = data.get("summary")
    return JudgeReply(
        scores=_scores(data, rubric),
        summary=summary.strip() if isinstance(summary, str) else "",
        highlights=_highlights(data.get("highlights")),
    )


def parse_verdict(text: str, rubric: Rubric) -> dict[str, DimensionScore]:
    """Read scores for every rubric dimension from a judge's reply.

    Accepts bare JSON, fenced JSON, or JSON inside prose (for providers without
    structured output). A bare integer is accepted as a score without justification.

    Raises:
        UnusableVerdict: No JSON, a dimension missing, or a score outside 1-10.
    """
    return _scores(_json_object(text), rubric)


def _scores(data: dict[str, Any], rubric: Rubric) -> dict[str, DimensionScore]:
    if isinstance(data.get("scores"), dict):
        data = data["scores"]
    scores: dict[str, DimensionScore] = {}
    missing = []
    for name in rubric.names:
        raw = data.get(name)
        if raw is None:
            missing.append(name)
            continue
        if isinstance(raw, int | float | str) and not isinstance(raw, bool):
            raw = {"score": raw}
        if isinstance(raw, dict):
            raw = {**raw, "citations": _citations(raw.get("citations"))}
        try:
            scores[name] = DimensionScore.model_validate(raw)
        except ValidationError as exc:
            first = exc.errors()[0]
            raise UnusableVerdict(f"dimension {name!r}: {first['msg']}") from None
    if missing:
        shown = ", ".join(missing[:5]) + (" ..." if len(missing) > 5 else "")
        raise UnusableVerdict(f"{len(missing)} dimension(s) missing: {shown}")
    return scores
