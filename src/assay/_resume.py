"""Finishing an interrupted or crashed run without repeating finished audits."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from ._run import Display, Executor, RunProgress, RunResult, evaluate, plan_run
from .errors import InputError, Problem
from .schema import RunConfig
from .store import Store

if TYPE_CHECKING:
    from inspect_ai.log import EvalLog


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

    Each target's eval log is retried with Inspect's `eval_retry` (which recovers a
    crashed log and reuses its finished samples); a target that never started is
    evaluated afresh. Audits already stored are kept; none is duplicated. On Ray,
    the seeds of each target that lack a stored audit are run again as new shards.

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
        from ._ray_executor import check_ray, evaluate_on_ray

        check_ray(store, ray_address)
        if progress is not None:
            progress.start(plan.total(config), plan.skipped, done=len(store.audit_keys(run_id)))
        store.reopen_run(run_id)
        return evaluate_on_ray(store, run_id, config, plan, progress, ray_address)
    logs = _run_logs(Path(config.log_dir), run_id)
    retry = [logs[t] for t in config.targets if t in logs and logs[t].status != "success"]
    fresh = [t for t in config.targets if t not in logs]
    if progress is not None:
        progress.start(plan.total(config), skipped=plan.skipped, done=len(store.audit_keys(run_id)))
    store.reopen_run(run_id)
    finished = [logs[t] for t in config.targets if t in logs and logs[t].status == "success"]
    return evaluate(
        store,
        run_id,
        config,
        fresh=fresh,
        retry=retry,
        display=display,
        progress=progress,
        finished=finished,
    )


def _run_logs(log_dir: Path, run_id: str) -> dict[str, EvalLog]:
    """The latest eval log header of each target of a run."""
    from inspect_ai.log import list_eval_logs, read_eval_log

    from .recording import audit_context, is_audit

    latest: dict[str, EvalLog] = {}
    if not log_dir.is_dir():
        return latest
    for info in list_eval_logs(str(log_dir), descending=False):
        try:
            header = read_eval_log(info.name, header_only=True)
        except Exception:  # a log cut off mid-write: eval_retry cannot use it either
            continue
        if not is_audit(header.eval) or header.eval.task_args.get("run_id") != run_id:
            continue
        latest[audit_context(header.eval).target] = header
    return latest
