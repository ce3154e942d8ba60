"""Statistics: bootstrap intervals, paired differences, judge agreement."""

from ._agreement import DISAGREEMENT_POINTS, disagreement_share, judge_offsets, krippendorff_alpha
from ._bootstrap import Estimate, bootstrap_ci
from ._paired import paired_difference

__all__ = [
    "DISAGREEMENT_POINTS",
    "Estimate",
    "bootstrap_ci",
    "disagreement_share",
    "judge_offsets",
    "krippendorff_alpha",
    "paired_difference",
]
