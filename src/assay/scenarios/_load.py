"""Load seeds from YAML files and folders, validating every field."""

from __future__ import annotations

import difflib
from collections.abc import Iterable
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from .._yaml import load_yaml
from ..errors import InputError, Problem
from ..schema import Seed


def library_path() -> Path:
    """The folder of seeds shipped with assay."""
    return Path(str(resources.files("assay.scenarios") / "data" / "seeds"))


def _yaml_files(path: Path) -> list[Path]:
    if path.is_dir():
        return sorted(p for p in path.rglob("*") if p.suffix in (".yaml", ".yml"))
    return [path]


def _field_name(loc: tuple[int | str, ...]) -> str:
    return ".".join(str(part) for part in loc) or "(seed)"


def _parse_file(path: Path, problems: list[Problem]) -> list[tuple[Any, Path]]:
    try:
        data = load_yaml(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        problems.append(Problem(str(path), "file not found"))
        return []
    except UnicodeDecodeError as exc:
        problems.append(
            Problem(str(path), f"not UTF-8 text (byte {exc.start}); save the file as UTF-8")
        )
        return []
    except OSError as exc:
        problems.append(Problem(str(path), f"cannot read the file: {exc.strerror or exc}"))
        return []
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" (line {mark.line + 1})" if mark is not None else ""
        problems.append(Problem(str(path), f"not valid YAML{where}: {exc}"))
        return []
    if data is None:
        problems.append(Problem(str(path), "file is empty; expected a seed or a list of seeds"))
        return []
    items = data if isinstance(data, list) else [data]
    return [(item, path) for item in items]


def behaviour_hint(unknown: Iterable[str], behaviours: Iterable[str]) -> str:
    """How to fix unknown behaviour names: the closest rubric dimensions, or examples."""
    known = sorted(behaviours)
    close = {
        name: difflib.get_close_matches(name.replace("-", "_"), known, n=1, cutoff=0.6)
        for name in unknown
    }
    guesses = [f"{name} -> {match[0]}" for name, match in close.items() if match]
    if guesses:
        return f"did you mean {', '.join(guesses)}?"
    return f"use rubric dimension names such as {', '.join(known[:5])}, ..."


def _validate(
    raw: Any, path: Path, index: int, behaviours: set[str] | None, problems: list[Problem]
) -> Seed | None:
    item = f"seed {index + 1}"
    if isinstance(raw, dict) and isinstance(raw.get("id"), str):
        item = raw["id"]
    if not isinstance(raw, dict):
        problems.append(Problem(str(path), "each seed must be a mapping of fields", item))
        return None
    try:
        seed = Seed.model_validate(raw)
    except ValidationError as exc:
        for err in exc.errors():
            problems.append(Problem(str(path), err["msg"], item, _field_name(err["loc"])))
        return None
    if behaviours is not None:
        unknown = [b for b in seed.behaviours if b not in behaviours]
        if unknown:
            problems.append(
                Problem(
                    str(path),
                    f"unknown behaviour(s) {', '.join(unknown)}; "
                    + behaviour_hint(unknown, behaviours),
                    seed.id,
                    "behaviours",
                )
            )
            return None
    return seed


def load_seeds(paths: Iterable[str | Path], behaviours: set[str] | None = None) -> list[Seed]:
    """Load and validate every seed in the given files and folders.

    Args:
        paths: YAML files (one seed or a list) and folders searched recursively.
        behaviours: Allowed behaviour names (the rubric's dimensions); None skips the check.

    Returns:
        The seeds, in file order.

    Raises:
        InputError: Listing every problem found (file, seed id, field, what is wrong).
    """
    problems: list[Problem] = []
    seeds: list[Seed] = []
    first_seen: dict[str, Path] = {}
    for entry in paths:
        root = Path(entry)
        if not root.exists():
            problems.append(Problem(str(root), "no such file or folder"))
            continue
        files = _yaml_files(root)
        if not files:
            problems.append(Problem(str(root), "folder holds no .yaml seed files"))
        for path in files:
            for index, (raw, source) in enumerate(_parse_file(path, problems)):
                seed = _validate(raw, source, index, behaviours, problems)
                if seed is None:
                    continue
                if seed.id in first_seen:
                    problems.append(
                        Problem(
                            str(source),
                            f"duplicate id, already defined in {first_seen[seed.id]}",
                            seed.id,
                            "id",
                        )
                    )
                    continue
                first_seen[seed.id] = source
                seeds.append(seed)
    if problems:
        raise InputError("seeds", problems)
    return seeds


def load_library(behaviours: set[str] | None = None) -> list[Seed]:
    """Load the seeds shipped with assay."""
    return load_seeds([library_path()], behaviours)


def known_seeds(entries: Iterable[str]) -> list[Seed]:
    """The seeds stored runs may have used: the shipped library, then the seed files
    and folders among `entries` (a run config's `seeds`) that still exist and load.

    Entries that are ids or tags add nothing (they name library seeds); a seed file
    that moved or no longer validates is skipped, so its audits go without their seed.
    """
    seeds = load_library()
    for entry in entries:
        if Path(entry).exists():
            try:
                seeds += load_seeds([entry])
            except InputError:
                continue
    return seeds
