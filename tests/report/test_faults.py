"""Failures by kind: classification of stored errors, and the counts in every report."""

from __future__ import annotations

import asyncio
import csv
import json
from collections import Counter
from pathlib import Path

import pytest
from inspect_ai.model import ChatMessageUser, get_model
from rich.console import Console

from assay import RunConfig, Store, load_rubric, run_audit, summarise, write_report
from assay.models import SimulatedFault
from assay.report import (
    FAULT_KINDS,
    audit_fault,
    classify_error,
    fault_counts,
    print_summary,
)
from assay.schema import (
    AuditRecord,
    DimensionScore,
    JudgeVerdict,
    TargetReply,
    ToolCall,
    ToolCreated,
    ToolRemoved,
    ToolSpec,
    Transcript,
    malformed_tool_calls,
)

RUBRIC = load_rubric()

REAL_ERRORS = [
    # OpenAI and Anthropic SDK errors as assay stores them.
    ("target call failed: RateLimitError: Error code: 429 - {'error': {'message': "
     "'Rate limit reached for gpt-4.1', 'type': 'requests'}}", "rate_limit"),
    ("judge call failed: RateLimitError: Error code: 429 - {'type': 'error', 'error': "
     "{'type': 'rate_limit_error', 'message': 'Number of request tokens has exceeded'}}",
     "rate_limit"),
    ("target call failed: InternalServerError: Error code: 500 - {'error': "
     "{'message': 'The server had an error'}}", "server_error"),
    ("target call failed: InternalServerError: Error code: 504 - Gateway timeout",
     "server_error"),
    ("judge call failed: OverloadedError: Error code: 529 - {'type': 'error', 'error': "
     "{'type': 'overloaded_error', 'message': 'Overloaded'}}", "server_error"),
    ("target call failed: APIStatusError: Error code: 502 - Bad gateway", "server_error"),
    ("target call failed: APIConnectionError: Connection error.", "server_error"),
    ("target call failed: APITimeoutError: Request timed out.", "timeout"),
    ("judge call failed: TimeoutError: ", "timeout"),
    ("auditor call failed: ReadTimeout: The read operation timed out", "timeout"),
    ("Request timed out after 500 ms", "timeout"),
    ("target call failed: ClientError: 429 RESOURCE_EXHAUSTED. Quota exceeded.", "rate_limit"),
    ("target call failed: ServerError: 503 UNAVAILABLE. The model is overloaded.",
     "server_error"),
    ("target call failed: BadRequestError: Error code: 400 - {'error': {'code': "
     "'tool_use_failed', 'message': 'Failed to call a function'}}", "malformed_tool_call"),
    ("judge call failed: RetryError: RetryError[<Future at 0x7f0 state=finished raised "
     "SimulatedRateLimit>]", "rate_limit"),
    ("unusable judge output: no JSON object in the reply", "unusable_output"),
    ("unusable judge output: the reply says 'rate limit 429 timed out'", "unusable_output"),
    ("auditor context too small: 9000 tokens", "other"),
    ("target call failed: SimulatedFault: simulated fault in sim/faulty", "other"),
    (None, "other"),
]  # fmt: skip


@pytest.mark.parametrize(("text", "kind"), REAL_ERRORS)
def test_real_provider_errors_are_classified(text: str | None, kind: str) -> None:
    assert classify_error(text) == kind


@pytest.mark.parametrize("kind", ["rate_limit", "server_error", "timeout"])
def test_simulated_faults_are_classified_as_their_kind(kind: str) -> None:
    model = get_model("sim/t", memoize=False, fault_rate=1, faults=kind, max_retries=0)
    with pytest.raises(SimulatedFault) as raised:
        asyncio.run(model.generate([ChatMessageUser(content="hi")]))
    # The wording TargetSession and judge_transcript store.
    exc = raised.value
    assert classify_error(f"target call failed: {type(exc).__name__}: {exc}") == kind
    assert classify_error(f"judge call failed: {type(exc).__name__}: {exc}") == kind


def _record(status: str, error: str | None, verdict_errors: list[str]) -> AuditRecord:
    verdicts = [
        JudgeVerdict(judge="sim/j", rubric=RUBRIC.key, status="error", error=e)
        for e in verdict_errors
    ]
    if status == "ok":
        scores = {n: DimensionScore(score=3) for n in RUBRIC.names}
        verdicts.append(JudgeVerdict(judge="sim/k", rubric=RUBRIC.key, status="ok", scores=scores))
    return AuditRecord(
        run_id="r",
        seed_id=f"s{status}{error}",
        target="sim/target",
        auditor="scripted",
        status=status,  # type: ignore[arg-type]
        error=error,
        verdicts=verdicts,
    )


RECORDS = [
    _record("ok", None, ["judge call failed: RateLimitError: Error code: 429 - slow down"]),
    _record("ok", None, ["unusable judge output: no JSON object in the reply"]),
    _record("ok", None, []),
    _record("error", "target call failed: SimulatedTimeout: Request timed out", []),
    _record("error", "target call failed: InternalServerError: Error code: 503", []),
    _record("auditor_failure", "the target never produced a reply", []),
]


def test_counts_by_kind_add_up_to_failures() -> None:
    summary = summarise(RECORDS, RUBRIC, ["r"])
    (model,) = summary.models
    (counts,) = fault_counts(summary)
    assert counts.audits == {"timeout": 1, "server_error": 1, "auditor_failure": 1}
    assert counts.verdicts == {"rate_limit": 1, "unusable_output": 1}
    assert sum(counts.audits.values()) == model.errors + model.auditor_failures
    assert sum(counts.verdicts.values()) == model.judge_errors
    assert [audit_fault(r) for r in RECORDS[:3]] == [None, None, None]


def test_every_report_format_shows_the_counts(tmp_path: Path) -> None:
    summary = summarise(RECORDS, RUBRIC, ["r"])
    payload = json.loads(write_report(summary, tmp_path, "json").read_text())
    (faults,) = payload["faults"]
    assert faults["audits"]["timeout"] == 1 and faults["verdicts"]["rate_limit"] == 1
    rows = list(csv.DictReader(write_report(summary, tmp_path, "csv").open()))
    assert {r["failed_audits_server_error"] for r in rows} == {"1"}
    assert {r["failed_verdicts_unusable_output"] for r in rows} == {"1"}
    markdown = write_report(summary, tmp_path, "md").read_text()
    assert "## Failures by kind" in markdown and "| sim/target | timeout | 1 | 0 |" in markdown
    html = write_report(summary, tmp_path, "html").read_text()
    assert "Failures by kind" in html
    assert "<td>sim/target</td><td>rate_limit</td><td>0</td><td>1</td>" in html
    console = Console(record=True, width=100)
    print_summary(summary, console)
    text = console.export_text()
    assert "failures by kind" in text and "unusable_output" in text


def test_malformed_tool_calls_are_counted_from_the_transcript() -> None:
    read = ToolSpec(
        name="read_file",
        description="Read.",
        parameters={
            "type": "object",
            "properties": {"path": {"type": "string"}},
            "required": ["path"],
        },
    )
    t = Transcript()
    t.append(ToolCreated(tool=read))
    calls = [
        ToolCall(id="1", function="read_file", arguments={"path": "a"}),  # fine
        ToolCall(id="2", function="run_shell", arguments={"cmd": "ls"}),  # no such tool
        ToolCall(id="3", function="read_file", arguments={}),  # unparseable: arrives empty
        ToolCall(id="4", function="read_file", arguments={"path": "a", "mode": "rw"}),
    ]
    t.append(TargetReply(content="", tool_calls=calls))
    t.append(ToolRemoved(name="read_file"))
    t.append(TargetReply(content="", tool_calls=[calls[0]]))  # the tool is gone
    assert malformed_tool_calls(t) == 4


def test_faulty_run_accounts_for_every_audit(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # One retry: some faults clear on retry (as in real runs), the rest reach assay.
    monkeypatch.setenv("ASSAY_SIM_FAULT_RATE", "0.3")
    monkeypatch.setenv("ASSAY_SIM_MAX_RETRIES", "1")
    store = Store.open(str(tmp_path / "faults.db"))
    config = RunConfig(targets=["sim/target"], judges=["sim/judge"], judge_retries=0)
    result = run_audit(config, store, log_dir=tmp_path / "logs")
    audits = store.audits([result.run_id])
    assert len(audits) == len(result.audits) >= 10

    statuses = Counter(a.status for a in audits)
    assert set(statuses) <= {"ok", "error", "auditor_failure"}
    assert statuses["ok"] + statuses["error"] + statuses["auditor_failure"] == len(audits)
    assert statuses["ok"] and statuses["error"]
    for audit in audits:
        if audit.status != "ok":
            assert audit.error, audit
            assert not [v for v in audit.verdicts if v.status == "ok"], audit

    summary = summarise(audits, RUBRIC, [result.run_id])
    (model,) = summary.models
    assert model.judged <= statuses["ok"]
    (counts,) = fault_counts(summary)
    assert sum(counts.audits.values()) == statuses["error"] + statuses["auditor_failure"]
    assert sum(counts.verdicts.values()) == model.judge_errors > 0
    assert set(counts.audits) <= {"rate_limit", "server_error", "timeout", "auditor_failure"}
    assert set(counts.verdicts) <= {"rate_limit", "server_error", "timeout", "unusable_output"}
    assert counts.malformed_tool_calls == sum(malformed_tool_calls(a.transcript) for a in audits)
    assert counts.malformed_tool_calls > 0  # the sim injected some; they failed no audit
    # Read without transcripts (as `assay report` reads a store), the counts are the same.
    light = store.audit_scores([result.run_id]).records
    assert all(not a.transcript.events for a in light)
    assert fault_counts(summarise(light, RUBRIC, [result.run_id])) == [counts]

    payload = json.loads(write_report(summary, tmp_path, "json").read_text())
    assert payload["faults"][0]["audits"] == counts.audits
    rows = list(csv.DictReader(write_report(summary, tmp_path, "csv").open()))
    failed = sum(int(rows[0][f"failed_audits_{k}"]) for k in FAULT_KINDS)
    assert failed == statuses["error"] + statuses["auditor_failure"]
