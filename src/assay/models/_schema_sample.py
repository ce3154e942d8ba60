"""Deterministic sample values that satisfy a JSON Schema (the subset assay emits)."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

IntegerAdjust = Callable[[int, int, int], int]
"""Changes a drawn integer given (value, minimum, maximum); the result is clamped."""


def sample_from_schema(
    schema: dict[str, Any], rng: random.Random, adjust: IntegerAdjust | None = None
) -> Any:
    """Build a value valid for `schema`, drawing free choices from `rng`.

    Args:
        schema: A JSON Schema (objects, arrays, enums, scalars).
        rng: Source of the free choices.
        adjust: Optional change to every bounded integer drawn (e.g. judge bias).
    """
    kind = schema.get("type")
    if "enum" in schema:
        return rng.choice(schema["enum"])
    if "anyOf" in schema:
        return sample_from_schema(schema["anyOf"][0], rng, adjust)
    if kind == "object":
        properties: dict[str, Any] = schema.get("properties", {})
        return {name: sample_from_schema(sub, rng, adjust) for name, sub in properties.items()}
    if kind == "array":
        # Inspect's JSONSchema carries no minItems: one item exercises the array.
        count = max(int(schema.get("minItems", 1)), 1)
        return [sample_from_schema(schema.get("items", {}), rng, adjust) for _ in range(count)]
    if kind == "integer":
        low, high = int(schema.get("minimum", 0)), int(schema.get("maximum", 10))
        value = rng.randint(low, high)
        return value if adjust is None else max(low, min(high, adjust(value, low, high)))
    if kind == "number":
        return rng.uniform(float(schema.get("minimum", 0)), float(schema.get("maximum", 1)))
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "string":
        return "simulated"[: int(schema.get("maxLength", 9))]
    return None
