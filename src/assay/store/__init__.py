"""The result store; nothing else in assay touches SQL."""

from ._store import (
    DEFAULT_URL,
    RunInfo,
    Store,
    recording_store,
    start_recording,
    stop_recording,
)

__all__ = [
    "DEFAULT_URL",
    "RunInfo",
    "Store",
    "recording_store",
    "start_recording",
    "stop_recording",
]
