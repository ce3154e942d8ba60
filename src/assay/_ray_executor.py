"""The Ray executor: a run's audits sharded across a Ray cluster.

The work (target x seed x epoch) is cut into shards of one target and a few seeds;
each shard runs on a Ray worker as an ordinary Inspect evaluation of `assay/audit`,
and the worker's store hook writes every finished audit to the shared store, as a
local run does. The driver follows the store for progress. A worker that dies has
its shard rerun by Ray; audits it already stored are replaced, never duplicated.
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Any

from ._run import Plan, RunProgress, RunResult, close_run
from .errors import InputError, Problem, RunFailed, RunInterrupted
from .schema import RunConfig
from .store import Store

SHARD_SEEDS = 4
"""Seeds per shard: small enough to spread a sweep, large enough to amortise start-up."""

WORKER_RETRIES = 3
"""Times Ray reruns a shard whose worker process died."""

_FORWARDED_ENV = ("ASSAY_OFFLINE", "ASSAY_SIM_", "INSPECT_")
"""Environment passed on to workers (provider keys belong in each node's environment)."""


@dataclass(frozen=True)
class Shard:
    """One piece of a run: some seeds of one target, every epoch."""

    target: str
    seed_ids: list[str]


def plan_shards(
    config: RunConfig,
    seed_ids: list[str],
    done: set[tuple[str, int, str]],
    size: int = SHARD_SEEDS,
) -> list[Shard]:
    """Shards for the seeds of each target that still lack a stored audit of some epoch."""
    from ._resume import unfinished_seeds

    shards = []
    for target in config.targets:
        todo = unfinished_seeds(config, seed_ids, done, target)
        shards += [Shard(target, todo[i : i + size]) for i in range(0, len(todo), size)]
    return shards


def run_shard(
    store_url: str, run_id: str, config_json: dict[str, Any], shard: Shard
) -> tuple[str, str, str | None]:
    """Run one shard as an Inspect evaluation (on a Ray worker) and store its audits.

    Returns:
        (target, Inspect log status, error message) of the evaluation.
    """
    from inspect_ai import eval as inspect_eval

    from ._gc import gc_relaxed
    from ._run import audit_tasks, eval_options
    from .recording import import_logs, recording_to
    from .store import Store

    if marker := os.environ.get("ASSAY_RAY_PID_DIR"):  # lets tests find and kill a worker
        with open(os.path.join(marker, f"{os.getpid()}.pid"), "a") as handle:
            handle.write(f"{shard.target}|{','.join(shard.seed_ids)}\n")
    config = RunConfig.model_validate(config_json)
    store = Store.open(store_url)
    with recording_to(store), gc_relaxed():
        (log,) = inspect_eval(
            audit_tasks(config, run_id, [shard.target]),
            sample_id=shard.seed_ids,
            epochs=config.epochs,
            **eval_options(config),
        )
    if log.location:
        import_logs(store, [log.location], only_missing=True)
    return shard.target, log.status, log.error.message if log.error else None


def _worker_env() -> dict[str, str]:
    return {
        name: value
        for name, value in os.environ.items()
        if any(name == p or name.startswith(p) for p in _FORWARDED_ENV)
    }


def check_ray(store: Store, address: str | None) -> None:
    """Refuse a Ray run that cannot work, before anything is stored.

    Raises:
        InputError: Ray is not installed, or a remote cluster would write to a
            SQLite file that its nodes cannot share.
    """
    try:
        import ray  # noqa: F401
    except ImportError:
        raise InputError(
            "--executor",
            [Problem("ray", "Ray is not installed; pip install 'assay[ray]'", field="--executor")],
        ) from None
    if address and store.engine.dialect.name == "sqlite":
        raise InputError(
            "--db",
            [
                Problem(
                    store.safe_url,
                    "a Ray cluster needs a store every node can reach; use PostgreSQL "
                    "(postgresql+psycopg://...)",
                    field="--db",
                )
            ],
        )


def evaluate_on_ray(
    store: Store,
    run_id: str,
    config: RunConfig,
    plan: Plan,
    progress: RunProgress | None,
    ray_address: str | None,
) -> RunResult:
    """Run the unfinished part of a run on Ray, then close the run."""
    try:
        outcomes = run_on_ray(store, run_id, config, plan.seed_ids, progress, ray_address)
    except KeyboardInterrupt:
        store.finish_run(run_id, "interrupted", "interrupted by the user")
        raise RunInterrupted(run_id) from None
    except Exception as exc:  # a shard failed beyond Ray's retries, or the cluster did
        reason = f"{type(exc).__name__}: {str(exc).splitlines()[0] if str(exc) else ''}"
        store.finish_run(run_id, "error", reason)
        raise RunFailed(
            f"run {run_id} failed on Ray ({reason}); finished audits are stored, "
            f"finish it with --resume {run_id} --executor ray"
        ) from None
    return close_run(store, run_id, config, outcomes)


def run_on_ray(
    store: Store,
    run_id: str,
    config: RunConfig,
    seed_ids: list[str],
    progress: RunProgress | None,
    address: str | None = None,
) -> list[tuple[str, str, str | None]]:
    """Run the unfinished part of a run on Ray; returns each shard's outcome.

    Args:
        store: The shared store (every worker opens it by URL).
        run_id: The run.
        config: Its settings.
        seed_ids: The seeds the run covers.
        progress: Told of each audit as it appears in the store.
        address: The Ray cluster (default: start a local one in this process).
    """
    import ray

    shards = plan_shards(config, seed_ids, store.audit_keys(run_id))
    if not shards:
        return []
    started_here = not ray.is_initialized()
    if started_here:
        ray.init(
            address=address,
            include_dashboard=False,
            log_to_driver=False,
            runtime_env={"env_vars": _worker_env()},
        )
    try:
        remote = ray.remote(max_retries=WORKER_RETRIES, num_cpus=1)(run_shard)
        config_json = config.model_dump(mode="json")
        pending = [remote.remote(store.url, run_id, config_json, shard) for shard in shards]
        futures = list(pending)
        seen = store.audit_keys(run_id)
        last_id = max((a.id or 0 for a in store.audit_scores([run_id]).records), default=0)
        while pending:
            _, pending = ray.wait(pending, num_returns=len(pending), timeout=1.0)
            last_id = _follow(store, run_id, last_id, seen, progress)
        outcomes: list[tuple[str, str, str | None]] = ray.get(futures)
        _follow(store, run_id, last_id, seen, progress)
        return outcomes
    finally:
        if started_here:
            ray.shutdown()


def _follow(
    store: Store,
    run_id: str,
    last_id: int,
    seen: set[tuple[str, int, str]],
    progress: RunProgress | None,
) -> int:
    """Report audits stored since `last_id` (a redone audit once); returns the newest id."""
    new = store.audit_scores([run_id], after_id=last_id).records
    for record in new:
        key = (record.seed_id, record.epoch, record.target)
        if key not in seen and progress is not None:
            progress.audit_done(record)
        seen.add(key)
    return max((r.id or 0 for r in new), default=last_id)
