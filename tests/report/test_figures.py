"""The trajectory figure and heatmap: their numbers are the summary table's."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path
from statistics import mean, median

import pytest

from assay import InputError, RunConfig, Store, run_audit, summarise
from assay.models import load_registry
from assay.report import (
    draw_trajectory,
    heatmap_data,
    panel_score,
    trajectory_points,
    write_report,
)

from ._stored import RUBRIC, assay, scored, store_runs

REGISTRY = """
models:
  - {id: sim/alpha-1, display: Alpha 1, lab: Alpha, released: 2024-01-10}
  - {id: sim/alpha-2, display: Alpha 2, lab: Alpha, released: 2025-02-20}
  - {id: sim/beta-1, display: Beta 1, lab: Beta, released: 2024-09-01}
"""

# Known concerning scores per model, seed by seed; alpha-1 is audited in two runs.
KNOWN = {
    "run-1": {"sim/alpha-1": {"s1": 2, "s2": 4}, "sim/beta-1": {"s1": 7, "s2": 9, "s3": 9}},
    "run-2": {"sim/alpha-1": {"s3": 6, "s4": 8}, "sim/alpha-2": {"s1": 1, "s2": 3}},
    "run-3": {"sim/unlisted": {"s1": 5, "s2": 6}},
}


def _known_store(tmp_path: Path) -> tuple[Path, Path]:
    registry = tmp_path / "models.yaml"
    registry.write_text(REGISTRY)
    runs = {
        run: [
            scored(target, seed, {"concerning": score, "sycophancy": 11 - score})
            for target, seeds in targets.items()
            for seed, score in seeds.items()
        ]
        for run, targets in KNOWN.items()
    }
    db = tmp_path / "known.db"
    store_runs(db, runs)
    return db, registry


def test_points_are_the_summary_tables_numbers(tmp_path: Path) -> None:
    db, registry_file = _known_store(tmp_path)
    registry = load_registry([registry_file], env=False)
    summary = summarise(Store.open(str(db)).audits(), RUBRIC, ["all"], registry=registry)
    for dimension in ("concerning", "sycophancy"):
        points = {p.model: p for p in trajectory_points(summary, dimension)}
        assert set(points) == {m.target for m in summary.models}
        for model in summary.models:
            est = model.dimensions[dimension].mean
            p = points[model.target]
            assert (p.mean, p.low, p.high, p.n) == (est.mean, est.low, est.high, est.n)
    points = trajectory_points(summary)
    assert [p.model for p in points] == ["sim/alpha-1", "sim/beta-1", "sim/alpha-2", "sim/unlisted"]
    assert points[-1].released is None and points[-1].lab is None  # listed, not plotted
    heatmap = heatmap_data(summary)
    row = heatmap.rows.index("Beta 1")
    assert heatmap.values[row][heatmap.columns.index("concerning")] == pytest.approx(25 / 3)
    assert "admirable" in heatmap.better


def test_the_figure_plots_the_known_scores_means_one_line_per_lab(tmp_path: Path) -> None:
    db, registry_file = _known_store(tmp_path)
    registry = load_registry([registry_file], env=False)
    summary = summarise(Store.open(str(db)).audits(), RUBRIC, ["all"], registry=registry)
    figure = draw_trajectory(trajectory_points(summary), "concerning")
    (ax,) = [a for a in figure.axes if a.containers]
    plotted = {}
    for container in ax.containers:
        line = container.lines[0]  # the data line of an errorbar
        plotted[container.get_label()] = [round(float(y), 6) for y in line.get_ydata()]
    # Alpha's two models in release order; alpha-1 is one point over both its runs.
    assert plotted == {
        "Alpha": [round(mean([2, 4, 6, 8]), 6), round(mean([1, 3]), 6)],
        "Beta": [round(mean([7, 9, 9]), 6)],
    }
    alpha = next(c for c in ax.containers if c.get_label() == "Alpha")
    assert list(alpha.lines[0].get_xdata()) == [date(2024, 1, 10), date(2025, 2, 20)]


def test_report_all_merges_runs_and_embeds_the_figures(tmp_path: Path) -> None:
    db, registry_file = _known_store(tmp_path)
    out = tmp_path / "report"
    common = ["--db", str(db), "--all", "--models", str(registry_file), "--out", str(out)]
    shown = assay("report", *common, "--format", "json")
    assert shown.returncode == 0, shown.stderr
    payload = json.loads((out / "report.json").read_text())
    points = {p["model"]: p for p in payload["trajectory"]["points"]}
    assert points["sim/alpha-1"]["mean"] == 5.0 and points["sim/alpha-1"]["n"] == 4
    assert points["sim/alpha-1"]["released"] == "2024-01-10"
    assert points["sim/beta-1"]["mean"] == pytest.approx(25 / 3)
    assert points["sim/unlisted"]["released"] is None
    assert [m["target"] for m in payload["models"]].count("sim/alpha-1") == 1

    html = assay("report", *common, "--dimension", "sycophancy")
    assert html.returncode == 0, html.stderr
    page = (out / "index.html").read_text()
    assert "img-src data:" in page
    assert page.count('src="data:image/png;base64,') == 2
    assert "sycophancy by release date" in page
    assert "no release date (not plotted)" in page
    for name in ("trajectory.png", "trajectory.svg", "heatmap.png", "heatmap.svg"):
        assert (out / name).stat().st_size > 1000, name
    assert (out / "trajectory.png").read_bytes()[:4] == b"\x89PNG"

    bad = assay("report", *common, "--dimension", "nonsense")
    assert bad.returncode == 2 and "not a dimension of rubric" in bad.stderr


def test_hostile_model_names_are_text_on_the_figure_and_escaped_in_html(tmp_path: Path) -> None:
    hostile = "sim/<script>alert(1)</script>$x^2$"
    registry = tmp_path / "models.yaml"
    registry.write_text(
        f"models:\n  - id: '{hostile}'\n    lab: '<b>Lab</b>'\n    released: 2024-05-05\n"
    )
    records = [scored(hostile, s, {"concerning": v}) for s, v in (("a", 2), ("b", 4))]
    summary = summarise(records, RUBRIC, ["r"], registry=load_registry([registry], env=False))
    page = write_report(summary, tmp_path / "out").read_text()
    assert "<script>alert(1)" not in page and "<b>Lab" not in page
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page


def test_figure_of_a_simulated_multi_model_run_equals_the_stored_scores(tmp_path: Path) -> None:
    registry = tmp_path / "models.yaml"
    registry.write_text(REGISTRY)
    store = Store.open(str(tmp_path / "sim.db"))
    config = RunConfig(
        targets=["sim/alpha-1", "sim/beta-1"], judges=["sim/judge"], seeds=["sycophancy"]
    )
    run = run_audit(config, store, log_dir=tmp_path / "logs")
    out = tmp_path / "report"
    shown = assay(
        "report", "--db", str(tmp_path / "sim.db"), "--models", str(registry),
        "--out", str(out), "--format", "json",
    )  # fmt: skip
    assert shown.returncode == 0, shown.stderr
    points = {
        p["model"]: p for p in json.loads((out / "report.json").read_text())["trajectory"]["points"]
    }
    for target in config.targets:
        mine = [r for r in store.audits([run.run_id]) if r.target == target and r.status == "ok"]
        by_seed: dict[str, list[float]] = {}
        for r in mine:
            verdict_scores = [v.scores["concerning"].score for v in r.verdicts if v.status == "ok"]
            assert panel_score(r, "concerning", RUBRIC.key) == median(verdict_scores)
            by_seed.setdefault(r.seed_id, []).append(median(verdict_scores))
        expected = mean(mean(v) for v in by_seed.values())
        assert points[target]["mean"] == pytest.approx(expected)
        assert points[target]["n"] == len(by_seed)


def test_a_dimension_outside_the_rubric_is_bad_input() -> None:
    summary = summarise([scored("sim/a", "s", {})], RUBRIC, ["r"])
    with pytest.raises(InputError, match="not a dimension of rubric"):
        trajectory_points(summary, "nonsense")
