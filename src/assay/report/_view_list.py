"""The viewer's list of audits: filter, sort and page through a store's audit index."""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from ..store import AuditIndexEntry

PAGE_SIZE = 50
SORT_KEYS: dict[str, Callable[[AuditIndexEntry], Any]] = {
    "id": lambda a: a.id,
    "score": lambda a: (a.score is not None, a.score or 0.0),
    "target": lambda a: a.target,
    "seed": lambda a: a.seed_id,
    "status": lambda a: a.status,
    "turns": lambda a: a.turns,
    "finished": lambda a: a.finished,
}
"""Columns the list sorts by (a missing score sorts below every score)."""
FILTERS = ("run", "target", "seed", "behaviour", "status")


@dataclass
class ListQuery:
    """What the user asked of the list: filters, sort and page (from the URL)."""

    filters: dict[str, str] = field(default_factory=dict)
    sort: str = "score"
    descending: bool = True
    page: int = 1

    @classmethod
    def from_params(cls, params: Mapping[str, str]) -> ListQuery:
        """Read a query from URL parameters; unknown or malformed values fall back
        to the defaults rather than failing the page."""
        filters = {name: params[name] for name in FILTERS if params.get(name)}
        sort = params.get("sort", "score")
        try:
            page = max(1, int(params.get("page", "1")))
        except ValueError:
            page = 1
        return cls(
            filters=filters,
            sort=sort if sort in SORT_KEYS else "score",
            descending=params.get("order", "desc") != "asc",
            page=page,
        )

    def params(self, **changes: object) -> dict[str, str]:
        """This query's URL parameters, with some changed (for links and pages)."""
        values: dict[str, object] = {
            **self.filters,
            "sort": self.sort,
            "order": "desc" if self.descending else "asc",
            "page": self.page,
        }
        values.update(changes)
        return {k: str(v) for k, v in values.items() if v not in (None, "")}


@dataclass
class ListPage:
    """One page of the filtered, sorted list and what the filter menus offer."""

    rows: list[AuditIndexEntry]
    matched: int
    total: int
    page: int
    pages: int
    choices: dict[str, list[str]]


def _matches(
    entry: AuditIndexEntry, filters: Mapping[str, str], behaviours: Mapping[str, Sequence[str]]
) -> bool:
    for name, wanted in filters.items():
        if name == "run" and entry.run_id != wanted:
            return False
        if name == "target" and entry.target != wanted:
            return False
        if name == "status" and entry.status != wanted:
            return False
        if name == "seed" and wanted.lower() not in entry.seed_id.lower():
            return False
        if name == "behaviour" and wanted not in behaviours.get(entry.seed_id, ()):
            return False
    return True


def list_page(
    index: list[AuditIndexEntry],
    query: ListQuery,
    behaviours: Mapping[str, Sequence[str]],
    page_size: int = PAGE_SIZE,
) -> ListPage:
    """Filter, sort and cut one page out of `index`.

    Args:
        index: Every audit in view.
        query: Filters (`seed` matches part of the id, the others exactly), sort, page.
        behaviours: Each seed's behaviours (for the behaviour filter).
        page_size: Audits per page.
    """
    matched = [e for e in index if _matches(e, query.filters, behaviours)]
    key = SORT_KEYS[query.sort]
    # Ties keep a stable order: by id, then the chosen column.
    matched.sort(key=lambda e: e.id)
    matched.sort(key=key, reverse=query.descending)
    pages = max(1, math.ceil(len(matched) / page_size))
    page = min(query.page, pages)
    start = (page - 1) * page_size
    seen_behaviours = {b for e in index for b in behaviours.get(e.seed_id, ())}
    return ListPage(
        rows=matched[start : start + page_size],
        matched=len(matched),
        total=len(index),
        page=page,
        pages=pages,
        choices={
            "run": sorted({e.run_id for e in index}),
            "target": sorted({e.target for e in index}),
            "status": sorted({e.status for e in index}),
            "behaviour": sorted(seen_behaviours),
        },
    )
