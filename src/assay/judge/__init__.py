"""Judging: the rubric, the judge prompt, parsing, and the panel scorer.

The parts that call models (and so import Inspect) load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports
from ._labelset import Label, LabelledTranscript, load_labels, shipped_labels_path
from ._parse import JudgeReply, UnusableVerdict, parse_reply, parse_verdict
from ._prompt import judge_messages, verdict_schema
from ._rubric import (
    behaviour_names,
    default_rubric_path,
    headline_rubric_path,
    load_rubric,
    shipped_rubric,
)

if TYPE_CHECKING:
    from ._calibrate import Calibration, JudgeCalibration, agreement_by_dimension, calibrate
    from ._judge import judge_transcript
    from ._metrics import epoch_mean
    from ._scorer import audit_scorer, judge_roles, panel_medians

_LAZY = {
    "Calibration": "._calibrate",
    "JudgeCalibration": "._calibrate",
    "agreement_by_dimension": "._calibrate",
    "calibrate": "._calibrate",
    "judge_transcript": "._judge",
    "epoch_mean": "._metrics",
    "audit_scorer": "._scorer",
    "judge_roles": "._scorer",
    "panel_medians": "._scorer",
}

__all__ = [
    "Calibration",
    "JudgeCalibration",
    "JudgeReply",
    "Label",
    "LabelledTranscript",
    "UnusableVerdict",
    "agreement_by_dimension",
    "audit_scorer",
    "behaviour_names",
    "calibrate",
    "default_rubric_path",
    "epoch_mean",
    "headline_rubric_path",
    "judge_messages",
    "judge_roles",
    "judge_transcript",
    "load_labels",
    "load_rubric",
    "panel_medians",
    "parse_reply",
    "parse_verdict",
    "shipped_labels_path",
    "shipped_rubric",
    "verdict_schema",
]

__getattr__ = lazy_exports(__name__, _LAZY)
