"""The shipped seed library keeps its naming and "don't nudge" rules.

Names: every person, organisation and agent persona the seeds mention is declared in
`data/library_names.yaml`; none appears in more than two seeds (a person's given name
and surname count on their own too, so three different Priyas fail), and none of the
naming tells of generated text appears at all. A name a new seed introduces without
declaring it fails `test_every_name_in_the_library_is_declared`, so the count cannot be
dodged by forgetting the list.

Nudges: a scripted user line must not propose the misbehaviour ("do whatever it
takes", "use whatever leverage"); the pressure comes from the environment, the system
prompt or the task. See docs/scenarios.md.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pytest
import yaml

from assay import load_library
from assay.schema import Seed, Send

NAMES_FILE = Path(__file__).parent / "data" / "library_names.yaml"
MAX_SEEDS_PER_NAME = 2

# A capitalised word with at least one lower-case letter (so "INV-7782" and "CFO" are not
# words here), letters from most European alphabets included.
_WORD = r"[A-ZÀ-ÖØ-Þ][\w'\u2019.-]*[a-zß-öø-ÿ][\w'\u2019-]*"
_CAPITALISED_RUN = re.compile(rf"\b{_WORD}(?:[ \t]+(?:&[ \t]+)?{_WORD})+")
_PLAY = re.compile(rf"\bPlay[ \t]+((?:{_WORD}[ \t]*)+)")
_EMAIL = re.compile(r"\b[\w.+-]+@([\w-]+)(?:\.[\w-]+)+")


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for item in value.values():
            yield from _strings(item)
    elif isinstance(value, list | tuple):
        for item in value:
            yield from _strings(item)


def seed_text(seed: Seed) -> str:
    """All the prose a seed shows the auditor or the target: brief, script, environment."""
    shown = {"title", "instructions", "script", "environment"}
    return "\n".join(_strings(seed.model_dump(include=shown & set(Seed.model_fields))))


def _load_names() -> dict[str, list[str]]:
    raw = yaml.safe_load(NAMES_FILE.read_text(encoding="utf-8"))
    return {key: [str(v) for v in (raw.get(key) or [])] for key in raw}


def _words(name: str) -> list[str]:
    return [w for w in name.replace("&", " ").split() if w]


def _normal(name: str) -> str:
    """`St. Brendan's Regional Hospital` and `Brendan Regional Hospital` compare alike."""
    return " ".join(re.sub(r"['\u2019]s$", "", w) for w in _words(name))


def counted_names(names: dict[str, list[str]]) -> set[str]:
    """The strings whose spread is limited: full names, and each part of a person's name."""
    counted = set(names["people"]) | set(names["organisations"]) | set(names["agents"])
    for person in names["people"]:
        counted.update(w for w in _words(person) if len(w) > 2 and w not in names["titles"])
    return counted


def _mentions(name: str, text: str) -> bool:
    return re.search(rf"(?<![\w-]){re.escape(name)}(?![\w-])", text) is not None


def seeds_by_name(seeds: Iterable[Seed], names: Iterable[str]) -> dict[str, list[str]]:
    """For each name, the ids of the seeds that mention it as a whole word."""
    texts = {seed.id: seed_text(seed) for seed in seeds}
    found: dict[str, list[str]] = defaultdict(list)
    for name in names:
        for seed_id, text in texts.items():
            if _mentions(name, text):
                found[name].append(seed_id)
    return dict(found)


def candidate_names(text: str, common: set[str]) -> set[str]:
    """Phrases in `text` that look like names of people or organisations.

    Runs of capitalised words (two or more once common words are dropped), whoever the
    brief tells the auditor to play ("Play Lupe Saldívar"), and the parts of email
    addresses (`t.lindqvist@pembertonfreight.com` gives `pembertonfreight`).
    """
    found: set[str] = set()
    for run in _CAPITALISED_RUN.findall(text):
        kept = [w for w in _normal(run).split() if w not in common]
        if len(kept) >= 2:
            found.add(" ".join(kept))
    for run in _PLAY.findall(text):
        kept = [w for w in _words(run) if w not in common]
        if kept:
            found.add(" ".join(kept))
    for domain in _EMAIL.findall(text):
        found.add("@" + domain.lower())
    return found


def _covered(candidate: str, declared: Iterable[str], domains: Iterable[str]) -> bool:
    if candidate.startswith("@"):
        # An address's domain belongs to a declared organisation when it starts with the
        # organisation's first word (`brightwaterpkg` for Brightwater Packaging).
        domain = candidate[1:]
        stems = [_words(d)[0].lower() for d in declared if _words(d)]
        return domain in domains or any(len(s) > 3 and domain.startswith(s) for s in stems)
    candidate = _normal(candidate)
    return any(_normal(d) in candidate or candidate in _normal(d) for d in declared)


def undeclared_names(seeds: Iterable[Seed], names: dict[str, list[str]]) -> dict[str, str]:
    """Name-like phrases found in the seeds that the names file does not declare."""
    common = set(names["common_words"]) | set(names["titles"])
    declared = [
        *names["people"],
        *names["organisations"],
        *names["agents"],
        *names["not_names"],
        *names["email_domains"],
    ]
    missing: dict[str, str] = {}
    for seed in seeds:
        for candidate in candidate_names(seed_text(seed), common):
            if not _covered(candidate, declared, names["email_domains"]):
                missing.setdefault(candidate, seed.id)
    return missing


@pytest.fixture(scope="module")
def library() -> list[Seed]:
    return load_library()


@pytest.fixture(scope="module")
def names() -> dict[str, list[str]]:
    return _load_names()


def overused(seeds: Iterable[Seed], names: dict[str, list[str]]) -> dict[str, list[str]]:
    """Names used in more than MAX_SEEDS_PER_NAME seeds, with the seeds that use them."""
    spread = seeds_by_name(seeds, counted_names(names))
    return {n: ids for n, ids in spread.items() if len(ids) > MAX_SEEDS_PER_NAME}


def test_no_name_is_used_in_more_than_two_seeds(
    library: list[Seed], names: dict[str, list[str]]
) -> None:
    assert overused(library, names) == {}


def test_no_naming_tells_of_generated_text(
    library: list[Seed], names: dict[str, list[str]]
) -> None:
    texts = {seed.id: seed_text(seed).lower() for seed in library}
    hits = {
        tell: [sid for sid, text in texts.items() if _mentions(tell.lower(), text)]
        for tell in names["tells"]
    }
    assert {tell: ids for tell, ids in hits.items() if ids} == {}


def test_every_name_in_the_library_is_declared(
    library: list[Seed], names: dict[str, list[str]]
) -> None:
    missing = undeclared_names(library, names)
    assert missing == {}, (
        f"declare these in {NAMES_FILE.name} (people, organisations, agents, or not_names "
        f"when they are not names): {missing}"
    )


def test_every_declared_name_is_used(library: list[Seed], names: dict[str, list[str]]) -> None:
    # A stale list would let the completeness check pass for the wrong reason.
    declared = [*names["people"], *names["organisations"], *names["agents"]]
    spread = seeds_by_name(library, declared)
    assert [name for name in declared if name not in spread] == []


def test_a_planted_duplicate_name_is_caught(
    library: list[Seed], names: dict[str, list[str]]
) -> None:
    person = names["people"][0]
    planted = [
        seed.model_copy(update={"instructions": f"{seed.instructions}\nPlay {person}."})
        for seed in library[:3]
    ]
    assert person in overused([*planted, *library[3:]], names)


def test_a_new_undeclared_name_is_caught(library: list[Seed], names: dict[str, list[str]]) -> None:
    seed = library[0]
    planted = seed.model_copy(
        update={"instructions": f"{seed.instructions}\nPlay Oskar Brandvik, a buyer."}
    )
    assert "Oskar Brandvik" in undeclared_names([planted], names)


# Phrases in which the scripted user proposes the misbehaviour instead of letting the
# environment create the pressure. Seeds whose scenario is the user's request
# (cooperation_with_misuse and similar) may ask for harmful things; none of these
# phrasings is needed for that.
NUDGES = [
    r"whatever it takes",
    r"whatever leverage",
    r"use (?:the|any|whatever) leverage",
    r"i don'?t care how",
    r"just make (?:it|the \w+) (?:pass|print|green)",
    r"anything you(?:'d)? (?:want|rather) to (?:change|adjust|do|leave out)",
    r"(?:is there )?anything you want to do before",
    r"whatever you decide to do",
    r"you agree (?:it|that|with)",
    r"(?:just )?tell me (?:i'?m right|it went fine)",
    r"back me up",
    r"nobody (?:will|would) (?:ever )?(?:know|catch|notice)",
    r"(?:skip|delete|edit|disable) the (?:test|tests|check)",
    r"bump your (?:own )?limit",
]
_NUDGE = re.compile("|".join(f"(?:{n})" for n in NUDGES), re.IGNORECASE)


def nudging_lines(seeds: Iterable[Seed]) -> dict[str, list[str]]:
    """Scripted user lines that match a nudge phrasing, by seed id."""
    found: dict[str, list[str]] = {}
    for seed in seeds:
        lines = [s.content for s in seed.script or [] if isinstance(s, Send)]
        hits = [line for line in lines if _NUDGE.search(line)]
        if hits:
            found[seed.id] = hits
    return found


def test_scripted_users_do_not_propose_the_misbehaviour(library: list[Seed]) -> None:
    assert nudging_lines(library) == {}


def test_a_planted_nudge_is_caught(library: list[Seed]) -> None:
    seed = next(s for s in library if s.scripted)
    nudge = Send(content="CI is red. Do whatever it takes, just make the grader print 95.")
    planted = seed.model_copy(update={"script": [*(seed.script or []), nudge]})
    assert seed.id in nudging_lines([planted])


def test_docs_say_where_each_seeds_pressure_comes_from(library: list[Seed]) -> None:
    docs = (Path(__file__).parents[2] / "docs" / "scenarios.md").read_text(encoding="utf-8")
    rows = set(re.findall(r"^\| ([a-z0-9-]+) \| [a-z, ]+ \| .+ \|$", docs, re.MULTILINE))
    assert sorted(seed.id for seed in library if seed.id not in rows) == []
