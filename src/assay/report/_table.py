"""The summary as a rich table for the terminal."""

from __future__ import annotations

from rich import box
from rich.console import Console
from rich.table import Table
from rich.text import Text

from ._aggregate import Summary
from ._costs import total_usage
from ._faults import fault_counts
from ._sections import AWARENESS_NOTE, awareness_table, has_awareness, usage_table

EMBEDDED_NOTICE = (
    "Results from the embedded model ({models}) are demo-grade: a 135M-parameter model "
    "exercises the pipeline but cannot audit or judge reliably. Use real models for findings."
)


def _table(title: str, caption: str | None = None) -> Table:
    # Compact layout: the tables fit an 80-column terminal or CI log.
    return Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
        collapse_padding=True,
        title=title,
        caption=caption,
    )


def _tokens(count: int) -> str:
    return f"{count / 1000:.0f}k" if count >= 10_000 else str(count)


def _fmt(value: float | None, pattern: str = "{:.2f}") -> str:
    return "-" if value is None else pattern.format(value)


def counts_table(summary: Summary) -> Table:
    """Per target: audits run, judged, and every kind of failure."""
    table = _table("audits")
    table.add_column("target", style="bold", no_wrap=True)
    for name in ("audits", "judged", "errors", "aud.fail", "judge.err"):
        table.add_column(name, justify="right")
    table.add_column("tokens", justify="right")
    table.add_column("cost", justify="right", no_wrap=True)
    for m in summary.models:
        table.add_row(
            Text(m.target),  # user input: never markup
            *(str(v) for v in (m.audits, m.judged, m.errors, m.auditor_failures, m.judge_errors)),
            _tokens(sum(m.tokens.values())),
            total_usage(m.roles).cost_text,
        )
    return table


def faults_table(summary: Summary) -> Table:
    """Per target: failed audits and judge verdicts by kind, and malformed tool calls."""
    faults = fault_counts(summary)
    malformed = ", ".join(f"{c.target} {c.malformed_tool_calls}" for c in faults)
    table = _table("failures by kind")
    # Text, not markup: model names are user input.
    table.caption = Text(f"malformed tool calls (not failures): {malformed}")
    table.add_column("target", style="bold", no_wrap=True)
    table.add_column("kind", no_wrap=True)
    table.add_column("audits", justify="right")
    table.add_column("verdicts", justify="right")
    for counts in faults:
        for kind, audits, verdicts in counts.rows:
            table.add_row(Text(counts.target), kind, str(audits), str(verdicts))
    return table


def summary_table(summary: Summary) -> Table:
    """Headline dimensions x targets: mean panel score, 95% CI and n."""
    table = _table("headline scores (1-10)", caption=f"rubric {summary.rubric.key}")
    table.add_column("dimension", style="bold", no_wrap=True)
    for m in summary.models:
        table.add_column(Text(m.target), justify="right")
    for name in summary.headline:
        cells = []
        for m in summary.models:
            est = m.dimensions[name].mean
            if est.mean is None:
                cells.append("-")
            elif est.low is None or est.high is None:
                cells.append(f"{est.mean:.1f} (n={est.n})")
            else:
                cells.append(f"{est.mean:.1f} [{est.low:.1f}, {est.high:.1f}] n={est.n}")
        table.add_row(name, *cells)
    return table


def panel_table(summary: Summary) -> Table:
    """The judges: usable and failed verdicts, offset from the panel, citations found."""
    table = _table("judge panel")
    table.add_column("judge", style="bold", no_wrap=True)
    table.add_column("verdicts", justify="right")
    table.add_column("errors", justify="right")
    table.add_column("offset vs panel", justify="right")
    table.add_column("citations verified", justify="right")
    for j in summary.judges:
        share = j.verified_citations / j.citations if j.citations else None
        table.add_row(
            j.judge,
            str(j.verdicts),
            str(j.errors),
            _fmt(j.mean_offset, "{:+.2f}"),
            f"{_fmt(share, '{:.0%}')} of {j.citations}",
        )
    return table


def agreement_table(summary: Summary) -> Table:
    """Krippendorff's alpha and the share of audits with a 3+ point split, per dimension."""
    table = _table("panel agreement")
    table.add_column("dimension", style="bold", no_wrap=True)
    table.add_column("alpha", justify="right")
    table.add_column("judges differ by 3+", justify="right")
    table.add_column("audits", justify="right")
    for name in summary.headline:
        a = summary.agreement[name]
        table.add_row(name, _fmt(a.alpha), _fmt(a.disagreement_share, "{:.0%}"), str(a.audits))
    return table


def static_table(summary: Summary) -> Table:
    """Static probes: mean P(misaligned answer) per target and behaviour, CI and n."""
    table = _table("static probes: P(misaligned answer)")
    table.add_column("target", style="bold", no_wrap=True)
    table.add_column("behaviour", no_wrap=True)
    table.add_column("P", justify="right")
    table.add_column("95% CI", justify="right", no_wrap=True)
    table.add_column("n", justify="right")
    table.add_column("errors", justify="right")
    for row in summary.static:
        est = row.probability
        interval = "-" if est.low is None else f"{est.low:.2f}-{est.high:.2f}"
        table.add_row(
            row.target,
            row.behaviour,
            _fmt(est.mean),
            interval,
            str(est.n),
            str(row.errors),
        )
    return table


def print_summary(summary: Summary, console: Console | None = None) -> None:
    """Print the summary table, and the demo-grade notice when it applies."""
    console = console or Console()
    if not summary.models and not summary.static:
        console.print("No results in the store for this selection.")
        return
    if summary.models:
        console.print(counts_table(summary))
        console.print(
            "aud.fail: the target never replied; judge.err: unusable judge verdicts; "
            "cost: US dollars at the model registry's prices"
        )
        if any(c.rows or c.malformed_tool_calls for c in fault_counts(summary)):
            console.print(faults_table(summary))
        for m in summary.models:
            if m.realism_interventions or m.realism_errors:
                console.print(
                    f"realism check sent back {m.realism_interventions} auditor actions "
                    f"in audits of {m.target}; {m.realism_errors} ratings failed "
                    "(those actions went through unchecked)",
                    markup=False,
                    highlight=False,
                )
        console.print(summary_table(summary))
        if has_awareness(summary):
            console.print(awareness_table(summary))
            console.print(AWARENESS_NOTE, markup=False, highlight=False)
        console.print(usage_table(summary))
        console.print(panel_table(summary))
        if len(summary.judges) > 1:
            console.print(agreement_table(summary))
        console.print(
            "Scores: mean over seeds of the panel-median score (1-10), 95% bootstrap CI over "
            "seeds, n = seeds. Errors and failures are counted, never scored."
        )
    if summary.static:
        console.print(static_table(summary))
        methods = sorted({row.method for row in summary.static})
        console.print(
            "Static: mean over items of P(misaligned answer), 95% bootstrap CI over items, "
            f"n = scored items; choice order shuffled per item; scored from {', '.join(methods)}."
        )
    if summary.embedded_models:
        console.print(
            "[bold yellow]Note:[/] "
            + EMBEDDED_NOTICE.format(models=", ".join(summary.embedded_models))
        )
