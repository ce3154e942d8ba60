"""Copying results between stores (e.g. a laptop's SQLite file into a shared PostgreSQL).

Rows are matched by their natural keys, never by id (ids differ between stores):
runs by id, audits by (run, seed, epoch, target), verdicts by (audit, seat, rubric,
dimension), static results by (run, target, item). A verdict's rows travel whole,
the judge's notes (summary, highlights) on its first row. The source wins where both
hold a key; rows only the destination holds are kept. Copying again changes nothing.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, fields
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from sqlalchemy import Connection, Table, delete, insert, select, update
from sqlalchemy.engine import make_url

from ..errors import InputError, Problem
from ._engine import read_snapshot, write_transaction
from ._tables import audits, runs, static_results, verdicts
from ._values import clean_row, utc

if TYPE_CHECKING:
    from ._store import Store

_AuditKey = tuple[str, int, str]
_GroupKey = tuple[str, str]


@dataclass
class CopySummary:
    """What a copy did, per table: rows added, rows replaced, rows already there."""

    runs_new: int = 0
    runs_updated: int = 0
    runs_same: int = 0
    audits_new: int = 0
    audits_replaced: int = 0
    audits_same: int = 0
    verdicts_new: int = 0
    verdicts_same: int = 0
    static_new: int = 0
    static_updated: int = 0
    static_same: int = 0

    @property
    def changed(self) -> bool:
        """Whether the copy wrote anything."""
        return any(getattr(self, f.name) for f in fields(self) if not f.name.endswith("_same"))

    def lines(self) -> list[str]:
        """One line per table, for the terminal."""
        return [
            f"runs: {self.runs_new} new, {self.runs_updated} updated, {self.runs_same} unchanged",
            f"audits: {self.audits_new} new, {self.audits_replaced} replaced, "
            f"{self.audits_same} unchanged",
            f"verdict rows: {self.verdicts_new} written, {self.verdicts_same} unchanged",
            f"static results: {self.static_new} new, {self.static_updated} updated, "
            f"{self.static_same} unchanged",
        ]


def copy_runs(source: Store, dest: Store, run_ids: list[str] | None = None) -> CopySummary:
    """Copy runs with their audits, verdicts and static results from one store to another.

    Each run is copied in one transaction of the destination, so an interrupted
    copy leaves whole runs; running it again completes it.

    Args:
        source: The `Store` to read.
        dest: The `Store` to write.
        run_ids: Only these runs (default: every run of the source).

    Raises:
        InputError: `source` and `dest` are the same store.
    """
    if _identity(source.url) == _identity(dest.url):
        raise InputError(
            "--to", [Problem(dest.safe_url, "is the store being copied from", field="--to")]
        )
    summary = CopySummary()
    with source.engine.connect() as conn:
        query = select(runs.c.id).order_by(runs.c.started, runs.c.id)
        if run_ids is not None:
            query = query.where(runs.c.id.in_(run_ids))
        ids = list(conn.execute(query).scalars())
    for run_id in ids:
        with read_snapshot(source.engine) as conn:  # the source may be written meanwhile
            run = _read_run(conn, run_id)
        with write_transaction(dest.engine) as conn:
            _write_run(conn, run, summary)
    return summary


def _identity(url: str) -> tuple[str, ...]:
    # The same database however its URL is spelled (driver, relative paths).
    parsed = make_url(url)
    backend = parsed.get_backend_name()
    if backend == "sqlite":
        return (backend, str(Path(parsed.database or ":memory:").expanduser().resolve()))
    return (
        backend,
        str(parsed.host or parsed.query.get("host", "")),
        str(parsed.port or ""),
        str(parsed.database or ""),
    )


@dataclass
class _Run:
    row: dict[str, Any]
    audits: dict[_AuditKey, dict[str, Any]]
    verdicts: dict[int, dict[_GroupKey, list[dict[str, Any]]]]  # by audit id
    static: dict[tuple[str, str], dict[str, Any]]


def _plain(row: Any, *drop: str) -> dict[str, Any]:
    # Comparable values: no ids, times in UTC (SQLite returns them naive).
    values = {k: v for k, v in dict(row).items() if k not in drop}
    return {k: utc(v) if isinstance(v, datetime) else v for k, v in values.items()}


def _read_run(conn: Connection, run_id: str) -> _Run:
    row = conn.execute(select(runs).where(runs.c.id == run_id)).mappings().one()
    audit_rows = conn.execute(select(audits).where(audits.c.run_id == run_id)).mappings().all()
    by_key = {(a["seed_id"], a["epoch"], a["target"]): dict(a) for a in audit_rows}
    grouped: dict[int, dict[_GroupKey, list[dict[str, Any]]]] = {}
    in_run = select(audits.c.id).where(audits.c.run_id == run_id)
    query = select(verdicts).where(verdicts.c.audit_id.in_(in_run)).order_by(verdicts.c.id)
    for v in conn.execute(query).mappings():
        groups = grouped.setdefault(v["audit_id"], {})
        groups.setdefault((v["seat"], v["rubric"]), []).append(_plain(v, "id", "audit_id"))
    static_rows = conn.execute(
        select(static_results).where(static_results.c.run_id == run_id)
    ).mappings()
    static = {(s["target"], s["item_id"]): dict(s) for s in static_rows}
    return _Run(dict(row), by_key, grouped, static)


def _same_rows(a: Iterable[dict[str, Any]], b: Iterable[dict[str, Any]]) -> bool:
    def order(rows: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
        return sorted(rows, key=lambda r: (r["dimension"] or "", r["judge"]))

    return order(a) == order(b)


def _insert(conn: Connection, table: Table, row: dict[str, Any]) -> int:
    inserted = conn.execute(insert(table).values(clean_row(table, row))).inserted_primary_key
    assert inserted is not None
    return int(inserted[0])


def _write_run(conn: Connection, src: _Run, summary: CopySummary) -> None:
    run_id = src.row["id"]
    have = conn.execute(select(runs).where(runs.c.id == run_id)).mappings().first()
    if have is None:
        conn.execute(insert(runs).values(clean_row(runs, src.row)))
        summary.runs_new += 1
        dst = _Run({}, {}, {}, {})
    else:
        if _plain(have) == _plain(src.row):
            summary.runs_same += 1
        else:
            values = clean_row(runs, {k: v for k, v in src.row.items() if k != "id"})
            conn.execute(update(runs).where(runs.c.id == run_id).values(values))
            summary.runs_updated += 1
        dst = _read_run(conn, run_id)
    for key, audit in src.audits.items():
        _copy_audit(conn, audit, src.verdicts.get(audit["id"], {}), dst, key, summary)
    for item, result in src.static.items():
        mine = dst.static.get(item)
        if mine is None:
            _insert(conn, static_results, _plain(result, "id"))
            summary.static_new += 1
        elif _plain(mine, "id") == _plain(result, "id"):
            summary.static_same += 1
        else:
            values = clean_row(static_results, _plain(result, "id"))
            conn.execute(
                update(static_results).where(static_results.c.id == mine["id"]).values(values)
            )
            summary.static_updated += 1


def _copy_audit(
    conn: Connection,
    audit: dict[str, Any],
    groups: dict[_GroupKey, list[dict[str, Any]]],
    dst: _Run,
    key: _AuditKey,
    summary: CopySummary,
) -> None:
    mine = dst.audits.get(key)
    if mine is not None and _plain(mine, "id") != _plain(audit, "id"):
        # A rerun audit (a new transcript): its old verdicts judged the old one.
        conn.execute(delete(verdicts).where(verdicts.c.audit_id == mine["id"]))
        conn.execute(delete(audits).where(audits.c.id == mine["id"]))
        summary.audits_replaced += 1
        mine = None
    elif mine is None:
        summary.audits_new += 1
    else:
        summary.audits_same += 1
    if mine is None:
        audit_id = _insert(conn, audits, _plain(audit, "id"))
        theirs: dict[_GroupKey, list[dict[str, Any]]] = {}
    else:
        audit_id = mine["id"]
        theirs = dst.verdicts.get(audit_id, {})
    for (seat, rubric), rows in groups.items():
        if _same_rows(theirs.get((seat, rubric), []), rows):
            summary.verdicts_same += len(rows)
            continue
        # A verdict is one (seat, rubric) group of rows: replace the group whole, so
        # an error row never sits beside the scores that replaced it.
        conn.execute(
            delete(verdicts).where(
                (verdicts.c.audit_id == audit_id)
                & (verdicts.c.seat == seat)
                & (verdicts.c.rubric == rubric)
            )
        )
        conn.execute(
            insert(verdicts), [clean_row(verdicts, {**r, "audit_id": audit_id}) for r in rows]
        )
        summary.verdicts_new += len(rows)
