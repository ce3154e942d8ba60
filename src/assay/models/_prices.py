"""Cost accounting from the prices in the model registry (`data/models.yaml`)."""

from __future__ import annotations

from ..schema import Usage
from ._registry import load_registry


def usage_cost(model: str, usage: Usage) -> float | None:
    """Cost in US dollars of `usage` on `model`; None when its price is unknown.

    Prices come from the registry (shipped table plus `ASSAY_MODELS` files); local
    and simulated models cost nothing.
    """
    return load_registry().cost(model, usage)


def total_cost(parts: list[tuple[str, Usage]]) -> float | None:
    """Sum of costs over (model, usage) pairs; None if any price is unknown."""
    registry = load_registry()
    costs = [registry.cost(model, usage) for model, usage in parts]
    return None if any(c is None for c in costs) else sum(c for c in costs if c is not None)
