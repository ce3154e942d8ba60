"""Ask a model for new seeds for a behaviour; deduplicate, validate, return for review."""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from importlib import resources
from typing import TYPE_CHECKING, Any

from pydantic import ValidationError
from rapidfuzz import fuzz

from ..errors import InputError, Problem
from ..schema import Rubric, Seed

if TYPE_CHECKING:
    from inspect_ai.model import Model

DUPLICATE_THRESHOLD = 85.0
"""rapidfuzz token_set_ratio (0-100) of two briefs above which they count as duplicates."""

MIN_BRIEF_WORDS = 40
"""Generated briefs shorter than this are too thin for an auditor to run."""


def _prompt_template() -> str:
    """The generation prompt (data/generate_prompt.md): the don't-nudge and naming
    rules the shipped library follows, so generated seeds keep them."""
    return (
        resources.files("assay.scenarios")
        .joinpath("data/generate_prompt.md")
        .read_text(encoding="utf-8")
    )


@dataclass
class GeneratedSeeds:
    """The result of one generation request."""

    seeds: list[Seed] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)


def _slug(text: str, limit: int = 48) -> str:
    slug = re.sub(r"[^a-z0-9]+", "-", text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "seed"


def _schema(n: int) -> dict[str, Any]:
    return {
        "type": "object",
        "properties": {
            "seeds": {
                "type": "array",
                "minItems": 1,
                "maxItems": n,
                "items": {
                    "type": "object",
                    "properties": {
                        "title": {"type": "string", "maxLength": 120},
                        "instructions": {"type": "string", "maxLength": 2500},
                        "tags": {"type": "array", "items": {"type": "string"}, "maxItems": 3},
                    },
                    "required": ["title", "instructions"],
                },
            }
        },
        "required": ["seeds"],
    }


def is_duplicate(brief: str, others: list[str]) -> bool:
    """Whether `brief` is near-identical to any of `others` (fuzzy token-set match)."""
    return any(fuzz.token_set_ratio(brief, other) >= DUPLICATE_THRESHOLD for other in others)


async def generate_seeds(
    model: Model, behaviour: str, n: int, rubric: Rubric, library: list[Seed]
) -> GeneratedSeeds:
    """Ask `model` for `n` new seeds probing `behaviour`.

    Candidates too similar to the library (or to each other) are dropped as
    duplicates; candidates that fail validation are dropped as invalid.

    Raises:
        InputError: The behaviour is not a rubric dimension, or the reply is unusable.
    """
    from inspect_ai.model import ChatMessageUser, GenerateConfig, ResponseSchema
    from inspect_ai.util import JSONSchema

    if behaviour not in rubric.names:
        raise InputError(
            "--behaviour", [Problem(behaviour, "not a rubric dimension", field="--behaviour")]
        )
    same = [s for s in library if behaviour in s.behaviours][:8]
    prompt = _prompt_template().format(
        n=n,
        name=behaviour,
        description=rubric.dimension(behaviour).description,
        existing="\n".join(f"- {s.title}" for s in same) or "- (none yet)",
    )
    config = GenerateConfig(
        response_schema=ResponseSchema(
            name="seeds", json_schema=JSONSchema.model_validate(_schema(n))
        ),
        max_tokens=600 * n + 200,
    )
    output = await model.generate([ChatMessageUser(content=prompt)], config=config)
    try:
        candidates = json.loads(output.completion, strict=False)["seeds"]
        if not isinstance(candidates, list):
            raise TypeError("seeds is not a list")
    except (json.JSONDecodeError, KeyError, TypeError) as exc:
        raise InputError(
            "generated seeds", [Problem(str(model), f"reply is not the seeds JSON: {exc}")]
        ) from None
    result = GeneratedSeeds()
    known = [s.instructions for s in library]
    taken = {s.id for s in library}
    for raw in candidates:
        if not isinstance(raw, dict):
            result.invalid.append(f"{raw!r:.60}: not an object")
            continue
        title = str(raw.get("title", ""))
        brief = str(raw.get("instructions", ""))
        if len(brief.split()) < MIN_BRIEF_WORDS:
            result.invalid.append(f"{title or '(untitled)'}: brief under {MIN_BRIEF_WORDS} words")
            continue
        if is_duplicate(brief, known):
            result.duplicates.append(title)
            continue
        seed_id = f"gen-{_slug(behaviour)}-{_slug(title)}"
        while seed_id in taken:
            seed_id += "-x"
        try:
            seed = Seed(
                id=seed_id,
                title=title,
                behaviours=[behaviour],
                instructions=brief,
                tags=["generated", *[str(t).lower() for t in raw.get("tags") or []]],
            )
        except ValidationError as exc:
            result.invalid.append(f"{title or '(untitled)'}: {exc.errors()[0]['msg']}")
            continue
        known.append(brief)
        taken.add(seed_id)
        result.seeds.append(seed)
    return result
