"""Small-cell suppression: nothing below the threshold shows, nothing hidden can be recovered."""

from __future__ import annotations

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from ettervern._reports._report import MARKER, Report
from ettervern._reports._suppression import suppress
from ettervern.tables import audit_release as audit

count_tables = st.integers(1, 6).flatmap(
    lambda rows: st.integers(1, 6).flatmap(
        lambda cols: arrays(np.int64, (rows, cols), elements=st.integers(0, 8))
    )
)


def with_margins(body: np.ndarray) -> np.ndarray:
    table = np.zeros((body.shape[0] + 1, body.shape[1] + 1))
    table[:-1, :-1] = body
    table[:-1, -1] = body.sum(axis=1)
    table[-1, :-1] = body.sum(axis=0)
    table[-1, -1] = body.sum()
    return table


def recoverable(table: np.ndarray, hidden: np.ndarray) -> set[tuple[int, int]]:
    """Cells an attacker recovers by repeatedly solving lines with one unknown."""
    known = ~hidden.copy()
    found: set[tuple[int, int]] = set()
    progress = True
    while progress:
        progress = False
        lines = [[(r, c) for c in range(table.shape[1])] for r in range(table.shape[0])]
        lines += [[(r, c) for r in range(table.shape[0])] for c in range(table.shape[1])]
        for line in lines:
            unknown = [cell for cell in line if not known[cell]]
            if len(unknown) == 1:
                known[unknown[0]] = True
                found.add(unknown[0])
                progress = True
    return found


@given(count_tables, st.integers(2, 5))
def test_no_small_count_shows_and_none_can_be_recovered(body: np.ndarray, threshold: int) -> None:
    table = with_margins(body)
    hidden = suppress(table, threshold, row_totals=True, column_totals=True)
    visible = table[~hidden]
    assert not ((visible > 0) & (visible < threshold)).any()
    assert (
        recoverable(table, hidden) & {tuple(x) for x in np.argwhere(hidden & (table > 0))} == set()
    )


@settings(max_examples=40)  # the exact attack runs when publishing: fewer examples
@given(count_tables, st.integers(2, 5))
def test_publishable_report_end_to_end(body: np.ndarray, threshold: int) -> None:
    rows = [f"r{i}" for i in range(body.shape[0])]
    cols = [f"c{j}" for j in range(body.shape[1])]
    data = pd.DataFrame(
        [
            {"row": r, "column": c, "value": float(body[i, j])}
            for i, r in enumerate(rows)
            for j, c in enumerate(cols)
            if body[i, j]
        ],
        columns=["row", "column", "value"],
    )
    report = Report(
        key="k",
        title="T",
        data=data,
        rows="case",
        columns="case",
        unit="cases",
        row_order=rows,
        column_order=cols,
    )
    published = report.publishable(threshold=threshold)
    safe = published.to_frame(labels=False)
    assert audit([published]).ok  # two-way tables with both margins hold too
    shown = safe.to_numpy().ravel()
    numbers = np.array([v for v in shown if v != MARKER and not pd.isna(v)], dtype=float)
    assert not ((numbers > 0) & (numbers < threshold)).any()
    if body.sum():
        assert safe.loc["Total", "Total"] in (float(body.sum()), MARKER)
