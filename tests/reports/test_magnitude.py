"""The contributions of cases to a cell of hours, against a pandas oracle written here."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern._reports._definitions import TOTAL, Magnitude
from ettervern._reports._magnitude import Contributions

LOG = e.examples.salten_2020().log.to_frame()
YEAR = (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
CATEGORIES = sorted(LOG["category"].astype(str).unique())
ROWS = {
    "municipality": sorted(LOG["municipality"].astype(str).unique()),
    "month": [f"2020-{m:02d}" for m in range(1, 13)],
}


def oracle(kind: str, rows: str, row: str, categories: list[str]) -> tuple[list[float], float]:
    """Each case's amount in the cell, largest first, and the amount tied to no case."""
    frame = LOG.assign(
        month=LOG["date"].dt.strftime("%Y-%m"),
        municipality=LOG["municipality"].astype(str),
        category=LOG["category"].astype(str),
        entries=1.0,
    )
    cell = frame[frame["category"].isin(categories)]
    if row != TOTAL:
        cell = cell[cell[rows] == row]
    amounts: dict[str, float] = {}
    untied = 0.0
    for case, value in zip(cell["case"], cell[kind], strict=True):
        if pd.isna(case):
            untied += float(value)
        else:
            amounts[str(case)] = amounts.get(str(case), 0.0) + float(value)
    return sorted((v for v in amounts.values() if v > 0), reverse=True), untied


@settings(max_examples=60)
@given(
    kind=st.sampled_from(["hours", "entries"]),
    rows=st.sampled_from(sorted(ROWS)),
    data=st.data(),
    categories=st.lists(st.sampled_from([*CATEGORIES, "not_a_category"]), unique=True),
)
def test_a_cells_contributions_are_each_cases_sum(
    kind: str, rows: str, data: st.DataObject, categories: list[str]
) -> None:
    row = data.draw(st.sampled_from([TOTAL, "Nowhere", *ROWS[rows]]))
    table = Magnitude(kind, rows, 2 if kind == "hours" else 1)
    contributions = Contributions(LOG, YEAR)
    assert contributions.of_cell(table, row, categories) == oracle(kind, rows, row, categories)


@given(st.lists(st.dates(dt.date(1990, 1, 1), dt.date(2100, 12, 31)), max_size=50))
def test_each_entrys_month_is_its_date_written_as_a_month(days: list[dt.date]) -> None:
    from ettervern._reports._magnitude import _months

    dates = pd.Series(pd.to_datetime(days), dtype="datetime64[ns]")
    assert list(_months(dates)) == [f"{d.year:04d}-{d.month:02d}" for d in days]
