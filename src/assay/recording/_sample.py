"""From Inspect's record of an audit (eval spec + sample) to assay's AuditRecord.

One function serves every way of running: the live store hook, `assay import-logs`
and the reconciliation after `assay audit` all convert samples here.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from inspect_ai.log import EvalSample, EvalSpec

from ..auditor import outcome_from_store
from ..judge import judge_roles, load_rubric
from ..schema import SCRIPTED_AUDITOR, AuditRecord, JudgeVerdict, RunConfig, Transcript, Usage

AUDIT_TASK = "assay-audit"
SCORER = "audit_scorer"


@dataclass(frozen=True)
class AuditContext:
    """What an eval's spec says about the audits in it."""

    run_id: str
    target: str
    auditor: str
    config: RunConfig
    rubric_key: str


def is_audit(spec: EvalSpec) -> bool:
    """Whether an eval is an assay audit (and not some other Inspect task)."""
    return spec.task == AUDIT_TASK


def _role(spec: EvalSpec, role: str) -> str | None:
    config = (spec.model_roles or {}).get(role)
    if isinstance(config, list):  # a role may name several models; assay uses one
        config = config[0] if config else None
    return config.model if config is not None else None


def audit_context(spec: EvalSpec) -> AuditContext:
    """The run, target and settings of the audits in one eval."""
    args = spec.task_args
    judges = int(args.get("judges") or 1)
    llm = args.get("auditor") == "model"
    target = _role(spec, "target") or spec.model
    seeds = args.get("seeds")
    config = RunConfig(
        targets=[target],
        auditor=(_role(spec, "auditor") or "model") if llm else SCRIPTED_AUDITOR,
        realism=_role(spec, "realism") if args.get("realism") else None,
        judges=[_role(spec, r) or "(missing)" for r in judge_roles(judges)],
        seeds=[seeds] if isinstance(seeds, str) else list(seeds or []),
        rubric=args.get("rubric"),
        epochs=spec.config.epochs or 1,
        max_turns=int(args.get("max_turns") or 30),
        judge_retries=int(args.get("judge_retries") or 0),
        seed=int(args.get("seed") or 0),
        target_max_tokens=int(args.get("target_max_tokens") or 400),
    )
    return AuditContext(
        run_id=str(args.get("run_id") or spec.run_id),
        target=target,
        auditor=config.auditor,
        config=config,
        rubric_key=load_rubric(config.rubric).key,
    )


def was_cancelled(sample: EvalSample) -> bool:
    """Whether Inspect stopped the sample midway (Ctrl-C): it did not finish or fail."""
    return sample.error is not None and sample.error.message.startswith("CancelledError")


def audit_from_sample(sample: EvalSample, context: AuditContext) -> AuditRecord | None:
    """The audit one finished sample records, or None if it was cancelled midway.

    A sample that errored inside Inspect (its auditor never stored an outcome, or
    the scorer failed) becomes an `error` audit with Inspect's reason. A cancelled
    sample is left out: it is unfinished work, and a resumed run redoes it.
    """
    if was_cancelled(sample):
        return None
    outcome = outcome_from_store(sample.store)
    score = (sample.scores or {}).get(SCORER)
    meta: dict[str, Any] = dict(score.metadata or {}) if score is not None else {}
    if sample.error is not None or outcome is None or score is None:
        reason = sample.error.message if sample.error is not None else "the audit did not finish"
        return AuditRecord(
            run_id=context.run_id,
            seed_id=str(sample.id),
            epoch=sample.epoch,
            target=context.target,
            auditor=outcome.auditor if outcome else context.auditor,
            status="error",
            error=reason,
            turns=outcome.transcript.target_turns if outcome else 0,
            usage=outcome.usage if outcome else {},
            transcript=outcome.transcript if outcome else Transcript(),
            details=outcome.details if outcome else {},
        )
    usage = {role: Usage.model_validate(u) for role, u in (meta.get("usage") or {}).items()}
    return AuditRecord(
        run_id=context.run_id,
        seed_id=str(sample.id),
        epoch=sample.epoch,
        target=context.target,
        auditor=outcome.auditor,
        status=outcome.status,
        error=outcome.error,
        turns=outcome.transcript.target_turns,
        usage=usage or outcome.usage,
        cost=meta.get("cost"),
        details=outcome.details,
        transcript=outcome.transcript,
        verdicts=[JudgeVerdict.model_validate(v) for v in meta.get("verdicts") or []],
    )
