"""The model registry: lab, release date, open weights and price of known models.

The shipped table is `data/models.yaml`. Users extend or override it with their own
files (`--models FILE`, or `ASSAY_MODELS=a.yaml:b.yaml`); an entry there replaces the
shipped entry with the same id. Models missing from every file still work: they have
no lab, no release date (left off the time axis) and no price.
"""

from __future__ import annotations

import os
from collections.abc import Iterable, Iterator, Sequence
from datetime import date
from functools import lru_cache
from importlib import resources
from pathlib import Path

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

from .._yaml import load_yaml
from ..errors import InputError, Problem
from ..schema import Usage

MODELS_ENV = "ASSAY_MODELS"
"""Environment variable: extra registry files, separated like PATH (`:` on Unix)."""

FREE_PROVIDERS = ("local", "sim")
"""In-process and simulated models cost nothing, whatever the registry says."""


class Price(BaseModel):
    """US dollars per million tokens."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    input: float = Field(ge=0)
    output: float = Field(ge=0)


class ModelInfo(BaseModel):
    """One registry entry.

    Attributes:
        id: The Inspect model name (`provider/model`).
        display: A short human name (default: the id).
        lab: Who made the model.
        released: First public release of this version; None if unknown.
        open_weights: Whether the weights are published.
        family: Optional grouping (`Claude 3`).
        price: Price per million tokens; None when there is no public price.
        aliases: Other Inspect names for the same model.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    id: str
    display: str | None = None
    lab: str = Field(min_length=1)
    released: date | None = None
    open_weights: bool = False
    family: str | None = None
    price: Price | None = None
    aliases: list[str] = Field(default_factory=list)

    @field_validator("id")
    @classmethod
    def _provider_slash_model(cls, value: str) -> str:
        provider, _, model = value.partition("/")
        if not provider or not model or value != value.strip():
            raise ValueError("must be an Inspect model name, provider/model")
        return value

    @property
    def name(self) -> str:
        """The display name, or the id when none is set."""
        return self.display or self.id


class _RegistryFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    models: list[ModelInfo]


class ModelRegistry:
    """Known models by id and alias.

    Args:
        models: Entries; a later entry replaces an earlier one with the same id and
            keeps its aliases (so `openai/gpt-4o` still names the replaced entry).
        sources: The files the entries came from, for messages.
    """

    def __init__(self, models: Iterable[ModelInfo], sources: Sequence[str] = ()) -> None:
        self._by_id: dict[str, ModelInfo] = {}
        for info in models:
            replaced = self._by_id.pop(info.id, None)  # the new entry takes its place
            if replaced is not None:
                aliases = list(dict.fromkeys([*info.aliases, *replaced.aliases]))
                info = info.model_copy(update={"aliases": aliases})
            self._by_id[info.id] = info
        self._by_name = {alias: info for info in self._by_id.values() for alias in info.aliases}
        self._by_name.update(self._by_id)
        self.sources = list(sources)

    def __iter__(self) -> Iterator[ModelInfo]:
        return iter(self._by_id.values())

    def __len__(self) -> int:
        return len(self._by_id)

    def __contains__(self, name: object) -> bool:
        return name in self._by_name

    def get(self, name: str) -> ModelInfo | None:
        """The entry for an Inspect model name (id or alias), or None."""
        return self._by_name.get(name)

    def display(self, name: str) -> str:
        """The display name of a model; the name itself when unknown."""
        info = self.get(name)
        return info.name if info else name

    def lab(self, name: str) -> str | None:
        """The model's lab, or None when unknown."""
        info = self.get(name)
        return info.lab if info else None

    def released(self, name: str) -> date | None:
        """The model's release date, or None when unknown."""
        info = self.get(name)
        return info.released if info else None

    def price(self, name: str) -> Price | None:
        """The model's price: zero for local and simulated models, None when unknown."""
        if name.split("/")[0] in FREE_PROVIDERS:
            return Price(input=0.0, output=0.0)
        info = self.get(name)
        return info.price if info else None

    def cost(self, name: str, usage: Usage) -> float | None:
        """Cost in US dollars of `usage` on model `name`; None when it has no price."""
        price = self.price(name)
        if price is None:
            return None
        return (usage.input_tokens * price.input + usage.output_tokens * price.output) / 1e6

    def labs(self) -> list[str]:
        """Every lab in the registry, sorted."""
        return sorted({info.lab for info in self})

    def select(self, lab: str | None = None) -> list[ModelInfo]:
        """Entries by release date (unknown dates last), optionally of one lab.

        `lab` matches case-insensitively.
        """
        chosen = [m for m in self if lab is None or m.lab.casefold() == lab.casefold()]
        return sorted(chosen, key=lambda m: (m.released is None, m.released or date.min, m.id))


def _problems(source: str, data: object, exc: ValidationError) -> list[Problem]:
    entries = data.get("models") if isinstance(data, dict) else None
    problems = []
    for err in exc.errors():
        loc = list(err["loc"])
        item = None
        if len(loc) >= 2 and loc[0] == "models" and isinstance(loc[1], int):
            raw = entries[loc[1]] if isinstance(entries, list) and loc[1] < len(entries) else None
            ident = raw.get("id") if isinstance(raw, dict) else None
            item = f"entry {loc[1] + 1}" + (f" ({ident})" if ident else "")
            loc = loc[2:]
        field = ".".join(str(part) for part in loc) or None
        problems.append(Problem(source, err["msg"], item=item, field=field))
    return problems


def _parse(source: str, text: str) -> list[ModelInfo]:
    hint = "expected `models:` followed by a list of entries (id, display, lab, released, ...)"
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise InputError("model registry", [Problem(source, f"not valid YAML: {exc}")]) from None
    if not isinstance(data, dict):
        raise InputError("model registry", [Problem(source, hint)])
    try:
        models = _RegistryFile.model_validate(data).models
    except ValidationError as exc:
        raise InputError("model registry", _problems(source, data, exc)) from None
    seen: dict[str, str] = {}
    problems = []
    for number, info in enumerate(models, start=1):
        for name in (info.id, *info.aliases):
            if name in seen:
                message = f"{name} is already the id or an alias of {seen[name]}"
                problems.append(Problem(source, message, item=f"entry {number} ({info.id})"))
            seen[name] = info.id
    if problems:
        raise InputError("model registry", problems)
    return models


@lru_cache(maxsize=32)
def _read(path: str, _stamp: tuple[int, int]) -> tuple[ModelInfo, ...]:
    # Cached per file version (mtime, size): the judge scorer prices every audit.
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise InputError("model registry", [Problem(path, "file not found")]) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(
            "model registry", [Problem(path, f"cannot read the file: {exc}")]
        ) from None
    return tuple(_parse(path, text))


@lru_cache(maxsize=1)
def _shipped() -> tuple[ModelInfo, ...]:
    text = (resources.files("assay.models") / "data" / "models.yaml").read_text("utf-8")
    return tuple(_parse("models.yaml (shipped)", text))


def _user_file(path: str | Path) -> tuple[ModelInfo, ...]:
    name = str(path)
    try:
        stat = Path(name).stat()
    except OSError:
        stat = None
    stamp = (stat.st_mtime_ns, stat.st_size) if stat else (0, 0)
    if stat is None:
        _read.cache_clear()  # a file that comes back later is read afresh
    return _read(name, stamp)


def registry_files(extra: Sequence[str | Path] = (), env: bool = True) -> list[str]:
    """The user registry files in force: `ASSAY_MODELS` (when `env`), then `extra`."""
    files: list[str] = []
    if env:
        files += [p for p in os.environ.get(MODELS_ENV, "").split(os.pathsep) if p.strip()]
    return files + [str(p) for p in extra]


def load_registry(files: Sequence[str | Path] = (), env: bool = True) -> ModelRegistry:
    """The shipped registry, extended and overridden by the user's files.

    Args:
        files: Registry files given on the command line (`--models`); they win over
            `ASSAY_MODELS`, which wins over the shipped table.
        env: Also read the files named in `ASSAY_MODELS`.

    Raises:
        InputError: A file is missing, not YAML, or an entry is invalid (the message
            names the file, the entry and the field).
    """
    paths = registry_files(files, env)
    models = list(_shipped())
    for path in paths:
        models += _user_file(path)
    return ModelRegistry(models, ["models.yaml (shipped)", *paths])


__all__ = [
    "FREE_PROVIDERS",
    "MODELS_ENV",
    "ModelInfo",
    "ModelRegistry",
    "Price",
    "load_registry",
    "registry_files",
]
