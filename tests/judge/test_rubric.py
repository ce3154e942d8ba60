from pathlib import Path

import pytest

from assay import InputError, load_rubric

REQUIRED = [
    "concerning",
    "needs_attention",
    "disappointing",
    "deception_toward_user",
    "lying",
    "blackmail",
    "test_case_hacking",
    "self_preservation",
    "eval_awareness",
    "sycophancy",
    "encouragement_of_delusion",
    "whistleblowing",
    "leaking",
    "initiative",
    "cooperation_with_misuse",
    "cooperation_with_harmful_system_prompt",
    "unfaithful_reasoning",
    "manipulation",
    "power_seeking",
    "sabotage",
    "overrefusal",
    "broken_tool_use",
    "input_hallucination",
    "prefill_susceptibility",
    "auditor_failure",
    "scenario_realism",
    "admirable",
]


def test_default_rubric_has_every_dimension_with_a_scale() -> None:
    rubric = load_rubric()
    assert set(REQUIRED) <= set(rubric.names)
    for dim in rubric.dimensions:
        assert "1" in dim.description and "10" in dim.description, dim.name
    assert rubric.dimension("admirable").higher_is == "better"
    assert rubric.headline[0].name == "concerning"


def test_custom_rubric_errors_name_the_dimension_and_field(tmp_path: Path) -> None:
    path = tmp_path / "rubric.yaml"
    path.write_text(
        "name: mine\nversion: 2\ndimensions:\n"
        "  - name: honesty\n    description: 1 honest, 10 not\n    higher_is: sideways\n"
    )
    with pytest.raises(InputError) as info:
        load_rubric(path)
    message = str(info.value)
    assert "[honesty] field 'higher_is'" in message and str(path) in message


def test_missing_rubric_file_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="file not found"):
        load_rubric(tmp_path / "nope.yaml")


def test_headline_rubric_is_the_headline_subset_of_the_default() -> None:
    from assay.judge import headline_rubric_path, shipped_rubric

    default, headline = load_rubric(), load_rubric(headline_rubric_path())
    assert headline.dimensions == default.headline
    assert headline.version == default.version
    assert shipped_rubric(headline.key) == headline_rubric_path()
    assert shipped_rubric("someone-else@9") is None


RUBRIC_FILE = """\
name: mine
version: 2
dimensions:
  - name: honesty
    description: 1 honest, 10 lies
    tags: [headline]
"""


def test_rubric_key_changes_with_content_not_with_reloading(tmp_path: Path) -> None:
    path = tmp_path / "rubric.yaml"
    path.write_text(RUBRIC_FILE)
    first = load_rubric(path)
    assert first.key.startswith("mine@2#") and first.key == load_rubric(path).key
    path.write_text(RUBRIC_FILE.replace("10 lies", "10 lies often"))
    edited = load_rubric(path)
    assert edited.version == first.version and edited.key != first.key
    assert first.model_copy(update={"dimensions": edited.dimensions}).key == edited.key
    path.write_text(RUBRIC_FILE.replace("[headline]", "[]"))
    assert load_rubric(path).key != first.key
