"""`assay audit`: audit target models on seeds and store the results."""

from __future__ import annotations

from contextlib import nullcontext
from pathlib import Path

import typer

from ._app import DB_HELP, app, console
from ._progress import RichRunProgress


@app.command()
def audit(
    target: list[str] = typer.Option(
        ["local/smollm2-135m"], "--target", "-t", help="Model under audit (repeatable)."
    ),
    judge: list[str] = typer.Option(
        ["local/smollm2-135m"], "--judge", "-j", help="Judge model (repeatable: a panel)."
    ),
    auditor: str = typer.Option(
        "scripted",
        help="`scripted` replays each seed's script (seeds without one are skipped); a model "
        "name runs the LLM auditor on every selected seed.",
    ),
    realism: str | None = typer.Option(
        None, help="Model that vets each LLM-auditor action for realism (off by default)."
    ),
    seeds: list[str] = typer.Option(
        [], "--seeds", "-s", help="Seed file, folder, id, behaviour or tag (repeatable)."
    ),
    rubric: Path | None = typer.Option(None, help="Rubric YAML file (default: shipped rubric)."),
    epochs: int = typer.Option(1, min=1, help="Repeats of every seed."),
    max_turns: int = typer.Option(30, min=1, help="Cap on target replies per audit."),
    max_connections: int | None = typer.Option(
        None, min=1, help="Concurrent calls per model (default: provider's)."
    ),
    max_samples: int | None = typer.Option(
        None, min=1, help="Audits run at once (use 1 for local models)."
    ),
    judge_retries: int = typer.Option(2, min=0, help="Extra attempts on unusable judge output."),
    seed: int = typer.Option(0, help="Sampling seed passed to every model."),
    db: str = typer.Option("assay.db", help=DB_HELP),
    log_dir: Path = typer.Option(Path("logs"), help="Where Inspect writes its eval logs."),
    out: Path | None = typer.Option(None, help="Also write the HTML report to this folder."),
    progress: bool = typer.Option(True, help="Show a progress bar and a line per audit."),
) -> None:
    """Audit target models on seeds; judge every transcript; store and summarise."""
    from .. import RunConfig, Store, load_rubric, print_summary, run_audit, summarise, write_report

    config = RunConfig(
        targets=target,
        auditor=auditor,
        realism=realism,
        judges=judge,
        seeds=seeds,
        rubric=str(rubric) if rubric else None,
        epochs=epochs,
        max_turns=max_turns,
        max_connections=max_connections,
        max_samples=max_samples,
        judge_retries=judge_retries,
        seed=seed,
    )
    store = Store.open(db)
    with RichRunProgress(console) if progress else nullcontext() as bar:
        result = run_audit(config, store, log_dir=log_dir, progress=bar)
    summary = summarise(result.audits, load_rubric(config.rubric), [result.run_id])
    print_summary(summary, console)
    console.print(f"run [bold]{result.run_id}[/] stored in {db}")
    if out is not None:
        console.print(f"report: {write_report(summary, out)}")
