from __future__ import annotations

import io

import pandas as pd
import pytest

import ettervern as e
from ettervern.reports._report import Report

pytest.importorskip("matplotlib")


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


@pytest.mark.parametrize("rows", ["municipality", "month"])
def test_charts_render_to_png_with_labels(rows: str) -> None:
    figure = hours_report(rows).plot(locale="en")
    axes = figure.axes[0]
    assert axes.get_title() == "Driving"
    assert {t.get_text() for t in axes.get_legend().get_texts()} == {"Driving", "User follow-up"}
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
    assert [p.get_height() for p in figure.axes[0].patches if hasattr(p, "get_height")][:2] == [
        5.0,
        12.0,
    ]
    assert render(figure).startswith(b"\x89PNG")


def test_life_domains_and_refusing_hidden_cells() -> None:
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
    assert render(report.plot("en")).startswith(b"\x89PNG")
    counts = Report(
        key="c",
        title="C",
        data=pd.DataFrame({"row": ["a", "b"], "column": ["x", "x"], "value": [1.0, 9.0]}),
        rows="case",
        columns="case",
        unit="cases",
    )
    safe = counts.publishable(threshold=3)
    assert safe.suppressed  # the 1 and the 9 that would give it away
    figure = safe.plot()
    assert render(figure).startswith(b"\x89PNG")
    # Hidden cells are left out of the chart: no bar is drawn for them.
    assert [p.get_height() for p in figure.axes[0].patches] == []
