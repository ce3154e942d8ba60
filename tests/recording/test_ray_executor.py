"""The Ray executor: the same sweep as a local run, and a killed worker's share redone."""

from __future__ import annotations

import os
import signal
import time
from pathlib import Path

import pytest

from assay import Store

from ._helpers import contents, run, start

pytest.importorskip("ray", reason="the Ray executor needs the `ray` extra")

SWEEP = ["--target", "sim/target", "--target", "sim/other", "--judge", "sim/judge",
         "--seeds", "blackmail", "--seeds", "sycophancy", "--no-progress"]  # fmt: skip


def _local_reference(tmp_path: Path) -> list[tuple[object, ...]]:
    db = tmp_path / "local.db"
    done = run("assay", "audit", *SWEEP, "--db", str(db), "--log-dir", str(tmp_path / "l"))
    assert done.returncode == 0, done.stderr
    return contents(Store.open(str(db)))


def test_a_ray_sweep_stores_what_a_local_sweep_stores(tmp_path: Path) -> None:
    db = tmp_path / "ray.db"
    result = run("assay", "audit", *SWEEP, "--executor", "ray", "--db", str(db),
                 "--log-dir", str(tmp_path / "r"))  # fmt: skip
    assert result.returncode == 0, result.stderr
    assert contents(Store.open(str(db))) == _local_reference(tmp_path)
    (info,) = Store.open(str(db)).runs()
    assert info.status == "ok"


def test_a_killed_ray_worker_loses_no_audit_and_its_share_is_redone(tmp_path: Path) -> None:
    pids = tmp_path / "pids"
    pids.mkdir()
    db = tmp_path / "ray.db"
    proc = start("assay", "audit", *SWEEP, "--executor", "ray", "--db", str(db),
                 "--log-dir", str(tmp_path / "r"),
                 env={"ASSAY_RAY_PID_DIR": str(pids), "ASSAY_SIM_LATENCY": "0.3"})  # fmt: skip
    deadline = time.time() + 180
    while time.time() < deadline:
        stored = len(Store.open(str(db)).audits()) if db.exists() else 0
        if stored >= 1 and list(pids.iterdir()):
            break
        time.sleep(0.3)
    victim_file = next(pids.iterdir())
    victim = int(victim_file.stem)
    os.kill(victim, signal.SIGKILL)
    killed_shard = victim_file.read_text().splitlines()[-1]
    _, stderr = proc.communicate(timeout=300)
    assert proc.returncode == 0, stderr
    # The killed worker's share ran again in another worker process.
    redone = [p for p in pids.iterdir() if p != victim_file and killed_shard in p.read_text()]
    assert redone, killed_shard
    assert contents(Store.open(str(db))) == _local_reference(tmp_path)


def test_ray_with_a_remote_cluster_refuses_a_sqlite_store(tmp_path: Path) -> None:
    result = run("assay", "audit", *SWEEP, "--executor", "ray", "--ray-address",
                 "ray://head:10001", "--db", str(tmp_path / "x.db"))  # fmt: skip
    assert result.returncode == 2
    assert "needs a store every node can reach" in result.stderr
    assert Store.open(str(tmp_path / "x.db")).runs() == []
