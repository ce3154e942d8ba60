from __future__ import annotations

import pytest
from sqlalchemy import inspect as sql_inspect

from assay import InputError, Store
from assay.schema import (
    AuditRecord,
    DimensionScore,
    JudgeVerdict,
    RunConfig,
    TargetReply,
    ToolCall,
    Transcript,
    Usage,
    UserMessage,
)
from assay.store import revisions

from ._old_store import at_revision, old_audit, old_run


def record(run_id: str, seed: str = "s1", status: str = "ok") -> AuditRecord:
    t = Transcript()
    t.append(UserMessage(content="hello"))
    t.append(TargetReply(content="hi"))
    return AuditRecord(
        run_id=run_id,
        seed_id=seed,
        target="sim/target",
        auditor="scripted",
        status=status,  # type: ignore[arg-type]
        turns=1,
        usage={"target": Usage(input_tokens=10, output_tokens=2)},
        transcript=t,
        verdicts=[
            JudgeVerdict(
                judge="sim/judge",
                rubric="assay-default@1",
                status="ok",
                scores={"concerning": DimensionScore(score=7, justification="[1] threat")},
            ),
            JudgeVerdict(
                judge="sim/garbage",
                seat="judge2",
                rubric="assay-default@1",
                status="error",
                error="unusable judge output: no JSON object in the reply",
                attempts=3,
            ),
        ],
    )


def test_round_trip_keeps_transcript_scores_and_error_verdicts(store_url: str) -> None:
    store = Store.open(store_url)
    run_id = store.create_run(RunConfig(), "assay-default@1", {"assay": "0"})
    original = record(run_id)
    store.write_audit(original)
    (loaded,) = store.audits([run_id])
    assert loaded.transcript == original.transcript
    assert loaded.usage["target"].input_tokens == 10
    ok, error = loaded.verdicts
    assert ok.scores["concerning"].score == 7
    assert error.status == "error" and error.scores == {} and error.attempts == 3
    assert store.run(run_id).status == "running"
    store.finish_run(run_id, "ok")
    assert store.run(run_id).status == "ok"


def test_reads_by_target_by_id_and_as_a_light_index(store_url: str) -> None:
    store = Store.open(store_url)
    run_id = store.create_run(RunConfig(), "assay-default@1", {})
    for n, target in enumerate(["sim/a", "sim/b", "sim/c", "sim/a"]):
        store.write_audit(record(run_id, seed=f"s{n}").model_copy(update={"target": target}))
    chosen = store.audits([run_id], targets=["sim/a", "sim/c"])
    assert sorted((r.target, r.seed_id) for r in chosen) == [
        ("sim/a", "s0"),
        ("sim/a", "s3"),
        ("sim/c", "s2"),
    ]
    assert store.audits(targets=["sim/nobody"]) == []
    first = store.audits([run_id])[0]
    assert first.id is not None and store.audit(first.id) == first
    assert store.audit(10_000) is None
    index = store.audit_index([run_id], "concerning")
    assert [(e.seed_id, e.target, e.status, e.turns) for e in index] == [
        (f"s{n}", t, "ok", 1) for n, t in enumerate(["sim/a", "sim/b", "sim/c", "sim/a"])
    ]
    # The run's rubric is assay-default@1, so the panel score counts the ok verdict only.
    assert {(e.score, e.judges) for e in index} == {(7.0, 1)}
    assert {e.score for e in store.audit_index([run_id], "sycophancy")} == {None}


def test_rewriting_an_audit_replaces_it(store_url: str) -> None:
    store = Store.open(store_url)
    run_id = store.create_run(RunConfig(), "r@1", {})
    store.write_audit(record(run_id, status="error"))
    store.write_audit(record(run_id, status="ok"))
    audits = store.audits([run_id])
    assert [a.status for a in audits] == ["ok"]


def test_store_is_migrated_with_alembic(store_url: str) -> None:
    store = Store.open(store_url)
    tables = set(sql_inspect(store.engine).get_table_names())
    assert {"runs", "audits", "verdicts", "static_results", "alembic_version"} <= tables
    assert store.applied == revisions() and revisions()[:4] == ["0001", "0002", "0003", "0004"]
    again = Store.open(store_url)  # reopening an up-to-date store is a no-op
    assert again.applied == []


@pytest.mark.parametrize(
    ("url", "fragment"),
    [
        ("nosuchdriver://x", "not a database URL"),
        ("sqlite:////no/such/folder/assay.db", "does not exist"),
    ],
)
def test_bad_store_url_is_a_clear_error(url: str, fragment: str) -> None:
    with pytest.raises(InputError, match=fragment):
        Store.open(url)


def test_passwords_in_urls_and_errors_are_redacted(store_url: str) -> None:
    with pytest.raises(InputError) as info:
        Store.open("nosuchdriver://user:hunter2secret@host/db")
    assert "hunter2secret" not in str(info.value)
    store = Store.open(store_url)
    run_id = store.create_run(RunConfig(), "r@1", {})
    leaky = record(run_id, status="error")
    leaky.error = "401 from api: key sk-abcdefghijklmnopqrstuvwx rejected"
    store.write_audit(leaky)
    (loaded,) = store.audits([run_id])
    assert loaded.error is not None and "sk-abcdefghijklmnop" not in loaded.error


def test_upgrade_counts_malformed_tool_calls_of_older_audits(store_url: str) -> None:
    t = Transcript()
    t.append(UserMessage(content="hello"))
    t.append(TargetReply(content="", tool_calls=[ToolCall(id="c1", function="nope")]))
    with at_revision(store_url, "0005") as conn:
        old_run(conn, "old", rubric="r@1")
        for seed, details in (("s1", {"auditor_tool_calls": 4}), ("s2", None)):
            transcript = t.model_dump(mode="json")
            old_audit(conn, "old", seed, transcript=transcript, details=details)
    store = Store.open(store_url)
    assert "0006" in store.applied
    first, second = store.audit_scores(["old"]).records
    assert first.details == {"auditor_tool_calls": 4, "malformed_tool_calls": 1}
    assert second.details == {"malformed_tool_calls": 1}
    assert not first.transcript.events
    # New audits get the count when written.
    store.write_audit(record("old", seed="s3").model_copy(update={"transcript": t}))
    assert store.audit_scores(["old"]).records[-1].details["malformed_tool_calls"] == 1
