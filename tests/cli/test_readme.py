"""The README's command summary and install advice match what the commands accept."""

from __future__ import annotations

import re
import tomllib
from pathlib import Path

from assay._install_hint import PROVIDER_EXTRAS

from .test_cli import assay

ROOT = Path(__file__).resolve().parents[2]
README = (ROOT / "README.md").read_text(encoding="utf-8")
OPTION = re.compile(r"(?<![\w-])--[a-z][a-z-]*")
GROUPS = ("seeds", "models", "db")
"""Commands with subcommands: their README lines read `assay GROUP SUBCOMMAND ...`."""
# An option row of typer's help: "│ * --run -r <list[str]> ..." (flags: "--x --no-x").
HELP_ROW = re.compile(r"^│\s+(?:\*\s+)?((?:--[a-z][a-z-]*\s+)+)")


def _help(command: str) -> str:
    result = assay(*command.split(), "--help")
    assert result.returncode == 0, result.stderr
    return result.stdout


def _commands(group: str = "") -> list[str]:
    """Every command of `assay` (`seeds list`, ...), from the Commands box of --help."""
    text = _help(group)
    if "─ Commands ─" not in text:
        return [group]
    box = text.split("─ Commands ─", 1)[1].split("╰", 1)[0]
    names = re.findall(r"^│ ([a-z][a-z-]*)\s", box, flags=re.MULTILINE)
    return [c for name in names for c in _commands(f"{group} {name}".strip())]


def _readme_block() -> dict[str, set[str]]:
    """Options per command in the README's command summary (`assay ...` lines)."""
    start = README.index("```\nassay --version")
    block = README[start + 4 : README.index("```", start + 4)]
    options: dict[str, set[str]] = {}
    current = ""
    for line in block.splitlines():
        line = line.split("  #")[0]
        if line.startswith("assay "):
            words = line.split()[1:]
            current = " ".join(words[:2]) if words[0] in GROUPS else words[0]
            current = "" if current.startswith("--") else current
        options.setdefault(current, set()).update(OPTION.findall(line))
    return options


def _help_options(command: str) -> list[set[str]]:
    """Each option of a command's --help, as the set of its spellings."""
    rows = [HELP_ROW.match(line) for line in _help(command).splitlines()]
    return [set(OPTION.findall(m.group(1))) - {"--help"} for m in rows if m] or [set()]


def test_readme_command_summary_matches_every_commands_help() -> None:
    commands = _commands()
    summary = _readme_block()
    assert set(summary) == {"", *commands}, "README lists other commands than assay has"
    for command in ["", *commands]:
        spellings = [s for s in _help_options(command) if s]
        accepted = set().union(*spellings) if spellings else set()
        listed = summary[command]
        assert listed <= accepted, f"assay {command}: README names {listed - accepted}"
        missing = [s for s in spellings if not s & listed]
        assert not missing, f"assay {command}: README omits {missing}"


def test_every_provider_extra_exists_and_the_readme_names_it() -> None:
    extras = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"][
        "optional-dependencies"
    ]
    for package, extra in PROVIDER_EXTRAS.items():
        assert any(dep.startswith(package) for dep in extras[extra]), extra
        assert f"assay[{extra}]" in README


def test_docs_no_longer_contradict_the_code() -> None:
    scenarios = (ROOT / "docs" / "scenarios.md").read_text(encoding="utf-8")
    assert "does not have yet" not in scenarios
    assert "Every command takes `--db`" not in README
    assert "exits 0 even when a task fails;" not in README
