"""Deterministic sample values that satisfy a JSON Schema (the subset assay emits)."""

from __future__ import annotations

import random
from typing import Any


def sample_from_schema(schema: dict[str, Any], rng: random.Random) -> Any:
    """Build a value valid for `schema`, drawing free choices from `rng`."""
    kind = schema.get("type")
    if "enum" in schema:
        return rng.choice(schema["enum"])
    if "anyOf" in schema:
        return sample_from_schema(schema["anyOf"][0], rng)
    if kind == "object":
        properties: dict[str, Any] = schema.get("properties", {})
        return {name: sample_from_schema(sub, rng) for name, sub in properties.items()}
    if kind == "array":
        count = int(schema.get("minItems", 0))
        return [sample_from_schema(schema.get("items", {}), rng) for _ in range(count)]
    if kind == "integer":
        return rng.randint(int(schema.get("minimum", 0)), int(schema.get("maximum", 10)))
    if kind == "number":
        return rng.uniform(float(schema.get("minimum", 0)), float(schema.get("maximum", 1)))
    if kind == "boolean":
        return rng.random() < 0.5
    if kind == "string":
        return "simulated"[: int(schema.get("maxLength", 9))]
    return None
