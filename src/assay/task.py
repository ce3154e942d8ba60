"""The Inspect task `assay/audit`: `inspect eval assay/audit --model-role target=...`."""

from __future__ import annotations

import sys

from inspect_ai import Epochs, Task, task
from inspect_ai._util.error import SilentException
from inspect_ai.dataset import MemoryDataset, Sample
from inspect_ai.model import model_roles
from inspect_ai.solver import Generate, Solver, TaskState, solver

from .auditor import TARGET_MAX_TOKENS, auditor_solver
from .errors import InputError, Problem
from .judge import audit_scorer, behaviour_names, epoch_mean, judge_roles, load_rubric
from .scenarios import select_seeds
from .schema import SCRIPTED_AUDITOR, Seed


class TaskInputError(InputError, SilentException):
    """Bad `-T` arguments or model roles for `inspect eval assay/audit`.

    Still an `InputError`. Its message is printed to stderr when the task refuses
    to start (Inspect hides its own prerequisite messages under `--display none`),
    so `inspect eval` shows it once, without a traceback, and exits 1.
    """


def missing_judge_roles(judges: int, roles: dict[str, object]) -> list[Problem]:
    """A problem for each judge role of a panel of `judges` that `roles` lacks."""
    missing = [r for r in judge_roles(judges) if r not in roles]
    return [
        Problem(
            role,
            f"model role not set: add --model-role {role}=MODEL; assay does not let "
            "the target (or Inspect's default model) judge itself",
            field="--model-role",
        )
        for role in missing
    ]


@solver
def require_judges(judges: int = 1) -> Solver:
    """Refuse to audit a sample before any model call when a judge role is unset."""

    async def solve(state: TaskState, generate: Generate) -> TaskState:
        problems = missing_judge_roles(judges, dict(model_roles()))
        if problems:
            raise InputError("model roles", problems)
        return state

    return solve


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
    target_max_tokens: int = TARGET_MAX_TOKENS,
) -> Task:
    """Audit the `target` role on seeds; judge with `judge` (and `judge2`, ...).

    The judge roles are required: the task refuses to start (or, when Inspect has no
    roles at all while the task is made, each sample fails before any model call)
    rather than let the default model judge.

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
        target_max_tokens: Cap on the length of each target reply.
    """
    llm = auditor == "model"
    try:
        if auditor not in (SCRIPTED_AUDITOR, "model"):
            raise InputError(
                "auditor", [Problem(auditor, "use `scripted` or `model`", field="-T auditor")]
            )
        # Under `inspect eval`, the eval's roles are known while the task is made.
        roles = model_roles()
        if roles and missing_judge_roles(judges, dict(roles)):
            raise InputError("model roles", missing_judge_roles(judges, dict(roles)))
        selectors = [seeds] if isinstance(seeds, str) else list(seeds or [])
        loaded_rubric = load_rubric(rubric)
        chosen = select_seeds(selectors, behaviour_names(loaded_rubric))
        if not llm:
            chosen = scripted_seeds(chosen)
    except InputError as exc:
        error = TaskInputError(exc.what, exc.problems)
        print(f"assay/audit: {error}", file=sys.stderr, flush=True)
        raise error from None
    return Task(
        dataset=seed_samples(chosen),
        solver=[
            require_judges(judges),
            auditor_solver(
                max_turns=max_turns,
                seed=seed,
                llm_auditor=llm,
                realism=realism,
                target_max_tokens=target_max_tokens,
            ),
        ],
        scorer=audit_scorer(rubric=rubric, judges=judges, judge_retries=judge_retries, seed=seed),
        # Epochs of one seed may differ in outcome (judged or not): average what exists.
        epochs=Epochs(1, epoch_mean()),
        name="assay-audit",
    )
