"""The result store: every read and write of runs, audits and verdicts."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any, TypeVar

from pydantic import BaseModel
from sqlalchemy import Connection, Engine, delete, insert, select, update
from sqlalchemy.exc import IntegrityError

from .._redact import redact, redact_json
from ..errors import InputError, Problem
from ..schema import (
    MALFORMED_TOOL_CALLS,
    AuditRecord,
    JudgeVerdict,
    StaticResult,
    Usage,
    malformed_tool_calls,
)
from ._browse import (
    AuditIndexEntry,
    AuditScores,
    audit_index,
    one_audit,
    read_audit_scores,
    read_audits,
)
from ._counts import drop_verdicts, run_counts
from ._engine import normalise_url, write_transaction
from ._open import open_engine
from ._rows import verdict_rows
from ._tables import audits, runs, static_results, verdicts
from ._usage import add_usage
from ._values import clean_row, utc

T = TypeVar("T")
WRITE_ATTEMPTS = 3

DEFAULT_URL = "sqlite:///assay.db"


def new_run_id() -> str:
    """A fresh run id: UTC time stamp plus random suffix (sorts by start time)."""
    return datetime.now(UTC).strftime("%Y%m%d-%H%M%S-") + uuid.uuid4().hex[:6]


@dataclass(frozen=True)
class RunInfo:
    """One stored run."""

    id: str
    started: datetime
    finished: datetime | None
    status: str
    error: str | None
    rubric: str
    config: dict[str, Any]
    versions: dict[str, str]


def _run_info(row: Any) -> RunInfo:
    values = dict(row)
    values["started"] = utc(values["started"])
    values["finished"] = utc(values["finished"]) if values["finished"] else None
    return RunInfo(**values)


class Store:
    """Results of every run, in SQLite or any SQLAlchemy database.

    Opening a store creates it if needed and upgrades its schema in place.
    """

    def __init__(self, engine: Engine, url: str) -> None:
        self.engine = engine
        self.url = url
        """The full URL (it may hold a password: never log or store it; see `safe_url`)."""
        self.applied: list[str] = []
        """The schema migrations that opening this store applied (revision ids)."""

    @property
    def safe_url(self) -> str:
        """The URL with any password masked, for messages."""
        return redact(self.url)

    @classmethod
    def open(cls, url: str = DEFAULT_URL, create: bool = True) -> Store:
        """Open (and create or upgrade) the store at `url`.

        Args:
            url: A SQLAlchemy URL or a SQLite file path.
            create: Create a SQLite store that does not exist yet; False for commands
                that only read (a mistyped path then leaves no empty store behind).

        Raises:
            InputError: The URL is malformed, the database cannot be opened, the file
                is not a database, or (with `create=False`) the SQLite file is missing.
        """
        url = normalise_url(url)
        engine, applied = open_engine(url, create)
        store = cls(engine, url)
        store.applied = applied
        return store

    def _write(self, work: Callable[[Connection], T]) -> T:
        # One write transaction; on PostgreSQL two writers of one key can both find
        # it free and one then fails on the unique index: run it again, it then
        # sees (and replaces) the other's row.
        for attempt in range(WRITE_ATTEMPTS):
            try:
                with write_transaction(self.engine) as conn:
                    return work(conn)
            except IntegrityError:
                if attempt == WRITE_ATTEMPTS - 1:
                    raise
        raise AssertionError("unreachable")

    # runs -------------------------------------------------------------

    def create_run(
        self,
        config: BaseModel,
        rubric: str,
        versions: dict[str, str],
        run_id: str | None = None,
    ) -> str:
        """Record a new run as `running` and return its id.

        Args:
            config: The run's settings (an audit `RunConfig` or a `StaticConfig`).
            rubric: Rubric key of an audit run, or `static` for a static eval run.
            versions: Software versions, for reproducibility.
            run_id: The id to give the run (default: a new time-stamped id).
        """
        run_id = run_id or new_run_id()
        row = {
            "id": run_id,
            "started": datetime.now(UTC),
            "status": "running",
            "rubric": rubric,
            "config": config.model_dump(mode="json"),
            "versions": versions,
        }
        with write_transaction(self.engine) as conn:
            conn.execute(insert(runs).values(clean_row(runs, row)))
        return run_id

    def ensure_run(
        self, run_id: str, config: BaseModel, rubric: str, versions: dict[str, str]
    ) -> bool:
        """Create run `run_id` unless the store has it; returns whether it was created.

        Safe when several processes race to create the same run: the loser's
        insert fails on the primary key and its transaction is rolled back.
        """
        if self.find_run(run_id) is not None:
            return False
        try:
            self.create_run(config, rubric, versions, run_id=run_id)
        except IntegrityError:
            if self.find_run(run_id) is None:
                raise  # not a race: something else is wrong
            return False  # another writer created it first
        return True

    def update_run_config(self, run_id: str, config: BaseModel) -> None:
        """Replace a run's stored settings (e.g. a target joins an imported run)."""
        with write_transaction(self.engine) as conn:
            conn.execute(
                update(runs)
                .where(runs.c.id == run_id)
                .values(config=config.model_dump(mode="json"))
            )

    def reopen_run(self, run_id: str) -> None:
        """Mark a run `running` again (it is being resumed)."""
        with write_transaction(self.engine) as conn:
            conn.execute(
                update(runs)
                .where(runs.c.id == run_id)
                .values(status="running", finished=None, error=None)
            )

    def finish_run(self, run_id: str, status: str, error: str | None = None) -> None:
        """Mark a run finished with `status` (`ok`, `error` or `interrupted`)."""
        values = {
            "finished": datetime.now(UTC),
            "status": status,
            "error": redact(error) if error else None,
        }
        with write_transaction(self.engine) as conn:
            conn.execute(update(runs).where(runs.c.id == run_id).values(clean_row(runs, values)))

    def runs(self) -> list[RunInfo]:
        """All runs, oldest first."""
        with self.engine.connect() as conn:
            rows = conn.execute(select(runs).order_by(runs.c.started)).mappings().all()
        return [_run_info(row) for row in rows]

    def find_run(self, run_id: str) -> RunInfo | None:
        """One run by id, or None."""
        with self.engine.connect() as conn:
            row = conn.execute(select(runs).where(runs.c.id == run_id)).mappings().first()
        return _run_info(row) if row is not None else None

    def run(self, run_id: str) -> RunInfo:
        """One run by id.

        Raises:
            InputError: No run has this id.
        """
        info = self.find_run(run_id)
        if info is not None:
            return info
        raise InputError(
            "run", [Problem(run_id, "no run with this id in the store", field="--run")]
        )

    # audits -------------------------------------------------------------

    def write_audit(self, record: AuditRecord) -> None:
        """Store one audit with its verdicts, atomically.

        Writing the same (run, seed, epoch, target) again replaces the earlier row,
        so a resumed run never duplicates an audit.
        """
        key = (
            (audits.c.run_id == record.run_id)
            & (audits.c.seed_id == record.seed_id)
            & (audits.c.epoch == record.epoch)
            & (audits.c.target == record.target)
        )
        row = clean_row(
            audits,
            {
                "run_id": record.run_id,
                "seed_id": record.seed_id,
                "epoch": record.epoch,
                "target": record.target,
                "auditor": record.auditor,
                "status": record.status,
                "error": redact(record.error) if record.error else None,
                "turns": record.turns,
                "usage": {role: u.model_dump() for role, u in record.usage.items()},
                "cost": record.cost,
                # Provider errors inside a transcript can quote an API key.
                "transcript": redact_json(record.transcript.model_dump(mode="json")),
                "finished": record.finished,
                # Reports count malformed tool calls without reading the transcript.
                "details": redact_json(
                    {MALFORMED_TOOL_CALLS: malformed_tool_calls(record.transcript)} | record.details
                ),
            },
        )
        # Checked before the transaction: a bad value leaves nothing half-written.
        rows = [clean_row(verdicts, r) for v in record.verdicts for r in verdict_rows(0, v)]

        def work(conn: Connection) -> None:
            conn.execute(delete(audits).where(key))
            inserted = conn.execute(insert(audits).values(row)).inserted_primary_key
            assert inserted is not None
            if rows:
                conn.execute(insert(verdicts), [{**r, "audit_id": inserted[0]} for r in rows])

        self._write(work)

    def add_verdicts(self, audit_id: int, new: list[JudgeVerdict]) -> None:
        """Attach verdicts to a stored audit, atomically.

        A verdict replaces an earlier one by the same judge under the same rubric;
        verdicts by other seats or under other rubrics are kept beside it.
        """
        rows = [clean_row(verdicts, r) for v in new for r in verdict_rows(audit_id, v)]
        with write_transaction(self.engine) as conn:
            # Lock the audit's row: two processes re-judging one audit on PostgreSQL
            # take turns instead of both keeping their rows.
            conn.execute(select(audits.c.id).where(audits.c.id == audit_id).with_for_update())
            for verdict in new:
                conn.execute(
                    delete(verdicts).where(
                        (verdicts.c.audit_id == audit_id)
                        & (verdicts.c.seat == verdict.seat)
                        & (verdicts.c.rubric == verdict.rubric)
                    )
                )
            if rows:
                conn.execute(insert(verdicts), rows)

    def write_static_results(self, results: list[StaticResult]) -> None:
        """Store static eval results atomically; a result for the same (run, target,
        item) replaces the earlier one."""
        rows = [
            clean_row(
                static_results,
                {**r.model_dump(), "error": redact(r.error) if r.error else None},
            )
            for r in results
        ]

        def work(conn: Connection) -> None:
            for result in results:
                conn.execute(
                    delete(static_results).where(
                        (static_results.c.run_id == result.run_id)
                        & (static_results.c.target == result.target)
                        & (static_results.c.item_id == result.item_id)
                    )
                )
            if rows:
                conn.execute(insert(static_results), rows)

        self._write(work)

    def static_results(self, run_ids: list[str] | None = None) -> list[StaticResult]:
        """Stored static eval results for the given runs (default: all)."""
        query = select(static_results).order_by(static_results.c.id)
        if run_ids is not None:
            query = query.where(static_results.c.run_id.in_(run_ids))
        with self.engine.connect() as conn:
            rows = conn.execute(query).mappings().all()
        return [
            StaticResult.model_validate({k: v for k, v in row.items() if k != "id"}) for row in rows
        ]

    def audit_keys(self, run_id: str) -> set[tuple[str, int, str]]:
        """(seed, epoch, target) of every audit stored for a run."""
        query = select(audits.c.seed_id, audits.c.epoch, audits.c.target).where(
            audits.c.run_id == run_id
        )
        with self.engine.connect() as conn:
            return {(r.seed_id, r.epoch, r.target) for r in conn.execute(query)}

    def audits(
        self,
        run_ids: list[str] | None = None,
        after_id: int | None = None,
        targets: Sequence[str] | None = None,
    ) -> list[AuditRecord]:
        """Stored audits with their transcripts and verdicts, for the given runs
        (default: all).

        Args:
            run_ids: Only these runs.
            after_id: Only audits stored after the audit with this id (to follow a
                run that other processes are writing).
            targets: Only audits of these target models, read without loading the
                others.
        """
        return read_audits(self.engine, run_ids, after_id, targets)

    def audit_scores(
        self,
        run_ids: list[str] | None = None,
        after_id: int | None = None,
        targets: Sequence[str] | None = None,
    ) -> AuditScores:
        """Stored audits as aggregates need them, for the given runs (default: all):
        without transcripts or the judges' words, each usable verdict's citations
        counted (`summarise(scores.records, ..., citations=scores.citations)`). What
        reports and comparisons of a large store read; the arguments are `audits`'."""
        return read_audit_scores(self.engine, run_ids, after_id, targets)

    def run_counts(self) -> dict[str, dict[str, int]]:
        """Per run id: its stored audits (or static results) counted by status."""
        return run_counts(self.engine)

    def drop_verdicts(self, run_ids: list[str], judge: str) -> int:
        """Remove the verdicts `judge` (a model name or a panel seat) gave in `run_ids`;
        returns how many verdicts (audit, seat, rubric) were removed."""
        return drop_verdicts(self.engine, run_ids, judge)

    def add_usage(self, audit_id: int, usage: Mapping[str, Usage]) -> None:
        """Add token usage per role to a stored audit (summed with what is there),
        e.g. re-judging's under `rejudge:<seat>`."""
        add_usage(self.engine, audit_id, usage)

    def audit(self, audit_id: int) -> AuditRecord | None:
        """One stored audit by id, with its transcript and verdicts (None: no such audit)."""
        return one_audit(self.engine, audit_id)

    def audit_index(
        self, run_ids: list[str] | None = None, dimension: str = "concerning"
    ) -> list[AuditIndexEntry]:
        """Every audit of `run_ids` (default: all) without its transcript, with the
        panel's score on `dimension`: what a list of thousands of audits needs."""
        return audit_index(self.engine, run_ids, dimension)
