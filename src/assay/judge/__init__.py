"""Judging: the rubric, the judge prompt, parsing, and the scorer."""

from ._judge import judge_transcript
from ._parse import UnusableVerdict, parse_verdict
from ._prompt import judge_messages, transcript_text, verdict_schema
from ._rubric import default_rubric_path, load_rubric
from ._scorer import audit_scorer, judge_roles

__all__ = [
    "UnusableVerdict",
    "audit_scorer",
    "default_rubric_path",
    "judge_messages",
    "judge_roles",
    "judge_transcript",
    "load_rubric",
    "parse_verdict",
    "transcript_text",
    "verdict_schema",
]
