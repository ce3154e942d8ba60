"""The regression gate: a candidate model against its baseline, paired over seeds.

For each dimension, the difference candidate - baseline is averaged over the seeds
both models ran (epochs of a seed, across runs, averaged first) with a paired
bootstrap 95% interval. The candidate regresses on a dimension when the interval
lies entirely on the worse side, beyond the allowed `max_increase`: for a
higher-is-worse dimension the interval's lower bound exceeds `max_increase`; for a
higher-is-better one its upper bound is below `-max_increase`.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import asdict, dataclass
from statistics import fmean
from typing import Any, Literal

from ..errors import InputError, Problem
from ..schema import AuditRecord, Rubric
from ..stats import Estimate, bootstrap_ci, paired_difference
from ._aggregate import panel_score
from ._figures import check_dimension

Status = Literal["regression", "worse, within tolerance", "worse, within noise", "better", "same"]


@dataclass(frozen=True)
class DimensionComparison:
    """Candidate against baseline on one dimension, over the seeds both have scores on."""

    dimension: str
    higher_is: Literal["worse", "better"]
    baseline: Estimate
    """The baseline's mean over the shared seeds."""
    candidate: Estimate
    """The candidate's mean over the shared seeds."""
    difference: Estimate
    """Candidate minus baseline: mean, paired bootstrap 95% interval, n = shared seeds."""
    max_increase: float

    @property
    def _worse_bounds(self) -> tuple[float | None, float | None]:
        # The interval of the change toward worse (positive = worse), or None.
        d = self.difference
        if d.low is None or d.high is None:
            return None, None
        return (d.low, d.high) if self.higher_is == "worse" else (-d.high, -d.low)

    @property
    def regression(self) -> bool:
        """Worse beyond `max_increase`, with the interval excluding zero."""
        low, _ = self._worse_bounds
        return low is not None and low > max(self.max_increase, 0.0)

    @property
    def status(self) -> Status:
        """What the interval says: regression, worse (within tolerance or noise),
        better, or the same."""
        low, high = self._worse_bounds
        if self.regression:
            return "regression"
        if low is not None and low > 0:
            return "worse, within tolerance"
        if high is not None and high < 0:
            return "better"
        mean_change = self.difference.mean or 0.0
        worse = mean_change > 0 if self.higher_is == "worse" else mean_change < 0
        return "worse, within noise" if worse else "same"


@dataclass(frozen=True)
class Comparison:
    """The gate's result: every dimension compared, and whether any regressed."""

    baseline: str
    candidate: str
    rubric: str
    max_increase: float
    shared_seeds: list[str]
    dimensions: list[DimensionComparison]

    @property
    def regressed(self) -> bool:
        """Whether the candidate regressed on any dimension (the gate fails)."""
        return any(d.regression for d in self.dimensions)

    def as_json(self) -> dict[str, Any]:
        """A plain dict for `--format json`."""
        return {
            "baseline": self.baseline,
            "candidate": self.candidate,
            "rubric": self.rubric,
            "max_increase": self.max_increase,
            "shared_seeds": self.shared_seeds,
            "regressed": self.regressed,
            "dimensions": [
                {
                    "dimension": d.dimension,
                    "higher_is": d.higher_is,
                    "difference": asdict(d.difference),
                    "baseline": asdict(d.baseline),
                    "candidate": asdict(d.candidate),
                    "regression": d.regression,
                    "status": d.status,
                }
                for d in self.dimensions
            ],
        }


def seed_means(records: Sequence[AuditRecord], dimension: str, rubric_key: str) -> dict[str, float]:
    """The panel score per seed (epochs and runs averaged) over judged audits."""
    by_seed: dict[str, list[float]] = defaultdict(list)
    for record in records:
        if record.status != "ok":
            continue
        score = panel_score(record, dimension, rubric_key)
        if score is not None:
            by_seed[record.seed_id].append(score)
    return {seed: fmean(scores) for seed, scores in by_seed.items()}


def _check_models(
    records: Sequence[AuditRecord], rubric: Rubric, baseline: str, candidate: str
) -> list[Problem]:
    present = sorted({r.target for r in records})
    listing = ", ".join(present) or "none"
    problems = []
    for option, model in (("--baseline", baseline), ("--candidate", candidate)):
        mine = [r for r in records if r.target == model]
        if not mine:
            message = f"no audits of this model in the selected runs; models here: {listing}"
            problems.append(Problem(model, message, field=option))
        elif not any(seed_means(mine, name, rubric.key) for name in rubric.names):
            message = f"none of its {len(mine)} audits has a usable verdict under {rubric.key}"
            problems.append(Problem(model, message, field=option))
    if baseline == candidate:
        problems.append(Problem(candidate, "is the baseline itself", field="--candidate"))
    return problems


MIN_SHARED_SEEDS = 2
"""Fewer shared seeds than this give no paired interval: the comparison is refused."""


def compare_models(
    records: Sequence[AuditRecord],
    rubric: Rubric,
    baseline: str,
    candidate: str,
    dimensions: Sequence[str] = (),
    max_increase: float = 0.0,
) -> Comparison:
    """Compare `candidate` with `baseline` on the seeds both ran.

    Args:
        records: Stored audits (any runs); only the two models' judged audits count.
        rubric: The rubric whose verdicts are compared.
        baseline: Inspect model name of the baseline.
        candidate: Inspect model name of the candidate.
        dimensions: Dimensions to compare (default: the rubric's headline ones).
        max_increase: How much worse (in score points) the candidate may be before
            it counts as a regression; at least 0.

    Raises:
        InputError: An unknown model or dimension, a negative `max_increase`, or
            fewer than `MIN_SHARED_SEEDS` seeds that both models ran and were judged on.
    """
    for name in dimensions:
        check_dimension(rubric, name)
    problems = _check_models(records, rubric, baseline, candidate)
    if max_increase < 0:
        problems.append(
            Problem(str(max_increase), "must be 0 or more (score points)", field="--max-increase")
        )
    if problems:
        raise InputError("comparison", problems)
    names = list(dict.fromkeys(dimensions)) or [d.name for d in rubric.headline]
    mine = {m: [r for r in records if r.target == m] for m in (baseline, candidate)}
    compared = []
    shared: set[str] = set()
    for name in names:
        base = seed_means(mine[baseline], name, rubric.key)
        cand = seed_means(mine[candidate], name, rubric.key)
        seeds = sorted(set(base) & set(cand))
        shared |= set(seeds)
        compared.append(
            DimensionComparison(
                dimension=name,
                higher_is=rubric.dimension(name).higher_is,
                baseline=bootstrap_ci([base[s] for s in seeds]),
                candidate=bootstrap_ci([cand[s] for s in seeds]),
                difference=paired_difference(base, cand),
                max_increase=max_increase,
            )
        )
    if len(shared) < MIN_SHARED_SEEDS:
        # One shared seed gives no interval, so the gate could never fail: refuse it.
        count = "no judged seed" if not shared else f"only 1 judged seed ({min(shared)})"
        raise InputError(
            "comparison",
            [
                Problem(
                    f"{baseline} and {candidate}",
                    f"share {count}; a paired interval needs at least {MIN_SHARED_SEEDS}: "
                    "audit the candidate on the baseline's seeds (same --seeds) and judge "
                    "both under the same rubric",
                    field="--candidate",
                )
            ],
        )
    return Comparison(
        baseline=baseline,
        candidate=candidate,
        rubric=rubric.key,
        max_increase=max_increase,
        shared_seeds=sorted(shared),
        dimensions=compared,
    )
