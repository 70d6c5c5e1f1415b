"""The annual report's tables about people, courses, outcome instruments and staff.

Each table appears when the data it needs is there: courses and hours per person whenever cases
are given; people when the cases carry pseudonyms; plans and coordinators, and the three-month
deadline, when the cases record them; instrument tables when a case has answers; staff tables
when the team has a roster or the log names its staff.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from ettervern._core import (
    INSTRUMENTS,
    Instrument,
    Response,
    Roster,
    Team,
    calls_within,
    instrument,
)
from ettervern._pathway import (
    Case,
    StaffAssigned,
    Waived,
    any_coordinator,
    any_person,
    any_task_done,
)
from ettervern._reports._cases import CaseWalk, walk_cases
from ettervern._reports._courses import (
    DEADLINE_TASKS,
    Active,
    course_length_of_walk,
    course_report_of,
    deadline_report,
    hours_per_person_of,
    plans_of,
)
from ettervern._reports._facts import consent_goals_report, has_consent_or_goals
from ettervern._reports._instruments import instrument_report, outcome_flags_report
from ettervern._reports._people import people_report
from ettervern._reports._report import Report
from ettervern._reports._staff import staff_report

__all__ = ["choose_extras", "instrument_and_staff_reports", "people_and_course_reports"]

Period = tuple[dt.date, dt.date]


def people_and_course_reports(
    frame: pd.DataFrame,
    cases: Sequence[Case],
    team: Team,
    period: Period,
    walk: CaseWalk | None = None,
) -> list[Report]:
    """The tables about people and courses that the data allows, in print order.

    Whether a table appears depends on all ``cases``; what it counts are the cases active or
    closed in the period, which the pass over the cases (``walk``, made here unless given)
    found already."""
    with calls_within():
        if not any(c.is_accepted for c in cases):
            return []
        walk = walk_cases(cases, period) if walk is None else walk
        return _people_and_courses(frame, cases, team, period, walk)


def _people_and_courses(
    frame: pd.DataFrame, cases: Sequence[Case], team: Team, period: Period, walk: CaseWalk
) -> list[Report]:
    """The tables of ``people_and_course_reports``. Whether one appears is asked of all
    ``cases`` by passes run in C (``any_person``, ``any_task_done``), or not at all where the
    kinds of event the walk found answer it (no staff assigned: no coordinator)."""
    staffed = any(issubclass(kind, StaffAssigned) for kind in walk.kinds)
    reports = []
    if any_person(cases):
        reports.append(people_report(walk.active, team, period))
    plans = any_task_done(cases, ("individual_plan",)) or (staffed and any_coordinator(cases))
    reports += _course_tables(frame, team, period, walk, plans=plans, staffed=staffed)
    if any_task_done(cases, DEADLINE_TASKS):
        reports.append(deadline_report(cases, team, period))
    if has_consent_or_goals(cases, walk.kinds):
        reports.append(consent_goals_report(cases, team, period))
    return reports


def _course_tables(
    frame: pd.DataFrame,
    team: Team,
    period: Period,
    walk: CaseWalk,
    *,
    plans: bool,
    staffed: bool,
) -> list[Report]:
    """The course tables, in print order (``plans``: with the plans and coordinators). The
    cases active in the period are read once for all of them (``Active``: each code written
    as text once, the states from the walk's facts); the course lengths are those the walk
    found for the follow-up tables (``CaseWalk.lengths``)."""
    lengths = course_length_of_walk(walk, team, period)
    read = Active.of_walk(walk)
    waivers = any(issubclass(kind, Waived) for kind in walk.kinds)
    return [
        course_report_of(read, team, period),
        lengths,
        hours_per_person_of(frame, read, team, period),
        *([plans_of(read, team, period, staffed=staffed, waivers=waivers)] if plans else []),
    ]


def instrument_and_staff_reports(
    frame: pd.DataFrame,
    cases: Sequence[Case],
    team: Team,
    period: Period,
    *,
    responses: Sequence[Response] = (),
    instruments: Sequence[Instrument] = (),
    roster: Roster | None = None,
    hours_per_fte: float,
    walk: CaseWalk | None = None,
) -> list[Report]:
    """The outcome, instrument and staff tables that the data allows, in print order
    (``walk``: the pass over the cases, when made already, tells which cases closed or were
    checked in the period)."""
    start, end = period
    reports = []
    seen = cases if walk is None else [*walk.ended, *walk.checked]
    flagged = any(
        outcome.flags
        for c in seen
        for outcome in (
            c.closure.outcome if c.closure is not None and start <= c.closure.on <= end else None,
            c.three_month_check.outcome
            if c.three_month_check is not None and start <= c.three_month_check.on <= end
            else None,
        )
        if outcome is not None
    )
    if flagged:
        reports.append(outcome_flags_report(cases, team, period))
    used = {r.instrument for r in responses if start <= r.on <= end}
    own = {i.key: i for i in instruments}
    for key in [k for k in INSTRUMENTS if k in used and k not in own] + sorted(used & set(own)):
        tool = own.get(key) or instrument(key)
        reports.append(instrument_report(responses, cases, team, period, instrument_key=tool))
    if roster is not None:
        reports.append(
            staff_report(frame, cases, roster, team, period, hours_per_fte=hours_per_fte)
        )
    return reports


def choose_extras(reports: Sequence[Report], wanted: Sequence[str] | None) -> list[Report]:
    """The tables a team's layout asks for (``wanted``, in its order), of those the data
    allowed; all of them when it asks for nothing in particular (``None``)."""
    if wanted is None:
        return list(reports)
    by_key = {r.key: r for r in reports}
    return [by_key[key] for key in wanted if key in by_key]
