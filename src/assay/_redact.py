"""Keep secrets out of everything assay writes (store, reports, logs)."""

from __future__ import annotations

import os
import re
from typing import Any

_SECRET_NAME = re.compile(r"(KEY|TOKEN|SECRET|PASSWORD)", re.IGNORECASE)
_SECRET_SHAPES = re.compile(
    r"(sk-[A-Za-z0-9_\-]{16,}|AIza[0-9A-Za-z_\-]{20,}|Bearer\s+[A-Za-z0-9._\-]{16,})"
)
# No quotes in a match: in JSON text (eval logs are scrubbed as JSON) a match must not
# run from one string value into the next.
_URL_PASSWORD = re.compile(r"(://[^:/@\s\"]+:)([^@\s\"]+)(@)")


def secret_values() -> list[str]:
    """Values of environment variables named like KEY, TOKEN, SECRET or PASSWORD."""
    # Longest first, so a secret that contains another is masked whole.
    values = {
        value for name, value in os.environ.items() if _SECRET_NAME.search(name) and len(value) >= 8
    }
    return sorted(values, key=len, reverse=True)


def redact(text: str, secrets: list[str] | None = None) -> str:
    """Replace API keys, tokens and URL passwords in `text` with `***`.

    Args:
        text: Any text assay is about to write or print.
        secrets: The secret values to mask (default: those in the environment,
            from variables named like KEY, TOKEN, SECRET or PASSWORD).
    """
    for value in secret_values() if secrets is None else secrets:
        text = text.replace(value, "***")
    text = _SECRET_SHAPES.sub("***", text)
    return _URL_PASSWORD.sub(r"\1***\3", text)


def redact_json(value: Any, secrets: list[str] | None = None) -> Any:
    """`value` (JSON-like data) with every string passed through `redact`."""
    if secrets is None:
        secrets = secret_values()
    if isinstance(value, str):
        return redact(value, secrets)
    if isinstance(value, list):
        return [redact_json(v, secrets) for v in value]
    if isinstance(value, dict):
        return {k: redact_json(v, secrets) for k, v in value.items()}
    return value
