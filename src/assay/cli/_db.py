"""`assay db upgrade|copy|info`: store maintenance."""

from __future__ import annotations

import typer
from rich.table import Table
from rich.text import Text

from ._app import DB_HELP, app, console, plain

db_app = typer.Typer(
    help="Store maintenance: upgrade the schema, copy results between stores, show counts.",
    no_args_is_help=True,
)
app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade(
    db: str = typer.Option("assay.db", envvar="ASSAY_DB", help=DB_HELP),
) -> None:
    """Apply the store's pending schema migrations and say which ones ran.

    Every command upgrades a store it opens; this does it on purpose (e.g. before
    many workers open a shared PostgreSQL store at once).
    """
    from ..store import Store, revisions

    store = Store.open(db)
    head = revisions()[-1]
    if store.applied:
        plain(f"{store.safe_url}: applied {', '.join(store.applied)}; now at {head}")
    else:
        plain(f"{store.safe_url}: already at {head}; nothing to apply")


@db_app.command("copy")
def copy(
    source: str = typer.Option(..., "--from", help="The store to copy from (URL or file)."),
    dest: str = typer.Option(..., "--to", help="The store to copy into (created if needed)."),
    run: list[str] = typer.Option([], "--run", help="Only this run (repeatable)."),
) -> None:
    """Copy runs, audits, verdicts and static results into another store.

    Rows are matched by run id and by (seed, epoch, target) etc., never by row id:
    nothing is duplicated, and copying again changes nothing.
    """
    from ..errors import InputError, Problem
    from ..store import Store, copy_runs

    src = Store.open(source, create=False)
    dst = Store.open(dest)
    if run:
        known = {info.id for info in src.runs()}
        missing = [r for r in run if r not in known]
        if missing:
            raise InputError(
                "--run",
                [Problem(r, f"no such run in {src.safe_url}", field="--run") for r in missing],
            )
    summary = copy_runs(src, dst, run or None)
    verb = "copied" if summary.changed else "nothing new to copy"
    plain(f"{src.safe_url} -> {dst.safe_url}: {verb}")
    for line in summary.lines():
        plain("  " + line)


def _by_status(counts: dict[str, int]) -> Text:
    if not counts:
        return Text("-", style="dim")
    return Text(", ".join(f"{n} {status}" for status, n in sorted(counts.items())))


@db_app.command("info")
def info(
    db: str = typer.Option("assay.db", envvar="ASSAY_DB", help=DB_HELP),
) -> None:
    """Show the store's schema revision and, per run, its results by status."""
    from ..store import Store, store_info

    store = Store.open(db, create=False)
    about = store_info(store)
    n = len(about.runs)
    plain(f"{store.safe_url}: schema {about.revision}, {n} run{'' if n == 1 else 's'}")
    if n == 0:
        return
    table = Table(show_edge=False, pad_edge=False)
    table.add_column("run", no_wrap=True)
    table.add_column("status")
    table.add_column("audits")
    table.add_column("verdicts")
    table.add_column("static")
    for counts in about.runs:
        # Run ids and statuses come from the store: Text, never markup.
        table.add_row(
            Text(counts.run_id),
            Text(counts.status),
            _by_status(counts.audits),
            _by_status(counts.verdicts),
            _by_status(counts.static),
        )
    console.print(table, highlight=False)
