"""Reading a user's input file as text, with one clear message for each way it fails."""

from __future__ import annotations

from pathlib import Path

from .errors import InputError, Problem


def read_input_text(
    source: Path, what: str, encoding: str = "utf-8", folder_hint: str | None = None
) -> str:
    """The text of `source`, a user's `what` file (a rubric, labels, ...).

    Args:
        source: The file.
        what: What the file is, for the message.
        encoding: Its encoding (`utf-8-sig` also accepts a byte-order mark).
        folder_hint: What to say when `source` is a folder (default: the OS error).

    Raises:
        InputError: The file is missing, a folder, not in `encoding`, or unreadable.
    """
    try:
        return source.read_text(encoding=encoding)
    except FileNotFoundError:
        raise InputError(what, [Problem(str(source), "file not found")]) from None
    except IsADirectoryError as exc:
        message = (
            f"is a folder; {folder_hint}"
            if folder_hint
            else f"cannot read the file: {exc.strerror or exc}"
        )
        raise InputError(what, [Problem(str(source), message)]) from None
    except UnicodeDecodeError as exc:
        raise InputError(
            what, [Problem(str(source), f"not UTF-8 text (byte {exc.start})")]
        ) from None
    except OSError as exc:
        raise InputError(
            what, [Problem(str(source), f"cannot read the file: {exc.strerror or exc}")]
        ) from None
