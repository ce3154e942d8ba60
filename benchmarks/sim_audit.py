"""One assay run on simulated models, timed: the assay side of the speed benchmarks.

    python benchmarks/sim_audit.py --audits 200 --turns 10 --concurrency 50 --latency 0.5

Runs `assay.run_audit` (the whole run: plan, store, evaluation, store writes, closing)
on `sim/` models whose calls each take LATENCY seconds. With `--auditor sim/auditor`
(the default) the simulated LLM auditor plays Petri's simulated auditor (system prompt
and first message, one message per call for TURNS target turns, then end_audit), so
each audit makes TURNS + 1 auditor, TURNS target and one judge call, all sequential.
`--targets K` audits K targets (`sim/target1`..`sim/targetK`, each its own provider
connection) at once. Prints a JSON summary (wall and CPU time, calls per role).
"""

from __future__ import annotations

import argparse
import json
import os
import tempfile
import time
from pathlib import Path
from typing import Any

from assay import RunConfig, Store, load_library, run_audit
from assay.models import reset_sim_calls, sim_call_counts


def seeds_and_epochs(audits: int, turns: int) -> tuple[list[str], int]:
    """Library seeds that allow `turns` target turns, and epochs, for about `audits` audits."""
    usable = [s.id for s in load_library() if s.max_turns is None or s.max_turns >= turns]
    epochs = next(e for e in range(1, audits + 1) if audits % e == 0 and audits // e <= len(usable))
    return usable[: audits // epochs], epochs


def run(
    audits: int,
    turns: int,
    concurrency: int,
    latency: float,
    targets: int = 1,
    auditor: str = "sim/auditor",
    max_connections: int | None = None,
) -> dict[str, Any]:
    """Run the audits and return the timings and call counts."""
    os.environ["ASSAY_SIM_LATENCY"] = str(latency)
    seeds, epochs = seeds_and_epochs(audits, turns)
    names = ["sim/target"] if targets == 1 else [f"sim/target{i + 1}" for i in range(targets)]
    with tempfile.TemporaryDirectory() as tmp:
        store = Store.open(str(Path(tmp) / "bench.db"))
        config = RunConfig(
            targets=names,
            judges=["sim/judge"],
            auditor=auditor,
            seeds=seeds,
            epochs=epochs,
            max_turns=turns,
            max_samples=concurrency,
            max_connections=max_connections or concurrency,
        )
        reset_sim_calls()
        wall, cpu = time.perf_counter(), time.process_time()
        result = run_audit(config, store, log_dir=Path(tmp) / "logs")
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
    counts = sim_call_counts()
    calls = {
        "auditor": counts.get("auditor", 0),
        "target": sum(n for m, n in counts.items() if m.startswith("target")),
        "judge": counts.get("judge", 0),
    }
    done = len(result.audits)
    return {
        "audits": done,
        "ok": sum(a.status == "ok" for a in result.audits),
        "targets": targets,
        "auditor": auditor,
        "turns": turns,
        "concurrency": concurrency,
        "latency_s": latency,
        "wall_s": wall,
        "cpu_s": cpu,
        "calls": calls,
        "calls_per_audit": {role: n / done for role, n in calls.items()} if done else {},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--audits", type=int, default=200)
    parser.add_argument("--turns", type=int, default=10, help="target turns per audit")
    parser.add_argument("--concurrency", type=int, default=50, help="audits at once per target")
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per model call")
    parser.add_argument("--targets", type=int, default=1)
    parser.add_argument("--auditor", default="sim/auditor", help="sim/auditor or scripted")
    parser.add_argument("--max-connections", type=int, help="per model (default: concurrency)")
    parser.add_argument("--json", type=Path, help="also write the summary here")
    args = parser.parse_args()
    summary = run(
        args.audits,
        args.turns,
        args.concurrency,
        args.latency,
        args.targets,
        args.auditor,
        args.max_connections,
    )
    text = json.dumps(summary, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    main()
