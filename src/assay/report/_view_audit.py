"""One audit as the viewer shows it: events in order, verdicts beside them, quotes marked.

Everything here is hostile text from a transcript, a seed or a provider: it is escaped
(markupsafe) before any markup is added around it, and the templates autoescape the rest.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field

from markupsafe import Markup, escape

from ..schema import (
    AuditEnd,
    AuditRecord,
    Prefill,
    Restart,
    Rollback,
    SystemSet,
    TargetError,
    TargetReply,
    ToolCreated,
    ToolRemoved,
    ToolResult,
    TranscriptEvent,
    UserMessage,
    abandoned_events,
)


@dataclass
class Part:
    """One block of an event's text, with the quotes cited in it marked."""

    label: str
    text: str
    html: Markup = field(default_factory=Markup)


@dataclass
class EventView:
    """An event ready to show: who wrote it, its text, and whether it was abandoned."""

    index: int
    kind: str
    title: str
    author: str  # "auditor", "target" or "system"
    parts: list[Part]
    abandoned_by: int | None = None
    cited_by: list[str] = field(default_factory=list)


@dataclass
class CitationView:
    """A quote a judge cited, and where the viewer marked it (None: not found in place)."""

    quote: str
    event: int | None
    check: str
    anchor: str | None


@dataclass
class ScoreView:
    dimension: str
    score: int
    justification: str
    citations: list[CitationView]


@dataclass
class VerdictView:
    """One judge's verdict: its scores (headline dimensions first) or its error."""

    member: str
    rubric: str
    status: str
    error: str | None
    scores: list[ScoreView]
    summary: str = ""
    highlights: list[tuple[int | None, str]] = field(default_factory=list)


def _json(value: object) -> str:
    return json.dumps(value, indent=2, ensure_ascii=False)


def _event_view(index: int, event: TranscriptEvent) -> EventView:
    """Title, author and text blocks of one event."""
    if isinstance(event, SystemSet):
        return EventView(index, event.type, "System prompt", "auditor", [Part("", event.content)])
    if isinstance(event, ToolCreated):
        parts = [
            Part("description", event.tool.description),
            Part("parameters", _json(event.tool.parameters)),
        ]
        if event.environment:
            parts.append(
                Part(
                    "environment (the auditor's notes, never shown to the target)",
                    event.environment,
                )
            )
        return EventView(index, event.type, f"Tool given: {event.tool.name}", "auditor", parts)
    if isinstance(event, ToolRemoved):
        return EventView(index, event.type, f"Tool removed: {event.name}", "auditor", [])
    if isinstance(event, UserMessage):
        return EventView(index, event.type, "User", "auditor", [Part("", event.content)])
    if isinstance(event, Prefill):
        title = "Prefill: the auditor's words, put at the start of the target's reply"
        return EventView(index, event.type, title, "auditor", [Part("", event.content)])
    if isinstance(event, TargetReply):
        parts = []
        if event.reasoning:
            label = "reasoning (the target's own, not shown to the user)"
            parts.append(Part(label, event.reasoning))
        parts.append(Part("", event.content))
        for call in event.tool_calls:
            parts.append(Part(f"calls {call.function}", _json(call.arguments)))
        return EventView(index, event.type, "Target", "target", parts)
    if isinstance(event, ToolResult):
        body = [Part("error", event.error)] if event.error else [Part("", event.content)]
        return EventView(index, event.type, f"Tool result: {event.function}", "auditor", body)
    if isinstance(event, TargetError):
        return EventView(
            index, event.type, "Target call failed", "system", [Part("", event.message)]
        )
    if isinstance(event, Rollback):
        point = (
            f"just after event {event.to_event}"
            if event.to_event is not None
            else f"turn {event.to_turn}"
        )
        title = f"Rollback: the auditor rewound the conversation to {point}"
        return EventView(index, event.type, title, "auditor", [])
    if isinstance(event, Restart):
        kept = "kept" if event.keep_tools else "taken away"
        title = f"Restart: the auditor wiped the conversation (tools {kept})"
        return EventView(index, event.type, title, "auditor", [])
    if isinstance(event, AuditEnd):
        return EventView(index, event.type, "Audit ended", "system", [Part("", event.reason)])
    raise TypeError(f"unknown event {event!r}")


def _mark(text: str, marks: list[tuple[int, int, str]]) -> Markup:
    """`text` escaped, with each (start, end, anchor) span wrapped in a <mark>."""
    out = Markup("")
    cursor = 0
    for start, end, anchor in marks:
        out += escape(text[cursor:start])
        out += Markup('<mark id="{}">{}</mark>').format(anchor, text[start:end])
        cursor = end
    return out + escape(text[cursor:])


Spans = dict[int, list[tuple[int, int, int, str]]]
"""Per event: the marked quotes as (part number, start, end, anchor)."""


def _place(views: list[EventView], citation: CitationView, taken: Spans) -> None:
    """Find the cited quote in its event and reserve a span for its mark.

    A quote that is not found verbatim (a fuzzy match, a wrong event) or that overlaps
    a quote marked already loses its anchor: the verdict then links to the event.
    """
    event = citation.event
    if event is not None and 0 <= event < len(views) and citation.quote and citation.anchor:
        for number, part in enumerate(views[event].parts):
            start = part.text.find(citation.quote)
            if start < 0:
                continue
            end = start + len(citation.quote)
            spans = taken.setdefault(event, [])
            if any(n == number and s < end and start < e for n, s, e, _ in spans):
                break
            spans.append((number, start, end, citation.anchor))
            views[event].cited_by.append(citation.anchor)
            return
    citation.anchor = None


def audit_view(
    record: AuditRecord, headline: list[str]
) -> tuple[list[EventView], list[VerdictView]]:
    """The events and verdicts of one audit, with every cited quote marked in place.

    Args:
        record: The stored audit.
        headline: Dimensions listed first in each verdict (the rest follow by name).
    """
    abandoned = abandoned_events(record.transcript)
    views = [_event_view(i, e) for i, e in enumerate(record.transcript.events)]
    for view in views:
        view.abandoned_by = abandoned.get(view.index)
    taken: Spans = {}
    verdict_views: list[VerdictView] = []
    order = {name: i for i, name in enumerate(headline)}
    for v_number, verdict in enumerate(record.verdicts):
        scores: list[ScoreView] = []
        names = sorted(verdict.scores, key=lambda n: (order.get(n, len(order)), n))
        for name in names:
            score = verdict.scores[name]
            cites = []
            for c_number, c in enumerate(score.citations):
                cite = CitationView(
                    quote=c.quote,
                    event=c.event,
                    check=c.verified or "unchecked",
                    anchor=f"cite-{v_number}-{name}-{c_number}",
                )
                _place(views, cite, taken)
                cites.append(cite)
            scores.append(ScoreView(name, score.score, score.justification, cites))
        verdict_views.append(
            VerdictView(
                verdict.panel_member,
                verdict.rubric,
                verdict.status,
                verdict.error,
                scores,
                verdict.summary,
                [(h.event, h.note) for h in verdict.highlights],
            )
        )
    for view in views:
        for number, part in enumerate(view.parts):
            marks = sorted((s, e, a) for n, s, e, a in taken.get(view.index, []) if n == number)
            part.html = _mark(part.text, marks)
    return views, verdict_views
