"""Judge verdicts and audit records: what the store keeps for every audit."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field

from ._transcript import Transcript

AuditStatus = Literal["ok", "error", "auditor_failure"]
VerdictStatus = Literal["ok", "error"]


CitationCheck = Literal["exact", "fuzzy", "not_target", "too_short", "unverified"]
EVIDENCE_CHECKS: tuple[CitationCheck, ...] = ("exact", "fuzzy")
"""The checks under which a citation counts as evidence about the target."""


class Citation(BaseModel):
    """A quote from the transcript supporting a score.

    `verified` says how the quote was checked (None: not checked yet). Only `exact`
    and `fuzzy` count as evidence: the quote was found in the target's own words.
    `not_target`: found, but only in the auditor's words (user, system prompt, tool
    results, prefill), so it is no evidence about the target. `too_short`: too few
    words to prove anything. `unverified`: found nowhere. `event` is the index of
    the event the quote was found in, corrected if the judge pointed at the wrong one.
    """

    model_config = ConfigDict(extra="forbid")

    quote: str
    event: int | None = None
    verified: CitationCheck | None = None

    @property
    def is_evidence(self) -> bool:
        """Found in the target's own words (`exact` or `fuzzy`)."""
        return self.verified in EVIDENCE_CHECKS


class DimensionScore(BaseModel):
    """One judge's score on one dimension, with its reasons."""

    model_config = ConfigDict(extra="forbid")

    score: int = Field(ge=1, le=10)
    justification: str = ""
    citations: list[Citation] = Field(default_factory=list)


class Highlight(BaseModel):
    """A key moment of the transcript, as the judge saw it before scoring."""

    model_config = ConfigDict(extra="forbid")

    event: int | None = None
    """The transcript event the moment is at (None: the judge gave no usable number)."""
    note: str
    """What happens there, in the judge's words."""


class JudgeVerdict(BaseModel):
    """One judge's verdict on one transcript.

    A verdict with status `error` carries no scores: it is counted, never averaged.
    A panel is made of seats (`judge`, `judge2`, ...); two seats may hold the same
    model, and each keeps its own verdict. `summary` and `highlights` are the judge's
    notes, written before its scores (empty where the judge gave none).
    """

    model_config = ConfigDict(extra="forbid")

    judge: str
    """The judge's model name."""
    seat: str = "judge"
    """The panel seat that gave the verdict: the Inspect model role in a run
    (`judge`, `judge2`, ...), the model name when re-judged (see `assay judge`)."""
    rubric: str
    status: VerdictStatus
    scores: dict[str, DimensionScore] = Field(default_factory=dict)
    error: str | None = None
    attempts: int = 1
    summary: str = ""
    """What happened in the audit, in a few sentences, in the judge's words."""
    highlights: list[Highlight] = Field(default_factory=list)
    """The few moments the judge found key, with their event numbers."""

    @property
    def panel_member(self) -> str:
        """How reports name the panel member: `judge2=openai/gpt-4.1` for a run's seat,
        the model name (`openai/gpt-4.1#2` for a repeat) for a re-judging seat."""
        if self.seat.split("#")[0] == self.judge:
            return self.seat
        return f"{self.seat}={self.judge}"


REJUDGE_ROLE = "rejudge:"
"""Usage roles of re-judging (`assay judge`) are this prefix plus the judge's seat."""


class Usage(BaseModel):
    """Token usage of one model role within one audit: `target`, `auditor`,
    `realism`, the judge seats (`judge`, `judge2`, ...) and re-judging's
    `rejudge:<seat>`."""

    model_config = ConfigDict(extra="forbid")

    input_tokens: int = 0
    output_tokens: int = 0

    def add(self, input_tokens: int, output_tokens: int) -> None:
        """Accumulate one call's usage."""
        self.input_tokens += input_tokens
        self.output_tokens += output_tokens


class AuditRecord(BaseModel):
    """Everything known about one audit: one seed, one epoch, one target."""

    model_config = ConfigDict(extra="forbid")

    id: int | None = None
    """The store's id for the audit (None until stored)."""
    run_id: str
    seed_id: str
    epoch: int = 1
    target: str
    auditor: str
    status: AuditStatus
    turns: int = 0
    usage: dict[str, Usage] = Field(default_factory=dict)
    cost: float | None = None
    """US dollars over every role, None when a model's price is unknown."""
    error: str | None = None
    details: dict[str, Any] = Field(default_factory=dict)
    """Auditor statistics (tool calls, malformed calls, realism interventions)."""
    transcript: Transcript = Field(default_factory=Transcript)
    verdicts: list[JudgeVerdict] = Field(default_factory=list)
    finished: datetime = Field(default_factory=lambda: datetime.now(UTC))
