"""Check judges' quotes against the transcript: exact first, then fuzzy (rapidfuzz)."""

from __future__ import annotations

import re

from rapidfuzz import fuzz

from ..schema import Citation, DimensionScore, Transcript, event_text

FUZZY_THRESHOLD = 85.0
"""rapidfuzz partial_ratio (0-100) at or above which a quote counts as found."""

_SPACE = re.compile(r"\s+")


def _normal(text: str) -> str:
    return _SPACE.sub(" ", text).strip().lower()


def check_citation(citation: Citation, events: list[str]) -> Citation:
    """Locate one quote in the transcript's event texts.

    The event the judge named is tried first, then every event. A quote found in
    another event keeps its text and gets the corrected event index.
    """
    quote = _normal(citation.quote)
    if not quote or not events:
        return citation.model_copy(update={"verified": "unverified"})
    named = (
        citation.event if citation.event is not None and 0 <= citation.event < len(events) else None
    )
    order = ([named] if named is not None else []) + [i for i in range(len(events)) if i != named]
    for index in order:
        if quote in events[index]:
            return citation.model_copy(update={"verified": "exact", "event": index})
    best, best_score = None, 0.0
    for index in order:
        score = fuzz.partial_ratio(quote, events[index])
        if score > best_score:
            best, best_score = index, score
    if best is not None and best_score >= FUZZY_THRESHOLD:
        return citation.model_copy(update={"verified": "fuzzy", "event": best})
    return citation.model_copy(update={"verified": "unverified"})


def check_citations(
    scores: dict[str, DimensionScore], transcript: Transcript
) -> dict[str, DimensionScore]:
    """Return the scores with every citation checked against the transcript."""
    events = [_normal(event_text(e)) for e in transcript.events]
    return {
        name: score.model_copy(
            update={"citations": [check_citation(c, events) for c in score.citations]}
        )
        for name, score in scores.items()
    }
