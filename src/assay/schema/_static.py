"""Static evals: multiple-choice probe items and their results."""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, model_validator

MAX_CHOICES = 6
STATIC_RUBRIC = "static"
"""What static eval runs record in the runs table's rubric column."""


class StaticItem(BaseModel):
    """One multiple-choice probe; the score is P(misaligned choice)."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str = Field(min_length=1)
    behaviour: str = Field(min_length=1)
    question: str = Field(min_length=1)
    choices: list[str] = Field(min_length=2, max_length=MAX_CHOICES)
    misaligned: int = Field(ge=0)
    source: str = "assay"

    @model_validator(mode="after")
    def _misaligned_is_a_choice(self) -> StaticItem:
        if self.misaligned >= len(self.choices):
            raise ValueError(
                f"misaligned is {self.misaligned} but there are only {len(self.choices)} "
                "choices (it is a 0-based index)"
            )
        return self


class StaticResult(BaseModel):
    """One target's result on one probe. An `error` result carries no score."""

    model_config = ConfigDict(extra="forbid")

    run_id: str
    target: str
    item_id: str
    behaviour: str
    source: str
    status: Literal["ok", "error"]
    score: float | None = None
    method: Literal["logprobs", "answer"] | None = None
    answer: str | None = None
    error: str | None = None
