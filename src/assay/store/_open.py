"""Opening a store's database: URL checks, the engine, the schema upgrade, and one
clear message for each way that can fail."""

from __future__ import annotations

from pathlib import Path

from sqlalchemy import Engine
from sqlalchemy.engine import make_url
from sqlalchemy.exc import ArgumentError, DatabaseError, OperationalError

from .._redact import redact
from ..errors import InputError, Problem
from ._engine import make_engine
from ._migrate import SchemaTooNew, upgrade


def _check_sqlite_file(file: Path, create: bool) -> None:
    if file.is_dir():
        raise InputError("store", [Problem(str(file), "is a folder, not a store", field="--db")])
    if not create and not file.exists():
        raise InputError(
            "store",
            [
                Problem(
                    str(file),
                    "no such store; `assay audit` creates one, or pass the store you meant "
                    "with --db",
                    field="--db",
                )
            ],
        )


def open_engine(url: str, create: bool) -> tuple[Engine, list[str]]:
    """An engine for the (normalised) `url`, its schema upgraded; and the revisions
    that upgrade applied.

    Raises:
        InputError: See `Store.open`.
    """
    safe = redact(url)
    try:
        parsed = make_url(url)
        if parsed.get_backend_name() == "sqlite" and parsed.database not in (
            None,
            "",
            ":memory:",
        ):
            parent = Path(parsed.database).expanduser().parent
            if not parent.is_dir():
                raise InputError(
                    "store URL",
                    [Problem(safe, f"folder {parent} does not exist", field="--db")],
                )
            _check_sqlite_file(Path(parsed.database).expanduser(), create)
        engine = make_engine(parsed)
    except ArgumentError as exc:
        raise InputError(
            "store URL",
            [Problem(safe, f"not a database URL ({exc}); e.g. sqlite:///assay.db", field="--db")],
        ) from None
    except ImportError as exc:
        raise InputError(
            "store URL",
            [
                Problem(
                    safe,
                    f"database driver missing: {exc}; for PostgreSQL install assay[postgres]",
                    field="--db",
                )
            ],
        ) from None
    try:
        applied = upgrade(engine)
    except OperationalError as exc:
        engine.dispose()
        raise InputError(
            "store URL", [Problem(safe, f"cannot open the database: {exc.orig}", field="--db")]
        ) from None
    except SchemaTooNew as exc:
        engine.dispose()
        raise InputError("store", [Problem(safe, str(exc), field="--db")]) from None
    except DatabaseError as exc:  # an existing file that is not a SQLite database
        engine.dispose()
        raise InputError(
            "store",
            [
                Problem(
                    safe,
                    f"not an assay store ({exc.orig}); pass a store file or URL with --db",
                    field="--db",
                )
            ],
        ) from None
    return engine, applied
