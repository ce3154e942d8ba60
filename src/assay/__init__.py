"""assay: automated alignment auditing.

The public Python API; the `assay` command is a thin layer over it. Names are
imported on first use so that `assay --help` does not pay for Inspect's import.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from ._lazy import lazy_exports

if TYPE_CHECKING:
    from ._rejudge import rejudge
    from ._resume import resume_audit
    from ._run import RunProgress, RunResult, check_model_names, run_audit
    from ._static_run import StaticConfig, run_static
    from .errors import InputError, Problem, RunFailed, RunInterrupted
    from .judge import Calibration, LabelledTranscript, calibrate, load_labels, load_rubric
    from .models import ModelRegistry, load_registry
    from .recording import ImportSummary, import_logs
    from .report import Comparison, compare_models, print_summary, summarise, write_report
    from .scenarios import load_library, load_seeds, select_seeds
    from .schema import AuditRecord, JudgeVerdict, Rubric, RunConfig, Seed, Transcript
    from .store import Store

_EXPORTS = {
    "rejudge": "._rejudge",
    "StaticConfig": "._static_run",
    "run_static": "._static_run",
    "RunProgress": "._run",
    "RunResult": "._run",
    "check_model_names": "._run",
    "run_audit": "._run",
    "resume_audit": "._resume",
    "RunInterrupted": ".errors",
    "ImportSummary": ".recording",
    "import_logs": ".recording",
    "InputError": ".errors",
    "Problem": ".errors",
    "RunFailed": ".errors",
    "load_rubric": ".judge",
    "Calibration": ".judge",
    "LabelledTranscript": ".judge",
    "calibrate": ".judge",
    "load_labels": ".judge",
    "ModelRegistry": ".models",
    "load_registry": ".models",
    "Comparison": ".report",
    "compare_models": ".report",
    "print_summary": ".report",
    "summarise": ".report",
    "write_report": ".report",
    "load_library": ".scenarios",
    "load_seeds": ".scenarios",
    "select_seeds": ".scenarios",
    "AuditRecord": ".schema",
    "JudgeVerdict": ".schema",
    "Rubric": ".schema",
    "RunConfig": ".schema",
    "Seed": ".schema",
    "Transcript": ".schema",
    "Store": ".store",
}

__all__ = [
    "AuditRecord",
    "Calibration",
    "Comparison",
    "ImportSummary",
    "InputError",
    "JudgeVerdict",
    "LabelledTranscript",
    "ModelRegistry",
    "Problem",
    "Rubric",
    "RunConfig",
    "RunFailed",
    "RunInterrupted",
    "RunProgress",
    "RunResult",
    "Seed",
    "StaticConfig",
    "Store",
    "Transcript",
    "calibrate",
    "check_model_names",
    "compare_models",
    "import_logs",
    "load_labels",
    "load_library",
    "load_registry",
    "load_rubric",
    "load_seeds",
    "print_summary",
    "rejudge",
    "resume_audit",
    "run_audit",
    "run_static",
    "select_seeds",
    "summarise",
    "write_report",
]

__getattr__ = lazy_exports(__name__, _EXPORTS)
