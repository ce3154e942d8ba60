"""`assay static`: multiple-choice probes scored without a judge."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import DB_HELP, app, console
from ._progress import run_progress


@app.command()
def static(
    target: list[str] = typer.Option(
        [], "--target", "-t", help="Model to probe (repeatable; required)."
    ),
    probes: list[Path] = typer.Option(
        [], "--probes", help="assay probe YAML files or folders (default: shipped probes)."
    ),
    mwe: list[Path] = typer.Option(
        [],
        "--mwe",
        help="Model-written-evals JSONL file (question, answer_matching_behavior, "
        "answer_not_matching_behavior); repeatable.",
    ),
    seed: int = typer.Option(0, help="Seed of the per-item choice shuffle."),
    db: str = typer.Option("assay.db", envvar="ASSAY_DB", help=DB_HELP),
    progress: bool = typer.Option(True, help="Show a progress bar."),
) -> None:
    """Score P(misaligned answer) on probes: from log-probabilities where the provider
    gives them, else from the answer letter; choice order shuffled per item."""
    from .. import (
        StaticConfig,
        Store,
        check_model_names,
        load_rubric,
        print_summary,
        run_static,
        summarise,
    )
    from .._static_run import static_items
    from ..errors import InputError, Problem

    if not target:
        raise InputError(
            "command line",
            [Problem("--target", "is required: name a model, e.g. openai/gpt-4.1")],
        )
    config = StaticConfig(
        targets=target, probes=[str(p) for p in probes], mwe=[str(p) for p in mwe], seed=seed
    )
    # Bad input is refused before the store is created or opened.
    static_items(config)
    check_model_names([("--target", t) for t in target])
    store = Store.open(db)
    with run_progress(console, progress, "probing") as bar:
        run_id, results = run_static(config, store, progress=bar)
    print_summary(summarise([], load_rubric(), [run_id], static=results), console)
    console.print(f"run {run_id} stored in {store.safe_url}", markup=False, highlight=False)
