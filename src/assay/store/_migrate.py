"""Schema migrations: upgrading a store safely while other processes open it too."""

from __future__ import annotations

from pathlib import Path

from alembic import command
from alembic.config import Config
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from alembic.util.exc import CommandError
from sqlalchemy import Connection, Engine, text

MIGRATION_LOCK = 7_203_114_905_118_266_417
"""PostgreSQL advisory lock key held while a process upgrades the schema."""


def migrations_config() -> Config:
    """The alembic configuration of assay's migrations (no database URL)."""
    config = Config()
    config.set_main_option("script_location", str(Path(__file__).parent / "migrations"))
    return config


def revisions() -> list[str]:
    """Every migration's revision id, oldest first."""
    script = ScriptDirectory.from_config(migrations_config())
    return [s.revision for s in reversed(list(script.walk_revisions()))]


def current_revision(conn: Connection) -> str | None:
    """The schema revision the database is at (None for an empty database)."""
    return MigrationContext.configure(conn).get_current_revision()


def lock_for_schema_change(conn: Connection) -> None:
    """Make `conn`'s transaction the only one changing the schema until it ends.

    PostgreSQL: a transaction-scoped advisory lock (a second process waits, then
    finds the schema already upgraded). SQLite: `BEGIN IMMEDIATE` takes the write
    lock at once (the busy timeout makes a second process wait for it).
    """
    if conn.dialect.name == "postgresql":
        conn.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})
    elif conn.dialect.name == "sqlite":
        conn.exec_driver_sql("BEGIN IMMEDIATE")


def upgrade(engine: Engine) -> list[str]:
    """Bring the store's schema to the newest revision; return the revisions applied.

    Safe when several processes open one new or old store at once: the upgrade
    runs in one transaction under a lock, and a process that waited for it finds
    nothing left to do.

    Raises:
        SchemaTooNew: The store was written by a newer assay.
    """
    order = revisions()
    head = order[-1]
    with engine.connect() as conn:
        if current_revision(conn) == head:  # the common case: no lock needed
            return []
    with engine.begin() as conn:
        lock_for_schema_change(conn)
        before = current_revision(conn)
        if before is not None and before not in order:
            raise SchemaTooNew(before, head)
        config = migrations_config()
        config.attributes["connection"] = conn
        try:
            command.upgrade(config, "head")
        except CommandError as exc:  # pragma: no cover - guarded above
            raise SchemaTooNew(before or "?", head) from exc
    start = order.index(before) + 1 if before is not None else 0
    return order[start:]


class SchemaTooNew(Exception):
    """The store's schema revision is unknown to this version of assay."""

    def __init__(self, revision: str, head: str) -> None:
        super().__init__(
            f"the store is at schema revision {revision}, newer than this assay knows "
            f"(it knows up to {head}); upgrade assay to use this store"
        )
        self.revision = revision
        self.head = head
