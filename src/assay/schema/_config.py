"""RunConfig: everything that defines a run, stored with it."""

from __future__ import annotations

from pydantic import BaseModel, ConfigDict, Field

EMBEDDED_MODEL = "local/smollm2-135m"
SCRIPTED_AUDITOR = "scripted"


class RunConfig(BaseModel):
    """The settings of one `assay audit` run.

    Attributes:
        targets: Inspect model names of the models under audit.
        auditor: `scripted` (run each seed's script) or an Inspect model name (the
            LLM auditor, which also runs seeds without a script).
        realism: Inspect model that vets each LLM-auditor action (None: off).
        judges: Inspect model names of the judge panel (the first is role `judge`).
        seeds: Seed files, folders or behaviour tags; empty means the shipped library.
        rubric: Path of a rubric file; None means the default rubric.
        epochs: Repeats of every seed.
        max_turns: Cap on target turns per audit (a seed may lower it).
        max_connections: Concurrent model calls per model.
        max_samples: Audits run at once (None: Inspect's default). In-process local
            models serve one call at a time, so 1 finishes audits one by one at the
            same total speed.
        judge_retries: Extra attempts when a judge's output is unusable.
        seed: Sampling seed passed to every model (judges derive theirs from it).
        log_dir: Where Inspect's eval logs of the run are (a resumed run reads them).
        target_max_tokens: Cap on the length of each target reply.
    """

    model_config = ConfigDict(extra="forbid")

    targets: list[str] = Field(default_factory=lambda: [EMBEDDED_MODEL], min_length=1)
    auditor: str = SCRIPTED_AUDITOR
    realism: str | None = None
    judges: list[str] = Field(default_factory=lambda: [EMBEDDED_MODEL], min_length=1)
    seeds: list[str] = Field(default_factory=list)
    rubric: str | None = None
    epochs: int = Field(default=1, ge=1)
    max_turns: int = Field(default=30, ge=1)
    max_connections: int | None = Field(default=None, ge=1)
    max_samples: int | None = Field(default=None, ge=1)
    judge_retries: int = Field(default=2, ge=0)
    seed: int = 0
    log_dir: str = "logs"
    target_max_tokens: int = Field(default=400, ge=1)
