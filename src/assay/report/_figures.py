"""The trajectory figure (a dimension against release date, one line per lab) and
the models x dimensions heatmap.

Drawn with matplotlib's object API (`Figure`, rendered by Agg for PNG): no pyplot,
no global state, no window.

The numbers come from the summary: `trajectory_points` returns exactly the means,
intervals and n of the summary table, and the figure plots those points.
"""

from __future__ import annotations

import base64
import io
import math
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any

from ..errors import InputError, Problem
from ..models import ModelRegistry, load_registry
from ..schema import Rubric
from ._aggregate import Summary

if TYPE_CHECKING:
    from matplotlib.figure import Figure

DEFAULT_DIMENSION = "concerning"
"""The dimension the trajectory figure shows unless told otherwise."""

LABEL_CHARS = 40
"""Model names on figures are cut to this length."""


@dataclass(frozen=True)
class TrajectoryPoint:
    """One model on the trajectory figure (or off it, when its release date is unknown)."""

    model: str
    display: str
    lab: str | None
    released: date | None
    """None: no release date; the model is listed but left off the time axis."""
    mean: float
    low: float | None
    high: float | None
    n: int


@dataclass(frozen=True)
class Figures:
    """The figures written for a report."""

    dimension: str
    points: list[TrajectoryPoint]
    files: list[Path]
    """PNG and SVG of each figure, in the report folder."""
    trajectory_png: str
    """Base64 PNG of the trajectory figure, for embedding (empty when not drawn)."""
    heatmap_png: str
    """Base64 PNG of the heatmap (empty when not drawn)."""

    @property
    def undated(self) -> list[TrajectoryPoint]:
        """Points without a release date, listed beside the figure."""
        return [p for p in self.points if p.released is None]


def _plain(text: str, limit: int = LABEL_CHARS) -> str:
    # Model names are user input: cut them, and escape `$` so matplotlib draws them
    # as text rather than parsing them as mathtext.
    text = text if len(text) <= limit else text[: limit - 1] + "…"
    return text.replace("$", r"\$")


def _registry(summary: Summary, registry: ModelRegistry | None) -> ModelRegistry:
    # `is None`, not truthiness: a registry with no entries is still the one to use.
    if registry is not None:
        return registry
    return summary.registry if summary.registry is not None else load_registry()


def check_dimension(rubric: Rubric, dimension: str, option: str = "--dimension") -> None:
    """Refuse a dimension the rubric does not have, naming those it has.

    Raises:
        InputError: `dimension` is not one of the rubric's dimensions.
    """
    if dimension not in rubric.names:
        raise InputError(
            option,
            [
                Problem(
                    dimension,
                    f"not a dimension of rubric {rubric.key}; choose one of: "
                    + ", ".join(rubric.names),
                    field=option,
                )
            ],
        )


def trajectory_points(
    summary: Summary,
    dimension: str = DEFAULT_DIMENSION,
    registry: ModelRegistry | None = None,
) -> list[TrajectoryPoint]:
    """Each model's mean on `dimension` with its 95% interval and n, from the summary.

    Models without a score on the dimension are left out. Dated points come first,
    by release date, then the undated ones by name.

    Raises:
        InputError: The dimension is not in the summary's rubric.
    """
    check_dimension(summary.rubric, dimension)
    registry = _registry(summary, registry)
    points = []
    for model in summary.models:
        est = model.dimensions[dimension].mean
        if est.mean is None:
            continue
        points.append(
            TrajectoryPoint(
                model=model.target,
                display=registry.display(model.target),
                lab=registry.lab(model.target),
                released=registry.released(model.target),
                mean=est.mean,
                low=est.low,
                high=est.high,
                n=est.n,
            )
        )
    return sorted(points, key=lambda p: (p.released is None, p.released or date.min, p.display))


@dataclass(frozen=True)
class Heatmap:
    """The numbers behind the heatmap: one row per model, one column per dimension."""

    rows: list[str]
    """Model display names."""
    columns: list[str]
    """Dimensions with any score, in rubric order."""
    values: list[list[float | None]]
    """Mean score per row and column (None: no score)."""
    better: list[str]
    """Columns where a higher score is better (marked on the figure)."""


def heatmap_data(summary: Summary, registry: ModelRegistry | None = None) -> Heatmap:
    """Each model's mean on every dimension that has a score, from the summary."""
    registry = _registry(summary, registry)
    columns = [
        name
        for name in summary.rubric.names
        if any(m.dimensions[name].mean.mean is not None for m in summary.models)
    ]
    return Heatmap(
        rows=[registry.display(m.target) for m in summary.models],
        columns=columns,
        values=[[m.dimensions[c].mean.mean for c in columns] for m in summary.models],
        better=[c for c in columns if summary.rubric.dimension(c).higher_is == "better"],
    )


def draw_trajectory(points: Sequence[TrajectoryPoint], dimension: str) -> Figure:
    """Mean score against release date, one colour and line per lab, 95% CI bars."""
    from matplotlib import colormaps
    from matplotlib.figure import Figure

    dated = [p for p in points if p.released is not None]
    fig = Figure(figsize=(9, 5.2), layout="constrained")
    ax = fig.add_subplot()
    labs = sorted({p.lab or "unknown lab" for p in dated})
    palette = colormaps["tab10"]
    for index, lab in enumerate(labs):
        mine = sorted(
            (p for p in dated if (p.lab or "unknown lab") == lab),
            key=lambda p: p.released or date.min,
        )
        # Dates go to matplotlib as they are: its date converter places them.
        xs: list[Any] = [p.released for p in mine]
        ys = [p.mean for p in mine]
        below = [p.mean - p.low if p.low is not None else 0.0 for p in mine]
        above = [p.high - p.mean if p.high is not None else 0.0 for p in mine]
        colour = palette(index % 10)
        ax.errorbar(
            xs, ys, yerr=[below, above], color=colour, marker="o", capsize=3, label=_plain(lab)
        )
        for x, p in zip(xs, mine, strict=True):
            ax.annotate(
                _plain(p.display, 28),
                (x, p.mean),
                textcoords="offset points",
                xytext=(5, 5),
                fontsize=8,
                color=colour,
            )
    ax.set_ylim(0.5, 10.5)
    ax.set_ylabel(f"{_plain(dimension)} (1-10, mean over seeds)")
    ax.set_xlabel("release date")
    ax.set_title(f"{_plain(dimension)} by release date (95% bootstrap CI over seeds)")
    ax.grid(alpha=0.3)
    if labs:
        ax.legend(loc="best", fontsize=8, title="lab")
    else:
        ax.text(0.5, 0.5, "no model with a known release date", ha="center", transform=ax.transAxes)
    undated = [p for p in points if p.released is None]
    if undated:
        names = ", ".join(_plain(p.display, 24) for p in undated[:6])
        more = f" and {len(undated) - 6} more" if len(undated) > 6 else ""
        fig.text(0.01, 0.005, f"no release date (not plotted): {names}{more}", fontsize=7)
    fig.autofmt_xdate()
    return fig


def draw_heatmap(heatmap: Heatmap) -> Figure:
    """Models x dimensions, each cell the mean score (blank: no score)."""
    import numpy as np
    from matplotlib.figure import Figure

    rows, columns, values = heatmap.rows, heatmap.columns, heatmap.values
    matrix = np.array([[math.nan if v is None else v for v in row] for row in values], dtype=float)
    fig = Figure(
        figsize=(max(6.0, 0.4 * len(columns) + 3.5), 0.35 * len(rows) + 3.4),
        layout="constrained",
    )
    ax = fig.add_subplot()
    image = ax.imshow(np.ma.masked_invalid(matrix), cmap="Reds", vmin=1, vmax=10, aspect="auto")
    labels = [_plain(c) + (" *" if c in heatmap.better else "") for c in columns]
    ax.set_xticks(range(len(columns)), labels, rotation=55, ha="right", fontsize=8)
    ax.set_yticks(range(len(rows)), [_plain(r) for r in rows], fontsize=8)
    for i, row in enumerate(values):
        for j, value in enumerate(row):
            if value is not None:
                ax.text(
                    j,
                    i,
                    f"{value:.1f}",
                    ha="center",
                    va="center",
                    fontsize=7,
                    color="white" if value > 6 else "black",
                )
    fig.colorbar(image, ax=ax, label="mean score (1-10)", shrink=0.8)
    title = "mean score per model and dimension"
    ax.set_title(title + ("  (* higher is better)" if heatmap.better else ""), fontsize=10)
    return fig


def _save(fig: Figure, out: Path, stem: str) -> tuple[list[Path], str]:
    png, svg = out / f"{stem}.png", out / f"{stem}.svg"
    buffer = io.BytesIO()
    fig.savefig(buffer, format="png", dpi=110)
    png.write_bytes(buffer.getvalue())
    fig.set_layout_engine("none")  # laid out once, for the PNG: the SVG reuses it
    fig.savefig(svg, format="svg", metadata={"Date": None})
    return [png, svg], base64.b64encode(buffer.getvalue()).decode("ascii")


def write_figures(
    summary: Summary,
    out_dir: str | Path,
    dimension: str = DEFAULT_DIMENSION,
    registry: ModelRegistry | None = None,
) -> Figures:
    """Draw the trajectory figure and the heatmap into `out_dir` (PNG and SVG).

    Nothing is drawn when no model has a score; the points are returned either way.

    Raises:
        InputError: The dimension is not in the summary's rubric.
    """
    out = Path(out_dir)
    out.mkdir(parents=True, exist_ok=True)
    points = trajectory_points(summary, dimension, registry)
    if not points:
        return Figures(dimension, points, [], "", "")
    files, trajectory = _save(draw_trajectory(points, dimension), out, "trajectory")
    more, heatmap = _save(draw_heatmap(heatmap_data(summary, registry)), out, "heatmap")
    return Figures(dimension, points, files + more, trajectory, heatmap)
