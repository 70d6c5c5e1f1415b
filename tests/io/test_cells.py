"""Cells as teams type them: every form of a date and of hours reads the same
(``_io/_cells.py``)."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from ettervern._io._cells import parse_dates, parse_hours


@given(st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2060, 12, 31)))
def test_every_date_form_reads_the_same(day: dt.date) -> None:
    forms = [
        day.strftime("%d.%m.%Y"),
        day.strftime("%d/%m-%Y"),
        day.isoformat(),
        dt.datetime(day.year, day.month, day.day, 13, 5),  # noqa: DTZ001 - a cell from Excel
        (day - dt.date(1899, 12, 30)).days,
        str((day - dt.date(1899, 12, 30)).days),
    ]
    parsed = parse_dates(pd.Series(forms, dtype=object))
    assert set(parsed) == {pd.Timestamp(day)}


@given(st.integers(min_value=1, max_value=48))
def test_every_hours_form_reads_the_same(halves: int) -> None:
    hours = halves / 2
    text = f"{hours:g}"
    forms = [hours, text, text.replace(".", ","), f"{text} t", f"{text.replace('.', ',')} timer"]
    assert set(parse_hours(pd.Series(forms, dtype=object))) == {hours}
