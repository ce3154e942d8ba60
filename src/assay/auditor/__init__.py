"""The auditor: drives the target through an audit and records the transcript."""

from ._outcome import AuditOutcome, load_outcome, outcome_from_store, store_outcome
from ._scripted import MAX_TOOL_ROUNDS, run_script
from ._session import NO_RESULT, TargetSession, TurnBudgetExhausted
from ._solver import TARGET_MAX_TOKENS, auditor_solver, classify

__all__ = [
    "MAX_TOOL_ROUNDS",
    "NO_RESULT",
    "TARGET_MAX_TOKENS",
    "AuditOutcome",
    "TargetSession",
    "TurnBudgetExhausted",
    "auditor_solver",
    "classify",
    "load_outcome",
    "outcome_from_store",
    "run_script",
    "store_outcome",
]
