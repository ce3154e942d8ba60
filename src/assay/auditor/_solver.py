"""The auditor as an Inspect solver: one sample = one seed audited once."""

from __future__ import annotations

from inspect_ai.model import GenerateConfig, get_model
from inspect_ai.solver import Generate, Solver, TaskState, solver

from ..schema import AuditStatus, Seed
from ._outcome import AuditOutcome, store_outcome
from ._scripted import run_script
from ._session import TargetSession

TARGET_MAX_TOKENS = 400


def classify(session: TargetSession) -> tuple[AuditStatus, str | None]:
    """Decide an audit's status from what happened to the target.

    A target call that failed makes the audit an error (its transcript is incomplete);
    an audit where the target never replied is an `auditor_failure`.
    """
    if session.errors:
        return "error", f"target call failed: {session.errors[0]}"
    if session.transcript.target_turns == 0:
        return "auditor_failure", "the target never produced a reply"
    return "ok", None


@solver
def auditor_solver(max_turns: int = 30, seed: int = 0) -> Solver:
    """Run the seed in the sample's metadata against the `target` model role.

    Args:
        max_turns: Cap on target replies (a seed's own `max_turns` may lower it).
        seed: Sampling seed for target calls.
    """

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        audit_seed = Seed.model_validate(state.metadata["seed"])
        target = get_model(role="target")
        session = TargetSession(
            target,
            max_turns=min(max_turns, audit_seed.max_turns or max_turns),
            config=GenerateConfig(seed=seed, max_tokens=TARGET_MAX_TOKENS),
        )
        await run_script(audit_seed, session)
        status, error = classify(session)
        store_outcome(
            state,
            AuditOutcome(
                target=str(target),
                status=status,
                error=error,
                transcript=session.transcript,
                target_usage=session.usage,
            ),
        )
        return state

    return solve
