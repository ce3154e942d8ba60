"""Running audits: validate everything, record the run, evaluate, store every audit.

All targets of a run are evaluated at once, as one Inspect task each in a single
evaluation. Audits reach the store through `assay.recording` (the store hook as
they finish, then a reconciliation from the eval logs), so a crashed run keeps every
finished audit, and `resume_audit` completes it (see `_resume.py`).
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal, Protocol

from ._gc import gc_relaxed
from ._redact import redact
from ._versions import versions
from .errors import InputError, Problem, RunFailed, RunInterrupted
from .judge import behaviour_names, judge_roles, load_rubric
from .scenarios import select_seeds
from .schema import SCRIPTED_AUDITOR, AuditRecord, RunConfig
from .store import Store, new_run_id

if TYPE_CHECKING:
    from inspect_ai import Task
    from inspect_ai.dataset import Sample
    from inspect_ai.log import EvalLog

Display = Literal["rich", "plain", "none"]
Executor = Literal["local", "ray"]

OFFLINE_PROVIDERS = ("local", "sim")
"""Providers allowed when `ASSAY_OFFLINE=1` (tests set it: no real API call can slip through)."""

LOG_BUFFER = 1
"""Samples Inspect buffers before writing its log: 1, so a crash loses no finished audit."""

LOG_REALTIME = False
"""Inspect's realtime event buffer (a SQLite database of every event as it happens, for
watching unfinished samples in `inspect view`) is off: it costs a fifth of the run's CPU
(docs/benchmarks.md), and finished audits do not need it, since each is in the eval log
(LOG_BUFFER) and in the store as soon as it ends. `inspect view` shows each audit once
it has finished."""


class RunProgress(Protocol):
    """Receives progress of a run (the CLI shows it as a progress bar)."""

    def start(self, total: int, skipped: int, done: int = 0) -> None:
        """The run has `total` audits, `done` of them already stored; `skipped` seeds
        had no script."""

    def audit_done(self, record: AuditRecord) -> None:
        """One audit finished and was stored."""


@dataclass(frozen=True)
class RunResult:
    """What a finished run produced."""

    run_id: str
    audits: list[AuditRecord]


def check_model_names(named: list[tuple[str, str]]) -> None:
    """Fail early, before anything is stored, on a model name Inspect cannot resolve.

    Args:
        named: (command-line flag, model name) pairs, e.g. ("--judge", "openai/gpt-4.1").

    Raises:
        InputError: Naming each bad model and its flag.
    """
    from inspect_ai.model import get_model

    problems = []
    offline = os.environ.get("ASSAY_OFFLINE") == "1"
    for flag, name in named:
        provider, _, model = name.partition("/")
        if not provider or not model.strip("/"):
            problems.append(
                Problem(
                    name, "model names look like provider/model, e.g. openai/gpt-4.1", field=flag
                )
            )
            continue
        if offline and name.split("/")[0] not in OFFLINE_PROVIDERS:
            problems.append(
                Problem(
                    name,
                    "real model calls are disabled (ASSAY_OFFLINE=1); use local/ or sim/ models",
                    field=flag,
                )
            )
            continue
        try:
            get_model(name, memoize=False)
        except InputError as exc:
            problems += exc.problems
        except Exception as exc:  # provider missing, key missing, unknown provider
            from ._install_hint import provider_error

            problems.append(Problem(name, redact(provider_error(str(exc))), field=flag))
    if problems:
        raise InputError("model", problems)


@dataclass(frozen=True)
class Plan:
    rubric_key: str
    seed_ids: list[str]
    skipped: int

    def total(self, config: RunConfig) -> int:
        return len(self.seed_ids) * config.epochs * len(config.targets)


def plan_run(config: RunConfig) -> Plan:
    """Validate seeds, rubric and model names; nothing is stored before this passes."""
    from .task import scripted_seeds

    rubric = load_rubric(config.rubric)
    llm = config.auditor != SCRIPTED_AUDITOR
    selected = select_seeds(config.seeds, behaviour_names(rubric))
    seeds = selected if llm else scripted_seeds(selected)
    if not seeds:
        raise InputError("seeds", [Problem(", ".join(config.seeds), "no seeds selected")])
    named = [("--target", m) for m in config.targets] + [("--judge", m) for m in config.judges]
    if llm:
        named.append(("--auditor", config.auditor))
    if config.realism is not None:
        if not llm:
            raise InputError(
                "--realism",
                [Problem(config.realism, "the realism check needs an LLM auditor (--auditor M)")],
            )
        named.append(("--realism", config.realism))
    check_model_names(named)
    return Plan(rubric.key, [s.id for s in seeds], len(selected) - len(seeds))


def audit_tasks(
    config: RunConfig,
    run_id: str,
    targets: list[str],
    only: dict[str, list[str]] | None = None,
) -> list[Task]:
    """One `assay/audit` task per target, with the run's model roles.

    Args:
        config: The run's settings.
        run_id: The run.
        targets: The targets to audit.
        only: Per target, the seed ids to run (a resumed run); default every seed.
    """
    from inspect_ai import task_with

    from .task import audit

    llm = config.auditor != SCRIPTED_AUDITOR
    tasks = []
    for target in targets:
        roles = {"target": target} | dict(
            zip(judge_roles(len(config.judges)), config.judges, strict=True)
        )
        if llm:
            roles["auditor"] = config.auditor
        if config.realism is not None:
            roles["realism"] = config.realism
        task = audit(
            seeds=list(config.seeds) or None,
            rubric=config.rubric,
            judges=len(config.judges),
            judge_retries=config.judge_retries,
            max_turns=config.max_turns,
            seed=config.seed,
            run_id=run_id,
            auditor="model" if llm else SCRIPTED_AUDITOR,
            realism=config.realism is not None,
            target_max_tokens=config.target_max_tokens,
        )
        if only is not None and target in only:
            task = task_with(task, dataset=task.dataset.filter(_in(only[target])))
        tasks.append(task_with(task, model_roles=roles))
    return tasks


def _in(seed_ids: list[str]) -> Callable[[Sample], bool]:
    keep = set(seed_ids)
    return lambda sample: str(sample.id) in keep


def run_audit(
    config: RunConfig,
    store: Store,
    log_dir: str | Path = "logs",
    display: Display = "none",
    progress: RunProgress | None = None,
    executor: Executor = "local",
    ray_address: str | None = None,
) -> RunResult:
    """Audit every target on the selected seeds and record everything in `store`.

    Seeds, rubric and model names are all validated before the run is created, so
    bad input leaves the store untouched.

    Args:
        config: What to run.
        store: Where the run and every audit are recorded.
        log_dir: Where Inspect writes its eval logs (`resume_audit` reads them).
        display: Inspect's own progress display (`none` when `progress` is given).
        progress: Told the number of audits, then each finished audit.
        executor: `local` (one evaluation in this process) or `ray` (shards of the
            work run as evaluations on a Ray cluster, all writing to `store`).
        ray_address: The Ray cluster to use (default: start a local one).

    Raises:
        InputError: Bad seeds, rubric or model names (nothing stored).
        RunInterrupted: Ctrl-C; finished audits stay in the store.
        RunFailed: The evaluation failed, or every audit of a target errored;
            finished audits stay in the store.
    """
    plan = plan_run(config)
    config = config.model_copy(update={"log_dir": str(Path(log_dir).resolve())})
    if executor == "ray":
        from ._ray_executor import check_ray

        check_ray(store, ray_address)
    run_id = store.create_run(config, plan.rubric_key, versions(), run_id=new_run_id())
    if progress is not None:
        progress.start(plan.total(config), skipped=plan.skipped)
    if executor == "ray":
        from ._ray_executor import evaluate_on_ray

        return evaluate_on_ray(store, run_id, config, plan, progress, ray_address)
    return evaluate(store, run_id, config, config.targets, display=display, progress=progress)


def eval_options(config: RunConfig, display: Display = "none") -> dict[str, Any]:
    """Inspect `eval()` options shared by every way assay runs an audit evaluation."""
    return {
        "log_dir": config.log_dir,
        "display": display,
        "fail_on_error": False,
        "score_display": False,
        "log_buffer": LOG_BUFFER,
        "log_realtime": LOG_REALTIME,
        "max_connections": config.max_connections,
        "max_samples": config.max_samples,
    }


def evaluate(
    store: Store,
    run_id: str,
    config: RunConfig,
    targets: list[str],
    display: Display,
    progress: RunProgress | None,
    only: dict[str, list[str]] | None = None,
) -> RunResult:
    """Evaluate the targets in this process, all at once; close the run.

    Args:
        store: Where audits go.
        run_id: The run.
        config: Its settings.
        targets: The targets to evaluate.
        display: Inspect's progress display.
        progress: Told of each finished audit.
        only: Per target, the seed ids to run (a resumed run).
    """
    from inspect_ai import eval as inspect_eval

    from .recording import import_logs, listening, recording_to

    options = eval_options(config, display)
    logs: list[EvalLog] = []
    try:
        with (
            recording_to(store),
            listening(progress.audit_done if progress else None),
            gc_relaxed(),
        ):
            if targets:
                logs += inspect_eval(
                    audit_tasks(config, run_id, targets, only),
                    epochs=config.epochs,
                    max_tasks=len(targets),
                    **options,
                )
    except KeyboardInterrupt:
        store.finish_run(run_id, "interrupted", "interrupted by the user")
        raise RunInterrupted(run_id) from None
    except BaseException as exc:
        store.finish_run(run_id, "error", f"{type(exc).__name__}: {exc}")
        raise
    # The hook stored audits as they finished; the logs catch any it missed.
    import_logs(store, [log.location for log in logs if log.location], only_missing=True)
    if len(logs) < len(targets):
        # Inspect returns no logs when Ctrl-C cancels an evaluation.
        store.finish_run(run_id, "interrupted", "interrupted by the user")
        raise RunInterrupted(run_id)
    return _close(store, run_id, config, logs)


def _close(store: Store, run_id: str, config: RunConfig, logs: list[EvalLog]) -> RunResult:
    from .recording import audit_context

    return close_run(
        store,
        run_id,
        config,
        [
            (audit_context(log.eval).target, log.status, log.error.message if log.error else None)
            for log in logs
        ],
    )


def close_run(
    store: Store, run_id: str, config: RunConfig, outcomes: list[tuple[str, str, str | None]]
) -> RunResult:
    """Give a run its final status from its evaluations' outcomes.

    Args:
        store: The store holding the run.
        run_id: The run.
        config: Its settings.
        outcomes: (target, Inspect log status, error) of each evaluation.

    Raises:
        RunInterrupted: An evaluation was cancelled.
        RunFailed: An evaluation failed, or every audit of a target errored.
    """
    from .recording import run_status

    status, error = run_status([s for _, s, _ in outcomes])
    if status == "interrupted":
        store.finish_run(run_id, status, error)
        raise RunInterrupted(run_id)
    failures = [f"{target}: {err or s}" for target, s, err in outcomes if s != "success"]
    audits = store.audits([run_id])
    for target in config.targets:
        mine = [a for a in audits if a.target == target]
        if mine and all(a.status == "error" for a in mine):
            failures.append(f"{target}: every audit failed, e.g. {mine[0].error}")
    if failures:
        reason = redact("; ".join(failures))
        store.finish_run(run_id, "error", reason)
        raise RunFailed(f"run {run_id} failed: {reason}")
    store.finish_run(run_id, "ok")
    return RunResult(run_id=run_id, audits=audits)
