"""Judging: the rubric, the judge prompt, parsing, and the panel scorer.

The parts that call models (and so import Inspect) load on first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports
from ._parse import UnusableVerdict, parse_verdict
from ._prompt import judge_messages, verdict_schema
from ._rubric import (
    behaviour_names,
    default_rubric_path,
    headline_rubric_path,
    load_rubric,
    shipped_rubric,
)

if TYPE_CHECKING:
    from ._judge import judge_transcript
    from ._metrics import epoch_mean
    from ._scorer import audit_scorer, judge_roles, panel_medians

_LAZY = {
    "judge_transcript": "._judge",
    "epoch_mean": "._metrics",
    "audit_scorer": "._scorer",
    "judge_roles": "._scorer",
    "panel_medians": "._scorer",
}

__all__ = [
    "UnusableVerdict",
    "audit_scorer",
    "behaviour_names",
    "default_rubric_path",
    "epoch_mean",
    "headline_rubric_path",
    "judge_messages",
    "judge_roles",
    "judge_transcript",
    "load_rubric",
    "panel_medians",
    "parse_verdict",
    "shipped_rubric",
    "verdict_schema",
]

__getattr__ = lazy_exports(__name__, _LAZY)
