"""`assay view`: browse the stored audits in a web browser, served locally."""

from __future__ import annotations

import webbrowser

import typer

from ._app import DB_HELP, app, plain


@app.command()
def view(
    db: str = typer.Option("assay.db", envvar="ASSAY_DB", help=DB_HELP),
    run: list[str] = typer.Option(
        [], "--run", help="Only this run's audits (repeat for several; default: every run)."
    ),
    dimension: str = typer.Option(
        "concerning", "--dimension", help="The dimension whose panel score the list shows."
    ),
    host: str = typer.Option(
        "127.0.0.1", "--host", help="Address to listen on (the default is this machine only)."
    ),
    port: int = typer.Option(8765, "--port", help="Port to listen on (0 picks a free one)."),
    open_browser: bool = typer.Option(
        True, "--open/--no-open", help="Open the viewer in the default web browser."
    ),
) -> None:
    """Serve the transcript viewer: a list of audits to filter and sort by model, seed,
    behaviour, status and score, and each audit event by event with the judges' scores
    beside it and every cited quote highlighted. Ctrl-C stops it.

    The pages run no scripts (a Content-Security-Policy forbids them), so nothing in a
    transcript can execute; the list reads a light index, so thousands of audits are fine.
    """
    from .. import Store
    from ..report import Viewer, ViewerServer

    store = Store.open(db, create=False)
    viewer = Viewer(store, run or None, dimension)
    with ViewerServer(viewer, host, port) as server:
        count = len(store.audit_index(run or None, dimension))
        plain(f"Viewing {count} audits of {store.safe_url} at {server.url} (Ctrl-C stops)")
        if open_browser:
            webbrowser.open(server.url)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            plain("viewer stopped")
