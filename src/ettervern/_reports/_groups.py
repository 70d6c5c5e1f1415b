"""Attendance at the team's group offers: per month (sessions, attendances, people), and per
person and month (an internal table: it lists case codes).

A person is a case's person (``person_key``: the pseudonym, else the case code), so someone
with two cases in a year counts once. The month table's people are counted as disclosure
control knows them (``_definitions.TABLES["group_attendance"]``): the people who came to a
group in that month, and in the total row those who came at all in the period.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from ettervern._core import Team
from ettervern._l10n import N_
from ettervern._pathway import Case, GroupLog
from ettervern._reports._people import person_key
from ettervern._reports._report import Report, measure_report

__all__ = ["GROUP_ATTENDANCE_COLUMNS", "attendance_by_person", "group_attendance_report"]

GROUP_ATTENDANCE_COLUMNS = ("people", "attendances", "sessions")
"""The columns of the month table, in order."""


def _inside(groups: GroupLog, period: tuple[dt.date, dt.date]) -> pd.DataFrame:
    """One row per person at a session of the period, with its month."""
    frame = groups.between(*period).to_frame()
    frame["month"] = frame["date"].dt.strftime("%Y-%m")
    return frame


def _people(cases: Sequence[Case]) -> dict[str, str]:
    return {str(case.code): person_key(case) for case in cases}


def group_attendance_report(
    groups: GroupLog, cases: Sequence[Case], team: Team | None, period: tuple[dt.date, dt.date]
) -> Report:
    """Per month of ``period``: ``people`` (distinct people at a group), ``attendances``
    (people at sessions, a person at two sessions twice) and ``sessions`` held (with at least
    one person). The total row counts each person once."""
    frame = _inside(groups, period)
    people = _people(cases)
    frame["person"] = [people.get(str(code), str(code)) for code in frame["case"]]
    months = [str(m) for m in pd.period_range(period[0], period[1], freq="M")]
    grouped = frame.groupby("month")
    wide = pd.DataFrame(
        {
            "people": grouped["person"].nunique(),
            "attendances": grouped.size(),
            "sessions": frame.drop_duplicates(["date", "offer"]).groupby("month").size(),
        },
        columns=list(GROUP_ATTENDANCE_COLUMNS),
    )
    wide = wide.reindex(months).fillna(0.0).astype("float64")
    return measure_report(
        wide,
        key="group_attendance",
        title=N_("Attendance at group offers"),
        rows="month",
        unit="mixed",
        period=period,
        team=team,
        total_values={"people": float(frame["person"].nunique())},
        notes=[
            N_(
                "People: those who came to a group in the month; the total counts each person "
                "once. Attendances: a person at two sessions counts twice."
            )
        ],
    )


def attendance_by_person(
    groups: GroupLog, cases: Sequence[Case], team: Team | None, period: tuple[dt.date, dt.date]
) -> Report:
    """Sessions attended per case and month of ``period``: for the team itself (it lists case
    codes, so it is never published)."""
    frame = _inside(groups, period)
    known = {str(case.code) for case in cases}
    frame = frame[frame["case"].astype(str).isin(known)]
    months = [str(m) for m in pd.period_range(period[0], period[1], freq="M")]
    wide = (
        frame.assign(case=frame["case"].astype(str), one=1.0)
        .pivot_table(index="case", columns="month", values="one", aggfunc="sum", fill_value=0)
        .reindex(columns=months, fill_value=0)
        .astype("float64")
    )
    wide.index.name = None
    wide.columns.name = None
    return measure_report(
        wide.sort_index(),
        key="group_attendance_by_person",
        title=N_("Group sessions attended per person"),
        rows="case",
        unit="mixed",
        period=period,
        team=team,
        notes=[N_("Lists case codes: for the team's own use, never published.")],
    )
