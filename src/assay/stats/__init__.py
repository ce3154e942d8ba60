"""Statistics: bootstrap intervals, paired differences, judge agreement, agreement with labels."""

from ._agreement import (
    DISAGREEMENT_POINTS,
    ScoreMatrix,
    disagreement_share,
    judge_offsets,
    krippendorff_alpha,
    paired_audits,
    score_matrix,
)
from ._bootstrap import Estimate, bootstrap_ci
from ._calibration import LabelAgreement, fmt_estimate, label_agreement, spearman_ci
from ._paired import paired_difference

__all__ = [
    "DISAGREEMENT_POINTS",
    "Estimate",
    "LabelAgreement",
    "ScoreMatrix",
    "bootstrap_ci",
    "disagreement_share",
    "fmt_estimate",
    "judge_offsets",
    "krippendorff_alpha",
    "label_agreement",
    "paired_audits",
    "paired_difference",
    "score_matrix",
    "spearman_ci",
]
