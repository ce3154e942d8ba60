"""`assay audit`: audit target models on seeds and store the results."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import DB_HELP, app, check_out_folder, console, err_console
from ._progress import run_progress


@app.command()
def audit(
    target: list[str] = typer.Option(
        [], "--target", "-t", help="Model under audit (repeatable; required)."
    ),
    judge: list[str] = typer.Option(
        [], "--judge", "-j", help="Judge model (repeatable: a panel of seats; required)."
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
    resume: str | None = typer.Option(
        None,
        help="Finish an interrupted or crashed run: keep its stored audits, run the rest "
        "(other run options are taken from the stored run).",
    ),
    db: str = typer.Option("assay.db", envvar="ASSAY_DB", help=DB_HELP),
    executor: str = typer.Option(
        "local",
        help="`local` runs every audit in this process; `ray` shards them across a Ray "
        "cluster (extra `ray`), every worker writing to the same store.",
    ),
    ray_address: str | None = typer.Option(
        None, help="Ray cluster address for --executor ray (default: start a local one)."
    ),
    log_dir: Path | None = typer.Option(
        None, help="Where Inspect writes its eval logs (default: ./logs; a resumed run: its own)."
    ),
    out: Path | None = typer.Option(None, help="Also write the HTML report to this folder."),
    progress: bool = typer.Option(True, help="Show a progress bar and a line per audit."),
) -> None:
    """Audit target models on seeds; judge every transcript; store and summarise.

    Every finished audit is stored at once; after a crash or Ctrl-C, `--resume RUN`
    finishes the run without repeating finished audits.
    """
    from .. import (
        RunConfig,
        RunInterrupted,
        Store,
        load_rubric,
        print_summary,
        resume_audit,
        run_audit,
        summarise,
    )
    from .._run import Executor, plan_run
    from ..errors import InputError, Problem

    given = [
        flag
        for flag, value in (
            ("--target", target),
            ("--judge", judge),
            ("--seeds", seeds),
            ("--rubric", rubric),
        )
        if value
    ]
    if resume is not None and given:
        raise InputError(
            "--resume",
            [
                Problem(f, "a resumed run keeps its stored settings; drop this option")
                for f in given
            ],
        )
    if resume is None:
        missing = [flag for flag, given in (("--target", target), ("--judge", judge)) if not given]
        if missing:
            raise InputError(
                "command line",
                [Problem(f, "is required: name a model, e.g. openai/gpt-4.1") for f in missing],
            )
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
    if executor not in ("local", "ray"):
        raise InputError("--executor", [Problem(executor, "use local or ray", field="--executor")])
    run_executor: Executor = "ray" if executor == "ray" else "local"
    check_out_folder(out)
    if resume is None:
        plan_run(config)  # bad input is refused before the store is created or opened
    store = Store.open(db, create=resume is None)
    try:
        with run_progress(console, progress) as bar:
            if resume is not None:
                result = resume_audit(
                    store,
                    resume,
                    log_dir=log_dir,
                    progress=bar,
                    executor=run_executor,
                    ray_address=ray_address,
                )
            else:
                result = run_audit(
                    config,
                    store,
                    log_dir=log_dir or "logs",
                    progress=bar,
                    executor=run_executor,
                    ray_address=ray_address,
                )
    except RunInterrupted as exc:
        err_console.print(str(exc), markup=False, highlight=False)
        err_console.print(
            f"resume with: assay audit --resume {exc.run_id} --db {store.safe_url}",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(130) from None
    run_info = store.run(result.run_id)
    summary = summarise(
        result.audits,
        load_rubric(run_info.config.get("rubric")),
        [result.run_id],
        configs={run_info.id: run_info.config},
    )
    print_summary(summary, console)
    console.print(f"run {result.run_id} stored in {store.safe_url}", markup=False)
    if out is not None:
        from .. import write_report

        console.print(f"report: {write_report(summary, out)}", markup=False)
