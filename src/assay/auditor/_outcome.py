"""What the auditor hands to the judges, kept in the sample's store."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from inspect_ai.solver import TaskState
from inspect_ai.util import Store
from pydantic import BaseModel, Field

from ..schema import AuditStatus, Transcript, Usage

_KEY = "assay:outcome"


class AuditOutcome(BaseModel):
    """The auditor's result for one sample, before judging."""

    target: str
    auditor: str
    status: AuditStatus
    error: str | None = None
    transcript: Transcript
    usage: dict[str, Usage] = Field(default_factory=dict)
    """Token usage per role (target, auditor, realism)."""
    models: dict[str, str] = Field(default_factory=dict)
    """Model name per role, for cost accounting."""
    details: dict[str, Any] = Field(default_factory=dict)
    """Auditor statistics: tool calls, malformed calls, realism interventions."""


def store_outcome(state: TaskState, outcome: AuditOutcome) -> None:
    """Keep the outcome with the sample (it also lands in the Inspect log)."""
    state.store.set(_KEY, outcome.model_dump(mode="json"))


def load_outcome(state: TaskState) -> AuditOutcome | None:
    """The outcome the auditor stored, if it got that far."""
    return outcome_from_store(state.store)


def outcome_from_store(store: Mapping[str, Any] | Store) -> AuditOutcome | None:
    """The outcome kept in a sample's store (live, or as an eval log recorded it)."""
    raw = store.get(_KEY)
    return AuditOutcome.model_validate(raw) if raw is not None else None
