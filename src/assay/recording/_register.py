"""Making sure the store has the run an eval's audits belong to."""

from __future__ import annotations

from .._versions import versions
from ..schema import RunConfig
from ..store import Store
from ._sample import AuditContext


def register_eval(store: Store, context: AuditContext) -> bool:
    """Create the eval's run in the store, or add its target to the existing run.

    Returns:
        Whether the run was created here (and so is finished by whoever created it).
    """
    if store.ensure_run(context.run_id, context.config, context.rubric_key, versions()):
        return True
    info = store.run(context.run_id)
    if info.rubric == "static":
        return False
    config = RunConfig.model_validate(info.config)
    if context.target not in config.targets:
        store.update_run_config(
            context.run_id, config.model_copy(update={"targets": [*config.targets, context.target]})
        )
    return False
