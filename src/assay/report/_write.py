"""Write a summary as HTML, Markdown, JSON or CSV."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Callable
from dataclasses import asdict
from pathlib import Path
from typing import Literal

from jinja2 import Environment, PackageLoader, select_autoescape

from .._gc import gc_paused
from ..schema import AuditRecord, event_text
from ._aggregate import Summary
from ._awareness import EVAL_AWARENESS_THRESHOLD
from ._costs import total_usage
from ._detail import panel_markdown, seed_csv_rows, seed_scores
from ._faults import fault_counts, faults_markdown
from ._figures import DEFAULT_DIMENSION, Figures, check_dimension, trajectory_points, write_figures
from ._sections import (
    AWARENESS_NOTE,
    awareness_markdown,
    grand_total,
    has_awareness,
    trajectory_json,
    trajectory_markdown,
    usage_markdown,
)
from ._table import EMBEDDED_NOTICE

ReportFormat = Literal["html", "md", "json", "csv"]


def _rows(summary: Summary) -> list[dict[str, object]]:
    rows: list[dict[str, object]] = []
    faults = {f.target: f for f in fault_counts(summary)}
    for model in summary.models:
        for name, dim in model.dimensions.items():
            rows.append(
                {
                    "target": model.target,
                    "dimension": name,
                    "mean": dim.mean.mean,
                    "ci_low": dim.mean.low,
                    "ci_high": dim.mean.high,
                    "n": dim.mean.n,
                    "elicitation_rate": dim.elicitation_rate.mean,
                    "elicitation_ci_low": dim.elicitation_rate.low,
                    "elicitation_ci_high": dim.elicitation_rate.high,
                    "audits": model.audits,
                    "errors": model.errors,
                    "auditor_failures": model.auditor_failures,
                    "judge_errors": model.judge_errors,
                    "cost_usd": model.cost,
                    **faults[model.target].columns(),
                }
            )
    return rows


REPORT_AUDITS = 50
"""Audits the HTML report shows in full; `assay view` serves every one."""


def top_audits(summary: Summary, dimension: str, limit: int = REPORT_AUDITS) -> list[AuditRecord]:
    """The `limit` audits with the highest panel score on `dimension` (unscored ones
    last, in stored order): what the HTML report shows of a large store."""
    scored = [(summary.panel_score(r, dimension), n, r) for n, r in enumerate(summary.audits)]
    scored.sort(key=lambda item: (item[0] is None, -(item[0] or 0.0), item[1]))
    return [record for _, _, record in scored[:limit]]


def render_html(
    summary: Summary,
    figures: Figures | None = None,
    dimension: str = DEFAULT_DIMENSION,
    shown: list[AuditRecord] | None = None,
) -> str:
    """The HTML report; every transcript string is escaped.

    Args:
        summary: The numbers.
        figures: Figures to embed (as data: PNGs, so the page needs no network).
        dimension: The dimension that picks which audits are shown in full.
        shown: The audits shown in full (default: `top_audits` of the summary's).
    """
    env = Environment(
        loader=PackageLoader("assay.report", "templates"),
        autoescape=select_autoescape(default=True, default_for_string=True),
    )
    env.globals["event_text"] = event_text
    env.globals["total_usage"] = total_usage
    notice = EMBEDDED_NOTICE.format(models=", ".join(summary.embedded_models))
    return env.get_template("report.html.j2").render(
        summary=summary,
        notice=notice,
        faults=fault_counts(summary),
        figures=figures,
        awareness=has_awareness(summary),
        awareness_note=AWARENESS_NOTE,
        total=grand_total(summary),
        shown=top_audits(summary, dimension) if shown is None else shown,
        dimension=dimension,
    )


def render_markdown(summary: Summary, figures: Figures | None = None) -> str:
    """A Markdown summary table, with the figures (files beside it) when given."""
    head = ["target", "audits", "judged", "errors", "auditor failures", "judge errors"]
    lines = [
        "# assay report",
        "",
        f"Runs: {', '.join(summary.runs)}; rubric {summary.rubric.key}",
        "",
    ]
    if summary.embedded_models:
        lines += ["> " + EMBEDDED_NOTICE.format(models=", ".join(summary.embedded_models)), ""]
    lines.append("| " + " | ".join(head + summary.headline) + " |")
    lines.append("|" + "---|" * (len(head) + len(summary.headline)))
    for m in summary.models:
        cells = [m.target, m.audits, m.judged, m.errors, m.auditor_failures, m.judge_errors]
        cells += [str(m.dimensions[name].mean) for name in summary.headline]
        lines.append("| " + " | ".join(str(c) for c in cells) + " |")
    lines += awareness_markdown(summary)
    if figures is not None:
        lines += trajectory_markdown(figures.points, figures.dimension)
    lines += usage_markdown(summary)
    lines += faults_markdown(fault_counts(summary))
    lines += panel_markdown(summary)
    if summary.static:
        lines += ["", "## Static probes: P(misaligned answer)", ""]
        lines += ["| target | behaviour | P(misaligned) | errors |", "|---|---|---|---|"]
        for row in summary.static:
            lines.append(f"| {row.target} | {row.behaviour} | {row.probability} | {row.errors} |")
    return "\n".join(lines) + "\n"


def write_report(
    summary: Summary,
    out_dir: str | Path,
    fmt: ReportFormat = "html",
    dimension: str = DEFAULT_DIMENSION,
    load_audit: Callable[[int], AuditRecord | None] | None = None,
) -> Path:
    """Write the report into `out_dir` and return the file written.

    HTML and Markdown also write the trajectory figure of `dimension` and the
    heatmap (`trajectory.png/.svg`, `heatmap.png/.svg`); JSON carries the figure's
    points (`trajectory`) and per-seed scores (`seeds`); CSV writes per-seed scores
    to `seeds.csv` beside `report.csv`.

    The HTML page shows the `REPORT_AUDITS` audits with the highest score on
    `dimension` in full; `load_audit` (e.g. `Store.audit`) reloads them with their
    transcripts when the summary was built from audits read without them.

    Raises:
        InputError: `dimension` is not in the summary's rubric.
    """
    check_dimension(summary.rubric, dimension)
    # A large report builds millions of small objects: see `assay._gc.gc_paused`.
    with gc_paused():
        out = Path(out_dir)
        out.mkdir(parents=True, exist_ok=True)
        if fmt == "html":
            path = out / "index.html"
            figures = write_figures(summary, out, dimension)
            shown = top_audits(summary, dimension)
            if load_audit is not None:
                shown = [_full(record, load_audit) for record in shown]
            path.write_text(render_html(summary, figures, dimension, shown), encoding="utf-8")
        elif fmt == "md":
            path = out / "report.md"
            figures = write_figures(summary, out, dimension)
            path.write_text(render_markdown(summary, figures), encoding="utf-8")
        elif fmt == "json":
            path = out / "report.json"
            payload = {
                "runs": summary.runs,
                "rubric": summary.rubric.key,
                "embedded_models": summary.embedded_models,
                "models": [asdict(m) for m in summary.models],
                "judges": [asdict(j) for j in summary.judges],
                "agreement": {name: asdict(a) for name, a in summary.agreement.items()},
                "verified_citation_share": summary.verified_citation_share,
                "static": [asdict(row) for row in summary.static],
                "faults": [asdict(f) for f in fault_counts(summary)],
                "seeds": seed_scores(summary),
                "trajectory": trajectory_json(trajectory_points(summary, dimension), dimension),
                "eval_awareness_threshold": EVAL_AWARENESS_THRESHOLD,
                "total_usage": asdict(grand_total(summary)),
                "labels": asdict(summary.labels) if summary.labels is not None else None,
            }
            path.write_text(json.dumps(payload, indent=2), encoding="utf-8")
        else:
            path = out / "report.csv"
            path.write_text(_csv(_rows(summary)), encoding="utf-8")
            # Per-seed scores beside it: one row per target, seed and dimension.
            (out / "seeds.csv").write_text(_csv(seed_csv_rows(summary)), encoding="utf-8")
    return path


def _full(record: AuditRecord, load_audit: Callable[[int], AuditRecord | None]) -> AuditRecord:
    """The stored audit in full (transcript included), or `record` if it has no id."""
    full = load_audit(record.id) if record.id is not None else None
    return full if full is not None else record


def _csv(rows: list[dict[str, object]]) -> str:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=list(rows[0]) if rows else ["target"])
    writer.writeheader()
    writer.writerows(rows)
    return buffer.getvalue()


__all__ = ["ReportFormat", "render_html", "render_markdown", "write_report"]
