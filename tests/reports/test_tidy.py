"""The array helpers behind every report against what pandas' own reshaping gives.

``tidy_from_wide``, ``sum_grid``, ``sum_or_missing`` and ``set_cells`` replace ``melt``, a grouped
sum unstacked, ``sum(min_count=1)`` and one ``.loc`` assignment per cell; pandas is the oracle.
"""

from __future__ import annotations

import math
from fractions import Fraction

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern._reports._tidy import (
    exact_sum,
    set_cells,
    sum_grid,
    sum_or_missing,
    tidy_from_wide,
    whole_minutes,
)
from tests import strategies as s

LABELS = st.sampled_from(["Bodø", "Fauske", "Total", "2020-01", "a", "b", "c", "Felles"])
VALUES = st.one_of(st.none(), st.integers(0, 500).map(float), st.floats(-1e6, 1e6))
QUARTERS = st.one_of(st.none(), st.integers(0, 10**6).map(lambda n: n / 4))
"""What reports add up: counts and quarter hours, exact in binary, so any order of adding
gives the same sum."""


@st.composite
def wide_frames(draw: st.DrawFn, values: st.SearchStrategy[float | None] = VALUES) -> pd.DataFrame:
    rows = draw(st.lists(LABELS, max_size=6, unique=True))
    columns = draw(st.lists(LABELS, max_size=5, unique=True))
    cells = [[draw(values) for _ in columns] for _ in rows]
    return pd.DataFrame(cells, index=pd.Index(rows), columns=pd.Index(columns), dtype="float64")


def _melted(wide: pd.DataFrame) -> pd.DataFrame:
    long = wide.rename_axis(index="row", columns="column").reset_index()
    tidy = long.melt(id_vars="row", var_name="column", value_name="value").dropna(subset=["value"])
    tidy["row"] = tidy["row"].astype(str)
    tidy["column"] = tidy["column"].astype(str)
    tidy["value"] = tidy["value"].astype("float64")
    return tidy.reset_index(drop=True)


@given(wide_frames())
def test_tidy_from_wide_is_melt_without_empty_cells(wide: pd.DataFrame) -> None:
    if wide.shape[1] == 0:
        assert tidy_from_wide(wide).empty
        return
    pd.testing.assert_frame_equal(tidy_from_wide(wide), _melted(wide))


def test_tidy_from_wide_reads_column_by_column() -> None:
    wide = pd.DataFrame({"a": [1.0, np.nan], "b": [3.0, 4.0]}, index=["x", "y"])
    tidy = tidy_from_wide(wide)
    assert list(zip(tidy["row"], tidy["column"], tidy["value"], strict=True)) == [
        ("x", "a", 1.0),
        ("x", "b", 3.0),
        ("y", "b", 4.0),
    ]


@st.composite
def tidy_frames(draw: st.DrawFn) -> pd.DataFrame:
    n = draw(st.integers(0, 12))
    return pd.DataFrame(
        {
            "row": pd.Series([draw(LABELS) for _ in range(n)], dtype=str),
            "column": pd.Series([draw(LABELS) for _ in range(n)], dtype=str),
            "value": pd.Series([draw(st.integers(0, 50)) for _ in range(n)], dtype="float64"),
        }
    )


@given(
    tidy_frames(),
    st.lists(LABELS, min_size=1, max_size=5),
    st.lists(LABELS, min_size=1, max_size=5),
)
def test_sum_grid_is_the_grouped_sum_reindexed(
    tidy: pd.DataFrame, rows: list[str], columns: list[str]
) -> None:
    sums = tidy.groupby(["row", "column"])["value"].sum()
    expected = sums.unstack("column").reindex(index=rows, columns=columns)  # noqa: PD010
    np.testing.assert_array_equal(sum_grid(tidy, rows, columns), expected.to_numpy())


def test_sum_grid_adds_repeated_cells_and_leaves_outsiders_out() -> None:
    tidy = pd.DataFrame(
        {"row": ["x", "x", "z"], "column": ["a", "a", "a"], "value": [1.0, 2.0, 9.0]}
    )
    grid = sum_grid(tidy, ["x", "y"], ["a", "b"])
    assert grid[0, 0] == 3.0
    assert np.isnan(grid).sum() == 3  # y/a, x/b, y/b: no data is missing, not 0


@given(wide_frames(QUARTERS), st.sampled_from([0, 1]))
def test_sum_or_missing_is_pandas_sum_with_min_count_1(wide: pd.DataFrame, axis: int) -> None:
    expected = wide.sum(axis=axis, min_count=1).to_numpy(dtype="float64")
    np.testing.assert_array_equal(sum_or_missing(wide.to_numpy(dtype="float64"), axis), expected)


@given(wide_frames(), st.data())
def test_set_cells_is_one_loc_assignment_per_cell(wide: pd.DataFrame, data: st.DataObject) -> None:
    pairs = [(r, c) for r in wide.index for c in wide.columns]
    cells = data.draw(st.lists(st.sampled_from(pairs), unique=True) if pairs else st.just([]))
    expected = wide.copy()
    for row, column in cells:
        expected.loc[row, column] = math.nan
    pd.testing.assert_frame_equal(set_cells(wide, cells, math.nan), expected)
    marked = wide.astype(object)
    for row, column in cells:
        marked.loc[row, column] = ":"
    pd.testing.assert_frame_equal(set_cells(wide.astype(object), cells, ":"), marked)


@pytest.mark.parametrize(
    ("frame", "cells"),
    [
        (pd.DataFrame({"a": [1.0]}, index=["x"]), [("y", "a")]),  # a new row
        (pd.DataFrame({"a": [1.0, 2.0]}, index=["x", "x"]), [("x", "a")]),  # repeated labels
        (pd.DataFrame({"a": [1], "b": [2.5]}, index=["x"]), [("x", "b")]),  # two dtypes
    ],
)
def test_set_cells_falls_back_to_loc_where_arrays_cannot(
    frame: pd.DataFrame, cells: list[tuple[str, str]]
) -> None:
    expected = frame.copy()
    for row, column in cells:
        expected.loc[row, column] = math.nan
    pd.testing.assert_frame_equal(set_cells(frame, cells, math.nan), expected)
    assert frame.notna().all().all()  # the input is left as it was


# -- hours added one way, exactly --------------------------------------------------------------


def _tenths_log(rows: list[dict[str, object]], tenths: list[int]) -> e.TimeLog:
    """A Salten log kept in tenths of an hour (the integrated team's unit): a float sum of
    tenths drifts, so only an exact sum gives the same total in every table."""
    team = attrs.evolve(e.teams.salten(), time_resolution=0.1)
    return e.TimeLog(pd.DataFrame(rows).assign(hours=[t / 10 for t in tenths]), team)


@settings(max_examples=40, deadline=None)
@given(s.salten_logs, st.data())
def test_report_totals_are_the_exact_sum_of_the_entries(
    rows: list[dict[str, object]], data: st.DataObject
) -> None:
    tenths = data.draw(st.lists(st.integers(1, 80), min_size=len(rows), max_size=len(rows)))
    log = _tenths_log(rows, tenths)
    exact = float(sum(Fraction(t, 10) for t in tenths))
    staff = float(sum(Fraction(t * int(r["staff"]), 10) for t, r in zip(tenths, rows, strict=True)))
    assert log.total_hours == exact
    hours = e.pivot(log)
    wide = hours.to_frame(labels=False)
    assert hours.total == hours.value("Total", "Total") == wide.loc["Total", "Total"] == exact
    for place in wide.index.drop("Total"):
        own = [t for t, r in zip(tenths, rows, strict=True) if r["municipality"] == place]
        assert wide.loc[place, "Total"] == float(sum(Fraction(t, 10) for t in own))
    assert e.pivot(log, agg="staff_hours").total == staff
    annual = e.annual_report(log, year=2020, audience="internal")
    assert annual["all_categories"].to_frame(labels=False).loc["Total", "Total"] == exact


def test_whole_minutes_are_added_exactly_and_other_figures_as_floats() -> None:
    assert 0.1 + 0.2 != 0.3
    assert exact_sum(np.array([0.1, 0.2])) == 0.3
    assert sum_or_missing(np.array([[0.1, 0.2, np.nan]]), axis=1).tolist() == [0.3]
    assert whole_minutes(np.array([1 / 3, np.nan])) is not None  # 20 minutes
    assert whole_minutes(np.array([0.123456])) is None  # a share: added as a float
    assert exact_sum(np.array([0.123456, 0.1])) == 0.123456 + 0.1
