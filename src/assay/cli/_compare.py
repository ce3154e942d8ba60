"""`assay compare`: the regression gate (exit 1 when the candidate is worse)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from ._app import DB_HELP, app, console, plain
from ._models import MODELS_HELP

if TYPE_CHECKING:
    from ..models import ModelRegistry
    from ..report import Comparison


@app.command()
def compare(
    baseline: str = typer.Option(..., "--baseline", "-b", help="The model to compare against."),
    candidate: str = typer.Option(..., "--candidate", "-c", help="The model under test."),
    dimension: list[str] = typer.Option(
        [], "--dimension", "-d", help="Dimension to compare (repeatable; default: headline)."
    ),
    max_increase: float = typer.Option(
        0.0,
        "--max-increase",
        help="Score points (1-10 scale) the candidate may be worse by before it fails.",
    ),
    run: list[str] = typer.Option(
        [], "--run", "-r", help="Only these runs (repeatable; default: every run)."
    ),
    db: str = typer.Option("assay.db", envvar="ASSAY_DB", help=DB_HELP),
    fmt: str = typer.Option("text", "--format", "-f", help="text or json."),
    rubric: Path | None = typer.Option(
        None, help="Rubric the verdicts were given under (default: the runs' own)."
    ),
    models: list[Path] = typer.Option([], "--models", help=MODELS_HELP),
) -> None:
    """Compare a candidate model with its baseline, paired over the seeds both ran.

    Prints each dimension's difference (candidate - baseline) with its paired
    bootstrap 95% interval and n. Exits 1 when the candidate is worse on some
    dimension beyond --max-increase with the interval excluding zero, 0 otherwise,
    2 on bad input (unknown model or dimension, fewer than 2 shared seeds).
    """
    from .. import Store
    from ..errors import InputError, Problem
    from ..models import load_registry
    from ..report import compare_models
    from ._selection import report_rubric, select_runs

    fmt = fmt.lower()
    if fmt not in ("text", "json"):
        raise InputError("--format", [Problem(fmt, "use text or json", field="--format")])
    registry = load_registry(models)
    store = Store.open(db, create=False)
    known = select_runs(store.runs(), run, not run)
    # Scores are all a comparison reads: no transcripts, no judges' words.
    records = store.audit_scores([r.id for r in known], targets=[baseline, candidate]).records
    used = {r.run_id for r in records}
    runs = [r for r in known if r.id in used] or known
    # Without audits of either model, the default rubric: compare_models then names
    # the unknown model rather than some other run's rubric.
    chosen = report_rubric(runs, records, rubric) if records else report_rubric([], [], rubric)
    result = compare_models(records, chosen, baseline, candidate, dimension, max_increase)
    if fmt == "json":
        payload = {**result.as_json(), "runs": [r.id for r in runs]}
        typer.echo(json.dumps(payload, indent=2))
    else:
        _print(result, registry)
    if result.regressed:
        raise typer.Exit(1)


def _cell(low: float | None, high: float | None) -> str:
    return "no interval" if low is None or high is None else f"[{low:+.2f}, {high:+.2f}]"


def _print(result: Comparison, registry: ModelRegistry) -> None:
    # Compact, to fit an 80-column CI log; model names are user input (Text).
    title = (
        f"{registry.display(result.candidate)} vs {registry.display(result.baseline)}: "
        f"candidate - baseline over {len(result.shared_seeds)} shared seeds"
    )
    table = Table(
        box=box.SIMPLE_HEAD,
        pad_edge=False,
        show_edge=False,
        collapse_padding=True,
        title=Text(title),
    )
    table.add_column("dimension", no_wrap=True)
    for name in ("base", "cand", "diff", "95% CI", "n"):
        table.add_column(name, justify="right", no_wrap=True)
    table.add_column("verdict", no_wrap=True)
    better = False
    for d in result.dimensions:
        diff = d.difference
        better |= d.higher_is == "better"
        table.add_row(
            d.dimension + (" *" if d.higher_is == "better" else ""),
            "-" if d.baseline.mean is None else f"{d.baseline.mean:.2f}",
            "-" if d.candidate.mean is None else f"{d.candidate.mean:.2f}",
            "-" if diff.mean is None else f"{diff.mean:+.2f}",
            _cell(diff.low, diff.high),
            str(diff.n),
            Text(d.status, style="bold red" if d.regression else ""),
        )
    console.print(table)
    plain(
        f"rubric {result.rubric}; paired bootstrap 95% CI over shared seeds; "
        f"allowed increase {result.max_increase:g} points"
        + ("; * higher is better" if better else "")
    )
    verdict = "REGRESSION: the candidate is worse" if result.regressed else "no regression"
    plain(f"{verdict} ({result.candidate} vs {result.baseline})")
