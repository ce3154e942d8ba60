"""Report detail beyond the summary table: per-seed scores, the panel in Markdown."""

from __future__ import annotations

from collections import defaultdict
from statistics import fmean

from ..schema import AuditRecord
from ._aggregate import Summary
from ._labels import labels_markdown


def seed_scores(summary: Summary) -> list[dict[str, object]]:
    """One row per target and seed: its audits, how many were judged, and per
    dimension the panel score (median over judges) averaged over the judged epochs.

    A dimension is None where no epoch of the seed was judged.
    """
    groups: dict[tuple[str, str], list[AuditRecord]] = defaultdict(list)
    for record in summary.audits:
        groups[(record.target, record.seed_id)].append(record)
    key = summary.rubric.key
    rows: list[dict[str, object]] = []
    for (target, seed), records in sorted(groups.items()):
        judged = [r for r in records if r.status == "ok"]
        scores: dict[str, float | None] = {}
        for name in summary.rubric.names:
            values = [s for r in judged if (s := summary.panel_score(r, name)) is not None]
            scores[name] = fmean(values) if values else None
        rows.append(
            {
                "target": target,
                "seed": seed,
                "audits": len(records),
                "judged": sum(
                    any(v.status == "ok" and v.rubric == key for v in r.verdicts) for r in judged
                ),
                "errors": sum(r.status == "error" for r in records),
                "auditor_failures": sum(r.status == "auditor_failure" for r in records),
                "scores": scores,
            }
        )
    return rows


def seed_csv_rows(summary: Summary) -> list[dict[str, object]]:
    """`seed_scores` flattened for CSV: one row per target, seed and dimension."""
    rows: list[dict[str, object]] = []
    for row in seed_scores(summary):
        scores = row["scores"]
        assert isinstance(scores, dict)
        for name, score in scores.items():
            base = {k: v for k, v in row.items() if k != "scores"}
            rows.append({**base, "dimension": name, "score": score})
    return rows


def _cell(value: object) -> str:
    # Model names are user input: a `|` would split the Markdown cell.
    return str(value).replace("|", "\\|")


def _fmt(value: float | None, spec: str) -> str:
    return "-" if value is None else spec.format(value)


def panel_markdown(summary: Summary) -> list[str]:
    """The judge panel, (with two or more judges) agreement, and (with `--labels`)
    judge-label agreement tables, as in the HTML."""
    if not summary.judges:
        return []
    lines = ["", "## Judge panel", ""]
    lines += [
        "| judge | verdicts | errors | offset vs panel | citations verified |",
        "|---|---|---|---|---|",
    ]
    for j in summary.judges:
        cells = [j.judge, j.verdicts, j.errors, _fmt(j.mean_offset, "{:+.2f}")]
        cells.append(f"{j.verified_citations} / {j.citations}")
        lines.append("| " + " | ".join(_cell(c) for c in cells) + " |")
    if len(summary.judges) > 1:
        lines += ["", "## Panel agreement", ""]
        lines += [
            "Krippendorff's alpha (interval) across the panel, and the share of audits "
            "where judges differ by 3 points or more.",
            "",
            "| dimension | alpha | judges differ by 3+ | audits |",
            "|---|---|---|---|",
        ]
        for name, a in summary.agreement.items():
            share = _fmt(
                None if a.disagreement_share is None else 100 * a.disagreement_share, "{:.0f}%"
            )
            lines.append(f"| {name} | {_fmt(a.alpha, '{:.2f}')} | {share} | {a.audits} |")
    return lines + labels_markdown(summary.labels)
