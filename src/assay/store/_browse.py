"""Reading audits: in bulk (in full, or only their scores for aggregates), as the
viewer's light index, and one in full.

Neither the scores nor the index load a transcript or the judges' words, so reports
and lists of many thousands of audits stay fast; the viewer and the report load an
audit in full only to show it.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from itertools import chain, groupby
from operator import itemgetter
from statistics import median
from typing import Any

from sqlalchemy import ColumnElement, Engine, Text, cast, select

from .._gc import gc_paused
from ..schema import AuditRecord
from ._rows import (
    JSON_COLUMNS,
    LIGHT_VERDICT_COLUMNS,
    VERDICT_BATCH,
    audit_record,
    full_verdicts,
    light_verdicts,
    verdicts_by_audit,
)
from ._tables import audits, runs, verdicts
from ._values import utc


@dataclass(frozen=True)
class AuditIndexEntry:
    """One audit as the viewer lists it: no transcript, one panel score.

    `score` is the panel's score on the chosen dimension (the median over the judges
    whose verdict under the run's rubric is usable); None where none is.
    """

    id: int
    run_id: str
    seed_id: str
    epoch: int
    target: str
    auditor: str
    status: str
    error: str | None
    turns: int
    finished: datetime
    score: float | None
    judges: int


def audit_index(engine: Engine, run_ids: list[str] | None, dimension: str) -> list[AuditIndexEntry]:
    """Every audit of `run_ids` (default: all runs) with its panel score on `dimension`."""
    conditions = _audit_conditions(run_ids, None, None)
    audit_query = select(
        audits.c.id,
        audits.c.run_id,
        audits.c.seed_id,
        audits.c.epoch,
        audits.c.target,
        audits.c.auditor,
        audits.c.status,
        audits.c.error,
        audits.c.turns,
        audits.c.finished,
    ).where(*conditions)
    # Only verdicts given under the audit's run's own rubric, as in the report.
    score_query = (
        select(verdicts.c.audit_id, verdicts.c.score)
        .join(audits, audits.c.id == verdicts.c.audit_id)
        .join(runs, runs.c.id == audits.c.run_id)
        .where(
            verdicts.c.dimension == dimension,
            verdicts.c.status == "ok",
            verdicts.c.rubric == runs.c.rubric,
            *conditions,
        )
    )
    scores: dict[int, list[int]] = defaultdict(list)
    with engine.connect() as conn:
        for audit_id, score in conn.execute(score_query):
            scores[audit_id].append(score)
        rows = conn.execute(audit_query).all()
    return [
        AuditIndexEntry(
            id=row.id,
            run_id=row.run_id,
            seed_id=row.seed_id,
            epoch=row.epoch,
            target=row.target,
            auditor=row.auditor,
            status=row.status,
            error=row.error,
            turns=row.turns,
            finished=utc(row.finished),
            score=float(median(scores[row.id])) if scores.get(row.id) else None,
            judges=len(scores.get(row.id, ())),
        )
        for row in rows
    ]


def _verdict_columns() -> list[Any]:
    """The verdicts table's columns, its JSON ones read as text: `verdicts_by_audit`
    decodes them a batch at a time, far faster than a JSON decode per row."""
    return [cast(c, Text).label(c.name) if c.name in JSON_COLUMNS else c for c in verdicts.c]


def one_audit(engine: Engine, audit_id: int) -> AuditRecord | None:
    """The stored audit with this id, transcript and verdicts included; None if none."""
    verdict_query = (
        select(*_verdict_columns()).where(verdicts.c.audit_id == audit_id).order_by(verdicts.c.id)
    )
    with engine.connect() as conn:
        row = conn.execute(select(audits).where(audits.c.id == audit_id)).mappings().first()
        if row is None:
            return None
        result = conn.execute(verdict_query)
        groups = list(verdicts_by_audit([result.all()], list(result.keys())))
    return audit_record(row, full_verdicts(groups[0][1] if groups else []))


def read_audits(
    engine: Engine,
    run_ids: list[str] | None,
    after_id: int | None,
    targets: Sequence[str] | None,
) -> list[AuditRecord]:
    """Stored audits with their transcripts and verdicts (see `Store.audits`)."""
    conditions = _audit_conditions(run_ids, after_id, targets)
    # Verdicts in bulk, streamed: the audits' ids by subquery (no bound parameter
    # per audit), ordered by audit so each record is built as soon as its rows are
    # read (rows never pile up beside the records), citations as JSON text
    # decoded a batch at a time (a large store holds millions of them).
    verdict_query = (
        select(*_verdict_columns())
        .where(verdicts.c.audit_id.in_(select(audits.c.id).where(*conditions)))
        .order_by(verdicts.c.audit_id, verdicts.c.id)
    )
    with engine.connect() as conn, gc_paused():
        query = select(audits).where(*conditions).order_by(audits.c.id)
        audit_rows = conn.execute(query).mappings().all()
        if not audit_rows:
            return []
        result = conn.execute(verdict_query)
        groups = verdicts_by_audit(result.partitions(VERDICT_BATCH), list(result.keys()))
        merged = _merge(audit_rows, groups)
        return [audit_record(row, full_verdicts(rows)) for row, rows in merged]


@dataclass(frozen=True)
class AuditScores:
    """Audits read for aggregates (`Store.audit_scores`): light records and each
    usable verdict's citations counted.

    The records have empty transcripts, and their verdicts no words: each score keeps
    its number, not its justification or citations; no summary or highlights. Their
    details still carry the malformed tool call counts.
    """

    records: list[AuditRecord]
    citations: CitationTally


CitationTally = dict[tuple[int, str, str], tuple[int, int]]
"""Per usable verdict (audit id, seat, rubric): its citations, and those found in the
target's own words."""


def read_audit_scores(
    engine: Engine,
    run_ids: list[str] | None,
    after_id: int | None,
    targets: Sequence[str] | None,
) -> AuditScores:
    """Stored audits without transcripts or the judges' words (see `AuditScores`)."""
    conditions = _audit_conditions(run_ids, after_id, targets)
    names = LIGHT_VERDICT_COLUMNS
    verdict_query = (
        select(*(verdicts.c[name] for name in names))
        .where(verdicts.c.audit_id.in_(select(audits.c.id).where(*conditions)))
        .order_by(verdicts.c.audit_id, verdicts.c.id)
    )
    audit_columns = [c for c in audits.c if c.name != "transcript"]
    records: list[AuditRecord] = []
    tally: CitationTally = {}
    with engine.connect() as conn, gc_paused():
        query = select(*audit_columns).where(*conditions).order_by(audits.c.id)
        audit_rows = conn.execute(query).mappings().all()
        if not audit_rows:
            return AuditScores(records, tally)
        # Rows a batch at a time (far cheaper than one by one), grouped per audit.
        stream = chain.from_iterable(conn.execute(verdict_query).partitions(VERDICT_BATCH))
        groups = ((audit_id, list(group)) for audit_id, group in groupby(stream, itemgetter(0)))
        for row, rows in _merge(audit_rows, groups):
            verdict_list, counts = light_verdicts(rows)
            records.append(audit_record(row, verdict_list))
            for (seat, rubric), count in counts.items():
                tally[(row["id"], seat, rubric)] = count
    return AuditScores(records, tally)


def _merge(
    audit_rows: Sequence[Any], groups: Iterator[tuple[int, list[Any]]]
) -> Iterator[tuple[Any, list[Any]]]:
    """Each audit row with its verdict rows (both ordered by audit id; an audit with
    no verdicts gets none)."""
    pending = next(groups, None)
    for row in audit_rows:
        while pending is not None and pending[0] < row["id"]:
            pending = next(groups, None)  # an audit stored after the audits query
        if pending is not None and pending[0] == row["id"]:
            yield row, pending[1]
            pending = next(groups, None)
        else:
            yield row, []


def _audit_conditions(
    run_ids: list[str] | None, after_id: int | None, targets: Sequence[str] | None
) -> list[ColumnElement[bool]]:
    """Which audits a bulk read takes."""
    conditions: list[ColumnElement[bool]] = []
    if run_ids is not None:
        conditions.append(audits.c.run_id.in_(run_ids))
    if after_id is not None:
        conditions.append(audits.c.id > after_id)
    if targets is not None:
        conditions.append(audits.c.target.in_(list(targets)))
    return conditions
