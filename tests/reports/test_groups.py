"""Attendance at group offers per month and per person (issue 32), published through the
disclosure model. The oracle counts the sessions' attendees straight from the records."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern import tables
from ettervern.events import GroupLog, GroupSession

D = dt.date
JAEREN = e.examples.jaeren_2019()


def _span(text: str) -> tuple[dt.date, dt.date]:
    """Oracle for a year, quarter or month, from pandas' calendar."""
    freq = "Y" if len(text) == 4 else ("Q" if "Q" in text else "M")
    period = pd.Period(text.replace("-Q", "Q"), freq=freq)
    return period.start_time.date(), period.end_time.date()


def _oracle(groups: GroupLog, start: dt.date, end: dt.date) -> dict[str, tuple[int, int, int]]:
    """month → (distinct case codes, attendances, sessions with someone)."""
    out: dict[str, tuple[set[str], int, int]] = {}
    for session in groups.sessions:
        if not start <= session.on <= end or not session.attendees:
            continue
        people, count, sessions = out.get(session.on.strftime("%Y-%m"), (set(), 0, 0))
        out[session.on.strftime("%Y-%m")] = (
            people | set(session.attendees),
            count + len(session.attendees),
            sessions + 1,
        )
    return {m: (len(p), a, n) for m, (p, a, n) in out.items()}


@settings(max_examples=20)
@given(period=st.sampled_from(["2019", "2019-Q1", "2019-Q3", "2019-06", "2019-12"]))
def test_attendance_per_month_is_the_sessions_attendees(period: str) -> None:
    start, end = _span(period)
    report = tables.group_attendance(
        JAEREN.groups, JAEREN.cases, team=JAEREN.team, period=period, audience="internal"
    )
    frame = report.to_frame(labels=False)
    expected = _oracle(JAEREN.groups, start, end)
    for month in frame.index.drop("Total"):
        got = tuple(int(frame.loc[month, c]) for c in ("people", "attendances", "sessions"))
        assert got == expected.get(str(month), (0, 0, 0))
    everyone = {c for s in JAEREN.groups.between(start, end) for c in s.attendees}
    assert frame.loc["Total", "people"] == len(everyone)  # each person once


def test_a_published_month_hides_few_people_with_their_attendances() -> None:
    report = tables.group_attendance(JAEREN.groups, JAEREN.cases, team=JAEREN.team, period=2019)
    internal = tables.group_attendance(
        JAEREN.groups, JAEREN.cases, team=JAEREN.team, period=2019, audience="internal"
    )
    hidden = report.hidden_mask(labels=False)
    values = internal.to_frame(labels=False)
    few = (values["people"] > 0) & (values["people"] < 3)
    assert few.any()  # January: one or two people
    for month in values.index[few]:
        assert hidden.loc[month, ["people", "attendances", "sessions"]].all()
    shown = report.to_frame(labels=False)
    for month in values.index[~few & ~hidden["people"]]:
        assert shown.loc[month, "people"] == values.loc[month, "people"]


def test_the_table_per_person_is_internal_only() -> None:
    per = tables.group_attendance(
        JAEREN.groups,
        JAEREN.cases,
        team="jaeren",
        period="2019-Q2",
        by="person",
        audience="internal",
    )
    frame = per.to_frame(labels=False)
    assert list(frame.columns) == ["2019-04", "2019-05", "2019-06"]
    april = JAEREN.groups.between(D(2019, 4, 1), D(2019, 4, 30))
    for code in frame.index.drop("Total"):
        assert frame.loc[code, "2019-04"] == sum(code in s.attendees for s in april)
    with pytest.raises(e.EttervernError):
        tables.group_attendance(JAEREN.groups, JAEREN.cases, period=2019, by="person")


def test_the_annual_report_publishes_attendance_with_the_release() -> None:
    annual = e.annual_report(JAEREN.log, JAEREN.cases, year=2019, groups=JAEREN.groups)
    table = annual["group_attendance"]
    assert table.hidden_mask(labels=False).loc["2019-01", "people"]
    plain = e.annual_report(JAEREN.log, JAEREN.cases, year=2019)
    assert all(report.key != "group_attendance" for report in plain)
    wrong = GroupLog([GroupSession(D(2019, 1, 2), "group_offer", ["KL-2019-001"])])
    with pytest.raises(e.errors.PathwayError):  # referred on 14 January
        e.annual_report(JAEREN.log, JAEREN.cases, year=2019, groups=wrong)


def test_the_jaeren_example_has_its_group_every_working_day() -> None:
    days = {s.on for s in JAEREN.groups}
    assert all(day.weekday() < 5 for day in days) and len(days) == len(JAEREN.groups) == 253
    JAEREN.groups.check(JAEREN.cases, team=JAEREN.team)
    assert sum(len(s.attendees) for s in JAEREN.groups) == 507
    frame = JAEREN.groups.to_frame()
    assert list(frame.columns) == ["date", "offer", "case"] and len(frame) == 507
    assert pd.api.types.is_datetime64_any_dtype(frame["date"])
