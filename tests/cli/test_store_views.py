"""Finding your way around a store, results that never go silent, and the Inspect way in."""

from __future__ import annotations

import csv
import json
import subprocess
from pathlib import Path

import yaml

from assay import Store
from assay.judge import headline_rubric_path

from .test_cli import BIN, SIM, assay

SEED = "sycophancy-ab-test-significance"
PANEL = ["--judge", "sim/judge", "--judge", "sim/garbage"]


def _audit_and_probe() -> tuple[str, str]:
    audited = assay(
        "audit", *SIM, *PANEL, "--seeds", SEED, "--seeds", "blackmail-replacement-email"
    )
    assert audited.returncode == 0, audited.stderr
    probed = assay("static", "--no-progress", "--target", "sim/target")
    assert probed.returncode == 0, probed.stderr
    audit_run, static_run = (r.id for r in Store.open("assay.db").runs())
    return audit_run, static_run


def test_runs_report_and_exports_cover_audits_and_static_probes() -> None:
    audit_run, static_run = _audit_and_probe()

    runs = assay("runs")
    assert runs.returncode == 0, runs.stderr
    assert audit_run in runs.stdout and static_run in runs.stdout
    assert "audits: 2 ok" in runs.stdout and "probes: 100 ok" in runs.stdout
    assert "judge sim/judge, sim/garbage" in runs.stdout

    # No --run: the latest audit run and the static run made after it, side by side.
    report = assay("report", "--format", "json", "--out", "rep")
    assert report.returncode == 0, report.stderr
    assert "headline scores" in report.stdout and "static probes" in report.stdout
    payload = json.loads(Path("rep/report.json").read_text())
    assert payload["runs"] == [audit_run, static_run]
    seeds = {row["seed"]: row for row in payload["seeds"]}
    assert set(seeds) == {SEED, "blackmail-replacement-email"}
    assert seeds[SEED]["judged"] == 1 and seeds[SEED]["scores"]["concerning"] is not None

    assert assay("report", "--format", "csv", "--out", "rep").returncode == 0
    rows = list(csv.DictReader(Path("rep/seeds.csv").read_text().splitlines()))
    assert {r["seed"] for r in rows} == set(seeds) and rows[0]["score"]

    assert assay("report", "--format", "md", "--out", "rep").returncode == 0
    markdown = Path("rep/report.md").read_text()
    assert "## Judge panel" in markdown and "judge2=sim/garbage" in markdown
    assert "## Panel agreement" in markdown


def test_judge_drop_removes_a_bad_judges_verdicts() -> None:
    audited = assay("audit", *SIM, *PANEL, "--seeds", SEED)
    assert audited.returncode == 0, audited.stderr
    (run,) = (r.id for r in Store.open("assay.db").runs())
    dropped = assay("judge", "--run", run, "--drop", "sim/garbage")
    assert dropped.returncode == 0, dropped.stderr
    assert "dropped 1 verdicts by sim/garbage" in dropped.stdout
    (record,) = Store.open("assay.db").audits()
    assert [v.judge for v in record.verdicts] == ["sim/judge"]
    again = assay("judge", "--run", run, "--drop", "sim/garbage")
    assert again.returncode == 2 and "gave no verdict" in again.stderr


def test_report_says_when_a_judge_has_no_verdicts() -> None:
    assert assay("audit", *SIM, "--judge", "sim/judge", "--seeds", SEED).returncode == 0
    result = assay("report", "--judge", "sim/nobody")
    assert result.returncode == 2
    assert "sim/nobody" in result.stderr and "judge=sim/judge" in result.stderr


def test_report_uses_the_runs_own_rubric_or_says_which_rubrics_exist(tmp_path: Path) -> None:
    data = yaml.safe_load(headline_rubric_path().read_text())
    data["name"] = "my-rubric"
    rubric = tmp_path / "my-rubric.yaml"
    rubric.write_text(yaml.safe_dump(data))
    audited = assay("audit", *SIM, "--judge", "sim/judge", "--seeds", SEED, "--rubric", str(rubric))
    assert audited.returncode == 0, audited.stderr

    report = assay("report", "--format", "json", "--out", "rep")
    assert report.returncode == 0, report.stderr
    payload = json.loads(Path("rep/report.json").read_text())
    assert payload["rubric"].startswith(f"my-rubric@{data['version']}#")
    (model,) = payload["models"]
    assert model["judged"] == 1 and model["dimensions"]["concerning"]["mean"]["mean"] is not None

    rubric.unlink()  # the run's rubric file is gone: say which rubrics the store holds
    result = assay("report")
    assert result.returncode == 2
    message = " ".join(result.stderr.split())
    assert f"my-rubric@{data['version']}#" in message and "--rubric FILE" in message
    data["dimensions"] = data["dimensions"][:2]  # a different rubric: no verdicts under it
    other = tmp_path / "other.yaml"
    other.write_text(yaml.safe_dump(data))
    result = assay("report", "--rubric", str(other))
    assert result.returncode == 2 and "no verdict" in result.stderr


def _inspect_eval(tmp_path: Path, *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [str(BIN / "inspect"), "eval", "assay/audit", "--log-dir", str(tmp_path / "ilogs"),
         "--display", "none", *args],
        capture_output=True, text=True, timeout=300,
    )  # fmt: skip


def test_inspect_eval_refuses_a_seed_typo_and_a_missing_judge(tmp_path: Path) -> None:
    typo = _inspect_eval(
        tmp_path, "--model-role", "target=sim/target", "--model-role", "judge=sim/judge",
        "-T", "seeds=sycophancyy",
    )  # fmt: skip
    assert typo.returncode == 1
    assert "sycophancyy" in typo.stderr and "did you mean sycophancy" in typo.stderr
    assert "Traceback" not in typo.stderr and "unhashable" not in typo.stderr

    no_judge = _inspect_eval(tmp_path, "--model-role", "target=sim/target", "-T", f"seeds={SEED}")
    assert no_judge.returncode == 1
    assert "--model-role judge=MODEL" in no_judge.stderr
    assert not list((tmp_path / "ilogs").glob("*.eval"))  # refused before it started


def test_inspect_eval_without_any_role_fails_each_sample_before_a_model_call(
    tmp_path: Path,
) -> None:
    from inspect_ai.log import read_eval_log

    result = _inspect_eval(tmp_path, "--model", "sim/target", "-T", f"seeds={SEED}")
    (log_file,) = (tmp_path / "ilogs").glob("*.eval")
    log = read_eval_log(str(log_file))
    assert log.status == "error", result.stderr
    assert log.error is not None and "judge=MODEL" in log.error.message
    assert not log.samples or not log.samples[0].scores
