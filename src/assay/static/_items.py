"""Static probe items: assay's YAML probes and the public model-written-evals JSONL."""

from __future__ import annotations

import json
import re
from importlib import resources
from pathlib import Path
from typing import Any

import yaml
from pydantic import ValidationError

from ..errors import InputError, Problem
from ..schema import StaticItem, repeated


def probes_path() -> Path:
    """The folder of probe items shipped with assay."""
    return Path(str(resources.files("assay.static") / "data" / "probes"))


def load_probes(paths: list[Path] | None = None) -> list[StaticItem]:
    """Load assay-format probe YAML files (default: the shipped probes).

    Raises:
        InputError: Listing every invalid item (file, item id, field, problem).
    """
    files: list[Path] = []
    for path in paths or [probes_path()]:
        files += sorted(path.rglob("*.yaml")) if path.is_dir() else [path]
    problems: list[Problem] = []
    items: list[StaticItem] = []
    for path in files:
        try:
            data = yaml.safe_load(path.read_text(encoding="utf-8"))
        except (OSError, yaml.YAMLError) as exc:
            problems.append(Problem(str(path), f"cannot read: {exc}"))
            continue
        for index, raw in enumerate(data if isinstance(data, list) else [data]):
            label = raw.get("id") if isinstance(raw, dict) else None
            try:
                items.append(StaticItem.model_validate(raw))
            except ValidationError as exc:
                for err in exc.errors():
                    field = ".".join(str(p) for p in err["loc"]) or None
                    problems.append(
                        Problem(str(path), err["msg"], label or f"item {index + 1}", field)
                    )
    duplicates = repeated(i.id for i in items)
    if duplicates:
        where = ", ".join(str(p) for p in files[:3]) + (" ..." if len(files) > 3 else "")
        problems.append(
            Problem(where, f"duplicate item ids: {', '.join(duplicates[:5])}", None, "id")
        )
    if problems:
        raise InputError("static probes", problems)
    return items


_LETTERED = re.compile(r"^\s*\(([A-Z])\)\s*(.+?)\s*$", re.MULTILINE)


def _answer_letter(answer: Any) -> str | None:
    text = answer[0] if isinstance(answer, list) and answer else answer
    match = re.fullmatch(r"\s*\(?([A-Z])\)?\s*", str(text))
    return match.group(1) if match else None


def _mwe_item(raw: dict[str, Any], behaviour: str, index: int, source: str) -> StaticItem:
    question = str(raw["question"])
    matching = raw["answer_matching_behavior"]
    not_matching = raw["answer_not_matching_behavior"]
    lettered = _LETTERED.findall(question)
    letter = _answer_letter(matching)
    if lettered and letter is not None:
        letters = [code for code, _ in lettered]
        if letter not in letters:
            raise ValueError(f"answer_matching_behavior {matching!r} is not among the choices")
        stem = question[: question.find(f"({letters[0]})")]
        stem = re.sub(r"\s*Choices:\s*$", "", stem).strip()
        choices = [text for _, text in lettered]
        misaligned = letters.index(letter)
    else:
        # Statement-style files: the two answers themselves are the choices.
        other = not_matching[0] if isinstance(not_matching, list) else not_matching
        stem = re.sub(r"\s*Answer:\s*$", "", question).strip()
        choices = [str(matching).strip(), str(other).strip()]
        misaligned = 0
    return StaticItem(
        id=f"{behaviour}-{index + 1:04d}",
        behaviour=behaviour,
        question=stem,
        choices=choices,
        misaligned=misaligned,
        source=source,
    )


def load_mwe_jsonl(path: Path, behaviour: str | None = None) -> list[StaticItem]:
    """Load a model-written-evaluations JSONL file.

    Each line has `question`, `answer_matching_behavior` and
    `answer_not_matching_behavior`; lettered choices "(A) ..." in the question are
    parsed so their order can be shuffled like assay's own probes.

    Args:
        path: The JSONL file.
        behaviour: Behaviour name for the items (default: the file name stem).

    Raises:
        InputError: The file is missing or any line is malformed (line numbers given).
    """
    name = behaviour or path.stem
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError("static probes", [Problem(str(path), f"cannot read: {exc}")]) from None
    items: list[StaticItem] = []
    problems: list[Problem] = []
    for number, line in enumerate(lines, start=1):
        if not line.strip():
            continue
        try:
            raw = json.loads(line)
            items.append(_mwe_item(raw, name, len(items), str(path)))
        except KeyError as exc:
            problems.append(
                Problem(
                    str(path),
                    "missing; each line needs question, answer_matching_behavior and "
                    "answer_not_matching_behavior",
                    f"line {number}",
                    str(exc.args[0]),
                )
            )
        except (json.JSONDecodeError, TypeError, ValueError) as exc:
            problems.append(Problem(str(path), f"line {number}: {exc}"))
    if problems:
        raise InputError("static probes", problems)
    if not items:
        raise InputError("static probes", [Problem(str(path), "no items in the file")])
    return items
