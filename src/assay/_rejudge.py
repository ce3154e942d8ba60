"""Re-judging stored transcripts with new judges or a new rubric.

Only judge models are called: the target and the auditor are never contacted.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ._run import RunProgress, check_model_names
from .errors import InputError, Problem
from .judge import judge_transcript, load_rubric
from .schema import REJUDGE_ROLE, AuditRecord, JudgeVerdict, Rubric, Usage
from .store import Store

if TYPE_CHECKING:
    from inspect_ai.model import Model


async def _judge_audit(
    record: AuditRecord, judges: list[Model], rubric: Rubric, retries: int
) -> tuple[list[JudgeVerdict], dict[str, Usage]]:
    usages = [Usage() for _ in judges]
    verdicts = await asyncio.gather(
        *(
            judge_transcript(j, record.transcript, rubric, retries=retries, usage=u)
            for j, u in zip(judges, usages, strict=True)
        )
    )
    seats = rejudge_seats([str(j) for j in judges])
    usage = {f"{REJUDGE_ROLE}{seat}": u for seat, u in zip(seats, usages, strict=True)}
    return [v.model_copy(update={"seat": s}) for v, s in zip(verdicts, seats, strict=True)], usage


def rejudge_seats(models: list[str]) -> list[str]:
    """Seats of a re-judging panel: the model's name (`#2`, `#3` for repeats).

    Re-judging with the same model replaces that model's earlier re-judge verdict;
    the run's own seats (`judge`, `judge2`, ...) are never overwritten.
    """
    seen: dict[str, int] = {}
    seats = []
    for model in models:
        seen[model] = seen.get(model, 0) + 1
        seats.append(model if seen[model] == 1 else f"{model}#{seen[model]}")
    return seats


async def _rejudge_all(
    records: list[AuditRecord],
    judges: list[Model],
    rubric: Rubric,
    retries: int,
    store: Store,
    progress: RunProgress | None,
) -> None:
    async def one(record: AuditRecord) -> None:
        verdicts, usage = await _judge_audit(record, judges, rubric, retries)
        assert record.id is not None
        store.add_verdicts(record.id, verdicts)
        store.add_usage(record.id, usage)  # reports count re-judging's tokens and cost
        if progress is not None:
            progress.audit_done(record.model_copy(update={"verdicts": verdicts}))

    await asyncio.gather(*(one(r) for r in records))


def rejudge(
    store: Store,
    run_ids: list[str],
    judges: Sequence[str | Model],
    rubric: str | Path | None = None,
    retries: int = 2,
    progress: RunProgress | None = None,
) -> list[AuditRecord]:
    """Judge the stored transcripts of `run_ids` again and store the new verdicts.

    Audits that were never judged (`error`, `auditor_failure`) are skipped. New
    verdicts carry their judge and rubric version, so they sit beside the old ones.

    Args:
        store: The store holding the runs.
        run_ids: Runs whose transcripts to judge.
        judges: Inspect model names, or configured Inspect models.
        rubric: Rubric file (default: the shipped rubric).
        retries: Extra attempts per judge on unusable output.
        progress: Told the number of audits, then each re-judged audit.

    Returns:
        The re-judged audits as now stored.

    Raises:
        InputError: Unknown run, bad rubric or judge name, or nothing to judge.
    """
    loaded = load_rubric(rubric)
    if not judges:
        raise InputError("--judge", [Problem("(none)", "give at least one judge model")])
    for run_id in run_ids:
        store.run(run_id)
    check_model_names([("--judge", j) for j in judges if isinstance(j, str)])
    records = [r for r in store.audits(run_ids) if r.status == "ok"]
    if not records:
        raise InputError(
            "run", [Problem(", ".join(run_ids), "has no completed audits to judge", field="--run")]
        )
    if progress is not None:
        progress.start(len(records), skipped=0)
    from inspect_ai.model import get_model

    models = [get_model(j) if isinstance(j, str) else j for j in judges]
    asyncio.run(_rejudge_all(records, models, loaded, retries, store, progress))
    rejudged = {r.id for r in records}
    return [r for r in store.audits(run_ids) if r.id in rejudged]
