"""Orchestration: assay, bare Inspect and Petri on the same simulated workload, side by side.

    python benchmarks/orchestration.py --audits 200 --turns 10 --concurrency 50 --latency 0.5

Each round runs, one after another in fresh processes (the order rotates per round):

- assay: `benchmarks/sim_audit.py` (`assay.run_audit` with the simulated LLM auditor,
  `sim/auditor`, which makes Petri's simulated call pattern: TURNS + 1 auditor, TURNS
  target and 1 judge call per audit, all sequential);
- bare Inspect: `../shared/bench/petri/inspect_floor.py` making the same number of
  sequential calls per sample (2 x TURNS + 2) and nothing else, in assay's venv (same
  Inspect version);
- Petri: `../shared/bench/petri/run_petri_sim.py` (what `run_petri_sim.sh` runs, with
  the same environment) in the Petri venv (`make_venv.sh`; built on first use). Without
  it, Petri is recorded as not run, with the reason.

Every run goes through `benchmarks/_timed.py`, which times the `inspect_ai.eval` call
(wall and process CPU; imports excluded). For assay the wall and CPU of the whole
`run_audit` call are reported (what a user waits for: also the store and the closing
reconciliation). The physical limit is latency x sequential calls per audit x
ceil(audits / concurrency), from the calls each tool actually made.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import statistics
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
PETRI_DIR = (ROOT / ".." / "shared" / "bench" / "petri").resolve()
DEFAULT_PETRI_VENV = Path.home() / ".cache" / "assay-peers" / "petri-venv"


def _env(latency: float) -> dict[str, str]:
    env = dict(os.environ)
    env.update(
        ASSAY_SIM_LATENCY=str(latency),
        SIM_LATENCY_S=str(latency),
        INSPECT_DISPLAY="none",
        PYTHONDONTWRITEBYTECODE="1",
    )
    return env


def _timed(python: str, script: Path, args: list[str], latency: float) -> dict[str, Any]:
    """Run SCRIPT under `_timed.py`; returns its eval timings and its stdout."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "timed.json"
        proc = subprocess.run(
            [python, str(HERE / "_timed.py"), str(out), str(script), *args],
            env=_env(latency),
            cwd=tmp,
            capture_output=True,
            text=True,
            check=False,
        )
        if not out.exists() or proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-5:]
            raise RuntimeError(f"{script.name} failed ({proc.returncode}): {' | '.join(tail)}")
        timed: dict[str, Any] = json.loads(out.read_text())
        timed["stdout"] = proc.stdout
        return timed


def run_assay(audits: int, turns: int, concurrency: int, latency: float) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        summary_file = Path(tmp) / "assay.json"
        args = [
            *("--audits", str(audits), "--turns", str(turns)),
            *("--concurrency", str(concurrency), "--latency", str(latency)),
            *("--json", str(summary_file)),
        ]
        timed = _timed(sys.executable, HERE / "sim_audit.py", args, latency)
        summary = json.loads(summary_file.read_text())
    calls = summary["calls"]
    done = summary["audits"]
    sequential = (calls["auditor"] + calls["target"] + calls["judge"]) / done
    return {
        "wall_s": summary["wall_s"],
        "cpu_s": summary["cpu_s"],
        "eval_wall_s": timed["evals"][0]["wall_s"],
        "audits": done,
        "ok": summary["ok"],
        "calls": calls,
        "sequential_calls_per_audit": sequential,
    }


def run_floor(audits: int, turns: int, concurrency: int, latency: float) -> dict[str, Any]:
    per_sample = 2 * turns + 2
    args = [str(audits), str(per_sample), str(concurrency)]
    timed = _timed(sys.executable, PETRI_DIR / "inspect_floor.py", args, latency)
    (evaluation,) = timed["evals"]
    return {
        "wall_s": evaluation["wall_s"],
        "cpu_s": evaluation["cpu_s"],
        "audits": audits,
        "calls": {"target": audits * per_sample},
        "sequential_calls_per_audit": per_sample,
    }


def petri_python(venv: Path, build: bool) -> tuple[str | None, str | None]:
    """The Petri venv's python (built with make_venv.sh if missing), or the reason not."""
    python = venv / "bin" / "python"
    if not python.exists() and build:
        proc = subprocess.run(
            [str(PETRI_DIR / "make_venv.sh")],
            env={**os.environ, "PETRI_VENV": str(venv)},
            capture_output=True,
            text=True,
            check=False,
        )
        if proc.returncode != 0:
            tail = (proc.stderr or proc.stdout).strip().splitlines()[-3:]
            return None, f"make_venv.sh failed: {' | '.join(tail)}"
    if not python.exists():
        return None, f"no Petri venv at {venv} (build it with {PETRI_DIR}/make_venv.sh)"
    return str(python), None


def run_petri(
    python: str, audits: int, turns: int, concurrency: int, latency: float
) -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        summary_file = Path(tmp) / "petri.json"
        args = [
            *(str(audits), str(turns), str(concurrency)),
            *("--log-dir", str(Path(tmp) / "logs"), "--json", str(summary_file)),
        ]
        timed = _timed(python, PETRI_DIR / "run_petri_sim.py", args, latency)
        summary = json.loads(summary_file.read_text())
    (evaluation,) = timed["evals"]
    calls = summary["calls_by_role_provider"]
    done = summary["samples_completed"]
    return {
        "wall_s": evaluation["wall_s"],
        "cpu_s": evaluation["cpu_s"],
        "audits": done,
        "ok": summary["samples_scored"],
        "calls": calls,
        "sequential_calls_per_audit": sum(calls.values()) / done if done else math.nan,
    }


def limit_s(latency: float, sequential: float, audits: int, concurrency: int) -> float:
    """The physical limit: latency x sequential calls per audit x waves of audits."""
    return latency * sequential * math.ceil(audits / concurrency)


def measure(
    audits: int,
    turns: int,
    concurrency: int,
    latency: float,
    rounds: int,
    petri_venv: Path,
    build_petri: bool,
) -> dict[str, Any]:
    """Run the three tools `rounds` times; per round and the medians."""
    python, petri_reason = petri_python(petri_venv, build_petri)
    runners: dict[str, Any] = {
        "assay": lambda: run_assay(audits, turns, concurrency, latency),
        "inspect": lambda: run_floor(audits, turns, concurrency, latency),
    }
    if python is not None:
        runners["petri"] = lambda: run_petri(python, audits, turns, concurrency, latency)
    per_round: list[dict[str, Any]] = []
    for index in range(rounds):
        names = list(runners)
        names = names[index % len(names) :] + names[: index % len(names)]
        result: dict[str, Any] = {}
        for name in names:
            try:
                result[name] = runners[name]()
            except RuntimeError as exc:
                if name != "petri":
                    raise
                petri_reason = str(exc)
                result[name] = None
            print(f"round {index + 1} {name}: {_brief(result[name])}", file=sys.stderr)
        for run in result.values():
            if run is not None:
                run["limit_s"] = limit_s(
                    latency, run["sequential_calls_per_audit"], run["audits"], concurrency
                )
                run["cpu_ms_per_call"] = 1000 * run["cpu_s"] / sum(run["calls"].values())
                run["wall_ms_per_call"] = 1000 * run["wall_s"] / sum(run["calls"].values())
        per_round.append(result)
    return {
        "audits": audits,
        "turns": turns,
        "concurrency": concurrency,
        "latency_s": latency,
        "rounds": per_round,
        "petri_not_run": petri_reason if all(r.get("petri") is None for r in per_round) else None,
        "median": _medians(per_round),
    }


def _brief(run: dict[str, Any] | None) -> str:
    if run is None:
        return "not run"
    return f"wall {run['wall_s']:.2f} s, cpu {run['cpu_s']:.2f} s, calls {run['calls']}"


def _medians(per_round: list[dict[str, Any]]) -> dict[str, Any]:
    """Median over rounds of each tool's numbers and of the same-round ratios."""
    keys = ("wall_s", "cpu_s", "limit_s", "cpu_ms_per_call", "wall_ms_per_call")
    out: dict[str, Any] = {}
    for tool in ("assay", "inspect", "petri"):
        runs = [r[tool] for r in per_round if r.get(tool) is not None]
        if runs:
            out[tool] = {k: statistics.median(run[k] for run in runs) for k in keys}
            out[tool]["sequential_calls_per_audit"] = runs[0]["sequential_calls_per_audit"]
            out[tool]["calls_per_audit"] = {
                role: n / runs[0]["audits"] for role, n in runs[0]["calls"].items()
            }
    ratios: dict[str, list[float]] = {}
    for r in per_round:
        assay = r["assay"]
        pairs = {
            "assay_wall_over_limit": (assay["wall_s"], assay["limit_s"]),
            "inspect_wall_over_limit": (r["inspect"]["wall_s"], r["inspect"]["limit_s"]),
            "assay_wall_over_inspect": (assay["wall_s"], r["inspect"]["wall_s"]),
            "assay_cpu_per_call_over_inspect": (
                assay["cpu_ms_per_call"],
                r["inspect"]["cpu_ms_per_call"],
            ),
        }
        if r.get("petri") is not None:
            petri = r["petri"]
            pairs |= {
                "petri_wall_over_limit": (petri["wall_s"], petri["limit_s"]),
                "assay_wall_over_petri": (assay["wall_s"], petri["wall_s"]),
                "assay_cpu_per_call_over_petri": (
                    assay["cpu_ms_per_call"],
                    petri["cpu_ms_per_call"],
                ),
            }
        for key, (num, den) in pairs.items():
            if den:
                ratios.setdefault(key, []).append(num / den)
    out["ratios"] = {k: statistics.median(v) for k, v in ratios.items()}
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--audits", type=int, default=200)
    parser.add_argument("--turns", type=int, default=10, help="target turns per audit")
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per model call")
    parser.add_argument("--rounds", type=int, default=1)
    parser.add_argument("--petri-venv", type=Path, default=DEFAULT_PETRI_VENV)
    parser.add_argument("--no-build-petri", action="store_true", help="never run make_venv.sh")
    parser.add_argument("--json", type=Path, help="also write the result here")
    args = parser.parse_args()
    result = measure(
        args.audits,
        args.turns,
        args.concurrency,
        args.latency,
        args.rounds,
        Path(os.environ.get("PETRI_VENV", args.petri_venv)),
        not args.no_build_petri,
    )
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    main()
