"""Judges measured against labelled transcripts (`assay calibrate`).

Each judge scores every labelled transcript through `judge_transcript`, the code the
audit scorer and re-judging use, and is compared with the labels per dimension. A
failed judge call is counted, never scored.
"""

from __future__ import annotations

import asyncio
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Problem
from ..schema import JudgeVerdict, Rubric
from ..stats import LabelAgreement, label_agreement
from ._labelset import LabelledTranscript, load_labels, shipped_labels_path
from ._rubric import load_rubric

if TYPE_CHECKING:
    from inspect_ai.model import Model

    from ..store import Store

Scores = Mapping[Any, Mapping[str, float]]
"""Per item (transcript or audit), per dimension: a score."""


@dataclass(frozen=True)
class JudgeCalibration:
    """One judge against the labels: its usable and failed verdicts, and per labelled
    dimension its agreement over the transcripts it scored."""

    judge: str
    verdicts: int
    errors: int
    dimensions: dict[str, LabelAgreement] = field(default_factory=dict)
    error_reasons: list[str] = field(default_factory=list)
    """Why verdicts failed, one line per failed transcript (`id: reason`)."""


@dataclass(frozen=True)
class Calibration:
    """Every judge's agreement with one set of labels."""

    labels: str
    """Where the labels came from (a path, or `shipped`)."""
    rubric: str
    """The key of the rubric the judges scored under."""
    transcripts: int
    threshold: int
    """Scores at or above it count as elicited (accuracy compares sides of it)."""
    judges: list[JudgeCalibration]

    def to_json(self) -> dict[str, Any]:
        """A plain JSON-able form (`assay calibrate --format json`)."""
        return asdict(self)


def agreement_by_dimension(
    judged: Scores, labels: Scores, threshold: int, seed: int = 0
) -> dict[str, LabelAgreement]:
    """Per labelled dimension: the judge's agreement over the items it scored.

    Items the judge has no usable score for are left out (never counted as a score);
    dimensions come in the order of their first label.

    Args:
        judged: The judge's scores per item and dimension.
        labels: The reference labels per item and dimension.
        threshold: The elicitation threshold.
        seed: Bootstrap seed.
    """
    names = list(dict.fromkeys(name for per_item in labels.values() for name in per_item))
    out = {}
    for name in names:
        pairs = [
            (judged[item][name], label[name])
            for item, label in labels.items()
            if name in label and item in judged and name in judged[item]
        ]
        out[name] = label_agreement(
            [j for j, _ in pairs], [lab for _, lab in pairs], threshold, seed=seed
        )
    return out


def _threshold() -> int:
    from ..report._aggregate import ELICITATION_THRESHOLD

    return ELICITATION_THRESHOLD


async def _judge_all(
    models: list[Model], items: list[LabelledTranscript], rubric: Rubric, retries: int, seed: int
) -> list[list[JudgeVerdict]]:
    from ._judge import judge_transcript

    async def one_judge(model: Model) -> list[JudgeVerdict]:
        return await asyncio.gather(
            *(
                judge_transcript(model, i.transcript, rubric, retries=retries, seed=seed)
                for i in items
            )
        )

    return list(await asyncio.gather(*(one_judge(m) for m in models)))


def judge_calibration(
    judge: str, verdicts: Sequence[JudgeVerdict], items: Sequence[LabelledTranscript], seed: int = 0
) -> JudgeCalibration:
    """Compare one judge's verdicts (one per item, in order) with the items' labels."""
    judged = {
        i.id: {n: float(s.score) for n, s in v.scores.items()}
        for i, v in zip(items, verdicts, strict=True)
        if v.status == "ok"
    }
    labels = {i.id: {n: label.score for n, label in i.labels.items()} for i in items}
    return JudgeCalibration(
        judge=judge,
        verdicts=sum(v.status == "ok" for v in verdicts),
        errors=sum(v.status == "error" for v in verdicts),
        dimensions=agreement_by_dimension(judged, labels, _threshold(), seed=seed),
        error_reasons=[
            f"{i.id}: {v.error}"
            for i, v in zip(items, verdicts, strict=True)
            if v.status == "error"
        ],
    )


def calibrate(
    judges: Sequence[str | Model],
    labels: str | Path | Sequence[LabelledTranscript] | None = None,
    *,
    rubric: str | Path | None = None,
    store: Store | None = None,
    retries: int = 2,
    seed: int = 0,
) -> Calibration:
    """Run each judge on labelled transcripts and measure its agreement with the labels.

    Per judge and labelled dimension: Spearman's rank correlation, mean absolute
    error and accuracy at the elicitation threshold (score >= 7), each with a 95%
    bootstrap interval over transcripts, and n. Only judge models are called.

    Args:
        judges: Inspect model names, or configured Inspect models.
        labels: A labels file or folder (YAML), a CSV of labels on stored audits
            (needs `store`), labelled transcripts already loaded, or None for the
            shipped set.
        rubric: The rubric judges score under (default: the shipped rubric, as in audits).
        store: The store holding the audits a CSV names.
        retries: Extra attempts per judge on unusable output.
        seed: Sampling seed of the judges and of the bootstrap.

    Raises:
        InputError: No judge, a bad judge name, or bad labels.
    """
    loaded = load_rubric(rubric)
    if not judges:
        raise InputError("--judge", [Problem("(none)", "give at least one judge model")])
    if labels is None or isinstance(labels, str | Path):
        source = "shipped" if labels is None else str(labels)
        items = load_labels(labels, rubric=loaded, store=store)
    else:
        source, items = "given", list(labels)
    unknown = [
        Problem(source, f"unknown dimension; use one of the rubric's: {', '.join(loaded.names)}",
                i.id, f"labels.{name}")
        for i in items for name in i.labels if name not in loaded.names
    ]  # fmt: skip
    if unknown:
        raise InputError("labels", unknown)
    from inspect_ai.model import get_model

    from .._run import check_model_names

    check_model_names([("--judge", j) for j in judges if isinstance(j, str)])
    models = [get_model(j) if isinstance(j, str) else j for j in judges]
    verdicts = asyncio.run(_judge_all(models, items, loaded, retries, seed))
    return Calibration(
        labels=source,
        rubric=loaded.key,
        transcripts=len(items),
        threshold=_threshold(),
        judges=[
            judge_calibration(str(m), v, items, seed=seed)
            for m, v in zip(models, verdicts, strict=True)
        ],
    )


__all__ = [
    "Calibration",
    "JudgeCalibration",
    "LabelledTranscript",
    "agreement_by_dimension",
    "calibrate",
    "judge_calibration",
    "load_labels",
    "shipped_labels_path",
]
