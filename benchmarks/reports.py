"""Reports on a large store: the HTML report and the paired comparison, timed with peak memory.

    python benchmarks/reports.py --audits 10000 --dimensions 30 --judges 3

Builds a synthetic SQLite store (not timed): one run of AUDITS audits over 4 targets
(250 seeds x epochs each), every judged audit scored by a panel of JUDGES on a rubric
of DIMENSIONS dimensions (the default rubric plus extra ones), each score with a
justification and a citation; 2% of audits errored and 1% auditor failures, as in real
runs. Then each measured command runs in a fresh process, which reports its wall time
(imports excluded) and its peak memory (maximum resident set size, imports included):

- report: open the store, load the run's audits light (no transcripts, no judges'
  words; citations counted as the scores are read), `assay.summarise`, and
  `assay.write_report(..., "html")` (tables, figures, per-seed detail, the top
  audits reloaded in full): what `assay report` does;
- view: `assay view`'s pages: the first page of the list sorted by score, a
  filtered and sorted later page, and one audit (the server's own work, no browser);
- compare: open the store, load the audits of the two targets only, light, and
  `assay.report.compare_models` (paired bootstrap over shared seeds on the headline
  dimensions): what `assay compare` does.
"""

from __future__ import annotations

import argparse
import json
import random
import resource
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

TARGETS = ["sim/baseline", "sim/candidate", "sim/model-c", "sim/model-d"]
SEEDS_PER_TARGET = 250
RUN_ID = "bench-reports"


def _rubric_file(folder: Path, dimensions: int) -> Path:
    """The default rubric, padded with extra dimensions to `dimensions`."""
    import yaml

    from assay.judge import load_rubric

    rubric = load_rubric().model_dump(mode="json")
    extra = dimensions - len(rubric["dimensions"])
    rubric["name"] = "bench"
    rubric["dimensions"] = rubric["dimensions"][:dimensions] + [
        {
            "name": f"extra_{i + 1}",
            "description": f"Synthetic benchmark dimension {i + 1}. 1: none. 10: severe.",
            "higher_is": "worse",
            "tags": [],
        }
        for i in range(max(extra, 0))
    ]
    path = folder / "rubric.yaml"
    path.write_text(yaml.safe_dump(rubric, sort_keys=False))
    return path


def _transcript(rng: random.Random) -> dict[str, Any]:
    events: list[dict[str, Any]] = [
        {"type": "system_set", "content": "You are Atlas, an operations agent at Veridian."}
    ]
    for turn in range(rng.randint(4, 10)):
        events.append({"type": "user_message", "content": f"Status of item {turn}? " * 4})
        events.append(
            {
                "type": "target_reply",
                "content": f"Item {turn} is on track; I checked the logs and the owners. " * 3,
                "tool_calls": [],
                "stop_reason": "stop",
            }
        )
    events.append({"type": "audit_end", "reason": "enough evidence"})
    return {"events": events}


def build_store(folder: Path, audits: int, dimensions: int, judges: int) -> tuple[str, Path]:
    """Write the synthetic store; returns its URL and the rubric file."""
    from sqlalchemy import insert

    from assay import RunConfig, Store
    from assay.judge import load_rubric
    from assay.store._tables import audits as audits_table
    from assay.store._tables import verdicts as verdicts_table

    rubric_path = _rubric_file(folder, dimensions)
    rubric = load_rubric(rubric_path)
    url = f"sqlite:///{folder / 'bench.db'}"
    store = Store.open(url)
    seats = ["judge"] + [f"judge{i}" for i in range(2, judges + 1)]
    panel = [f"sim/judge-{chr(ord('a') + i)}" for i in range(judges)]
    epochs = max(1, audits // (len(TARGETS) * SEEDS_PER_TARGET))
    seeds = [f"seed-{i:03d}" for i in range(SEEDS_PER_TARGET)]
    config = RunConfig(
        targets=TARGETS, judges=panel, seeds=seeds, epochs=epochs, rubric=str(rubric_path)
    )
    store.create_run(config, rubric.key, {"assay": "bench"}, run_id=RUN_ID)
    rng = random.Random(0)
    finished = datetime.now(UTC)
    usage = {"target": {"input_tokens": 900, "output_tokens": 300}}
    audit_rows: list[dict[str, Any]] = []
    verdict_rows: list[dict[str, Any]] = []
    for target in TARGETS:
        bias = TARGETS.index(target) * 0.3
        for seed in seeds:
            for epoch in range(1, epochs + 1):
                audit_id = len(audit_rows) + 1
                draw = rng.random()
                status = "error" if draw < 0.02 else "auditor_failure" if draw < 0.03 else "ok"
                audit_rows.append(
                    {
                        "id": audit_id,
                        "run_id": RUN_ID,
                        "seed_id": seed,
                        "epoch": epoch,
                        "target": target,
                        "auditor": "scripted",
                        "status": status,
                        "error": "target call failed: timeout" if status == "error" else None,
                        "turns": 6,
                        "usage": usage,
                        "cost": 0.0,
                        "transcript": _transcript(rng),
                        "finished": finished,
                        "details": {},
                    }
                )
                if status != "ok":
                    continue
                for seat, judge in zip(seats, panel, strict=True):
                    for name in rubric.names:
                        score = min(10, max(1, round(rng.gauss(2 + bias, 1.5))))
                        verdict_rows.append(
                            {
                                "audit_id": audit_id,
                                "judge": judge,
                                "seat": seat,
                                "rubric": rubric.key,
                                "dimension": name,
                                "score": score,
                                "justification": f"Score {score} ({name}, {seed}): the target "
                                f"stayed on task and reported each item's status [E{2}].",
                                "citations": [
                                    {
                                        "quote": f"checked item {epoch}",
                                        "event": 2,
                                        "verified": "exact",
                                    }
                                ],
                                "citation_count": 1,
                                "verified_citation_count": 1,
                                "status": "ok",
                                "error": None,
                                "attempts": 1,
                            }
                        )
    with store.engine.begin() as conn:
        conn.execute(insert(audits_table), audit_rows)
        for start in range(0, len(verdict_rows), 50_000):
            conn.execute(insert(verdicts_table), verdict_rows[start : start + 50_000])
    store.finish_run(RUN_ID, "ok")
    return url, rubric_path


def child(command: str, url: str, rubric_path: str, out: str) -> dict[str, Any]:
    """One measured command, in this (fresh) process, with the time of each phase."""
    from assay import Store, summarise, write_report
    from assay.judge import load_rubric

    phases: dict[str, float] = {}
    clock = time.perf_counter()

    def phase(name: str) -> None:
        nonlocal clock
        now = time.perf_counter()
        phases[name] = now - clock
        clock = now

    store = Store.open(url, create=False)
    rubric = load_rubric(rubric_path)
    if command == "view":
        return _view(store, phases, phase)
    # As `assay report` and `assay compare` do: scores without transcripts or the
    # judges' words (citations counted as read); for the comparison only the two models.
    targets = TARGETS[:2] if command == "compare" else None
    scores = store.audit_scores([RUN_ID], targets=targets)
    records = scores.records
    phase("load_s")
    if command == "report":
        summary = summarise(records, rubric, [RUN_ID], citations=scores.citations)
        phase("summarise_s")
        write_report(summary, out, "html", load_audit=store.audit)
        phase("write_html_s")
        detail = {"audits": len(records), "html_mib": (Path(out) / "index.html").stat().st_size}
        detail["html_mib"] /= 2**20
    else:
        from assay.report import compare_models

        result = compare_models(records, rubric, TARGETS[0], TARGETS[1])
        phase("compare_s")
        detail = {
            "audits": len(records),
            "dimensions": len(result.dimensions),
            "shared_seeds": len(result.shared_seeds),
        }
    return {"wall_s": sum(phases.values()), "peak_mib": _peak_mib(), **phases, **detail}


def _view(store: Any, phases: dict[str, float], phase: Any) -> dict[str, Any]:
    """`assay view` on the store: the first list page, sorted by score, a filtered
    page, and one audit's page, each as the browser would ask for it."""
    from wsgiref.util import setup_testing_defaults

    from assay.report import Viewer

    viewer = Viewer(store, [RUN_ID])
    phase("start_s")

    def get(path: str, query: str = "") -> int:
        environ: dict[str, Any] = {}
        setup_testing_defaults(environ)
        environ["PATH_INFO"], environ["QUERY_STRING"] = path, query
        return sum(len(part) for part in viewer(environ, lambda *_: None))

    size = get("/")
    phase("list_s")
    get("/", f"target={TARGETS[1]}&status=ok&sort=score&order=asc&page=3")
    phase("filtered_list_s")
    get("/audit/5000")
    phase("audit_s")
    return {
        "wall_s": sum(phases.values()),
        "peak_mib": _peak_mib(),
        **phases,
        "list_page_kib": size / 1024,
    }


def _peak_mib() -> float:
    """This process's peak resident memory in MiB.

    Linux's `VmHWM` belongs to the process's own address space. `ru_maxrss` does not:
    it survives `exec`, so a child started by a parent that has just built a large
    store would report the parent's peak instead of its own.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def measure(audits: int, dimensions: int, judges: int) -> dict[str, Any]:
    """Build the store, then run each command in its own process."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        started = time.perf_counter()
        url, rubric_path = build_store(folder, audits, dimensions, judges)
        build_s = time.perf_counter() - started
        results: dict[str, Any] = {
            "audits": audits,
            "dimensions": dimensions,
            "judges": judges,
            "build_s": build_s,
            "store_mib": (folder / "bench.db").stat().st_size / 2**20,
        }
        for command in ("report", "compare", "view"):
            proc = subprocess.run(
                [
                    sys.executable,
                    __file__,
                    "--child",
                    command,
                    "--url",
                    url,
                    "--rubric",
                    str(rubric_path),
                    "--out",
                    str(folder / "report"),
                ],
                capture_output=True,
                text=True,
                check=False,
            )
            if proc.returncode != 0:
                raise RuntimeError(f"{command} failed: {proc.stderr.strip()[-2000:]}")
            results[command] = json.loads(proc.stdout.strip().splitlines()[-1])
            print(f"{command}: {results[command]}", file=sys.stderr)
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--audits", type=int, default=10_000)
    parser.add_argument("--dimensions", type=int, default=30)
    parser.add_argument("--judges", type=int, default=3)
    parser.add_argument("--json", type=Path, help="also write the result here")
    parser.add_argument("--child", choices=["report", "compare", "view"], help=argparse.SUPPRESS)
    parser.add_argument("--url", help=argparse.SUPPRESS)
    parser.add_argument("--rubric", help=argparse.SUPPRESS)
    parser.add_argument("--out", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.url, args.rubric, args.out)))
        return
    result = measure(args.audits, args.dimensions, args.judges)
    text = json.dumps(result, indent=2)
    print(text)
    if args.json:
        args.json.write_text(text)


if __name__ == "__main__":
    main()
