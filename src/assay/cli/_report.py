"""`assay report`: summarise stored runs in the terminal and as a file."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import DB_HELP, app, console


@app.command()
def report(
    run: list[str] = typer.Option([], "--run", "-r", help="Run id (repeatable)."),
    all_runs: bool = typer.Option(False, "--all", help="Every run in the store."),
    db: str = typer.Option("assay.db", help=DB_HELP),
    out: Path = typer.Option(Path("assay-report"), help="Folder for the report file."),
    fmt: str = typer.Option("html", "--format", "-f", help="html, md, json or csv."),
    rubric: Path | None = typer.Option(
        None, help="Rubric the verdicts were given under (default: the run's, if shipped)."
    ),
    judge: list[str] = typer.Option(
        [], "--judge", "-j", help="Only verdicts of these judges (default: every judge)."
    ),
) -> None:
    """Print the summary table for stored runs (default: the latest) and write a report."""
    from .. import Store, load_rubric, print_summary, summarise, write_report
    from ..errors import InputError, Problem
    from ..judge import shipped_rubric
    from ..schema import STATIC_RUBRIC

    if fmt not in ("html", "md", "json", "csv"):
        raise InputError("--format", [Problem(fmt, "use html, md, json or csv", field="--format")])
    store = Store.open(db)
    known = store.runs()
    if not known:
        raise InputError("store", [Problem(db, "holds no runs yet; run `assay audit` first")])
    run_ids = [r.id for r in known] if all_runs else run or [known[-1].id]
    for run_id in run_ids:
        store.run(run_id)  # clear error for an unknown id
    records = store.audits(run_ids)
    if judge:
        records = [
            r.model_copy(update={"verdicts": [v for v in r.verdicts if v.judge in judge]})
            for r in records
        ]
    if rubric is None:
        # The rubric the selected audit runs were judged with, when assay ships it.
        keys = [r.rubric for r in known if r.id in run_ids and r.rubric != STATIC_RUBRIC]
        rubric = shipped_rubric(keys[-1]) if keys else None
    summary = summarise(records, load_rubric(rubric), run_ids, store.static_results(run_ids))
    print_summary(summary, console)
    console.print(f"report: {write_report(summary, out, fmt)}")  # type: ignore[arg-type]
