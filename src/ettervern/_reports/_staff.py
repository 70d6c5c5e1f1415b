"""Staff hours and capacity per member of staff and per team, with the people-per-FTE yardstick.

The time log says how many staff took part in each entry (its ``staff`` column, two in Salten);
the cases say which staff were assigned on which days ([`Case.assign_staff`][ettervern.Case.assign_staff]). Joining the
two attributes each entry on a case to the staff assigned to it that day: each gets the entry's
hours when no more are assigned than took part, and a share of ``hours × staff`` when more are.
Staff hours that cannot be attributed (entries without a case, or more staff present than
assigned) are shown as *unattributed*. Capacity comes from the [`Roster`][ettervern.Roster]:
the FTE of each member over the period times the hours of one FTE, and the people each member
followed against Sandnes' yardstick of six people per FTE (10 FTE ≈ 60 people).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ettervern._core import PEOPLE_PER_FTE, Roster, Team
from ettervern._l10n import N_
from ettervern._pathway import Case
from ettervern._reports._people import person_key
from ettervern._reports._report import Report, measure_report
from ettervern._timelog import EPOCH, days_of, in_period

__all__ = ["UNATTRIBUTED", "staff_hours", "staff_report"]

Period = tuple[dt.date, dt.date]

UNATTRIBUTED = "unattributed"
"""The row of staff hours that no assigned member of staff accounts for."""


def staff_hours(frame: pd.DataFrame, cases: Sequence[Case], period: Period) -> pd.Series[float]:
    """Staff hours per staff id in ``period`` (and ``UNATTRIBUTED``), from the log's
    ``staff`` column and the cases' assignments."""
    inside = frame[in_period(frame, period)]
    by_code = {str(c.code): c for c in cases}
    totals: dict[str, float] = {}
    grouped = inside.groupby(
        [inside["case"].astype(object).fillna(""), days_of(inside), inside["staff"]],
        observed=True,
        sort=False,
    )["hours"].sum()
    for key, hours in grouped.items():
        assert isinstance(key, tuple)
        code, day, present = str(key[0]), EPOCH + dt.timedelta(days=int(key[1])), int(key[2])
        staff_hours_here = float(hours) * present
        case = by_code.get(code) if code else None
        assigned = case.staff_on(day) if case is not None else ()
        if not assigned:
            totals[UNATTRIBUTED] = totals.get(UNATTRIBUTED, 0.0) + staff_hours_here
            continue
        each = staff_hours_here / max(len(assigned), present)
        for member in assigned:
            totals[member] = totals.get(member, 0.0) + each
        rest = staff_hours_here - each * len(assigned)
        if rest > 1e-9:
            totals[UNATTRIBUTED] = totals.get(UNATTRIBUTED, 0.0) + rest
    return pd.Series(totals, dtype="float64")


def _people_followed(cases: Sequence[Case], period: Period) -> dict[str, set[str]]:
    start, end = period
    found: dict[str, set[str]] = {}
    for case in cases:
        for assignment in case.staff_assignments:
            if assignment.since <= end and (assignment.until is None or assignment.until >= start):
                found.setdefault(assignment.staff, set()).add(person_key(case))
    return found


def staff_report(
    frame: pd.DataFrame,
    cases: Sequence[Case],
    roster: Roster,
    team: Team | None,
    period: Period,
    *,
    hours_per_fte: float,
) -> Report:
    """Per member of staff: FTE over the period, hours available, staff hours attributed,
    utilisation, people followed and people per FTE; the total row is the team's, with the
    yardstick of [`PEOPLE_PER_FTE`][ettervern.tables.PEOPLE_PER_FTE] people per FTE."""
    start, end = period
    share_of_year = ((end - start).days + 1) / 365.25
    hours = staff_hours(frame, cases, period)
    followed = _people_followed(cases, period)
    wide = _per_staff(
        roster, hours, followed, period, hours_per_fte=hours_per_fte, share_of_year=share_of_year
    )
    team_fte = roster.fte_in(start, end)
    everyone = {p for found in followed.values() for p in found}
    available = team_fte * hours_per_fte * share_of_year
    logged = float(hours.sum())
    return measure_report(
        wide,
        key="staff",
        title=N_("Staff hours and capacity per member of staff"),
        rows="staff",
        unit="mixed",
        period=period,
        team=team,
        share_columns=["utilisation"],
        total_values={
            "fte": team_fte,
            "utilisation": logged / available if available else np.nan,
            "people": float(len(everyone)),
            "people_per_fte": len(everyone) / team_fte if team_fte else np.nan,
        },
        notes=[
            N_(
                "Staff hours: the log's hours times its staff present, given to the staff "
                "assigned to the case that day; the rest is unattributed."
            ),
            N_(
                "Yardstick: an ambulant team serves about {people_per_fte} people per FTE "
                "(Sandnes: 10 FTE for about 60); this team's FTE gives {yardstick}."
            ),
        ],
        note_values={
            "people_per_fte": PEOPLE_PER_FTE,
            "yardstick": round(team_fte * PEOPLE_PER_FTE, 1),
        },
    )


def _per_staff(
    roster: Roster,
    hours: pd.Series[float],
    followed: dict[str, set[str]],
    period: Period,
    *,
    hours_per_fte: float,
    share_of_year: float,
) -> pd.DataFrame:
    """A row per member of staff (the roster's, then anyone else with hours or people), and the
    unattributed hours."""
    start, end = period
    rostered = {m.id for m in roster}
    ids = [m.id for m in roster] + sorted(
        k for k in {*hours.index, *followed} if k not in rostered and k != UNATTRIBUTED
    )
    rows: dict[str, dict[str, float]] = {}
    for staff_id in ids:
        fte = roster.member(staff_id).fte_in(start, end) if staff_id in rostered else 0.0
        available = fte * hours_per_fte * share_of_year
        logged = float(hours.get(staff_id, 0.0))
        people = float(len(followed.get(staff_id, set())))
        rows[staff_id] = {
            "fte": fte,
            "available_hours": available,
            "staff_hours": logged,
            "utilisation": logged / available if available else np.nan,
            "people": people,
            "people_per_fte": people / fte if fte else np.nan,
        }
    if UNATTRIBUTED in hours.index:
        rows[UNATTRIBUTED] = {"staff_hours": float(hours[UNATTRIBUTED])}
    columns = ["fte", "available_hours", "staff_hours", "utilisation", "people", "people_per_fte"]
    return pd.DataFrame.from_dict(rows, orient="index", columns=columns)
