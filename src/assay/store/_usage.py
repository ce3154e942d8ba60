"""Adding token usage to a stored audit (re-judging spends tokens after the run)."""

from __future__ import annotations

from collections.abc import Mapping

from sqlalchemy import Engine, select, update

from ..schema import Usage
from ._engine import write_transaction
from ._tables import audits


def add_usage(engine: Engine, audit_id: int, usage: Mapping[str, Usage]) -> None:
    """Add `usage` per role to the audit's stored usage, atomically; a role already
    there is summed (re-judging twice spends tokens twice). An unknown id is a no-op."""
    if not usage:
        return
    with write_transaction(engine) as conn:
        row = conn.execute(
            select(audits.c.usage).where(audits.c.id == audit_id).with_for_update()
        ).first()
        if row is None:
            return
        stored = dict(row.usage or {})
        for role, used in usage.items():
            total = Usage.model_validate(stored.get(role) or {})
            total.add(used.input_tokens, used.output_tokens)
            stored[role] = total.model_dump()
        conn.execute(update(audits).where(audits.c.id == audit_id).values(usage=stored))
