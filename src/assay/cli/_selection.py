"""What `assay report` reports on: which runs, which judges' verdicts, which rubric."""

from __future__ import annotations

from collections import Counter
from collections.abc import Sequence
from pathlib import Path

from ..errors import InputError, Problem
from ..schema import STATIC_RUBRIC, AuditRecord, Rubric
from ..store import RunInfo

SELECTION_HELP = (
    "Without --run or --all: the latest audit run together with the static runs started "
    "after it (as `assay demo` makes them); a store without audit runs: its latest static run."
)


def is_static(info: RunInfo) -> bool:
    """Whether a run is a static eval run (else an audit run)."""
    return info.rubric == STATIC_RUBRIC


def select_runs(known: list[RunInfo], run_ids: Sequence[str], every: bool) -> list[RunInfo]:
    """The runs a report covers (see `SELECTION_HELP`); `known` is oldest first.

    Raises:
        InputError: An id in `run_ids` is not in the store.
    """
    if every:
        return list(known)
    if run_ids:
        by_id = {r.id: r for r in known}
        missing = [i for i in run_ids if i not in by_id]
        if missing:
            raise InputError(
                "run",
                [
                    Problem(i, "no run with this id in the store (see `assay runs`)")
                    for i in missing
                ],
            )
        return [by_id[i] for i in dict.fromkeys(run_ids)]
    audit_runs = [r for r in known if not is_static(r)]
    if not audit_runs:
        return [known[-1]]
    latest = audit_runs[-1]
    return [latest] + [r for r in known if is_static(r) and r.started >= latest.started]


def only_judges(records: list[AuditRecord], judges: Sequence[str]) -> list[AuditRecord]:
    """Keep the verdicts of `judges` (model names or panel seats).

    Raises:
        InputError: A judge gave no verdict in these audits (naming those that did).
    """
    given = {n for r in records for v in r.verdicts for n in (v.judge, v.seat, v.panel_member)}
    missing = [j for j in judges if j not in given]
    if missing:
        held = sorted({v.panel_member for r in records for v in r.verdicts})
        listing = ", ".join(held) if held else "none (no verdicts at all)"
        raise InputError(
            "--judge",
            [
                Problem(j, f"gave no verdict in the selected runs; judges here: {listing}")
                for j in missing
            ],
        )
    wanted = set(judges)
    return [
        r.model_copy(
            update={
                "verdicts": [v for v in r.verdicts if {v.judge, v.panel_member, v.seat} & wanted]
            }
        )
        for r in records
    ]


def verdict_rubrics(records: list[AuditRecord]) -> Counter[str]:
    """How many verdicts the audits hold under each rubric key."""
    return Counter(v.rubric for r in records for v in r.verdicts)


def _held(records: list[AuditRecord]) -> str:
    counts = verdict_rubrics(records)
    return ", ".join(f"{key} ({n} verdicts)" for key, n in counts.most_common()) or "none"


def run_rubric(info: RunInfo, records: list[AuditRecord]) -> Rubric:
    """The rubric an audit run was judged with: a shipped rubric with its key, or the
    run's own rubric file if it is still there unchanged.

    Raises:
        InputError: The run's rubric cannot be found (naming the rubrics the audits
            hold and how to pass one).
    """
    from ..judge import load_rubric, shipped_rubric

    shipped = shipped_rubric(info.rubric)
    if shipped is not None:
        return load_rubric(shipped)
    configured = info.config.get("rubric")
    why = "was not recorded"
    if configured:
        try:
            rubric = load_rubric(configured)
        except InputError:
            why = f"({configured}) cannot be loaded any more"
        else:
            if rubric.key == info.rubric:
                return rubric
            why = f"({configured}) has changed since (its key is now {rubric.key})"
    raise InputError(
        "rubric",
        [
            Problem(
                info.id,
                f"was judged with rubric {info.rubric}, whose file {why}; the selected audits "
                f"hold verdicts under: {_held(records)}; pass the matching file with "
                "--rubric FILE",
                field="--rubric",
            )
        ],
    )


def report_rubric(runs: list[RunInfo], records: list[AuditRecord], path: Path | None) -> Rubric:
    """The rubric to report under: `path`, else that of the latest audit run selected.

    Raises:
        InputError: The rubric cannot be found, or no verdict was given under it
            while the audits hold verdicts under other rubrics.
    """
    from ..judge import load_rubric

    audit_runs = [r for r in runs if not is_static(r)]
    if path is not None:
        rubric = load_rubric(path)
    elif audit_runs:
        rubric = run_rubric(audit_runs[-1], records)
    else:
        rubric = load_rubric()
    held = verdict_rubrics(records)
    if held and rubric.key not in held:
        raise InputError(
            "rubric",
            [
                Problem(
                    rubric.key,
                    f"no verdict in the selected runs was given under this rubric; they hold "
                    f"verdicts under: {_held(records)}; pass the matching file with "
                    "--rubric FILE",
                    field="--rubric",
                )
            ],
        )
    return rubric
