"""Milestones and deadlines (frister) of a case, and the due list for the weekly meeting.

The standard milestones are the deadlines the seeds give:

- ``individual_plan``: the individual plan (IP) at the latest before discharge (seed ``003_…``),
  for a case accepted while the person was inside; due on the discharge day, and while the
  person is still inside on the expected discharge, once recorded
  ([`Case.expect_discharge()`][ettervern.Case.expect_discharge]).
- ``follow_up_target``: closure within the team's follow-up target after the start of follow-up
  (Salten: 6-8 weeks, seed ``000_…``); due at the upper end; met by the closure.
- ``handover_meeting``: a meeting with the municipal service that takes over, before closure
  (seed ``000_…``), for cases closed as completed or still open; due with the follow-up target
  while open, on the closure day once closed. Recorded with ``case.complete("handover_meeting",
  on=...)``, or by closing with ``taken_over_by`` (the meeting held on the closure day).
- ``closure_report`` and ``evaluation_form``: on closure (seed ``000_…``).
- ``three_month_check``: three calendar months after closure (seed ``000_…``).

Only accepted cases have milestones: a referral the team did not take on has no deadlines. A
pathway template adds its steps that have an anchor. A milestone rescheduled
([`Case.reschedule()`][ettervern.Case.reschedule]) is due on its new day; one waived
([`Case.waive()`][ettervern.Case.waive]) has the status ``"waived"`` and leaves the due list.
"""

from __future__ import annotations

import datetime as dt
import enum
import operator
from collections.abc import Iterable, Mapping

import attrs
import pandas as pd

from ettervern._core import FollowUpTarget, Team
from ettervern._l10n import has_translation, translate
from ettervern._pathway._case import Case, Phase, case_as_of, planning_of, tasks_done
from ettervern._pathway._check import team_check
from ettervern._pathway._events import ClosureReason
from ettervern._pathway._planning import WaiverReason
from ettervern._pathway._rules import AFTER_CLOSURE_KEYS, three_months_after
from ettervern._pathway._templates import PathwayTemplate, pathway_template

__all__ = [
    "DUE_LIST_COLUMNS",
    "Milestone",
    "MilestoneStatus",
    "contact_gap_warnings",
    "due_list",
    "milestones",
    "pending_decisions",
    "staffing_warnings",
]

DUE_LIST_COLUMNS = (
    "code",
    "municipality",
    "milestone",
    "due",
    "days_left",
    "status",
    "staff",
    "coordinator",
)
"""The columns of [`due_list()`][ettervern.due_list], in order."""

DEFAULT_CONTACT_GAP = 14
"""Days without logged contact in close follow-up before a warning, without a team (the
default of ``Team.contact_gap_days``)."""

DEFAULT_TARGET = FollowUpTarget(6, 8)
"""The follow-up target when no team is given: Salten's 6-8 weeks (seed ``000_…``)."""


class MilestoneStatus(enum.StrEnum):
    """Where a milestone stands on a given day."""

    DONE = "done"
    """Done on or before it was due."""
    DONE_LATE = "done_late"
    """Done after it was due."""
    OVERDUE = "overdue"
    """Not done and past its due date."""
    DUE_TODAY = "due_today"
    UPCOMING = "upcoming"
    WARNING = "warning"
    """Not a deadline: a rule the case breaks today (fewer staff than the team's rule)."""
    WAIVED = "waived"
    """Not done and not to be: declined by the person or not applicable."""


@attrs.frozen(kw_only=True)
class Milestone:
    """One deadline of one case: what, when due, and when done (``None`` if not yet)."""

    key: str
    due: dt.date
    done_on: dt.date | None = None
    waived: WaiverReason | None = None
    """Why the milestone was waived, if it was (as the case stood on the day asked for)."""

    def status(self, on: dt.date) -> MilestoneStatus:
        """The status on the day ``on`` (a milestone done after ``on`` counts as not done)."""
        if self.waived is not None and (self.done_on is None or self.done_on > on):
            return MilestoneStatus.WAIVED
        return _status(self.due, self.done_on, on)


def _status(due: dt.date, done_on: dt.date | None, on: dt.date) -> MilestoneStatus:
    if done_on is not None and done_on <= on:
        return MilestoneStatus.DONE_LATE if done_on > due else MilestoneStatus.DONE
    if due < on:
        return MilestoneStatus.OVERDUE
    return MilestoneStatus.DUE_TODAY if due == on else MilestoneStatus.UPCOMING


_Part = tuple[str, dt.date, dt.date | None]
"""A milestone as plain values: key, due and done on (a due list of 100,000 cases reads
these without making a ``Milestone`` of each)."""


def _standard(case: Case, longest: dt.timedelta) -> list[_Part]:
    found: list[_Part] = []
    done = tasks_done(case)
    stay = case.follow_up_stay
    discharge = None if stay is None else (stay.discharged or case.expected_discharge)
    if discharge is not None:
        found.append(("individual_plan", discharge, done.get("individual_plan")))
    accepted = case.accepted_on
    start = None if accepted is None else (accepted if stay is None else stay.discharged)
    closure = case.closure
    if start is not None:
        target_end = start + longest
        closed = None if closure is None else closure.on
        found.append(("follow_up_target", target_end, closed))
        if closure is None or closure.reason is ClosureReason.COMPLETED:
            handover = done.get("handover_meeting")
            if closure is not None and closure.taken_over_by and handover is None:
                handover = closure.on
            due = target_end if closure is None else closure.on
            found.append(("handover_meeting", due, handover))
    if closure is not None:
        for key in ("closure_report", "evaluation_form"):
            found.append((key, closure.on, done.get(key)))
        check = case.three_month_check
        found.append(
            (
                "three_month_check",
                three_months_after(closure.on),
                None if check is None else check.on,
            )
        )
    return found


def _target(target: FollowUpTarget | None, team: Team | None) -> FollowUpTarget:
    """The target asked for; else the team's; else the default (6-8 weeks)."""
    if target is not None:
        return target
    return DEFAULT_TARGET if team is None else team.follow_up_target


def _template(template: PathwayTemplate | str | None, team: Team | None) -> PathwayTemplate | None:
    """The template asked for, by value or by name; else the team's own, if it names one."""
    if isinstance(template, str):
        return pathway_template(template)
    if template is None and team is not None and team.pathway is not None:
        return pathway_template(team.pathway)
    return template


def _as_of(case: Case, on: dt.date | None) -> Case | None:
    """The case as it stood at the end of ``on`` (all of it when ``on`` is None)."""
    return case if on is None else case_as_of(case, on)


def milestones(
    case: Case,
    *,
    on: dt.date | None = None,
    team: Team | None = None,
    template: PathwayTemplate | str | None = None,
    target: FollowUpTarget | None = None,
) -> list[Milestone]:
    """The milestones of ``case`` whose due date is known, sorted by due date.

    With ``on``, the case as it stood that day: events after it are not used, and a case
    referred later has none. ``team`` gives the follow-up target and, when the team names one,
    the pathway template; ``template`` (a [`PathwayTemplate`][ettervern.PathwayTemplate] or the name of a shipped one,
    ``"jaeren"``) adds its anchored steps, done when the case records the step or a task of that
    key. A template step with the key of a standard milestone is that milestone. ``target``
    overrides the team's follow-up target (6-8 weeks by default).
    """
    parts = _parts(case, on, _target(target, team).longest, _template(template, team))
    parts.sort(key=_due)
    known = _as_of(case, on)
    waived = {} if known is None else planning_of(known)[0]
    return [
        Milestone(key=key, due=due, done_on=done_on, waived=_reason(waived.get(key)))
        for key, due, done_on in parts
    ]


def _reason(waiver: tuple[dt.date, WaiverReason] | None) -> WaiverReason | None:
    return None if waiver is None else waiver[1]


def _parts(
    case: Case, on: dt.date | None, longest: dt.timedelta, chosen: PathwayTemplate | None
) -> list[_Part]:
    """``milestones()`` as plain values, with the target and template worked out (once, for a
    whole due list), in no particular order (a due list sorts all its rows at once)."""
    return _known_parts(case, on, longest, chosen)[1]


def _known_parts(
    case: Case, on: dt.date | None, longest: dt.timedelta, chosen: PathwayTemplate | None
) -> tuple[Case, list[_Part]]:
    """``_parts``, and the case as it stood on ``on`` (``case`` itself when it has none)."""
    known = _as_of(case, on)
    if known is None or not known.is_accepted:
        return case, []
    found = _standard(known, longest)
    if chosen is not None:
        taken = {key for key, _, _ in found}
        for step in chosen.steps:
            if step.anchor is None or step.key in taken:
                continue
            due = step.due(known)
            if due is not None:
                found.append((step.key, due, tasks_done(known).get(step.key)))
    moved = planning_of(known)[1]
    if moved:
        found = [(key, moved.get(key, due), done_on) for key, due, done_on in found]
    return known, found


def _due(part: _Part) -> dt.date:
    return part[1]


_Row = tuple[str, str, str, dt.date, int, str, str, str]
"""A due-list row as plain values, in the order of ``DUE_LIST_COLUMNS``."""


def _staff_of(case: Case, on: dt.date) -> tuple[tuple[str, ...], str]:
    """The staff on ``case`` and its coordinator on ``on``, or on the closure day of a case
    closed by then (its closure tasks are for the staff who closed it)."""
    closed = case.closed_on
    day = on if closed is None or closed > on else closed
    return tuple(sorted(case.staff_on(day))), case.coordinator_on(day) or ""


def staffing_warnings(cases: Iterable[Case], *, on: dt.date, staff_per_case: int) -> list[_Row]:
    """Due-list rows for open, accepted cases that record staff assignments and have fewer than
    ``staff_per_case`` staff assigned on ``on``."""
    rows: list[_Row] = []
    for case in cases:
        accepted, closed = case.accepted_on, case.closed_on
        if accepted is None or accepted > on or (closed is not None and closed <= on):
            continue
        if not case.staff_assignments:
            continue
        staff, coordinator = _staff_of(case, on)
        if len(staff) < staff_per_case:
            rows.append(
                (
                    str(case.code),
                    case.municipality.name,
                    "staff_per_case",
                    on,
                    0,
                    MilestoneStatus.WARNING.value,
                    ", ".join(staff),
                    coordinator,
                )
            )
    return rows


def pending_decisions(cases: Iterable[Case], *, on: dt.date, days: int) -> list[_Row]:
    """Due-list rows (``decision``) for referrals that, as they stood on ``on``, the team had
    neither accepted nor declined, and that were not closed: due ``days`` after the referral
    (overdue after it)."""
    rows: list[_Row] = []
    for case in cases:
        known = case_as_of(case, on)
        if known is None or known.accepted_on is not None or known.declined_on is not None:
            continue
        if known.closed_on is not None:
            continue
        due = known.referred_on + dt.timedelta(days=days)
        staff, coordinator = _staff_of(known, on)
        status = _status(due, None, on).value
        row = (str(case.code), case.municipality.name, "decision", due, (due - on).days)
        rows.append((*row, status, ", ".join(staff), coordinator))
    return rows


def _spell_start(case: Case, on: dt.date) -> dt.date | None:
    """The first day of the follow-up the case is in on ``on``: its acceptance, or the last
    discharge on or before ``on`` when later; None unless the case is in follow-up that day."""
    accepted = case.accepted_on
    if accepted is None or accepted > on or case.phase_on(on) is not Phase.FOLLOW_UP:
        return None
    discharges = [s.discharged for s in case.stays if s.discharged is not None]
    return max([accepted, *(d for d in discharges if d <= on)])


def contact_gap_warnings(
    cases: Iterable[Case], contacts: Mapping[str, Iterable[dt.date]], *, on: dt.date, days: int
) -> list[_Row]:
    """Due-list rows (``contact_gap``, status ``"warning"``) for cases in close follow-up on
    ``on`` (accepted, out of institution, not closed) with no contact in ``contacts`` (case
    code → days of logged contact) for ``days`` days or more, counted from the last contact
    on or before ``on``, or from the start of that follow-up when none came after it. The row
    is dated the day the gap reached ``days``."""
    rows: list[_Row] = []
    for case in cases:
        start = _spell_start(case, on)
        if start is None:
            continue
        seen = [day for day in contacts.get(str(case.code), ()) if start <= day <= on]
        since = max(seen, default=start)
        if (on - since).days < days:
            continue
        due = since + dt.timedelta(days=days)
        staff, coordinator = _staff_of(case, on)
        row = (str(case.code), case.municipality.name, "contact_gap", due, (due - on).days)
        rows.append((*row, MilestoneStatus.WARNING.value, ", ".join(staff), coordinator))
    return rows


def _actionable(case: Case, on: dt.date, parts: list[_Part]) -> list[_Part]:
    """The milestones of ``case`` (as it stood on ``on``) that can still be acted on: not
    waived, and for a case closed by then only its closure tasks and three-month check."""
    waived = planning_of(case)[0]
    closed = case.closed_on
    return [
        part
        for part in parts
        if part[0] not in waived
        and (closed is None or closed > on or part[0] in AFTER_CLOSURE_KEYS)
    ]


def _case_rows(
    case: Case, on: dt.date, parts: list[_Part], latest: dt.date | None, staff: str | None
) -> list[_Row]:
    """The due-list rows of one case: its milestones not done by ``on`` and actionable."""
    rows: list[_Row] = []
    done = (MilestoneStatus.DONE, MilestoneStatus.DONE_LATE)
    people: tuple[tuple[str, ...], str] | None = None  # looked up once, when a row needs it
    for key, due, done_on in _actionable(case, on, parts):
        status = _status(due, done_on, on)
        if status in done or (latest is not None and due > latest):
            continue
        if people is None:
            people = _staff_of(case, on)
            if staff is not None and staff not in people[0]:
                return []
        rows.append(
            (
                str(case.code),
                case.municipality.name,
                key,
                due,
                (due - on).days,
                status.value,
                ", ".join(people[0]),
                people[1],
            )
        )
    return rows


def due_list(
    cases: Iterable[Case],
    *,
    on: dt.date,
    team: Team | None = None,
    template: PathwayTemplate | str | None = None,
    target: FollowUpTarget | None = None,
    within: dt.timedelta | None = None,
    staff: str | None = None,
    locale: str | None = None,
    contacts: Mapping[str, Iterable[dt.date]] | None = None,
) -> pd.DataFrame:
    """The milestones to act on by ``on``, overdue and upcoming: the team's working list.

    Columns: ``code`` (text), ``municipality`` (name), ``milestone`` (key), ``due`` (dtype
    ``datetime64``, so that ``.dt`` works), ``days_left`` (negative when overdue), ``status``
    (``"overdue"``, ``"due_today"``, ``"upcoming"``), ``staff`` (the roster ids on the case on
    ``on``, joined by ``", "``) and ``coordinator``; sorted by due date, then code. Each case
    is taken as it stood on ``on`` (see [`milestones()`][ettervern.milestones], which takes the same ``team``,
    ``template`` and ``target``); with ``team`` the cases are first checked against it
    ([`check_case()`][ettervern.check_case]). Only what can still be done is listed: a waived
    milestone is left out, and a case closed by ``on`` keeps only its closure report,
    evaluation form and three-month check (the staff columns then name who closed it).
    ``within`` leaves out what is due later than ``on + within``; ``staff`` keeps the cases
    that member of staff is on (a working list of "my cases"). With a ``team``, an open case
    that records its staff and has fewer assigned on ``on`` than the team's ``staff_per_case``
    (Salten: two on every case) is listed as ``staff_per_case`` with status ``"warning"``. With
    ``locale`` (``"nb"``, ``"nn"``, ``"en"``) two more columns, ``milestone_label`` and
    ``status_label``, say the same in words for the meeting's agenda.

    With a ``team``, a referral not yet accepted or declined is listed as ``decision``, due
    ``team.decision_days`` after the referral. With ``contacts`` (case code → days of contact:
    [`TimeLog.contact_days()`][ettervern.TimeLog.contact_days]), a case in close follow-up
    without one for ``team.contact_gap_days`` (14) is listed as ``contact_gap``, a warning.
    """
    cases = list(cases)
    rows: list[_Row] = []
    chosen = _template(template, team)
    longest = _target(target, team).longest
    latest = None if within is None else on + within
    check = None if team is None else team_check(team).check
    for case in cases:
        if check is not None:
            check(case)
        known, parts = _known_parts(case, on, longest, chosen)
        if parts:
            rows += _case_rows(known, on, parts, latest, staff)
    extra = _team_rows(cases, on, team, contacts)
    rows += [
        row
        for row in extra
        if (staff is None or staff in row[6].split(", ")) and (latest is None or row[3] <= latest)
    ]
    rows.sort(key=operator.itemgetter(3, 0, 2))  # due, code, milestone
    frame = pd.DataFrame(rows, columns=list(DUE_LIST_COLUMNS)).astype(
        {"days_left": "int64", "due": "datetime64[s]"}
    )
    if locale is not None:
        _add_labels(frame, chosen, locale)
    return frame


def _team_rows(
    cases: list[Case],
    on: dt.date,
    team: Team | None,
    contacts: Mapping[str, Iterable[dt.date]] | None,
) -> list[_Row]:
    """The rows that are not milestones: too few staff, a pending decision (with a team), a
    gap in contact (with ``contacts``)."""
    rows: list[_Row] = []
    if team is not None:
        rows += staffing_warnings(cases, on=on, staff_per_case=team.staff_per_case)
        rows += pending_decisions(cases, on=on, days=team.decision_days)
    if contacts is not None:
        days = DEFAULT_CONTACT_GAP if team is None else team.contact_gap_days
        rows += contact_gap_warnings(cases, contacts, on=on, days=days)
    return rows


def _add_labels(frame: pd.DataFrame, chosen: PathwayTemplate | None, locale: str) -> None:
    """The ``milestone_label`` and ``status_label`` columns, in ``locale``."""
    names = {} if chosen is None else {step.key: step.name for step in chosen.steps}
    frame["milestone_label"] = [
        names[key]
        if key in names and not has_translation(key, locale, context="milestone")
        else translate(key, locale, context="milestone")
        for key in frame["milestone"]
    ]
    frame["status_label"] = [translate(key, locale, context="status") for key in frame["status"]]
