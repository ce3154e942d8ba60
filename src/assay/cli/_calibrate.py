"""`assay calibrate`: measure judges against labelled transcripts."""

from __future__ import annotations

import contextlib
import json
import sys
from pathlib import Path

import typer

from ._app import DB_HELP, app, console, plain

FORMATS = ("text", "json")
REASONS_SHOWN = 3
"""Failed verdicts whose reason the text output lists per judge."""


@app.command(
    help="Run judges on labelled transcripts and report their agreement with the labels "
    "per dimension: Spearman rank correlation, mean absolute error, accuracy at the "
    "elicitation threshold (score >= 7), each with a 95% bootstrap interval, and n.\n\n"
    "Without --labels the shipped set is used (written for this project, not by human "
    "raters: see docs/calibration.md). A CSV (columns audit, dimension, score, labeller) "
    "labels stored audits of the --db store. Only judge models are called."
)
def calibrate(
    judge_models: list[str] = typer.Option(
        ..., "--judge", "-j", help="Judge model (repeatable: each is measured)."
    ),
    labels: Path | None = typer.Option(
        None,
        "--labels",
        help="Labels: a YAML file or folder, or a CSV of labels on stored audits "
        "(default: the shipped set).",
    ),
    rubric: Path | None = typer.Option(None, help="Rubric YAML file (default: shipped rubric)."),
    judge_retries: int = typer.Option(2, min=0, help="Extra attempts on unusable output."),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
    db: str = typer.Option("assay.db", envvar="ASSAY_DB", help=DB_HELP + " (for CSV labels)"),
) -> None:
    """Measure judges against labelled transcripts."""
    from .. import Store, calibrate
    from ..errors import InputError, Problem
    from ..report._labels import label_table

    fmt = fmt.lower()
    if fmt not in FORMATS:
        raise InputError("--format", [Problem(fmt, "use text or json", field="--format")])
    store = None
    if labels is not None and labels.suffix.lower() == ".csv":
        store = Store.open(db, create=False)
    # Inspect announces its hooks on stdout when the first model loads: in JSON mode that
    # goes to stderr, so stdout holds only the JSON document.
    with contextlib.redirect_stdout(sys.stderr) if fmt == "json" else contextlib.nullcontext():
        result = calibrate(judge_models, labels, rubric=rubric, store=store, retries=judge_retries)
    if fmt == "json":
        typer.echo(json.dumps(result.to_json(), indent=2))  # never wrapped: stays valid JSON
        return
    plain(f"labels: {result.labels} ({result.transcripts} transcripts); rubric {result.rubric}")
    for j in result.judges:
        plain(f"{j.judge}: {j.verdicts} verdicts, {j.errors} failed (counted, never scored)")
        for reason in j.error_reasons[:REASONS_SHOWN]:
            plain(f"  failed: {reason}")
        if len(j.error_reasons) > REASONS_SHOWN:
            plain(
                f"  ... and {len(j.error_reasons) - REASONS_SHOWN} more (--format json lists all)"
            )
        console.print(label_table(j.judge, j.dimensions))
