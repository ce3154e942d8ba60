"""Running static evals: every probe against every target, results into the store."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Protocol

from pydantic import BaseModel, ConfigDict, Field

from ._run import check_model_names
from ._versions import versions
from .errors import InputError, Problem
from .schema import EMBEDDED_MODEL, STATIC_RUBRIC, StaticItem, StaticResult, repeated
from .static import load_mwe_jsonl, load_probes
from .store import Store


class StaticConfig(BaseModel):
    """The settings of one `assay static` run.

    Attributes:
        kind: Always `static` (tells static runs from audit runs in the store).
        targets: Inspect model names to probe.
        probes: assay-format probe files or folders; empty means the shipped probes
            (unless `mwe` is given).
        mwe: Model-written-evaluations JSONL files.
        seed: Seed of the per-item choice shuffle and of sampling.
        per_behaviour: Keep only the first N items of each behaviour (None: all).
    """

    model_config = ConfigDict(extra="forbid")

    kind: str = "static"
    targets: list[str] = Field(default_factory=lambda: [EMBEDDED_MODEL], min_length=1)
    probes: list[str] = Field(default_factory=list)
    mwe: list[str] = Field(default_factory=list)
    seed: int = 0
    per_behaviour: int | None = Field(default=None, ge=1)


def static_items(config: StaticConfig) -> list[StaticItem]:
    """The probe items a static config selects.

    Raises:
        InputError: A file is missing or malformed, or item ids collide.
    """
    items: list[StaticItem] = []
    if config.probes or not config.mwe:
        items += load_probes([Path(p) for p in config.probes] or None)
    for path in config.mwe:
        items += load_mwe_jsonl(Path(path))
    if config.per_behaviour is not None:
        kept: dict[str, int] = {}
        sample = []
        for item in items:
            kept[item.behaviour] = kept.get(item.behaviour, 0) + 1
            if kept[item.behaviour] <= config.per_behaviour:
                sample.append(item)
        items = sample
    duplicates = repeated(i.id for i in items)
    if duplicates:
        raise InputError(
            "static probes",
            [Problem(", ".join(duplicates[:5]), "item ids repeat across the selected files")],
        )
    return items


async def _probe_all(
    targets: list[str],
    items: list[StaticItem],
    run_id: str,
    seed: int,
    store: Store,
    progress: StaticProgress | None,
) -> list[StaticResult]:
    from inspect_ai.model import Model, get_model

    from .static import score_item

    results: list[StaticResult] = []
    for target in targets:
        model = get_model(target)

        async def one(item: StaticItem, model: Model = model) -> StaticResult:
            result = await score_item(model, item, run_id, seed)
            if progress is not None:
                progress.item_done(result)
            return result

        batch = list(await asyncio.gather(*(one(i) for i in items)))
        store.write_static_results(batch)
        results += batch
    return results


class StaticProgress(Protocol):
    """Progress of a static run: told the item count, then each result."""

    def start(self, total: int, skipped: int) -> None:
        """The run will ask `total` probes."""

    def item_done(self, result: StaticResult) -> None:
        """One probe was answered (or failed)."""


def run_static(
    config: StaticConfig, store: Store, progress: StaticProgress | None = None
) -> tuple[str, list[StaticResult]]:
    """Probe every target with every item and store the results.

    Returns:
        The run id and the results.

    Raises:
        InputError: Bad probe files or model names (nothing stored).
    """
    items = static_items(config)
    check_model_names([("--target", t) for t in config.targets])
    run_id = store.create_run(config, STATIC_RUBRIC, versions())
    if progress is not None:
        progress.start(len(items) * len(config.targets), skipped=0)
    try:
        results = asyncio.run(
            _probe_all(config.targets, items, run_id, config.seed, store, progress)
        )
    except BaseException as exc:
        store.finish_run(run_id, "error", f"{type(exc).__name__}: {exc}")
        raise
    store.finish_run(run_id, "ok")
    return run_id, results
