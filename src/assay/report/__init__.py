"""Reports: aggregates, the terminal table, and HTML/Markdown/JSON/CSV files."""

from ._aggregate import (
    ELICITATION_THRESHOLD,
    DimensionSummary,
    ModelSummary,
    Summary,
    panel_score,
    summarise,
)
from ._table import EMBEDDED_NOTICE, counts_table, print_summary, summary_table
from ._write import ReportFormat, render_html, render_markdown, write_report

__all__ = [
    "ELICITATION_THRESHOLD",
    "EMBEDDED_NOTICE",
    "DimensionSummary",
    "ModelSummary",
    "ReportFormat",
    "Summary",
    "counts_table",
    "panel_score",
    "print_summary",
    "render_html",
    "render_markdown",
    "summarise",
    "summary_table",
    "write_report",
]
