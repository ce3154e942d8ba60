"""The `assay` command: one small module per command, each a thin layer over the API."""

from __future__ import annotations

import sys

import typer

from ..errors import InputError, RunFailed
from ._app import app, console, err_console
from ._audit import audit
from ._demo import demo
from ._judge import judge
from ._report import report
from ._seeds import seeds_app
from ._static import static

__all__ = ["app", "audit", "demo", "judge", "main", "report", "seeds_app", "static"]


def main() -> None:
    """Entry point of the `assay` console script.

    Bad input exits 2 with one clear message; a failed run exits 1.
    """
    try:
        app(standalone_mode=True)
    except InputError as exc:
        err_console.print(f"[bold red]error:[/] {exc}", markup=True, highlight=False)
        sys.exit(2)
    except RunFailed as exc:
        err_console.print(f"[bold red]run failed:[/] {exc}", highlight=False)
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted; finished audits are kept in the store")
        sys.exit(130)


_ = (typer, console)
