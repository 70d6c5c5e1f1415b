"""One way to name a span (``period=``) and a day (``on=``), and a team by its name."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from ettervern import tables
from ettervern._core import period_of

D = dt.date


@pytest.mark.parametrize(
    ("given", "span"),
    [
        (2020, (D(2020, 1, 1), D(2020, 12, 31))),
        ("2020", (D(2020, 1, 1), D(2020, 12, 31))),
        ("2020-02", (D(2020, 2, 1), D(2020, 2, 29))),
        (pd.Period("2021-02", "M"), (D(2021, 2, 1), D(2021, 2, 28))),
        (pd.Period("2020Q2"), (D(2020, 4, 1), D(2020, 6, 30))),
        ("2020-Q2", (D(2020, 4, 1), D(2020, 6, 30))),
        ("2020q4", (D(2020, 10, 1), D(2020, 12, 31))),
        ((D(2020, 3, 1), D(2020, 3, 1)), (D(2020, 3, 1), D(2020, 3, 1))),
    ],
)
def test_every_shape_of_a_period_reads_as_its_first_and_last_day(
    given: object, span: tuple[dt.date, dt.date]
) -> None:
    assert period_of(given) == span


@pytest.mark.parametrize(
    "bad",
    [
        "2020-13",
        "2020-Q5",
        "2020-Q0",
        "x",
        "",
        (D(2020, 2, 1), D(2020, 1, 1)),
        10**20,
        True,
        None,
        (D(2020, 1, 1),),
    ],
)
def test_a_bad_period_is_the_librarys_error(bad: object) -> None:
    with pytest.raises(e.EttervernError):
        period_of(bad)


def test_a_table_builder_takes_any_shape_of_period_and_a_team_by_name() -> None:
    example = e.examples.salten_2020()
    by_year = tables.course_report(example.cases, team="salten", period=2020)
    by_pair = tables.course_report(
        example.cases, team=example.team, period=(D(2020, 1, 1), D(2020, 12, 31))
    )
    assert by_year.to_frame().equals(by_pair.to_frame())
    with pytest.raises(e.errors.ConfigError, match="preset"):
        tables.course_report(example.cases, team="atlantis", period=2020)


def test_a_team_parameter_takes_a_bundled_teams_name_everywhere() -> None:
    assert str(e.next_case_code(["HÅ-2019-001"], municipality="Hå", year=2019, team="jaeren")) == (
        "HÅ-2019-002"
    )
    case = e.Case.refer("01/20-FA", on=D(2020, 1, 6), municipality="Fauske")
    assert e.check_case(case, "salten") is case


def test_an_old_day_keyword_is_read_as_on_with_a_warning() -> None:
    team = e.teams.salten()
    with pytest.warns(DeprecationWarning, match=r"members_on\(on="):
        old = team.members_on(day=D(2020, 3, 1))  # type: ignore[call-arg]
    assert old == team.members_on(on=D(2020, 3, 1)) == team.members_on(D(2020, 3, 1))


@given(
    year=st.integers(min_value=1990, max_value=2100), quarter=st.integers(min_value=1, max_value=4)
)
def test_a_quarter_is_the_quarter_pandas_knows(year: int, quarter: int) -> None:
    """``"2020-Q2"`` reads as pandas' quarter (the oracle), its three months end to end."""
    expected = pd.Period(f"{year}Q{quarter}", freq="Q")
    span = period_of(f"{year}-Q{quarter}")
    assert span == (expected.start_time.date(), expected.end_time.date())
    months = [period_of(f"{year}-{m:02d}") for m in range(3 * quarter - 2, 3 * quarter + 1)]
    assert (months[0][0], months[-1][1]) == span
