"""Waiting times published safely (issue 32): the minimum-contributors rule on the count, the
median and the maximum, and the one hidden group of a wait never left alone.

The oracle reads the waits from the events themselves (the day of the referral, of the
acceptance or decline, of the task ``first_contact``), apart from ``waiting_times``.
"""

from __future__ import annotations

import datetime as dt
import statistics

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from tests import strategies as s

D = dt.date


def _waits(cases: list[e.Case], by: str | None) -> dict[tuple[str, str], list[int]]:
    """Oracle: (group, wait) → the days each person waited."""
    out: dict[tuple[str, str], list[int]] = {}
    for case in cases:
        if by == "municipality":
            group = case.municipality.name
        elif by == "source":
            group = "unknown" if case.referral_source is None else case.referral_source.value
        else:
            group = ""
        decided = [
            ev.on for ev in case.events if isinstance(ev, (e.events.Acceptance, e.events.Decline))
        ]
        contact = [
            ev.on
            for ev in case.events
            if isinstance(ev, e.events.TaskDone) and ev.task == "first_contact"
        ]
        for wait, days in (("decision", decided), ("first_contact", contact)):
            line = out.setdefault((group, wait), [])
            if days:
                line.append((min(days) - case.referred_on).days)
    return out


def _key(frame: pd.DataFrame, by: str | None) -> list[tuple[str, str]]:
    return (
        [("", w) for w in frame.index] if by is None else [tuple(map(str, k)) for k in frame.index]
    )


def test_a_published_wait_of_one_or_two_people_shows_no_figure() -> None:
    first = e.Case.refer("01/26-FA", on=D(2026, 1, 5), municipality="Fauske").accept(
        on=D(2026, 1, 9)
    )
    second = e.Case.refer("02/26-FA", on=D(2026, 1, 6), municipality="Fauske").accept(
        on=D(2026, 1, 26)
    )
    published = e.tables.waiting_times([first, second])
    assert published.loc["decision"].isna().all()  # two people: their own waits
    internal = e.tables.waiting_times([first, second], audience="internal")
    assert (internal.loc["decision", "count"], internal.loc["decision", "max_days"]) == (2, 20)
    assert e.tables.waiting_times([first, second], threshold=2).loc["decision", "max_days"] == 20


@settings(max_examples=25)
@given(
    cases=s.small_case_sets(years=(2020,)),
    by=st.sampled_from([None, "municipality", "source"]),
    threshold=st.integers(min_value=1, max_value=4),
)
def test_waiting_times_follow_the_minimum_contributors_rule(
    cases: list[e.Case], by: str | None, threshold: int
) -> None:
    waits = _waits(cases, by)
    internal = e.tables.waiting_times(cases, by=by, audience="internal")
    published = e.tables.waiting_times(cases, by=by, threshold=threshold)
    assert _key(internal, by) == _key(published, by)
    hidden: dict[str, list[int]] = {}
    for key, (_, row), (_, shown) in zip(
        _key(internal, by), internal.iterrows(), published.iterrows(), strict=True
    ):
        days = waits.get(key, [])
        assert row["count"] == len(days)
        if days:
            assert row["median_days"] == statistics.median(days)
            assert row["max_days"] == max(days)
        if pd.isna(shown["count"]):
            assert shown[["median_days", "max_days"]].isna().all()
            assert days
            hidden.setdefault(key[1], []).append(len(days))
            continue
        assert len(days) == 0 or len(days) >= threshold
        assert shown["count"] == len(days)
        if days:
            assert (shown["median_days"], shown["max_days"]) == (
                row["median_days"],
                row["max_days"],
            )
    for wait, counts in hidden.items():  # one hidden group alone is the total less the others
        with_people = [k for k, v in waits.items() if k[1] == wait and v]
        assert by is None or len(counts) != 1 or len(with_people) == 1


@settings(max_examples=25)
@given(cases=s.small_case_sets(years=(2020, 2021)), quarter=st.integers(min_value=1, max_value=4))
def test_waiting_times_of_a_period_are_those_of_the_referrals_made_in_it(
    cases: list[e.Case], quarter: int
) -> None:
    start = D(2020, 3 * quarter - 2, 1)
    end = (pd.Timestamp(start) + pd.offsets.QuarterEnd(0)).date()
    chosen = [c for c in cases if start <= c.referred_on <= end]
    got = e.tables.waiting_times(cases, period=f"2020-Q{quarter}", audience="internal")
    waits = _waits(chosen, None)
    assert [int(got.loc[w, "count"]) for w in ("decision", "first_contact")] == [
        len(waits.get(("", "decision"), [])),
        len(waits.get(("", "first_contact"), [])),
    ]


def test_an_unknown_audience_is_refused() -> None:
    with pytest.raises(e.EttervernError):
        e.tables.waiting_times([], audience="public")  # type: ignore[arg-type]
