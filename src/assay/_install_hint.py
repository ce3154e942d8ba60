"""Turn Inspect's "pip install PACKAGE" provider errors into assay's install hint."""

from __future__ import annotations

import re

PROVIDER_EXTRAS = {
    "openai": "openai",
    "anthropic": "anthropic",
    "google-genai": "google",
    "mistralai": "mistral",
    "groq": "groq",
}
"""Provider package Inspect asks for -> the assay extra that installs it (pyproject.toml)."""

_MARKUP = re.compile(r"\[/?(bold|italic|red|green|yellow|blue)\]")
_PIP = re.compile(r"pip install ([A-Za-z0-9_.\-\[\]]+)")


def provider_error(message: str) -> str:
    """Inspect's provider error as plain text, naming assay's extra where one exists.

    Args:
        message: The exception text (Inspect writes it with rich markup tags).
    """
    text = " ".join(_MARKUP.sub("", message).split())
    match = _PIP.search(text)
    if match is None:
        return text
    extra = PROVIDER_EXTRAS.get(match.group(1))
    if extra is None:
        return text
    return f"{text} (or install assay with the provider: pip install 'assay[{extra}]')"
