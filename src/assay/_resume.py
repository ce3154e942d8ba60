"""Finishing an interrupted or crashed run without repeating finished audits."""

from __future__ import annotations

from pathlib import Path

from ._run import Display, Executor, RunProgress, RunResult, evaluate, plan_run
from .errors import InputError, Problem
from .schema import RunConfig
from .store import Store


def resume_audit(
    store: Store,
    run_id: str,
    log_dir: str | Path | None = None,
    display: Display = "none",
    progress: RunProgress | None = None,
    executor: Executor = "local",
    ray_address: str | None = None,
) -> RunResult:
    """Finish an interrupted or crashed run: keep what is done, run only the rest.

    First every audit the run's eval logs hold but the store lacks is imported
    (Inspect writes each finished sample to its log); then the seeds of each target
    that still lack a stored audit are evaluated again, locally or on Ray. Audits
    already stored are kept and none is duplicated.

    Args:
        store: The store holding the run.
        run_id: The run to finish.
        log_dir: Where the run's eval logs are (default: where the run wrote them).
        display: Inspect's own progress display.
        progress: Told the number of audits and how many are done, then each audit.
        executor: `local` or `ray`, as for `run_audit`.
        ray_address: The Ray cluster to use (default: start a local one).

    Raises:
        InputError: No such run, or it is not an audit run.
        RunInterrupted, RunFailed: As for `run_audit`.
    """
    from .recording import import_logs

    info = store.run(run_id)
    if info.rubric == "static":
        raise InputError(
            "run", [Problem(run_id, "is a static eval run; rerun `assay static`", field="--resume")]
        )
    config = RunConfig.model_validate(info.config)
    if log_dir is not None:
        config = config.model_copy(update={"log_dir": str(Path(log_dir).resolve())})
    plan = plan_run(config)
    if executor == "ray":
        from ._ray_executor import check_ray

        check_ray(store, ray_address)
    import_logs(store, run_logs(Path(config.log_dir), run_id), only_missing=True)
    done = store.audit_keys(run_id)
    todo = {t: unfinished_seeds(config, plan.seed_ids, done, t) for t in config.targets}
    if progress is not None:
        progress.start(plan.total(config), skipped=plan.skipped, done=len(done))
    store.reopen_run(run_id)
    if executor == "ray":
        from ._ray_executor import evaluate_on_ray

        return evaluate_on_ray(store, run_id, config, plan, progress, ray_address)
    targets = [t for t in config.targets if todo[t]]
    return evaluate(store, run_id, config, targets, display, progress, only=todo)


def unfinished_seeds(
    config: RunConfig, seed_ids: list[str], done: set[tuple[str, int, str]], target: str
) -> list[str]:
    """The seeds of `target` that lack a stored audit for some epoch."""
    return [
        s for s in seed_ids if any((s, e, target) not in done for e in range(1, config.epochs + 1))
    ]


def run_logs(log_dir: Path, run_id: str) -> list[str]:
    """The eval log files of a run (a log cut off mid-write is left out)."""
    from inspect_ai.log import list_eval_logs, read_eval_log

    from .recording import is_audit

    found: list[str] = []
    if not log_dir.is_dir():
        return found
    for info in list_eval_logs(str(log_dir), descending=False):
        try:
            header = read_eval_log(info.name, header_only=True)
        except Exception:
            continue
        if is_audit(header.eval) and header.eval.task_args.get("run_id") == run_id:
            found.append(info.name.removeprefix("file://"))
    return found
