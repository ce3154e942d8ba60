"""`assay db upgrade|copy|info`, end to end through the real command."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import text

from assay import Store
from assay.store import revisions

from ..store._old_store import at_revision, old_audit, old_run
from ..store.test_copy import populate, snapshot
from .test_cli import assay


def old_store(url: str) -> None:
    """A store at schema 0003 (before judge seats) holding one judged audit."""
    with at_revision(url, "0003") as conn:
        old_run(conn, rubric="r@1")
        audit_id = old_audit(conn, target="sim/t")
        # Verdict rows of 0003 have no seat: insert them as such.
        conn.execute(
            text(
                "INSERT INTO verdicts (audit_id, judge, rubric, dimension, score, status, "
                "attempts) VALUES (:a, 'sim/judge', 'r@1', 'concerning', 4, 'ok', 1)"
            ),
            {"a": audit_id},
        )


def test_upgrade_applies_the_pending_migrations_and_keeps_the_data(store_url: str) -> None:
    old_store(store_url)
    result = assay("db", "upgrade", "--db", store_url)
    assert result.returncode == 0, result.stderr
    head = revisions()[-1]
    later = ", ".join(r for r in revisions() if r > "0003")
    assert f"applied {later}; now at {head}" in result.stdout
    again = assay("db", "upgrade", "--db", store_url)
    assert f"already at {head}" in again.stdout
    (audit,) = Store.open(store_url).audits()
    (verdict,) = audit.verdicts
    assert (verdict.seat, verdict.scores["concerning"].score) == ("judge", 4)


def test_copy_to_postgresql_and_back_then_info(tmp_path: Path, postgres_url: str) -> None:
    original = tmp_path / "original.db"
    populate(Store.open(str(original)))
    there = assay("db", "copy", "--from", str(original), "--to", postgres_url)
    assert there.returncode == 0, there.stderr
    assert "copied" in there.stdout
    assert "runs: 3 new" in there.stdout and "audits: 5 new" in there.stdout
    repeat = assay("db", "copy", "--from", str(original), "--to", postgres_url)
    assert "nothing new to copy" in repeat.stdout
    assert "audits: 0 new, 0 replaced, 5 unchanged" in repeat.stdout
    back = tmp_path / "back.db"
    assert assay("db", "copy", "--from", postgres_url, "--to", str(back)).returncode == 0
    assert snapshot(Store.open(str(back))) == snapshot(Store.open(str(original)))

    info = assay("db", "info", "--db", postgres_url)
    assert info.returncode == 0, info.stderr
    lines = info.stdout.splitlines()
    assert f"schema {revisions()[-1]}, 3 runs" in lines[0]
    run_a = next(line for line in lines if line.startswith("run-a"))
    assert "1 auditor_failure, 1 error, 1 ok" in run_a
    assert "3 error, 3 ok" in run_a  # verdicts: one per audit and seat
    run_static = next(line for line in lines if line.startswith("run-static"))
    assert "1 error, 2 ok" in run_static


def test_bad_stores_are_one_clear_message(tmp_path: Path) -> None:
    unreachable = f"postgresql+psycopg://me:hunter2secret@/nodb?host={tmp_path}"
    cases = [
        (["db", "info", "--db", "nosuchdriver://x"], "not a database URL"),
        (["db", "info", "--db", str(tmp_path / "missing.db")], "no such store"),
        (["db", "upgrade", "--db", unreachable], "cannot open the database"),
        (["db", "copy", "--from", unreachable, "--to", "x.db"], "cannot open the database"),
        (["db", "copy", "--from", "x.db", "--to", "./x.db"], "is the store being copied from"),
    ]
    Store.open("x.db")
    for args, fragment in cases:
        result = assay(*args)
        assert result.returncode == 2, (args, result.stdout, result.stderr)
        assert fragment in result.stderr
        assert "Traceback" not in result.stderr + result.stdout
        assert "hunter2secret" not in result.stderr + result.stdout
