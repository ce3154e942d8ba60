"""Several processes writing one store at once (SQLite with WAL, PostgreSQL) lose nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
import time
from collections import Counter
from pathlib import Path

from sqlalchemy import func, select

from assay import Store
from assay.schema import JudgeVerdict, RunConfig
from assay.store import revisions
from assay.store._tables import verdicts

from .test_store import record

ROOT = Path(__file__).resolve().parents[2]
WRITERS = 4


def run_writers(url: str, run_id: str, own: int, shared: int, folder: Path) -> list[dict]:
    """Start WRITERS writer processes, release them together, return their reports."""
    counts = [str(own), str(shared), str(folder)]
    python_path = [p for p in os.environ.get("PYTHONPATH", "").split(os.pathsep) if p]
    procs = [
        subprocess.Popen(
            [sys.executable, "-m", "tests.store._writer", url, run_id, f"w{n}", *counts],
            cwd=ROOT,
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), *python_path])},
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for n in range(WRITERS)
    ]
    deadline = time.monotonic() + 120
    while len(list(folder.glob("ready-*"))) < WRITERS and time.monotonic() < deadline:
        time.sleep(0.01)
    (folder / "go").touch()
    reports = []
    for proc in procs:
        out, err = proc.communicate(timeout=300)
        assert proc.returncode == 0, err[-3000:]
        reports.append(json.loads(out.strip().splitlines()[-1]))
    return reports


def test_four_writer_processes_lose_and_duplicate_nothing(store_url: str, tmp_path: Path) -> None:
    own, shared = 40, 10
    reports = run_writers(store_url, "shared-run", own, shared, tmp_path)

    # The four opened a new store at once: each migration ran exactly once.
    applied = Counter(rev for r in reports for rev in r["applied"])
    assert applied == Counter({rev: 1 for rev in revisions()})
    # They raced to create the run: exactly one did.
    assert sum(r["created"] for r in reports) == 1

    store = Store.open(store_url)
    assert [r.id for r in store.runs()] == ["shared-run"]
    stored = store.audits(["shared-run"])
    keys = Counter(a.seed_id for a in stored)
    expected = {f"w{n}-seed-{i}" for n in range(WRITERS) for i in range(own)}
    expected |= {f"shared-seed-{i}" for i in range(shared)}
    assert set(keys) == expected  # nothing lost
    assert max(keys.values()) == 1  # nothing duplicated
    assert len(stored) == WRITERS * own + shared
    # Every audit kept exactly its own two verdicts (no orphans from replaced rows).
    assert all([v.seat for v in a.verdicts] == ["judge", "judge2"] for a in stored)


def test_concurrent_rejudging_of_one_audit_keeps_one_verdict_per_seat(store_url: str) -> None:
    store = Store.open(store_url)
    run_id = store.create_run(RunConfig(), "assay-default@1", {})
    store.write_audit(record(run_id))
    (audit,) = store.audits([run_id])
    audit_id = audit.id
    assert audit_id is not None
    verdict = record(run_id).verdicts[0]
    errors: list[BaseException] = []
    seen: Counter[int] = Counter()  # rows of the "judge" seat, in each committed state
    done = threading.Event()

    def rejudge(n: int) -> None:
        try:
            for _ in range(25):
                store.add_verdicts(audit_id, [verdict.model_copy(update={"attempts": n + 1})])
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    def watch() -> None:
        # Rows, not AuditRecords: reading a record folds a seat's duplicate rows.
        query = select(func.count()).where(verdicts.c.seat == "judge")
        while not done.is_set():
            with store.engine.connect() as conn:
                seen[conn.execute(query).scalar_one()] += 1

    watcher = threading.Thread(target=watch)
    watcher.start()
    threads = [threading.Thread(target=rejudge, args=(n,)) for n in range(WRITERS)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    done.set()
    watcher.join()
    assert errors == []
    assert set(seen) == {1}, f"a seat held several verdicts at once: {seen}"
    (loaded,) = store.audits([run_id])
    assert Counter(v.seat for v in loaded.verdicts) == Counter({"judge": 1, "judge2": 1})
    judge = next(v for v in loaded.verdicts if v.seat == "judge")
    assert isinstance(judge, JudgeVerdict) and len(judge.scores) == 1
