"""Bootstrap confidence intervals (scipy)."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class Estimate:
    """A mean with its sample size and 95% interval (None when n < 2)."""

    mean: float | None
    n: int
    low: float | None = None
    high: float | None = None

    def __str__(self) -> str:
        if self.mean is None:
            return "-"
        if self.low is None or self.high is None:
            return f"{self.mean:.2f} (n={self.n})"
        return f"{self.mean:.2f} [{self.low:.2f}, {self.high:.2f}] (n={self.n})"


def bootstrap_ci(
    values: Sequence[float], confidence: float = 0.95, resamples: int = 2000, seed: int = 0
) -> Estimate:
    """Mean of `values` with a percentile bootstrap interval.

    Args:
        values: One value per unit (e.g. per audit).
        confidence: Interval coverage.
        resamples: Bootstrap resamples.
        seed: Seed of the resampling, so reports are reproducible.
    """
    data = np.asarray(values, dtype=float)
    n = int(data.size)
    if n == 0:
        return Estimate(mean=None, n=0)
    mean = float(data.mean())
    if n < 2 or np.all(data == data[0]):
        return Estimate(mean=mean, n=n, low=mean if n >= 2 else None, high=mean if n >= 2 else None)
    result = stats.bootstrap(
        (data,),
        np.mean,
        confidence_level=confidence,
        n_resamples=resamples,
        method="percentile",
        random_state=np.random.default_rng(seed),
    )
    interval = result.confidence_interval
    return Estimate(mean=mean, n=n, low=float(interval.low), high=float(interval.high))
