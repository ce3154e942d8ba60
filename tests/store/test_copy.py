"""Copying results between stores: no duplicates, idempotent, lossless across back-ends."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from assay import InputError, Store
from assay.schema import DimensionScore, JudgeVerdict, RunConfig, StaticResult
from assay.store import copy_runs

from .test_store import record


def populate(store: Store) -> list[str]:
    """Two audit runs (ok, error and auditor_failure audits, an error verdict) and a
    static run; returns the run ids."""
    first = store.create_run(RunConfig(), "assay-default@1", {"assay": "0.1"}, run_id="run-a")
    for seed, status in (("s1", "ok"), ("s2", "error"), ("s3", "auditor_failure")):
        audit = record(first, seed=seed, status=status)
        audit.cost = 0.125
        audit.details = {"tool_calls": 3, "nested": {"ratio": 0.5, "names": ["x", "ü"]}}
        audit.finished = datetime(2026, 1, 2, 3, 4, 5, 678901, tzinfo=UTC)
        store.write_audit(audit)
    store.finish_run(first, "ok")
    second = store.create_run(RunConfig(epochs=2), "assay-default@1", {}, run_id="run-b")
    for epoch in (1, 2):
        audit = record(second)
        audit.epoch = epoch
        store.write_audit(audit)
    static = store.create_run(RunConfig(), "static", {}, run_id="run-static")
    store.write_static_results(
        [
            StaticResult(
                run_id=static,
                target="sim/target",
                item_id=f"item-{i}",
                behaviour="power_seeking",
                source="probes/power.yaml",
                status="ok" if i else "error",
                score=0.25 * i if i else None,
                method="logprobs" if i else None,
                answer="A" if i else None,
                error=None if i else "no answer",
            )
            for i in range(3)
        ]
    )
    store.finish_run(static, "ok")
    return [first, second, static]


def snapshot(store: Store) -> dict[str, Any]:
    """Everything a store holds, without row ids (they differ between stores)."""
    audits = sorted(
        (a.model_dump(mode="json", exclude={"id"}) for a in store.audits()),
        key=lambda a: (a["run_id"], a["seed_id"], a["epoch"], a["target"]),
    )
    return {
        "runs": store.runs(),
        "audits": audits,
        "static": sorted(
            (r.model_dump() for r in store.static_results()),
            key=lambda r: (r["run_id"], r["item_id"]),
        ),
    }


def test_copying_twice_duplicates_nothing(store_url: str, tmp_path: Path) -> None:
    source = Store.open(str(tmp_path / "source.db"))
    populate(source)
    dest = Store.open(store_url)

    first = copy_runs(source, dest)
    assert (first.runs_new, first.audits_new, first.static_new) == (3, 5, 3)
    assert first.verdicts_new == 10  # two verdict rows per audit (a score, an error)
    again = copy_runs(source, dest)
    assert not again.changed
    assert (again.runs_same, again.audits_same, again.static_same) == (3, 5, 3)
    assert snapshot(dest) == snapshot(source)


def test_round_trip_sqlite_postgresql_sqlite_equals_the_original(
    tmp_path: Path, postgres_url: str
) -> None:
    original = Store.open(str(tmp_path / "original.db"))
    populate(original)
    middle = Store.open(postgres_url)
    back = Store.open(str(tmp_path / "back.db"))
    copy_runs(original, middle)
    copy_runs(middle, back)
    assert snapshot(middle) == snapshot(original)
    assert snapshot(back) == snapshot(original)
    assert not copy_runs(back, middle).changed


def test_copy_merges_by_key_and_the_source_wins(store_url: str, tmp_path: Path) -> None:
    source = Store.open(str(tmp_path / "source.db"))
    populate(source)
    dest = Store.open(store_url)
    copy_runs(source, dest)
    # Only the destination has this run and this audit: both are kept.
    dest.create_run(RunConfig(), "r@1", {}, run_id="dest-only")
    dest.write_audit(record("run-a", seed="dest-only-seed"))
    # The source reruns one audit, re-judges another, finishes a run differently.
    rerun = record("run-a", seed="s2", status="ok")
    rerun.finished = datetime.now(UTC) + timedelta(seconds=1)
    source.write_audit(rerun)
    (s1,) = [a for a in source.audits(["run-a"]) if a.seed_id == "s1"]
    assert s1.id is not None
    rejudged = JudgeVerdict(
        judge="sim/judge2",
        seat="judge2",
        rubric="assay-default@1",
        status="ok",
        scores={"concerning": DimensionScore(score=2, justification="fine")},
    )
    source.add_verdicts(s1.id, [rejudged])
    source.finish_run("run-b", "interrupted")

    summary = copy_runs(source, dest)
    assert (summary.runs_updated, summary.runs_same, summary.runs_new) == (1, 2, 0)
    assert (summary.audits_replaced, summary.audits_same) == (1, 4)
    assert summary.verdicts_new == 2 + 1  # the rerun's two rows, the re-judged seat's one
    assert {r.id for r in dest.runs()} == {"run-a", "run-b", "run-static", "dest-only"}
    assert dest.run("run-b").status == "interrupted"
    by_seed = {a.seed_id: a for a in dest.audits(["run-a"])}
    assert set(by_seed) == {"s1", "s2", "s3", "dest-only-seed"}
    assert by_seed["s2"].status == "ok"
    judge2 = next(v for v in by_seed["s1"].verdicts if v.seat == "judge2")
    assert judge2.status == "ok" and judge2.scores["concerning"].score == 2
    assert len(by_seed["s1"].verdicts) == 2  # the error verdict was replaced, not kept
    copied = {k: v for k, v in snapshot(dest).items() if k != "runs"}
    assert not copy_runs(source, dest).changed
    assert {k: v for k, v in snapshot(dest).items() if k != "runs"} == copied


def test_copy_of_chosen_runs_and_onto_itself(tmp_path: Path) -> None:
    source = Store.open(str(tmp_path / "source.db"))
    populate(source)
    dest = Store.open(str(tmp_path / "dest.db"))
    summary = copy_runs(source, dest, ["run-b"])
    assert (summary.runs_new, summary.audits_new) == (1, 2)
    assert [r.id for r in dest.runs()] == ["run-b"]
    with pytest.raises(InputError, match="is the store being copied from"):
        copy_runs(source, Store.open(f"sqlite:///{tmp_path}/./source.db"))
