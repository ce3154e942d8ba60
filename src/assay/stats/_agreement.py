"""Agreement between judges on a panel."""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence

import krippendorff
import numpy as np

DISAGREEMENT_POINTS = 3
"""Judges differing by this many points or more on an audit count as disagreeing."""


ScoreMatrix = np.ndarray
"""Judges x audits, float, NaN where a judge has no usable score (`score_matrix`)."""


def score_matrix(per_audit: Sequence[Mapping[str, float]], judges: Sequence[str]) -> ScoreMatrix:
    """The judges x audits matrix of `per_audit` (each audit's usable score by judge)."""
    matrix = np.full((len(judges), len(per_audit)), np.nan)
    row = {judge: number for number, judge in enumerate(judges)}
    for column, scores in enumerate(per_audit):
        for judge, value in scores.items():
            matrix[row[judge], column] = value
    return matrix


def _paired(matrix: ScoreMatrix) -> ScoreMatrix:
    """The columns (audits) at least two judges scored."""
    columns: ScoreMatrix = matrix[:, np.sum(~np.isnan(matrix), axis=0) >= 2]
    return columns


def paired_audits(matrix: ScoreMatrix) -> int:
    """How many audits (columns) of a `score_matrix` at least two judges scored: those
    the agreement statistics are computed over."""
    return int(_paired(matrix).shape[1])


def krippendorff_alpha(scores: Sequence[Sequence[float | None]] | ScoreMatrix) -> float | None:
    """Krippendorff's alpha (interval) for a judges x audits matrix.

    Args:
        scores: One row per judge, one column per audit; None (or NaN) where a judge
            has no usable score.

    Returns:
        Alpha, or None when it is undefined (fewer than two judges or two audits
        with paired scores, or no variation at all).
    """
    if isinstance(scores, np.ndarray):
        matrix = scores.astype(float)
    else:
        matrix = np.array(
            [[math.nan if v is None else float(v) for v in row] for row in scores], dtype=float
        )
    if matrix.ndim != 2 or matrix.shape[0] < 2:
        return None
    values = _paired(matrix)
    if values.shape[1] < 2:
        return None
    if np.nanmax(values) == np.nanmin(values):
        return None
    alpha = krippendorff.alpha(reliability_data=values, level_of_measurement="interval")
    return None if math.isnan(alpha) else float(alpha)


def disagreement_share(per_audit: Sequence[Sequence[float]] | ScoreMatrix) -> float | None:
    """Share of audits where the panel's max and min score differ by 3 points or more.

    Args:
        per_audit: For each audit, the usable scores of its judges (audits with
            fewer than two scores are left out); or a judges x audits `score_matrix`.
    """
    if isinstance(per_audit, np.ndarray):
        matrix = per_audit
    else:
        matrix = np.full((max((len(s) for s in per_audit), default=0), len(per_audit)), np.nan)
        for column, scores in enumerate(per_audit):
            matrix[: len(scores), column] = scores
    values = _paired(matrix)
    if values.shape[1] == 0:
        return None
    spreads = np.nanmax(values, axis=0) - np.nanmin(values, axis=0)
    return float(np.mean(spreads >= DISAGREEMENT_POINTS))


def judge_offsets(
    per_audit: Sequence[Mapping[str, float]] | ScoreMatrix, judges: Sequence[str] = ()
) -> dict[str, float]:
    """Each judge's mean offset from the panel median over the audits it scored.

    Positive means the judge scores higher (harsher on `worse` dimensions) than
    the panel. Audits with a single judge are left out.

    Args:
        per_audit: For each audit, the usable scores by judge; or a judges x audits
            `score_matrix` whose rows are `judges`.
        judges: The matrix's rows (only with a matrix).
    """
    if isinstance(per_audit, np.ndarray):
        matrix = per_audit
    else:
        judges = sorted({judge for scores in per_audit for judge in scores})
        matrix = score_matrix(per_audit, judges)
    values = _paired(matrix)
    if values.shape[1] == 0:
        return {}
    deviations = values - np.nanmedian(values, axis=0)
    offsets = {}
    for judge, row in zip(judges, deviations, strict=True):
        scored = row[~np.isnan(row)]
        if scored.size:
            offsets[judge] = float(scored.mean())
    return offsets
