"""`assay report`: summarise stored runs in the terminal and as a file."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import DB_HELP, app, check_out_folder, console, plain
from ._models import MODELS_HELP
from ._selection import SELECTION_HELP

FORMATS = ("html", "md", "json", "csv")


@app.command(
    help="Print the summary tables of stored runs and write a report file.\n\n"
    f"{SELECTION_HELP} Audits are scored under their run's rubric; static probe results "
    "are shown beside them."
)
def report(
    run: list[str] = typer.Option([], "--run", "-r", help="Run id (repeatable)."),
    all_runs: bool = typer.Option(False, "--all", help="Every run in the store."),
    db: str = typer.Option("assay.db", envvar="ASSAY_DB", help=DB_HELP),
    out: Path = typer.Option(Path("assay-report"), help="Folder for the report file."),
    fmt: str = typer.Option(
        "html",
        "--format",
        "-f",
        help="html, md, json or csv (csv also writes seeds.csv: per-seed scores).",
    ),
    rubric: Path | None = typer.Option(
        None, help="Rubric the verdicts were given under (default: the run's own)."
    ),
    judge: list[str] = typer.Option(
        [],
        "--judge",
        "-j",
        help="Only verdicts of these judges, by model or seat (default: every judge).",
    ),
    dimension: str = typer.Option(
        "concerning", "--dimension", "-d", help="Dimension of the release-date figure."
    ),
    models: list[Path] = typer.Option([], "--models", help=MODELS_HELP),
    labels: Path | None = typer.Option(
        None,
        "--labels",
        help="Labels of stored audits (CSV: audit, dimension, score, labeller): adds each "
        "judge's agreement with them beside the panel's own agreement.",
    ),
) -> None:
    """Print the summary tables of stored runs and write a report file."""
    from .. import Store, print_summary, summarise, write_report
    from ..errors import InputError, Problem
    from ..models import load_registry
    from ..report import check_dimension
    from ..report._labels import print_labels, with_labels
    from ._selection import only_judges, report_rubric, select_runs, verdict_rubrics

    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise InputError("--format", [Problem(fmt, "use html, md, json or csv", field="--format")])
    check_out_folder(out)
    registry = load_registry(models)
    store = Store.open(db, create=False)
    known = store.runs()
    if not known:
        raise InputError(
            "store", [Problem(store.safe_url, "holds no runs yet; run `assay audit` first")]
        )
    runs = select_runs(known, run, all_runs)
    run_ids = [r.id for r in runs]
    # Aggregates need no transcripts and no judges' words (each verdict's citation
    # counts are read with its scores): the page reloads the few audits it shows in full.
    scores = store.audit_scores(run_ids)
    records = scores.records
    if judge:
        records = only_judges(records, judge)
    chosen = report_rubric(runs, records, rubric)
    check_dimension(chosen, dimension)
    configs = {r.id: r.config for r in runs}
    static = store.static_results(run_ids)
    summary = summarise(
        records,
        chosen,
        run_ids,
        static,
        registry=registry,
        configs=configs,
        citations=scores.citations,
    )
    if labels is not None:
        summary = with_labels(summary, labels, store)
    plain(f"runs: {', '.join(run_ids)}")
    print_summary(summary, console)
    if summary.labels is not None:
        print_labels(summary.labels, console)
    others = {k: n for k, n in verdict_rubrics(records).items() if k != chosen.key}
    if others:
        listing = ", ".join(f"{k} ({n})" for k, n in others.items())
        plain(f"not shown: verdicts under other rubrics: {listing}; choose one with --rubric")
    path = write_report(summary, out, fmt, dimension, store.audit)  # type: ignore[arg-type]
    plain(f"report: {path}")
    if fmt in ("html", "md") and summary.models:
        plain(f"figures: {path.parent / 'trajectory.png'} (.svg), {path.parent / 'heatmap.png'}")
    if fmt == "csv":
        plain(f"per-seed scores: {path.parent / 'seeds.csv'}")
