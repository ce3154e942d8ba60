"""Labelled transcripts: the shipped YAML set, a user's YAML file, or a CSV of human
labels on stored audits. Loaded and checked here; `_calibrate` measures judges on them."""

from __future__ import annotations

import csv
from collections import defaultdict
from importlib import resources
from pathlib import Path
from statistics import median
from typing import TYPE_CHECKING

import yaml
from pydantic import BaseModel, ConfigDict, Field, ValidationError

from .._input import read_input_text
from .._yaml import load_yaml
from ..errors import InputError, Problem
from ..schema import SCORE_MAX, SCORE_MIN, Rubric, Transcript, TranscriptEvent

if TYPE_CHECKING:
    from ..store import Store

CSV_COLUMNS = ("audit", "dimension", "score", "labeller")
PROBLEMS_SHOWN = 20
"""Bad CSV rows listed in one error message; the rest are counted."""


class Label(BaseModel):
    """The reference score of one transcript on one dimension, and why.

    With several labellers (CSV), `score` is the median of theirs, kept in `scores`.
    """

    model_config = ConfigDict(extra="forbid")

    score: float = Field(ge=SCORE_MIN, le=SCORE_MAX)
    reason: str = ""
    scores: dict[str, int] = Field(default_factory=dict)
    """Each labeller's own score (CSV labels)."""


class LabelledTranscript(BaseModel):
    """A transcript with reference scores on some rubric dimensions."""

    model_config = ConfigDict(extra="forbid")

    id: str
    title: str = ""
    labels: dict[str, Label] = Field(min_length=1)
    events: list[TranscriptEvent] = Field(default_factory=list)
    audit: int | None = None
    """The stored audit the labels are about (CSV labels); None for shipped transcripts."""

    @property
    def transcript(self) -> Transcript:
        """The events as a `Transcript`, as judges read it."""
        return Transcript(events=list(self.events))


class _LabelFile(BaseModel):
    model_config = ConfigDict(extra="forbid")

    labeller: str
    transcripts: list[LabelledTranscript]


def shipped_labels_path() -> Path:
    """The folder of labelled transcripts shipped with assay (see docs/calibration.md)."""
    return Path(str(resources.files("assay.judge") / "data" / "labels"))


def load_labels(
    path: str | Path | None = None,
    *,
    rubric: Rubric | None = None,
    store: Store | None = None,
) -> list[LabelledTranscript]:
    """Load labelled transcripts and check them.

    Args:
        path: A YAML labels file, a folder of them, or a CSV of labels on stored
            audits (columns audit, dimension, score, labeller); None: the shipped set.
        rubric: When given, every labelled dimension must be one of its dimensions.
        store: The store holding the audits a CSV names.

    Raises:
        InputError: Missing or unreadable file, a bad field, column or row, an
            unknown dimension or audit, a CSV without a store.
    """
    source = Path(path) if path is not None else shipped_labels_path()
    if source.suffix.lower() == ".csv":
        if store is None:
            raise InputError(
                "labels",
                [
                    Problem(
                        str(source), "a CSV of labels names stored audits; pass the store (--db)"
                    )
                ],
            )
        return _load_csv(source, store, rubric)
    if source.is_dir():
        files = sorted(p for p in source.iterdir() if p.suffix in (".yaml", ".yml"))
        if not files:
            raise InputError("labels", [Problem(str(source), "folder holds no .yaml label files")])
    else:
        files = [source]
    items: list[LabelledTranscript] = []
    seen: dict[str, Path] = {}
    problems: list[Problem] = []
    for file in files:
        for item in _load_yaml_file(file):
            if item.id in seen:
                problems.append(
                    Problem(str(file), f"id also used in {seen[item.id]}", item.id, "id")
                )
            seen[item.id] = file
            problems += _unknown_dimensions(str(file), item.id, item.labels, rubric)
            items.append(item)
    if problems:
        raise InputError("labels", problems)
    return items


def _unknown_dimensions(
    source: str, item: str, labels: dict[str, Label], rubric: Rubric | None
) -> list[Problem]:
    if rubric is None:
        return []
    return [
        Problem(
            source,
            f"unknown dimension; use one of the rubric's: {', '.join(rubric.names)}",
            item,
            f"labels.{name}",
        )
        for name in labels
        if name not in rubric.names
    ]


def _read(source: Path) -> str:
    return read_input_text(source, "labels", encoding="utf-8-sig")


def _load_yaml_file(source: Path) -> list[LabelledTranscript]:
    try:
        data = load_yaml(_read(source))
    except yaml.YAMLError as exc:
        raise InputError("labels", [Problem(str(source), f"not valid YAML: {exc}")]) from None
    if not isinstance(data, dict):
        raise InputError(
            "labels", [Problem(str(source), "expected a mapping with labeller and transcripts")]
        )
    try:
        return _LabelFile.model_validate(data).transcripts
    except ValidationError as exc:
        problems = []
        given = data.get("transcripts")
        raw: list[object] = given if isinstance(given, list) else []
        for err in exc.errors():
            loc = list(err["loc"])
            item = None
            if len(loc) >= 2 and loc[0] == "transcripts" and isinstance(loc[1], int):
                entry = raw[loc[1]] if loc[1] < len(raw) else None
                item = entry.get("id") if isinstance(entry, dict) else None
                item = str(item or f"transcript {loc[1] + 1}")
                loc = loc[2:]
            field = ".".join(str(p) for p in loc) or None
            problems.append(Problem(str(source), err["msg"], item, field))
        raise InputError("labels", problems) from None


def _load_csv(source: Path, store: Store, rubric: Rubric | None) -> list[LabelledTranscript]:
    reader = csv.DictReader(_read(source).splitlines())
    header = [name.strip() for name in reader.fieldnames or []]
    reader.fieldnames = header
    missing = [c for c in CSV_COLUMNS if c not in header]
    if missing:
        raise InputError(
            "labels",
            [
                Problem(
                    str(source),
                    f"missing column(s) {', '.join(missing)}; the first row must name the "
                    f"columns {', '.join(CSV_COLUMNS)}",
                    "row 1",
                    "header",
                )
            ],
        )
    rows = list(reader)
    if not rows:
        raise InputError(
            "labels", [Problem(str(source), "holds no labels; add one row per audit and dimension")]
        )
    problems: list[Problem] = []
    scores: dict[int, dict[str, dict[str, int]]] = defaultdict(lambda: defaultdict(dict))
    records = {}
    for number, row in enumerate(rows, start=2):
        where = f"row {number}"
        audit_text = (row.get("audit") or "").strip()
        dimension = (row.get("dimension") or "").strip()
        labeller = (row.get("labeller") or "").strip()
        if not audit_text.isdigit():
            problems.append(
                Problem(
                    str(source),
                    f"audit must be a stored audit's id (an integer), not {audit_text!r}",
                    where,
                    "audit",
                )
            )
            continue
        audit = int(audit_text)
        if audit not in records:
            records[audit] = store.audit(audit)
        if records[audit] is None:
            problems.append(
                Problem(
                    str(source),
                    f"no audit {audit} in {store.safe_url}; use an "
                    "id from this store or pass the right one with --db",
                    where,
                    "audit",
                )
            )
        if rubric is not None and dimension not in rubric.names:
            problems.append(
                Problem(
                    str(source),
                    f"unknown dimension {dimension!r}; use one of "
                    f"the rubric's: {', '.join(rubric.names)}",
                    where,
                    "dimension",
                )
            )
        score = _score(row.get("score"))
        if score is None:
            problems.append(
                Problem(
                    str(source),
                    f"score must be an integer from {SCORE_MIN} to "
                    f"{SCORE_MAX}, not {row.get('score')!r}",
                    where,
                    "score",
                )
            )
        if not labeller:
            problems.append(Problem(str(source), "name who gave the score", where, "labeller"))
        if score is not None and labeller:
            if labeller in scores[audit][dimension]:
                problems.append(
                    Problem(
                        str(source),
                        f"{labeller} already scored audit {audit} on {dimension}; keep one row",
                        where,
                    )
                )
            scores[audit][dimension][labeller] = score
    if len(problems) > PROBLEMS_SHOWN:
        more = len(problems) - PROBLEMS_SHOWN
        problems = [*problems[:PROBLEMS_SHOWN], Problem(str(source), f"and {more} more problems")]
    if problems:
        raise InputError("labels", problems)
    items = []
    for audit, per_dimension in scores.items():
        record = records[audit]
        assert record is not None
        labels = {
            name: Label(
                score=float(median(given.values())),
                scores=dict(given),
                reason=f"{len(given)} labeller(s): {', '.join(sorted(given))}",
            )
            for name, given in per_dimension.items()
        }
        items.append(
            LabelledTranscript(
                id=f"audit-{audit}",
                title=record.seed_id,
                labels=labels,
                events=list(record.transcript.events),
                audit=audit,
            )
        )
    return items


def _score(text: str | None) -> int | None:
    value = (text or "").strip()
    if not value.isdigit() or not SCORE_MIN <= int(value) <= SCORE_MAX:
        return None
    return int(value)
