"""Pausing Python's cyclic garbage collector around bulk work."""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building or scanning many objects.

    Loading a large store creates millions of (acyclic) objects, and every later
    allocation-heavy step makes the collector traverse all of them again and again:
    at 10,000 audits that took most of the time of a report. Reference counting
    still frees everything as usual; the collector resumes afterwards.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


EVAL_GC_THRESHOLD = 10_000
"""Allocations between young collections during an evaluation (Python's default: 700)."""


@contextmanager
def gc_relaxed(threshold: int = EVAL_GC_THRESHOLD) -> Iterator[None]:
    """Collect cycles less often while an evaluation runs.

    An evaluation allocates all the time (messages, events, copies of tool
    definitions per call) beside a large, long-lived heap (the seed library, Inspect's
    state, the audits in flight); at Python's default threshold every 100 young
    collections trigger a full one, which traverses that whole heap again. Measured on
    simulated runs, collection took a sixth of the CPU. A higher young threshold makes
    every kind of collection rarer (full ones most of all) at the cost of a few MB of
    garbage waiting longer; nothing stops being collected. The thresholds are restored
    afterwards.
    """
    before = gc.get_threshold()
    gc.set_threshold(max(threshold, before[0]), *before[1:])
    try:
        yield
    finally:
        gc.set_threshold(*before)
