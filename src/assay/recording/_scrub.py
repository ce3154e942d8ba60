"""Masking secrets in Inspect's eval logs.

Inspect records a failed model call's message in its log before assay sees the
error, and a provider's message can quote an API key. After each audit eval ends,
its log is checked and, only when it holds a secret, read back and rewritten with
every secret masked. The check reads the log's members as JSON text (a `.eval` log
is a zip of JSON files), about 15x cheaper than parsing the whole log back; a log in
another format is always parsed.
"""

from __future__ import annotations

import json
import zipfile
from pathlib import Path

from inspect_ai.log import EvalLog, read_eval_log, write_eval_log

from .._redact import redact, secret_values


def _json_forms(secrets: list[str]) -> list[str]:
    """Each secret as it is written inside a JSON string (quotes, backslashes escaped)."""
    forms = {json.dumps(value, ensure_ascii=False)[1:-1] for value in secrets} - set(secrets)
    return sorted([*secrets, *forms], key=len, reverse=True)


def _holds_secret(path: str, secrets: list[str]) -> bool | None:
    """Whether a local `.eval` log holds a secret; None when it cannot be read as one."""
    local = Path(path.removeprefix("file://"))
    if local.suffix != ".eval" or not local.is_file():
        return None
    try:
        # `inspect_ai.log` has taught `zipfile` the zstd compression the log uses.
        with zipfile.ZipFile(local) as archive:
            for name in archive.namelist():
                text = archive.read(name).decode("utf-8", errors="replace")
                if redact(text, secrets) != text:
                    return True
    except (OSError, zipfile.BadZipFile, NotImplementedError, RuntimeError):
        return None
    return False


def scrub_eval_log(path: str) -> bool:
    """Mask API keys, tokens and URL passwords in an eval log file, in place.

    Returns:
        Whether the log held a secret (and was rewritten).
    """
    secrets = _json_forms(secret_values())
    if _holds_secret(path, secrets) is False:
        return False
    log = read_eval_log(path)
    raw = log.model_dump_json()
    cleaned = redact(raw, secrets)
    if cleaned == raw:
        return False
    write_eval_log(EvalLog.model_validate_json(cleaned), path)
    return True
