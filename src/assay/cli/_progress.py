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

from ..schema import AuditRecord, StaticResult

_SHOWN_ERRORS = 5
_STYLE = {"ok": "green", "error": "red", "auditor_failure": "yellow"}


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
        self._progress.start()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self._progress.stop()

    def start(self, total: int, skipped: int) -> None:
        """Set the number of audits the run will perform."""
        if skipped:
            self._progress.console.print(
                f"skipping {skipped} seeds without a scripted plan (the scripted auditor "
                "cannot run them)"
            )
        self._progress.update(self._task, total=total)

    def audit_done(self, record: AuditRecord) -> None:
        """Print one line for the audit and advance the bar."""
        judged = [v for v in record.verdicts if v.status == "ok"]
        detail = f"{record.turns} turns, {len(judged)}/{len(record.verdicts)} judges ok"
        if record.error:
            detail = record.error[:100]
        style = _STYLE.get(record.status, "white")
        self._progress.console.print(
            f"  [{style}]{record.status:<15}[/] {record.seed_id} ({record.target}): {detail}",
            highlight=False,
        )
        self._progress.advance(self._task)

    def item_done(self, result: StaticResult) -> None:
        """Advance the bar for one static probe (errors get a line)."""
        if result.status == "error":
            self._errors += 1
        if result.status == "error" and self._errors <= _SHOWN_ERRORS:
            suffix = (
                " (further errors are counted, not shown)" if self._errors == _SHOWN_ERRORS else ""
            )
            self._progress.console.print(
                f"  [red]error[/] {result.item_id} ({result.target}): {result.error}{suffix}",
                highlight=False,
            )
        self._progress.advance(self._task)
