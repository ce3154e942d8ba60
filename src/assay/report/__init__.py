"""Reports: aggregates, the terminal table, and HTML/Markdown/JSON/CSV files."""

from ._aggregate import (
    ELICITATION_THRESHOLD,
    Agreement,
    DimensionSummary,
    JudgeSummary,
    ModelSummary,
    StaticSummary,
    Summary,
    judge_scores,
    panel_score,
    summarise,
)
from ._table import (
    EMBEDDED_NOTICE,
    agreement_table,
    counts_table,
    panel_table,
    print_summary,
    static_table,
    summary_table,
)
from ._write import ReportFormat, render_html, render_markdown, write_report

__all__ = [
    "ELICITATION_THRESHOLD",
    "EMBEDDED_NOTICE",
    "Agreement",
    "DimensionSummary",
    "JudgeSummary",
    "ModelSummary",
    "ReportFormat",
    "StaticSummary",
    "Summary",
    "agreement_table",
    "counts_table",
    "judge_scores",
    "panel_score",
    "panel_table",
    "print_summary",
    "render_html",
    "render_markdown",
    "static_table",
    "summarise",
    "summary_table",
    "write_report",
]
