"""How Inspect summarises assay's scores: per-dimension means that tolerate gaps.

An audit that was not judged (`error`, `auditor_failure`) or whose whole panel
failed has no scores. Inspect's built-in reducers and metrics expect every sample
to carry the same keys, so one such epoch would fail the whole run; these skip
the gaps instead. assay's own reports read the store, not these numbers.
"""

from __future__ import annotations

from statistics import mean

from inspect_ai.scorer import (
    Metric,
    SampleScore,
    Score,
    ScoreReducer,
    Value,
    metric,
    score_reducer,
)


def _dimension_means(values: list[Value]) -> dict[str, float]:
    collected: dict[str, list[float]] = {}
    for value in values:
        if isinstance(value, dict):
            for name, score in value.items():
                if isinstance(score, int | float) and not isinstance(score, bool):
                    collected.setdefault(name, []).append(float(score))
    return {name: mean(scores) for name, scores in collected.items()}


@score_reducer(name="assay_epoch_mean")
def epoch_mean() -> ScoreReducer:
    """Average each dimension over the epochs of a seed that were judged."""

    def reduce(scores: list[Score]) -> Score:
        judged = sum(1 for s in scores if s.value)
        return Score(
            value=_dimension_means([s.value for s in scores]),
            answer=f"{judged}/{len(scores)} epochs judged",
        )

    return reduce


@metric(name="dimension_means")
def dimension_means() -> Metric:
    """Mean panel score per dimension over the judged audits."""

    def compute(scores: list[SampleScore]) -> Value:
        return dict(_dimension_means([s.score.value for s in scores]))

    return compute


@metric(name="judged")
def judged_count() -> Metric:
    """How many audits have panel scores (the rest errored or were not judged)."""

    def compute(scores: list[SampleScore]) -> Value:
        return sum(1 for s in scores if s.score.value)

    return compute
