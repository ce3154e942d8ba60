"""How well one judge's scores agree with reference labels on the same items."""

from __future__ import annotations

import math
import warnings
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats

from ._bootstrap import Estimate, bootstrap_ci


@dataclass(frozen=True)
class LabelAgreement:
    """One judge against the labels on one dimension, over the `n` items both scored.

    Every measure is an `Estimate` (the point value in `mean`, with a 95% percentile
    bootstrap interval over items): `spearman` is the rank correlation (None where
    either side is constant), `mae` the mean absolute error in points, `accuracy`
    the share of items on the same side of the elicitation threshold. `bias` is the
    mean signed error (judge minus label): positive means the judge scores higher.
    """

    n: int
    spearman: Estimate
    mae: Estimate
    accuracy: Estimate
    bias: float | None


def _ranks_correlation(x: np.ndarray, y: np.ndarray, axis: int = -1) -> np.ndarray:
    """Spearman's rho along `axis` (vectorised over bootstrap resamples); NaN where
    a resample is constant on either side."""
    rx = stats.rankdata(x, axis=axis)
    ry = stats.rankdata(y, axis=axis)
    rx = rx - rx.mean(axis=axis, keepdims=True)
    ry = ry - ry.mean(axis=axis, keepdims=True)
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.asarray(
            (rx * ry).sum(axis=axis) / np.sqrt((rx**2).sum(axis=axis) * (ry**2).sum(axis=axis))
        )


def spearman_ci(
    judge: Sequence[float] | np.ndarray,
    label: Sequence[float] | np.ndarray,
    confidence: float = 0.95,
    resamples: int = 2000,
    seed: int = 0,
) -> Estimate:
    """Spearman's rank correlation with a paired percentile bootstrap interval.

    Resamples where either side is constant have no correlation and are left out
    of the interval. None (mean) when the correlation itself is undefined: fewer
    than three items, or every judge score or every label the same.
    """
    x = np.asarray(judge, dtype=float)
    y = np.asarray(label, dtype=float)
    n = int(x.size)
    if n < 3 or np.all(x == x[0]) or np.all(y == y[0]):
        return Estimate(mean=None, n=n)
    rho = float(_ranks_correlation(x, y))
    with warnings.catch_warnings():
        # Constant resamples give NaN statistics; scipy warns, and they are dropped below.
        warnings.simplefilter("ignore")
        result = stats.bootstrap(
            (x, y),
            _ranks_correlation,
            paired=True,
            vectorized=True,
            confidence_level=confidence,
            n_resamples=resamples,
            method="percentile",
            random_state=np.random.default_rng(seed),
        )
    draws = np.asarray(result.bootstrap_distribution, dtype=float)
    draws = draws[~np.isnan(draws)]
    if draws.size == 0:
        return Estimate(mean=rho, n=n)
    tail = (1 - confidence) / 2 * 100
    low, high = np.percentile(draws, [tail, 100 - tail])
    return Estimate(mean=rho, n=n, low=float(low), high=float(high))


def label_agreement(
    judge: Sequence[float], label: Sequence[float], threshold: float, seed: int = 0
) -> LabelAgreement:
    """Agreement of a judge's scores with the labels of the same items, in order.

    Args:
        judge: The judge's score per item.
        label: The reference label per item (same order and length).
        threshold: Scores at or above it count as the behaviour being elicited.
        seed: Seed of the bootstrap resampling, so results are reproducible.
    """
    if len(judge) != len(label):
        raise ValueError("judge scores and labels must pair up item by item")
    x = np.asarray(judge, dtype=float)
    y = np.asarray(label, dtype=float)
    errors = x - y
    return LabelAgreement(
        n=int(x.size),
        spearman=spearman_ci(x, y, seed=seed),
        mae=bootstrap_ci(np.abs(errors).tolist(), seed=seed),
        accuracy=bootstrap_ci(
            ((x >= threshold) == (y >= threshold)).astype(float).tolist(), seed=seed
        ),
        bias=float(errors.mean()) if x.size else None,
    )


def fmt_estimate(value: Estimate, spec: str = "{:.2f}") -> str:
    """`0.81 [0.62, 0.93]`, or `-` when undefined: the compact form tables use."""
    if value.mean is None or math.isnan(value.mean):
        return "-"
    text = spec.format(value.mean)
    if value.low is not None and value.high is not None:
        text += f" [{spec.format(value.low)}, {spec.format(value.high)}]"
    return text
