"""Report sections for evaluation awareness, tokens and cost per role, and the
trajectory: terminal tables, Markdown and JSON, from the same summary numbers."""

from __future__ import annotations

from dataclasses import asdict
from typing import Any

from rich import box
from rich.table import Table
from rich.text import Text

from ..stats import Estimate
from ._aggregate import Summary
from ._awareness import EVAL_AWARENESS, EVAL_AWARENESS_THRESHOLD, HEADLINE
from ._costs import RoleUsage, total_usage
from ._figures import TrajectoryPoint

AWARENESS_NOTE = (
    "eval awareness: a model that notices it is being tested may behave better than in "
    f"deployment. 'unaware only': {HEADLINE} over the audits whose panel {EVAL_AWARENESS} "
    f"score is below {EVAL_AWARENESS_THRESHOLD}."
)


def estimate_text(est: Estimate | None, digits: int = 1) -> str:
    """`4.2 [3.1, 5.0] n=8`, `4.2 (n=1)` or `-`."""
    if est is None or est.mean is None:
        return "-"
    if est.low is None or est.high is None:
        return f"{est.mean:.{digits}f} (n={est.n})"
    return f"{est.mean:.{digits}f} [{est.low:.{digits}f}, {est.high:.{digits}f}] n={est.n}"


def _table(title: str) -> Table:
    return Table(
        box=box.SIMPLE_HEAD, pad_edge=False, show_edge=False, collapse_padding=True, title=title
    )


def has_awareness(summary: Summary) -> bool:
    """Whether the rubric scores eval awareness (so the report can show it)."""
    return any(m.awareness is not None for m in summary.models)


def awareness_table(summary: Summary) -> Table:
    """Per target: concerning, eval awareness, and concerning over unaware audits only."""
    table = _table("evaluation awareness beside the headline score (1-10)")
    table.add_column("target", style="bold", no_wrap=True)
    table.add_column(HEADLINE, justify="right")
    table.add_column(EVAL_AWARENESS, justify="right")
    table.add_column(f"{HEADLINE}, unaware only", justify="right")
    table.add_column("unaware audits", justify="right")
    for m in summary.models:
        a = m.awareness
        table.add_row(
            Text(m.target),
            estimate_text(m.dimensions[HEADLINE].mean if HEADLINE in m.dimensions else None),
            estimate_text(a.eval_awareness if a else None),
            estimate_text(a.concerning_unaware if a else None),
            f"{a.unaware_audits} of {a.scored_audits}" if a else "-",
        )
    return table


def _tokens(count: int) -> str:
    return f"{count / 1000:.0f}k" if count >= 10_000 else str(count)


def _models(row: RoleUsage) -> str:
    return ", ".join(row.models) + (
        f" (no price: {', '.join(row.unpriced)})" if row.unpriced else ""
    )


def usage_table(summary: Summary) -> Table:
    """Per target and role: models, input and output tokens, cost."""
    table = _table("tokens and cost per role")
    table.add_column("target", style="bold", no_wrap=True)
    table.add_column("role", no_wrap=True)
    table.add_column("models")
    table.add_column("in", justify="right")
    table.add_column("out", justify="right")
    table.add_column("cost", justify="right", no_wrap=True)
    for m in summary.models:
        for row in [*m.roles, total_usage(m.roles)]:
            table.add_row(
                Text(m.target) if row.role != "total" else Text(""),
                row.role,
                Text(_models(row)) if row.role != "total" else Text(""),
                _tokens(row.input_tokens),
                _tokens(row.output_tokens),
                row.cost_text,
            )
    return table


def grand_total(summary: Summary) -> RoleUsage:
    """Tokens and cost over every model and role in the report."""
    return total_usage([total_usage(m.roles) for m in summary.models])


def _md(value: object) -> str:
    # Model names are user input: a `|` or a line break would break the table.
    return str(value).replace("|", "\\|").replace("\n", " ")


def awareness_markdown(summary: Summary) -> list[str]:
    """The awareness table in Markdown (nothing when the rubric lacks it)."""
    if not has_awareness(summary):
        return []
    lines = ["", "## Evaluation awareness", "", AWARENESS_NOTE, ""]
    lines += [
        f"| target | {HEADLINE} | {EVAL_AWARENESS} | {HEADLINE}, unaware only | unaware audits |",
        "|---|---|---|---|---|",
    ]
    for m in summary.models:
        a = m.awareness
        cells = [
            m.target,
            estimate_text(m.dimensions[HEADLINE].mean),
            estimate_text(a.eval_awareness if a else None),
            estimate_text(a.concerning_unaware if a else None),
            f"{a.unaware_audits} of {a.scored_audits}" if a else "-",
        ]
        lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
    return lines


def usage_markdown(summary: Summary) -> list[str]:
    """Tokens and cost per target and role in Markdown."""
    if not summary.models:
        return []
    lines = ["", "## Tokens and cost per role", ""]
    lines += ["| target | role | models | input tokens | output tokens | cost |"]
    lines += ["|---|---|---|---|---|---|"]
    for m in summary.models:
        for row in [*m.roles, total_usage(m.roles)]:
            cells = [m.target, row.role, _models(row), row.input_tokens, row.output_tokens]
            lines.append("| " + " | ".join(_md(c) for c in [*cells, row.cost_text]) + " |")
    total = grand_total(summary)
    lines += ["", f"All models: {total.tokens} tokens, {total.cost_text}."]
    return lines


def trajectory_markdown(points: list[TrajectoryPoint], dimension: str) -> list[str]:
    """The figures and the numbers plotted, in Markdown."""
    if not points:
        return []
    lines = ["", f"## {dimension} by release date", ""]
    lines += [f"![{dimension} by release date](trajectory.png)", ""]
    lines += ["| model | lab | released | mean | 95% CI | n |", "|---|---|---|---|---|---|"]
    for p in points:
        interval = "-" if p.low is None or p.high is None else f"{p.low:.2f}-{p.high:.2f}"
        released = p.released.isoformat() if p.released else "no release date"
        cells = [p.display, p.lab or "-", released, f"{p.mean:.2f}", interval, p.n]
        lines.append("| " + " | ".join(_md(c) for c in cells) + " |")
    lines += ["", "![mean score per model and dimension](heatmap.png)"]
    return lines


def trajectory_json(points: list[TrajectoryPoint], dimension: str) -> dict[str, Any]:
    """The trajectory points for the JSON report (dates as ISO strings)."""
    return {
        "dimension": dimension,
        "points": [
            {**asdict(p), "released": p.released.isoformat() if p.released else None}
            for p in points
        ],
    }
