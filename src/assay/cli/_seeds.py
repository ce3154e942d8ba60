"""`assay seeds list|validate`: browse and check seed files."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer
from rich.table import Table

from ._app import app, console

seeds_app = typer.Typer(help="List and validate scenario seeds.", no_args_is_help=True)
app.add_typer(seeds_app, name="seeds")


@seeds_app.command("list")
def list_seeds(
    behaviour: str | None = typer.Option(None, "--behaviour", "-b", help="Only this behaviour."),
    path: list[Path] = typer.Option([], help="Seed files or folders (default: the library)."),
) -> None:
    """Show seeds with their behaviours, and how many seeds cover each behaviour."""
    from .. import load_library, load_rubric, load_seeds

    allowed = set(load_rubric().names)
    seeds = load_seeds(path, allowed) if path else load_library(allowed)
    if behaviour is not None:
        if behaviour not in allowed:
            from ..errors import InputError, Problem

            raise InputError(
                "--behaviour", [Problem(behaviour, "not a rubric dimension", field="--behaviour")]
            )
        seeds = [s for s in seeds if behaviour in s.behaviours]
    table = Table(title=f"{len(seeds)} seeds")
    table.add_column("id", style="bold", no_wrap=True)
    table.add_column("behaviours")
    table.add_column("scripted")
    table.add_column("title")
    for s in seeds:
        table.add_row(s.id, ", ".join(s.behaviours), "yes" if s.scripted else "no", s.title)
    console.print(table)
    counts = Counter(b for s in seeds for b in s.behaviours)
    console.print(
        "per behaviour: " + ", ".join(f"{name} {n}" for name, n in sorted(counts.items()))
    )


@seeds_app.command("validate")
def validate(
    paths: list[Path] = typer.Argument(None, help="Seed files or folders (default: the library)."),
    rubric: Path | None = typer.Option(None, help="Check behaviours against this rubric."),
) -> None:
    """Check seed files; exit 2 with every problem (file, seed, field) if any is bad."""
    from .. import load_library, load_rubric, load_seeds

    allowed = set(load_rubric(rubric).names)
    seeds = load_seeds(paths, allowed) if paths else load_library(allowed)
    scripted = sum(s.scripted for s in seeds)
    console.print(f"{len(seeds)} seeds valid ({scripted} with scripted plans)")
