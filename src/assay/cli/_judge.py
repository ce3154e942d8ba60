"""`assay judge`: re-judge stored transcripts without calling the target or auditor."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import DB_HELP, app, console, plain
from ._progress import run_progress


@app.command()
def judge(
    run: list[str] = typer.Option(..., "--run", "-r", help="Run id to re-judge (repeatable)."),
    judge_models: list[str] = typer.Option(
        [], "--judge", "-j", help="Judge model (repeatable: a panel)."
    ),
    drop: list[str] = typer.Option(
        [],
        "--drop",
        help="First remove every verdict this judge (model name or seat) gave in the runs "
        "(repeatable), e.g. a judge whose verdicts were all errors.",
    ),
    rubric: Path | None = typer.Option(None, help="Rubric YAML file (default: shipped rubric)."),
    judge_retries: int = typer.Option(2, min=0, help="Extra attempts on unusable output."),
    db: str = typer.Option("assay.db", envvar="ASSAY_DB", help=DB_HELP),
    progress: bool = typer.Option(True, help="Show a progress bar and a line per audit."),
) -> None:
    """Score stored transcripts with new judges or a new rubric; old verdicts are kept
    unless `--drop` removes them. Needs --judge, --drop or both."""
    from .. import Store, check_model_names, load_rubric, print_summary, rejudge, summarise
    from ..errors import InputError, Problem
    from ._selection import report_rubric

    if not judge_models and not drop:
        raise InputError(
            "command line",
            [Problem("--judge", "name a judge model to re-judge with, or --drop a judge")],
        )
    # Bad input is refused before any verdict is dropped.
    check_model_names([("--judge", j) for j in judge_models])
    store = Store.open(db, create=False)
    infos = [store.run(run_id) for run_id in dict.fromkeys(run)]
    stored = store.audits(run)
    # The summary's rubric: the new verdicts', else the runs' own (or --rubric).
    shown = load_rubric(rubric) if judge_models else report_rubric(infos, stored, rubric)
    given = {n for r in stored for v in r.verdicts for n in (v.judge, v.seat)}
    missing = [name for name in drop if name not in given]
    if missing:
        raise InputError(
            "--drop",
            [
                Problem(name, f"gave no verdict in run {', '.join(run)}", field="--drop")
                for name in missing
            ],
        )
    for name in drop:
        dropped = store.drop_verdicts(run, name)
        plain(f"dropped {dropped} verdicts by {name} from run {', '.join(run)}")
    records = []
    if judge_models:
        with run_progress(console, progress, "judging") as bar:
            records = rejudge(store, run, judge_models, rubric, retries=judge_retries, progress=bar)
    scores = store.audit_scores(run)
    print_summary(summarise(scores.records, shown, run, citations=scores.citations), console)
    if judge_models:
        plain(f"re-judged {len(records)} audits; target and auditor were not called")
