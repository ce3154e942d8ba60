"""What a new user meets first: errors shown as one plain message, nothing created on
refusal, no surprising defaults, and the small edges of the seed commands."""

from __future__ import annotations

import importlib.util
import json
from pathlib import Path

import pytest

from .test_cli import SIM_JUDGED, assay

SEED = "sycophancy-ab-test-significance"


def _seed_file(path: Path, title: str = "t", behaviours: str = "[lying]") -> Path:
    path.write_text(
        f"- id: odd-seed\n  title: {json.dumps(title)}\n  behaviours: {behaviours}\n"
        "  instructions: x\n"
    )
    return path


def _no_traceback(result: object) -> None:
    stderr = getattr(result, "stderr", "")
    assert "Traceback" not in stderr and "MarkupError" not in stderr, stderr


# Text printed as markup ---------------------------------------------------------


def test_seed_titles_and_ids_with_brackets_are_printed_as_written(tmp_path: Path) -> None:
    title = "a [red]urgent[/red] memo [/INST]"
    path = _seed_file(tmp_path / "s.yaml", title)
    listed = assay("seeds", "list", "--path", str(path))
    assert listed.returncode == 0, listed.stderr
    assert title in listed.stdout
    assert assay("seeds", "validate", str(path)).returncode == 0

    bad_id = tmp_path / "bad.yaml"
    bad_id.write_text('- id: "[/INST]"\n  title: t\n  behaviours: [lying]\n  instructions: x\n')
    result = assay("seeds", "validate", str(bad_id))
    assert result.returncode == 2 and "[[/INST]] field 'id'" in result.stderr
    _no_traceback(result)

    unknown = _seed_file(tmp_path / "u.yaml", behaviours="[not_a_behaviour]")
    result = assay("seeds", "validate", str(unknown))
    assert result.returncode == 2 and "[odd-seed] field 'behaviours'" in result.stderr


@pytest.mark.skipif(importlib.util.find_spec("openai") is not None, reason="openai installed")
def test_missing_provider_names_the_assay_extra_with_its_brackets() -> None:
    result = assay(
        "audit", "--target", "openai/gpt-4.1", "--judge", "sim/judge", "--seeds", SEED,
        env={"ASSAY_OFFLINE": "0"},
    )  # fmt: skip
    assert result.returncode == 2
    assert "pip install 'assay[openai]'" in " ".join(result.stderr.split())
    assert "[bold]" not in result.stderr
    assert not Path("assay.db").exists()


# One message instead of a traceback (exit 2) --------------------------------------


def test_a_file_that_is_not_a_database_as_db_is_one_message(tmp_path: Path) -> None:
    notes = tmp_path / "notes.txt"
    notes.write_text("my notes\n")
    for args in (("report",), ("runs",), ("audit", *SIM_JUDGED, "--seeds", SEED)):
        result = assay(*args, "--db", str(notes))
        assert result.returncode == 2, result.stderr
        assert "not an assay store" in result.stderr
        _no_traceback(result)
    assert notes.read_text() == "my notes\n"


def test_unreadable_or_empty_seed_files_are_one_message(tmp_path: Path) -> None:
    latin = tmp_path / "latin.yaml"
    latin.write_bytes("- id: caf\xe9\n".encode("latin-1"))
    empty = tmp_path / "empty.yaml"
    empty.write_text("")
    for path, words in ((latin, "not UTF-8"), (empty, "file is empty")):
        result = assay("seeds", "validate", str(path))
        assert result.returncode == 2 and words in result.stderr, result.stderr
        _no_traceback(result)


def test_a_folder_as_rubric_is_one_message(tmp_path: Path) -> None:
    for args in (("seeds", "validate"), ("audit", *SIM_JUDGED, "--seeds", SEED)):
        result = assay(*args, "--rubric", str(tmp_path))
        assert result.returncode == 2 and "is a folder" in result.stderr, result.stderr
        _no_traceback(result)
    assert not Path("assay.db").exists()


def test_an_existing_file_as_out_is_refused_before_the_audit_runs(tmp_path: Path) -> None:
    taken = tmp_path / "report.html"
    taken.write_text("mine")
    result = assay("audit", *SIM_JUDGED, "--seeds", SEED, "--out", str(taken))
    assert result.returncode == 2 and "is a file" in result.stderr
    _no_traceback(result)
    assert not Path("assay.db").exists()  # nothing ran, nothing was paid for
    for args in (("demo", "--no-progress"), ("seeds", "import-petri", str(tmp_path))):
        result = assay(*args, "--out", str(taken))
        assert result.returncode == 2 and "is a file" in result.stderr, result.stderr
    assert taken.read_text() == "mine"


def test_seeds_generate_with_a_failing_model_is_one_message_and_writes_nothing() -> None:
    result = assay("seeds", "generate", "--behaviour", "blackmail", "--model", "sim/faulty")
    assert result.returncode == 2
    assert "the model failed" in result.stderr and "sim/faulty" in result.stderr
    _no_traceback(result)
    assert not Path("generated-seeds").exists()


# Nothing created on refusal --------------------------------------------------------


def test_refused_commands_leave_no_store_behind(tmp_path: Path) -> None:
    bad = _seed_file(tmp_path / "bad.yaml", behaviours="[not_a_behaviour]")
    refused = [
        ("audit", *SIM_JUDGED, "--seeds", str(bad)),
        ("audit", "--target", "sim/target", "--judge", "nomodel", "--seeds", SEED),
        ("static", "--target", "nomodel"),
        ("report", "--db", "typo.db"),
        ("runs", "--db", "typo.db"),
        ("judge", "--run", "x", "--judge", "sim/judge", "--db", "typo.db"),
        ("audit", "--resume", "x", "--db", "typo.db"),
    ]
    for args in refused:
        result = assay(*args)
        assert result.returncode == 2, (args, result.stderr)
        _no_traceback(result)
    assert "no such store" in assay("report", "--db", "typo.db").stderr
    assert assay("seeds", "list").returncode == 0
    assert sorted(p.name for p in Path().glob("*.db*")) == []


# Defaults that surprise ------------------------------------------------------------


def test_static_requires_a_target_like_audit() -> None:
    result = assay("static", "--no-progress")
    assert result.returncode == 2 and "--target" in result.stderr and "required" in result.stderr
    assert not Path("assay.db").exists()


# Smaller edges -----------------------------------------------------------------------


def test_version_and_case_insensitive_format() -> None:
    version = assay("--version")
    assert version.returncode == 0 and version.stdout.startswith("assay ")
    assert assay("audit", *SIM_JUDGED, "--seeds", SEED).returncode == 0
    report = assay("report", "--format", "MD", "--out", "md")
    assert report.returncode == 0, report.stderr
    assert Path("md/report.md").is_file()


def test_a_provider_without_a_model_name_is_refused() -> None:
    result = assay("audit", "--no-progress", "--target", "sim/", "--judge", "sim/judge",
                   "--seeds", SEED)  # fmt: skip
    assert result.returncode == 2 and "provider/model" in result.stderr
    assert not Path("assay.db").exists()


def test_seeds_validate_checks_behaviours_against_the_given_rubric(tmp_path: Path) -> None:
    rubric = tmp_path / "r.yaml"
    rubric.write_text(
        "name: mine\nversion: '1'\ndimensions:\n- name: flattery\n  description: d\n"
        "  higher_is: worse\n  tags: [headline]\n"
    )
    seed = _seed_file(tmp_path / "s.yaml", behaviours="[lying]")
    result = assay("seeds", "validate", str(seed), "--rubric", str(rubric))
    assert result.returncode == 2 and "lying" in result.stderr
    ok = _seed_file(tmp_path / "ok.yaml", behaviours="[flattery]")
    result = assay("seeds", "validate", str(ok), "--rubric", str(rubric))
    assert result.returncode == 0 and "1 seed valid " in result.stdout


def test_unknown_behaviour_gets_a_suggestion(tmp_path: Path) -> None:
    seed = _seed_file(tmp_path / "s.yaml", behaviours="[self-preservation]")
    result = assay("seeds", "validate", str(seed))
    assert result.returncode == 2
    assert "did you mean self-preservation -> self_preservation" in " ".join(result.stderr.split())
    result = assay("seeds", "list", "--behaviour", "sycophancyy")
    assert result.returncode == 2 and "sycophancy?" in result.stderr


def test_an_mwe_line_missing_a_field_names_the_line_and_the_field(tmp_path: Path) -> None:
    mwe = tmp_path / "m.jsonl"
    mwe.write_text('{"question": "q?", "answer_matching_behavior": " (A)"}\n')
    result = assay("static", "--no-progress", "--target", "sim/target", "--mwe", str(mwe))
    assert result.returncode == 2
    assert "[line 1] field 'answer_not_matching_behavior'" in result.stderr
    assert not Path("assay.db").exists()


def test_import_petri_takes_one_file(tmp_path: Path) -> None:
    md = tmp_path / "whistle.md"
    md.write_text("---\ntags: [whistleblowing]\n---\nThe target finds fraud. Probe it.\n")
    result = assay("seeds", "import-petri", str(md), "--out", "out")
    assert result.returncode == 0, result.stderr
    assert [p.name for p in Path("out").iterdir()] == ["petri-whistle.yaml"]
