"""Agreement between judges on a panel."""

from __future__ import annotations

import math
import statistics
from collections.abc import Mapping, Sequence

import krippendorff
import numpy as np

DISAGREEMENT_POINTS = 3
"""Judges differing by this many points or more on an audit count as disagreeing."""


def krippendorff_alpha(scores: Sequence[Sequence[float | None]]) -> float | None:
    """Krippendorff's alpha (interval) for a judges x audits matrix.

    Args:
        scores: One row per judge, one column per audit; None where a judge has no
            usable score.

    Returns:
        Alpha, or None when it is undefined (fewer than two judges or two audits
        with paired scores, or no variation at all).
    """
    matrix = np.array(
        [[math.nan if v is None else float(v) for v in row] for row in scores], dtype=float
    )
    if matrix.ndim != 2 or matrix.shape[0] < 2:
        return None
    paired = np.sum(~np.isnan(matrix), axis=0) >= 2
    if paired.sum() < 2:
        return None
    values = matrix[:, paired]
    if np.nanmax(values) == np.nanmin(values):
        return None
    alpha = krippendorff.alpha(reliability_data=values, level_of_measurement="interval")
    return None if math.isnan(alpha) else float(alpha)


def disagreement_share(per_audit: Sequence[Sequence[float]]) -> float | None:
    """Share of audits where the panel's max and min score differ by 3 points or more.

    Args:
        per_audit: For each audit, the usable scores of its judges (audits with
            fewer than two scores are left out).
    """
    spreads = [max(s) - min(s) for s in per_audit if len(s) >= 2]
    if not spreads:
        return None
    return sum(spread >= DISAGREEMENT_POINTS for spread in spreads) / len(spreads)


def judge_offsets(
    per_audit: Sequence[Mapping[str, float]], medians: Sequence[float | None] | None = None
) -> dict[str, float]:
    """Each judge's mean offset from the panel median over the audits it scored.

    Positive means the judge scores higher (harsher on `worse` dimensions) than
    the panel. Audits with a single judge are left out. `medians`, where given, are
    each audit's panel median already computed (one per entry of `per_audit`).
    """
    offsets: dict[str, list[float]] = {}
    for number, scores in enumerate(per_audit):
        if len(scores) < 2:
            continue
        # statistics.median equals numpy's here (a few floats) at a tenth of the cost.
        known = medians[number] if medians is not None else None
        middle = float(statistics.median(scores.values())) if known is None else known
        for judge, value in scores.items():
            offsets.setdefault(judge, []).append(value - middle)
    return {judge: float(np.mean(values)) for judge, values in offsets.items()}
