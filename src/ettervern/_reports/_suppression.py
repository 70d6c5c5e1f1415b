"""Small-cell suppression (prikking) so that published tables do not identify people.

Primary suppression hides every count from 1 to ``threshold - 1``. Secondary suppression then
makes sure no hidden cell can be worked out by subtracting the visible cells of its row or column
from the published total: every row and column that has a published total must hide either none
or at least two of its cells (counting the total itself). Where a line hides exactly one, the
smallest non-zero visible cell of that line is hidden too, and so on until nothing changes.
"""

from __future__ import annotations

import numpy as np
import numpy.typing as npt

__all__ = ["suppress"]


def suppress(
    cells: npt.NDArray[np.float64],
    threshold: float,
    *,
    row_totals: bool,
    column_totals: bool,
) -> npt.NDArray[np.bool_]:
    """Which cells to hide in a table of counts.

    Args:
        cells: the table, with the totals as its last column (``row_totals``) and last row
            (``column_totals``) when there are any; empty cells are NaN or 0.
        threshold: the smallest count that may be shown.

    Returns:
        A boolean mask of the same shape: True where the cell must be hidden.
    """
    values = np.nan_to_num(np.asarray(cells, dtype="float64"), nan=0.0)
    hidden = (values > 0) & (values < threshold)
    lines: list[tuple[npt.NDArray[np.intp], npt.NDArray[np.intp]]] = []
    n_rows, n_cols = values.shape
    if row_totals:  # each row adds up to its last cell
        lines += [(np.full(n_cols, r), np.arange(n_cols)) for r in range(n_rows)]
    if column_totals:  # each column adds up to its last cell
        lines += [(np.arange(n_rows), np.full(n_rows, c)) for c in range(n_cols)]
    changed = True
    while changed:
        changed = False
        for rows, cols in lines:
            line_hidden = hidden[rows, cols]
            if line_hidden.sum() != 1:
                continue
            candidates = np.flatnonzero(~line_hidden & (values[rows, cols] > 0))
            if len(candidates) == 0:
                continue  # the others are all empty: nothing left that could give it away
            pick = candidates[np.argmin(values[rows, cols][candidates])]
            hidden[rows[pick], cols[pick]] = True
            changed = True
    return np.asarray(hidden, dtype=np.bool_)
