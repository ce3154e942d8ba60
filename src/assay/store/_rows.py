"""Converting between store rows and assay's data models."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any

from .._redact import redact, redact_json
from ..schema import (
    SCORE_MAX,
    SCORE_MIN,
    AuditRecord,
    DimensionScore,
    JudgeVerdict,
    Transcript,
    Usage,
)
from ._values import utc

VERDICT_BATCH = 20_000
"""Verdict rows read (and their JSON columns decoded) at a time when loading audits."""
JSON_COLUMNS = ("citations", "highlights")
"""The verdicts table's JSON columns, read as text and decoded in bulk."""


def verdicts_by_audit(
    batches: Iterable[Sequence[Any]], keys: list[str]
) -> Iterator[tuple[int, list[dict[str, Any]]]]:
    """Verdict rows, read in batches and ordered by audit, grouped per audit id.

    Each row becomes a dict of its columns, its `JSON_COLUMNS` (JSON text) decoded.
    """
    current: int | None = None
    group: list[dict[str, Any]] = []
    positions = [keys.index(name) for name in JSON_COLUMNS]
    for rows in batches:
        decoded = [json_list([row[i] for row in rows]) for i in positions]
        for number, row in enumerate(rows):
            values = dict(zip(keys, row, strict=True))
            for name, column in zip(JSON_COLUMNS, decoded, strict=True):
                values[name] = column[number]
            if values["audit_id"] != current:
                if current is not None:
                    yield current, group
                current, group = values["audit_id"], []
            group.append(values)
    if current is not None:
        yield current, group


def json_list(texts: list[str | None]) -> list[Any]:
    """Decode many JSON texts (None: SQL NULL) in one pass: far faster than one by one."""
    if not texts:
        return []
    return list(json.loads("[" + ",".join("null" if t is None else t for t in texts) + "]"))


def verdict_rows(audit_id: int, verdict: JudgeVerdict) -> list[dict[str, Any]]:
    """The verdicts table rows of one verdict: one per dimension, or one error row.

    The judge's notes (summary, highlights) belong to the whole verdict: they go on
    its first row only, NULL where the judge wrote none.
    """
    base = {
        "audit_id": audit_id,
        "judge": verdict.judge,
        "seat": verdict.seat,
        "rubric": verdict.rubric,
        "status": verdict.status,
        "attempts": verdict.attempts,
    }
    if verdict.status != "ok":
        return [
            {
                **base,
                "dimension": None,
                "score": None,
                "justification": None,
                "citations": None,
                "error": redact(verdict.error or "unknown error"),
                "summary": None,
                "highlights": None,
                "citation_count": None,
                "verified_citation_count": None,
            }
        ]
    rows = [
        {
            **base,
            "dimension": name,
            "score": score.score,
            "justification": redact(score.justification),
            "citations": redact_json([c.model_dump() for c in score.citations]),
            "error": None,
            "summary": None,
            "highlights": None,
            "citation_count": len(score.citations),
            "verified_citation_count": sum(c.is_evidence for c in score.citations),
        }
        for name, score in verdict.scores.items()
    ]
    if rows:
        rows[0]["summary"] = redact(verdict.summary) if verdict.summary else None
        rows[0]["highlights"] = (
            redact_json([h.model_dump() for h in verdict.highlights])
            if verdict.highlights
            else None
        )
    return rows


def _notes(rows: list[Any]) -> dict[str, Any]:
    """A verdict's summary and highlights, from whichever of its rows holds them."""
    summary = next((v["summary"] for v in rows if v.get("summary")), None)
    highlights = next((v["highlights"] for v in rows if v.get("highlights")), None)
    return {"summary": summary or "", "highlights": highlights or []}


def full_verdicts(rows: list[dict[str, Any]]) -> list[JudgeVerdict]:
    """One audit's verdicts from its verdicts rows (see `verdicts_by_audit`)."""
    grouped: dict[tuple[str, str], list[Any]] = {}
    for v in rows:
        grouped.setdefault((v["seat"], v["rubric"]), []).append(v)
    verdict_list = []
    for (seat, rubric), items in grouped.items():
        first = items[0]
        if first["status"] != "ok":
            failed = _failed(first["judge"], seat, rubric, first["error"], first["attempts"])
            verdict_list.append(failed)
            continue
        # One validation per verdict (its scores and citations validated together, in
        # pydantic's core) rather than one per score and per citation: a large store
        # holds millions of scores.
        verdict_list.append(
            JudgeVerdict.model_validate(
                {
                    "judge": first["judge"],
                    "seat": seat,
                    "rubric": rubric,
                    "status": "ok",
                    "scores": {
                        v["dimension"]: {
                            "score": v["score"],
                            "justification": v["justification"] or "",
                            "citations": v["citations"] or [],
                        }
                        for v in items
                    },
                    "attempts": first["attempts"],
                    **_notes(items),
                }
            )
        )
    return verdict_list


def _failed(judge: str, seat: str, rubric: str, error: str | None, attempts: int) -> JudgeVerdict:
    return JudgeVerdict(
        judge=judge, seat=seat, rubric=rubric, status="error", error=error, attempts=attempts
    )


SCORES_ONLY = {n: DimensionScore(score=n) for n in range(SCORE_MIN, SCORE_MAX + 1)}
"""One score without words per value, shared by every light verdict."""
LIGHT_VERDICT_COLUMNS = (
    "audit_id",
    "judge",
    "seat",
    "rubric",
    "status",
    "error",
    "attempts",
    "dimension",
    "score",
    "citation_count",
    "verified_citation_count",
)
"""What a light read takes of each verdicts row, in this order (`light_verdicts`)."""


CitationCounts = dict[tuple[str, str], tuple[int, int]]
"""Per verdict of one audit (seat, rubric): its citations, and those that are evidence."""


@dataclass(slots=True)
class _LightVerdict:
    """One verdict as its rows are read: what it becomes, and its citations counted."""

    judge: str
    status: str
    error: str | None
    attempts: int
    scores: dict[str, Any] = field(default_factory=dict)
    citations: int = 0
    evidence: int = 0


def light_verdicts(rows: Iterable[Sequence[Any]]) -> tuple[list[JudgeVerdict], CitationCounts]:
    """One audit's verdicts from rows of `LIGHT_VERDICT_COLUMNS`, without the judges'
    words, and each usable verdict's citations counted (by seat and rubric).

    Every score is a shared `SCORES_ONLY` object: 900,000 scores of a large store then
    cost a dict entry each rather than a model each. Light verdicts are for reading;
    never change their scores in place.
    """
    grouped: dict[tuple[str, str], _LightVerdict] = {}
    for row in rows:
        _, judge, seat, rubric, status, error, attempts, dimension, score, cited, evidence = row
        verdict = grouped.get((seat, rubric))
        if verdict is None:
            verdict = grouped[(seat, rubric)] = _LightVerdict(judge, status, error, attempts)
        if status == "ok":
            # A value outside the scale (a damaged store) is validated, and refused.
            verdict.scores[dimension] = SCORES_ONLY.get(score, {"score": score})
            verdict.citations += cited or 0
            verdict.evidence += evidence or 0
    verdict_list = []
    counts: CitationCounts = {}
    for (seat, rubric), v in grouped.items():
        if v.status != "ok":
            verdict_list.append(_failed(v.judge, seat, rubric, v.error, v.attempts))
            continue
        verdict_list.append(
            JudgeVerdict.model_validate(
                {
                    "judge": v.judge,
                    "seat": seat,
                    "rubric": rubric,
                    "status": "ok",
                    "scores": v.scores,
                    "attempts": v.attempts,
                }
            )
        )
        counts[(seat, rubric)] = (v.citations, v.evidence)
    return verdict_list, counts


def audit_record(row: Any, verdict_list: list[JudgeVerdict]) -> AuditRecord:
    """Rebuild an AuditRecord from its audits row (transcript read or not) and its
    verdicts."""
    finished = utc(row["finished"])
    return AuditRecord(
        id=row["id"],
        run_id=row["run_id"],
        seed_id=row["seed_id"],
        epoch=row["epoch"],
        target=row["target"],
        auditor=row["auditor"],
        status=row["status"],
        error=row["error"],
        turns=row["turns"],
        usage={role: Usage.model_validate(u) for role, u in row["usage"].items()},
        cost=row["cost"],
        transcript=Transcript.model_validate(row["transcript"])
        if row.get("transcript") is not None
        else Transcript(),
        verdicts=verdict_list,
        finished=finished,
        details=row["details"] or {},
    )
