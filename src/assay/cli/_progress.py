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

from ..schema import AuditRecord

_STYLE = {"ok": "green", "error": "red", "auditor_failure": "yellow"}


class RichRunProgress:
    """Implements `assay.RunProgress` on a rich progress bar."""

    def __init__(self, console: Console) -> None:
        self._progress = Progress(
            TextColumn("auditing"),
            BarColumn(),
            MofNCompleteColumn(),
            TimeElapsedColumn(),
            TextColumn("eta"),
            TimeRemainingColumn(),
            console=console,
        )
        self._task = self._progress.add_task("audits", total=None)

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
