"""A known truth for simulated judges: scores chosen per input, so a test can measure a
judge of known quality against labels it set itself (see `truth` in `_sim`)."""

from __future__ import annotations

import random
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from .._yaml import load_yaml

Truth = dict[str, dict[str, int]]
"""Per passage of the judge's input: the true score of each dimension."""


def load_truth(value: Any) -> Truth:
    """The `truth` model arg: a mapping `{passage: {dimension: score}}`, or the path of
    a YAML file holding one. None gives no truth."""
    if value is None:
        return {}
    if isinstance(value, str | Path):
        value = load_yaml(Path(value).read_text(encoding="utf-8"))
    if not isinstance(value, Mapping):
        raise ValueError("sim truth must map input passages to {dimension: score}")
    return {str(k): {str(d): int(s) for d, s in v.items()} for k, v in value.items()}


def apply_truth(
    answer: Any,
    truth: Truth,
    text: str,
    bias: float,
    noise: float,
    rng: random.Random,
) -> Any:
    """Set the `score` of every dimension the first passage found in `text` knows:
    its true score plus `bias` plus Gaussian noise of sd `noise`, rounded, clamped to
    1-10. Wherever the dimension sits in the answer (the verdict schema may nest it)."""
    scores = next((s for passage, s in truth.items() if passage in text), None)
    if scores is None:
        return answer

    def visit(node: Any) -> Any:
        if isinstance(node, dict):
            out = {}
            for key, item in node.items():
                if key in scores and isinstance(item, dict) and "score" in item:
                    value = scores[key] + bias + (rng.gauss(0.0, noise) if noise else 0.0)
                    item = {**item, "score": max(1, min(10, round(value)))}
                out[key] = visit(item)
            return out
        if isinstance(node, list):
            return [visit(item) for item in node]
        return node

    return visit(answer)
