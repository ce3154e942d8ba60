"""Judge-label agreement in reports (`assay report --labels FILE`): each judge's stored
verdicts on the labelled audits, against the labels, beside the panel's own agreement."""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ..errors import InputError, Problem
from ..judge import LabelledTranscript, agreement_by_dimension, load_labels
from ..schema import AuditRecord, Rubric
from ..stats import LabelAgreement, fmt_estimate
from ._aggregate import ELICITATION_THRESHOLD, Summary

if TYPE_CHECKING:
    from ..store import Store


@dataclass(frozen=True)
class JudgeLabels:
    """One panel member on the labelled audits: verdicts used, failures, agreement."""

    judge: str
    verdicts: int
    errors: int
    dimensions: dict[str, LabelAgreement] = field(default_factory=dict)


@dataclass(frozen=True)
class LabelSummary:
    """Agreement of every judge in the report with the labels of its audits."""

    source: str
    labelled: int
    """Labelled audits found among the report's audits."""
    missing: int
    """Labelled audits that are not in the report (other runs)."""
    judges: list[JudgeLabels]

    @property
    def note(self) -> str:
        """The sentence that introduces the table (see `label_note`)."""
        return label_note(self)

    @property
    def columns(self) -> tuple[str, ...]:
        """Column names of `rows`."""
        return LABEL_COLUMNS

    @property
    def rows(self) -> list[list[str]]:
        """Every judge's rows (see `label_rows`), as the HTML report shows them."""
        return [row for j in self.judges for row in label_rows(j.judge, j.dimensions)]


def label_summary(
    records: Sequence[AuditRecord],
    rubric: Rubric,
    labels: Sequence[LabelledTranscript],
    source: str,
) -> LabelSummary:
    """Compare each judge's stored verdicts (under `rubric`) with the labels.

    Only labels that name a stored audit count; failed verdicts are counted, never
    scored.

    Args:
        records: The report's audits.
        rubric: The rubric whose verdicts the report shows.
        labels: Labelled audits (e.g. from a CSV of human labels).
        source: Where the labels came from, as the report names it.
    """
    by_audit = {i.audit: i for i in labels if i.audit is not None}
    mine = [r for r in records if r.id is not None and r.id in by_audit]
    reference = {
        r.id: {n: lab.score for n, lab in by_audit[r.id].labels.items()}
        for r in mine
        if r.id is not None
    }
    members = sorted({v.panel_member for r in mine for v in r.verdicts if v.rubric == rubric.key})
    judges = []
    for member in members:
        verdicts = [
            (r.id, v)
            for r in mine
            for v in r.verdicts
            if v.rubric == rubric.key and v.panel_member == member
        ]
        judged = {
            audit: {n: float(s.score) for n, s in v.scores.items()}
            for audit, v in verdicts
            if v.status == "ok"
        }
        judges.append(
            JudgeLabels(
                judge=member,
                verdicts=len(judged),
                errors=sum(v.status == "error" for _, v in verdicts),
                dimensions=agreement_by_dimension(judged, reference, ELICITATION_THRESHOLD),
            )
        )
    return LabelSummary(
        source=source, labelled=len(mine), missing=len(by_audit) - len(mine), judges=judges
    )


def with_labels(summary: Summary, path: str | Path, store: Store) -> Summary:
    """`summary` with its judges' agreement with the labels in `path` (`report --labels`).

    Raises:
        InputError: Bad labels (see `load_labels`), or labels that name no stored audit.
    """
    labels = load_labels(path, rubric=summary.rubric, store=store)
    if not any(i.audit is not None for i in labels):
        raise InputError(
            "--labels",
            [
                Problem(
                    str(path),
                    "names no stored audit; report labels are a CSV with columns audit, "
                    "dimension, score, labeller (audit: a stored audit's id)",
                    field="--labels",
                )
            ],
        )
    found = label_summary(summary.audits, summary.rubric, labels, Path(path).name)
    return dataclasses.replace(summary, labels=found)


def print_labels(summary: LabelSummary, console: Console) -> None:
    """The judge-label agreement tables in the terminal (plain text, no markup)."""
    console.print(Text(label_note(summary)))
    for j in summary.judges:
        console.print(label_table(j.judge, j.dimensions))


def label_rows(judge: str, dimensions: dict[str, LabelAgreement]) -> list[list[str]]:
    """Table rows of one judge: judge, dimension, n, Spearman, MAE, bias, accuracy
    (each with its 95% interval); the terminal, Markdown and HTML all show these."""
    return [
        [
            judge,
            name,
            str(a.n),
            fmt_estimate(a.spearman),
            fmt_estimate(a.mae),
            "-" if a.bias is None else f"{a.bias:+.2f}",
            fmt_estimate(a.accuracy, "{:.0%}"),
        ]
        for name, a in dimensions.items()
    ]


LABEL_COLUMNS = ("judge", "dimension", "n", "spearman", "MAE", "bias", "accuracy >= 7")


def label_table(judge: str, dimensions: dict[str, LabelAgreement]) -> Table:
    """One judge's agreement with the labels as a rich table, one row per dimension;
    every cell is plain text (model names and dimensions are user input: no markup)."""
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
        collapse_padding=True,
        title=Text(f"{judge}: agreement with labels"),
    )
    for name in LABEL_COLUMNS[1:]:
        # Intervals may wrap in a narrow terminal; names and counts never do.
        table.add_column(
            name,
            justify="left" if name == "dimension" else "right",
            no_wrap=name in ("dimension", "n", "bias"),
        )
    for row in label_rows(judge, dimensions):
        table.add_row(*(Text(cell) for cell in row[1:]))
    return table


def labels_markdown(summary: LabelSummary | None) -> list[str]:
    """The Markdown section of judge-label agreement (nothing without labels)."""
    if summary is None:
        return []
    lines = ["", "## Agreement with labels", "", label_note(summary), ""]
    lines += ["| " + " | ".join(LABEL_COLUMNS) + " |", "|---" * len(LABEL_COLUMNS) + "|"]
    for row in summary.rows:
        lines.append("| " + " | ".join(cell.replace("|", "\\|") for cell in row) + " |")
    return lines


def label_note(summary: LabelSummary) -> str:
    """The sentence that introduces the agreement table (HTML and Markdown)."""
    return (
        f"Labels: {summary.source}, {summary.labelled} labelled audits in this report"
        f"{f' ({summary.missing} labelled audits not in it)' if summary.missing else ''}. "
        "Spearman rank correlation, mean absolute error and accuracy at the elicitation "
        "threshold (score >= 7), with 95% bootstrap intervals; bias is the judge's mean "
        "score minus the label."
    )
