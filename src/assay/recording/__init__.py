"""How audits reach the store: from Inspect's record of each sample, by one path.

Live, the `StoreHook` writes each finished sample to the store named by `ASSAY_DB`
(any process: `assay audit`, `inspect eval assay/audit`, a cluster worker); after
the fact, `import_logs` reads the same samples from eval logs. Names load on first
use, so Inspect's start-up import of the hook stays cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import lazy_exports

if TYPE_CHECKING:
    from ._hook import STORE_ENV, StoreHook, listening, recording_to, run_status
    from ._import import ImportSummary, import_logs, log_files
    from ._sample import AuditContext, audit_context, audit_from_sample, is_audit

_EXPORTS = {
    "STORE_ENV": "._hook",
    "StoreHook": "._hook",
    "listening": "._hook",
    "recording_to": "._hook",
    "run_status": "._hook",
    "ImportSummary": "._import",
    "import_logs": "._import",
    "log_files": "._import",
    "AuditContext": "._sample",
    "audit_context": "._sample",
    "audit_from_sample": "._sample",
    "is_audit": "._sample",
}

__all__ = [
    "STORE_ENV",
    "AuditContext",
    "ImportSummary",
    "StoreHook",
    "audit_context",
    "audit_from_sample",
    "import_logs",
    "is_audit",
    "listening",
    "log_files",
    "recording_to",
    "run_status",
]

__getattr__ = lazy_exports(__name__, _EXPORTS)
