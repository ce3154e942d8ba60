"""`assay runs`: the runs in a store, newest last."""

from __future__ import annotations

import typer
from rich.text import Text

from ._app import DB_HELP, app, console, plain

_STYLE = {"ok": "green", "error": "red", "interrupted": "yellow", "running": "cyan"}


@app.command()
def runs(
    db: str = typer.Option("assay.db", envvar="ASSAY_DB", help=DB_HELP),
) -> None:
    """List the runs in a store: id, start time, kind, status, results by status, models.

    Use a run id with `assay report --run`, `assay judge --run` or `assay audit --resume`.
    """
    from .. import Store
    from ._selection import is_static

    store = Store.open(db, create=False)
    known = store.runs()
    if not known:
        plain(f"{store.safe_url} holds no runs yet; `assay audit` or `assay static` adds one")
        return
    counts = store.run_counts()
    # Two lines a run, to fit 80 columns; the store path, model names and errors are
    # user input: Text, never markup.
    plain(f"{len(known)} run{'' if len(known) == 1 else 's'} in {store.safe_url}, oldest first:")
    for info in known:
        static = is_static(info)
        by_status = counts.get(info.id, {})
        noun = "probes" if static else "audits"
        results = ", ".join(f"{n} {status}" for status, n in sorted(by_status.items()))
        line = Text()
        line.append(info.id, style="bold")
        line.append(f"  {info.started:%Y-%m-%d %H:%M} UTC  {'static' if static else 'audit'}  ")
        line.append(info.status, style=_STYLE.get(info.status, ""))
        line.append(f"  {noun}: {results or 'none'}")
        console.print(line, highlight=False)
        models = "target " + ", ".join(info.config.get("targets", []))
        if not static:
            models += "; judge " + ", ".join(info.config.get("judges", []))
        detail = Text("    " + models)
        if info.error:
            detail.append(f"\n    error: {info.error[:200]}")
        console.print(detail, highlight=False)
