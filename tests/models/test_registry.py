"""The model registry: shipped table, user files, validation, prices."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from assay import InputError
from assay.models import load_registry, total_cost, usage_cost
from assay.schema import Usage

BIN = Path(sys.executable).parent

USER_FILE = """
models:
  - id: vllm/acme/Acme-7B-Instruct
    display: Acme 7B
    lab: Acme
    released: 2025-06-01
    open_weights: true
    price: {input: 0.5, output: 1.5}
  - id: openai/gpt-4o-2024-08-06
    display: GPT-4o (our price)
    lab: OpenAI
    released: 2024-08-06
    price: {input: 1.0, output: 2.0}
"""


def test_shipped_registry_covers_the_major_labs_with_dates() -> None:
    registry = load_registry(env=False)
    models = list(registry)
    assert len(models) >= 30
    labs = {m.lab for m in models}
    assert {"Anthropic", "OpenAI", "Google", "Meta", "Mistral AI", "DeepSeek"} <= labs
    assert {"Alibaba", "xAI"} <= labs
    assert all(m.released is not None and m.released >= date(2023, 1, 1) for m in models)
    assert any(m.open_weights for m in models) and any(not m.open_weights for m in models)
    claude = registry.get("anthropic/claude-3-5-sonnet-20240620")
    assert claude is not None and claude.lab == "Anthropic"
    assert claude.released == date(2024, 6, 20)


def test_prices_of_the_former_price_table_are_kept_and_aliases_resolve() -> None:
    registry = load_registry(env=False)
    for name, price in {
        "anthropic/claude-sonnet-4-5": (3.0, 15.0),
        "openai/gpt-4.1": (2.0, 8.0),
        "openai/gpt-4o-mini": (0.15, 0.6),
        "google/gemini-2.5-pro": (1.25, 10.0),
    }.items():
        found = registry.price(name)
        assert found is not None, name
        assert (found.input, found.output) == price
    assert registry.get("openai/gpt-4o") == registry.get("openai/gpt-4o-2024-08-06")


def test_cost_accounting_reads_the_registry(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    million = Usage(input_tokens=1_000_000, output_tokens=1_000_000)
    assert usage_cost("openai/gpt-4.1", million) == pytest.approx(10.0)
    assert usage_cost("sim/anything", million) == 0.0
    assert usage_cost("vllm/acme/Acme-7B-Instruct", million) is None
    assert (
        total_cost([("openai/gpt-4.1", million), ("vllm/acme/Acme-7B-Instruct", million)]) is None
    )

    user = tmp_path / "models.yaml"
    user.write_text(USER_FILE)
    monkeypatch.setenv("ASSAY_MODELS", str(user))
    assert usage_cost("vllm/acme/Acme-7B-Instruct", million) == pytest.approx(2.0)
    # The override keeps the shipped entry's aliases.
    assert usage_cost("openai/gpt-4o-2024-08-06", million) == pytest.approx(3.0)
    assert usage_cost("openai/gpt-4o", million) == pytest.approx(3.0)


def test_user_files_extend_and_override_and_flags_win_over_env(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    user = tmp_path / "models.yaml"
    user.write_text(USER_FILE)
    registry = load_registry([user], env=False)
    assert registry.lab("vllm/acme/Acme-7B-Instruct") == "Acme"
    assert registry.display("openai/gpt-4o-2024-08-06") == "GPT-4o (our price)"
    assert len(registry) == len(load_registry(env=False)) + 1

    later = tmp_path / "later.yaml"
    later.write_text(USER_FILE.replace("Acme 7B", "Acme 7B v2"))
    monkeypatch.setenv("ASSAY_MODELS", str(user))
    assert load_registry([later]).display("vllm/acme/Acme-7B-Instruct") == "Acme 7B v2"
    assert load_registry().display("vllm/acme/Acme-7B-Instruct") == "Acme 7B"


def test_unknown_models_have_no_date_lab_or_price() -> None:
    registry = load_registry(env=False)
    assert registry.get("sim/target") is None
    assert registry.released("sim/target") is None and registry.lab("sim/target") is None
    assert registry.display("ollama/mystery") == "ollama/mystery"
    assert registry.price("ollama/mystery") is None


@pytest.mark.parametrize(
    ("entry", "field"),
    [
        ("{id: x/bad, lab: L, released: not-a-date}", "released"),
        ("{id: x/bad, released: 2024-01-01}", "lab"),
        ("{id: x/bad, lab: L, price: {input: -1, output: 2}}", "price.input"),
        ("{id: nothing-slash, lab: L}", "id"),
        ("{id: x/bad, lab: L, colour: red}", "colour"),
    ],
)
def test_a_bad_entry_names_the_file_the_entry_and_the_field(
    tmp_path: Path, entry: str, field: str
) -> None:
    bad = tmp_path / "mine.yaml"
    bad.write_text(f"models:\n  - {{id: x/good, lab: L}}\n  - {entry}\n")
    with pytest.raises(InputError) as caught:
        load_registry([bad], env=False)
    message = str(caught.value)
    assert str(bad) in message and "entry 2" in message and f"field '{field}'" in message


def test_duplicate_ids_missing_files_and_non_mappings_are_refused(tmp_path: Path) -> None:
    twice = tmp_path / "twice.yaml"
    twice.write_text("models:\n  - {id: x/a, lab: L}\n  - {id: x/b, lab: L, aliases: [x/a]}\n")
    with pytest.raises(InputError, match="x/a is already"):
        load_registry([twice], env=False)
    with pytest.raises(InputError, match="file not found"):
        load_registry([tmp_path / "missing.yaml"], env=False)
    listed = tmp_path / "list.yaml"
    listed.write_text("- {id: x/a, lab: L}\n")
    with pytest.raises(InputError, match="expected `models:`"):
        load_registry([listed], env=False)


def test_models_list_prints_the_registry_filtered_by_lab(tmp_path: Path) -> None:
    user = tmp_path / "models.yaml"
    user.write_text(USER_FILE)
    run = [str(BIN / "assay"), "models", "list"]
    env = {k: v for k, v in os.environ.items() if k != "ASSAY_MODELS"} | {"COLUMNS": "200"}
    shown = subprocess.run([*run, "--lab", "anthropic"], capture_output=True, text=True, env=env)
    assert shown.returncode == 0, shown.stderr
    assert "claude-3-opus-20240229" in shown.stdout and "gpt-4o" not in shown.stdout
    mine = subprocess.run(
        [*run, "--lab", "Acme", "--models", str(user)], capture_output=True, text=True, env=env
    )
    assert mine.returncode == 0 and "Acme-7B-Instruct" in mine.stdout
    unknown = subprocess.run([*run, "--lab", "Nobody"], capture_output=True, text=True, env=env)
    assert unknown.returncode == 2 and "labs: " in unknown.stderr
