"""The Inspect task `assay/audit`: `inspect eval assay/audit --model-role target=...`."""

from __future__ import annotations

from inspect_ai import Epochs, Task, task
from inspect_ai.dataset import MemoryDataset, Sample

from .auditor import auditor_solver
from .errors import InputError, Problem
from .judge import audit_scorer, behaviour_names, epoch_mean, load_rubric
from .scenarios import select_seeds
from .schema import SCRIPTED_AUDITOR, Seed


def scripted_seeds(seeds: list[Seed]) -> list[Seed]:
    """The seeds the scripted auditor can run (those with a script).

    Raises:
        InputError: None of the seeds has a script.
    """
    runnable = [s for s in seeds if s.scripted]
    if seeds and not runnable:
        raise InputError(
            "seeds",
            [
                Problem(
                    ", ".join(s.id for s in seeds[:5]),
                    "no selected seed has a script; the scripted auditor runs only scripted "
                    "seeds (see `assay seeds list`)",
                    field="--seeds",
                )
            ],
        )
    return runnable


def seed_samples(seeds: list[Seed]) -> MemoryDataset:
    """One Inspect sample per seed; the seed travels in the sample's metadata."""
    return MemoryDataset(
        [
            Sample(
                id=seed.id,
                input=seed.instructions,
                metadata={"seed": seed.model_dump(mode="json"), "behaviours": seed.behaviours},
            )
            for seed in seeds
        ],
        name="assay-seeds",
    )


@task
def audit(
    seeds: str | list[str] | None = None,
    rubric: str | None = None,
    judges: int = 1,
    judge_retries: int = 2,
    max_turns: int = 30,
    seed: int = 0,
    run_id: str | None = None,
    auditor: str = "scripted",
    realism: bool = False,
) -> Task:
    """Audit the `target` role on seeds; judge with `judge` (and `judge2`, ...).

    With `auditor="scripted"` each seed's script drives the audit and seeds without
    one are skipped; with `auditor="model"` the `auditor` model role runs every seed
    from its brief.

    Args:
        seeds: Seed files, folders, ids, behaviours or tags (default: shipped library).
        rubric: Rubric file (default: the shipped rubric).
        judges: Judge panel size (roles judge, judge2, ...).
        judge_retries: Extra attempts per judge on unusable output.
        max_turns: Cap on target replies per audit.
        seed: Sampling seed for model calls.
        run_id: The assay run the audits belong to (default: Inspect's run id). With
            `ASSAY_DB` set, every finished audit is written to that store.
        auditor: `scripted`, or `model` for the LLM auditor (model role `auditor`).
        realism: Vet each LLM-auditor action with the `realism` model role.
    """
    if auditor not in (SCRIPTED_AUDITOR, "model"):
        raise InputError(
            "auditor", [Problem(auditor, "use `scripted` or `model`", field="-T auditor")]
        )
    llm = auditor == "model"
    selectors = [seeds] if isinstance(seeds, str) else list(seeds or [])
    loaded_rubric = load_rubric(rubric)
    chosen = select_seeds(selectors, behaviour_names(loaded_rubric))
    if not llm:
        chosen = scripted_seeds(chosen)
    return Task(
        dataset=seed_samples(chosen),
        solver=auditor_solver(max_turns=max_turns, seed=seed, llm_auditor=llm, realism=realism),
        scorer=audit_scorer(rubric=rubric, judges=judges, judge_retries=judge_retries, seed=seed),
        # Epochs of one seed may differ in outcome (judged or not): average what exists.
        epochs=Epochs(1, epoch_mean()),
        name="assay-audit",
    )
