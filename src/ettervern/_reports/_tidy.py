"""Tidy data: the shape every [`Report`][ettervern.Report] keeps its figures in.

Tables are small (tens of rows) but many, so these helpers work on the underlying arrays:
pandas' ``melt``, ``groupby().unstack()`` and one ``.loc`` assignment per cell cost more in
fixed overhead than the data they move (0.4 s of the 0.5 s that printing the example year took).
"""

from __future__ import annotations

from collections.abc import Collection, Hashable, Sequence
from typing import Any

import numpy as np
import pandas as pd

__all__ = [
    "exact_sum",
    "set_cells",
    "sum_grid",
    "sum_or_missing",
    "tidy_from_grid",
    "tidy_from_wide",
    "whole_minutes",
]


def whole_minutes(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any] | None:
    """``values`` (hours, missing allowed) as whole minutes, or ``None`` if one is not a whole
    number of minutes.

    Every hour a valid time log holds is a whole number of minutes (the team's time unit is
    whole minutes, staff are whole), and so is every sum of them. Added up as minutes and
    divided by 60 once, a total is the exact sum rounded once: as ``TimeLog.total_hours`` adds
    its whole time units, and however the cells are grouped. A float sum of tenths of an hour
    drifts (0.1 + 0.2 is not 0.3). A figure that is not whole minutes (a share, a mean, hours
    spread pro rata) is added as a float.
    """
    scaled = np.asarray(values, dtype="float64") * 60
    minutes: np.ndarray[Any, Any] = np.rint(scaled)
    finite = np.isfinite(scaled)
    # A float sum of whole minutes is off by far less than a millionth of a minute.
    if not (np.abs(scaled[finite] - minutes[finite]) <= 1e-6).all():
        return None
    return minutes


def exact_sum(values: pd.Series[Any] | np.ndarray[Any, Any]) -> float:
    """The sum of ``values``, missing ones left out: in whole minutes when they are hours of a
    log (see ``whole_minutes``), else as floats."""
    array = np.asarray(values, dtype="float64")
    minutes = whole_minutes(array)
    if minutes is None:
        return float(np.nansum(array))
    return float(np.nansum(minutes) / 60)


def tidy_from_wide(wide: pd.DataFrame) -> pd.DataFrame:
    """Turn a wide table into tidy ``row``, ``column``, ``value`` data, leaving empty cells out.

    Cells come column by column, each column's rows in order (as ``DataFrame.melt`` gives them).
    """
    grid = wide.to_numpy(dtype="float64", na_value=np.nan)
    return tidy_from_grid(grid, [str(r) for r in wide.index], [str(c) for c in wide.columns])


def tidy_from_grid(
    grid: np.ndarray[Any, Any], rows: Sequence[str], columns: Sequence[str]
) -> pd.DataFrame:
    """``tidy_from_wide`` of a float ``grid`` with these ``rows`` and ``columns`` (strings),
    without the wide frame: the string columns made as string arrays at once."""
    values = np.asarray(grid, dtype="float64").T.ravel()
    keep = ~np.isnan(values)
    n_rows, n_columns = len(rows), len(columns)
    row_keys = np.array(list(rows), dtype=object)
    column_keys = np.array(list(columns), dtype=object)
    return pd.DataFrame(
        {
            "row": pd.array(row_keys[np.tile(np.arange(n_rows), n_columns)[keep]], dtype=str),
            "column": pd.array(
                column_keys[np.repeat(np.arange(n_columns), n_rows)[keep]], dtype=str
            ),
            "value": values[keep],
        }
    )


def sum_grid(
    tidy: pd.DataFrame, rows: Sequence[str], columns: Sequence[str]
) -> np.ndarray[Any, Any]:
    """The sum of ``value`` for each ``row`` and ``column`` of ``tidy``, as a float array.

    Rows and columns are exactly ``rows`` and ``columns``, in that order (a label given twice
    gets the same figures twice): a pair with no data is missing (NaN), data outside them is
    left out, and a missing value adds nothing to its sum.
    """
    row_keys, column_keys = list(dict.fromkeys(rows)), list(dict.fromkeys(columns))
    row_at = {r: i for i, r in enumerate(row_keys)}
    column_at = {c: i for i, c in enumerate(column_keys)}
    at_row = np.fromiter((row_at.get(v, -1) for v in tidy["row"].tolist()), dtype=np.intp)
    at_column = np.fromiter((column_at.get(v, -1) for v in tidy["column"].tolist()), dtype=np.intp)
    values = tidy["value"].to_numpy(dtype="float64", na_value=np.nan)
    inside = (at_row >= 0) & (at_column >= 0)
    flat = at_row[inside] * len(column_keys) + at_column[inside]
    size = len(row_keys) * len(column_keys)
    weights = np.where(np.isnan(values[inside]), 0.0, values[inside])
    minutes = whole_minutes(weights)  # hours added up exactly (see ``whole_minutes``)
    sums: np.ndarray[Any, Any]
    if minutes is None:
        sums = np.bincount(flat, weights=weights, minlength=size)
    else:  # whole numbers as float64 add up exactly below 2**53
        sums = np.bincount(flat, weights=minutes, minlength=size) / 60
    seen = np.bincount(flat, minlength=size) > 0
    grid = np.where(seen, sums, np.nan).reshape(len(row_keys), len(column_keys))
    if len(row_keys) < len(rows) or len(column_keys) < len(columns):
        grid = grid[np.ix_([row_at[r] for r in rows], [column_at[c] for c in columns])]
    return grid


def sum_or_missing(grid: np.ndarray[Any, Any], axis: int) -> np.ndarray[Any, Any]:
    """Sums along ``axis`` leaving missing values out; missing where every value is missing
    (pandas' ``sum(min_count=1)``). Hours are added in whole minutes (see ``whole_minutes``)."""
    minutes = whole_minutes(grid)
    sums = np.nansum(grid, axis=axis) if minutes is None else np.nansum(minutes, axis=axis) / 60
    return np.where(np.isnan(grid).all(axis=axis), np.nan, sums)


def set_cells(
    frame: pd.DataFrame, cells: Collection[tuple[Hashable, Hashable]], value: Any
) -> pd.DataFrame:
    """A copy of ``frame`` with each ``(row, column)`` of ``cells`` set to ``value``.

    The labels are looked up once for all cells, when the frame has unique labels and one
    dtype that holds ``value`` as it is (object, or the value's own dtype); otherwise, or for a cell outside
    the frame, it is one ``.loc`` assignment per cell (which adds a missing row or column).
    """
    cells = list(cells)
    dtypes = set(frame.dtypes)
    fits = dtypes in ({np.dtype(object)}, {np.asarray(value).dtype})
    if cells and fits and frame.index.is_unique and frame.columns.is_unique:
        at_row = frame.index.get_indexer(pd.Index([row for row, _ in cells]))
        at_column = frame.columns.get_indexer(pd.Index([column for _, column in cells]))
        if at_row.min() >= 0 and at_column.min() >= 0:
            grid = frame.to_numpy(copy=True)
            grid[at_row, at_column] = value
            return pd.DataFrame(grid, index=frame.index, columns=frame.columns, dtype=grid.dtype)
    out = frame.copy()
    for row, column in cells:
        out.loc[row, column] = value
    return out
