"""Why audits and judge verdicts failed: every failure counted by kind.

An audit that is not `ok` and a judge verdict with status `error` each get one kind,
read from the error text assay stored (`target call failed: RateLimitError: Error
code: 429 - ...`, `judge call failed: ...`, `unusable judge output: ...`). Kinds:

- `rate_limit`: HTTP 429, `RateLimitError` (OpenAI, Anthropic), quota exhausted.
- `server_error`: HTTP 5xx (529: Anthropic overloaded), `InternalServerError`,
  connection failures (`APIConnectionError`).
- `timeout`: `APITimeoutError`, `TimeoutError`, "timed out", HTTP 408.
- `malformed_tool_call`: the provider rejected or could not parse a tool call.
- `unusable_output`: a reply assay could not use (judge output that is not the
  JSON asked for).
- `auditor_failure`: the audit ran but the target never replied.
- `other`: anything else.

Malformed tool calls that a target makes during an audit are not failures: the
auditor answers them with an error and the audit goes on. They are counted apart,
from the transcripts.
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Literal, get_args

from ..schema import MALFORMED_TOOL_CALLS, AuditRecord, JudgeVerdict, malformed_tool_calls
from ._aggregate import Summary

FaultKind = Literal[
    "rate_limit",
    "server_error",
    "timeout",
    "malformed_tool_call",
    "unusable_output",
    "auditor_failure",
    "other",
]
FAULT_KINDS: tuple[FaultKind, ...] = get_args(FaultKind)

# Exception class names first: they are the most specific signal (an
# InternalServerError whose message says "gateway timeout" is a server error).
# Matched on the lowercased text, so `apitimeouterror` also covers `TimeoutError`.
_CLASS_NAMES: list[tuple[FaultKind, tuple[str, ...]]] = [
    ("rate_limit", ("ratelimit", "resourceexhausted", "toomanyrequests")),
    (
        "timeout",
        ("timeouterror", "simulatedtimeout", "readtimeout", "connecttimeout", "deadlineexceeded"),
    ),
    (
        "server_error",
        (
            "internalservererror",
            "simulatedservererror",
            "serviceunavailable",
            "apiconnectionerror",
            "overloadederror",
            "badgateway",
        ),
    ),
]
_STATUS = re.compile(
    r"(?:error code|status code|status|http|code)\s*[:=]?\s*(\d{3})\b"
    r"|\b(\d{3}) (?:too many requests|internal server error|bad gateway|service unavailable"
    r"|unavailable|gateway time-?out|request time-?out)"
)
_PHRASES: list[tuple[FaultKind, tuple[str, ...]]] = [
    (
        "malformed_tool_call",
        (
            "malformed tool call",
            "malformed_function_call",
            "tool_use_failed",
            "invalid tool call",
            "parsing the following tool",
        ),
    ),
    ("unusable_output", ("unusable", "no json", "not json", "jsondecodeerror")),
    ("timeout", ("timed out", "timeout")),
    ("rate_limit", ("rate limit", "rate_limit", "too many requests", "quota")),
    (
        "server_error",
        (
            "server error",
            "server_error",
            "overloaded",
            "bad gateway",
            "service unavailable",
            "connection error",
        ),
    ),
]


def classify_error(text: str | None) -> FaultKind:
    """The kind of a stored error text (`other` when nothing is recognised)."""
    lowered = (text or "").lower()
    if lowered.startswith("unusable"):
        # assay's own wording for a judge reply it could not read; the rest of the
        # text may quote the reply, which must not be mistaken for a provider error.
        return "unusable_output"
    squashed = lowered.replace("_", "").replace(" ", "")
    for kind, names in _CLASS_NAMES:
        if any(name in squashed for name in names):
            return kind
    for match in _STATUS.finditer(lowered):
        code = int(match.group(1) or match.group(2))
        if code == 429:
            return "rate_limit"
        if code == 408:
            return "timeout"
        if 500 <= code <= 599:
            return "server_error"
    for kind, phrases in _PHRASES:
        if any(phrase in lowered for phrase in phrases):
            return kind
    return "other"


def audit_fault(record: AuditRecord) -> FaultKind | None:
    """Why an audit failed; None for an `ok` audit."""
    if record.status == "ok":
        return None
    if record.status == "auditor_failure":
        return "auditor_failure"
    return classify_error(record.error)


def verdict_fault(verdict: JudgeVerdict) -> FaultKind | None:
    """Why a judge verdict failed; None for a usable one."""
    if verdict.status != "error":
        return None
    return classify_error(verdict.error)


def audit_malformed_calls(record: AuditRecord) -> int:
    """The audit's malformed target tool calls: as the store recorded them in its
    details, else counted from its transcript (a record never stored)."""
    stored = record.details.get(MALFORMED_TOOL_CALLS)
    return int(stored) if stored is not None else malformed_tool_calls(record.transcript)


@dataclass(frozen=True)
class FaultCounts:
    """One target's failures by kind.

    `audits` sums to the target's non-ok audits and `verdicts` to its judge errors
    under the report's rubric; `malformed_tool_calls` are not failures.
    """

    target: str
    audits: dict[str, int] = field(default_factory=dict)
    verdicts: dict[str, int] = field(default_factory=dict)
    malformed_tool_calls: int = 0

    @property
    def rows(self) -> list[tuple[str, int, int]]:
        """(kind, failed audits, failed verdicts) for each kind that occurred."""
        return [
            (k, self.audits.get(k, 0), self.verdicts.get(k, 0))
            for k in FAULT_KINDS
            if self.audits.get(k) or self.verdicts.get(k)
        ]

    def columns(self) -> dict[str, int]:
        """Flat counts for a CSV row: `failed_audits_<kind>`, `failed_verdicts_<kind>`."""
        out = {f"failed_audits_{k}": self.audits.get(k, 0) for k in FAULT_KINDS}
        out |= {f"failed_verdicts_{k}": self.verdicts.get(k, 0) for k in FAULT_KINDS}
        out["malformed_tool_calls"] = self.malformed_tool_calls
        return out


def fault_counts(summary: Summary) -> list[FaultCounts]:
    """Failures by kind for each target in the summary, in the summary's order."""
    out = []
    for model in summary.models:
        mine = [r for r in summary.audits if r.target == model.target]
        audits: Counter[str] = Counter(k for r in mine if (k := audit_fault(r)) is not None)
        verdicts: Counter[str] = Counter(
            kind
            for r in mine
            for v in r.verdicts
            if v.rubric == summary.rubric.key and (kind := verdict_fault(v)) is not None
        )
        out.append(
            FaultCounts(
                target=model.target,
                audits=dict(audits),
                verdicts=dict(verdicts),
                malformed_tool_calls=sum(audit_malformed_calls(r) for r in mine),
            )
        )
    return out


def faults_markdown(faults: list[FaultCounts]) -> list[str]:
    """The Markdown report's section on failures by kind (none without targets)."""
    if not faults:
        return []
    lines = ["", "## Failures by kind", ""]
    lines += ["| target | kind | failed audits | failed verdicts |", "|---|---|---|---|"]
    for counts in faults:
        lines += [f"| {counts.target} | {k} | {a} | {v} |" for k, a, v in counts.rows]
    malformed = ", ".join(f"{c.target} {c.malformed_tool_calls}" for c in faults)
    return [*lines, "", f"Malformed target tool calls (answered, not failures): {malformed}"]
