"""Charts: one unit per axis, locale-formatted ticks, hidden cells left out, and regression images.

Every chart of the example year is compared with a committed image in ``tests/render/baseline/``
(``matplotlib.testing.compare``, a small RMS tolerance for anti-aliasing). After an intended
change, look at the new images and refresh them with ``ETTERVERN_UPDATE_BASELINES=1 pytest
tests/render/test_charts.py``.
"""

from __future__ import annotations

import io
import os
import shutil
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import pytest

import ettervern as e
from ettervern import Report

pytest.importorskip("matplotlib")

BASELINE = Path(__file__).parent / "baseline"
TOLERANCE = 2.0
"""RMS difference allowed between a render and its baseline (0-255 grey levels)."""


def render(figure: object) -> bytes:
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png")  # type: ignore[attr-defined]
    return buffer.getvalue()


def hours_report(rows: str = "municipality") -> Report:
    keys = ["Beiarn", "Fauske"] if rows == "municipality" else ["2020-01", "2020-02"]
    data = pd.DataFrame(
        {
            "row": [keys[0], keys[1], keys[1]],
            "column": ["driving", "driving", "user_follow_up"],
            "value": [9.0, 69.0, 306.0],
        }
    )
    return Report(
        key="k",
        title="Driving",
        data=data,
        rows=rows,
        columns="category",
        unit="hours",
        team=e.teams.salten(),
    )


@pytest.fixture(scope="module")
def annual(annual_2020: e.AnnualReport) -> e.AnnualReport:
    return annual_2020


def title(figure: Any) -> str:
    return str(figure._suptitle.get_text())


def test_charts_render_to_png_with_labels() -> None:
    figure = hours_report("municipality").plot(locale="en")
    axes = figure.axes[0]
    assert title(figure) == "Driving"
    assert {t.get_text() for t in axes.get_legend().get_texts()} == {"Driving", "User follow-up"}
    assert axes.get_ylabel() == "hours"
    assert render(figure).startswith(b"\x89PNG")


def test_follow_up_length_against_the_target() -> None:
    data = pd.DataFrame(
        {"row": ["01/20-FA", "02/20-FA"], "column": ["weeks", "weeks"], "value": [5.0, 12.0]}
    )
    report = Report(
        key="follow_up_length",
        title="Follow-up length per case",
        data=data,
        rows="case",
        columns="measure",
        unit="weeks",
        column_order=["weeks"],
        team=e.teams.salten(),
    )
    figure = report.plot("nb")
    heights = [p.get_height() for p in figure.axes[0].patches if hasattr(p, "get_height")]
    assert heights[:2] == [5.0, 12.0]
    assert figure.axes[0].get_ylabel() == "uker"
    assert render(figure).startswith(b"\x89PNG")


def units_on_axes(figure: Any) -> list[str]:
    return [a.get_ylabel() for a in figure.axes if a.get_visible()]


def test_cost_sharing_has_one_unit_per_axis_and_does_not_stack_totals(
    annual: e.AnnualReport,
) -> None:
    report = annual["cost_sharing"]
    figure = report.plot("nb")
    assert units_on_axes(figure) == ["timer", "andel"]
    hours_axis, share_axis = figure.axes
    tallest = max(p.get_y() + p.get_height() for p in hours_axis.patches)
    # Fauske's hours are 625.9 in the published report: bars stand side by side, not stacked.
    assert tallest == pytest.approx(report.value("Fauske", "hours"))
    assert 620 < tallest < 630
    assert max(p.get_height() for p in share_axis.patches) < 1.0


@pytest.mark.parametrize(
    ("key", "units"),
    [
        ("capacity", ["timer", "timeverk", "årsverk", "andel"]),
        ("follow_up_summary", ["saker", "uker", "andel"]),
        ("no_show", ["timer", "andel"]),
        ("cases", ["saker"]),
    ],
)
def test_mixed_tables_become_one_panel_per_unit(
    annual: e.AnnualReport, key: str, units: list[str]
) -> None:
    figure = annual[key].plot("nb")
    assert units_on_axes(figure) == units
    labels = [a.get_ylabel() for a in figure.axes] + [a.get_xlabel() for a in figure.axes]
    assert not {"mixed", "se kolonneoverskriftene", "see column headers"} & set(labels)


def tick_texts(axes: Any, figure: Any) -> list[str]:
    figure.canvas.draw()
    return [t.get_text() for t in axes.get_yticklabels() if t.get_text()]


def test_ticks_are_written_the_locale_way_and_counts_are_whole(annual: e.AnnualReport) -> None:
    from matplotlib.backends.backend_agg import FigureCanvasAgg

    figure = annual["follow_up_summary"].plot("nb")
    FigureCanvasAgg(figure)
    cases_axis, weeks_axis, share_axis = figure.axes
    assert all("," not in t and "." not in t for t in tick_texts(cases_axis, figure))
    assert all(float(t).is_integer() for t in tick_texts(cases_axis, figure))
    assert "2,5" in tick_texts(weeks_axis, figure)
    assert "40 %" in tick_texts(share_axis, figure)
    english = annual["follow_up_summary"].plot("en")
    FigureCanvasAgg(english)
    assert "2.5" in tick_texts(english.axes[1], english)


def test_monthly_figures_are_small_multiples_on_one_scale(annual: e.AnnualReport) -> None:
    report = annual["monthly"]
    figure = report.plot("nb")
    panels = [a for a in figure.axes if a.get_visible()]
    assert [a.get_title().replace("\n", " ") for a in panels] == list(
        report.to_frame("nb").columns[:-1]
    )
    assert len({a.get_ylim() for a in panels}) == 1
    assert all(len(a.get_lines()) == 1 for a in panels)


def test_hidden_cells_are_left_out() -> None:
    # The example year's case table is hidden all but its totals once protected; this one
    # keeps one row: the 1, the row's other cell, and a third row, since member "a", knowing
    # its own 5 and 4, would read d's 1 from the column totals if only a and d were hidden.
    counts = Report(
        key="cases",
        title="Cases",
        data=pd.DataFrame(
            {
                "row": ["a", "b", "c", "d"] * 2,
                "column": ["x"] * 4 + ["y"] * 4,
                "value": [5.0, 6.0, 7.0, 1.0, 4.0, 4.0, 4.0, 4.0],
            }
        ),
        rows="municipality",
        columns="measure",
        unit="cases",
        total_row=True,
    )
    published = counts.publishable(threshold=3)
    assert {("d", "x"), ("d", "y")} <= published.suppressed
    assert {("c", "x"), ("c", "y")}.isdisjoint(published.suppressed)
    assert len(published.suppressed) == 6
    figure = published.plot("nb")
    bars = [p for p in figure.axes[0].patches if p.get_height() > 0]
    numbers = (
        published.to_frame(labels=False)
        .drop(index="Total", errors="ignore")
        .drop(columns="Total", errors="ignore")
    )
    visible = numbers.apply(pd.to_numeric, errors="coerce")
    shown = int((visible > 0).to_numpy().sum())
    assert 0 < shown < numbers.size
    assert len(bars) == shown
    assert "Skjulte celler (:) er utelatt." in figure._supxlabel.get_text()
    assert not np.isnan([p.get_height() for p in figure.axes[0].patches]).any()


def test_life_domains_are_horizontal_bars() -> None:
    data = pd.DataFrame(
        {
            "row": ["housing", "finances"],
            "column": ["mean_change", "mean_change"],
            "value": [1.5, -0.5],
        }
    )
    report = Report(
        key="life_domains",
        title="Life domains",
        data=data,
        rows="domain",
        columns="measure",
        unit="mixed",
        column_order=["mean_change"],
        total_row=False,
        total_column=False,
    )
    figure = report.plot("en")
    assert sorted(p.get_width() for p in figure.axes[0].patches) == [-0.5, 1.5]
    assert render(figure).startswith(b"\x89PNG")


def chart_cases() -> list[str]:
    return [
        "user_follow_up",
        "driving",
        "collaboration_entries",
        "collaboration_hours",
        "all_categories",
        "cases",
        "age_and_gender",
        "follow_up_length",
        "follow_up_summary",
        "three_month_checks",
        "life_domains",
        "referral_sources",
        "closure_reasons",
        "capacity",
        "no_show",
        "monthly",
        "cost_sharing",
        "cases_published",
        "monthly_en",
    ]


@pytest.mark.parametrize("name", chart_cases())
def test_every_chart_matches_its_baseline(
    annual: e.AnnualReport, name: str, tmp_path: Path
) -> None:
    from matplotlib.testing.compare import compare_images

    if name == "cases_published":
        figure = annual["cases"].publishable(threshold=3).plot("nb")
    elif name == "monthly_en":
        figure = annual["monthly"].plot("en")
    else:
        figure = annual[name].plot("nb")
    actual = tmp_path / f"{name}.png"
    figure.savefig(actual, dpi=50, metadata={"Software": None})
    expected = BASELINE / f"{name}.png"
    if os.environ.get("ETTERVERN_UPDATE_BASELINES"):
        BASELINE.mkdir(exist_ok=True)
        shutil.copyfile(actual, expected)
    difference = compare_images(str(expected), str(actual), tol=TOLERANCE)
    assert difference is None, difference


def test_every_weeks_measure_is_drawn_in_weeks(annual: e.AnnualReport) -> None:
    from ettervern._render import column_unit

    report = annual["follow_up_summary"]
    weeks = [c for c in report.column_order if c.endswith("weeks")]
    assert len(weeks) >= 2
    assert {column_unit(report, c) for c in weeks} == {"weeks"}
    assert column_unit(report, "cases") == "cases"
    assert column_unit(report, "share_beyond_target") == "share"
