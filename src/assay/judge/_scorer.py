"""The judge panel as an Inspect scorer; it also records each audit in the store."""

from __future__ import annotations

from statistics import median

from inspect_ai.model import get_model
from inspect_ai.scorer import Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState

from ..auditor import load_outcome
from ..models import total_cost
from ..schema import AuditRecord, JudgeVerdict, Usage
from ..store import record_audit
from ._judge import judge_transcript
from ._rubric import load_rubric


def judge_roles(count: int) -> list[str]:
    """Inspect model roles of a panel of `count` judges: judge, judge2, judge3, ..."""
    return ["judge"] + [f"judge{i}" for i in range(2, count + 1)]


def panel_medians(verdicts: list[JudgeVerdict]) -> dict[str, float]:
    """Median score per dimension over the judges whose verdict is usable."""
    usable = [v for v in verdicts if v.status == "ok"]
    names = usable[0].scores.keys() if usable else []
    return {n: float(median(v.scores[n].score for v in usable)) for n in names}


@scorer(metrics=[])
def audit_scorer(
    rubric: str | None = None,
    judges: int = 1,
    judge_retries: int = 2,
    run_id: str | None = None,
) -> Scorer:
    """Judge each audit with the panel and, when a store is given, record it.

    Audits that did not run cleanly (`error`, `auditor_failure`) are recorded
    without being judged: there is nothing trustworthy to score.

    Args:
        rubric: Rubric file; None for the default rubric.
        judges: Panel size (model roles judge, judge2, ...).
        judge_retries: Extra attempts per judge on unusable output.
        run_id: The run these audits belong to; when the run is recording to a
            store (see `assay.store.start_recording`), each audit is written there.
    """
    loaded = load_rubric(rubric)

    async def score(state: TaskState, target: Target) -> Score:
        outcome = load_outcome(state)
        if outcome is None:
            raise RuntimeError("the auditor stored no outcome for this sample")
        verdicts: list[JudgeVerdict] = []
        usage = dict(outcome.usage)
        cost_parts = [(outcome.models[role], u) for role, u in usage.items()]
        if outcome.status == "ok":
            for role in judge_roles(judges):
                judge = get_model(role=role)
                judge_usage = Usage()
                verdicts.append(
                    await judge_transcript(
                        judge, outcome.transcript, loaded, retries=judge_retries, usage=judge_usage
                    )
                )
                usage[role] = judge_usage
                cost_parts.append((str(judge), judge_usage))
        record = AuditRecord(
            run_id=run_id or "",
            seed_id=str(state.sample_id),
            epoch=state.epoch,
            target=outcome.target,
            auditor=outcome.auditor,
            status=outcome.status,
            turns=outcome.transcript.target_turns,
            usage=usage,
            cost=total_cost(cost_parts),
            error=outcome.error,
            details=outcome.details,
            transcript=outcome.transcript,
            verdicts=verdicts,
        )
        record_audit(record)
        return Score(
            value=panel_medians(verdicts),
            answer=outcome.status,
            explanation=outcome.error,
            metadata={
                "status": outcome.status,
                "judge_errors": [v.error for v in verdicts if v.status == "error"],
            },
        )

    return score
