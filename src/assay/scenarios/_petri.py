"""Import Petri's seed instructions (Markdown with YAML front matter) as assay seeds."""

from __future__ import annotations

import importlib.util
import re
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path

import yaml
from pydantic import ValidationError

from ..errors import InputError, Problem
from ..schema import Seed

PETRI_TAG = "petri"
_FRONT_MATTER = re.compile(r"\A---\s*\n(.*?)\n---\s*\n(.*)\Z", re.DOTALL)


@dataclass
class PetriImport:
    """What an import produced: the seeds and how their tags were mapped."""

    seeds: list[Seed] = field(default_factory=list)
    mapped: int = 0
    unmapped_tags: dict[str, int] = field(default_factory=dict)


def installed_petri_seeds() -> Path:
    """The seed folder of an installed `inspect-petri` package.

    Raises:
        InputError: The package is not installed (it needs Python 3.12 or newer).
    """
    spec = importlib.util.find_spec("inspect_petri")
    locations = spec.submodule_search_locations if spec else None
    if not locations:
        raise InputError(
            "Petri seeds",
            [
                Problem(
                    "inspect_petri",
                    "not installed here (it needs Python >= 3.12); pass the folder holding "
                    "Petri's seed .md files, e.g. .../inspect_petri/_seeds/default",
                )
            ],
        )
    return Path(next(iter(locations))) / "_seeds" / "default"


def petri_tag_map() -> dict[str, str]:
    """Petri tag -> assay behaviour, from `data/petri_tags.yaml`."""
    path = resources.files("assay.scenarios") / "data" / "petri_tags.yaml"
    data: dict[str, str] = yaml.safe_load(path.read_text(encoding="utf-8"))
    return data


def _title(body: str) -> str:
    first = re.split(r"(?<=[.!?])\s", " ".join(body.split()), maxsplit=1)[0]
    return first if len(first) <= 100 else first[:97].rstrip() + "..."


def import_petri(folder: Path, behaviours: set[str]) -> PetriImport:
    """Convert a Petri seed file, or every one in a folder, into validated assay seeds.

    Tags that map onto assay behaviours become `behaviours`; every original tag is
    also kept in `tags` (plus `petri`), so nothing is dropped. A seed with no
    mappable tag gets the generic behaviour `concerning`.

    Raises:
        InputError: The path is missing, a folder holds no .md files, or a file is
            malformed.
    """
    if folder.is_file():
        files = [folder]
    elif folder.is_dir():
        files = sorted(folder.glob("*.md"))
        if not files:
            raise InputError("Petri seeds", [Problem(str(folder), "holds no .md seed files")])
    else:
        raise InputError("Petri seeds", [Problem(str(folder), "no such folder or file")])
    tag_map = petri_tag_map()
    result = PetriImport()
    problems: list[Problem] = []
    for path in files:
        try:
            text = path.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            problems.append(Problem(str(path), f"cannot read as UTF-8 text: {exc}"))
            continue
        match = _FRONT_MATTER.match(text)
        try:
            front = yaml.safe_load(match.group(1)) if match else None
        except yaml.YAMLError as exc:
            problems.append(Problem(str(path), f"front matter is not YAML: {exc}"))
            continue
        body = (match.group(2) if match else text).strip()
        tags = [str(t) for t in (front or {}).get("tags", []) or []]
        mapped = [tag_map[t] for t in tags if t in tag_map and tag_map[t] in behaviours]
        for tag in tags:
            if tag not in tag_map:
                result.unmapped_tags[tag] = result.unmapped_tags.get(tag, 0) + 1
        try:
            seed = Seed(
                id="petri-" + re.sub(r"[^a-z0-9]+", "-", path.stem.lower()).strip("-"),
                title=_title(body),
                behaviours=list(dict.fromkeys(mapped)) or ["concerning"],
                instructions=body,
                tags=[PETRI_TAG, *tags],
            )
        except ValidationError as exc:
            problems.append(Problem(str(path), exc.errors()[0]["msg"]))
            continue
        result.mapped += bool(mapped)
        result.seeds.append(seed)
    if problems:
        raise InputError("Petri seeds", problems)
    return result


def write_seeds(seeds: list[Seed], out: Path) -> list[Path]:
    """Write one YAML file per seed into `out` (created if needed)."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for seed in seeds:
        path = out / f"{seed.id}.yaml"
        data = seed.model_dump(mode="json", exclude_none=True, exclude_defaults=True)
        data = {"id": seed.id, **data}
        path.write_text(
            yaml.safe_dump([data], sort_keys=False, allow_unicode=True, width=100),
            encoding="utf-8",
        )
        written.append(path)
    return written
