"""The array helpers behind every report against what pandas' own reshaping gives.

``tidy_from_wide``, ``sum_grid``, ``sum_or_missing`` and ``set_cells`` replace ``melt``, a grouped
sum unstacked, ``sum(min_count=1)`` and one ``.loc`` assignment per cell; pandas is the oracle.
"""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from ettervern._reports._tidy import set_cells, sum_grid, sum_or_missing, tidy_from_wide

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
