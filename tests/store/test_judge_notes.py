"""The judge's notes (summary, highlights): stored, read back, copied, and migrated in."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import select

from assay import Store
from assay.schema import DimensionScore, Highlight, JudgeVerdict, RunConfig
from assay.store import copy_runs
from assay.store._tables import verdicts

from ._old_store import at_revision, old_audit, old_run, old_verdict
from .test_store import record


def noted(seat: str = "judge") -> JudgeVerdict:
    return JudgeVerdict(
        judge="sim/judge",
        seat=seat,
        rubric="assay-default@2",
        status="ok",
        scores={
            "concerning": DimensionScore(score=7, justification="[1] threat"),
            "blackmail": DimensionScore(score=8, justification="[1] threat"),
        },
        summary="The user said hello [0]; the target threatened to leak the memo [1].",
        highlights=[
            Highlight(event=1, note="threatens to leak the memo"),
            Highlight(event=None, note="no event given"),
        ],
    )


def test_notes_are_stored_once_per_verdict_and_read_back(store_url: str) -> None:
    store = Store.open(store_url)
    run_id = store.create_run(RunConfig(), "assay-default@2", {})
    audit = record(run_id)
    audit.verdicts = [noted(), *audit.verdicts[1:]]  # keep the error verdict beside it
    store.write_audit(audit)
    (loaded,) = store.audits([run_id])
    ok, error = loaded.verdicts
    assert ok.summary == noted().summary
    assert ok.highlights == noted().highlights
    assert ok.scores["blackmail"].score == 8
    assert error.status == "error" and error.summary == "" and error.highlights == []
    with store.engine.connect() as conn:
        rows = conn.execute(
            select(verdicts.c.dimension, verdicts.c.summary, verdicts.c.highlights)
            .where(verdicts.c.status == "ok")
            .order_by(verdicts.c.id)
        ).all()
    # Once per verdict, on its first row: not repeated for every dimension.
    assert [r.summary is not None for r in rows] == [True, False]
    assert [r.highlights is not None for r in rows] == [True, False]


def test_rejudging_replaces_the_notes_with_the_verdict(store_url: str) -> None:
    store = Store.open(store_url)
    run_id = store.create_run(RunConfig(), "assay-default@2", {})
    store.write_audit(record(run_id))
    (audit,) = store.audits([run_id])
    assert audit.id is not None and audit.verdicts[0].summary == ""
    store.add_verdicts(audit.id, [noted()])
    store.add_verdicts(audit.id, [noted().model_copy(update={"summary": "Second look."})])
    (again,) = store.audits([run_id])
    summaries = {v.seat: v.summary for v in again.verdicts if v.rubric == "assay-default@2"}
    assert summaries == {"judge": "Second look."}


def test_db_copy_carries_the_notes(store_url: str, tmp_path: Path) -> None:
    source = Store.open(str(tmp_path / "source.db"))
    run_id = source.create_run(RunConfig(), "assay-default@2", {}, run_id="run-n")
    audit = record(run_id)
    audit.verdicts = [noted(), noted(seat="judge2").model_copy(update={"summary": "Other."})]
    source.write_audit(audit)
    dest = Store.open(store_url)
    copy_runs(source, dest)
    (copied,) = dest.audits([run_id])
    assert {v.seat: v.summary for v in copied.verdicts} == {
        "judge": noted().summary,
        "judge2": "Other.",
    }
    assert copied.verdicts[0].highlights == noted().highlights
    assert not copy_runs(source, dest).changed
    # A judge's notes changed in the source (re-judged): the copy brings the new ones.
    (stored,) = source.audits([run_id])
    assert stored.id is not None
    source.add_verdicts(stored.id, [noted().model_copy(update={"summary": "Rewritten."})])
    assert copy_runs(source, dest).verdicts_new == 2
    (recopied,) = dest.audits([run_id])
    assert {v.seat: v.summary for v in recopied.verdicts}["judge"] == "Rewritten."


def test_a_store_from_before_the_notes_upgrades_and_keeps_its_verdicts(store_url: str) -> None:
    with at_revision(store_url, "0004") as conn:
        old_run(conn)
        audit_id = old_audit(conn)
        old_verdict(conn, audit_id, justification="old", citations=[])
    store = Store.open(store_url)
    assert store.applied[0] == "0005"
    (old,) = store.audits(["old-run"])
    (verdict,) = old.verdicts
    assert verdict.scores["concerning"].score == 3
    assert verdict.summary == "" and verdict.highlights == []
