"""Benchmark: audits per second on simulated models with a fixed latency per call.

Runs every scripted seed (x epochs) through `assay.run_audit` with `sim/` models whose
calls each take LATENCY seconds, and compares the wall time with the physical floor
(the longest chain of sequential calls times the latency, per wave of concurrent audits).

    python benchmarks/audit_throughput.py --latency 0.2 --epochs 4 --max-samples 50
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path

from assay import RunConfig, Store, load_library, run_audit
from assay.models import reset_sim_calls, sim_call_count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per model call")
    parser.add_argument("--epochs", type=int, default=2)
    parser.add_argument("--max-samples", type=int, default=50)
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args()

    os.environ["ASSAY_SIM_LATENCY"] = str(args.latency)
    seeds = [s.id for s in load_library() if s.scripted]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(str(Path(tmp) / "bench.db"))
        config = RunConfig(
            targets=["sim/target"],
            judges=["sim/judge"],
            seeds=seeds,
            epochs=args.epochs,
            max_samples=args.max_samples,
            max_connections=args.max_samples,
        )
        reset_sim_calls()
        started = time.perf_counter()
        result = run_audit(config, store, log_dir=Path(tmp) / "logs")
        wall = time.perf_counter() - started
    calls_made = sim_call_count()
    audits = result.audits
    calls = max(a.turns for a in audits) + 1  # target turns, then one judge call
    waves = -(-len(audits) // args.max_samples)
    floor = calls * args.latency * waves
    out = {
        "audits": len(audits),
        "model_calls": calls_made,
        "ok": sum(a.status == "ok" for a in audits),
        "latency_s": args.latency,
        "max_samples": args.max_samples,
        "wall_s": round(wall, 2),
        "floor_s": round(floor, 2),
        "wall_over_floor": round(wall / floor, 2) if floor else None,
        "wall_ms_per_call": round(1000 * wall / calls_made, 1) if calls_made else None,
    }
    print(json.dumps(out, indent=2))
    if args.json:
        args.json.write_text(json.dumps(out, indent=2))


if __name__ == "__main__":
    main()
