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

from ettervern._core import INSTRUMENTS, Instrument, Response, Roster, Team, instrument
from ettervern._pathway import Case
from ettervern._reports._courses import (
    DEADLINE_TASKS,
    course_length_report,
    course_report,
    deadline_report,
    hours_per_person_report,
    plans_report,
)
from ettervern._reports._facts import consent_goals_report, has_consent_or_goals
from ettervern._reports._instruments import instrument_report, outcome_flags_report
from ettervern._reports._people import people_report
from ettervern._reports._report import Report
from ettervern._reports._staff import staff_report

__all__ = ["choose_extras", "instrument_and_staff_reports", "people_and_course_reports"]

Period = tuple[dt.date, dt.date]


def people_and_course_reports(
    frame: pd.DataFrame, cases: Sequence[Case], team: Team, period: Period
) -> list[Report]:
    """The tables about people and courses that the data allows, in print order."""
    if not any(c.is_accepted for c in cases):
        return []
    reports = []
    if any(c.person is not None for c in cases):
        reports.append(people_report(cases, team, period))
    reports += [
        course_report(cases, team, period),
        course_length_report(cases, team, period),
        hours_per_person_report(frame, cases, team, period),
    ]
    if any(
        c.done_on("individual_plan") is not None or any(a.coordinator for a in c.staff_assignments)
        for c in cases
    ):
        reports.append(plans_report(cases, team, period))
    if any(c.done_on(task) is not None for c in cases for task in DEADLINE_TASKS):
        reports.append(deadline_report(cases, team, period))
    if has_consent_or_goals(cases):
        reports.append(consent_goals_report(cases, team, period))
    return reports


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
) -> list[Report]:
    """The outcome, instrument and staff tables that the data allows, in print order."""
    start, end = period
    reports = []
    flagged = any(
        outcome.flags
        for c in cases
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
