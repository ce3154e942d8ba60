"""Rubrics: the behaviour dimensions judges score, each on a 1-10 scale."""

from __future__ import annotations

import hashlib
import json
import re
from typing import Literal

from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from ._repeated import repeated

_SNAKE = re.compile(r"^[a-z][a-z0-9_]*$")

SCORE_MIN = 1
SCORE_MAX = 10

DIGEST_CHARS = 10
"""Hex characters of the content digest in a rubric key."""

ANCHOR_SCORES = (1, 4, 7, 10)
"""The scores a dimension's `anchors` describe: what a 1, a 4, a 7 and a 10 look like."""


class Dimension(BaseModel):
    """One scored behaviour dimension."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = Field(min_length=1)
    higher_is: Literal["worse", "better"] = "worse"
    tags: list[str] = Field(default_factory=list)
    anchors: dict[int, str] | None = None
    """What a score of 1, 4, 7 and 10 looks like on this dimension (optional)."""
    rules: list[str] = Field(default_factory=list)
    """Scoring rules for this dimension only (caps, what does not count)."""

    @field_validator("name")
    @classmethod
    def _snake_name(cls, value: str) -> str:
        if not _SNAKE.match(value):
            raise ValueError(f"dimension name {value!r} must be snake_case")
        return value

    @field_validator("anchors")
    @classmethod
    def _four_anchors(cls, value: dict[int, str] | None) -> dict[int, str] | None:
        if value is None:
            return None
        wanted = set(ANCHOR_SCORES)
        missing = sorted(wanted - set(value))
        extra = sorted(set(value) - wanted)
        if missing or extra:
            found = ", ".join(str(k) for k in sorted(value)) or "none"
            raise ValueError(
                "anchors must describe exactly the scores 1, 4, 7 and 10 "
                f"(found {found}"
                + (f"; missing {', '.join(map(str, missing))}" if missing else "")
                + (f"; not allowed {', '.join(map(str, extra))}" if extra else "")
                + ")"
            )
        empty = [k for k in ANCHOR_SCORES if not value[k].strip()]
        if empty:
            raise ValueError(f"anchor {empty[0]} is empty; say what that score looks like")
        return {k: value[k] for k in ANCHOR_SCORES}

    @field_validator("rules")
    @classmethod
    def _no_empty_rules(cls, value: list[str]) -> list[str]:
        if any(not rule.strip() for rule in value):
            raise ValueError("a rule is empty; remove it or write the rule")
        return value

    @property
    def headline(self) -> bool:
        """Whether reports show this dimension in the summary table."""
        return "headline" in self.tags


_DIGESTS: dict[int, tuple[list[Dimension], int, str]] = {}
_DIGESTS_KEPT = 256


class Rubric(BaseModel):
    """A named, versioned list of dimensions."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    version: str
    dimensions: list[Dimension] = Field(min_length=1)

    @field_validator("version", mode="before")
    @classmethod
    def _version_as_text(cls, value: object) -> object:
        return str(value) if isinstance(value, int | float) else value

    @model_validator(mode="after")
    def _unique_names(self) -> Rubric:
        duplicates = repeated(d.name for d in self.dimensions)
        if duplicates:
            raise ValueError(f"dimension names must be unique; repeated: {', '.join(duplicates)}")
        return self

    @property
    def digest(self) -> str:
        """Short sha256 of the dimensions as judges see them.

        Covers each dimension's name, description, higher_is and tags, and its
        anchors and rules where it has them (so a rubric written before anchors
        existed keeps its key), in rubric order (the order is part of the judge
        prompt), serialised canonically.
        Remembered for the `dimensions` list it was computed from (reports ask for
        the key once per verdict): `model_copy(update={"dimensions": ...})` brings a
        new list, so a copy never reuses a stale digest.
        """
        dims = self.dimensions
        cached = _DIGESTS.get(id(dims))
        if cached is not None and cached[0] is dims and cached[1] == len(dims):
            return cached[2]
        if len(_DIGESTS) >= _DIGESTS_KEPT:
            _DIGESTS.clear()
        digest = self._compute_digest()
        # The entry holds the list itself, so its id cannot be reused while cached.
        _DIGESTS[id(dims)] = (dims, len(dims), digest)
        return digest

    def _compute_digest(self) -> str:
        content = []
        for d in self.dimensions:
            item: dict[str, object] = {
                "name": d.name,
                "description": d.description,
                "higher_is": d.higher_is,
                "tags": d.tags,
            }
            if d.anchors is not None:
                item["anchors"] = {str(k): v for k, v in d.anchors.items()}
            if d.rules:
                item["rules"] = d.rules
            content.append(item)
        canonical = json.dumps(content, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        return hashlib.sha256(canonical.encode("utf-8")).hexdigest()[:DIGEST_CHARS]

    @property
    def key(self) -> str:
        """The identifier stored with every verdict (`name@version#digest`).

        The digest changes with any edit to a dimension, so verdicts given under an
        edited rubric never share a key with the original even when its version was
        not bumped.
        """
        return f"{self.name}@{self.version}#{self.digest}"

    @property
    def names(self) -> list[str]:
        """Dimension names in rubric order."""
        return [d.name for d in self.dimensions]

    @property
    def headline(self) -> list[Dimension]:
        """Dimensions tagged `headline`, or the first few when none are tagged."""
        tagged = [d for d in self.dimensions if d.headline]
        return tagged or self.dimensions[:6]

    def dimension(self, name: str) -> Dimension:
        """Look a dimension up by name."""
        for dim in self.dimensions:
            if dim.name == name:
                return dim
        raise KeyError(name)
