"""Running the real commands, and reading a store the way a user compares runs."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

from assay import Store

BIN = Path(sys.executable).parent


def run(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    """Run `assay` or `inspect` (first argument) to completion."""
    return subprocess.run(
        [str(BIN / args[0]), *args[1:]],
        capture_output=True,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
        timeout=300,
    )


def start(*args: str, env: dict[str, str] | None = None) -> subprocess.Popen[str]:
    """Start `assay` or `inspect` in the background."""
    return subprocess.Popen(
        [str(BIN / args[0]), *args[1:]],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={**os.environ, "COLUMNS": "200", **(env or {})},
    )


_CALL_ID = re.compile(r'"(id|call_id)":"[^"]*"')


def contents(store: Store) -> list[tuple[Any, ...]]:
    """Every audit and verdict of a store, without run ids, ids and times (the simulated
    model's tool-call ids are random)."""
    rows = []
    for a in store.audits():
        verdicts = sorted(
            (v.seat, v.judge, v.status, tuple(sorted((d, s.score) for d, s in v.scores.items())))
            for v in a.verdicts
        )
        rows.append(
            (a.seed_id, a.epoch, a.target, a.status, a.turns,
             _CALL_ID.sub("", a.transcript.model_dump_json()),
             tuple(verdicts))
        )  # fmt: skip
    return sorted(rows)
