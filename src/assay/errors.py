"""Errors that assay reports to the user as one clear message (exit code 2)."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where, which field, what, and how to fix it."""

    source: str
    message: str
    item: str | None = None
    field: str | None = None

    def __str__(self) -> str:
        where = self.source
        if self.item:
            where += f" [{self.item}]"
        if self.field:
            where += f" field '{self.field}'"
        return f"{where}: {self.message}"


@dataclass(eq=False)  # hashable: Inspect puts task errors in sets
class InputError(Exception):
    """Bad user input: a seed, rubric, config, model name or store URL.

    Raised before anything is written, so nothing is half-stored.
    """

    what: str
    problems: list[Problem] = field(default_factory=list)

    def __str__(self) -> str:
        lines = [f"invalid {self.what}:"]
        lines += [f"  - {p}" for p in self.problems]
        return "\n".join(lines)


class RunFailed(Exception):
    """A run could not complete (the store keeps what finished)."""


class RunInterrupted(RunFailed):
    """A run was stopped before it finished (Ctrl-C); it can be resumed."""

    def __init__(self, run_id: str) -> None:
        super().__init__(f"run {run_id} was interrupted; finished audits are kept in the store")
        self.run_id = run_id
