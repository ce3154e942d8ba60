"""A progress bar for runs, with one line per finished audit."""

from __future__ import annotations

from types import TracebackType

from rich.console import Console
from rich.progress import (
    BarColumn,
    MofNCompleteColumn,
    Progress,
    TextColumn,
    TimeElapsedColumn,
    TimeRemainingColumn,
)
from rich.text import Text

from .._redact import redact
from ..schema import AuditRecord, StaticResult

_SHOWN_ERRORS = 5
_STYLE = {"ok": "green", "error": "red", "auditor_failure": "yellow"}


def print_start_notices(console: Console, skipped: int, done: int) -> None:
    """What a user must know before a run starts (shown with or without a bar)."""
    if skipped:
        console.print(
            f"skipping {skipped} seeds without a scripted plan (the scripted auditor "
            "cannot run them)",
            markup=False,
        )
    if done:
        console.print(f"{done} audits already stored are kept", markup=False)


class NoticesOnly:
    """Implements `assay.RunProgress` for `--no-progress`: notices, no bar or lines."""

    def __init__(self, console: Console) -> None:
        self._console = console

    def __enter__(self) -> NoticesOnly:
        return self

    def __exit__(self, *exc: object) -> None:
        return None

    def start(self, total: int, skipped: int, done: int = 0) -> None:
        """Print the notices."""
        print_start_notices(self._console, skipped, done)

    def audit_done(self, record: AuditRecord) -> None:
        """Nothing: the bar is off."""

    def item_done(self, result: StaticResult) -> None:
        """Nothing: the bar is off."""


class RichRunProgress:
    """Implements `assay.RunProgress` (and static progress) on a rich progress bar."""

    def __init__(self, console: Console, label: str = "auditing") -> None:
        self._progress = Progress(
            TextColumn(label),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=console,
        )
        self._task = self._progress.add_task("audits", total=None)
        self._errors = 0

    def __enter__(self) -> RichRunProgress:
        # The bar appears when the run starts (`start`): input refused before then
        # shows only its error.
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def start(self, total: int, skipped: int, done: int = 0) -> None:
        """Set the number of audits the run will perform, `done` of them already."""
        print_start_notices(self._progress.console, skipped, done)
        self._progress.update(self._task, total=total, completed=done)
        self._progress.start()

    def audit_done(self, record: AuditRecord) -> None:
        """Print one line for the audit and advance the bar."""
        judged = [v for v in record.verdicts if v.status == "ok"]
        detail = f"{record.turns} turns, {len(judged)}/{len(record.verdicts)} judges ok"
        if record.error:
            detail = record.error[:100]
        style = _STYLE.get(record.status, "white")
        # Seed ids, model names and errors are untrusted text: never rich markup.
        line = Text("  ")
        line.append(f"{record.status:<15}", style=style)
        line.append(f" {record.seed_id} ({record.target}): {redact(detail)}")
        self._progress.console.print(line, highlight=False)
        self._progress.advance(self._task)

    def item_done(self, result: StaticResult) -> None:
        """Advance the bar for one static probe (errors get a line)."""
        if result.status == "error":
            self._errors += 1
        if result.status == "error" and self._errors <= _SHOWN_ERRORS:
            suffix = (
                " (further errors are counted, not shown)" if self._errors == _SHOWN_ERRORS else ""
            )
            line = Text("  ")
            line.append("error", style="red")
            line.append(
                f" {result.item_id} ({result.target}): {redact(result.error or '')}{suffix}"
            )
            self._progress.console.print(line, highlight=False)
        self._progress.advance(self._task)


def run_progress(
    console: Console, enabled: bool, label: str = "auditing"
) -> RichRunProgress | NoticesOnly:
    """The progress display of a command: a bar with a line per item, or notices only."""
    return RichRunProgress(console, label) if enabled else NoticesOnly(console)
