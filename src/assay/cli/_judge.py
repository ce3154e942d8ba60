"""`assay judge`: re-judge stored transcripts without calling the target or auditor."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import DB_HELP, app, console
from ._progress import run_progress


@app.command()
def judge(
    run: list[str] = typer.Option(..., "--run", "-r", help="Run id to re-judge (repeatable)."),
    judge_models: list[str] = typer.Option(
        ..., "--judge", "-j", help="Judge model (repeatable: a panel)."
    ),
    rubric: Path | None = typer.Option(None, help="Rubric YAML file (default: shipped rubric)."),
    judge_retries: int = typer.Option(2, min=0, help="Extra attempts on unusable output."),
    db: str = typer.Option("assay.db", help=DB_HELP),
    progress: bool = typer.Option(True, help="Show a progress bar and a line per audit."),
) -> None:
    """Score stored transcripts with new judges or a new rubric; old verdicts are kept."""
    from .. import Store, load_rubric, print_summary, rejudge, summarise

    store = Store.open(db)
    with run_progress(console, progress, "judging") as bar:
        records = rejudge(store, run, judge_models, rubric, retries=judge_retries, progress=bar)
    all_records = store.audits(run)
    print_summary(summarise(all_records, load_rubric(rubric), run), console)
    console.print(f"re-judged {len(records)} audits; target and auditor were not called")
