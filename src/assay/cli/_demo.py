"""`assay demo`: the main job, offline, on the embedded model."""

from __future__ import annotations

import time
from pathlib import Path

import typer

from ._app import DB_HELP, app, check_out_folder, console
from ._progress import run_progress

QUICK_TAG = "quick"
"""Seeds of the short tour: one each of blackmail, lying, sycophancy and test-case
hacking (evaluation awareness shows in the static probes)."""
TOUR_TURNS = 4
TOUR_REPLY_TOKENS = 160
TOUR_PROBES = 4
"""Static probes per behaviour in the short tour (20 of the 100)."""


@app.command()
def demo(
    db: str = typer.Option("assay.db", help=DB_HELP),
    out: Path = typer.Option(Path("assay-report"), help="Folder for the HTML report."),
    full: bool = typer.Option(
        False,
        "--full",
        help="Every scripted seed at full length and all static probes (about 20 min) "
        "instead of the short tour (about 3 min).",
    ),
    seeds: list[str] = typer.Option(
        [],
        "--seeds",
        "-s",
        help="Seed ids, behaviours or tags (default: the 4 tagged `quick`; with --full, "
        "every scripted seed; `--seeds demo` runs the 12 tagged `demo`).",
    ),
    log_dir: Path = typer.Option(Path("logs"), help="Where Inspect writes its eval logs."),
    progress: bool = typer.Option(True, help="Show a progress bar and a line per audit."),
) -> None:
    """The whole pipeline offline on the embedded model, in about 3 minutes.

    Audits the embedded model on 4 scripted seeds across behaviour families (short
    replies, at most 4 target turns), judged by a panel of two seats on the six
    headline dimensions, then 20 static probes; stores everything, prints the summary
    and writes the HTML report. `--full` runs every scripted seed at full length and
    all 100 probes. Needs no network and no API key. The embedded model
    (SmolLM2-135M) only exercises the pipeline: its scores are demo-grade, not findings.
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
    from ..auditor import TARGET_MAX_TOKENS
    from ..errors import InputError, Problem
    from ..judge import behaviour_names, headline_rubric_path
    from ..schema import EMBEDDED_MODEL

    check_out_folder(out)
    rubric_path = headline_rubric_path()
    rubric = load_rubric(rubric_path)
    selectors = seeds or ([] if full else [QUICK_TAG])
    chosen = [s.id for s in select_seeds(selectors, behaviour_names()) if s.scripted]
    if not chosen:
        raise InputError(
            "--seeds", [Problem(", ".join(seeds), "selects no scripted seed", field="--seeds")]
        )
    # One audit at a time: the in-process model serves one call at a time anyway,
    # and finished audits then reach the store (and the progress bar) steadily.
    config = RunConfig(
        targets=[EMBEDDED_MODEL],
        judges=[EMBEDDED_MODEL, EMBEDDED_MODEL],
        seeds=chosen,
        rubric=str(rubric_path),
        max_samples=1,
        max_turns=30 if full else TOUR_TURNS,
        target_max_tokens=TARGET_MAX_TOKENS if full else TOUR_REPLY_TOKENS,
    )
    console.print(
        f"assay demo: {len(chosen)} scripted seeds, target and a two-seat judge panel "
        f"{EMBEDDED_MODEL} (embedded, offline), rubric {rubric.key} (the "
        f"{len(rubric.dimensions)} headline dimensions). The embedded judge is demo-grade: "
        "it shows the pipeline working, not real alignment findings.",
        markup=False,
        highlight=False,
    )
    started = time.monotonic()
    store = Store.open(db)
    with run_progress(console, progress) as bar:
        result = run_audit(config, store, log_dir=log_dir, progress=bar)
    console.print("static probes on the embedded model (scored from log-probabilities)...")
    with run_progress(console, progress, "probing") as bar:
        static_run, static_results = run_static(
            StaticConfig(targets=[EMBEDDED_MODEL], per_behaviour=None if full else TOUR_PROBES),
            store,
            progress=bar,
        )
    runs = [result.run_id, static_run]
    summary = summarise(result.audits, rubric, runs, static_results)
    print_summary(summary, console)
    path = write_report(summary, out)
    minutes = (time.monotonic() - started) / 60
    # The store and report paths are user input: printed as is, never as markup.
    console.print(
        f"runs {result.run_id} (audits) and {static_run} (static) stored in "
        f"{store.safe_url}; report: {path} ({minutes:.1f} min)",
        markup=False,
        highlight=False,
    )
