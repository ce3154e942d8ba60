"""The result store; nothing else in assay touches SQL."""

from ._store import DEFAULT_URL, RunInfo, Store, new_run_id

__all__ = ["DEFAULT_URL", "RunInfo", "Store", "new_run_id"]
