"""`assay import-logs`: fill the store from Inspect eval logs.

Inspect users already keep eval logs; any `assay/audit` log (from `inspect eval`,
`assay audit`, a crashed run or another machine) can be imported. Importing is
idempotent: an audit is keyed by (run, seed, epoch, target) and replaced, never
duplicated.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from inspect_ai.log import (
    EvalLog,
    EvalSample,
    list_eval_logs,
    read_eval_log,
    read_eval_log_sample,
    read_eval_log_sample_summaries,
    read_eval_log_samples,
)

from ..errors import InputError, Problem
from ..store import Store
from ._hook import run_status
from ._register import register_eval
from ._sample import audit_context, audit_from_sample, is_audit


@dataclass
class ImportSummary:
    """What an import did."""

    logs: int = 0
    """Audit logs read (other Inspect logs are skipped)."""
    written: int = 0
    """Audits written to the store."""
    kept: int = 0
    """Audits already in the store and left alone (`only_missing`)."""
    unfinished: int = 0
    """Samples Inspect cancelled midway (not audits; a resumed run redoes them)."""
    runs: list[str] = field(default_factory=list)
    """The runs the audits belong to."""


def log_files(sources: Iterable[str | Path]) -> list[str]:
    """Eval log files named by `sources` (files, or folders searched recursively).

    Raises:
        InputError: A source does not exist.
    """
    found: list[str] = []
    for source in sources:
        path = Path(str(source).removeprefix("file://"))
        if path.is_dir():
            found += [
                info.name.removeprefix("file://")
                for info in list_eval_logs(str(path), descending=False)
            ]
        elif path.is_file():
            found.append(str(path))
        else:
            raise InputError(
                "eval logs", [Problem(str(source), "no such file or folder", field="LOGS")]
            )
    return found


def _read_header(path: str) -> EvalLog:
    try:
        return read_eval_log(path, header_only=True)
    except Exception as exc:
        raise InputError(
            "eval logs", [Problem(path, f"not a readable Inspect eval log ({exc})")]
        ) from None


def import_logs(
    store: Store, sources: Iterable[str | Path], only_missing: bool = False
) -> ImportSummary:
    """Write the audits recorded in eval logs to the store.

    A run missing from the store is created from the log's settings and closed with
    the log's status; an existing run gains any new target.

    Args:
        store: Where the audits go.
        sources: Eval log files or folders.
        only_missing: Leave audits the store already has untouched (used after a
            live run, when the store hook wrote them as they finished).

    Raises:
        InputError: A source is missing or not an eval log.
    """
    summary = ImportSummary()
    for path in log_files(sources):
        header = _read_header(path)
        if not is_audit(header.eval):
            continue
        summary.logs += 1
        context = audit_context(header.eval)
        created = register_eval(store, context)
        if context.run_id not in summary.runs:
            summary.runs.append(context.run_id)
        have = store.audit_keys(context.run_id) if only_missing else set()
        samples: Iterable[EvalSample]
        if have and header.status == "success":
            # A finished log lists its samples: read only those the store lacks
            # (after a live run, usually none).
            listed = [(s.id, s.epoch) for s in read_eval_log_sample_summaries(path)]
            missing = [(i, e) for i, e in listed if (str(i), e, context.target) not in have]
            summary.kept += len(listed) - len(missing)
            samples = (
                read_eval_log_sample(
                    path, i, e, resolve_attachments=True, exclude_fields={"events"}
                )
                for i, e in missing
            )
        else:
            samples = read_eval_log_samples(
                path,
                all_samples_required=False,
                resolve_attachments=True,
                exclude_fields={"events"},
            )
        for sample in samples:
            if (str(sample.id), sample.epoch, context.target) in have:
                summary.kept += 1
                continue
            record = audit_from_sample(sample, context)
            if record is None:
                summary.unfinished += 1
                continue
            store.write_audit(record)
            summary.written += 1
        if created:
            status, error = run_status([header.status])
            store.finish_run(context.run_id, status, error)
    return summary
