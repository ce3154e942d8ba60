"""`assay import-logs`: store the audits recorded in Inspect eval logs."""

from __future__ import annotations

from pathlib import Path

import typer

from ._app import DB_HELP, app, console


@app.command("import-logs")
def import_logs(
    logs: list[Path] = typer.Argument(..., help="Eval log files or folders (recursive)."),
    db: str = typer.Option("assay.db", envvar="ASSAY_DB", help=DB_HELP),
) -> None:
    """Store the audits of `assay/audit` eval logs (e.g. from `inspect eval assay/audit`).

    Importing again is safe: an audit already stored is replaced, never duplicated.
    Logs of other Inspect tasks are skipped.
    """
    from .. import Store
    from .. import import_logs as import_eval_logs
    from ..errors import InputError, Problem
    from ..recording import log_files

    files = log_files(logs)  # checks every source before the store is opened
    if not files:
        raise InputError("eval logs", [Problem(", ".join(map(str, logs)), "holds no eval logs")])
    store = Store.open(db)
    summary = import_eval_logs(store, files)
    if not summary.logs:
        raise InputError(
            "eval logs",
            [Problem(", ".join(map(str, logs)), "holds no assay/audit logs", field="LOGS")],
        )
    console.print(
        f"imported {summary.written} audits from {summary.logs} logs into {store.safe_url} "
        f"(runs: {', '.join(summary.runs)})",
        markup=False,
        highlight=False,
    )
