"""Tokens and cost per role: target, auditor, realism checker, judges, re-judging.

Costs are computed at report time from the model registry's prices, so a price
added later (`--models FILE`) prices old runs too. A model without a price keeps
its tokens in the tables and is shown as "no price"; it never blanks the total of
the priced roles.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from ..models import ModelRegistry
from ..schema import REJUDGE_ROLE, SCRIPTED_AUDITOR, AuditRecord, Usage

ROLE_ORDER = ("target", "auditor", "realism", "judges", "re-judging")
"""Role groups in the order the tables show them; other roles follow."""

UNKNOWN_MODEL = "(unknown model)"


@dataclass(frozen=True)
class RoleUsage:
    """Tokens and cost of one role (or role group) over a set of audits."""

    role: str
    models: tuple[str, ...]
    input_tokens: int
    output_tokens: int
    cost: float
    """US dollars over the models that have a price."""
    unpriced: tuple[str, ...] = ()
    """Models of this role without a price: their tokens are not in `cost`."""

    @property
    def tokens(self) -> int:
        """Input plus output tokens."""
        return self.input_tokens + self.output_tokens

    @property
    def total(self) -> float | None:
        """The full cost, or None when some model has no price."""
        return None if self.unpriced else self.cost

    @property
    def cost_text(self) -> str:
        """`$0.1234`, `no price`, or `$0.1234 + no price` (some models unpriced)."""
        return cost_text(self.cost, self.unpriced, self.tokens)


def cost_text(cost: float, unpriced: Sequence[str], tokens: int = 1) -> str:
    """How tables show a cost: the priced part, and "no price" for the rest."""
    if not unpriced:
        return f"${cost:.4f}"
    if cost == 0 and tokens:
        return "no price"
    return f"${cost:.4f} + no price"


def role_group(role: str) -> str:
    """The group a usage role is shown under (`judge2` -> `judges`)."""
    if role.startswith(REJUDGE_ROLE):
        return "re-judging"
    if re.fullmatch(r"judge\d*", role):
        return "judges"
    return role


def role_model(record: AuditRecord, role: str, config: Mapping[str, Any]) -> str | None:
    """The model that played `role` in an audit, from the audit, its verdicts or its
    run's stored config; None when nothing says."""
    if role == "target":
        return record.target
    if role == "auditor":
        return record.auditor
    if role == "realism":
        realism = config.get("realism")
        return str(realism) if realism else None
    if role.startswith(REJUDGE_ROLE):
        return role[len(REJUDGE_ROLE) :].split("#")[0] or None
    if re.fullmatch(r"judge\d*", role):
        for verdict in record.verdicts:
            if verdict.seat == role:
                return verdict.judge
        judges = config.get("judges") or []
        index = int(role[5:] or 1) - 1
        return str(judges[index]) if index < len(judges) else None
    return None


def _sort_key(role: str) -> tuple[int, str]:
    return (ROLE_ORDER.index(role) if role in ROLE_ORDER else len(ROLE_ORDER), role)


def role_usage(
    records: Sequence[AuditRecord],
    registry: ModelRegistry,
    configs: Mapping[str, Mapping[str, Any]] | None = None,
) -> list[RoleUsage]:
    """Tokens and cost per role group over `records` (failed audits included: their
    tokens were spent).

    Args:
        records: Audits, with their per-role usage.
        registry: Prices.
        configs: Each run's stored config by run id (names the realism model, and
            judges whose verdicts are not in `records`).
    """
    usage: dict[tuple[str, str], Usage] = defaultdict(Usage)
    for record in records:
        config = (configs or {}).get(record.run_id, {})
        for role, used in record.usage.items():
            model = role_model(record, role, config) or UNKNOWN_MODEL
            usage[(role_group(role), model)].add(used.input_tokens, used.output_tokens)
    groups: dict[str, list[tuple[str, Usage]]] = defaultdict(list)
    for (group, model), used in usage.items():
        groups[group].append((model, used))
    rows = []
    for group in sorted(groups, key=_sort_key):
        parts = sorted(groups[group])
        cost, unpriced = 0.0, []
        for model, used in parts:
            price = 0.0 if model == SCRIPTED_AUDITOR else registry.cost(model, used)
            if price is None:
                unpriced.append(model)
            else:
                cost += price
        rows.append(
            RoleUsage(
                role=group,
                models=tuple(model for model, _ in parts),
                input_tokens=sum(u.input_tokens for _, u in parts),
                output_tokens=sum(u.output_tokens for _, u in parts),
                cost=cost,
                unpriced=tuple(unpriced),
            )
        )
    return rows


def total_usage(rows: Sequence[RoleUsage], role: str = "total") -> RoleUsage:
    """The sum of several rows: tokens, priced cost, and every unpriced model."""
    return RoleUsage(
        role=role,
        models=tuple(dict.fromkeys(m for r in rows for m in r.models)),
        input_tokens=sum(r.input_tokens for r in rows),
        output_tokens=sum(r.output_tokens for r in rows),
        cost=sum(r.cost for r in rows),
        unpriced=tuple(dict.fromkeys(m for r in rows for m in r.unpriced)),
    )
