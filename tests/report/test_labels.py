"""`assay report --labels`: each judge's stored verdicts against human labels, shown
beside the panel's own agreement in the terminal, HTML and Markdown."""

from __future__ import annotations

import dataclasses
import json
from pathlib import Path

import pytest

from assay import InputError, summarise, write_report
from assay.judge import Label, LabelledTranscript
from assay.report._labels import label_summary, with_labels
from assay.schema import AuditRecord, DimensionScore, JudgeVerdict

from ._stored import RUBRIC, assay, scored, store_runs

LABELS = {"sycophancy": [2, 4, 6, 8, 9], "concerning": [1, 3, 5, 7, 10]}


def _verdict(judge: str, seat: str, scores: dict[str, int] | None) -> JudgeVerdict:
    if scores is None:
        return JudgeVerdict(judge=judge, seat=seat, rubric=RUBRIC.key, status="error", error="x")
    values = {n: DimensionScore(score=scores.get(n, 1)) for n in RUBRIC.names}
    return JudgeVerdict(judge=judge, seat=seat, rubric=RUBRIC.key, status="ok", scores=values)


def _records(exact: str = "sim/exact", harsh: str = "sim/harsh") -> list[AuditRecord]:
    """Five audits: `exact` scores the labels, `harsh` two points higher (capped at 10)
    except on the last audit, where its verdict failed."""
    records = []
    for index in range(5):
        truth = {name: scores[index] for name, scores in LABELS.items()}
        plus_two = {n: min(s + 2, 10) for n, s in truth.items()} if index < 4 else None
        record = scored("sim/target", f"seed-{index}", {})
        verdicts = [_verdict(exact, "judge", truth), _verdict(harsh, "judge2", plus_two)]
        records.append(record.model_copy(update={"verdicts": verdicts, "id": 100 + index}))
    return records


def _labels(ids: list[int]) -> list[LabelledTranscript]:
    return [
        LabelledTranscript(
            id=f"audit-{audit}",
            audit=audit,
            labels={n: Label(score=scores[i % 5]) for n, scores in LABELS.items()},
        )
        for i, audit in enumerate(ids)
    ]


def test_each_judge_is_compared_with_the_labels_and_failures_are_counted() -> None:
    records = _records()
    summary = label_summary(records, RUBRIC, _labels([100, 101, 102, 103, 104, 999]), "h.csv")
    assert (summary.labelled, summary.missing) == (5, 1)
    judges = {j.judge: j for j in summary.judges}
    assert set(judges) == {"judge=sim/exact", "judge2=sim/harsh"}
    exact, harsh = judges["judge=sim/exact"], judges["judge2=sim/harsh"]
    assert (exact.verdicts, exact.errors, harsh.verdicts, harsh.errors) == (5, 0, 4, 1)
    for name, labels in LABELS.items():
        assert exact.dimensions[name].mae.mean == 0 and exact.dimensions[name].n == 5
        assert exact.dimensions[name].spearman.mean == pytest.approx(1.0)
        first_four = labels[:4]
        expected = sum(min(s + 2, 10) - s for s in first_four) / 4
        assert harsh.dimensions[name].n == 4  # the failed verdict is not scored
        assert harsh.dimensions[name].mae.mean == pytest.approx(expected)
        assert harsh.dimensions[name].bias == pytest.approx(expected)


def test_html_and_markdown_show_the_table_after_the_panel_agreement(tmp_path: Path) -> None:
    records = _records(harsh="<script>alert(1)</script>")
    summary = summarise(records, RUBRIC, ["r1"])
    found = label_summary(records, RUBRIC, _labels([100, 101, 102, 103, 104]), "human.csv")
    summary = dataclasses.replace(summary, labels=found)
    html = write_report(summary, tmp_path / "html").read_text()
    assert html.index("<h3>Agreement</h3>") < html.index("<h3>Agreement with labels</h3>")
    assert "<script>alert(1)" not in html and "&lt;script&gt;alert(1)" in html
    assert "<td>judge=sim/exact</td><td>sycophancy</td><td>5</td><td>1.00 [1.00, 1.00]</td>" in html
    md = write_report(summary, tmp_path / "md", "md").read_text()
    assert md.index("## Panel agreement") < md.index("## Agreement with labels")
    assert "| judge=sim/exact | concerning | 5 | 1.00 [1.00, 1.00] | 0.00 [0.00, 0.00] |" in md
    payload = json.loads(write_report(summary, tmp_path / "json", "json").read_text())
    assert payload["labels"]["source"] == "human.csv" and payload["labels"]["labelled"] == 5
    plain = summarise(records, RUBRIC, ["r1"])
    assert "Agreement with labels" not in write_report(plain, tmp_path / "plain").read_text()
    assert json.loads(write_report(plain, tmp_path / "j2", "json").read_text())["labels"] is None


def test_report_command_adds_label_agreement_and_refuses_bad_labels(tmp_path: Path) -> None:
    records = [r.model_copy(update={"id": None}) for r in _records()]
    store = store_runs(tmp_path / "s.db", {"r1": records})
    ids = sorted(r.id for r in store.audits(["r1"]) if r.id is not None)
    rows = [
        f"{audit},{name},{scores[i]},rater-{i % 2}"
        for i, audit in enumerate(ids)
        for name, scores in LABELS.items()
    ]
    csv = tmp_path / "human.csv"
    csv.write_text("audit,dimension,score,labeller\n" + "\n".join(rows) + "\n")
    db = str(tmp_path / "s.db")
    with_table = with_labels(summarise(store.audits(["r1"]), RUBRIC, ["r1"]), csv, store)
    assert with_table.labels is not None and with_table.labels.labelled == 5
    out = tmp_path / "out"
    result = assay("report", "--db", db, "--labels", str(csv), "--format", "md", "--out", str(out))
    assert result.returncode == 0, result.stderr
    assert "judge2=sim/harsh: agreement with labels" in result.stdout
    assert "Labels: human.csv, 5 labelled audits" in result.stdout
    assert "## Agreement with labels" in (out / "report.md").read_text()
    csv.write_text("audit,dimension,score,labeller\n777,sycophancy,3,rater-0\n")
    bad = assay("report", "--db", db, "--labels", str(csv), "--out", str(out))
    assert bad.returncode == 2 and "[row 2] field 'audit': no audit 777" in bad.stderr
    with pytest.raises(InputError, match="names no stored audit"):
        yaml_labels = tmp_path / "l.yaml"
        yaml_labels.write_text(
            "labeller: me\ntranscripts:\n- id: t\n  labels: {sycophancy: {score: 3}}\n"
        )
        with_labels(summarise(store.audits(["r1"]), RUBRIC, ["r1"]), yaml_labels, store)
