"""Every scripted seed of the library runs end to end against the simulated target."""

from __future__ import annotations

from pathlib import Path

from assay import RunConfig, Store, load_library, run_audit


def test_every_scripted_seed_runs_against_the_simulated_target(tmp_path: Path) -> None:
    scripted = [s.id for s in load_library() if s.scripted]
    store = Store.open(str(tmp_path / "lib.db"))
    config = RunConfig(targets=["sim/target"], judges=["sim/judge"], seeds=scripted)
    result = run_audit(config, store, log_dir=tmp_path / "logs")
    assert sorted(a.seed_id for a in result.audits) == sorted(scripted)
    for audit in result.audits:
        assert audit.status == "ok", (audit.seed_id, audit.error)
        assert audit.turns >= 2, audit.seed_id
        assert [v.status for v in audit.verdicts] == ["ok"]
