"""Run a Python script with its Inspect evaluation timed: the same clock for every tool.

    python benchmarks/_timed.py OUT.json SCRIPT [ARGS...]

Wraps `inspect_ai.eval` before SCRIPT imports it and records the wall time and the
process CPU time (every thread, user + system) of each call, so assay, bare Inspect
and Petri are measured identically, imports excluded. Needs only the standard library
and `inspect_ai`, so it runs in the Petri venv too. Writes
`{"exit_code": ..., "evals": [{"wall_s": ..., "cpu_s": ...}, ...]}` to OUT.json.
"""

from __future__ import annotations

import json
import runpy
import sys
import time
from pathlib import Path
from typing import Any

import inspect_ai

_evals: list[dict[str, float]] = []
_real_eval = inspect_ai.eval


def _timed_eval(*args: Any, **kwargs: Any) -> Any:
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        return _real_eval(*args, **kwargs)
    finally:
        _evals.append({"wall_s": time.perf_counter() - wall, "cpu_s": time.process_time() - cpu})


def main() -> int:
    out, script, *args = sys.argv[1:]
    inspect_ai.eval = _timed_eval  # type: ignore[assignment]
    sys.argv = [script, *args]
    code: Any = 0
    try:
        runpy.run_path(script, run_name="__main__")
    except SystemExit as exc:
        code = exc.code
    Path(out).write_text(json.dumps({"exit_code": code, "evals": _evals}))
    return code if isinstance(code, int) else 1


if __name__ == "__main__":
    sys.exit(main())
