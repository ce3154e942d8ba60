"""What differs between SQLite and PostgreSQL, made to behave the same on both."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest
from sqlalchemy import func, select, text

from assay import InputError, Store
from assay.schema import RunConfig, StaticResult, UserMessage
from assay.store import revisions
from assay.store._tables import audits, runs

from .._postgres import PostgresServer
from .test_store import record


def test_losing_a_run_creation_race_leaves_the_store_usable(
    store_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    store = Store.open(store_url)
    assert store.ensure_run("r1", RunConfig(), "r@1", {}) is True
    # Another process created the run between our look-up and our insert.
    real_find = store.find_run
    calls = iter([None])
    monkeypatch.setattr(store, "find_run", lambda run_id: next(calls, real_find(run_id)))
    assert store.ensure_run("r1", RunConfig(), "r@1", {}) is False
    # The failed insert was rolled back: the same pooled connections keep working.
    store.write_audit(record("r1"))
    assert [a.seed_id for a in store.audits(["r1"])] == ["s1"]
    assert store.ensure_run("r1", RunConfig(), "r@1", {}) is False


def test_nul_characters_in_text_are_stored(store_url: str) -> None:
    # PostgreSQL text cannot hold NUL; model output and provider errors can.
    store = Store.open(store_url)
    run_id = store.create_run(RunConfig(), "r@1", {})
    audit = record(run_id, status="error")
    audit.error = "provider said \x00 nothing"
    audit.verdicts[0].scores["concerning"].justification = "quote: \x00"
    audit.transcript.append(UserMessage(content="nul \x00 inside the transcript"))
    store.write_audit(audit)
    store.finish_run(run_id, "error", "stopped at \x00")
    (loaded,) = store.audits([run_id])
    assert loaded.error == "provider said \ufffd nothing"
    assert loaded.verdicts[0].scores["concerning"].justification == "quote: \ufffd"
    assert loaded.transcript.events[-1].content == "nul \x00 inside the transcript"  # type: ignore[union-attr]
    assert store.run(run_id).error == "stopped at \ufffd"


def test_over_long_names_are_refused_alike_and_nothing_is_written(store_url: str) -> None:
    store = Store.open(store_url)
    run_id = store.create_run(RunConfig(), "r@1", {})
    with pytest.raises(InputError, match=r"seed_id.*201 characters, more than the 200"):
        store.write_audit(record(run_id, seed="s" * 201))
    with pytest.raises(InputError, match="target"):
        store.write_static_results(
            [
                StaticResult(
                    run_id=run_id,
                    target="t" * 301,
                    item_id="i",
                    behaviour="b",
                    source="x",
                    status="ok",
                )
            ]
        )
    store.write_audit(record(run_id, seed="s" * 200))  # at the limit is fine
    assert [len(a.seed_id) for a in store.audits()] == [200]
    assert store.static_results() == []


def test_times_come_back_as_the_same_instant_in_utc(store_url: str) -> None:
    store = Store.open(store_url)
    run_id = store.create_run(RunConfig(), "r@1", {})
    audit = record(run_id)
    # A time with another offset must not shift (SQLite keeps no offset).
    audit.finished = datetime(2026, 3, 1, 12, 0, tzinfo=timezone(timedelta(hours=-5)))
    store.write_audit(audit)
    (loaded,) = store.audits([run_id])
    assert loaded.finished == datetime(2026, 3, 1, 17, 0, tzinfo=UTC)
    assert loaded.finished.utcoffset() == timedelta(0)
    (info,) = store.runs()
    assert info.started.tzinfo is not None and info.started.utcoffset() == timedelta(0)
    assert abs(info.started - datetime.now(UTC)) < timedelta(minutes=5)


def test_ids_count_up_per_table(store_url: str) -> None:
    store = Store.open(store_url)
    run_id = store.create_run(RunConfig(), "r@1", {})
    for seed in ("a", "b", "c"):
        store.write_audit(record(run_id, seed=seed))
    ids = [a.id for a in store.audits([run_id])]
    assert ids == sorted(ids) and len(set(ids)) == 3
    with store.engine.connect() as conn:
        assert conn.execute(select(func.count()).select_from(audits)).scalar() == 3
        assert conn.execute(select(func.count()).select_from(runs)).scalar() == 1


def test_a_store_from_a_newer_assay_is_a_clear_error(store_url: str) -> None:
    store = Store.open(store_url)
    with store.engine.begin() as conn:
        conn.execute(text("UPDATE alembic_version SET version_num = '0999'"))
    with pytest.raises(InputError, match=r"schema revision 0999, newer than this assay"):
        Store.open(store_url)


def test_plain_postgresql_urls_use_psycopg(postgres_server: PostgresServer) -> None:
    name = postgres_server.create_database()
    try:
        url = postgres_server.url(name).replace("postgresql+psycopg://", "postgresql://")
        store = Store.open(url)
        assert store.engine.dialect.driver == "psycopg"
        assert store.applied[-1] == revisions()[-1]
        store.engine.dispose()
    finally:
        postgres_server.drop_database(name)


def test_unreachable_postgresql_is_one_clear_error(tmp_path: Path) -> None:
    url = f"postgresql+psycopg://someone:hunter2secret@/nodb?host={tmp_path}"
    with pytest.raises(InputError) as info:
        Store.open(url)
    message = str(info.value)
    assert "cannot open the database" in message and "hunter2secret" not in message
    assert "someone:***@" in message
