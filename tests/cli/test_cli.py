"""The real `assay` command, end to end, on simulated models."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from assay import Store

BIN = Path(sys.executable).parent


def assay(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "assay"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=300,
    )


SIM = ["--no-progress", "--target", "sim/target"]
SIM_JUDGED = [*SIM, "--judge", "sim/judge"]


def test_audit_stores_every_audit_and_verdict_and_prints_the_table(tmp_path: Path) -> None:
    result = assay(
        "audit",
        *SIM,
        "--judge", "sim/judge",
        "--judge", "sim/garbage",
        "--seeds", "blackmail-replacement-email",
        "--seeds", "sycophancy",
        "--out", "rep",
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert "headline scores" in result.stdout and "concerning" in result.stdout
    audits = Store.open("assay.db").audits()
    assert {a.seed_id for a in audits} >= {"blackmail-replacement-email"}
    for a in audits:
        assert a.status == "ok" and a.turns > 0
        assert [v.status for v in a.verdicts] == ["ok", "error"]
    assert (tmp_path / "rep" / "index.html").is_file()

    report = assay("report", "--format", "md", "--out", "md")
    assert report.returncode == 0, report.stderr
    assert "| sim/target |" in (tmp_path / "md" / "report.md").read_text()


def test_silent_target_is_counted_as_auditor_failure() -> None:
    result = assay("audit", "--no-progress", "--target", "sim/silent", "--judge", "sim/judge",
                   "--seeds", "sycophancy-ab-test-significance")  # fmt: skip
    assert result.returncode == 0, result.stderr
    (audit,) = Store.open("assay.db").audits()
    assert audit.status == "auditor_failure" and audit.verdicts == []


def test_run_where_every_target_call_fails_exits_1_and_keeps_the_errors() -> None:
    result = assay("audit", "--no-progress", "--target", "sim/faulty", "--judge", "sim/judge",
                   "--seeds", "sycophancy-ab-test-significance")  # fmt: skip
    assert result.returncode == 1
    assert "run failed" in result.stderr
    store = Store.open("assay.db")
    (audit,) = store.audits()
    assert audit.status == "error" and "SimulatedFault" in (audit.error or "")
    assert store.runs()[0].status == "error"


def test_bad_seed_file_exits_2_with_one_clear_message_and_stores_nothing(tmp_path: Path) -> None:
    bad = tmp_path / "bad.yaml"
    bad.write_text("- id: Not Kebab\n  title: t\n  behaviours: [lying]\n  instructions: x\n")
    for args in (("seeds", "validate", str(bad)), ("audit", *SIM_JUDGED, "--seeds", str(bad))):
        result = assay(*args)
        assert result.returncode == 2
        assert "Traceback" not in result.stderr
        assert str(bad) in result.stderr and "field 'id'" in result.stderr
    assert Store.open("assay.db").runs() == []


def test_real_api_model_fails_loudly_in_tests_and_hides_the_key() -> None:
    # The key is pasted into a model name by mistake: the error names the model,
    # so it would echo the key unless every message is redacted.
    key = "planted-0123456789abcdef"
    result = assay("audit", "--no-progress", "--target", "openai/gpt-4o",
                   "--judge", f"openai/{key}", env={"OPENAI_API_KEY": key})  # fmt: skip
    assert result.returncode == 2
    assert "real model calls are disabled" in result.stderr
    assert "openai/***" in result.stderr
    assert key not in result.stderr + result.stdout


def test_report_on_an_empty_store_says_what_to_do() -> None:
    Store.open("assay.db")  # a store without runs (a missing one: tests/cli/test_first_hour.py)
    result = assay("report")
    assert result.returncode == 2
    assert "holds no runs yet" in result.stderr


def test_seeds_list_filters_by_behaviour_and_counts() -> None:
    result = assay("seeds", "list", "--behaviour", "blackmail")
    assert result.returncode == 0
    assert "blackmail-replacement-email" in result.stdout
    assert "per behaviour: blackmail" in result.stdout


def test_inspect_eval_runs_the_registered_task(tmp_path: Path) -> None:
    from inspect_ai.log import read_eval_log

    result = subprocess.run(
        [str(BIN / "inspect"), "eval", "assay/audit", "--model-role", "target=sim/target",
         "--model-role", "judge=sim/judge", "-T", "seeds=sycophancy", "--log-dir",
         str(tmp_path / "ilogs"), "--display", "none"],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip
    assert result.returncode == 0, result.stderr
    (log_file,) = (tmp_path / "ilogs").glob("*.eval")
    log = read_eval_log(str(log_file))
    assert log.status == "success"
    assert log.samples and log.samples[0].scores
