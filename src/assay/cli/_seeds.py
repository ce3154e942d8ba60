"""`assay seeds list|validate|import-petri|generate|from-audit`: browse, check and make seeds."""

from __future__ import annotations

from collections import Counter
from pathlib import Path

import typer
from rich.table import Table
from rich.text import Text

from ._app import DB_HELP, app, check_out_folder, console, plain

seeds_app = typer.Typer(
    help="List, validate, import (from Petri), generate scenario seeds, and turn a stored "
    "audit into a replaying seed.",
    no_args_is_help=True,
)
app.add_typer(seeds_app, name="seeds")


@seeds_app.command("list")
def list_seeds(
    behaviour: str | None = typer.Option(None, "--behaviour", "-b", help="Only this behaviour."),
    path: list[Path] = typer.Option([], help="Seed files or folders (default: the library)."),
) -> None:
    """Show seeds with their behaviours, and how many seeds cover each behaviour."""
    from .. import load_library, load_seeds
    from ..judge import behaviour_names

    allowed = behaviour_names()
    if behaviour is not None and behaviour not in allowed:
        from ..errors import InputError, Problem
        from ..scenarios import behaviour_hint

        raise InputError(
            "--behaviour",
            [
                Problem(
                    behaviour,
                    "not a rubric dimension; " + behaviour_hint([behaviour], allowed),
                    field="--behaviour",
                )
            ],
        )
    seeds = load_seeds(path, allowed) if path else load_library(allowed)
    if behaviour is not None:
        seeds = [s for s in seeds if behaviour in s.behaviours]
    table = Table(title=f"{len(seeds)} seed{'' if len(seeds) == 1 else 's'}")
    table.add_column("id", style="bold", no_wrap=True)
    table.add_column("behaviours")
    table.add_column("scripted")
    table.add_column("title")
    for s in seeds:
        # Seed text is user input: cells are Text, never rich markup.
        table.add_row(
            Text(s.id), Text(", ".join(s.behaviours)), "yes" if s.scripted else "no", Text(s.title)
        )
    console.print(table)
    counts = Counter(b for s in seeds for b in s.behaviours)
    plain("per behaviour: " + ", ".join(f"{name} {n}" for name, n in sorted(counts.items())))


@seeds_app.command("validate")
def validate(
    paths: list[Path] = typer.Argument(None, help="Seed files or folders (default: the library)."),
    rubric: Path | None = typer.Option(
        None, help="Check behaviours against this rubric's dimensions (default: shipped rubric)."
    ),
) -> None:
    """Check seed files; exit 2 with every problem (file, seed, field) if any is bad."""
    from .. import load_library, load_rubric, load_seeds
    from ..judge import behaviour_names

    allowed = set(load_rubric(rubric).names) if rubric else behaviour_names()
    seeds = load_seeds(paths, allowed) if paths else load_library(allowed)
    scripted = sum(s.scripted for s in seeds)
    noun = "seed" if len(seeds) == 1 else "seeds"
    plain(f"{len(seeds)} {noun} valid ({scripted} with scripted plans)")


@seeds_app.command("import-petri")
def import_petri_command(
    path: Path | None = typer.Argument(
        None,
        help="A Petri seed .md file, or a folder of them (default: the installed inspect-petri's).",
    ),
    out: Path = typer.Option(Path("petri-seeds"), help="Folder to write the assay seeds to."),
) -> None:
    """Convert Petri's seed instructions into assay seed YAML (for LLM auditors)."""
    from ..judge import behaviour_names
    from ..scenarios import import_petri, installed_petri_seeds, write_seeds

    check_out_folder(out)
    source = path or installed_petri_seeds()
    result = import_petri(source, behaviour_names())
    written = write_seeds(result.seeds, out)
    plain(
        f"imported {len(written)} seeds from {source} into {out}: {result.mapped} with tags "
        f"mapped onto assay behaviours, {len(written) - result.mapped} with none (behaviour "
        "`concerning`)"
    )
    if result.unmapped_tags:
        listing = ", ".join(f"{t} ({n})" for t, n in sorted(result.unmapped_tags.items()))
        plain(f"tags kept as plain tags (no assay behaviour): {listing}")


@seeds_app.command("generate")
def generate(
    behaviour: str = typer.Option(..., "--behaviour", "-b", help="Rubric dimension to probe."),
    n: int = typer.Option(5, "--n", min=1, max=50, help="How many seeds to ask for."),
    model: str = typer.Option(..., "--model", "-m", help="Inspect model that writes them."),
    out: Path = typer.Option(Path("generated-seeds"), help="Folder for the YAML, for review."),
) -> None:
    """Ask a model for new seeds; drop near-duplicates of the library; write the rest."""
    import asyncio

    from inspect_ai.model import get_model

    from .. import check_model_names, load_library, load_rubric
    from .._redact import redact
    from ..errors import InputError, Problem
    from ..judge import behaviour_names
    from ..scenarios import generate_seeds, write_seeds

    check_out_folder(out)
    rubric = load_rubric()
    check_model_names([("--model", model)])
    library = load_library(behaviour_names())
    try:
        result = asyncio.run(generate_seeds(get_model(model), behaviour, n, rubric, library))
    except InputError:
        raise
    except Exception as exc:  # the provider failed: say so, write nothing
        raise InputError(
            "seed generation",
            [
                Problem(
                    model,
                    f"the model failed ({type(exc).__name__}: {redact(str(exc))}); "
                    "nothing was written",
                    field="--model",
                )
            ],
        ) from None
    written = write_seeds(result.seeds, out)
    plain(
        f"{len(written)} new seeds written to {out} for review; "
        f"{len(result.duplicates)} near-duplicates and {len(result.invalid)} invalid dropped"
    )
    for reason in result.invalid:
        plain(f"  invalid: {reason}")


@seeds_app.command("from-audit")
def from_audit(
    audit_id: int = typer.Argument(
        ..., metavar="AUDIT", help="The stored audit's id (the #number `assay view` shows)."
    ),
    db: str = typer.Option("assay.db", envvar="ASSAY_DB", help=DB_HELP),
    out: Path | None = typer.Option(
        None, help="YAML file (or folder) to write (default: ./<seed id>.yaml)."
    ),
) -> None:
    """Turn a stored audit into a scripted seed that replays its auditor's side exactly.

    Run the seed with `assay audit --auditor scripted --seeds FILE` to repeat the same
    probe offline, e.g. on the next release of the model. Exits 2 when the audit is
    unknown or has nothing to replay.
    """
    from .. import Store
    from ..scenarios import replay_seed, write_replay_seed

    store = Store.open(db, create=False)
    seed = replay_seed(store, audit_id)
    written = write_replay_seed(seed, out if out is not None else Path("."))
    steps = len(seed.script or [])
    answers = sum(len(env.replay) for env in seed.environment.values())
    plain(
        f"wrote {written}: seed {seed.id} ({steps} script steps, {answers} recorded tool "
        f"results); run it with `assay audit --auditor scripted --seeds {written}`"
    )
