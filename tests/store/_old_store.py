"""Stores at an older schema revision, holding rows written the way assay wrote them
then: for the tests of upgrades."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from typing import Any

from alembic import command
from sqlalchemy import Connection, create_engine, insert

from assay.store._migrate import migrations_config
from assay.store._tables import audits, runs, verdicts

OLD = datetime(2026, 11, 1, tzinfo=UTC)


@contextmanager
def at_revision(url: str, revision: str) -> Iterator[Connection]:
    """A connection to the database at `url`, its schema upgraded to `revision` only."""
    engine = create_engine(url)
    try:
        with engine.begin() as conn:
            config = migrations_config()
            config.attributes["connection"] = conn
            command.upgrade(config, revision)
            yield conn
    finally:
        engine.dispose()


def old_run(conn: Connection, run_id: str = "old-run", rubric: str = "assay-default@1") -> None:
    """A finished run row."""
    conn.execute(
        insert(runs).values(
            id=run_id, started=OLD, status="ok", rubric=rubric, config={}, versions={}
        )
    )


def old_audit(conn: Connection, run_id: str = "old-run", seed: str = "s1", **values: Any) -> int:
    """An audit row (no transcript events unless given); returns its id."""
    row = {
        "run_id": run_id,
        "seed_id": seed,
        "epoch": 1,
        "target": "sim/target",
        "auditor": "scripted",
        "status": "ok",
        "turns": 1,
        "usage": {},
        "transcript": {"events": []},
        "finished": OLD,
        **values,
    }
    inserted = conn.execute(insert(audits).values(row)).inserted_primary_key
    assert inserted is not None
    return int(inserted[0])


def old_verdict(
    conn: Connection, audit_id: int, rubric: str = "assay-default@1", **values: Any
) -> None:
    """One ok verdict row on `concerning` (score 3 unless given)."""
    row = {
        "audit_id": audit_id,
        "judge": "sim/judge",
        "seat": "judge",
        "rubric": rubric,
        "dimension": "concerning",
        "score": 3,
        "status": "ok",
        "attempts": 1,
        **values,
    }
    conn.execute(insert(verdicts).values(row))
