"""Masking secrets in Inspect's eval logs.

Inspect records a failed model call's message in its log before assay sees the
error, and a provider's message can quote an API key. After each audit eval ends,
its log is read back and rewritten with every secret masked (only when one is
found, so clean logs are never rewritten).
"""

from __future__ import annotations

from inspect_ai.log import EvalLog, read_eval_log, write_eval_log

from .._redact import redact, secret_values


def scrub_eval_log(path: str) -> bool:
    """Mask API keys, tokens and URL passwords in an eval log file, in place.

    Returns:
        Whether the log held a secret (and was rewritten).
    """
    secrets = secret_values()
    log = read_eval_log(path)
    raw = log.model_dump_json()
    cleaned = redact(raw, secrets)
    if cleaned == raw:
        return False
    write_eval_log(EvalLog.model_validate_json(cleaned), path)
    return True
