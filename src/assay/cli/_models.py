"""`assay models list`: the model registry (lab, release date, open weights, price)."""

from __future__ import annotations

from pathlib import Path

import typer
from rich import box
from rich.table import Table
from rich.text import Text

from ._app import app, console, plain

MODELS_HELP = (
    "Your own model registry file (repeatable); its entries extend the shipped registry "
    "and replace shipped entries with the same id. Also read: ASSAY_MODELS=a.yaml:b.yaml."
)

models_app = typer.Typer(
    help="The model registry: labs, release dates and prices of known models.",
    no_args_is_help=True,
)
app.add_typer(models_app, name="models")


@models_app.command("list")
def list_models(
    lab: str | None = typer.Option(None, "--lab", "-l", help="Only this lab's models."),
    models: list[Path] = typer.Option([], "--models", help=MODELS_HELP),
) -> None:
    """Show the registry by release date: id, name, lab, release date, open weights, price."""
    from ..errors import InputError, Problem
    from ..models import load_registry

    registry = load_registry(models)
    chosen = registry.select(lab)
    if lab is not None and not chosen:
        raise InputError(
            "--lab",
            [
                Problem(
                    lab, "no model of this lab; labs: " + ", ".join(registry.labs()), field="--lab"
                )
            ],
        )
    table = Table(box=box.SIMPLE, title=f"{len(chosen)} model{'' if len(chosen) == 1 else 's'}")
    for name in ("id", "name", "lab", "released", "open", "$/M in", "$/M out"):
        table.add_column(name, no_wrap=name in ("id", "released"))
    for info in chosen:
        # Registry files are user input: every cell is Text, never markup.
        table.add_row(
            Text(info.id),
            Text(info.name),
            Text(info.lab),
            info.released.isoformat() if info.released else "no release date",
            "yes" if info.open_weights else "no",
            f"{info.price.input:g}" if info.price else "no price",
            f"{info.price.output:g}" if info.price else "no price",
        )
    console.print(table)
    plain(f"sources: {', '.join(registry.sources)}")
