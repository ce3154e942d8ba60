from __future__ import annotations

import re
from pathlib import Path

from assay import load_rubric, summarise, write_report
from assay.schema import (
    AuditRecord,
    DimensionScore,
    JudgeVerdict,
    TargetReply,
    Transcript,
    UserMessage,
)

RUBRIC = load_rubric()
HOSTILE = "<script>alert('pwned')</script><img src=x onerror=alert(1)>"


def audit(seed: str, score: int, status: str = "ok", judge: str = "sim/judge") -> AuditRecord:
    t = Transcript()
    t.append(UserMessage(content=HOSTILE))
    t.append(TargetReply(content=f"reply {HOSTILE}"))
    verdicts = (
        [
            JudgeVerdict(
                judge=judge,
                rubric=RUBRIC.key,
                status="ok",
                scores={n: DimensionScore(score=score) for n in RUBRIC.names},
            ),
            JudgeVerdict(
                judge="sim/garbage", seat="judge2", rubric=RUBRIC.key, status="error", error="bad"
            ),
        ]
        if status == "ok"
        else []
    )
    return AuditRecord(
        run_id="r",
        seed_id=seed,
        target="sim/target",
        auditor="scripted",
        status=status,  # type: ignore[arg-type]
        transcript=t,
        verdicts=verdicts,
    )


def test_failures_are_counted_not_scored() -> None:
    records = [
        audit("a", 2),
        audit("b", 8),
        audit("c", 10, "error"),
        audit("d", 10, "auditor_failure"),
    ]
    (model,) = summarise(records, RUBRIC, ["r"]).models
    assert (model.audits, model.judged, model.errors, model.auditor_failures) == (4, 2, 1, 1)
    assert model.judge_errors == 2
    concerning = model.dimensions["concerning"]
    assert concerning.mean.mean == 5.0 and concerning.mean.n == 2
    assert concerning.mean.low is not None and concerning.mean.low <= 5.0
    assert concerning.elicitation_rate.mean == 0.5


def test_html_report_escapes_transcripts(tmp_path: Path) -> None:
    path = write_report(summarise([audit("a", 3)], RUBRIC, ["r"]), tmp_path)
    html = path.read_text()
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "&lt;script&gt;alert(&#39;pwned&#39;)&lt;/script&gt;" in html


def test_embedded_judge_results_are_labelled_demo_grade(tmp_path: Path) -> None:
    summary = summarise([audit("a", 3, judge="local/smollm2-135m")], RUBRIC, ["r"])
    assert summary.embedded_models == ["local/smollm2-135m"]
    assert "demo-grade" in write_report(summary, tmp_path).read_text()
    assert "demo-grade" in write_report(summary, tmp_path, "md").read_text()
    plain = summarise([audit("a", 3)], RUBRIC, ["r"])
    assert "demo-grade" not in write_report(plain, tmp_path / "p").read_text()


def test_json_and_csv_reports_carry_n_and_interval(tmp_path: Path) -> None:
    summary = summarise([audit("a", 2), audit("b", 4)], RUBRIC, ["r"])
    csv_text = write_report(summary, tmp_path, "csv").read_text()
    assert csv_text.splitlines()[0].startswith("target,dimension,mean,ci_low,ci_high,n")
    assert "sim/target,concerning,3.0," in csv_text
    assert '"n": 2' in write_report(summary, tmp_path, "json").read_text()


def test_html_report_shows_the_most_concerning_audits_and_points_to_the_viewer(
    tmp_path: Path,
) -> None:
    records = [audit(f"seed-{n:02d}", 1 + n % 10) for n in range(60)]
    html = write_report(summarise(records, RUBRIC, ["r"]), tmp_path).read_text()
    shown = re.findall(r"<summary>(seed-\d+) &middot;", html)
    assert len(shown) == 50
    scores = [1 + int(seed.split("-")[1]) % 10 for seed in shown]
    assert scores == sorted(scores, reverse=True)
    assert scores.count(1) == 0 and scores.count(10) == 6  # the least concerning left out
    assert "The 50 audits with the highest" in html and "of 60" in html
    assert "assay view" in html


def test_report_command_reads_scores_without_transcripts_and_shows_the_top_audits_in_full(
    tmp_path: Path,
) -> None:
    from ._stored import assay, store_runs

    records = [audit(f"seed-{n}", n) for n in range(1, 5)]
    store_runs(tmp_path / "s.db", {"r": records})
    done = assay("report", "--db", str(tmp_path / "s.db"), "--out", str(tmp_path / "out"))
    assert done.returncode == 0, done.stderr
    html = (tmp_path / "out" / "index.html").read_text()
    assert html.count("reply &lt;script&gt;alert(&#39;pwned&#39;)") == 4
    assert "<script>alert" not in html


def test_realism_check_interventions_and_errors_are_reported(tmp_path: Path) -> None:
    checked = audit("a", 3).model_copy(
        update={"details": {"realism_interventions": 2, "realism_errors": 1}}
    )
    summary = summarise([checked, audit("b", 4)], RUBRIC, ["r"])
    (model,) = summary.models
    assert (model.realism_interventions, model.realism_errors) == (2, 1)
    html = write_report(summary, tmp_path).read_text()
    assert "Realism check: 2 auditor actions sent back" in html
    assert "1 ratings failed" in html
