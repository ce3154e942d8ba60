"""`assay demo`: the main job, offline, on the embedded model."""

from __future__ import annotations

import time
from contextlib import nullcontext
from pathlib import Path

import typer

from ._app import DB_HELP, app, console
from ._progress import RichRunProgress

DEMO_TAG = "demo"


@app.command()
def demo(
    db: str = typer.Option("assay.db", help=DB_HELP),
    out: Path = typer.Option(Path("assay-report"), help="Folder for the HTML report."),
    seeds: list[str] = typer.Option(
        [], "--seeds", "-s", help="Seeds to run (default: the scripted seeds tagged `demo`)."
    ),
    all_scripted: bool = typer.Option(
        False, "--all-scripted", help="Run every scripted seed (about 1 minute each)."
    ),
    log_dir: Path = typer.Option(Path("logs"), help="Where Inspect writes its eval logs."),
    progress: bool = typer.Option(True, help="Show a progress bar and a line per audit."),
) -> None:
    """Audit the embedded model on the demo seeds, judged by it too; then static probes.

    The demo seeds are the scripted seeds tagged `demo`, one per headline
    behaviour; `--all-scripted` runs every scripted seed. Needs no network and no
    API key. The embedded model (SmolLM2-135M) only exercises the pipeline: its
    scores are demo-grade, not findings.
    """
    from .. import (
        RunConfig,
        StaticConfig,
        Store,
        load_library,
        load_rubric,
        print_summary,
        run_audit,
        run_static,
        summarise,
        write_report,
    )
    from ..judge import behaviour_names, headline_rubric_path
    from ..schema import EMBEDDED_MODEL

    rubric_path = headline_rubric_path()
    rubric = load_rubric(rubric_path)
    library = [s for s in load_library(behaviour_names()) if s.scripted]
    chosen = seeds or [s.id for s in library if all_scripted or DEMO_TAG in s.tags]
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
    with RichRunProgress(console) if progress else nullcontext() as bar:
        result = run_audit(config, store, log_dir=log_dir, progress=bar)
    console.print("static probes on the embedded model (scored from log-probabilities)...")
    with RichRunProgress(console, "probing") if progress else nullcontext() as bar:
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
