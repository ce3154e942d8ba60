"""Token prices from a small editable table, for cost accounting."""

from __future__ import annotations

import os
from functools import cache
from importlib import resources
from pathlib import Path

import yaml

from ..errors import InputError, Problem
from ..schema import Usage

FREE_PROVIDERS = ("local", "sim")


@cache
def _prices(path: str | None) -> dict[str, tuple[float, float]]:
    if path:
        source = Path(path)
        text = source.read_text(encoding="utf-8")
    else:
        source = Path("prices.yaml")
        text = (resources.files("assay.models") / "data" / "prices.yaml").read_text("utf-8")
    data = yaml.safe_load(text) or {}
    table: dict[str, tuple[float, float]] = {}
    for model, entry in data.items():
        try:
            table[str(model)] = (float(entry["input"]), float(entry["output"]))
        except (KeyError, TypeError, ValueError):
            raise InputError(
                "price table",
                [Problem(str(source), "needs {input: N, output: N} per million tokens", model)],
            ) from None
    return table


def usage_cost(model: str, usage: Usage) -> float | None:
    """Cost in US dollars of `usage` on `model`; None when its price is unknown."""
    if model.split("/")[0] in FREE_PROVIDERS:
        return 0.0
    price = _prices(os.environ.get("ASSAY_PRICES")).get(model)
    if price is None:
        return None
    return (usage.input_tokens * price[0] + usage.output_tokens * price[1]) / 1_000_000


def total_cost(parts: list[tuple[str, Usage]]) -> float | None:
    """Sum of costs over (model, usage) pairs; None if any price is unknown."""
    costs = [usage_cost(model, usage) for model, usage in parts]
    return None if any(c is None for c in costs) else sum(c for c in costs if c is not None)
