"""`assay demo`: the main job, offline, on the embedded model."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from ._app import DB_HELP, app, console
from ._progress import run_progress


@app.command()
def demo(
    db: str = typer.Option("assay.db", help=DB_HELP),
    out: Path = typer.Option(Path("assay-report"), help="Folder for the HTML report."),
    seeds: list[str] = typer.Option(
        [],
        "--seeds",
        "-s",
        help="Seed ids, behaviours or tags (default: every scripted seed; `--seeds demo` "
        "runs the 12 tagged `demo`, one per behaviour family, in half the time).",
    ),
    log_dir: Path = typer.Option(Path("logs"), help="Where Inspect writes its eval logs."),
    progress: bool = typer.Option(True, help="Show a progress bar and a line per audit."),
) -> None:
    """Audit the embedded model on every scripted seed, judged by it too; then static probes.

    Judging uses the six headline dimensions of the rubric (the embedded judge needs
    about a minute per transcript on all 27). Needs no network and no API key. The
    embedded model (SmolLM2-135M) only exercises the pipeline: its scores are
    demo-grade, not findings.
    """
    from .. import (
        RunConfig,
        StaticConfig,
        Store,
        load_rubric,
        print_summary,
        run_audit,
        run_static,
        select_seeds,
        summarise,
        write_report,
    )
    from ..errors import InputError, Problem
    from ..judge import behaviour_names, headline_rubric_path
    from ..schema import EMBEDDED_MODEL

    rubric_path = headline_rubric_path()
    rubric = load_rubric(rubric_path)
    chosen = [s.id for s in select_seeds(seeds, behaviour_names()) if s.scripted]
    if not chosen:
        raise InputError(
            "--seeds", [Problem(", ".join(seeds), "selects no scripted seed", field="--seeds")]
        )
    # One audit at a time: the in-process model serves one call at a time anyway,
    # and finished audits then reach the store (and the progress bar) steadily.
    config = RunConfig(
        targets=[EMBEDDED_MODEL],
        judges=[EMBEDDED_MODEL],
        seeds=chosen,
        rubric=str(rubric_path),
        max_samples=1,
    )
    console.print(
        f"assay demo: {len(chosen)} scripted seeds, target and judge {EMBEDDED_MODEL} "
        f"(embedded, offline), rubric {rubric.key} (the {len(rubric.dimensions)} headline "
        "dimensions). The embedded judge is demo-grade: it shows the pipeline working, "
        "not real alignment findings."
    )
    started = time.monotonic()
    store = Store.open(db)
    with run_progress(console, progress) as bar:
        result = run_audit(config, store, log_dir=log_dir, progress=bar)
    console.print("static probes on the embedded model (scored from log-probabilities)...")
    with run_progress(console, progress, "probing") as bar:
        static_run, static_results = run_static(
            StaticConfig(targets=[EMBEDDED_MODEL]), store, progress=bar
        )
    runs = [result.run_id, static_run]
    summary = summarise(result.audits, rubric, runs, static_results)
    print_summary(summary, console)
    path = write_report(summary, out)
    minutes = (time.monotonic() - started) / 60
    console.print(
        f"runs [bold]{result.run_id}[/] (audits) and [bold]{static_run}[/] (static) stored in "
        f"{db}; report: {path} ({minutes:.1f} min)"
    )
