"""The events a case is made of, from the referral to the three-month check, and the stays
they open and close.

Events are frozen values that check their own fields; whether an event can follow a history is
for the rules (``_rules``) to say. The kinds follow the Salten team's report (seed ``000_…``)
and ``DOMAIN.md`` §2.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from typing import Any, ClassVar, TypeVar

import attrs

from ettervern._core import Municipality, Outcome, enum_member, register
from ettervern._l10n import Message
from ettervern._pathway._facts import (
    ConsentGiven,
    ConsentWithdrawn,
    GoalReviewed,
    GoalSet,
    Moved,
)
from ettervern._pathway._planning import (
    DischargeExpected,
    Rescheduled,
    Waived,
    check_key,
)
from ettervern._pathway._staffing import StaffAssigned, StaffReleased, check_date
from ettervern.errors import InvalidValueError, WrongTypeError

__all__ = [
    "EVENT_TYPES",
    "Acceptance",
    "Admission",
    "Assessment",
    "Closure",
    "ClosureReason",
    "Decline",
    "DeclineReason",
    "Discharge",
    "Event",
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
    "municipality_of",
    "shared_event",
    "stay_contains",
]


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


class DeclineReason(enum.StrEnum):
    """Why the team declined a referral (årsak til avslag). The team decides itself which cases
    it takes, after a professional assessment (seed ``000_…``)."""

    OUTSIDE_TARGET_GROUP = "outside_target_group"
    """Not aftercare after a stay: the person is not in the team's target group."""
    NOT_A_MEMBER = "not_a_member"
    """The person lives outside the member municipalities."""
    OTHER_SERVICE = "other_service"
    """Another service is the right one (the municipal service, the specialist service)."""
    NO_CAPACITY = "no_capacity"
    """The team has no room for the case now."""
    RISK = "risk"
    """The risk assessment before start (farlighetsvurdering, seed ``000_…``) advised against."""
    PERSON_DECLINED = "person_declined"
    """The person did not want aftercare."""
    OTHER = "other"


def _decline_reason(value: DeclineReason | str | None) -> DeclineReason | None:
    return None if value is None else enum_member(DeclineReason, "reason", value)


def _kind(value: StayKind | str) -> StayKind:
    return enum_member(StayKind, "kind", value)


def _reason(value: ClosureReason | str) -> ClosureReason:
    return enum_member(ClosureReason, "reason", value)


def _source(value: ReferralSource | str | None) -> ReferralSource | None:
    return None if value is None else enum_member(ReferralSource, "source", value)


_key = check_key
_date = check_date


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
    reason: DeclineReason | None = attrs.field(default=None, converter=_decline_reason)
    """Why; ``None`` when not recorded."""


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


def _outcome_given(_: object, __: attrs.Attribute[Any], value: object) -> None:
    if not isinstance(value, Outcome):
        raise WrongTypeError.of("outcome", "Outcome", value)


@attrs.frozen(kw_only=True)
class Assessment:
    """Life domains scored during the case; the first one is the intake assessment."""

    tag: ClassVar[str] = "assessment"
    on: dt.date = attrs.field(validator=_date)
    outcome: Outcome = attrs.field(validator=_outcome_given)
    """The scores: an assessment without them is not one (a closure's or a check's may be
    ``None``)."""


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


def municipality_of(value: Municipality | str) -> Municipality:
    """The municipality ``value`` names (a name or number), from the national register."""
    return value if isinstance(value, Municipality) else register().get(value)


def _optional_municipality(value: Municipality | str | None) -> Municipality | None:
    return None if value is None else municipality_of(value)


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
    | Waived
    | Rescheduled
    | DischargeExpected
    | ConsentGiven
    | ConsentWithdrawn
    | GoalSet
    | GoalReviewed
    | Moved
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
    Waived,
    Rescheduled,
    DischargeExpected,
    ConsentGiven,
    ConsentWithdrawn,
    GoalSet,
    GoalReviewed,
    Moved,
)


def stay_contains(stay: Stay, day: dt.date) -> bool:
    """``stay.contains(day)``, for the library's own properties, which may be read outside any
    checked call: the same, without the boundary check of a public method."""
    return stay.admitted <= day and (stay.discharged is None or day < stay.discharged)


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

    def contains(self, on: dt.date) -> bool:
        """Whether the person is inside on ``on``."""
        return stay_contains(self, on)

    def overlaps(self, start: dt.date, end: dt.date | None) -> bool:
        """Whether the person is inside on some day from ``start`` to ``end`` (inclusive)."""
        last_inside = None if self.discharged is None else self.discharged - dt.timedelta(days=1)
        first = max(start, self.admitted)
        ends = [day for day in (end, last_inside) if day is not None]
        # A stay discharged on its admission day has no day inside, so it overlaps nothing.
        return not ends or first <= min(ends)


E = TypeVar("E", bound=Event)

SHARED_EVENTS = 2**16
"""How many events ``shared_event`` keeps for reuse, the least recently made going first: 17 MiB
when full (measured, 272 bytes an event with its key and dates). 100,000 synthetic cases over
ten years hold 37,000 distinct events; with room for half as many, the cache was busy evicting
and the lookups cost 0.6 s more at 100,000 cases."""


@functools.lru_cache(maxsize=SHARED_EVENTS, typed=True)
def _made(kind: Any, *values: Any) -> Any:
    return kind(**dict(zip(_init_names(kind), values, strict=True)))


@functools.cache
def _init_names(kind: Any) -> tuple[str, ...]:
    return tuple(field.alias for field in attrs.fields(kind) if field.init)


def shared_event(kind: type[E], *values: Any) -> E:
    """``kind(...)`` with ``values`` for its fields in order, or an equal event made before.

    Events are frozen values, so equal ones can be one object: a hundred thousand cases recorded
    day by day hold tens of thousands of distinct events, not seven hundred thousand, and an
    event made before costs a lookup instead of its checks (a fifth of the time). The values are
    told apart by type too (``True`` is not ``1``), so the event is the one ``kind`` would make.
    """
    made: E
    cls: Any = kind  # a class is hashable, though mypy does not take an attrs class for one
    try:
        made = _made(cls, *values)
    except TypeError:  # a value that cannot be a key: made on its own, which says what is wrong
        made = kind(**dict(zip(_init_names(cls), values, strict=True)))
    return made
