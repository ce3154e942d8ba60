"""The result store; nothing else in assay touches SQL."""

from ._browse import AuditIndexEntry, AuditScores, CitationTally
from ._copy import CopySummary, copy_runs
from ._info import RunCounts, StoreInfo, store_info
from ._migrate import revisions
from ._store import DEFAULT_URL, RunInfo, Store, new_run_id

__all__ = [
    "DEFAULT_URL",
    "AuditIndexEntry",
    "AuditScores",
    "CitationTally",
    "CopySummary",
    "RunCounts",
    "RunInfo",
    "Store",
    "StoreInfo",
    "copy_runs",
    "new_run_id",
    "revisions",
    "store_info",
]
