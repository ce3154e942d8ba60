"""`assay demo`: the main job, offline, on the embedded model."""

from __future__ import annotations

import time
from contextlib import nullcontext
from pathlib import Path

import typer

from ._app import DB_HELP, app, console
from ._progress import RichRunProgress


@app.command()
def demo(
    db: str = typer.Option("assay.db", help=DB_HELP),
    out: Path = typer.Option(Path("assay-report"), help="Folder for the HTML report."),
    seeds: list[str] = typer.Option(
        [], "--seeds", "-s", help="Limit to these seeds (default: every scripted seed)."
    ),
    log_dir: Path = typer.Option(Path("logs"), help="Where Inspect writes its eval logs."),
    progress: bool = typer.Option(True, help="Show a progress bar and a line per audit."),
) -> None:
    """Run every shipped scripted seed against the embedded model, judged by it too.

    Needs no network and no API key. The embedded model (SmolLM2-135M) only
    exercises the pipeline: its scores are demo-grade, not findings.
    """
    from .. import (
        RunConfig,
        Store,
        load_library,
        load_rubric,
        print_summary,
        run_audit,
        summarise,
        write_report,
    )
    from ..schema import EMBEDDED_MODEL

    rubric = load_rubric()
    chosen = seeds or [s.id for s in load_library(set(rubric.names)) if s.scripted]
    # One audit at a time: the in-process model serves one call at a time anyway,
    # and finished audits then reach the store (and the progress bar) steadily.
    config = RunConfig(
        targets=[EMBEDDED_MODEL], judges=[EMBEDDED_MODEL], seeds=chosen, max_samples=1
    )
    console.print(
        f"assay demo: {len(chosen)} scripted seeds, target and judge {EMBEDDED_MODEL} "
        "(embedded, offline). The embedded judge is demo-grade: it shows the pipeline "
        "working, not real alignment findings."
    )
    started = time.monotonic()
    store = Store.open(db)
    with RichRunProgress(console) if progress else nullcontext() as bar:
        result = run_audit(config, store, log_dir=log_dir, progress=bar)
    summary = summarise(result.audits, rubric, [result.run_id])
    print_summary(summary, console)
    path = write_report(summary, out)
    minutes = (time.monotonic() - started) / 60
    console.print(
        f"run [bold]{result.run_id}[/] stored in {db}; report: {path} ({minutes:.1f} min)"
    )
