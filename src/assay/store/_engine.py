"""Database engines: URL forms, per-back-end connection settings, write transactions."""

from __future__ import annotations

import sqlite3
import time
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from sqlalchemy import Connection, Engine, create_engine, event
from sqlalchemy.engine import URL

CONNECT_TIMEOUT_S = 10
"""How long to wait for a PostgreSQL server before reporting it unreachable."""
WAL_SWITCH_TIMEOUT_S = 30
"""How long a new SQLite store may wait for another process switching it to WAL."""


def normalise_url(url: str) -> str:
    """The SQLAlchemy URL for what a user typed.

    A bare file path is a SQLite store; `postgresql://` and `postgres://` use the
    psycopg 3 driver (the `postgres` extra) rather than SQLAlchemy's default psycopg2.
    """
    if "://" not in url:
        return f"sqlite:///{url}"
    for prefix in ("postgresql://", "postgres://"):
        if url.startswith(prefix):
            return "postgresql+psycopg://" + url[len(prefix) :]
    return url


def make_engine(url: URL) -> Engine:
    """An engine for `url`, set up for several processes writing one store.

    Raises:
        ArgumentError: `url` names no known dialect.
        ImportError: The database driver is not installed.
    """
    if url.get_backend_name() == "sqlite":
        engine = create_engine(url)
        event.listen(engine, "connect", _sqlite_pragmas)
        return engine
    connect_args: dict[str, Any] = {}
    if url.get_backend_name() == "postgresql" and "connect_timeout" not in url.query:
        connect_args["connect_timeout"] = CONNECT_TIMEOUT_S
    # Long runs keep a store open for hours: drop connections the server closed.
    return create_engine(url, pool_pre_ping=True, connect_args=connect_args)


@contextmanager
def write_transaction(engine: Engine) -> Iterator[Connection]:
    """A transaction that writes: committed at the end, rolled back on error.

    On SQLite it takes the write lock up front (`BEGIN IMMEDIATE`), so a writer
    that has read first cannot fail later on a snapshot another process made
    stale; it waits for the lock instead (busy timeout).
    """
    with engine.begin() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN IMMEDIATE")
        yield conn


@contextmanager
def read_snapshot(engine: Engine) -> Iterator[Connection]:
    """A read-only transaction that sees one consistent state of the store, even
    while other processes write (PostgreSQL: repeatable read; SQLite: one read
    transaction in WAL mode)."""
    if engine.dialect.name == "postgresql":
        with (
            engine.connect().execution_options(isolation_level="REPEATABLE READ") as conn,
            conn.begin(),
        ):
            yield conn
        return
    with engine.connect() as conn:
        if conn.dialect.name == "sqlite":
            conn.exec_driver_sql("BEGIN")
        try:
            yield conn
        finally:
            conn.rollback()


def _sqlite_pragmas(dbapi_connection: Any, _record: Any) -> None:
    # WAL lets several processes write one SQLite store; the busy timeout makes a
    # writer wait for another's transaction instead of failing at once.
    cursor = dbapi_connection.cursor()
    cursor.execute("PRAGMA foreign_keys=ON")
    cursor.execute("PRAGMA busy_timeout=30000")
    # Switching a new file to WAL needs an exclusive lock, and SQLite reports a
    # clash between two processes doing it at once as "locked" without waiting
    # (the busy timeout does not apply): try again for a while.
    deadline = time.monotonic() + WAL_SWITCH_TIMEOUT_S
    while True:
        try:
            cursor.execute("PRAGMA journal_mode=WAL")
            break
        except sqlite3.OperationalError as exc:
            if "locked" not in str(exc) or time.monotonic() > deadline:
                raise
            time.sleep(0.01)
    cursor.close()
