"""The judge panel as an Inspect scorer.

The scorer does not write to the store: it leaves the verdicts in the sample's
score, and the sample (with the auditor's outcome in its store) is the record.
`assay.recording` turns finished samples into store rows, live or from eval logs.
"""

from __future__ import annotations

from statistics import median

from inspect_ai.model import get_model
from inspect_ai.scorer import Score, Scorer, Target, scorer
from inspect_ai.solver import TaskState
from inspect_ai.util import collect

from ..auditor import load_outcome
from ..models import total_cost
from ..schema import JudgeVerdict, Transcript, Usage
from ._judge import judge_transcript
from ._metrics import dimension_means, judged_count
from ._rubric import load_rubric


def judge_roles(count: int) -> list[str]:
    """Inspect model roles of a panel of `count` judges: judge, judge2, judge3, ..."""
    return ["judge"] + [f"judge{i}" for i in range(2, count + 1)]


def panel_medians(verdicts: list[JudgeVerdict]) -> dict[str, float]:
    """Median score per dimension over the judges whose verdict is usable."""
    usable = [v for v in verdicts if v.status == "ok"]
    names = usable[0].scores.keys() if usable else []
    return {n: float(median(v.scores[n].score for v in usable)) for n in names}


@scorer(metrics=[dimension_means(), judged_count()])
def audit_scorer(
    rubric: str | None = None,
    judges: int = 1,
    judge_retries: int = 2,
    seed: int = 0,
) -> Scorer:
    """Judge each audit with the panel; every seat is called at once.

    Audits that did not run cleanly (`error`, `auditor_failure`) are not judged:
    there is nothing trustworthy to score. The score's metadata carries each
    seat's verdict, the token usage of every role and the audit's cost.

    Args:
        rubric: Rubric file; None for the default rubric.
        judges: Panel size (model roles judge, judge2, ...).
        judge_retries: Extra attempts per judge on unusable output.
        seed: The run's sampling seed; judges derive theirs from it.
    """
    loaded = load_rubric(rubric)

    async def judge_seat(role: str, transcript: Transcript) -> tuple[JudgeVerdict, Usage]:
        judge = get_model(role=role)
        usage = Usage()
        verdict = await judge_transcript(
            judge,
            transcript,
            loaded,
            retries=judge_retries,
            usage=usage,
            seed=seed,
        )
        return verdict.model_copy(update={"seat": role}), usage

    async def score(state: TaskState, target: Target) -> Score:
        outcome = load_outcome(state)
        if outcome is None:
            raise RuntimeError("the auditor stored no outcome for this sample")
        usage = dict(outcome.usage)
        cost_parts = [(outcome.models[role], u) for role, u in usage.items()]
        verdicts: list[JudgeVerdict] = []
        if outcome.status == "ok":
            seats = judge_roles(judges)
            results = await collect(*(judge_seat(role, outcome.transcript) for role in seats))
            for role, (verdict, judge_usage) in zip(seats, results, strict=True):
                verdicts.append(verdict)
                usage[role] = judge_usage
                cost_parts.append((verdict.judge, judge_usage))
        return Score(
            value=panel_medians(verdicts),
            answer=outcome.status,
            explanation=outcome.error,
            metadata={
                "status": outcome.status,
                "verdicts": [v.model_dump(mode="json") for v in verdicts],
                "usage": {role: u.model_dump() for role, u in usage.items()},
                "cost": total_cost(cost_parts),
            },
        )

    return score
