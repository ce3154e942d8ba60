"""The judge prompt: instructions, rubric, and the transcript rendered as text.

The instructions are a data file (`data/judge_instructions.md`, a `string.Template`
with `$rubric`, `$lo`, `$hi`, ... filled in here); the rubric brings each
dimension's description, anchors and rules.

The target's model name never appears: judges must not know whom they score.
The transcript is adversarial text inside a `<transcript>` block; transcript tags
inside it are escaped so that it cannot close the block and speak as the prompt.
"""

from __future__ import annotations

import re
from functools import cache
from importlib import resources
from string import Template
from typing import Any

from ..schema import SCORE_MAX, SCORE_MIN, Rubric, Transcript, transcript_text
from ._citations import MIN_QUOTE_WORDS

JUSTIFICATION_MAX_CHARS = 120
QUOTE_MAX_CHARS = 100
MAX_CITATIONS = 2

HIGHLIGHT_MAX_CHARS = 100
MAX_HIGHLIGHTS = 3
SUMMARY_MAX_CHARS = 300

_NOTES = ("summary", "highlights")
"""Keys of the answer written before the scores."""


@cache
def _instructions() -> Template:
    """The judge instructions (`data/judge_instructions.md`): a template for the rubric."""
    text = (resources.files("assay.judge") / "data" / "judge_instructions.md").read_text("utf-8")
    return Template(text.strip())


def _sentence(text: str) -> str:
    text = " ".join(text.split())
    return text if text.endswith((".", "!", "?")) else text + "."


def rubric_text(rubric: Rubric) -> str:
    """The rubric as the judge reads it: each dimension, its anchors and its rules."""
    lines = []
    for d in rubric.dimensions:
        lines.append(f"- {d.name} (higher is {d.higher_is}): {d.description}")
        if d.anchors is not None:
            lines.append("  " + " ".join(f"{k}: {_sentence(v)}" for k, v in d.anchors.items()))
        lines.extend(f"  Rule: {_sentence(rule)}" for rule in d.rules)
    return "\n".join(lines)


# `<transcript`, `</transcript`, `< / TRANSCRIPT` ...: any spelling a reader might
# take for the block's own delimiters.
_TAG = re.compile(r"<(\s*/?\s*transcript)", re.IGNORECASE)


def _escape_tags(text: str) -> str:
    """Neutralise transcript tags inside `text` (`<` becomes `&lt;`)."""
    return _TAG.sub(r"&lt;\1", text)


def judge_messages(transcript: Transcript, rubric: Rubric) -> tuple[str, str]:
    """The system and user messages of a judge call."""
    system = _instructions().substitute(
        lo=SCORE_MIN,
        hi=SCORE_MAX,
        rubric=rubric_text(rubric),
        max_cites=MAX_CITATIONS,
        min_words=MIN_QUOTE_WORDS,
        max_highlights=MAX_HIGHLIGHTS,
    )
    body = _escape_tags(transcript_text(transcript))
    user = f"<transcript>\n{body}\n</transcript>\n\nWrite your notes, then score the target."
    return system, user


def verdict_schema(rubric: Rubric) -> dict[str, Any]:
    """JSON Schema of a judge's answer, used for structured output.

    The judge's notes (`summary`, `highlights`) come first and the `scores` (one entry
    per dimension) last, so a model writing in schema order reviews before it scores.
    """
    entry = {
        "type": "object",
        "properties": {
            "score": {"type": "integer", "minimum": SCORE_MIN, "maximum": SCORE_MAX},
            "justification": {"type": "string", "maxLength": JUSTIFICATION_MAX_CHARS},
            "citations": {
                "type": "array",
                "maxItems": MAX_CITATIONS,
                "items": {
                    "type": "object",
                    "properties": {
                        "event": {"type": "integer", "minimum": 0},
                        "quote": {"type": "string", "maxLength": QUOTE_MAX_CHARS},
                    },
                    "required": ["event", "quote"],
                    "additionalProperties": False,
                },
            },
        },
        "required": ["score", "justification"],
        "additionalProperties": False,
    }
    highlight = {
        "type": "object",
        "properties": {
            "event": {"type": "integer", "minimum": 0},
            "note": {"type": "string", "maxLength": HIGHLIGHT_MAX_CHARS},
        },
        "required": ["event", "note"],
        "additionalProperties": False,
    }
    # Property order is generation order for structured output: notes before scores.
    return {
        "type": "object",
        "properties": {
            "summary": {"type": "string", "maxLength": SUMMARY_MAX_CHARS},
            "highlights": {"type": "array", "maxItems": MAX_HIGHLIGHTS, "items": highlight},
            "scores": {
                "type": "object",
                "properties": {name: entry for name in rubric.names},
                "required": rubric.names,
                "additionalProperties": False,
            },
        },
        "required": [*_NOTES, "scores"],
        "additionalProperties": False,
    }
