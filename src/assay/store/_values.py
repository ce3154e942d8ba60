"""Values that every back-end stores alike: UTC times, bounded strings, no NUL bytes."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String, Table

from ..errors import InputError, Problem


def utc(value: datetime) -> datetime:
    """`value` as an aware UTC time (a naive time, as SQLite returns, is UTC)."""
    if value.tzinfo is None:
        return value.replace(tzinfo=UTC)
    return value.astimezone(UTC)


def clean_row(table: Table, row: dict[str, Any]) -> dict[str, Any]:
    """`row` ready for `table` on any back-end.

    Times become UTC (SQLite drops the offset, so a non-UTC time would shift);
    NUL characters in text columns become U+FFFD (PostgreSQL text cannot hold
    them; JSON columns can).

    Raises:
        InputError: A value is longer than its column allows (PostgreSQL would
            refuse it, SQLite would not; both refuse it here).
    """
    cleaned = dict(row)
    for name, value in row.items():
        column = table.c[name]
        if isinstance(value, datetime):
            cleaned[name] = utc(value)
        elif isinstance(value, str) and isinstance(column.type, String):
            value = value.replace("\x00", "\ufffd")
            limit = column.type.length
            if limit is not None and len(value) > limit:
                shown = value[:60] + ("..." if len(value) > 60 else "")
                raise InputError(
                    f"{table.name} row",
                    [
                        Problem(
                            shown,
                            f"{len(value)} characters, more than the {limit} the store "
                            "allows; use a shorter name",
                            field=name,
                        )
                    ],
                )
            cleaned[name] = value
    return cleaned
