"""Load the default rubric or a user's rubric file."""

from __future__ import annotations

from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from .._input import read_input_text
from .._yaml import load_yaml
from ..errors import InputError, Problem
from ..schema import Rubric


def default_rubric_path() -> Path:
    """The rubric shipped with assay."""
    return Path(str(resources.files("assay.judge") / "data" / "rubric.yaml"))


def headline_rubric_path() -> Path:
    """The headline subset of the default rubric (what `assay demo` judges with)."""
    return Path(str(resources.files("assay.judge") / "data" / "rubric-headline.yaml"))


def shipped_rubric(key: str) -> Path | None:
    """The shipped rubric file whose key (`name@version#digest`) is `key`, if any."""
    for path in (default_rubric_path(), headline_rubric_path()):
        if load_rubric(path).key == key:
            return path
    return None


def behaviour_names(rubric: Rubric | None = None) -> set[str]:
    """The behaviour names a seed may use: the default rubric's dimensions, plus those
    of `rubric` when a custom one is in use."""
    names = set(load_rubric().names)
    return names | set(rubric.names) if rubric is not None else names


def load_rubric(path: str | Path | None = None) -> Rubric:
    """Load and validate a rubric.

    Args:
        path: A rubric YAML file; None loads the default rubric.

    Raises:
        InputError: The file is missing, not YAML, or a field is invalid.
    """
    source = Path(path) if path is not None else default_rubric_path()
    text = read_input_text(source, "rubric", folder_hint="pass the rubric's YAML file")
    try:
        data = load_yaml(text)
    except yaml.YAMLError as exc:
        raise InputError("rubric", [Problem(str(source), f"not valid YAML: {exc}")]) from None
    if not isinstance(data, dict):
        raise InputError(
            "rubric",
            [Problem(str(source), "expected a mapping with name, version and dimensions")],
        )
    try:
        return Rubric.model_validate(data)
    except ValidationError as exc:
        problems = []
        for err in exc.errors():
            loc = list(err["loc"])
            item = None
            if len(loc) >= 2 and loc[0] == "dimensions" and isinstance(loc[1], int):
                dims = data.get("dimensions") or []
                raw = dims[loc[1]] if loc[1] < len(dims) else None
                item = raw.get("name") if isinstance(raw, dict) else None
                item = item or f"dimension {loc[1] + 1}"
                loc = loc[2:]
            field = ".".join(str(p) for p in loc) or None
            message = err["msg"].removeprefix("Value error, ")
            problems.append(Problem(str(source), message, item, field))
        raise InputError("rubric", problems) from None
