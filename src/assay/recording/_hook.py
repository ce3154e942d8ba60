"""The Inspect hook that writes every finished audit to the store named by `ASSAY_DB`.

Registered through assay's Inspect entry point, so it serves `assay audit`,
`inspect eval assay/audit` and every worker process alike: each process opens the
store from the environment (the URL, which may hold a password, never becomes a
task argument or reaches a log). Writes run in a worker thread, off the event loop.
"""

from __future__ import annotations

import os
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import TYPE_CHECKING

from inspect_ai.hooks import Hooks, SampleEnd, TaskEnd, TaskStart, hooks

if TYPE_CHECKING:
    from ..schema import AuditRecord
    from ..store import Store
    from ._sample import AuditContext

STORE_ENV = "ASSAY_DB"
"""Environment variable naming the store that audits are written to."""

AuditListener = Callable[["AuditRecord"], None]
_listeners: list[AuditListener] = []


@contextmanager
def listening(listener: AuditListener | None) -> Iterator[None]:
    """Call `listener` with each audit after the hook stored it (progress display)."""
    if listener is None:
        yield
        return
    _listeners.append(listener)
    try:
        yield
    finally:
        _listeners.remove(listener)


@contextmanager
def recording_to(store: Store) -> Iterator[None]:
    """Point the hook at `store` for the evaluations run inside this block."""
    previous = os.environ.get(STORE_ENV)
    os.environ[STORE_ENV] = store.url
    try:
        yield
    finally:
        if previous is None:
            os.environ.pop(STORE_ENV, None)
        else:
            os.environ[STORE_ENV] = previous


@hooks(
    name="assay_store",
    description="Writes each finished assay/audit sample to the store named by ASSAY_DB, if set.",
)
class StoreHook(Hooks):
    """Stores audits as their samples finish; creates the run if the store lacks it.

    Always enabled, so Inspect's start-up line names it; without `ASSAY_DB` it
    does nothing.
    """

    def __init__(self) -> None:
        # Tasks of one evaluation start at once; open (and migrate) each store once.
        self._lock = threading.Lock()
        self._stores: dict[str, Store] = {}
        self._evals: dict[str, tuple[Store, AuditContext, bool]] = {}

    def _store(self) -> Store:
        from ..store import Store

        url = os.environ[STORE_ENV]
        with self._lock:
            if url not in self._stores:
                self._stores[url] = Store.open(url)
            return self._stores[url]

    async def on_task_start(self, data: TaskStart) -> None:
        import anyio

        from ._register import register_eval
        from ._sample import audit_context, is_audit

        if not os.environ.get(STORE_ENV) or not is_audit(data.spec):
            return
        store = await anyio.to_thread.run_sync(self._store)
        context = audit_context(data.spec)
        created = await anyio.to_thread.run_sync(register_eval, store, context)
        self._evals[data.eval_id] = (store, context, created)

    async def on_sample_end(self, data: SampleEnd) -> None:
        import anyio

        from ._sample import audit_from_sample

        entry = self._evals.get(data.eval_id)
        if entry is None:
            return
        store, context, _ = entry
        record = audit_from_sample(data.sample, context)
        if record is None:
            return
        await anyio.to_thread.run_sync(store.write_audit, record)
        for listener in list(_listeners):
            listener(record)

    async def on_task_end(self, data: TaskEnd) -> None:
        import anyio

        from ._sample import is_audit
        from ._scrub import scrub_eval_log

        if is_audit(data.log.eval) and data.log.location:
            await anyio.to_thread.run_sync(scrub_eval_log, data.log.location)
        entry = self._evals.pop(data.eval_id, None)
        if entry is None:
            return
        store, context, created = entry
        if created:  # a plain `inspect eval`: nobody else will close the run
            status, error = run_status([data.log.status])
            await anyio.to_thread.run_sync(store.finish_run, context.run_id, status, error)


def run_status(log_statuses: list[str]) -> tuple[str, str | None]:
    """A run's status from its eval logs' statuses."""
    if all(s == "success" for s in log_statuses):
        return "ok", None
    if any(s in ("cancelled", "started") for s in log_statuses):
        return "interrupted", "the evaluation did not finish; resume it with --resume"
    return "error", "the evaluation failed: " + ", ".join(sorted(set(log_statuses)))
