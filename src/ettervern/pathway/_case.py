"""The care pathway (forløpet): a case is its dated events, from referral to the three-month check.

A [`Case`][ettervern.Case] never overwrites anything: each method that records something returns a
new case with one more event, and every state can be asked for at any date. A case built from
stored data has its whole history checked once; each event recorded later is checked against the
state so far, so both obey the same rules and recording stays cheap however long the history.
The pathway follows the Salten team's report (seed ``000_…``) and ``DOMAIN.md`` §2.
"""

from __future__ import annotations

import bisect
import contextlib
import contextvars
import datetime as dt
import enum
import functools
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any, ClassVar

import attrs
from dateutil.relativedelta import relativedelta

from ettervern.core import (
    AssessmentPoint,
    CaseCode,
    LifeDomain,
    Municipality,
    Outcome,
    Team,
    check_field,
    domain_change,
    enum_member,
    field_rule,
    register,
    ten_years_ahead,
)
from ettervern.errors import InvalidValueError, PathwayError, UnknownMunicipalityError
from ettervern.l10n import N_, Label, Message
from ettervern.pathway._person import check_person
from ettervern.pathway._staffing import Assignment, StaffAssigned, StaffReleased, assignments

__all__ = [
    "AGE_BANDS",
    "EVENT_TYPES",
    "Acceptance",
    "Admission",
    "Assessment",
    "Case",
    "Closure",
    "ClosureReason",
    "Decline",
    "Discharge",
    "Event",
    "Gender",
    "Phase",
    "Referral",
    "ReferralSource",
    "Reopening",
    "ServiceKind",
    "Stay",
    "StayKind",
    "StepStarted",
    "TakeOver",
    "TaskDone",
    "ThreeMonthCheck",
    "age_band",
    "default_window",
    "plausible_dates_of",
]

THREE_MONTHS = relativedelta(months=3)
"""The wait between closure and the check (seed ``000_…``); 30 Nov + 3 months = 28 Feb."""


@functools.lru_cache(maxsize=8192)
def three_months_after(day: dt.date) -> dt.date:
    """``day`` plus three calendar months (30 Nov → 28 Feb): when the check after a closure on
    ``day`` is due. Remembered, as many cases close on the same days."""
    result: dt.date = day + THREE_MONTHS
    return result


class ReferralSource(enum.StrEnum):
    """Who referred the person or asked for aftercare (henvisende instans)."""

    PERSON = "person"
    """The person themselves (Sandnes: 55 % of first contacts)."""
    RELATIVES = "relatives"
    """Relatives (pårørende)."""
    GP = "gp"
    """The general practitioner (fastlege)."""
    NAV = "nav"
    """The labour and welfare service."""
    MUNICIPAL_SERVICE = "municipal_service"
    """A municipal service (kommunal tjeneste)."""
    INSTITUTION = "institution"
    """A treatment institution, ward or DPS."""
    CORRECTIONAL_SERVICE = "correctional_service"
    """The correctional service (kriminalomsorgen)."""
    OTHER = "other"


class StayKind(enum.StrEnum):
    """The kind of institution stay (institusjonsopphold)."""

    TREATMENT = "treatment"
    """Substance-use treatment (TSB, rusbehandling)."""
    MENTAL_HEALTH = "mental_health"
    """A psychiatric ward or DPS."""
    PRISON = "prison"
    """Serving a sentence (soning)."""
    USER_CONTROLLED = "user_controlled"
    """A user-controlled short admission (brukerstyrt plass), 5-7 days (seed ``003_…``)."""
    OTHER = "other"


class ClosureReason(enum.StrEnum):
    """Why a case or referral ended (årsak til avslutning)."""

    COMPLETED = "completed"
    """Follow-up done and handed over."""
    WITHDREW = "withdrew"
    """The person withdrew (trakk seg)."""
    NO_SHOW = "no_show"
    """The person stopped showing up."""
    MOVED = "moved"
    """The person moved away."""
    LONG_TERM_TREATMENT = "long_term_treatment"
    """The person went on to a long stay in treatment."""
    ABORTED = "aborted"
    """The course was broken off before it was complete (avbrutt; Sandnes, seed ``004_…``)."""
    OTHER = "other"


class Phase(enum.StrEnum):
    """Where a case stands on a date; see [`Case.phase_on()`][ettervern.Case.phase_on]."""

    NOT_REFERRED = "not_referred"
    """Before the referral date."""
    REFERRED = "referred"
    """Referred, not declined, not (yet) accepted, and not in an institution."""
    DECLINED = "declined"
    """The team declined the referral."""
    IN_INSTITUTION = "in_institution"
    """In a stay (admitted on or before the date, not yet discharged), accepted or not."""
    FOLLOW_UP = "follow_up"
    """Accepted, out of institution and not closed: follow-up proper."""
    CLOSED = "closed"
    """Closed (and not reopened); the three-month check belongs here."""


def _kind(value: StayKind | str) -> StayKind:
    return enum_member(StayKind, "kind", value)


def _reason(value: ClosureReason | str) -> ClosureReason:
    return enum_member(ClosureReason, "reason", value)


def _source(value: ReferralSource | str | None) -> ReferralSource | None:
    return None if value is None else enum_member(ReferralSource, "source", value)


_KEY = re.compile(r"[a-z][a-z0-9_]{0,47}")
"""A step's or task's key: a lower-case identifier (``closure_report``), never free text."""

_key = field_rule(
    lambda value: isinstance(value, str) and bool(_KEY.fullmatch(value)),
    "{field} must be a key of lower-case letters, digits and _ such as {example!r}, got {value!r}",
    example="mapping",
)
_date = field_rule(
    lambda value: isinstance(value, dt.date) and not isinstance(value, dt.datetime),
    "{field} must be a datetime.date, got {value!r}",
)


@attrs.frozen(kw_only=True)
class Referral:
    """The referral or request (henvisning) that opens a case."""

    tag: ClassVar[str] = "referral"
    on: dt.date = attrs.field(validator=_date)
    source: ReferralSource | None = attrs.field(default=None, converter=_source)
    """Who referred; ``None`` when not recorded."""


@attrs.frozen(kw_only=True)
class Acceptance:
    """The team takes the referral on: from now on it is a case (sak)."""

    tag: ClassVar[str] = "acceptance"
    on: dt.date = attrs.field(validator=_date)


@attrs.frozen(kw_only=True)
class Decline:
    """The team declines the referral (avslag); a declined referral takes no further events."""

    tag: ClassVar[str] = "decline"
    on: dt.date = attrs.field(validator=_date)


@attrs.frozen(kw_only=True)
class Admission:
    """Admission to an institution, or imprisonment (innleggelse, innsettelse)."""

    tag: ClassVar[str] = "admission"
    on: dt.date = attrs.field(validator=_date)
    kind: StayKind = attrs.field(converter=_kind)


@attrs.frozen(kw_only=True)
class Discharge:
    """Discharge or release (utskrivelse, løslatelse) from the open stay."""

    tag: ClassVar[str] = "discharge"
    on: dt.date = attrs.field(validator=_date)


@attrs.frozen(kw_only=True)
class StepStarted:
    """An inner phase of follow-up begins, by the key of a pathway template's step."""

    tag: ClassVar[str] = "step"
    on: dt.date = attrs.field(validator=_date)
    step: str = attrs.field(validator=_key)


@attrs.frozen(kw_only=True)
class TaskDone:
    """A task is done: ``"individual_plan"``, ``"crisis_plan"``, ``"handover_meeting"``,
    ``"closure_report"``, ``"evaluation_form"``, or a template step's key."""

    tag: ClassVar[str] = "task"
    on: dt.date = attrs.field(validator=_date)
    task: str = attrs.field(validator=_key)


@attrs.frozen(kw_only=True)
class Assessment:
    """Life domains scored during the case; the first one is the intake assessment."""

    tag: ClassVar[str] = "assessment"
    on: dt.date = attrs.field(validator=_date)
    outcome: Outcome


class ServiceKind(enum.StrEnum):
    """The kind of service that takes over a person's follow-up when a case closes."""

    MENTAL_HEALTH_AND_SUBSTANCE_USE = "mental_health_and_substance_use"
    """The municipality's mental health and substance use service (rus og psykisk helse)."""
    NAV = "nav"
    """The labour and welfare office (NAV)."""
    GENERAL_PRACTITIONER = "general_practitioner"
    """The person's GP (fastlege)."""
    SPECIALIST_HEALTH_SERVICE = "specialist_health_service"
    """The specialist health service (spesialisthelsetjenesten)."""
    HOUSING = "housing"
    """The municipality's housing service (boligtjenesten)."""
    HOME_CARE = "home_care"
    """Home-based services (hjemmetjenesten)."""
    CHILD_WELFARE = "child_welfare"
    """The child welfare service (barnevernet), for young people."""
    OTHER = "other"
    """Another municipal service."""


_SERVICE_NAMES = {
    "rus og psykisk helse": ServiceKind.MENTAL_HEALTH_AND_SUBSTANCE_USE,
    "psykisk helse og rus": ServiceKind.MENTAL_HEALTH_AND_SUBSTANCE_USE,
    "kommunal rus- og psykisk helsetjeneste": ServiceKind.MENTAL_HEALTH_AND_SUBSTANCE_USE,
    "fastlege": ServiceKind.GENERAL_PRACTITIONER,
}
"""Service names that case files of schema version 1 held as text, read as their kind."""


def _service(value: str) -> ServiceKind:  # a ServiceKind is a str
    if isinstance(value, str) and value.strip().casefold() in _SERVICE_NAMES:
        return _SERVICE_NAMES[value.strip().casefold()]
    if isinstance(value, str) and value.strip().casefold() in {kind.value for kind in ServiceKind}:
        return ServiceKind(value.strip().casefold())
    # Not repeated: text here is free text, which may hold a name or a phone number.
    msg = Message(
        "service must be one of {keys!r}; free text is not stored",
        keys=[kind.value for kind in ServiceKind],
    )
    raise InvalidValueError(msg, field="service", value=None)


def _optional_municipality(value: Municipality | str | None) -> Municipality | None:
    return None if value is None else _municipality(value)


@attrs.frozen(kw_only=True)
class TakeOver:
    """Who takes over the follow-up when a case closes: a kind of service, and the municipality
    that runs it (``None``: the case's own municipality). Structured on purpose: a free-text
    field invites names and phone numbers."""

    service: ServiceKind = attrs.field(converter=_service)
    municipality: Municipality | None = attrs.field(default=None, converter=_optional_municipality)


def _take_over(value: TakeOver | str | None) -> TakeOver | None:  # a ServiceKind is a str
    if value is None or isinstance(value, TakeOver):
        return value
    return TakeOver(service=value)


@attrs.frozen(kw_only=True)
class Closure:
    """Closure (avslutning) of a case, or of a referral that never became one."""

    tag: ClassVar[str] = "closure"
    on: dt.date = attrs.field(validator=_date)
    reason: ClosureReason = attrs.field(converter=_reason)
    report_delivered: bool = False
    """The closure report (avslutningsrapport) was delivered to the municipality on closure."""
    evaluation_given: bool = False
    """The person was given the evaluation form (evalueringsskjema) on closure."""
    taken_over_by: TakeOver | None = attrs.field(default=None, converter=_take_over)
    """The service that takes over the follow-up, if any: a ``TakeOver``, or just its
    ``ServiceKind`` (in the case's own municipality)."""
    outcome: Outcome | None = None
    """The life domains scored at closure."""


@attrs.frozen(kw_only=True)
class Reopening:
    """An explicit reopening of a closed case."""

    tag: ClassVar[str] = "reopening"
    on: dt.date = attrs.field(validator=_date)


def _check_outcome(instance: ThreeMonthCheck, _: attrs.Attribute[Any], value: object) -> None:
    if value is not None and not instance.reached:
        msg = Message("a three-month check that did not reach the person cannot have an outcome")
        raise InvalidValueError(msg, field="outcome", value=value)


@attrs.frozen(kw_only=True)
class ThreeMonthCheck:
    """The contact three months after closure: was the person reached, and did change last."""

    tag: ClassVar[str] = "three_month_check"
    on: dt.date = attrs.field(validator=_date)
    reached: bool
    """Whether the team got in touch with the person."""
    outcome: Outcome | None = attrs.field(default=None, validator=_check_outcome)


Event = (
    Referral
    | Acceptance
    | Decline
    | Admission
    | Discharge
    | StepStarted
    | TaskDone
    | Assessment
    | Closure
    | Reopening
    | ThreeMonthCheck
    | StaffAssigned
    | StaffReleased
)
"""Every kind of event a case is made of."""

EVENT_TYPES: tuple[type[Event], ...] = (
    Referral,
    Acceptance,
    Decline,
    Admission,
    Discharge,
    StepStarted,
    TaskDone,
    Assessment,
    Closure,
    Reopening,
    ThreeMonthCheck,
    StaffAssigned,
    StaffReleased,
)


@attrs.frozen
class Stay:
    """An institution stay (institusjonsopphold) or prison term (soning) during a case.

    ``discharged`` is ``None`` while the stay is open. The person is inside from the admission
    day up to, not including, the discharge day.
    """

    kind: StayKind
    admitted: dt.date
    discharged: dt.date | None = None

    @property
    def is_open(self) -> bool:
        """Whether the person has not been discharged (as far as the history goes)."""
        return self.discharged is None

    def contains(self, day: dt.date) -> bool:
        """Whether the person is inside on ``day``."""
        return self.admitted <= day and (self.discharged is None or day < self.discharged)

    def overlaps(self, start: dt.date, end: dt.date | None) -> bool:
        """Whether the person is inside on some day from ``start`` to ``end`` (inclusive)."""
        last_inside = None if self.discharged is None else self.discharged - dt.timedelta(days=1)
        first = max(start, self.admitted)
        ends = [day for day in (end, last_inside) if day is not None]
        # A stay discharged on its admission day has no day inside, so it overlaps nothing.
        return not ends or first <= min(ends)


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


@contextlib.contextmanager
def plausible_dates_of(team: Team) -> Iterator[None]:
    """Within this block, cases made in this thread or task take ``team``'s plausible dates
    ([`Team.plausible_dates`][ettervern.Team.plausible_dates]) instead of the default window:
    their events are checked against them, now and as the cases are moved on."""
    token = _WINDOW.set(team.plausible_dates)
    try:
        yield
    finally:
        _WINDOW.reset(token)


def _current_window() -> tuple[dt.date, dt.date]:
    window = _WINDOW.get()
    return default_window() if window is None else window


@attrs.define
class _History:
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

    @property
    def open_stay(self) -> Stay | None:
        return self.stays[-1] if self.stays and self.stays[-1].is_open else None

    def copy(self) -> _History:
        """A copy whose lists can be moved on without changing this one."""
        return _History(
            self.referral,
            self.decision,
            list(self.stays),
            self.closure,
            self.check,
            list(self.spans),
            self.last,
            dict(self.done),
            self.window,
        )


_RULES = {
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
    "birth_year": N_(
        "birth year {birth_year} cannot be after the referral on {referred} or more than "
        "{most} years before it"
    ),
}
"""The rules a history must keep, by their stable key
([`PathwayError.rule`][ettervern.errors.PathwayError])."""


def _describe(event: Event) -> Message:
    return Message("the {event} on {date}", event=Label(event.tag, "event"), date=event.on)


def _refuse(code: CaseCode, event: Event, rule: str, **values: object) -> PathwayError:
    msg = Message(
        "case {case}: cannot record {event}: {reason} (rule {rule!r})",
        case=code,
        event=_describe(event),
        reason=Message(_RULES[rule], **values),
        rule=rule,
    )
    return PathwayError(msg, case=code, event=event, rule=rule)


CLOSURE_TASKS = frozenset({"closure_report", "evaluation_form"})
"""Tasks that may be recorded after closure: the closure's own paperwork."""


OLDEST_AGE = 120
"""The most years a birth year may lie before the referral."""
CHECK_WINDOW = (relativedelta(months=1), relativedelta(years=1))


def _within(day: dt.date, window: tuple[dt.date, dt.date]) -> bool:
    return window[0] <= day <= window[1]


@functools.lru_cache(maxsize=8192)
def _check_window(closed: dt.date) -> tuple[dt.date, dt.date]:
    """The first and last day of the three-month check after a closure on ``closed``
    (remembered: many cases close on the same days)."""
    low: dt.date = closed + CHECK_WINDOW[0]
    high: dt.date = closed + CHECK_WINDOW[1]
    return low, high


"""When the three-month check may be recorded, after the closure: a month to a year."""


def _broken_rule(state: _History, event: Event) -> str | None:  # noqa: PLR0911 - a return per rule
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
    ):
        return "after_closure"
    rule = _broken_by_kind(state, event)
    if rule is not None:
        return rule
    last = state.last
    if last is not None and on < last:
        return "out_of_order"
    return _implausible_history(state, event)


def _implausible_history(state: _History, event: Event) -> str | None:
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


def _broken_by_kind(state: _History, event: Event) -> str | None:
    """The rule only an event of this kind can break (a decision, a stay, a closure, a check)."""
    for kind in type(event).__mro__:
        rule = _KIND_RULES.get(kind)
        if rule is not None:
            return rule(state, event)
    return None


def _decided_twice(state: _History, _: Event) -> str | None:
    return "decided_twice" if state.decision is not None else None


def _admission_rule(state: _History, _: Event) -> str | None:
    return "two_open_stays" if state.open_stay is not None else None


def _discharge_rule(state: _History, event: Event) -> str | None:
    open_stay = state.open_stay
    if open_stay is None:
        return "no_open_stay"
    return "discharge_before_admission" if event.on < open_stay.admitted else None


def _closure_rule(state: _History, _: Event) -> str | None:
    return "closure_in_institution" if state.open_stay is not None else None


def _reopening_rule(state: _History, _: Event) -> str | None:
    return "reopen_while_open" if state.closure is None else None


def _check_rule(state: _History, _: Event) -> str | None:
    if state.closure is None:
        return "check_before_closure"
    return "check_twice" if state.check is not None else None


_KIND_RULES: dict[type, Callable[[_History, Event], str | None]] = {
    Acceptance: _decided_twice,
    Decline: _decided_twice,
    Admission: _admission_rule,
    Discharge: _discharge_rule,
    Closure: _closure_rule,
    Reopening: _reopening_rule,
    ThreeMonthCheck: _check_rule,
}
"""The rules that only one kind of event can break, by the kind."""


def _check(code: CaseCode, state: _History, event: Event) -> None:
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
    }
    raise _refuse(code, event, rule, **context)


def _apply(state: _History, event: Event) -> None:
    if isinstance(event, Acceptance | Decline):
        state.decision = event
        if isinstance(event, Decline):
            state.spans[-1] = (state.spans[-1][0], event.on)
    elif isinstance(event, Admission):
        state.stays.append(Stay(event.kind, event.on))
    elif isinstance(event, Discharge):
        stay = state.stays[-1]
        state.stays[-1] = Stay(stay.kind, stay.admitted, event.on)
    elif isinstance(event, Closure):
        state.closure, state.check = event, None
        state.spans[-1] = (state.spans[-1][0], event.on)
    elif isinstance(event, Reopening):
        state.closure = state.check = None
        state.spans.append((event.on, None))
    elif isinstance(event, ThreeMonthCheck):
        state.check = event
    if isinstance(event, TaskDone):
        state.done.setdefault(event.task, event.on)
    elif isinstance(event, StepStarted):
        state.done.setdefault(event.step, event.on)
    elif isinstance(event, Closure):
        if event.report_delivered:
            state.done.setdefault("closure_report", event.on)
        if event.evaluation_given:
            state.done.setdefault("evaluation_form", event.on)
    state.last = event.on


def _replay(
    code: CaseCode,
    events: Sequence[Event],
    until: dt.date | None = None,
    window: tuple[dt.date, dt.date] | None = None,
) -> _History:
    """Check the history and return the state after it (after the events up to ``until``);
    ``window``: the plausible dates, else the team's in force or the default."""
    if not events or not isinstance(events[0], Referral):
        first = events[0] if events else None
        rule = _RULES["first_event"]
        msg = Message(
            "case {case}: cannot start with {what}: {reason} (rule {rule!r})",
            case=code,
            what=Message("no events") if first is None else _describe(first),
            reason=Message(rule),
            rule="first_event",
        )
        raise PathwayError(msg, case=code, event=first, rule="first_event")
    referral = events[0]
    window = _current_window() if window is None else window
    state = _History(
        referral=referral, spans=[(referral.on, None)], last=referral.on, window=window
    )
    if not _within(referral.on, window):
        raise _refuse(code, referral, "implausible_date", earliest=window[0], latest=window[1])
    for event in events[1:]:
        if until is not None and event.on > until:
            break
        _check(code, state, event)
        _apply(state, event)
    return state


def _events(values: Iterable[Event]) -> tuple[Event, ...]:
    return tuple(values)


class Gender(enum.StrEnum):
    """Gender as services record it for statistics (kjønn)."""

    FEMALE = "female"
    MALE = "male"
    OTHER = "other"


AGE_BANDS = ((0, 17), (18, 25), (26, 39), (40, 49), (50, 66), (67, 79), (80, None))
"""The age bands of the Sandnes report (seed ``004_…``): 0-17, 18-25, 26-39, 40-49, 50-66,
67-79, 80+."""


def age_band(age: int) -> str:
    """The band an age falls in, written like ``"18-25"`` or ``"80+"``."""
    check_field(age >= 0, "an age must be 0 or more, got {value!r}", field="age", value=age)
    for low, high in AGE_BANDS:
        if high is None:
            return f"{low}+"
        if low <= age <= high:
            return f"{low}-{high}"
    raise AssertionError(age)  # pragma: no cover - the last band is open-ended


def _gender(value: Gender | str | None) -> Gender | None:
    return None if value is None else enum_member(Gender, "gender", value)


_check_birth_year = field_rule(
    lambda value: (
        value is None
        or (isinstance(value, int) and not isinstance(value, bool) and 1900 <= value <= 2100)
    ),
    "{field} must be a year such as {example}, got {value!r}",
    example=1985,
)


def _code(value: CaseCode | str) -> CaseCode:
    return value if isinstance(value, CaseCode) else CaseCode.parse(value)


def _municipality(value: Municipality | str) -> Municipality:
    return value if isinstance(value, Municipality) else register().get(value)


@attrs.frozen
class Case:
    """One person's aftercare episode (sak), named by its code, made of dated events.

    Start one with [`Case.refer()`][ettervern.Case.refer]; each recording method returns a new case.
    A referral becomes a case when it is accepted ([`is_accepted`][ettervern.Case.is_accepted]);
    until then stays, discharges and closure (for example because the person withdrew) can be
    recorded all the same, as for the Steigen referral of 2020. Reports count referrals and accepted
    cases separately.

    >>> import datetime as dt
    >>> case = Case.refer("01/20-FA", on=dt.date(2020, 8, 3), municipality="Fauske")
    >>> case = case.accept(on=dt.date(2020, 8, 5)).admit(on=dt.date(2020, 8, 5), kind="treatment")
    >>> case = case.discharge(on=dt.date(2020, 9, 1)).close(on=dt.date(2020, 11, 30), reason="completed")
    >>> case.three_month_check_due
    datetime.date(2021, 2, 28)

    Raises:
        PathwayError: the events make an impossible history; the message names the case, the
            event and the rule.
    """

    code: CaseCode = attrs.field(converter=_code)
    municipality: Municipality = attrs.field(converter=_municipality)
    """The commissioning municipality (oppdragsgiver), from the national register by name."""
    events: tuple[Event, ...] = attrs.field(converter=_events)
    birth_year: int | None = attrs.field(default=None, kw_only=True, validator=_check_birth_year)
    """The person's birth year, if recorded: coarse enough for age bands, never a birth date."""
    gender: Gender | None = attrs.field(default=None, kw_only=True, converter=_gender)
    """The person's gender, if recorded (for the gender table of the annual report)."""
    person: str | None = attrs.field(default=None, kw_only=True, validator=check_person)
    """A keyed pseudonym of the person ([`pseudonym`][ettervern.privacy.pseudonym]), if recorded: lets
    reports count distinct people across episodes, years and services. Never the number."""
    _history: _History = attrs.field(init=False, eq=False, repr=False)

    def __attrs_post_init__(self) -> None:
        object.__setattr__(self, "_history", _replay(self.code, self.events))
        referred = self._history.referral.on
        if self.birth_year is not None and not (
            referred.year - OLDEST_AGE <= self.birth_year <= referred.year
        ):
            raise _refuse(
                self.code,
                self._history.referral,
                "birth_year",
                birth_year=self.birth_year,
                referred=referred,
                most=OLDEST_AGE,
            )

    # -- recording ---------------------------------------------------------------------------

    @classmethod
    def refer(
        cls,
        code: CaseCode | str,
        *,
        on: dt.date,
        municipality: Municipality | str,
        source: ReferralSource | str | None = None,
        birth_year: int | None = None,
        gender: Gender | str | None = None,
        team: Team | None = None,
        person: str | None = None,
    ) -> Case:
        """Open a case with its referral; ``municipality`` is a name or number, or a
        [`Municipality`][ettervern.Municipality], and ``source`` who referred (member or key).

        ``birth_year`` and ``gender`` are the only facts about the person a case may hold,
        coarse on purpose: age bands and gender tables are computed from them, never from an
        identity number.

        With ``team``, the code is read in the team's code scheme, ``municipality`` may also be
        the team's code letters, and the case is checked against the team
        ([`check_case()`][ettervern.check_case]): a member on the referral date, the code's letters and
        year its own.

        ``person`` is a keyed pseudonym of the person, for counting people.
        """
        if team is not None:
            if isinstance(code, str):
                code = team.parse_code(code)
            if isinstance(municipality, str):
                with contextlib.suppress(UnknownMunicipalityError):  # the check below says why
                    municipality = team.membership(municipality).municipality
        with contextlib.nullcontext() if team is None else plausible_dates_of(team):
            case = cls(
                code,
                municipality,
                (Referral(on=on, source=source),),
                birth_year=birth_year,
                gender=gender,
                person=person,
            )
        if team is not None:
            from ettervern.pathway._check import check_case

            check_case(case, team)
        return case

    def age_band(self, year: int) -> str | None:
        """The person's age band in ``year`` (age reached that year), or None if not recorded."""
        return None if self.birth_year is None else age_band(year - self.birth_year)

    def as_of(self, day: dt.date) -> Case | None:
        """The case as it stood at the end of ``day``: the events after it are not known yet;
        ``None`` when the person was not yet referred.

        >>> import datetime as dt
        >>> case = Case.refer("01/20-FA", on=dt.date(2020, 8, 3), municipality="Fauske")
        >>> case = case.accept(on=dt.date(2020, 8, 5))
        >>> case.as_of(dt.date(2020, 8, 4)).is_accepted
        False
        >>> case.as_of(dt.date(2020, 8, 2)) is None
        True
        """
        if self.referred_on > day:
            return None
        if self.events[-1].on <= day:  # events are in date order: all of them are known
            return self
        known = self.events[: bisect.bisect_right(self.events, day, key=_event_day)]
        # A part of a checked history is a checked history: replayed for its state only.
        return self._moved(known, _replay(self.code, known, window=self._history.window))

    def record(self, event: Event) -> Case:
        """A new case with ``event`` added after the others.

        Raises:
            PathwayError: the event is impossible after the history so far.
        """
        state = self._history
        _check(self.code, state, event)
        # Only the new event is checked: the history before it was checked when this case was
        # made, so the state is carried over and moved on by one event, not replayed.
        after = state.copy()
        _apply(after, event)
        return self._moved((*self.events, event), after)

    def _moved(self, events: tuple[Event, ...], state: _History) -> Case:
        """This case with other events and the state after them, made without checking again
        (the caller checked them; running ``__init__`` would replay the whole history)."""
        case = object.__new__(type(self))
        for name in _KEPT_SLOTS:
            object.__setattr__(case, name, getattr(self, name))
        object.__setattr__(case, "events", events)
        object.__setattr__(case, "_history", state)
        return case

    def accept(self, *, on: dt.date) -> Case:
        """The team takes the referral on: it becomes a case."""
        return self.record(Acceptance(on=on))

    def decline(self, *, on: dt.date) -> Case:
        """The team declines the referral."""
        return self.record(Decline(on=on))

    def admit(self, *, on: dt.date, kind: StayKind | str) -> Case:
        """The person is admitted to an institution or imprisoned (re-admission included)."""
        return self.record(Admission(on=on, kind=kind))

    def discharge(self, *, on: dt.date) -> Case:
        """The person is discharged or released from the open stay."""
        return self.record(Discharge(on=on))

    def begin_step(self, step: str, *, on: dt.date) -> Case:
        """An inner phase of follow-up begins (a template step's key, such as ``"mapping"``)."""
        return self.record(StepStarted(on=on, step=step))

    def complete(self, task: str, *, on: dt.date) -> Case:
        """A task or milestone is done (``"individual_plan"``, ``"handover_meeting"``, …)."""
        return self.record(TaskDone(on=on, task=task))

    def assess(self, *, on: dt.date, outcome: Outcome) -> Case:
        """Score the life domains; the first assessment is the intake one."""
        return self.record(Assessment(on=on, outcome=outcome))

    def close(
        self,
        *,
        on: dt.date,
        reason: ClosureReason | str,
        report_delivered: bool = False,
        evaluation_given: bool = False,
        taken_over_by: TakeOver | str | None = None,
        outcome: Outcome | None = None,
    ) -> Case:
        """Close the case, or a referral that never became one (``reason="withdrew"``)."""
        return self.record(
            Closure(
                on=on,
                reason=reason,
                report_delivered=report_delivered,
                evaluation_given=evaluation_given,
                taken_over_by=taken_over_by,
                outcome=outcome,
            )
        )

    def assign_staff(self, staff: str, *, on: dt.date, coordinator: bool = False) -> Case:
        """A member of staff (roster id) starts on the case; ``coordinator`` marks the
        person's coordinator."""
        return self.record(StaffAssigned(on=on, staff=staff, coordinator=coordinator))

    def release_staff(self, staff: str, *, on: dt.date) -> Case:
        """A member of staff stops working on the case from ``on``."""
        return self.record(StaffReleased(on=on, staff=staff))

    def reopen(self, *, on: dt.date) -> Case:
        """Reopen a closed case; a later closure has its own three-month check."""
        return self.record(Reopening(on=on))

    def record_three_month_check(
        self, *, on: dt.date, reached: bool, outcome: Outcome | None = None
    ) -> Case:
        """Record the contact three months after closure (earlier or later is allowed)."""
        return self.record(ThreeMonthCheck(on=on, reached=reached, outcome=outcome))

    # -- queries -----------------------------------------------------------------------------

    @property
    def referral(self) -> Referral:
        """The referral event."""
        return self._history.referral

    @property
    def referred_on(self) -> dt.date:
        """The referral date."""
        return self._history.referral.on

    @property
    def referral_source(self) -> ReferralSource | None:
        """Who referred, if recorded."""
        return self._history.referral.source

    @property
    def accepted_on(self) -> dt.date | None:
        """When the team accepted the case, or ``None``."""
        decision = self._history.decision
        return decision.on if isinstance(decision, Acceptance) else None

    @property
    def declined_on(self) -> dt.date | None:
        """When the team declined the referral, or ``None``."""
        decision = self._history.decision
        return decision.on if isinstance(decision, Decline) else None

    @property
    def is_accepted(self) -> bool:
        """Whether the referral became a case (reports count these as "cases")."""
        return self.accepted_on is not None

    @property
    def stays(self) -> tuple[Stay, ...]:
        """The institution stays, in order; the last may be open."""
        return tuple(self._history.stays)

    @property
    def follow_up_stay(self) -> Stay | None:
        """The stay the person was in when the case was accepted, whose discharge starts
        follow-up; ``None`` when not accepted or the person was out then."""
        accepted = self.accepted_on
        if accepted is None:
            return None
        return next((s for s in self._history.stays if s.contains(accepted)), None)

    @property
    def follow_up_start(self) -> dt.date | None:
        """The day follow-up proper starts (oppfølging etter opphold).

        The discharge from [`follow_up_stay`][ettervern.Case.follow_up_stay] when the case was
        accepted while the person was inside; the acceptance date when the person was out then (no
        stay, or discharged before acceptance); ``None`` when not accepted or still inside. A
        re-admission later does not move it.
        """
        accepted = self.accepted_on
        if accepted is None:
            return None
        stay = self.follow_up_stay
        return accepted if stay is None else stay.discharged

    @property
    def is_closed(self) -> bool:
        """Whether the case is closed now (as far as the history goes)."""
        return self._history.closure is not None

    @property
    def closure(self) -> Closure | None:
        """The closure in force, or ``None`` when open (or reopened)."""
        return self._history.closure

    @property
    def closed_on(self) -> dt.date | None:
        """The date of the closure in force, or ``None``."""
        closure = self._history.closure
        return None if closure is None else closure.on

    @property
    def closure_reason(self) -> ClosureReason | None:
        """Why the case was closed, or ``None`` when it is open."""
        closure = self._history.closure
        return None if closure is None else closure.reason

    @property
    def three_month_check(self) -> ThreeMonthCheck | None:
        """The check after the closure in force (``.on``, ``.reached``, ``.outcome``)."""
        return self._history.check

    @property
    def three_month_check_due(self) -> dt.date | None:
        """Closure plus three calendar months (30 Nov 2020 → 28 Feb 2021), or ``None`` if open."""
        closed = self.closed_on
        return None if closed is None else three_months_after(closed)

    @property
    def follow_up_length(self) -> dt.timedelta | None:
        """The time in the community from [`follow_up_start`][ettervern.Case.follow_up_start] to closure: the calendar
        length less the days spent back inside a stay (a re-admission), or ``None`` when either
        date is missing.

        Discharged 1 February, re-admitted 1 March, discharged 1 May and closed 1 June 2020 gives
        60 days (February and May), not the 121 calendar days.
        """
        calendar = self.follow_up_calendar_length
        start, closed = self.follow_up_start, self.closed_on
        if calendar is None or start is None or closed is None:
            return None
        inside = sum(
            (
                min(stay.discharged or closed, closed) - max(stay.admitted, start)
                for stay in self._history.stays
                if stay.admitted < closed and (stay.discharged is None or stay.discharged > start)
            ),
            dt.timedelta(0),
        )
        return calendar - inside

    @property
    def follow_up_calendar_length(self) -> dt.timedelta | None:
        """From [`follow_up_start`][ettervern.Case.follow_up_start] to closure in calendar days, stays back inside included;
        ``None`` when either is missing."""
        start, closed = self.follow_up_start, self.closed_on
        return None if start is None or closed is None else closed - start

    @property
    def open_spans(self) -> tuple[tuple[dt.date, dt.date | None], ...]:
        """The periods the referral or case was open, inclusive: from the referral (or a
        reopening) to the closure or decline; ``None`` while still open."""
        return tuple(self._history.spans)

    def active_between(self, start: dt.date, end: dt.date) -> bool:
        """Whether the case was accepted and open on some day from ``start`` to ``end``."""
        return any(lo <= hi for lo, hi in self._accepted_spans(start, end))

    def followed_in_institution(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> bool:
        """Whether the team followed the person while inside: accepted, and a stay overlaps the
        time the case was accepted and open (within ``start``–``end``, when given)."""
        return any(
            lo <= hi and stay.overlaps(lo, hi)
            for lo, hi in self._accepted_spans(start, end)
            for stay in self._history.stays
        )

    def _accepted_spans(
        self, start: dt.date | None, end: dt.date | None
    ) -> list[tuple[dt.date, dt.date]]:
        """The open spans from acceptance on, clipped to ``start``-``end`` (open ends: today
        is not known here, so an open span ends at ``end`` or the last event)."""
        accepted = self.accepted_on
        if accepted is None:
            return []
        horizon = max(self._history.last or accepted, accepted, end or accepted)
        clipped = []
        for span_start, span_end in self._history.spans:
            lo = max(span_start, accepted, start or accepted)
            hi = min(span_end or horizon, end or horizon)
            clipped.append((lo, hi))
        return clipped

    def phase_on(self, day: dt.date) -> Phase:
        """Where the case stood on ``day``, from the events dated on or before it."""
        if day < self.referred_on:
            return Phase.NOT_REFERRED
        state = _replay(self.code, self.events, until=day)
        if isinstance(state.decision, Decline):
            return Phase.DECLINED
        if state.closure is not None:
            return Phase.CLOSED
        if state.open_stay is not None:
            return Phase.IN_INSTITUTION
        if isinstance(state.decision, Acceptance):
            return Phase.FOLLOW_UP
        return Phase.REFERRED

    def step_on(self, day: dt.date) -> str | None:
        """The inner phase of follow-up (template step key) begun last on or before ``day``,
        or ``None``; ``None`` too once the case is closed."""
        if self.phase_on(day) in (Phase.CLOSED, Phase.DECLINED, Phase.NOT_REFERRED):
            return None
        steps = [e.step for e in self.events if isinstance(e, StepStarted) and e.on <= day]
        return steps[-1] if steps else None

    def done_on(self, task: str) -> dt.date | None:
        """The first date a task (or a step of that key) was recorded done, or ``None``.

        A closure delivered with its report or evaluation form counts for
        ``"closure_report"`` and ``"evaluation_form"``.
        """
        return self._history.done.get(task)

    @property
    def staff_assignments(self) -> tuple[Assignment, ...]:
        """Who worked on the case and when; open assignments end at the closure."""
        return assignments(self.events, self.closed_on)

    def staff_on(self, day: dt.date) -> tuple[str, ...]:
        """The ids of the staff assigned on ``day``."""
        return tuple(a.staff for a in self.staff_assignments if a.active_on(day))

    def coordinator_on(self, day: dt.date) -> str | None:
        """The id of the person's coordinator on ``day``, or ``None``."""
        found = [a.staff for a in self.staff_assignments if a.coordinator and a.active_on(day)]
        return found[-1] if found else None

    @property
    def outcomes(self) -> dict[AssessmentPoint, Outcome]:
        """The scored outcomes per assessment point: the first assessment (intake), the
        closure in force and its three-month check."""
        found: dict[AssessmentPoint, Outcome] = {}
        intake = next((e for e in self.events if isinstance(e, Assessment)), None)
        if intake is not None:
            found[AssessmentPoint.INTAKE] = intake.outcome
        closure, check = self._history.closure, self._history.check
        if closure is not None and closure.outcome is not None:
            found[AssessmentPoint.CLOSURE] = closure.outcome
        if check is not None and check.outcome is not None:
            found[AssessmentPoint.THREE_MONTH_CHECK] = check.outcome
        return found

    def domain_change(
        self,
        start: AssessmentPoint | str = AssessmentPoint.INTAKE,
        end: AssessmentPoint | str = AssessmentPoint.THREE_MONTH_CHECK,
    ) -> dict[LifeDomain, int] | None:
        """The change per life domain between two assessment points (positive is better), or
        ``None`` when either was not scored."""
        outcomes = self.outcomes
        first, last = (
            outcomes.get(enum_member(AssessmentPoint, "start", start)),
            outcomes.get(enum_member(AssessmentPoint, "end", end)),
        )
        return None if first is None or last is None else domain_change(first, last)


_KEPT_SLOTS = tuple(f.name for f in attrs.fields(Case) if f.name not in ("events", "_history"))


def _event_day(event: Event) -> dt.date:
    return event.on


"""The attributes a recorded case copies from the one before it (then replaces two)."""
