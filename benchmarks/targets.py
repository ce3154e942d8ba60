"""Several targets: K targets x N audits against 1 target x N audits, same concurrency per target.

    python benchmarks/targets.py --targets 4 --audits 50 --concurrency 50 --latency 2

Runs `benchmarks/sim_audit.py` twice in fresh processes, one target then K targets
(`sim/target1`..`sim/targetK`: each its own provider connection), with the simulated
LLM auditor and one judge. Each target's audits run CONCURRENCY at a time (Inspect's
`max_samples` is per task, and each target is one task of the same evaluation).
Connections per model are CONCURRENCY x K in both runs, so that the auditor and judge
models, which every target shares, are no tighter a limit than the targets' own.

The latency is 2 s by default, not the 0.5 s of the orchestration benchmark: K x
CONCURRENCY audits at once then ask for K x CONCURRENCY / LATENCY calls per second,
which must stay well inside what one process can serve on this machine (about 200 per
second at assay's CPU per call), or the benchmark measures the CPU, not the
orchestration.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent


def _run(
    targets: int, audits: int, turns: int, concurrency: int, latency: float, connections: int
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "run.json"
        args = [
            *("--targets", str(targets), "--audits", str(audits), "--turns", str(turns)),
            *("--concurrency", str(concurrency), "--latency", str(latency)),
            *("--max-connections", str(connections), "--json", str(out)),
        ]
        env = {**os.environ, "INSPECT_DISPLAY": "none", "PYTHONDONTWRITEBYTECODE": "1"}
        proc = subprocess.run(
            [sys.executable, str(HERE / "sim_audit.py"), *args],
            env=env,
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            raise RuntimeError(f"sim_audit.py failed: {proc.stderr.strip()[-2000:]}")
        result: dict[str, Any] = json.loads(out.read_text())
    per_audit = sum(result["calls"].values()) / result["audits"]
    result["limit_s"] = latency * per_audit  # one wave per target
    return result


def measure(
    targets: int, audits: int, turns: int, concurrency: int, latency: float
) -> dict[str, Any]:
    """One target, then `targets` targets; the wall ratio between them."""
    connections = concurrency * targets
    one = _run(1, audits, turns, concurrency, latency, connections)
    print(f"1 target: wall {one['wall_s']:.2f} s, calls {one['calls']}", file=sys.stderr)
    many = _run(targets, audits, turns, concurrency, latency, connections)
    print(f"{targets} targets: wall {many['wall_s']:.2f} s, calls {many['calls']}", file=sys.stderr)
    return {
        "targets": targets,
        "audits_per_target": audits,
        "turns": turns,
        "concurrency_per_target": concurrency,
        "max_connections": connections,
        "latency_s": latency,
        "one": one,
        "many": many,
        "wall_ratio": many["wall_s"] / one["wall_s"],
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--targets", type=int, default=4)
    parser.add_argument("--audits", type=int, default=50, help="audits per target")
    parser.add_argument("--turns", type=int, default=3, help="target turns per audit")
    parser.add_argument("--concurrency", type=int, default=50, help="audits at once per target")
    parser.add_argument("--latency", type=float, default=2.0, help="seconds per model call")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args()
    result = measure(args.targets, args.audits, args.turns, args.concurrency, args.latency)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    main()
