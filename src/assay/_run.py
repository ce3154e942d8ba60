"""Running audits: validate everything, record the run, evaluate, store every audit."""

from __future__ import annotations

import os
import platform
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Literal, Protocol

from ._redact import redact
from .errors import InputError, Problem, RunFailed
from .judge import behaviour_names, judge_roles, load_rubric
from .scenarios import select_seeds
from .schema import SCRIPTED_AUDITOR, AuditRecord, RunConfig, Transcript
from .store import Store, record_audit, start_recording, stop_recording

Display = Literal["rich", "plain", "none"]

OFFLINE_PROVIDERS = ("local", "sim")
"""Providers allowed when `ASSAY_OFFLINE=1` (tests set it: no real API call can slip through)."""


class RunProgress(Protocol):
    """Receives progress of a run (the CLI shows it as a progress bar)."""

    def start(self, total: int, skipped: int) -> None:
        """The run will perform `total` audits; `skipped` seeds had no script."""

    def audit_done(self, record: AuditRecord) -> None:
        """One audit finished and was stored."""


@dataclass(frozen=True)
class RunResult:
    """What a finished run produced."""

    run_id: str
    audits: list[AuditRecord]


def versions() -> dict[str, str]:
    """Versions recorded with every run, for reproducibility."""
    return {
        "assay": version("assay"),
        "inspect_ai": version("inspect_ai"),
        "python": platform.python_version(),
    }


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
        if "/" not in name:
            problems.append(Problem(name, "model names look like provider/model", field=flag))
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
            problems.append(Problem(name, redact(str(exc)), field=flag))
    if problems:
        raise InputError("model", problems)


def run_audit(
    config: RunConfig,
    store: Store,
    log_dir: str | Path = "logs",
    display: Display = "none",
    progress: RunProgress | None = None,
) -> RunResult:
    """Audit every target on the selected seeds and record everything in `store`.

    Seeds, rubric and model names are all validated before the run is created, so
    bad input leaves the store untouched.

    Args:
        config: What to run.
        store: Where the run and every audit are recorded.
        log_dir: Where Inspect writes its eval logs.
        display: Inspect's own progress display (`none` when `progress` is given).
        progress: Told the number of audits, then each finished audit.

    Raises:
        InputError: Bad seeds, rubric or model names (nothing stored).
        RunFailed: The evaluation failed, or every audit errored; finished audits
            stay in the store.
    """
    from inspect_ai import eval as inspect_eval

    from .task import audit, scripted_seeds

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
    run_id = store.create_run(config, rubric.key, versions())
    failures: list[str] = []
    if progress is not None:
        progress.start(
            len(seeds) * config.epochs * len(config.targets), skipped=len(selected) - len(seeds)
        )
    start_recording(run_id, store, progress.audit_done if progress else None)
    try:
        for target in config.targets:
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
            )
            roles = {"target": target} | dict(
                zip(judge_roles(len(config.judges)), config.judges, strict=True)
            )
            if llm:
                roles["auditor"] = config.auditor
            if config.realism is not None:
                roles["realism"] = config.realism
            logs = inspect_eval(
                task,
                model_roles=roles,
                epochs=config.epochs,
                max_connections=config.max_connections,
                max_samples=config.max_samples,
                log_dir=str(log_dir),
                display=display,
                fail_on_error=False,
                score_display=False,
            )
            for log in logs:
                for sample in log.samples or []:
                    if sample.error is not None:
                        record_audit(
                            AuditRecord(
                                run_id=run_id,
                                seed_id=str(sample.id),
                                epoch=sample.epoch,
                                target=target,
                                auditor=config.auditor,
                                status="error",
                                error=sample.error.message,
                                transcript=Transcript(),
                            )
                        )
                if log.status != "success":
                    reason = log.error.message if log.error else log.status
                    failures.append(f"{target}: {reason}")
    except BaseException as exc:
        store.finish_run(run_id, "error", f"{type(exc).__name__}: {exc}")
        raise
    finally:
        stop_recording(run_id)
    if failures:
        store.finish_run(run_id, "error", "; ".join(failures))
        raise RunFailed(f"run {run_id} failed: " + "; ".join(failures))
    audits = store.audits([run_id])
    if audits and all(a.status == "error" for a in audits):
        reason = f"every audit failed, e.g. {audits[0].error}"
        store.finish_run(run_id, "error", reason)
        raise RunFailed(f"run {run_id} failed: {redact(reason)}")
    store.finish_run(run_id, "ok")
    return RunResult(run_id=run_id, audits=audits)
