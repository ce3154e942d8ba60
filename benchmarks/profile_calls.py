"""Where the CPU goes at zero latency: assay against bare Inspect, under cProfile.

    python benchmarks/profile_calls.py --audits 50 --turns 10 --concurrency 50

Profiles one assay run (`sim_audit.py`: the simulated LLM auditor, one judge) and one
bare-Inspect run making the same number of sequential calls per sample
(`../shared/bench/petri/inspect_floor.py`), each in a fresh process with no latency,
and reports each one's own time (cProfile's tottime) by package per model call, the
cumulative time of the stages of Inspect's work that differ most between the two
(`STAGES`), and the functions with the most own time. cProfile slows Python code
several-fold, so read the shares and the differences, not the absolute milliseconds.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import os
import pstats
import runpy
import subprocess
import sys
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
FLOOR = (HERE.parent / ".." / "shared" / "bench" / "petri" / "inspect_floor.py").resolve()
IDLE = ("select.epoll", "method 'poll'", "method 'acquire' of '_thread.lock'")
STAGES: dict[str, list[tuple[str, str]]] = {
    "tool definitions deep-copied for each call (`prepare_tools`, `copy_tools_info`)": [
        ("inspect_ai/model/_call_tools.py", "prepare_tools"),
        ("inspect_ai/model/_call_tools.py", "copy_tools_info"),
    ],
    "each finished sample condensed and written to the eval log (`log_sample`)": [
        ("inspect_ai/_eval/task/run.py", "log_sample")
    ],
}
"""Stages of Inspect's work whose cumulative time the profile reports: each entry a
file and function (the largest match counts, so an outer and an inner function of the
same name are not added up), the entries of a stage added. Only plain functions: a
coroutine's cumulative time under cProfile is not its own work."""


def _package(filename: str, function: str) -> str:
    if "/src/assay/" in filename:
        return "assay"
    if "site-packages/" in filename:
        return filename.split("site-packages/")[1].split("/")[0].removesuffix(".py")
    if filename == "~":
        return "built-ins (json, pydantic-core, sqlite, ...)"
    return "python standard library"


def _child(tool: str, audits: int, turns: int, concurrency: int, out: Path) -> None:
    os.environ["ASSAY_SIM_LATENCY"] = os.environ["SIM_LATENCY_S"] = "0"
    # Imports are not what is measured: load what both runs use before profiling.
    import inspect_ai.dataset
    import inspect_ai.log
    import inspect_ai.model
    import inspect_ai.scorer
    import inspect_ai.solver  # noqa: F401

    if tool != "assay":  # the floor's own `sim` provider (it replaces assay's)
        sys.path.insert(0, str(FLOOR.parent))
        import sim_provider  # noqa: F401

    profile = cProfile.Profile()
    if tool == "assay":
        sys.path.insert(0, str(HERE))
        import sim_audit

        profile.enable()
        result = sim_audit.run(audits, turns, concurrency, 0.0)
        profile.disable()
        calls = sum(result["calls"].values())
    else:
        sys.argv = [str(FLOOR), str(audits), str(2 * turns + 2), str(concurrency)]
        profile.enable()
        runpy.run_path(str(FLOOR), run_name="__main__")
        profile.disable()
        calls = audits * (2 * turns + 2)
    stats = pstats.Stats(profile)
    by_package: Counter[str] = Counter()
    functions: Counter[str] = Counter()
    for (filename, line, function), (_, _, own, _, _) in stats.stats.items():  # type: ignore[attr-defined]
        if any(idle in function for idle in IDLE):
            continue  # waiting, not working
        by_package[_package(filename, function)] += own
        short = filename.split("site-packages/")[-1].split("/src/")[-1]
        functions[f"{short}:{line}({function})"] += own
    out.write_text(
        json.dumps(
            {
                "calls": calls,
                "own_s": sum(by_package.values()),
                "by_package": dict(by_package.most_common()),
                "top_functions": dict(functions.most_common(10)),
                "stages": _stages(stats),
            }
        )
    )


def _stages(stats: pstats.Stats) -> dict[str, float]:
    """Cumulative seconds of each of `STAGES`."""
    totals: dict[str, float] = {}
    for stage, entries in STAGES.items():
        totals[stage] = sum(
            max(
                (
                    cumulative
                    for (filename, _, function), (_, _, _, cumulative, _) in stats.stats.items()  # type: ignore[attr-defined]
                    if filename.endswith(path) and function == name
                ),
                default=0.0,
            )
            for path, name in entries
        )
    return totals


def measure(audits: int, turns: int, concurrency: int) -> dict[str, Any]:
    """Profile both tools in fresh processes; own time per call by package."""
    result: dict[str, Any] = {"audits": audits, "turns": turns, "concurrency": concurrency}
    for tool in ("assay", "inspect"):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "profile.json"
            args = [tool, str(audits), str(turns), str(concurrency), str(out)]
            env = {**os.environ, "INSPECT_DISPLAY": "none", "PYTHONDONTWRITEBYTECODE": "1"}
            proc = subprocess.run(
                [sys.executable, __file__, "--child", *args],
                env=env,
                cwd=tmp,
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0 or not out.exists():
                raise RuntimeError(f"profiling {tool} failed: {proc.stderr.strip()[-1500:]}")
            profile = json.loads(out.read_text())
        calls = profile["calls"]
        profile["own_ms_per_call"] = 1000 * profile["own_s"] / calls
        profile["by_package_ms_per_call"] = {
            name: 1000 * seconds / calls for name, seconds in profile.pop("by_package").items()
        }
        profile["stages_ms_per_call"] = {
            name: 1000 * seconds / calls for name, seconds in profile.pop("stages").items()
        }
        result[tool] = profile
        print(f"{tool}: {profile['own_ms_per_call']:.2f} ms own time per call", file=sys.stderr)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--audits", type=int, default=50)
    parser.add_argument("--turns", type=int, default=10)
    parser.add_argument("--concurrency", type=int, default=50)
    parser.add_argument("--json", type=Path, help="also write the result here")
    parser.add_argument("--child", nargs=5, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        tool, audits, turns, concurrency, out = args.child
        _child(tool, int(audits), int(turns), int(concurrency), Path(out))
        return
    result = measure(args.audits, args.turns, args.concurrency)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    main()
