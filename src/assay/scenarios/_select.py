"""Choose seeds by file, folder, id or behaviour."""

from __future__ import annotations

import difflib
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError, Problem
from ..schema import Seed
from ._load import load_library, load_seeds


def select_seeds(selectors: Sequence[str], behaviours: set[str] | None = None) -> list[Seed]:
    """Resolve `--seeds` arguments into seeds.

    A selector that names an existing file or folder loads it; any other selector
    picks seeds of the shipped library by id, behaviour or tag. No selectors means
    the whole library.

    Raises:
        InputError: A selector matched nothing, or a seed file is invalid.
    """
    if not selectors:
        return load_library(behaviours)
    paths = [s for s in selectors if Path(s).exists()]
    names = [s for s in selectors if not Path(s).exists()]
    chosen: list[Seed] = load_seeds(paths, behaviours) if paths else []
    if names:
        library = load_library(behaviours)
        problems = []
        for name in names:
            matched = [s for s in library if name == s.id or name in s.behaviours or name in s.tags]
            if not matched:
                known = {s.id for s in library} | {b for s in library for b in s.behaviours}
                known |= {t for s in library for t in s.tags}
                close = difflib.get_close_matches(name.replace("-", "_"), sorted(known), n=1)
                close = close or difflib.get_close_matches(name, sorted(known), n=1)
                hint = f"; did you mean {close[0]}?" if close else ""
                problems.append(
                    Problem(
                        name,
                        "not a file or folder, and no shipped seed has this id, behaviour "
                        f"or tag (see `assay seeds list`){hint}",
                    )
                )
            chosen += matched
        if problems:
            raise InputError("--seeds selection", problems)
    unique: dict[str, Seed] = {}
    for seed in chosen:
        unique.setdefault(seed.id, seed)
    return list(unique.values())
