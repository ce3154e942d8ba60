"""Converting between store rows and assay's data models."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator, Sequence
from typing import Any

from .._redact import redact, redact_json
from ..schema import AuditRecord, JudgeVerdict, Transcript, Usage
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


def audit_record(row: Any, rows: list[Any]) -> AuditRecord:
    """Rebuild an AuditRecord from its audits row and its verdicts rows."""
    grouped: dict[tuple[str, str], list[Any]] = {}
    for v in rows:
        grouped.setdefault((v["seat"], v["rubric"]), []).append(v)
    verdict_list = []
    for (seat, rubric), items in grouped.items():
        first = items[0]
        judge = first["judge"]
        if first["status"] != "ok":
            verdict_list.append(
                JudgeVerdict(
                    judge=judge,
                    seat=seat,
                    rubric=rubric,
                    status="error",
                    error=first["error"],
                    attempts=first["attempts"],
                )
            )
            continue
        # One validation per verdict (its scores and citations validated together, in
        # pydantic's core) rather than one per score and per citation: a large store
        # holds millions of scores.
        verdict_list.append(
            JudgeVerdict.model_validate(
                {
                    "judge": judge,
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
