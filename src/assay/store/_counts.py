"""Small store queries behind `assay runs` and `assay judge --drop`."""

from __future__ import annotations

from collections import defaultdict

from sqlalchemy import Engine, delete, func, select

from ._engine import write_transaction
from ._tables import audits, static_results, verdicts


def run_counts(engine: Engine) -> dict[str, dict[str, int]]:
    """Per run: how many audits (or static results) it stored, by status."""
    counts: dict[str, dict[str, int]] = defaultdict(dict)
    with engine.connect() as conn:
        for table in (audits, static_results):
            query = select(table.c.run_id, table.c.status, func.count()).group_by(
                table.c.run_id, table.c.status
            )
            for run_id, status, n in conn.execute(query):
                counts[run_id][status] = counts[run_id].get(status, 0) + n
    return dict(counts)


def drop_verdicts(engine: Engine, run_ids: list[str], judge: str) -> int:
    """Delete the verdicts that `judge` (a model name or a seat) gave in `run_ids`.

    Returns:
        How many verdicts were removed (one per audit, seat and rubric).
    """
    in_runs = select(audits.c.id).where(audits.c.run_id.in_(run_ids))
    mine = verdicts.c.audit_id.in_(in_runs) & (
        (verdicts.c.judge == judge) | (verdicts.c.seat == judge)
    )
    with write_transaction(engine) as conn:
        dropped = conn.execute(
            select(func.count()).select_from(
                select(verdicts.c.audit_id, verdicts.c.seat, verdicts.c.rubric)
                .where(mine)
                .distinct()
                .subquery()
            )
        ).scalar_one()
        conn.execute(delete(verdicts).where(mine))
    return int(dropped)
