"""The typer application and the shared consoles."""

from __future__ import annotations

import typer
from rich.console import Console

app = typer.Typer(
    name="assay",
    help=(
        "Automated alignment auditing: an auditor drives the target model through "
        "scenario seeds, a judge panel scores each transcript, results land in a store."
    ),
    no_args_is_help=True,
    pretty_exceptions_enable=False,
    add_completion=False,
)
console = Console()
err_console = Console(stderr=True)

DB_HELP = "Store: a SQLAlchemy URL or a SQLite file path."
