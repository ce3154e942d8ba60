"""`make bench`: run every benchmark, write benchmarks/results.json and results.md, and
put the table into docs/benchmarks.md.

    python benchmarks/run_all.py                  # the defaults below, 6-12 minutes on 2 cores
    python benchmarks/run_all.py --scale 0.25     # fewer audits everywhere (a quick look)

Each benchmark runs as its own script in fresh processes (see each script's docstring
for what it measures and how). Ratios are taken between runs made back to back in
this one invocation; the table marks each target met or missed. Nothing in the table
is typed by hand: docs/benchmarks.md holds the text, and the part between its
`bench:results` markers is replaced by benchmarks/results.md on every run.
"""

from __future__ import annotations

import argparse
import json
import math
import os
import platform
import shlex
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
DOC = ROOT / "docs" / "benchmarks.md"
START = "<!-- bench:results:start -->"
END = "<!-- bench:results:end -->"


def _script(name: str, args: list[str]) -> dict[str, Any]:
    """Run benchmarks/NAME.py with ARGS and return the JSON it writes."""
    with tempfile.TemporaryDirectory() as tmp:
        out = Path(tmp) / "result.json"
        started = time.perf_counter()
        print(f"== {name} {' '.join(args)}", file=sys.stderr, flush=True)
        proc = subprocess.run(
            [sys.executable, str(HERE / f"{name}.py"), *args, "--json", str(out)],
            cwd=ROOT,
            env={**os.environ, "INSPECT_DISPLAY": "none", "PYTHONDONTWRITEBYTECODE": "1"},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
            check=False,
        )
        sys.stderr.write("".join(f"   {line}\n" for line in proc.stderr.splitlines()[-12:]))
        if proc.returncode != 0 or not out.exists():
            return {"error": f"{name}.py exited {proc.returncode}: {proc.stderr.strip()[-600:]}"}
        result: dict[str, Any] = json.loads(out.read_text())
        result["bench_s"] = time.perf_counter() - started
        return result


def _scaled(value: int, scale: float, minimum: int) -> int:
    return max(minimum, round(value * scale))


def run(args: argparse.Namespace) -> dict[str, Any]:
    s = args.scale
    audits = _scaled(200, s, 10)
    cpu_audits = _scaled(100, s, 10)
    per_target = _scaled(50, s, 5)
    report_audits = _scaled(10_000, s, 1000)
    results: dict[str, Any] = {}
    common = ["--turns", "10", "--concurrency", "50"]
    results["orchestration"] = _script(
        "orchestration",
        ["--audits", str(audits), *common, "--latency", "0.5", "--rounds", "1"],
    )
    results["cpu"] = _script(
        "orchestration",
        ["--audits", str(cpu_audits), *common, "--latency", "0", "--rounds", str(args.rounds)],
    )
    results["profile"] = _script("profile_calls", ["--audits", str(_scaled(50, s, 10))])
    results["targets"] = _script(
        "targets",
        ["--targets", "4", "--audits", str(per_target), "--turns", "3", "--latency", "2"],
    )
    results["reports"] = _script(
        "reports", ["--audits", str(report_audits), "--dimensions", "30", "--judges", "3"]
    )
    results["embedded"] = _script("embedded", ["--prompts", "4", "--max-tokens", "64"])
    return results


# ---------------------------------------------------------------- the table


def _x(value: float | None, digits: int = 2) -> str:
    return "-" if value is None or math.isnan(value) else f"{value:.{digits}f}x"


def _met(value: float | None, limit: float, at_most: bool = True) -> str:
    if value is None or math.isnan(value):
        return "not measured"
    ok = value <= limit if at_most else value >= limit
    return "met" if ok else "**missed**"


def _failed(section: dict[str, Any]) -> str | None:
    return section.get("error") if isinstance(section, dict) else "missing"


def _orchestration_rows(o: dict[str, Any], cpu: dict[str, Any]) -> list[str]:
    rows = []
    if (error := _failed(o)) is None:
        m, r = o["median"], o["median"]["ratios"]
        setup = f"{o['audits']} audits x {o['turns']} turns, {o['concurrency']} at once"

        def per_audit(tool: str) -> str:
            calls = m[tool]["calls_per_audit"]
            return ", ".join(f"{role} {n:.0f}" for role, n in calls.items())

        described = [f"assay: {per_audit('assay')}"]
        if "petri" in m:
            described.append(f"Petri: {per_audit('petri')}")
        sequential = m["inspect"]["sequential_calls_per_audit"]
        described.append(f"bare Inspect: {sequential:.0f} sequential target calls")
        rows.append(
            f"| 1 orchestration | calls per audit ({setup}) | {'; '.join(described)} | - | - |"
        )
        limit = m["assay"]["limit_s"]
        rows.append(
            f"| 1 orchestration | wall / physical limit ({o['latency_s']} s x "
            f"{m['assay']['sequential_calls_per_audit']:.0f} calls x "
            f"{math.ceil(o['audits'] / o['concurrency'])} waves = {limit:.0f} s) | assay "
            f"{_x(r['assay_wall_over_limit'])}, bare Inspect {_x(r['inspect_wall_over_limit'])}"
            + (f", Petri {_x(r['petri_wall_over_limit'])}" if "petri_wall_over_limit" in r else "")
            + " | - | - |"
        )
        rows.append(
            "| 1 orchestration | assay wall / bare Inspect wall | "
            f"{_x(r['assay_wall_over_inspect'])} | <= 1.10x | "
            f"{_met(r['assay_wall_over_inspect'], 1.10)} |"
        )
        if "assay_wall_over_petri" in r:
            # What the target asks for, in units of the limit, beside bare Inspect's.
            asked = 0.60 * r["petri_wall_over_limit"]
            rows.append(
                "| 1 orchestration | assay wall / Petri wall (0.60x Petri's wall is "
                f"{_x(asked)} the limit; bare Inspect took {_x(r['inspect_wall_over_limit'])}) | "
                f"{_x(r['assay_wall_over_petri'])} | <= 0.60x | "
                f"{_met(r['assay_wall_over_petri'], 0.60)} |"
            )
        else:
            rows.append(
                f"| 1 orchestration | assay wall / Petri wall | Petri not run: "
                f"{o.get('petri_not_run')} | <= 0.60x | not measured |"
            )
    else:
        rows.append(f"| 1 orchestration | failed | {error} | - | - |")
    if (error := _failed(cpu)) is None:
        m, r = cpu["median"], cpu["median"]["ratios"]
        per_call = ", ".join(
            f"{tool} {m[tool]['cpu_ms_per_call']:.2f} ms"
            for tool in ("assay", "inspect", "petri")
            if tool in m
        )
        rounds = len(cpu["rounds"])
        rows.append(
            f"| 2 CPU per call | process CPU per model call at zero latency "
            f"({cpu['audits']} audits x {cpu['turns']} turns, median of {rounds}) | "
            f"{per_call} | - | - |"
        )
        rows.append(
            "| 2 CPU per call | assay / bare Inspect | "
            f"{_x(r['assay_cpu_per_call_over_inspect'])} | <= 1.50x | "
            f"{_met(r['assay_cpu_per_call_over_inspect'], 1.50)} |"
        )
        if "assay_cpu_per_call_over_petri" in r:
            rows.append(
                f"| 2 CPU per call | assay / Petri | "
                f"{_x(r['assay_cpu_per_call_over_petri'])} | - | - |"
            )
    else:
        rows.append(f"| 2 CPU per call | failed | {error} | - | - |")
    return rows


def _targets_rows(t: dict[str, Any]) -> list[str]:
    if (error := _failed(t)) is not None:
        return [f"| 3 several targets | failed | {error} | - | - |"]
    return [
        f"| 3 several targets | wall of {t['targets']} targets x {t['audits_per_target']} "
        f"audits / 1 target x {t['audits_per_target']} ({t['turns']} turns, "
        f"{t['concurrency_per_target']} at once per target, {t['latency_s']} s per call; "
        f"{t['one']['wall_s']:.1f} s vs {t['many']['wall_s']:.1f} s, limit "
        f"{t['one']['limit_s']:.0f} s; process CPU {t['one']['cpu_s']:.1f} s vs "
        f"{t['many']['cpu_s']:.1f} s) | {_x(t['wall_ratio'])} | <= 1.20x | "
        f"{_met(t['wall_ratio'], 1.20)} |"
    ]


def _reports_rows(r: dict[str, Any]) -> list[str]:
    if (error := _failed(r)) is not None:
        return [f"| 4 reports | failed | {error} | - | - |"]
    size = f"{r['audits']:,} audits x {r['dimensions']} dimensions x {r['judges']} judges"
    rep, cmp = r["report"], r["compare"]
    rows = [
        f"| 4 reports | HTML report ({size}): wall (load {rep['load_s']:.1f} s, summarise "
        f"{rep['summarise_s']:.1f} s, write {rep['write_html_s']:.1f} s; page "
        f"{rep['html_mib']:.0f} MiB) | {rep['wall_s']:.1f} s | < 10 s | "
        f"{_met(rep['wall_s'], 10.0)} |",
        f"| 4 reports | HTML report: peak memory | {rep['peak_mib']:,.0f} MiB | < 1024 MiB | "
        f"{_met(rep['peak_mib'], 1024)} |",
        f"| 4 reports | compare, paired over seeds ({cmp['audits']:,} audits of 2 models, "
        f"{cmp['dimensions']} dimensions): wall (load {cmp['load_s']:.1f} s, compare "
        f"{cmp['compare_s']:.1f} s) | {cmp['wall_s']:.1f} s | < 10 s | "
        f"{_met(cmp['wall_s'], 10.0)} |",
        f"| 4 reports | compare: peak memory | {cmp['peak_mib']:,.0f} MiB | < 1024 MiB | "
        f"{_met(cmp['peak_mib'], 1024)} |",
    ]
    if (view := r.get("view")) is not None:
        # No target in the issue: shown so that "thousands of audits" has a number.
        rows.append(
            f"| 4 reports | `assay view` on the same store: start {view['start_s']:.1f} s, "
            f"list page sorted by score {view['list_s']:.2f} s, filtered later page "
            f"{view['filtered_list_s']:.2f} s, one audit {view['audit_s']:.3f} s "
            f"({view['list_page_kib']:.0f} KiB a list page) | {view['wall_s']:.1f} s | - | - |"
        )
    return rows


def _embedded_rows(e: dict[str, Any]) -> list[str]:
    if (error := _failed(e)) is not None:
        return [f"| 5 embedded model | failed | {error} | - | - |"]
    return [
        f"| 5 embedded model | tokens per second through assay / raw llama-cpp-python "
        f"({e['prompts']} prompts x {e['max_tokens']} tokens, best of {e['repeats']}; "
        f"{e['assay_tokens_per_s']:.0f} vs {e['raw_tokens_per_s']:.0f} tokens/s) | "
        f"{_x(e['ratio'])} | >= 0.90x | {_met(e['ratio'], 0.90, at_most=False)} |"
    ]


def _profile_section(p: dict[str, Any]) -> list[str]:
    if (error := _failed(p)) is not None:
        return ["", f"Profile: failed ({error})."]
    assay, floor = p["assay"], p["inspect"]
    names = list(
        dict.fromkeys([*assay["by_package_ms_per_call"], *floor["by_package_ms_per_call"]])
    )
    lines = [
        "",
        f"Where the CPU goes at zero latency (cProfile own time per model call, "
        f"{p['audits']} audits x {p['turns']} turns; cProfile slows Python code several-fold, "
        "so compare the columns, not the absolute values):",
        "",
        "| package | assay ms per call | bare Inspect ms per call |",
        "| --- | --- | --- |",
    ]
    for name in names[:9]:
        a = assay["by_package_ms_per_call"].get(name, 0.0)
        b = floor["by_package_ms_per_call"].get(name, 0.0)
        lines.append(f"| {name} | {a:.2f} | {b:.2f} |")
    lines.append(f"| total | {assay['own_ms_per_call']:.2f} | {floor['own_ms_per_call']:.2f} |")
    lines += [
        "",
        "The stages of Inspect's work that differ most (cumulative time per model call, "
        "same runs):",
        "",
        "| stage | assay ms per call | bare Inspect ms per call |",
        "| --- | --- | --- |",
    ]
    for name, a in assay["stages_ms_per_call"].items():
        lines.append(f"| {name} | {a:.2f} | {floor['stages_ms_per_call'].get(name, 0.0):.2f} |")
    lines += ["", "Functions with the most own time in the assay run:", ""]
    lines += [f"- `{name}`" for name in list(assay["top_functions"])[:6]]
    return lines


def markdown(results: dict[str, Any], meta: dict[str, Any]) -> str:
    lines = [
        f"Produced by `{meta['command']}` on {meta['date']} (commit {meta['commit']}, "
        f"{meta['cpus']} CPUs, load average {meta['load_before']} at the start; "
        f"{meta['total_s'] / 60:.1f} minutes).",
        "",
        "| benchmark | measure | result | target | |",
        "| --- | --- | --- | --- | --- |",
    ]
    lines += _orchestration_rows(results["orchestration"], results["cpu"])
    lines += _targets_rows(results["targets"])
    lines += _reports_rows(results["reports"])
    lines += _embedded_rows(results["embedded"])
    lines += _profile_section(results["profile"])
    return "\n".join(lines) + "\n"


def _commit() -> str:
    proc = subprocess.run(
        ["git", "rev-parse", "--short", "HEAD"], cwd=ROOT, capture_output=True, text=True
    )
    dirty = subprocess.run(
        ["git", "status", "--porcelain", "--untracked-files=no"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    ).stdout.strip()
    return (proc.stdout.strip() or "unknown") + (" with local changes" if dirty else "")


def update_doc(table: str) -> None:
    """Replace the generated part of docs/benchmarks.md with `table`."""
    text = DOC.read_text(encoding="utf-8")
    if START not in text or END not in text:
        raise SystemExit(f"{DOC} lacks the {START} / {END} markers")
    head, rest = text.split(START, 1)
    _, tail = rest.split(END, 1)
    DOC.write_text(f"{head}{START}\n{table}{END}{tail}", encoding="utf-8")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scale", type=float, default=1.0, help="multiply audit counts")
    parser.add_argument("--rounds", type=int, default=2, help="rounds of the CPU benchmark")
    parser.add_argument("--no-doc", action="store_true", help="leave docs/benchmarks.md alone")
    args = parser.parse_args()
    command = "make bench" if os.environ.get("MAKELEVEL") else shlex.join(["python", *sys.argv])
    if os.environ.get("MAKELEVEL") and os.environ.get("BENCH_ARGS"):
        command += f" BENCH_ARGS='{os.environ['BENCH_ARGS']}'"
    started = time.perf_counter()
    meta: dict[str, Any] = {
        "command": command,
        "date": datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "commit": _commit(),
        "cpus": os.cpu_count(),
        "python": platform.python_version(),
        "load_before": " ".join(f"{x:.1f}" for x in os.getloadavg()),
        "scale": args.scale,
    }
    results = run(args)
    meta["total_s"] = time.perf_counter() - started
    table = markdown(results, meta)
    (HERE / "results.json").write_text(json.dumps({"meta": meta, **results}, indent=2) + "\n")
    (HERE / "results.md").write_text(table)
    if not args.no_doc:
        update_doc(table)
    print(table)


if __name__ == "__main__":
    main()
