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

from ettervern.core import Team
from ettervern.pathway import Case
from ettervern.reports._courses import (
    DEADLINE_TASKS,
    course_length_report,
    course_report,
    deadline_report,
    hours_per_person_report,
    plans_report,
)
from ettervern.reports._people import people_report
from ettervern.reports._report import Report

__all__ = ["people_and_course_reports"]

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
    return reports
