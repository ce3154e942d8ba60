"""The auditor as an Inspect solver: one sample = one seed audited once."""

from __future__ import annotations

from typing import Any

from inspect_ai.model import GenerateConfig, get_model
from inspect_ai.solver import Generate, Solver, TaskState, solver

from ..schema import SCRIPTED_AUDITOR, AuditStatus, Seed
from ._llm import run_llm_auditor
from ._outcome import AuditOutcome, store_outcome
from ._scripted import ACTIONS_DETAIL, run_script
from ._session import TargetSession

TARGET_MAX_TOKENS = 400


def classify(
    session: TargetSession, auditor_error: str | None = None
) -> tuple[AuditStatus, str | None]:
    """Decide an audit's status from what happened to the target.

    A target or auditor call that failed makes the audit an error (its transcript is
    incomplete); an audit where the target never replied is an `auditor_failure`.
    """
    if session.errors:
        return "error", f"target call failed: {session.errors[0]}"
    if auditor_error:
        return "error", auditor_error
    if session.transcript.target_turns == 0:
        return "auditor_failure", "the target never produced a reply"
    return "ok", None


@solver
def auditor_solver(
    max_turns: int = 30,
    seed: int = 0,
    llm_auditor: bool = False,
    realism: bool = False,
    target_max_tokens: int = TARGET_MAX_TOKENS,
) -> Solver:
    """Run the seed in the sample's metadata against the `target` model role.

    Args:
        max_turns: Cap on target replies (a seed's own `max_turns` may lower it).
        seed: Sampling seed for target calls.
        llm_auditor: Drive the audit with the `auditor` model role instead of the
            seed's script.
        realism: Have the `realism` model role vet each auditor action (LLM auditor).
        target_max_tokens: Cap on the length of each target reply.
    """

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        audit_seed = Seed.model_validate(state.metadata["seed"])
        target = get_model(role="target")
        session = TargetSession(
            target,
            max_turns=min(max_turns, audit_seed.max_turns or max_turns),
            config=GenerateConfig(seed=seed, max_tokens=target_max_tokens),
        )
        usage = {"target": session.usage}
        models = {"target": str(target)}
        details: dict[str, Any] = {}
        auditor_error = None
        if llm_auditor:
            auditor = get_model(role="auditor", required=True)
            checker = get_model(role="realism", required=True) if realism else None
            run = await run_llm_auditor(
                audit_seed, session, auditor, checker, GenerateConfig(seed=seed)
            )
            auditor_error = run.error
            usage["auditor"] = run.usage
            models["auditor"] = str(auditor)
            details = {
                "auditor_tool_calls": run.tool_calls,
                "malformed_auditor_calls": run.malformed_calls,
                "auditor_nudges": run.nudges,
            }
            if checker is not None:
                usage["realism"] = run.realism_usage
                models["realism"] = str(checker)
                details["realism_checked"] = run.realism_checked
                details["realism_interventions"] = run.realism_interventions
                details["realism_errors"] = run.realism_errors
                details["realism_log"] = run.realism_log
        else:
            details = {ACTIONS_DETAIL: await run_script(audit_seed, session)}
        status, error = classify(session, auditor_error)
        store_outcome(
            state,
            AuditOutcome(
                target=str(target),
                auditor=models.get("auditor", SCRIPTED_AUDITOR),
                status=status,
                error=error,
                transcript=session.transcript,
                usage=usage,
                models=models,
                details=details,
            ),
        )
        return state

    return solve
