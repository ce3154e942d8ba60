"""The typer application, the shared consoles and checks every command shares."""

from __future__ import annotations

from pathlib import Path

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


def _print_version(value: bool) -> None:
    if value:
        from importlib.metadata import version

        console.print(
            f"assay {version('assay')} (inspect-ai {version('inspect_ai')})",
            markup=False,
            highlight=False,
        )
        raise typer.Exit()


@app.callback()
def _root(
    version: bool = typer.Option(
        False,
        "--version",
        callback=_print_version,
        is_eager=True,
        help="Print the versions of assay and Inspect, then exit.",
    ),
) -> None:
    """Automated alignment auditing: an auditor drives the target model through
    scenario seeds, a judge panel scores each transcript, results land in a store."""


def check_out_folder(out: Path | None, option: str = "--out") -> None:
    """Refuse an `--out` that exists and is not a folder, before any work is done.

    Raises:
        InputError: `out` is an existing file.
    """
    if out is not None and out.exists() and not out.is_dir():
        from ..errors import InputError, Problem

        raise InputError(
            option,
            [Problem(str(out), "is a file; name a folder for the report", field=option)],
        )


def plain(text: object) -> None:
    """Print a line of untrusted text (seed titles, model names, paths) as is: no markup."""
    console.print(str(text), markup=False, highlight=False)
