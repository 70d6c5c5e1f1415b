"""The rules a case's history keeps, and the state they leave it in.

A history is checked in one pass over what the rules read of it (``facts_after``): a stored
history all at once, a recorded event after the facts its case left. The full state (stays,
spans, tasks done) is built only when first read (``Unbuilt``). A history that breaks a rule,
or holds a kind of event that pass does not know, is replayed event by event instead
(``check_event``, ``apply_event``), and so is an event recorded on a case whose state is
built; the error names the rule broken by its stable key
([`PathwayError.rule`][ettervern.errors.PathwayError]).
"""

from __future__ import annotations

import contextlib
import contextvars
import datetime as dt
import functools
import operator
from collections.abc import Callable, Sequence
from typing import Any

import attrs
from dateutil.relativedelta import relativedelta

from ettervern._core import (
    CaseCode,
    LifeDomain,
    Municipality,
    Team,
    slot_setter,
    ten_years_ahead,
)
from ettervern._l10n import N_, Label, Message
from ettervern._pathway._events import (
    Acceptance,
    Admission,
    Assessment,
    Closure,
    ClosureReason,
    Decline,
    Discharge,
    Event,
    Referral,
    Reopening,
    Stay,
    StepStarted,
    TaskDone,
    ThreeMonthCheck,
)
from ettervern._pathway._facts import (
    ConsentGiven,
    ConsentScope,
    ConsentWithdrawn,
    GoalReviewed,
    GoalSet,
    Moved,
)
from ettervern._pathway._planning import DischargeExpected, Rescheduled, Waived, WaiverReason
from ettervern._pathway._staffing import StaffAssigned, StaffReleased
from ettervern.errors import PathwayError

__all__ = [
    "AFTER_CLOSURE_KEYS",
    "CLOSURE_TASKS",
    "OLDEST_AGE",
    "PLAUSIBLE_FROM",
    "RULES",
    "Facts",
    "History",
    "Unbuilt",
    "apply_event",
    "check_event",
    "current_window",
    "default_window",
    "facts_after",
    "plausible_dates_of",
    "refuse",
    "replay",
    "state_after",
    "three_months_after",
    "unbuilt",
]

THREE_MONTHS = relativedelta(months=3)
"""The wait between closure and the check (seed ``000_…``); 30 Nov + 3 months = 28 Feb."""


@functools.lru_cache(maxsize=8192)
def three_months_after(day: dt.date) -> dt.date:
    """``day`` plus three calendar months (30 Nov → 28 Feb): when the check after a closure on
    ``day`` is due. Remembered, as many cases close on the same days."""
    result: dt.date = day + THREE_MONTHS
    return result


PLAUSIBLE_FROM = dt.date(1990, 1, 1)
"""The earliest plausible date of an event (the default of ``Team.earliest_date``)."""


def default_window() -> tuple[dt.date, dt.date]:
    """The plausible dates of a case's events when no team says otherwise: from
    ``PLAUSIBLE_FROM`` to ten years after today (UTC), as a team's defaults."""
    return PLAUSIBLE_FROM, ten_years_ahead()


_WINDOW: contextvars.ContextVar[tuple[dt.date, dt.date] | None] = contextvars.ContextVar(
    "ettervern_plausible_dates", default=None
)
"""The plausible dates of the team whose cases are being made, if a team is given."""


def plausible_dates_of(team: Team | None) -> contextlib.AbstractContextManager[None]:
    """Within this block, cases made in this thread or task take ``team``'s plausible dates
    ([`Team.plausible_dates`][ettervern.Team.plausible_dates]) instead of the default window:
    their events are checked against them, now and as the cases are moved on. With ``None``
    (no team), the window in force stays."""
    return _KEPT if team is None else _Window(team.plausible_dates)


_KEPT = contextlib.nullcontext()
"""The block of ``plausible_dates_of(None)``: one object, as every referral without a team
opens one (a generator-based block cost a tenth of a referral)."""


class _Window(contextlib.AbstractContextManager[None]):
    """The block of ``plausible_dates_of(team)``: the team's window in force while it runs."""

    __slots__ = ("_token", "_window")

    def __init__(self, window: tuple[dt.date, dt.date]) -> None:
        self._window = window
        self._token: contextvars.Token[tuple[dt.date, dt.date] | None] | None = None

    def __enter__(self) -> None:
        self._token = _WINDOW.set(self._window)

    def __exit__(self, *_: object) -> None:
        if self._token is not None:
            _WINDOW.reset(self._token)
            self._token = None


def current_window() -> tuple[dt.date, dt.date]:
    window = _WINDOW.get()
    return default_window() if window is None else window


Facts = tuple[dt.date, type | None, bool, dt.date | None, bool]
"""What the rules read of a history (see ``facts_after``): the date of its last event, the
kind of its decision (``Acceptance``, ``Decline`` or ``None``), whether the person is inside,
the date of the closure in force (``None`` while open) and whether its check is recorded."""


@attrs.define
class History:
    """The state of a case after replaying its events (private, rebuilt on demand)."""

    referral: Referral
    decision: Acceptance | Decline | None = None
    stays: list[Stay] = attrs.Factory(list)
    closure: Closure | None = None
    """The closure in force (``None`` while open or after a reopening)."""
    check: ThreeMonthCheck | None = None
    """The check after the closure in force."""
    spans: list[tuple[dt.date, dt.date | None]] = attrs.Factory(list)
    """The periods the case was open: referral or reopening to closure or decline."""
    last: dt.date | None = None
    done: dict[str, dt.date] = attrs.Factory(dict)
    """The first date each task or step key was recorded done (see ``Case.done_on``)."""
    window: tuple[dt.date, dt.date] = attrs.Factory(default_window)
    """The plausible dates of the case's events: the team's, or the default window."""
    pending: tuple[Event, ...] | None = attrs.field(default=None, repr=False, eq=False)
    """The events of a state not built yet (see ``Unbuilt``); ``None`` once built."""
    facts: Facts | None = attrs.field(default=None, repr=False, eq=False)
    """What the rules read of a state not built yet (see ``facts_after``); ``None`` once built."""
    staff: list[str] = attrs.Factory(list)
    """The staff assigned and not released (open assignments; a closure does not release)."""
    waived: dict[str, tuple[dt.date, WaiverReason]] = attrs.Factory(dict)
    """The milestones waived, by key: when and why (a later reschedule lifts a waiver)."""
    moved: dict[str, dt.date] = attrs.Factory(dict)
    """The milestones rescheduled, by key: the day each is now due."""
    expected: dt.date | None = None
    """The expected discharge from the open stay, if recorded (reset by admission, discharge)."""
    consent: set[ConsentScope] = attrs.Factory(set)
    """The scopes of consent in force after the history."""
    open_goals: set[LifeDomain] = attrs.Factory(set)
    """The life domains with an open goal."""
    moved_to: Municipality | None = None
    """The municipality of the last move, if the person moved."""

    @property
    def open_stay(self) -> Stay | None:
        return self.stays[-1] if self.stays and self.stays[-1].is_open else None

    def copy(self) -> History:
        """A copy whose lists can be moved on without changing this one."""
        return History(
            self.referral,
            self.decision,
            list(self.stays),
            self.closure,
            self.check,
            list(self.spans),
            self.last,
            dict(self.done),
            self.window,
            staff=list(self.staff),
            waived=dict(self.waived),
            moved=dict(self.moved),
            expected=self.expected,
            consent=set(self.consent),
            open_goals=set(self.open_goals),
            moved_to=self.moved_to,
        )


RULES = {
    "first_event": N_("a case starts with its referral, and has only one"),
    "before_referral": N_("no event can come before the referral on {referred}"),
    "out_of_order": N_("events are recorded in date order; the latest is on {last}"),
    "after_decline": N_(
        "the referral was declined on {declined}; a declined referral takes no further events"
    ),
    "accept_after_decline": N_(
        "the referral was declined on {declined}; it cannot also be accepted"
    ),
    "decided_twice": N_("the team already accepted the case on {accepted}"),
    "two_open_stays": N_(
        "the person is already inside since {admitted}; discharge them before a new admission"
    ),
    "no_open_stay": N_("there is no open stay to discharge from; record the admission first"),
    "discharge_before_admission": N_(
        "the open stay began on {admitted}; discharge cannot come before admission"
    ),
    "after_closure": N_(
        "the case was closed on {closed}; only the three-month check, a reopening or the "
        "closure report and evaluation form can follow"
    ),
    "closure_in_institution": N_(
        "the person is in an institution since {admitted}; discharge them before closing"
    ),
    "reopen_while_open": N_("only a closed case can be reopened"),
    "check_before_closure": N_(
        "the three-month check comes after closure, and the case is not closed"
    ),
    "check_twice": N_(
        "the three-month check after the closure on {closed} was already recorded on {checked}"
    ),
    "implausible_date": N_(
        "the date lies outside the plausible dates, {earliest} to {latest} (a typing error?)"
    ),
    "completed_without_acceptance": N_(
        "a case can be closed as completed only after it was accepted; close a referral that "
        "never became a case with another reason, such as withdrew"
    ),
    "check_out_of_window": N_(
        "the three-month check comes between one month and one year after the closure on {closed}"
    ),
    "reopen_on_closure_day": N_(
        "the case was closed on {closed}; a reopening comes on a later day"
    ),
    "reopen_without_acceptance": N_(
        "only an accepted case can be reopened; refer the person again instead"
    ),
    "unknown_task": N_(
        "{task!r} is not a task of this case; the known tasks are {known!r} (pass the team or "
        "template whose step it is)"
    ),
    "release_unassigned": N_("{staff!r} is not assigned to the case, so cannot be released"),
    "assigned_twice": N_("{staff!r} is already assigned to the case"),
    "report_before_closure": N_(
        "the closure report is written on closure, and the case is not closed"
    ),
    "evaluation_without_acceptance": N_(
        "the evaluation form is given to a person whose case was accepted, and this referral "
        "was never accepted"
    ),
    "rescheduled_to_past": N_("a milestone can be moved to {on} or later, not to {to}"),
    "expected_before_record": N_(
        "the discharge cannot be expected on {expected}, before the day it is recorded"
    ),
    "consent_in_force": N_("consent for {scope} is in force already"),
    "consent_not_given": N_("there is no consent for {scope} in force to withdraw"),
    "goal_open": N_("the goal in {domain} is still open; review it before setting another"),
    "goal_not_set": N_("there is no open goal in {domain} to review"),
    "goal_due_before_set": N_("a goal cannot be due on {due}, before the day it is set"),
    "move_to_same": N_("the person lives in {municipality} already"),
    "no_stay_to_expect": N_(
        "there is no open stay whose discharge could be expected; record the admission first"
    ),
    "birth_year": N_(
        "birth year {birth_year} cannot be after the referral on {referred} or more than "
        "{most} years before it"
    ),
}
"""The rules a history must keep, by their stable key
([`PathwayError.rule`][ettervern.errors.PathwayError])."""


def describe_event(event: Event) -> Message:
    return Message("the {event} on {date}", event=Label(event.tag, "event"), date=event.on)


def refuse(code: CaseCode, event: Event, rule: str, **values: object) -> PathwayError:
    msg = Message(
        "case {case}: cannot record {event}: {reason} (rule {rule!r})",
        case=code,
        event=describe_event(event),
        reason=Message(RULES[rule], **values),
        rule=rule,
    )
    return PathwayError(msg, case=code, event=event, rule=rule)


CLOSURE_TASKS = frozenset({"closure_report", "evaluation_form"})
"""Tasks that may be recorded after closure: the closure's own paperwork."""
AFTER_CLOSURE_KEYS = CLOSURE_TASKS | {"three_month_check"}
"""Milestones that may be waived or rescheduled after closure: the paperwork and the check."""


OLDEST_AGE = 120
"""The most years a birth year may lie before the referral."""
CHECK_WINDOW = (relativedelta(months=1), relativedelta(years=1))
"""When the three-month check may be recorded, after the closure: a month to a year."""


def _within(day: dt.date, window: tuple[dt.date, dt.date]) -> bool:
    return window[0] <= day <= window[1]


@functools.lru_cache(maxsize=8192)
def _check_window(closed: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the three-month check after a closure on ``closed``
    (remembered: many cases close on the same days)."""
    low: dt.date = closed + CHECK_WINDOW[0]
    high: dt.date = closed + CHECK_WINDOW[1]
    return low, high


def _broken_rule(state: History, event: Event) -> str | None:  # noqa: PLR0911 - a return per rule
    """The first rule ``event`` breaks after the history in ``state``, or ``None``.

    The rules are tested in a fixed order, so that an event breaking several is refused for
    the same one every time; plain tests in a row, as this runs once for every event recorded.
    """
    if isinstance(event, Referral):
        return "first_event"
    on = event.on
    if not _within(on, state.window):
        return "implausible_date"
    if on < state.referral.on:
        return "before_referral"
    decision = state.decision
    if isinstance(decision, Decline):
        return "accept_after_decline" if isinstance(event, Acceptance) else "after_decline"
    closure = state.closure
    if (
        closure is not None
        and not isinstance(event, ThreeMonthCheck | Reopening)
        and not (isinstance(event, TaskDone) and event.task in CLOSURE_TASKS)
        and not (isinstance(event, Waived | Rescheduled) and event.task in AFTER_CLOSURE_KEYS)
        and not isinstance(event, ConsentWithdrawn)
    ):
        return "after_closure"
    rule = _broken_by_kind(state, event)
    if rule is not None:
        return rule
    last = state.last
    if last is not None and on < last:
        return "out_of_order"
    return _implausible_history(state, event)


def _implausible_history(state: History, event: Event) -> str | None:
    """The rules of issue 13: histories possible in form but not in fact."""
    accepted = isinstance(state.decision, Acceptance)
    closure = state.closure
    if isinstance(event, Closure) and event.reason is ClosureReason.COMPLETED and not accepted:
        return "completed_without_acceptance"
    if (
        isinstance(event, ThreeMonthCheck)
        and closure is not None
        and not _within(event.on, _check_window(closure.on))
    ):
        return "check_out_of_window"
    if isinstance(event, Reopening):
        if closure is not None and event.on == closure.on:
            return "reopen_on_closure_day"
        if not accepted:
            return "reopen_without_acceptance"
    return None


def _broken_by_kind(state: History, event: Event) -> str | None:
    """The rule only an event of this kind can break (a decision, a stay, a closure, a check)."""
    for kind in type(event).__mro__:
        rule = _KIND_RULES.get(kind)
        if rule is not None:
            return rule(state, event)
    return None


def _assign_rule(state: History, event: Any) -> str | None:
    return "assigned_twice" if event.staff in state.staff else None


def _release_rule(state: History, event: Any) -> str | None:
    return "release_unassigned" if event.staff not in state.staff else None


def _task_rule(state: History, event: Any) -> str | None:
    if event.task == "closure_report" and state.closure is None:
        return "report_before_closure"
    if event.task == "evaluation_form" and not isinstance(state.decision, Acceptance):
        return "evaluation_without_acceptance"
    return None


def _reschedule_rule(_: History, event: Any) -> str | None:
    return "rescheduled_to_past" if event.to < event.on else None


def _expect_rule(state: History, event: Any) -> str | None:
    if state.open_stay is None:
        return "no_stay_to_expect"
    return "expected_before_record" if event.expected < event.on else None


def _consent_rule(state: History, event: Any) -> str | None:
    given = isinstance(event, ConsentGiven)
    if given and event.scope in state.consent:
        return "consent_in_force"
    return None if given or event.scope in state.consent else "consent_not_given"


def _goal_set_rule(state: History, event: Any) -> str | None:
    if event.domain in state.open_goals:
        return "goal_open"
    return "goal_due_before_set" if event.due < event.on else None


def _goal_review_rule(state: History, event: Any) -> str | None:
    return None if event.domain in state.open_goals else "goal_not_set"


def _move_rule(state: History, event: Any) -> str | None:
    return "move_to_same" if event.municipality == state.moved_to else None


def _decided_twice(state: History, _: Event) -> str | None:
    return "decided_twice" if state.decision is not None else None


def _admission_rule(state: History, _: Event) -> str | None:
    return "two_open_stays" if state.open_stay is not None else None


def _discharge_rule(state: History, event: Event) -> str | None:
    open_stay = state.open_stay
    if open_stay is None:
        return "no_open_stay"
    return "discharge_before_admission" if event.on < open_stay.admitted else None


def _closure_rule(state: History, event: Any) -> str | None:
    if state.open_stay is not None:
        return "closure_in_institution"
    if event.evaluation_given and not isinstance(state.decision, Acceptance):
        return "evaluation_without_acceptance"
    return None


def _reopening_rule(state: History, _: Event) -> str | None:
    return "reopen_while_open" if state.closure is None else None


def _check_rule(state: History, _: Event) -> str | None:
    if state.closure is None:
        return "check_before_closure"
    return "check_twice" if state.check is not None else None


_KIND_RULES: dict[type, Callable[[History, Event], str | None]] = {
    Acceptance: _decided_twice,
    Decline: _decided_twice,
    Admission: _admission_rule,
    Discharge: _discharge_rule,
    Closure: _closure_rule,
    Reopening: _reopening_rule,
    ThreeMonthCheck: _check_rule,
    StaffAssigned: _assign_rule,
    StaffReleased: _release_rule,
    TaskDone: _task_rule,
    Rescheduled: _reschedule_rule,
    DischargeExpected: _expect_rule,
    ConsentGiven: _consent_rule,
    ConsentWithdrawn: _consent_rule,
    GoalSet: _goal_set_rule,
    GoalReviewed: _goal_review_rule,
    Moved: _move_rule,
}
"""The rules that only one kind of event can break, by the kind."""


def check_event(code: CaseCode, state: History, event: Event) -> None:
    """Raise [`PathwayError`][ettervern.errors.PathwayError] if ``event`` cannot follow the history
    in ``state``."""
    rule = _broken_rule(state, event)
    if rule is None:
        return
    open_stay, decision = state.open_stay, state.decision
    earliest, latest = state.window
    context = {
        "earliest": earliest,
        "latest": latest,
        "referred": state.referral.on,
        "last": state.last,
        "closed": None if state.closure is None else state.closure.on,
        "checked": None if state.check is None else state.check.on,
        "admitted": None if open_stay is None else open_stay.admitted,
        "declined": decision.on if isinstance(decision, Decline) else None,
        "accepted": decision.on if isinstance(decision, Acceptance) else None,
        "on": event.on,
        # the values of the event some rules name (issue 32)
        **{name: getattr(event, name, None) for name in ("staff", "to", "expected", "task")},
        **_fact_context(event),
    }
    raise refuse(code, event, rule, **context)


def apply_event(state: History, event: Event) -> None:
    """Move ``state`` on by ``event``, which the rules allow after it."""
    kind = type(event)
    move = _MOVES.get(kind)
    if move is None and kind not in _FREE_KINDS:  # a subclass of a kind: its nearest kind's
        move = next((_MOVES[k] for k in kind.__mro__ if k in _MOVES), None)
    if move is not None:
        move(state, event)
    state.last = event.on


def _fact_context(event: Event) -> dict[str, object]:
    """The values of a consent, goal or move event its rules name, as the reader reads them."""
    context: dict[str, object] = {"due": getattr(event, "due", None)}
    for name in ("scope", "domain"):
        value = getattr(event, name, None)
        context[name] = None if value is None else Label(value.value, name)
    place = getattr(event, "municipality", None)
    context["municipality"] = None if place is None else place.name
    return context


def _consent_moved(state: History, event: Any) -> None:
    if isinstance(event, ConsentGiven):
        state.consent.add(event.scope)
    else:
        state.consent.discard(event.scope)


def _goal_moved(state: History, event: Any) -> None:
    if isinstance(event, GoalSet):
        state.open_goals.add(event.domain)
    else:
        state.open_goals.discard(event.domain)


def _move_moved(state: History, event: Any) -> None:
    state.moved_to = event.municipality


def _decided(state: History, event: Any) -> None:
    state.decision = event
    if isinstance(event, Decline):
        state.spans[-1] = (state.spans[-1][0], event.on)


def _admitted(state: History, event: Any) -> None:
    state.stays.append(_stay(event.kind, event.on, None))
    state.expected = None


def _discharged(state: History, event: Any) -> None:
    stay = state.stays[-1]
    state.stays[-1] = _stay(stay.kind, stay.admitted, event.on)
    state.expected = None


def _staff_assigned(state: History, event: Any) -> None:
    state.staff.append(event.staff)


def _staff_released(state: History, event: Any) -> None:
    state.staff.remove(event.staff)


def _waived(state: History, event: Any) -> None:
    state.waived[event.task] = (event.on, event.reason)


def _rescheduled(state: History, event: Any) -> None:
    state.moved[event.task] = event.to
    state.waived.pop(event.task, None)


def _expected(state: History, event: Any) -> None:
    state.expected = event.expected


def _closed(state: History, event: Any) -> None:
    state.closure, state.check = event, None
    state.spans[-1] = (state.spans[-1][0], event.on)
    if event.report_delivered:
        state.done.setdefault("closure_report", event.on)
    if event.evaluation_given:
        state.done.setdefault("evaluation_form", event.on)


def _reopened(state: History, event: Any) -> None:
    state.closure = state.check = None
    state.spans.append((event.on, None))


def _checked(state: History, event: Any) -> None:
    state.check = event


def _task_done(state: History, event: Any) -> None:
    state.done.setdefault(event.task, event.on)


def _step_started(state: History, event: Any) -> None:
    state.done.setdefault(event.step, event.on)


_MOVES: dict[type, Callable[[History, Any], None]] = {
    Acceptance: _decided,
    Decline: _decided,
    Admission: _admitted,
    Discharge: _discharged,
    Closure: _closed,
    Reopening: _reopened,
    ThreeMonthCheck: _checked,
    TaskDone: _task_done,
    StepStarted: _step_started,
    StaffAssigned: _staff_assigned,
    StaffReleased: _staff_released,
    Waived: _waived,
    Rescheduled: _rescheduled,
    DischargeExpected: _expected,
    ConsentGiven: _consent_moved,
    ConsentWithdrawn: _consent_moved,
    GoalSet: _goal_moved,
    GoalReviewed: _goal_moved,
    Moved: _move_moved,
}
"""How each kind of event moves the state on (the others only move its last date)."""


def _stay(kind: Any, admitted: dt.date, discharged: dt.date | None) -> Stay:
    """A ``Stay`` of values the rules have checked, made without the boundary check of its
    public constructor (the state is often built outside any checked call: when first read)."""
    stay = object.__new__(Stay)
    _set_kind(stay, kind)
    _set_admitted(stay, admitted)
    _set_discharged(stay, discharged)
    return stay


def replay(
    code: CaseCode,
    events: Sequence[Event],
    until: dt.date | None = None,
    window: tuple[dt.date, dt.date] | None = None,
) -> History:
    """Check the history and return the state after it (after the events up to ``until``);
    ``window``: the plausible dates, else the team's in force or the default. For a history
    already checked, ``state_after`` builds the state alone."""
    if not events or not isinstance(events[0], Referral):
        first = events[0] if events else None
        rule = RULES["first_event"]
        msg = Message(
            "case {case}: cannot start with {what}: {reason} (rule {rule!r})",
            case=code,
            what=Message("no events") if first is None else describe_event(first),
            reason=Message(rule),
            rule="first_event",
        )
        raise PathwayError(msg, case=code, event=first, rule="first_event")
    referral = events[0]
    window = current_window() if window is None else window
    state = state_after(events[:1], window)  # the state after the referral alone
    if not _within(referral.on, window):
        raise refuse(code, referral, "implausible_date", earliest=window[0], latest=window[1])
    for event in events[1:]:
        if until is not None and event.on > until:
            break
        check_event(code, state, event)
        apply_event(state, event)
    return state


class Unbuilt(History):
    """The state of a history already checked, built when it is first read.

    Only the referral, the window, the events and what the rules read of them (``facts``) are
    set. Reading any other attribute finds its slot empty, so Python calls ``__getattr__``,
    which turns this object into a plain ``History`` and fills it in place by replaying the
    events (without checking them again): from then on a read costs what any attribute read
    costs. Cases read by the thousand are thus not replayed for a state no report asks about.
    The class shares ``History``'s slots, which is what lets the object change class.
    """

    __slots__ = ()

    def __getattr__(self, name: str) -> Any:
        events = self.pending
        if events is None or name.startswith("__"):
            raise AttributeError(name)
        window = self.window
        object.__setattr__(self, "__class__", History)
        _replayed_into(self, events, window, None)  # sets every slot, ``pending`` to None
        return getattr(self, name)

    def __reduce_ex__(self, protocol: Any) -> Any:  # pickle and copy take the built state
        _ = self.decision  # builds it, and this object becomes a History
        return History.__reduce_ex__(self, protocol)


def state_after(
    events: Sequence[Event], window: tuple[dt.date, dt.date], until: dt.date | None = None
) -> History:
    """The state after a checked history (after its events up to ``until``), built without
    checking it again: a part of a checked history is one too, as the rules look only back."""
    return _replayed_into(object.__new__(History), events, window, until)


def _replayed_into(
    state: History,
    events: Sequence[Event],
    window: tuple[dt.date, dt.date],
    until: dt.date | None,
) -> History:
    """``state``, a ``History`` whatever it held, set to the state after a checked history
    (``state_after``; an ``Unbuilt`` state is built in place this way)."""
    referral = events[0]
    History.__init__(
        state,
        referral=referral,  # type: ignore[arg-type] # a checked history starts with it
        spans=[(referral.on, None)],
        last=referral.on,
        window=window,
    )
    for event in events[1:]:
        if until is not None and event.on > until:
            break
        apply_event(state, event)
    return state


def unbuilt(events: tuple[Event, ...], window: tuple[dt.date, dt.date], facts: Facts) -> History:
    """The state after ``events``, a history checked against ``window`` that left ``facts``, to
    be built when first read (see ``Unbuilt``)."""
    state = object.__new__(Unbuilt)
    _set_referral(state, events[0])
    _set_window(state, window)
    _set_pending(state, events)
    _set_facts(state, facts)
    return state


_set_referral = slot_setter(History, "referral")
_set_window = slot_setter(History, "window")
_set_pending = slot_setter(History, "pending")
_set_facts = slot_setter(History, "facts")
_set_kind = slot_setter(Stay, "kind")
_set_admitted = slot_setter(Stay, "admitted")
_set_discharged = slot_setter(Stay, "discharged")


_FREE_KINDS = frozenset(
    {
        StepStarted,
        TaskDone,
        Assessment,
        StaffAssigned,
        StaffReleased,
        Waived,
        Rescheduled,
        DischargeExpected,
    }
)
"""The kinds of event that may come any time while a case is open, each kept to its own rules
(``_KIND_RULES``, ``_keeps_own_rule``) if it has any."""


def facts_after(
    events: Sequence[Event], window: tuple[dt.date, dt.date], start: Facts | None = None
) -> Facts | None:
    """What the rules read after the history ``events``, or ``None`` if it breaks a rule within
    the plausible dates ``window``, as ``replay`` would find (see ``facts_in_one_pass``).

    A whole history whose kinds of event all have rules that read no earlier values
    (``_PLANNED_KINDS``) is decided by its sequence of kinds, once per read of many cases
    (``_plan_of``), and then its dates and values alone (``_Plan.facts``): most cases of a
    register share a handful of sequences. Any other history, or one that follows ``start``,
    takes the one pass. A test draws random histories and holds the two to the same facts.
    """
    if start is None:
        kinds = tuple(map(type, events))
        plan = _PLANS.get(kinds) or _plan_of(kinds)
        if plan is not None:
            return plan.facts(events, window)
    return facts_in_one_pass(events, window, start)


def facts_in_one_pass(
    events: Sequence[Event], window: tuple[dt.date, dt.date], start: Facts | None = None
) -> Facts | None:
    """What the rules read after the history ``events``, or ``None`` if it breaks a rule within
    the plausible dates ``window``, as ``replay`` would find: one pass, no state built.

    With ``start``, ``events`` follow a checked history that left those facts (``Case.record``
    moves a case on one event this way); without it, they are a whole history from its
    referral. ``None`` too when an event is of a kind not listed here (a subclass, say):
    ``replay`` then decides and names the rule. A test draws random histories and holds the two
    to the same answer.
    """
    facts = start
    if facts is None:
        if not events or type(events[0]) is not Referral:
            return None
        facts = (events[0].on, None, False, None, False)
        if not window[0] <= facts[0] <= window[1]:
            return None
        events = events[1:]
        staff: list[str] | None = []
        held: _Held | None = _Held()
    else:
        staff = None  # not among the facts: a staff event is left to the built state
        held = None  # nor consent, goals and moves
    latest, ruled = window[1], _RULED_KINDS
    for event in events:
        on, kind = event.on, type(event)
        # In date order (so never before the referral, nor before the window), not after it,
        # and nothing after a decline; then the rule of its kind, open or closed.
        if on < facts[0] or on > latest or facts[1] is Decline:
            return None
        if kind in ruled and not _keeps_rules(event, facts, staff, held):
            return None
        step = (_WHILE_OPEN if facts[3] is None else _AFTER_CLOSURE).get(kind)
        found = None if step is None else step(event, on, facts)
        if found is None:
            return None
        facts = found
    return facts


def _on_decision(event: Event, on: dt.date, facts: Facts) -> Facts | None:
    """An acceptance or a decline: the first decision only."""
    return None if facts[1] is not None else (on, type(event), facts[2], None, facts[4])


def _on_admission(event: Event, on: dt.date, facts: Facts) -> Facts | None:
    """An admission: not while inside."""
    return None if facts[2] else (on, facts[1], True, None, facts[4])


def _on_discharge(event: Event, on: dt.date, facts: Facts) -> Facts | None:
    """A discharge: only while inside."""
    return (on, facts[1], False, None, facts[4]) if facts[2] else None


def _on_closure(event: Event, on: dt.date, facts: Facts) -> Facts | None:
    """A closure: not while inside, and *completed* only for an accepted case."""
    completed = event.reason is ClosureReason.COMPLETED  # type: ignore[union-attr]
    if facts[2] or (completed and facts[1] is not Acceptance):
        return None
    return (on, facts[1], False, on, False)


def _on_free_kind(event: Event, on: dt.date, facts: Facts) -> Facts | None:
    """An event no rule of its own concerns (open, so no closure in force)."""
    return (on, facts[1], facts[2], None, facts[4])


def _on_check(event: Event, on: dt.date, facts: Facts) -> Facts | None:
    """The three-month check after a closure: once, and in its window."""
    closed = facts[3]
    if closed is None or facts[4]:
        return None
    low, high = _check_window(closed)
    return (on, facts[1], facts[2], closed, True) if low <= on <= high else None


def _on_reopening(event: Event, on: dt.date, facts: Facts) -> Facts | None:
    """A reopening after a closure: of an accepted case, not on the closure's day."""
    if on == facts[3] or facts[1] is not Acceptance:
        return None
    return (on, facts[1], facts[2], None, facts[4])


def _on_closure_task(event: Event, on: dt.date, facts: Facts) -> Facts | None:
    """After a closure, of the tasks only the closure's paperwork."""
    if event.task not in CLOSURE_TASKS:  # type: ignore[union-attr]
        return None
    return (on, *facts[1:])


@attrs.define
class _Held:
    """What ``facts_after``'s pass keeps of consent, goals and moves, for their rules (the same
    as ``_consent_rule``, ``_goal_set_rule``, ``_goal_review_rule`` and ``_move_rule``)."""

    consent: set[ConsentScope] = attrs.Factory(set)
    open_goals: set[LifeDomain] = attrs.Factory(set)
    moved_to: Municipality | None = None

    def keeps(self, event: Any) -> bool:
        """Whether ``event`` keeps its rule after what is held; if so, hold it too."""
        kind = type(event)
        rule = _KIND_RULES[kind](self, event)  # type: ignore[arg-type] # reads the same names
        if rule is None:
            _MOVES[kind](self, event)  # type: ignore[arg-type] # moves the same names
        return rule is None


_FACT_KINDS = frozenset({ConsentGiven, ConsentWithdrawn, GoalSet, GoalReviewed, Moved})
"""The kinds of issue 32's facts: their rules read what ``_Held`` holds."""


def _keeps_rules(event: Event, facts: Facts, staff: list[str] | None, held: _Held | None) -> bool:
    """Whether ``event`` keeps the rules of its kind that ``facts_after`` checks in its pass;
    ``held`` is ``None`` when the pass starts from facts: the built state then decides."""
    kind = type(event)
    if kind in _OWN_RULE_KINDS:
        return _keeps_own_rule(event, facts, staff)
    return kind not in _FACT_KINDS or (held is not None and held.keeps(event))


def _on_closure_consent(event: Event, on: dt.date, facts: Facts) -> Facts | None:
    """After a closure, of the facts only a withdrawal of consent."""
    return (on, *facts[1:])


_Step = Callable[[Event, dt.date, Facts], "Facts | None"]

_WHILE_OPEN: dict[type, _Step] = {
    **dict.fromkeys(_FREE_KINDS | _FACT_KINDS, _on_free_kind),
    Acceptance: _on_decision,
    Decline: _on_decision,
    Admission: _on_admission,
    Discharge: _on_discharge,
    Closure: _on_closure,
}
"""The rule of each kind of event while the case is open: the facts after it, or ``None``. A
second referral, a check or a reopening while open, and a kind not listed here (a subclass,
say: ``replay`` then decides and names the rule), have none."""


def _on_closure_milestone(event: Event, on: dt.date, facts: Facts) -> Facts | None:
    """After a closure, a milestone waived or moved: only the paperwork and the check."""
    if event.task not in AFTER_CLOSURE_KEYS:  # type: ignore[union-attr]
        return None
    return (on, *facts[1:])


_AFTER_CLOSURE: dict[type, _Step] = {
    ThreeMonthCheck: _on_check,
    Reopening: _on_reopening,
    TaskDone: _on_closure_task,
    Waived: _on_closure_milestone,
    Rescheduled: _on_closure_milestone,
    ConsentWithdrawn: _on_closure_consent,
}
"""The rule of each kind of event once the case is closed."""


_OWN_RULE_KINDS = frozenset(
    {TaskDone, Closure, Rescheduled, DischargeExpected, StaffAssigned, StaffReleased}
)
"""The kinds ``_keeps_own_rule`` checks in the one pass (the rules of ``_KIND_RULES`` that
issue 32 added)."""
_RULED_KINDS = _OWN_RULE_KINDS | _FACT_KINDS
"""The kinds ``_keeps_rules`` has a rule for: ``facts_after`` asks it about these only (it
answers yes for any other kind, and most events of a history are of another kind)."""


def _keeps_own_rule(  # noqa: PLR0911 - a return per rule
    event: Any, facts: Facts, staff: list[str] | None
) -> bool:
    """Whether ``event`` keeps its kind's rule of issue 32 in ``facts_after``'s pass (the same
    rules as ``_task_rule``, ``_closure_rule``, ``_reschedule_rule``, ``_expect_rule``,
    ``_assign_rule`` and ``_release_rule``) after ``facts``; moves ``staff`` on. ``staff`` is ``None`` when the
    pass starts from facts, which do not hold the staff: the built state then decides."""
    kind, decision, inside, closed = type(event), facts[1], facts[2], facts[3]
    if kind is TaskDone:
        if event.task == "closure_report" and closed is None:
            return False
        return not (event.task == "evaluation_form" and decision is not Acceptance)
    if kind is Closure:
        return not (event.evaluation_given and decision is not Acceptance)
    if kind is Rescheduled:
        return bool(event.to >= event.on)
    if kind is DischargeExpected:
        return inside and event.expected >= event.on
    if staff is None:
        return False
    if kind is StaffAssigned:
        if event.staff in staff:
            return False
        staff.append(event.staff)
        return True
    if event.staff not in staff:  # a release
        return False
    staff.remove(event.staff)
    return True


_PLANNED_KINDS = frozenset(
    {Referral, Acceptance, Decline, Admission, Discharge, Closure, ThreeMonthCheck, Reopening}
) | (_FREE_KINDS - {StaffAssigned, StaffReleased})
"""The kinds of event whose rules read the event and the facts only: a history of these kinds
alone is decided by its sequence of kinds once, then by its dates and values (``_Plan``). Staff,
consent, goals and moves are held by name, and their histories take the one pass."""

_Kinds = tuple[type | None, bool, int | None, bool]
"""The facts as the kinds alone leave them (``Facts`` without the dates): the kind of the
decision, whether inside, the index of the closure in force and whether its check came."""

_KIND_STEPS: dict[_Step, Callable[[_Kinds, type, int], _Kinds | None]] = {
    _on_decision: lambda s, kind, _: None if s[0] is not None else (kind, *s[1:]),
    _on_admission: lambda s, *_: None if s[1] else (s[0], True, s[2], s[3]),
    _on_discharge: lambda s, *_: (s[0], False, s[2], s[3]) if s[1] else None,
    _on_closure: lambda s, _, index: None if s[1] else (s[0], False, index, False),
    _on_free_kind: lambda s, *_: s,
    _on_check: lambda s, *_: None if s[3] else (s[0], s[1], s[2], True),
    _on_reopening: lambda s, *_: (s[0], s[1], None, s[3]) if s[0] is Acceptance else None,
    _on_closure_task: lambda s, *_: s,
    _on_closure_milestone: lambda s, *_: s,
}
"""Each rule of ``_WHILE_OPEN`` and ``_AFTER_CLOSURE`` on the kinds alone: the same facts
after it as the rule gives (the closure by its index), or ``None`` when the kinds break it."""

_Keeps = Callable[[Any, list[dt.date], int, "int | None"], bool]
"""The rule of an event that reads its values, given the event, the dates of its history, its
index and the index of the closure in force (``None`` while open)."""


def _never(*_: object) -> bool:
    return False


def _closure_keeps(event: Any, *_: object) -> bool:
    """A closure of a case not accepted: not as completed, and with no evaluation given
    (``_on_closure``, ``_keeps_own_rule``; for an accepted case the kinds decide)."""
    return event.reason is not ClosureReason.COMPLETED and not event.evaluation_given


def _check_keeps(_: Any, days: list[dt.date], index: int, closed_at: int | None) -> bool:
    """The three-month check within its window after the closure (``_on_check``)."""
    low, high = _check_window(days[closed_at])  # type: ignore[index] # after a closure
    return low <= days[index] <= high


def _reopening_keeps(_: Any, days: list[dt.date], index: int, closed_at: int | None) -> bool:
    """A reopening not on the closure's day (``_on_reopening``)."""
    return days[index] != days[closed_at]  # type: ignore[index] # after a closure


_VALUE_RULES: dict[tuple[type, bool], Callable[[_Kinds], _Keeps | None]] = {
    (Closure, False): lambda s: None if s[0] is Acceptance else _closure_keeps,
    (TaskDone, False): lambda s: (
        (lambda e, *_: e.task != "closure_report")
        if s[0] is Acceptance
        else (lambda e, *_: e.task not in CLOSURE_TASKS)
    ),
    (Rescheduled, False): lambda _: lambda e, *_: e.to >= e.on,
    (DischargeExpected, False): lambda s: (lambda e, *_: e.expected >= e.on) if s[1] else _never,
    (ThreeMonthCheck, True): lambda _: _check_keeps,
    (Reopening, True): lambda _: _reopening_keeps,
    (TaskDone, True): lambda s: (
        (lambda e, *_: e.task in CLOSURE_TASKS)
        if s[0] is Acceptance
        else (lambda e, *_: e.task == "closure_report")
    ),
    (Waived, True): lambda _: lambda e, *_: e.task in AFTER_CLOSURE_KEYS,
    (Rescheduled, True): lambda _: lambda e, *_: e.to >= e.on and e.task in AFTER_CLOSURE_KEYS,
}
"""The rules that read an event's values (``_keeps_own_rule`` and the rules of
``_WHILE_OPEN`` and ``_AFTER_CLOSURE``), by kind and whether a closure is in force, as the
kinds before the event leave them to read: ``None`` when the kinds decide alone."""

_day = operator.attrgetter("on")


@attrs.frozen
class _Plan:
    """What a sequence of kinds of event leaves to be checked in each history of it: its dates
    in order and within the plausible dates, and the rules that read the values of the events
    in ``checks`` (index, index of the closure in force, rule). ``refused``: the kinds alone
    break a rule."""

    checks: tuple[tuple[int, int | None, _Keeps], ...]
    after: _Kinds
    refused: bool = False

    def facts(self, events: Sequence[Event], window: tuple[dt.date, dt.date]) -> Facts | None:
        """``facts_in_one_pass(events, window)`` for a history of this plan's kinds."""
        if self.refused:
            return None
        days = list(map(_day, events))
        if days[0] < window[0] or days[-1] > window[1] or days != sorted(days):
            return None
        for index, closed_at, keeps in self.checks:
            if not keeps(events[index], days, index, closed_at):
                return None
        decision, inside, closed_at, checked = self.after
        return (days[-1], decision, inside, None if closed_at is None else days[closed_at], checked)


_REFUSED = _Plan((), (None, False, None, False), refused=True)

_PLANS: dict[tuple[type, ...], _Plan | None] = {}
"""The plan of each sequence of kinds met (``None``: the one pass decides it)."""

_MAX_PLANS = 4096
"""The sequences remembered at most; one more takes the one pass (a plan holds a few tuples)."""


def _plan_of(kinds: tuple[type, ...]) -> _Plan | None:
    """The plan of the sequence ``kinds``, made when first met, or ``None`` for the one pass."""
    try:
        return _PLANS[kinds]
    except KeyError:
        if len(_PLANS) >= _MAX_PLANS:
            return None
    plan = _PLANS[kinds] = _planned(kinds)
    return plan


def _planned(kinds: tuple[type, ...]) -> _Plan | None:
    """The plan of ``kinds`` (see ``_Plan``), or ``None`` when a kind is not planned."""
    if not kinds or kinds[0] is not Referral or not _PLANNED_KINDS.issuperset(kinds):
        return None
    state: _Kinds = (None, False, None, False)
    checks: list[tuple[int, int | None, _Keeps]] = []
    for index, kind in enumerate(kinds[1:], 1):
        table = _WHILE_OPEN if state[2] is None else _AFTER_CLOSURE
        step = None if state[0] is Decline else table.get(kind)
        if step is None:
            return _REFUSED
        rule = _VALUE_RULES.get((kind, state[2] is not None))
        keeps = None if rule is None else rule(state)
        if keeps is not None:
            checks.append((index, state[2], keeps))
        after = _KIND_STEPS[step](state, kind, index)
        if after is None:
            return _REFUSED
        state = after
    return _Plan(tuple(checks), state)
