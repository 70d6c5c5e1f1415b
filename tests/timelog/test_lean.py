"""The log is stored lean (day numbers, whole time units, small integers) and gives back exactly
what was put in; totals are exact sums of the input."""

from __future__ import annotations

import datetime as dt
from fractions import Fraction

import attrs
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from tests.strategies import salten_logs

CATEGORIES = ["user_follow_up", "driving", "collaboration", "no_show"]


def _frame(units: list[int], step: Fraction, days: list[int]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "case": [f"{1 + i % 9:02d}/20-FA" for i in range(len(units))],
            "date": [pd.Timestamp(2020, 1, 1) + pd.Timedelta(days=d) for d in days],
            "municipality": "Fauske",
            "category": [CATEGORIES[i % 4] for i in range(len(units))],
            "hours": [float(u * step) for u in units],
            "staff": [1 + i % 3 for i in range(len(units))],
        }
    )


@settings(max_examples=60)
@given(
    units_and_days=st.lists(
        st.integers(min_value=1, max_value=40), min_size=1, max_size=80
    ).flatmap(
        lambda units: st.tuples(
            st.just(units),
            st.lists(
                st.integers(min_value=0, max_value=365),
                min_size=len(units),
                max_size=len(units),
            ),
        )
    ),
    step=st.sampled_from([Fraction(1, 2), Fraction(1, 4), Fraction(1, 10), Fraction(1, 60)]),
)
def test_totals_are_the_exact_sum_of_the_input_in_any_time_unit(
    units_and_days: tuple[list[int], list[int]], step: Fraction, salten: e.Team
) -> None:
    units, days = units_and_days
    team = attrs.evolve(salten, time_resolution=float(step))
    frame = _frame(units, step, days)
    log = e.TimeLog.from_frame(frame, team=team)
    # The exact sum, rounded once: what an accountant adding the sheet by hand gets.
    assert log.total_hours == float(sum(units) * step)
    out = log.to_frame()
    assert list(out["hours"]) == list(frame["hours"])
    assert list(out["date"]) == list(frame["date"])
    assert list(out["staff"]) == list(frame["staff"])
    assert [str(out[c].dtype) for c in ("date", "hours", "staff")] == [
        "datetime64[ns]",
        "float64",
        "int64",
    ]


def test_tenths_of_an_hour_add_up_without_float_drift(salten: e.Team) -> None:
    team = attrs.evolve(salten, time_resolution=0.1)
    frame = _frame([1] * 10, Fraction(1, 10), [0] * 10)
    assert sum(frame["hours"]) != 1.0  # adding the floats drifts: 0.9999999999999999
    assert e.TimeLog.from_frame(frame, team=team).total_hours == 1.0


def test_a_large_log_takes_at_most_16_bytes_an_entry(salten: e.Team) -> None:
    year = e.examples.salten_2020().log.to_frame()
    repeated = pd.concat([year] * 40, ignore_index=True)
    log = e.TimeLog.from_frame(repeated, team=salten)
    assert len(log) == 40 * len(year)
    assert log.nbytes / len(log) <= 16
    assert log.total_hours == 40 * e.examples.salten_2020().log.total_hours
    assert (
        log.between(dt.date(2020, 3, 1), dt.date(2020, 3, 31))
        .to_frame()["date"]
        .dt.month.eq(3)
        .all()
    )


@settings(max_examples=40)
@given(
    rows=salten_logs,
    first=st.dates(min_value=dt.date(2019, 12, 1), max_value=dt.date(2020, 12, 31)),
    days=st.integers(min_value=0, max_value=400),
)
def test_the_log_codes_hold_the_schema_values(
    rows: list[dict[str, object]], first: dt.date, days: int
) -> None:
    """``log_codes`` (what the reports read) has the schema's values without its dates: the
    same categoricals, hours and staff, and a day number for each date; ``days_of`` and
    ``in_period`` read either frame alike."""
    from ettervern._timelog import days_of, in_period, log_codes

    log = e.TimeLog.from_frame(pd.DataFrame(rows), team=e.teams.salten())
    codes, schema = log_codes(log), log.to_frame()
    for column in ("case", "municipality", "category", "hours"):
        pd.testing.assert_series_equal(codes[column], schema[column])
    assert codes["staff"].tolist() == schema["staff"].tolist()
    expected_days = [(row["date"] - dt.date(1970, 1, 1)).days for row in rows]  # type: ignore[operator]
    assert days_of(codes).tolist() == expected_days
    assert days_of(schema).tolist() == expected_days
    last = first + dt.timedelta(days=days)
    inside = [first <= row["date"] <= last for row in rows]  # type: ignore[operator]
    assert in_period(codes, (first, last)).tolist() == inside
    assert in_period(schema, (first, last)).tolist() == inside
