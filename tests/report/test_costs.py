"""Tokens and cost per role, with "no price" for unpriced models, in every format."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from rich.console import Console

from assay import RunConfig, Store, print_summary, rejudge, run_audit, summarise, write_report
from assay.models import load_registry
from assay.schema import AuditRecord, Usage

from ._stored import RUBRIC, assay, scored

M = 1_000_000
UNPRICED = "vllm/acme/Unpriced-7B"
CONFIG = RunConfig(
    targets=["openai/gpt-4.1"],
    auditor=UNPRICED,
    realism="openai/gpt-4o-mini",
    judges=["sim/judge", "anthropic/claude-sonnet-4-5"],
)


def _record() -> AuditRecord:
    usage = {
        "target": Usage(input_tokens=M, output_tokens=M // 2),  # $2 + $4
        "auditor": Usage(input_tokens=100_000, output_tokens=10_000),  # no price
        "realism": Usage(input_tokens=M, output_tokens=M),  # $0.15 + $0.60
        "judge": Usage(input_tokens=M, output_tokens=0),  # the sim judge: free
        "judge2": Usage(input_tokens=M, output_tokens=0),  # its verdict is not here: $3
        "rejudge:openai/gpt-4.1": Usage(input_tokens=0, output_tokens=M),  # $8
    }
    record = scored("openai/gpt-4.1", "s1", {}, run_id="run-c", usage=usage)
    return record.model_copy(update={"auditor": UNPRICED})


def test_each_role_is_priced_from_the_registry_and_unpriced_ones_say_so(tmp_path: Path) -> None:
    configs = {"run-c": CONFIG.model_dump()}
    registry = load_registry(env=False)
    summary = summarise([_record()], RUBRIC, ["run-c"], registry=registry, configs=configs)
    (model,) = summary.models
    roles = {r.role: r for r in model.roles}
    assert list(roles) == ["target", "auditor", "realism", "judges", "re-judging"]
    assert roles["target"].cost == pytest.approx(6.0) and roles["target"].cost_text == "$6.0000"
    assert roles["auditor"].unpriced == (UNPRICED,)
    assert roles["auditor"].tokens == 110_000 and roles["auditor"].cost_text == "no price"
    assert roles["realism"].cost == pytest.approx(0.75)
    assert roles["judges"].models == ("anthropic/claude-sonnet-4-5", "sim/judge")
    assert roles["judges"].cost == pytest.approx(3.0)
    assert roles["re-judging"].models == ("openai/gpt-4.1",)
    assert roles["re-judging"].cost == pytest.approx(8.0)
    assert model.cost is None  # not every role is priced ...
    priced = tmp_path / "models.yaml"
    priced.write_text(f"models:\n  - {{id: {UNPRICED}, lab: A, price: {{input: 1, output: 10}}}}\n")
    registry = load_registry([priced], env=False)
    again = summarise([_record()], RUBRIC, ["run-c"], registry=registry, configs=configs)
    assert again.models[0].cost == pytest.approx(17.95)  # 100k in at $1/M, 10k out at $10/M
    # ... yet the priced roles still add up beside "no price".
    console = Console(record=True, width=200)
    print_summary(summary, console)
    terminal = console.export_text()
    assert "$17.7500 + no price" in terminal
    assert f"(no price: {UNPRICED})" in terminal


def test_unpriced_cost_reaches_html_markdown_and_json(tmp_path: Path) -> None:
    summary = summarise(
        [_record()],
        RUBRIC,
        ["run-c"],
        registry=load_registry(env=False),
        configs={"run-c": CONFIG.model_dump()},
    )
    assert "$17.7500 + no price" in write_report(summary, tmp_path).read_text()
    assert "| no price |" in write_report(summary, tmp_path, "md").read_text()
    payload = json.loads(write_report(summary, tmp_path, "json").read_text())
    total = payload["total_usage"]
    assert total["cost"] == pytest.approx(17.75) and total["unpriced"] == [UNPRICED]
    roles = {r["role"]: r for r in payload["models"][0]["roles"]}
    assert roles["auditor"]["input_tokens"] == 100_000


def test_a_price_in_the_users_file_prices_old_runs(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "c.db"))
    store.create_run(CONFIG, RUBRIC.key, {}, "run-c")
    store.write_audit(_record())
    prices = tmp_path / "models.yaml"
    prices.write_text(
        f"models:\n  - {{id: {UNPRICED}, lab: Acme, price: {{input: 1.0, output: 10.0}}}}\n"
    )
    common = ["report", "--db", str(tmp_path / "c.db"), "--out", str(tmp_path / "o")]
    before = assay(*common, "--format", "md")
    assert before.returncode == 0, before.stderr
    assert "$17.7500 + no price" in before.stdout
    after = assay(*common, "--format", "md", "--models", str(prices))
    assert after.returncode == 0, after.stderr
    # 100k input at $1/M and 10k output at $10/M: $0.20 more, and no "no price".
    assert "$17.9500" in after.stdout and "no price" not in after.stdout


def test_rejudging_tokens_are_stored_and_reported(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "s.db"))
    config = RunConfig(targets=["sim/target"], judges=["sim/judge"], seeds=["sycophancy"])
    run = run_audit(config, store, log_dir=tmp_path / "logs")
    rejudge(store, [run.run_id], ["sim/new-judge"])
    once = {r.id: r.usage["rejudge:sim/new-judge"] for r in store.audits([run.run_id])}
    assert once and all(u.input_tokens > 0 for u in once.values())
    rejudge(store, [run.run_id], ["sim/new-judge"])  # tokens spent again: summed
    twice = {r.id: r.usage["rejudge:sim/new-judge"] for r in store.audits([run.run_id])}
    assert all(twice[i].input_tokens == 2 * once[i].input_tokens for i in once)
    summary = summarise(store.audits([run.run_id]), RUBRIC, [run.run_id])
    roles = {r.role: r for r in summary.models[0].roles}
    assert roles["re-judging"].models == ("sim/new-judge",)
    assert roles["re-judging"].input_tokens == sum(u.input_tokens for u in twice.values())
    assert roles["re-judging"].cost_text == "$0.0000"
