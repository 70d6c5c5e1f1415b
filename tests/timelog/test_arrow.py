"""The columnar check of a Parquet log (``_timelog/_arrow.py``) against the row path: the same
log for a good file, the same first error for a bad one, on random Salten logs with random
bad cells."""

from __future__ import annotations

import datetime as dt
import tempfile
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern._timelog import TimeLog, checked_arrow_log
from tests.strategies import salten_logs

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")

BAD_CELLS = [
    ("hours", 0.0),
    ("hours", 0.3),
    ("hours", 99.0),
    ("hours", None),
    ("date", dt.date(2035, 1, 1)),
    ("date", dt.date(1990, 5, 1)),
    ("date", None),
    ("municipality", "Oslo"),
    ("municipality", "bodø"),
    ("municipality", None),
    ("category", "no_such_thing"),
    ("category", None),
    ("case", "99/20-XX"),
    ("case", "01/20-bo"),
    ("case", "01/25-BO"),
    ("case", "Ola Nordmann"),
    ("staff", 0),
]
"""Cells that break a rule, or that the row path normalises (the fast check must not accept
them as they stand)."""


def _frame(rows: list[dict[str, object]], bad: list[tuple[int, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["date"])
    frame = frame.astype({"hours": "float64", "staff": "float64"})
    for row, which in bad:
        column, value = BAD_CELLS[which]
        if column == "date":
            frame.loc[row % len(frame), column] = pd.NaT if value is None else pd.Timestamp(value)
        else:
            frame[column] = frame[column].astype(object)
            frame.loc[row % len(frame), column] = value
    frame["staff"] = pd.to_numeric(frame["staff"])
    frame["hours"] = pd.to_numeric(frame["hours"])
    return frame


def _outcome(read: object) -> object:
    try:
        log = read()  # type: ignore[operator]
    except e.errors.TimeLogError as error:
        return ("refused", error.count)
    return ("accepted", getattr(log, "accepted", log).to_frame())


@settings(max_examples=40)
@given(
    rows=salten_logs,
    bad=st.lists(st.tuples(st.integers(0, 59), st.integers(0, len(BAD_CELLS) - 1)), max_size=3),
    categorical=st.booleans(),
)
def test_read_parquet_is_the_row_path(
    rows: list[dict[str, object]], bad: list[tuple[int, int]], categorical: bool
) -> None:
    team = e.teams.salten()
    frame = _frame(rows, bad)
    if categorical:
        frame = frame.astype(dict.fromkeys(("case", "municipality", "category"), "category"))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "timer.parquet"
        frame.to_parquet(path, index=False)
        fast = _outcome(lambda: e.read_parquet(path, team=team, strict=True))
        rows_path = _outcome(lambda: TimeLog.from_frame(pd.read_parquet(path), team=team))
        checked = checked_arrow_log(pq.read_table(path), team)
    assert fast[0] == rows_path[0]
    if fast[0] == "refused":
        assert fast == rows_path
        assert checked is None  # a bad file never passes the columnar check
    else:
        pd.testing.assert_frame_equal(fast[1], rows_path[1])  # type: ignore[index]
        if not bad:  # a file as write_parquet writes it takes the columnar path
            assert checked is not None
            pd.testing.assert_frame_equal(checked.to_frame(), rows_path[1])  # type: ignore[index]


def test_a_written_log_takes_the_columnar_path(tmp_path: Path) -> None:
    log = e.examples.salten_2020().log
    path = e.write_parquet(log, tmp_path / "timer.parquet")
    checked = checked_arrow_log(pq.read_table(path), log.team)
    assert checked is not None
    assert checked == log
    by_rows = TimeLog.from_frame(pd.read_parquet(path), team=log.team)
    pd.testing.assert_frame_equal(checked.to_frame(), by_rows.to_frame())


def test_a_table_of_other_types_is_left_to_the_row_path() -> None:
    team = e.teams.salten()
    table = pa.table(
        {
            "case": ["01/20-BO"],
            "date": ["2020-03-01"],  # text, not a date
            "municipality": ["Bodø"],
            "category": ["user_follow_up"],
            "hours": [1.0],
        }
    )
    assert checked_arrow_log(table, team) is None


@settings(max_examples=20)
@given(rows=salten_logs, size=st.integers(1, 9), timestamps=st.sampled_from(["ns", "us", "D"]))
def test_batches_of_any_size_give_the_row_paths_log(
    rows: list[dict[str, object]], size: int, timestamps: str
) -> None:
    # A file is checked in record batches; a code used in one batch only, a batch without a
    # case and dates in any unit must give the log the row path gives.
    from unittest import mock

    from ettervern._timelog import _arrow

    team = e.teams.salten()
    frame = _frame(rows, [])
    table = pa.Table.from_pandas(frame, preserve_index=False)
    kind = pa.date32() if timestamps == "D" else pa.timestamp(timestamps)
    table = table.set_column(1, "date", table.column("date").cast(kind))
    with mock.patch.object(_arrow, "BATCH_ROWS", size):
        checked = checked_arrow_log(table, team)
    assert checked is not None
    by_rows = TimeLog.from_frame(frame, team=team)
    pd.testing.assert_frame_equal(checked.to_frame(), by_rows.to_frame())


@settings(max_examples=30)
@given(
    rows=salten_logs,
    steps=st.lists(st.integers(-2, 60), min_size=1, max_size=60),
    off=st.sampled_from([0.0, 1e-13, -1e-13, 1e-11, 5e-10, -5e-10, 2e-9, -2e-9, 1e-6, 0.1]),
)
def test_hours_near_the_step_are_read_as_the_row_path_reads_them(
    rows: list[dict[str, object]], steps: list[int], off: float
) -> None:
    # Hours exactly on the team's step skip the tolerance check; hours a little off it must
    # still be accepted within 1e-9 of a step and refused beyond, as the row path does.
    team = e.teams.salten()
    frame = _frame(rows, [])
    step = team.time_resolution
    frame["hours"] = [steps[i % len(steps)] * step + off for i in range(len(frame))]
    checked = checked_arrow_log(pa.Table.from_pandas(frame, preserve_index=False), team)
    try:
        by_rows = TimeLog.from_frame(frame, team=team)
    except e.errors.TimeLogError:
        assert checked is None  # a row the row path refuses is never accepted on codes
        return
    assert checked is not None  # good hours take the columnar path, near the step or on it
    pd.testing.assert_frame_equal(checked.to_frame(), by_rows.to_frame())
