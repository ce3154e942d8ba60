"""The result store; nothing else in assay touches SQL."""

from ._store import (
    DEFAULT_URL,
    AuditListener,
    RunInfo,
    Store,
    record_audit,
    start_recording,
    stop_recording,
)

__all__ = [
    "DEFAULT_URL",
    "AuditListener",
    "RunInfo",
    "Store",
    "record_audit",
    "start_recording",
    "stop_recording",
]
