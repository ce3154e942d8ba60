"""One path to the store for every way of running: `inspect eval`, import-logs, resume."""

from __future__ import annotations

import re
import signal
import time
from pathlib import Path

from inspect_ai import eval as inspect_eval
from inspect_ai.log import read_eval_log

from assay import RunConfig, Store, import_logs, run_audit
from assay.task import audit

from ._helpers import contents, run, start

SEEDS = ["blackmail-replacement-email", "sycophancy-sql-injection-review"]
ROLES = ["--model-role", "target=sim/target", "--model-role", "judge=sim/judge"]


def test_inspect_eval_with_assay_db_stores_every_audit_without_the_url_in_the_log(
    tmp_path: Path,
) -> None:
    url = f"sqlite:///{tmp_path / 'marker-store.db'}"
    result = run("inspect", "eval", "assay/audit", *ROLES, "-T", f"seeds={SEEDS[0]}",
                 "--epochs", "2", "--log-dir", str(tmp_path / "logs"), "--display", "none",
                 env={"ASSAY_DB": url})  # fmt: skip
    assert result.returncode == 0, result.stderr
    store = Store.open(url)
    (info,) = store.runs()
    assert info.status == "ok" and info.config["targets"] == ["sim/target"]
    audits = store.audits()
    assert sorted((a.seed_id, a.epoch) for a in audits) == [(SEEDS[0], 1), (SEEDS[0], 2)]
    assert all(a.status == "ok" and len(a.verdicts) == 1 for a in audits)
    (log_file,) = (tmp_path / "logs").glob("*.eval")
    log = read_eval_log(str(log_file))
    assert "marker-store" not in log.model_dump_json()
    # The scorer reports per-dimension means to Inspect users too.
    assert log.results is not None
    metrics = {m.name for s in log.results.scores for m in s.metrics.values()}
    assert {"concerning", "blackmail", "assay/judged"} <= metrics


def test_import_logs_fills_the_store_once_however_often_it_runs(tmp_path: Path) -> None:
    inspect_eval(
        audit(seeds=SEEDS),
        model_roles={"target": "sim/target", "judge": "sim/judge"},
        log_dir=str(tmp_path / "logs"),
        display="none",
    )
    db = str(tmp_path / "imported.db")
    assert Store.open(db).audits() == []  # without ASSAY_DB nothing is stored live
    first = run("assay", "import-logs", str(tmp_path / "logs"), "--db", db)
    assert first.returncode == 0, first.stderr
    assert "imported 2 audits from 1 logs" in first.stdout
    stored = contents(Store.open(db))
    again = run("assay", "import-logs", str(tmp_path / "logs"), "--db", db)
    assert again.returncode == 0, again.stderr
    assert contents(Store.open(db)) == stored and len(stored) == 2
    (info,) = Store.open(db).runs()
    assert info.status == "ok"


def test_import_logs_refuses_what_is_not_a_log_and_creates_no_store(tmp_path: Path) -> None:
    (tmp_path / "notes.eval").write_text("not a zip")
    db = tmp_path / "never.db"
    missing = run("assay", "import-logs", str(tmp_path / "nowhere"), "--db", str(db))
    assert missing.returncode == 2 and "no such file or folder" in missing.stderr
    broken = run("assay", "import-logs", str(tmp_path / "notes.eval"), "--db", str(db))
    assert broken.returncode == 2 and "not a readable Inspect eval log" in broken.stderr
    assert "Traceback" not in missing.stderr + broken.stderr


def test_live_run_and_import_of_its_logs_give_the_same_store(tmp_path: Path) -> None:
    live = Store.open(str(tmp_path / "live.db"))
    config = RunConfig(targets=["sim/a", "sim/b"], judges=["sim/judge"], seeds=SEEDS)
    run_audit(config, live, log_dir=tmp_path / "logs")
    imported = Store.open(str(tmp_path / "imported.db"))
    summary = import_logs(imported, [tmp_path / "logs"])
    assert summary.logs == 2 and summary.written == 4
    assert contents(imported) == contents(live)


def _wait_for_audits(db: Path, count: int, timeout: float = 120) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if db.exists() and len(Store.open(str(db)).audits()) >= count:
            return
        time.sleep(0.3)
    raise AssertionError(f"fewer than {count} audits stored within {timeout} s")


SWEEP = ["--target", "sim/target", "--target", "sim/other", "--judge", "sim/judge",
         "--judge", "sim/judge", "--seeds", "blackmail", "--seeds", "sycophancy",
         "--max-samples", "2", "--no-progress"]  # fmt: skip


def test_a_killed_run_resumes_to_what_an_uninterrupted_run_stores(tmp_path: Path) -> None:
    slow = {"ASSAY_SIM_LATENCY": "0.15"}
    reference = tmp_path / "reference.db"
    done = run("assay", "audit", *SWEEP, "--db", str(reference), "--log-dir",
               str(tmp_path / "ref-logs"))  # fmt: skip
    assert done.returncode == 0, done.stderr

    db = tmp_path / "killed.db"
    proc = start("assay", "audit", *SWEEP, "--db", str(db), "--log-dir",
                 str(tmp_path / "logs"), env=slow)  # fmt: skip
    _wait_for_audits(db, 2)
    proc.send_signal(signal.SIGKILL)
    proc.wait()
    store = Store.open(str(db))
    (info,) = store.runs()
    assert info.status == "running"
    kept = {(a.seed_id, a.epoch, a.target): a.finished for a in store.audits()}
    total = len(contents(Store.open(str(reference))))
    assert 2 <= len(kept) < total

    resumed = run("assay", "audit", "--resume", info.id, "--db", str(db), "--no-progress")
    assert resumed.returncode == 0, resumed.stderr
    # Kept: what the store held, plus any audit the eval log held that the store had
    # not written yet when the run was killed (the resume imports it first).
    notice = re.search(r"(\d+) audits already stored are kept", resumed.stdout)
    assert notice is not None, resumed.stdout
    assert len(kept) <= int(notice.group(1)) < total

    (after,) = store.runs()
    assert after.status == "ok"
    assert contents(store) == contents(Store.open(str(reference)))
    # Audits finished before the kill were not redone.
    still = {(a.seed_id, a.epoch, a.target): a.finished for a in store.audits()}
    assert all(still[k] == t for k, t in kept.items())


def test_ctrl_c_stops_cleanly_and_prints_the_resume_command(tmp_path: Path) -> None:
    db = tmp_path / "stopped.db"
    proc = start("assay", "audit", *SWEEP, "--db", str(db), "--log-dir", str(tmp_path / "logs"),
                 env={"ASSAY_SIM_LATENCY": "0.15"})  # fmt: skip
    _wait_for_audits(db, 2)
    proc.send_signal(signal.SIGINT)
    _, stderr = proc.communicate(timeout=120)
    assert proc.returncode == 130, stderr
    (info,) = Store.open(str(db)).runs()
    assert info.status == "interrupted"
    assert f"resume with: assay audit --resume {info.id} --db sqlite:///{db}" in stderr
    assert "Traceback" not in stderr
    assert all(a.status != "error" for a in Store.open(str(db)).audits()), "cancelled ≠ failed"

    resumed = run("assay", "audit", "--resume", info.id, "--db", str(db), "--no-progress")
    assert resumed.returncode == 0, resumed.stderr
    assert Store.open(str(db)).runs()[0].status == "ok"


def test_resume_refuses_new_settings_and_unknown_runs(tmp_path: Path) -> None:
    db = str(tmp_path / "s.db")
    Store.open(db)
    changed = run("assay", "audit", "--resume", "r1", "--target", "sim/t", "--db", db)
    assert changed.returncode == 2
    assert "--target: a resumed run keeps its stored settings" in changed.stderr
    unknown = run("assay", "audit", "--resume", "no-such-run", "--db", db)
    assert unknown.returncode == 2 and "no run with this id" in unknown.stderr
