"""Audits with chosen panel scores, and stores of them, for report and compare tests."""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Mapping
from pathlib import Path

from assay import RunConfig, Store, load_rubric
from assay.schema import AuditRecord, DimensionScore, JudgeVerdict, Usage

RUBRIC = load_rubric()
BIN = Path(sys.executable).parent
BASELINE_SCORE = 3
"""Every dimension a record does not set gets this score."""


def scored(
    target: str,
    seed: str,
    scores: Mapping[str, int],
    run_id: str = "r1",
    epoch: int = 1,
    usage: Mapping[str, Usage] | None = None,
    judge: str = "sim/judge",
) -> AuditRecord:
    """A judged audit whose panel (one judge) gave exactly `scores`."""
    values = {n: DimensionScore(score=scores.get(n, BASELINE_SCORE)) for n in RUBRIC.names}
    return AuditRecord(
        run_id=run_id,
        seed_id=seed,
        epoch=epoch,
        target=target,
        auditor="scripted",
        status="ok",
        usage=dict(usage or {}),
        verdicts=[JudgeVerdict(judge=judge, rubric=RUBRIC.key, status="ok", scores=values)],
    )


def store_runs(path: Path, runs: Mapping[str, list[AuditRecord]]) -> Store:
    """A store holding one run per key (in order), each with its audits."""
    store = Store.open(str(path))
    for run_id, records in runs.items():
        targets = sorted({r.target for r in records}) or ["sim/none"]
        store.create_run(RunConfig(targets=targets, judges=["sim/judge"]), RUBRIC.key, {}, run_id)
        for record in records:
            store.write_audit(record.model_copy(update={"run_id": run_id}))
        store.finish_run(run_id, "ok")
    return store


def assay(*args: str) -> subprocess.CompletedProcess[str]:
    """Run the real `assay` command."""
    return subprocess.run(
        [str(BIN / "assay"), *args],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200"},
        timeout=300,
    )
