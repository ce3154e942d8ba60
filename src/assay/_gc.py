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
