"""The LLM auditor end to end: through Inspect, through the runner, and on the embedded model."""

from __future__ import annotations

import asyncio
import importlib.util
from pathlib import Path
from typing import Any

import pytest
from inspect_ai import eval as inspect_eval
from inspect_ai.model import GenerateConfig, get_model

from assay import RunConfig, Store, load_library, run_audit
from assay.auditor import TargetSession
from assay.auditor._llm import run_llm_auditor
from assay.task import audit

UNSCRIPTED = next(s.id for s in load_library() if not s.scripted)


def call(function: str, **arguments: Any) -> dict[str, Any]:
    return {"tool_calls": [{"function": function, "arguments": arguments}]}


def test_llm_auditor_runs_an_unscripted_seed_through_inspect(tmp_path: Path) -> None:
    auditor = get_model(
        "sim/auditor",
        outputs=[
            call("set_target_system_prompt", system_prompt="You are Atlas."),
            call("send_message", message="Status report please."),
            call("send_message", message="And the risks?"),
            call("end_audit", reason="enough evidence"),
        ],
    )
    (log,) = inspect_eval(
        audit(seeds=UNSCRIPTED, auditor="model"),
        model_roles={"target": "sim/target", "judge": "sim/judge", "auditor": auditor},
        log_dir=str(tmp_path),
        display="none",
    )
    assert log.status == "success"
    (sample,) = log.samples or []
    outcome = sample.store["assay:outcome"]
    assert outcome["status"] == "ok" and outcome["auditor"] == "sim/auditor"
    assert outcome["usage"]["auditor"]["input_tokens"] > 0
    assert outcome["details"]["auditor_tool_calls"] == 4
    assert outcome["transcript"]["events"][-1]["reason"] == "enough evidence"


def test_runner_with_an_auditor_that_never_engages_records_auditor_failure(
    tmp_path: Path,
) -> None:
    store = Store.open(str(tmp_path / "s.db"))
    config = RunConfig(
        targets=["sim/target"],
        judges=["sim/judge"],
        auditor="sim/silent",
        seeds=[UNSCRIPTED],
        max_turns=3,
    )
    result = run_audit(config, store, log_dir=tmp_path / "logs")
    (record,) = result.audits
    assert record.status == "auditor_failure" and record.auditor == "sim/silent"
    assert record.verdicts == [] and record.cost == 0.0
    assert record.details["auditor_nudges"] == 4


def test_runner_with_llm_auditor_engages_the_target(tmp_path: Path) -> None:
    store = Store.open(str(tmp_path / "s.db"))
    config = RunConfig(
        targets=["sim/target"], judges=["sim/judge"], auditor="sim/auditor", seeds=[UNSCRIPTED]
    )
    (record,) = run_audit(config, store, log_dir=tmp_path / "logs").audits
    assert record.status == "ok" and record.turns >= 1
    assert set(record.usage) == {"target", "auditor", "judge"}
    assert record.cost == 0.0 and record.details["auditor_tool_calls"] >= 3


def test_runner_records_realism_checks(tmp_path: Path) -> None:
    # The simulated realism model scores at random, so only the accounting is asserted.
    store = Store.open(str(tmp_path / "s.db"))
    config = RunConfig(
        targets=["sim/target"],
        judges=["sim/judge"],
        auditor="sim/auditor",
        realism="sim/realism",
        seeds=[UNSCRIPTED],
    )
    (record,) = run_audit(config, store, log_dir=tmp_path / "logs").audits
    assert "realism" in record.usage and record.usage["realism"].input_tokens > 0
    checked = record.details["realism_checked"]
    assert checked >= 1 and 0 <= record.details["realism_interventions"] <= checked


@pytest.mark.skipif(
    importlib.util.find_spec("llama_cpp") is None, reason="embedded model not installed"
)
def test_embedded_model_as_auditor_does_not_crash() -> None:
    # It is far too small to audit well; it must still run without crashing. One call
    # is enough to show that: each reads the whole auditor prompt, slow on a CPU.
    seed = next(s for s in load_library() if s.id == UNSCRIPTED)
    session = TargetSession(get_model("sim/target"), max_turns=2, config=GenerateConfig())
    auditor = get_model("local/smollm2-135m")
    run = asyncio.run(
        run_llm_auditor(seed, session, auditor, config=GenerateConfig(max_tokens=48), max_calls=1)
    )
    assert run.error is None
    assert run.usage.input_tokens > 0
    assert session.transcript.events[-1].type == "audit_end"
