"""What a store holds, per run: the numbers behind `assay db info`."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from sqlalchemy import func, select

from ._migrate import current_revision
from ._tables import audits, runs, static_results, verdicts
from ._values import utc

if TYPE_CHECKING:
    from datetime import datetime

    from ._store import Store


@dataclass
class RunCounts:
    """One run's results by status: audits, judge verdicts (one per audit, seat and
    rubric) and static results."""

    run_id: str
    status: str
    started: datetime
    audits: dict[str, int] = field(default_factory=dict)
    verdicts: dict[str, int] = field(default_factory=dict)
    static: dict[str, int] = field(default_factory=dict)


@dataclass
class StoreInfo:
    """A store's schema revision and its runs' counts, oldest run first."""

    revision: str | None
    runs: list[RunCounts]


def store_info(store: Store) -> StoreInfo:
    """Count what `store` holds, per run and status."""
    with store.engine.connect() as conn:
        revision = current_revision(conn)
        rows = conn.execute(
            select(runs.c.id, runs.c.status, runs.c.started).order_by(runs.c.started, runs.c.id)
        ).all()
        by_run = {r.id: RunCounts(r.id, r.status, utc(r.started)) for r in rows}
        counts: dict[str, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
        for name, table in (("audits", audits), ("static", static_results)):
            query = select(table.c.run_id, table.c.status, func.count()).group_by(
                table.c.run_id, table.c.status
            )
            for run_id, status, n in conn.execute(query):
                counts[run_id][name][status] = n
        # A verdict is one (audit, seat, rubric): count those, not dimension rows.
        one_per_verdict = (
            select(audits.c.run_id, verdicts.c.audit_id, verdicts.c.seat, verdicts.c.rubric)
            .add_columns(verdicts.c.status)
            .join(audits, audits.c.id == verdicts.c.audit_id)
            .distinct()
            .subquery()
        )
        query = select(one_per_verdict.c.run_id, one_per_verdict.c.status, func.count()).group_by(
            one_per_verdict.c.run_id, one_per_verdict.c.status
        )
        for run_id, status, n in conn.execute(query):
            counts[run_id]["verdicts"][status] = n
    for run_id, info in by_run.items():
        info.audits = dict(counts[run_id]["audits"])
        info.verdicts = dict(counts[run_id]["verdicts"])
        info.static = dict(counts[run_id]["static"])
    return StoreInfo(revision, list(by_run.values()))
