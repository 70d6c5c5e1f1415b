"""The tables of an aftercare report, one builder each, and the annual report's layout.

Every builder takes what it counts first (cases, a time log, answer sheets), then the same
keywords: ``team=`` (a [`Team`][ettervern.Team] or a bundled team's name, ``"salten"``) and
``period=`` (a year, ``"2020-03"``, a ``(start, end)`` pair of dates or a ``pandas.Period``).
[`annual_report()`][ettervern.annual_report] builds all of them for a year, protected for
publication; these are for a table of your own choosing.

>>> import ettervern as e
>>> from ettervern import tables
>>> example = e.examples.salten_2020()
>>> report = tables.course_report(example.cases, team="salten", period="2020-06")
>>> report.key
'courses'

Like cattrs' ``strategies`` and attrs' ``validators``, a namespace imported on purpose:
``from ettervern import tables``.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Literal

import pandas as pd

from ettervern import teams
from ettervern._contract import enforce
from ettervern._core import (
    EXTRA_TABLES,
    PEOPLE_PER_FTE,
    Instrument,
    PeriodLike,
    ReportGroup,
    ReportLayout,
    ReportTable,
    Response,
    Roster,
    Team,
    Texts,
    check_one_of,
    default_layout,
    period_of,
)
from ettervern._l10n import Message
from ettervern._pathway import (
    CASELOAD_COLUMNS,
    Case,
    GroupLog,
)
from ettervern._reports import (
    HOURS_PER_FTE,
    Audience,
    Audit,
    FteKey,
    Report,
    SharedPeople,
    attendance_by_person,
    count_shared_people,
    course_state,
    moved_hours,
    moved_log,
    published_caseload,
    published_waiting_times,
    write_fte_csv,
)
from ettervern._reports import audit as audit_release
from ettervern._reports import (
    consent_goals_report as _consent_goals_report,
)
from ettervern._reports import (
    course_length_report as _course_length_report,
)
from ettervern._reports import (
    course_report as _course_report,
)
from ettervern._reports import (
    deadline_report as _deadline_report,
)
from ettervern._reports import (
    fte_report as _fte_report,
)
from ettervern._reports import (
    group_attendance_report as _group_attendance_report,
)
from ettervern._reports import (
    hours_per_person_report as _hours_per_person_report,
)
from ettervern._reports import (
    instrument_by_year as _instrument_by_year,
)
from ettervern._reports import (
    instrument_report as _instrument_report,
)
from ettervern._reports import (
    member_parts as _member_parts,
)
from ettervern._reports import (
    outcome_flags_report as _outcome_flags_report,
)
from ettervern._reports import (
    people_by_year as _people_by_year,
)
from ettervern._reports import (
    people_report as _people_report,
)
from ettervern._reports import (
    plans_report as _plans_report,
)
from ettervern._reports import (
    staff_hours as _staff_hours,
)
from ettervern._reports import (
    staff_report as _staff_report,
)
from ettervern._timelog import TimeLog
from ettervern.errors import InvalidValueError

__all__ = [
    "CASELOAD_COLUMNS",
    "EXTRA_TABLES",
    "HOURS_PER_FTE",
    "PEOPLE_PER_FTE",
    "Audit",
    "ReportGroup",
    "ReportLayout",
    "ReportTable",
    "SharedPeople",
    "Texts",
    "audit_release",
    "caseload",
    "caseload_by_role",
    "consent_goals_report",
    "count_shared_people",
    "course_length_report",
    "course_report",
    "course_state",
    "deadline_report",
    "default_layout",
    "fte_report",
    "group_attendance",
    "hours_per_person_report",
    "instrument_by_year",
    "instrument_report",
    "member_parts",
    "outcome_flags_report",
    "people_by_year",
    "people_report",
    "plans_report",
    "staff_hours",
    "staff_report",
    "waiting_times",
    "write_fte_csv",
]

TeamLike = Team | str
"""A team, or a bundled team's name (``"salten"``, ``"jaeren"``, ``"integrated"``)."""


def _team(team: TeamLike | None) -> Team | None:
    return teams.preset(team) if isinstance(team, str) else team


def _frame(log: TimeLog | pd.DataFrame, cases: Sequence[Case]) -> pd.DataFrame:
    """Where a table's cases meet its log: the hours after a move count for the new member."""
    return moved_hours(log.to_frame(copy=False) if isinstance(log, TimeLog) else log, cases)


def course_report(
    cases: Sequence[Case],
    *,
    team: TeamLike | None = None,
    period: PeriodLike,
    audience: Audience = "published",
    threshold: int | None = None,
    member: str | None = None,
) -> Report:
    """Per municipality: courses in ``period`` and their state at its end (completed, aborted,
    ended otherwise, ongoing), with the shares."""
    return _course_report(
        cases, _team(team), period_of(period), audience=audience, threshold=threshold, member=member
    )


def course_length_report(
    cases: Sequence[Case],
    *,
    team: TeamLike | None = None,
    period: PeriodLike,
    audience: Audience = "published",
    threshold: int | None = None,
    member: str | None = None,
) -> Report:
    """Per municipality: courses closed in ``period`` and their mean and median length, in
    weeks and in months."""
    return _course_length_report(
        cases, _team(team), period_of(period), audience=audience, threshold=threshold, member=member
    )


def consent_goals_report(
    cases: Sequence[Case],
    *,
    team: TeamLike | None = None,
    period: PeriodLike,
    audience: Audience = "published",
    threshold: int | None = None,
) -> Report:
    """Per municipality: cases with a course in ``period``, those with consent in force at its
    end, with a goal set and with a goal met (counts of cases, protected when published)."""
    return _consent_goals_report(
        cases, _team(team), period_of(period), audience=audience, threshold=threshold
    )


def plans_report(
    cases: Sequence[Case],
    *,
    team: TeamLike | None = None,
    period: PeriodLike,
    audience: Audience = "published",
    threshold: int | None = None,
    member: str | None = None,
) -> Report:
    """Per municipality: people with a course in ``period``, how many have an individual plan
    and a coordinator, and the shares."""
    return _plans_report(
        cases, _team(team), period_of(period), audience=audience, threshold=threshold, member=member
    )


def deadline_report(
    cases: Sequence[Case],
    *,
    team: TeamLike | None = None,
    period: PeriodLike,
    months: int = 3,
    tasks: Sequence[str] = ("decision", "treatment_plan"),
    audience: Audience = "published",
    threshold: int | None = None,
    member: str | None = None,
) -> Report:
    """Per municipality: accepted cases whose deadline (referral + ``months``) fell in
    ``period``, and how many had each of ``tasks`` done by then."""
    return _deadline_report(
        cases,
        _team(team),
        period_of(period),
        months=months,
        tasks=tasks,
        audience=audience,
        threshold=threshold,
        member=member,
    )


def people_report(
    cases: Sequence[Case],
    *,
    team: TeamLike | None = None,
    period: PeriodLike,
    audience: Audience = "published",
    threshold: int | None = None,
    member: str | None = None,
) -> Report:
    """Episodes and distinct people per municipality in ``period``."""
    return _people_report(
        cases, _team(team), period_of(period), audience=audience, threshold=threshold, member=member
    )


def people_by_year(
    cases: Sequence[Case],
    *,
    years: Iterable[int],
    team: TeamLike | None = None,
    audience: Audience = "published",
    threshold: int | None = None,
) -> Report:
    """Episodes and distinct people per calendar year: the same person in two years counts in
    each, once. Published by default: counts below ``threshold`` hidden."""
    return _people_by_year(cases, years, _team(team), audience=audience, threshold=threshold)


def outcome_flags_report(
    cases: Sequence[Case],
    *,
    team: TeamLike | None = None,
    period: PeriodLike,
    audience: Audience = "published",
    threshold: int | None = None,
    member: str | None = None,
) -> Report:
    """Per municipality: people with each outcome flag recorded at a closure or three-month
    check dated in ``period``."""
    return _outcome_flags_report(
        cases, _team(team), period_of(period), audience=audience, threshold=threshold, member=member
    )


def hours_per_person_report(
    log: TimeLog | pd.DataFrame,
    cases: Sequence[Case],
    *,
    team: TeamLike | None = None,
    period: PeriodLike,
    audience: Audience = "published",
    threshold: int | None = None,
    member: str | None = None,
) -> Report:
    """Per municipality: people with a course in ``period``, the hours logged on their cases
    in it, and the mean hours per person."""
    return _hours_per_person_report(
        _frame(log, cases),
        cases,
        _team(team),
        period_of(period),
        audience=audience,
        threshold=threshold,
        member=member,
    )


def member_parts(
    log: TimeLog,
    cases: Sequence[Case] = (),
    *,
    team: TeamLike | None = None,
    period: PeriodLike,
    audience: Literal["internal"],
    hours_per_fte: float = HOURS_PER_FTE,
    responses: Sequence[Response] = (),
    instruments: Sequence[Instrument] = (),
    roster: Roster | None = None,
    groups: GroupLog | None = None,
) -> dict[str, list[Report]]:
    """Each member's part of the annual report of ``period`` (a year, ``2020``, or any span),
    by member name: the internal tables of what that member knows from its own closure
    reports, for [`audit_release(..., parts=)`][ettervern.tables.audit_release]. They are
    the member's internal tables, with no published view: what the audit assumes a member
    knows, never something to publish. So the caller names the audience:
    ``audience="internal"`` is required (every other function for a period is published
    unless told otherwise; this one has nothing else to be).

    The parts are those the published release is protected against: a member's cases are
    those it ever had (a case that moved belongs to each member the person lived in), the
    hours after a move count where the person lived, and the answer sheets and group
    attendance of its cases come with them. Picking a member's cases by
    ``case.municipality`` misses all three. Give the same ``responses``, ``roster`` and
    ``groups`` as the annual report.

    Raises:
        InvalidValueError: ``audience`` is not ``"internal"``, nothing to report in
            ``period``, or ``hours_per_fte`` not more than 0.
    """
    check_one_of("audience", audience, ("internal",))
    return _member_parts(
        log,
        cases,
        _team(team),
        period_of(period),
        hours_per_fte=hours_per_fte,
        responses=responses,
        instruments=instruments,
        roster=roster,
        groups=groups,
    )


def staff_hours(
    log: TimeLog | pd.DataFrame, cases: Sequence[Case], *, period: PeriodLike
) -> pd.Series[float]:
    """Staff hours per staff id in ``period`` (and ``UNATTRIBUTED``), from the log's
    ``staff`` column and the cases' assignments."""
    return _staff_hours(_frame(log, cases), cases, period_of(period))


def staff_report(
    log: TimeLog | pd.DataFrame,
    cases: Sequence[Case],
    roster: Roster,
    *,
    team: TeamLike | None = None,
    period: PeriodLike,
    hours_per_fte: float = HOURS_PER_FTE,
    audience: Audience = "published",
    threshold: int | None = None,
) -> Report:
    """Per member of staff: FTE over ``period``, hours available, staff hours attributed, and
    people followed. Published by default: a member of staff who followed fewer people than
    ``threshold`` shows none of their figures (their hours are those people's care)."""
    return _staff_report(
        _frame(log, cases),
        cases,
        roster,
        _team(team),
        period_of(period),
        hours_per_fte=hours_per_fte,
        audience=audience,
        threshold=threshold,
    )


def instrument_report(
    responses: Sequence[Response],
    cases: Sequence[Case],
    *,
    team: TeamLike | None = None,
    period: PeriodLike,
    instrument_key: str | Instrument = "ors",
    audience: Audience = "published",
    threshold: int | None = None,
    member: str | None = None,
) -> Report:
    """Per municipality: people answering the instrument in ``period``, answer sheets, and the
    change between the first and the last answer."""
    return _instrument_report(
        responses,
        cases,
        _team(team),
        period_of(period),
        instrument_key=instrument_key,
        audience=audience,
        threshold=threshold,
        member=member,
    )


def instrument_by_year(
    responses: Sequence[Response],
    cases: Sequence[Case],
    *,
    years: Sequence[int],
    team: TeamLike | None = None,
    instrument_key: str | Instrument = "ors",
    audience: Audience = "published",
    threshold: int | None = None,
) -> Report:
    """The measures of [`instrument_report`][ettervern.tables.instrument_report] per calendar
    year (Sandnes' table 5). Published by default: counts below ``threshold`` hidden."""
    return _instrument_by_year(
        responses,
        cases,
        years,
        _team(team),
        instrument_key=instrument_key,
        audience=audience,
        threshold=threshold,
    )


def caseload(
    cases: Iterable[Case],
    roster: Roster,
    *,
    on: dt.date,
    team: TeamLike | None = None,
    audience: Audience = "published",
    threshold: int | None = None,
) -> pd.DataFrame:
    """Open cases per member of staff on ``on``, and for the team, against the yardstick.

    One row per roster id (in roster order), then ``"Total"``. ``fte``: the FTE on ``on``;
    ``cases``: accepted cases open that day the member is assigned to (the total row: open
    cases, whether staffed or not); ``coordinator``: of those, where the member is the
    coordinator; ``yardstick``: what the FTE carries at 6 people per FTE (``PEOPLE_PER_FTE``),
    times the team's ``staff_per_case`` for a member (two staff share each case); ``load``:
    ``cases / yardstick`` (above 1: more than the yardstick).

    Published by default: a line with fewer cases than ``threshold`` (the team's
    ``disclosure_threshold``, 3 without a team) shows no ``cases``, ``coordinator`` or
    ``load`` (``<NA>``), nor a ``coordinator`` count that small, and one more line is hidden
    where a column would have one hidden line alone (docs/privacy.md). The team's working
    list is ``audience="internal"``.
    """
    return published_caseload(
        cases, roster, on=on, team=_team(team), audience=audience, threshold=threshold
    )


def caseload_by_role(
    cases: Iterable[Case],
    roster: Roster,
    *,
    on: dt.date,
    team: TeamLike | None = None,
    audience: Audience = "published",
    threshold: int | None = None,
) -> pd.DataFrame:
    """Open cases on ``on`` per role on the roster (``StaffRole`` keys, ``"none"`` for a member
    with no role recorded), then ``"Total"``: the FTE of the role's members, the open cases at
    least one of them is assigned to (a case two members of one role share counts once), and
    the yardstick and load as in [`caseload`][ettervern.tables.caseload], published by
    default in the same way."""
    return published_caseload(
        cases, roster, on=on, by="role", team=_team(team), audience=audience, threshold=threshold
    )


def waiting_times(
    cases: Iterable[Case],
    *,
    by: str | None = None,
    team: TeamLike | None = None,
    period: PeriodLike | None = None,
    audience: Audience = "published",
    threshold: int | None = None,
) -> pd.DataFrame:
    """How long people waited, in days from the referral: to the team's decision (accepted or
    declined) and to the first contact (the task ``"first_contact"``), as ``count``,
    ``median_days`` and ``max_days`` per wait (``"decision"``, ``"first_contact"``), for the
    referrals made in ``period`` (every one given, without it).

    "Raskt på plass" (seed ``000_…``); "ventetiden er det vanskeligste" (seed ``003_…``).
    ``by="municipality"`` or ``by="source"`` (who referred) adds a row level. Published by
    default: a row of fewer people than ``threshold`` (the team's ``disclosure_threshold``, 3
    without a team) shows no count, median or maximum (``<NA>``), as a median or maximum of
    one or two people is their own wait (docs/privacy.md); ``audience="internal"`` shows every
    figure, for the team itself.
    """
    return published_waiting_times(
        cases,
        by=by,
        team=_team(team),
        period=None if period is None else period_of(period),
        audience=audience,
        threshold=threshold,
    )


def group_attendance(
    groups: GroupLog,
    cases: Sequence[Case],
    *,
    team: TeamLike | None = None,
    period: PeriodLike,
    by: str = "month",
    audience: Audience = "published",
    threshold: int | None = None,
) -> Report:
    """Attendance at the team's group offers in ``period`` (Jæren's group every weekday, seed
    ``002_…``). ``by="month"``: per month, the distinct ``people`` who came, their
    ``attendances`` and the ``sessions`` held; published by default, small counts of people
    hidden with the attendances and sessions of their month. ``by="person"``: sessions per
    case and month, a table of case codes for the team itself (``audience="internal"``).

    Raises:
        PathwayError: an attendee is not a case of ``cases`` open that day (see
            [`GroupLog.check()`][ettervern.events.GroupLog.check]).
        InvalidValueError: ``by`` is neither; a table per person asked for publishing.
    """
    check_one_of("by", by, ("month", "person"))
    chosen = _team(team)
    groups.check(cases, team=chosen)
    span = period_of(period)
    if by == "month":
        return _group_attendance_report(
            groups, cases, chosen, span, audience=audience, threshold=threshold
        )
    report = attendance_by_person(groups, cases, chosen, span)
    if audience == "internal":
        return report
    return report.publishable(3 if threshold is None else threshold)  # refused: case codes


def fte_report(
    log: TimeLog,
    *,
    period: PeriodLike,
    team: TeamLike | None = None,
    key: FteKey = "hours",
    hours_per_fte: float = HOURS_PER_FTE,
    audience: Audience = "published",
    threshold: int | None = None,
    member: str | None = None,
    cases: Sequence[Case] = (),
) -> Report:
    """The FTE table of the annual report for the year ``period`` (``2020``), with a key of
    your choice (see [`annual_report()`][ettervern.annual_report]). Given the ``cases``, the
    hours logged after a person moved count for the member they moved to.

    Published by default: a member whose hours come from too few cases is pooled as the
    team's ``member_hours`` says (docs/privacy.md). The files for the IS-24/8 survey and
    KOSTRA, one per member and each sent to its own member, are made from the internal view
    (``audience="internal"``) or each member's (``audience="member", member=...``)."""
    start, end = period_of(period)
    if (start.month, start.day, end.month, end.day) != (1, 1, 12, 31) or start.year != end.year:
        message = Message(
            "{field} must be a year such as {example}, got {value!r}",
            field="period",
            example=2020,
            value=f"{start} - {end}",
        )
        raise InvalidValueError(message, field="period", value=(start, end))
    return _fte_report(
        moved_log(log, cases),
        year=start.year,
        team=_team(team),
        key=key,
        hours_per_fte=hours_per_fte,
        audience=audience,
        threshold=threshold,
        member=member,
    )


enforce(globals(), __all__)
