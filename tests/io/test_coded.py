"""A CSV block read on its codes (``_io/_coded.py``) against the row checks: the same accepted
log, the same rejected rows and reasons, the same counts, for random Salten sheets with random
bad, odd and empty cells, read in blocks of any size."""

from __future__ import annotations

import datetime as dt
import io
from unittest import mock

import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern._io import _csv, _sheets
from tests.strategies import salten_logs

ODD_CELLS = [
    ("Tidsbruk", "0"),
    ("Tidsbruk", "0,3"),
    ("Tidsbruk", "99"),
    ("Tidsbruk", ""),
    ("Tidsbruk", "to timer"),
    ("Tidsbruk", "1,5 t"),  # read as 1.5 hours by both
    ("Dato", "01.01.2035"),
    ("Dato", "31.02.2020"),
    ("Dato", "2020-03-01 13:30:00"),  # a time of day: left to the row checks
    ("Dato", "2020-03-01"),
    ("Dato", ""),
    ("Kommune", "Oslo"),
    ("Kommune", " fauske "),  # normalised by both
    ("Kommune", ""),
    ("Kommune", "Felles"),
    ("Hendelse", "no_such_thing"),
    ("Hendelse", ""),
    ("Sak", "99/20-XX"),
    ("Sak", "01/20-fa"),
    ("Sak", "01/25-FA"),
    ("Sak", "1/20-FA"),
    ("Sak", "Ola Nordmann"),
    ("Sak", "'01/20-FA"),  # the formula guard is taken off by both
    ("Kommune", "Tysfjord"),  # an old name, read as today's member and noted by both
    ("Ansatte", "0"),
    ("Ansatte", "1,5"),
    ("Ansatte", "x"),  # not a number: the team's staff per case, by both
    ("*", ""),  # an entirely empty row: ignored and counted by both
]
"""Cells that break a rule, that both paths read the same odd way, or that empty a row."""

HEADER = ["Sak", "Dato", "Kommune", "Hendelse", "Tidsbruk", "Ansatte"]


def _text(rows: list[dict[str, object]], odd: list[tuple[int, int]], staff: bool) -> bytes:
    cells = [
        [
            "" if row["case"] is None else str(row["case"]),
            row["date"].strftime("%d.%m.%Y") if isinstance(row["date"], dt.date) else "",
            str(row["municipality"]),
            str(row["category"]),
            str(row["hours"]).replace(".", ","),
            str(row["staff"]),
        ]
        for row in rows
    ]
    for where, which in odd:
        column, value = ODD_CELLS[which]
        line = cells[where % len(cells)]
        if column == "*":
            line[:] = [""] * len(line)
        else:
            line[HEADER.index(column)] = value
    width = len(HEADER) if staff else len(HEADER) - 1
    lines = [";".join(HEADER[:width])] + [";".join(line[:width]) for line in cells]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _read(data: bytes, block: int, coded: bool) -> tuple[object, ...]:
    team = e.teams.salten()
    with mock.patch.object(_csv, "CSV_BLOCK_ROWS", block):
        if coded:
            result = e.read_timelog(io.BytesIO(data), team=team, format="csv")
        else:
            with mock.patch.object(_sheets, "coded_block", return_value=None):
                result = e.read_timelog(io.BytesIO(data), team=team, format="csv")
    return (
        result.accepted.to_frame(),
        result.accepted.nbytes,
        result.rejected,
        [reason.template for reason in result.reasons],
        result.read,
        result.ignored,
        result.renamed,
    )


@settings(max_examples=40)
@given(
    rows=salten_logs,
    odd=st.lists(st.tuples(st.integers(0, 59), st.integers(0, len(ODD_CELLS) - 1)), max_size=3),
    block=st.sampled_from([1, 3, 16, 250_000]),
    staff=st.booleans(),
)
def test_a_block_read_on_its_codes_is_the_row_checks(
    rows: list[dict[str, object]], odd: list[tuple[int, int]], block: int, staff: bool
) -> None:
    data = _text(rows, odd, staff)
    coded, by_rows = _read(data, block, coded=True), _read(data, block, coded=False)
    pd.testing.assert_frame_equal(coded[0], by_rows[0])  # type: ignore[arg-type]
    pd.testing.assert_frame_equal(coded[2], by_rows[2])  # type: ignore[arg-type]
    assert coded[1] == by_rows[1]
    assert coded[3:] == by_rows[3:]


def test_a_good_block_takes_the_coded_path() -> None:
    # Without the coded path taken, the differential test above would compare the row checks
    # with themselves.
    rows = [
        {
            "case": "01/20-FA",
            "date": dt.date(2020, 3, 2),
            "municipality": "Fauske",
            "category": "user_follow_up",
            "hours": 1.5,
            "staff": 2,
        },
    ]
    data = _text(rows, [], staff=True)
    with mock.patch.object(_sheets, "_validate") as validate:
        result = e.read_timelog(io.BytesIO(data), team=e.teams.salten(), format="csv")
    validate.assert_not_called()
    assert len(result.accepted) == 1
