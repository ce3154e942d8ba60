"""The `assay` command: one small module per command, each a thin layer over the API."""

from __future__ import annotations

import sys

import typer
from rich.text import Text

from .._redact import redact
from ..errors import InputError, RunFailed
from ._app import app, console, err_console
from ._audit import audit
from ._calibrate import calibrate
from ._compare import compare
from ._db import db_app
from ._demo import demo
from ._import_logs import import_logs
from ._judge import judge
from ._models import models_app
from ._report import report
from ._runs import runs
from ._seeds import seeds_app
from ._static import static
from ._view import view

__all__ = [
    "app",
    "audit",
    "calibrate",
    "compare",
    "db_app",
    "demo",
    "import_logs",
    "judge",
    "main",
    "models_app",
    "report",
    "runs",
    "seeds_app",
    "static",
    "view",
]


def main() -> None:
    """Entry point of the `assay` console script.

    Bad input exits 2 with one clear message; a failed run exits 1.
    """
    try:
        app(standalone_mode=True)
    except InputError as exc:
        _print_error("error:", str(exc))
        sys.exit(2)
    except RunFailed as exc:
        _print_error("run failed:", str(exc))
        sys.exit(1)
    except KeyboardInterrupt:
        err_console.print("interrupted; finished audits are kept in the store")
        sys.exit(130)


def _print_error(label: str, message: str) -> None:
    # Messages quote user input, file contents and provider errors: print them as
    # plain text (never rich markup), with secrets masked.
    line = Text(label + " ", style="bold red")
    line.append(redact(message))
    err_console.print(line, highlight=False)


_ = (typer, console)
