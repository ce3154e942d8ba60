"""Paired comparison of two models on the seeds both ran."""

from __future__ import annotations

from collections.abc import Mapping

from ._bootstrap import Estimate, bootstrap_ci


def paired_difference(
    baseline: Mapping[str, float], candidate: Mapping[str, float], seed: int = 0
) -> Estimate:
    """Mean of candidate minus baseline over shared seeds, with a paired bootstrap CI.

    Args:
        baseline: Score per seed id for the baseline model (epochs already averaged).
        candidate: Score per seed id for the candidate model.
        seed: Seed of the resampling.

    Returns:
        The mean difference, its 95% interval and n = number of shared seeds.
    """
    shared = sorted(set(baseline) & set(candidate))
    return bootstrap_ci([candidate[s] - baseline[s] for s in shared], seed=seed)
