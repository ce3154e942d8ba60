"""Converting between store rows and assay's data models."""

from __future__ import annotations

from datetime import UTC
from typing import Any

from .._redact import redact, redact_json
from ..schema import AuditRecord, Citation, DimensionScore, JudgeVerdict, Transcript, Usage


def verdict_rows(audit_id: int, verdict: JudgeVerdict) -> list[dict[str, Any]]:
    """The verdicts table rows of one verdict: one per dimension, or one error row."""
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
            }
        ]
    return [
        {
            **base,
            "dimension": name,
            "score": score.score,
            "justification": redact(score.justification),
            "citations": redact_json([c.model_dump() for c in score.citations]),
            "error": None,
        }
        for name, score in verdict.scores.items()
    ]


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
        scores = {
            v["dimension"]: DimensionScore(
                score=v["score"],
                justification=v["justification"] or "",
                citations=[Citation.model_validate(c) for c in v["citations"] or []],
            )
            for v in items
        }
        verdict_list.append(
            JudgeVerdict(
                judge=judge,
                seat=seat,
                rubric=rubric,
                status="ok",
                scores=scores,
                attempts=first["attempts"],
            )
        )
    finished = row["finished"]
    if finished.tzinfo is None:
        finished = finished.replace(tzinfo=UTC)
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
        transcript=Transcript.model_validate(row["transcript"]),
        verdicts=verdict_list,
        finished=finished,
        details=row["details"] or {},
    )
