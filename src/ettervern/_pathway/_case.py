"""The care pathway (forløpet): a case is its dated events, from referral to the three-month check.

A [`Case`][ettervern.Case] never overwrites anything: each method that records something returns a
new case with one more event, and every state can be asked for at any date. A case built from
stored data has its whole history checked once, in one pass, and builds its state when first
asked; each event recorded later is checked against the state so far. Both obey the same rules
(``_rules``), and recording stays cheap however long the history. The pathway follows the Salten team's report (seed ``000_…``) and ``DOMAIN.md`` §2.
"""

from __future__ import annotations

import bisect
import contextlib
import datetime as dt
import enum
import itertools
import operator
from collections.abc import Iterable

import attrs

from ettervern._core import (
    DEFAULT_SCHEME,
    AssessmentPoint,
    CaseCode,
    LifeDomain,
    Municipality,
    Outcome,
    Score,
    Team,
    check_field,
    domain_change,
    enum_member,
    facts_html,
    field_rule,
    parse_code,
    slot_setter,
)
from ettervern._l10n import Label, format_date, translate
from ettervern._pathway._events import (
    Acceptance,
    Admission,
    Assessment,
    Closure,
    ClosureReason,
    Decline,
    DeclineReason,
    Discharge,
    Event,
    Referral,
    ReferralSource,
    Reopening,
    Stay,
    StayKind,
    StepStarted,
    TakeOver,
    TaskDone,
    ThreeMonthCheck,
    municipality_of,
    shared_event,
    stay_contains,
)
from ettervern._pathway._facts import (
    ConsentGiven,
    ConsentScope,
    ConsentWithdrawn,
    Goal,
    GoalReviewed,
    GoalSet,
    GoalStatus,
    Moved,
    consent_in_force,
    goals_on,
    municipality_on,
)
from ettervern._pathway._person import check_person
from ettervern._pathway._planning import DischargeExpected, Rescheduled, Waived, WaiverReason
from ettervern._pathway._rules import (
    OLDEST_AGE,
    History,
    Unbuilt,
    apply_event,
    check_event,
    current_window,
    facts_after,
    plausible_dates_of,
    refuse,
    replay,
    state_after,
    three_months_after,
    unbuilt,
)
from ettervern._pathway._staffing import Assignment, StaffAssigned, StaffReleased, assignments
from ettervern._pathway._tasks import STANDARD_MILESTONES, known_tasks
from ettervern._pathway._templates import PathwayTemplate
from ettervern.errors import EttervernError, UnknownMunicipalityError

__all__ = ["AGE_BANDS", "Case", "Gender", "Phase", "age_band"]


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
    return value if isinstance(value, CaseCode) else parse_code(value, DEFAULT_SCHEME)


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
    municipality: Municipality = attrs.field(converter=municipality_of)
    """The commissioning municipality (oppdragsgiver), from the national register by name."""
    events: tuple[Event, ...] = attrs.field(converter=_events)
    birth_year: int | None = attrs.field(default=None, kw_only=True, validator=_check_birth_year)
    """The person's birth year, if recorded: coarse enough for age bands, never a birth date."""
    gender: Gender | None = attrs.field(default=None, kw_only=True, converter=_gender)
    """The person's gender, if recorded (for the gender table of the annual report)."""
    person: str | None = attrs.field(default=None, kw_only=True, validator=check_person)
    """A keyed pseudonym of the person ([`pseudonym`][ettervern.privacy.pseudonym]), if recorded: lets
    reports count distinct people across episodes, years and services. Never the number."""
    _history: History = attrs.field(init=False, eq=False, repr=False)
    """The state after the events (stays, open spans, tasks done, the plausible dates)."""

    def __attrs_post_init__(self) -> None:
        window = current_window()
        state = checked_state(self.events, window, self.birth_year)
        if state is None:  # replaying with the checks names the rule broken
            state = replay(self.code, self.events, window=window)
        object.__setattr__(self, "_history", state)
        referral = self.events[0]
        referred = referral.on
        if not _born_in_reach(self.birth_year, referred):
            raise refuse(
                self.code,
                referral,
                "birth_year",
                birth_year=self.birth_year,
                referred=referred,
                most=OLDEST_AGE,
            )

    def __repr__(self) -> str:
        # Short: a case of a few years holds dozens of events. ``case.events`` has them all,
        # ``interchange.case_to_dict(case)`` the whole record.
        dates = {"referred": self.referred_on, "accepted": self.accepted_on}
        dates |= {"closed": self.closed_on}
        shown = "".join(f", {key} {day:%Y-%m-%d}" for key, day in dates.items() if day)
        return (
            f"<Case {self.code} {self.municipality.name}: {self.phase.value}{shown}, "
            f"{len(self.events)} events>"
        )

    @property
    def phase(self) -> Phase:
        """Where the case stands after its last event (see [`phase_on()`][ettervern.Case.phase_on])."""
        return self.phase_on(max(event.on for event in self.events))

    def to_html(self, locale: str | None = None) -> str:
        """A notebook's view of the case in ``locale``: its code, municipality, where it stands
        and its key dates (not the events: they are in ``case.events``)."""
        title = f"{Label('case', 'column').render(locale)} {self.code}"
        facts = [
            (translate("Municipality", locale), self.municipality.name),
            (translate("Phase", locale), Label(self.phase.value, "phase").render(locale)),
        ]
        dates = [("Referred", self.referred_on), ("Accepted", self.accepted_on)]
        dates += [("Closed", self.closed_on), ("Three-month check due", self.three_month_check_due)]
        facts += [(translate(key, locale), format_date(d, locale)) for key, d in dates if d]
        return facts_html(title, facts)

    def _repr_html_(self) -> str:
        return self.to_html()

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
        events = (shared_event(Referral, on, source),)
        with plausible_dates_of(team):
            case = None
            if cls is Case:  # the constructor's checks, without its generic machinery
                with contextlib.suppress(EttervernError):  # the constructor names the problem
                    place = municipality_of(municipality)
                    case = stored_case(
                        _code(code),
                        place,
                        events,
                        birth_year=birth_year,
                        gender=gender,
                        person=person,
                    )
            if case is None:
                case = cls(
                    code, municipality, events, birth_year=birth_year, gender=gender, person=person
                )
        if team is not None:
            from ettervern._pathway._check import check_case

            check_case(case, team)
        return case

    def age_band(self, year: int) -> str | None:
        """The person's age band in ``year`` (age reached that year), or None if not recorded."""
        return None if self.birth_year is None else age_band(year - self.birth_year)

    def as_of(self, on: dt.date) -> Case | None:
        """The case as it stood at the end of ``on``: the events after it are not known yet;
        ``None`` when the person was not yet referred.

        >>> import datetime as dt
        >>> case = Case.refer("01/20-FA", on=dt.date(2020, 8, 3), municipality="Fauske")
        >>> case = case.accept(on=dt.date(2020, 8, 5))
        >>> case.as_of(dt.date(2020, 8, 4)).is_accepted
        False
        >>> case.as_of(dt.date(2020, 8, 2)) is None
        True
        """
        return case_as_of(self, on)

    def record(self, event: Event) -> Case:
        """A new case with ``event`` added after the others.

        Raises:
            PathwayError: the event is impossible after the history so far.
        """
        return self._recorded(event)

    def _recorded(self, event: Event) -> Case:
        """``record`` itself, called by the recording methods without a second boundary call."""
        state = self._history
        # Only the new event is checked: the history before it was checked when this case was
        # made. While no one has read the state, the rules' facts are moved on by one event
        # and the state stays unbuilt; once it is built, it is moved on by one event.
        if type(state) is Unbuilt:
            window = state.window
            facts = facts_after((event,), window, state.facts)
            if facts is not None:
                events = (*self.events, event)
                return self._moved(events, unbuilt(events, window, facts))
        check_event(self.code, state, event)  # reading the state builds it, to name the rule
        after = state.copy()
        apply_event(after, event)
        return self._moved((*self.events, event), after)

    def _moved(self, events: tuple[Event, ...], state: History) -> Case:
        """This case with other events and the state after them, made without checking again
        (the caller checked them; running ``__init__`` would replay the whole history)."""
        return _filled(
            type(self),
            self.code,
            self.municipality,
            events,
            self.birth_year,
            self.gender,
            self.person,
            state,
        )

    def accept(self, *, on: dt.date) -> Case:
        """The team takes the referral on: it becomes a case."""
        return self._recorded(shared_event(Acceptance, on))

    def decline(self, *, on: dt.date, reason: DeclineReason | str | None = None) -> Case:
        """The team declines the referral, for ``reason`` if recorded (a
        [`DeclineReason`][ettervern.events.DeclineReason] or its key)."""
        return self._recorded(shared_event(Decline, on, reason))

    def admit(self, *, on: dt.date, kind: StayKind | str) -> Case:
        """The person is admitted to an institution or imprisoned (re-admission included)."""
        return self._recorded(shared_event(Admission, on, kind))

    def discharge(self, *, on: dt.date) -> Case:
        """The person is discharged or released from the open stay."""
        return self._recorded(shared_event(Discharge, on))

    def begin_step(self, step: str, *, on: dt.date) -> Case:
        """An inner phase of follow-up begins (a template step's key, such as ``"mapping"``)."""
        return self._recorded(shared_event(StepStarted, on, step))

    def complete(
        self,
        task: str,
        *,
        on: dt.date,
        team: Team | None = None,
        template: PathwayTemplate | str | None = None,
    ) -> Case:
        """A task or milestone is done (``"individual_plan"``, ``"handover_meeting"``, …).

        ``task`` is a built-in task or a step of the pathway template (``template``, else the
        ``team``'s; with neither, of any shipped template).

        Raises:
            PathwayError: an unknown key (rule ``"unknown_task"``, naming the known ones), or
                the task cannot follow the history (a closure report before any closure).
        """
        event = shared_event(TaskDone, on, task)
        self._check_key(event, task, known_tasks(team, template))
        return self._recorded(event)

    def waive(
        self,
        task: str,
        *,
        on: dt.date,
        reason: WaiverReason | str,
        team: Team | None = None,
        template: PathwayTemplate | str | None = None,
    ) -> Case:
        """A milestone will not be done: the person declined it (``reason="declined"``) or it
        does not apply (``"not_applicable"``). The due list drops it; reports count a declined
        plan apart from a missing one. Keys are checked as for ``complete``."""
        event = shared_event(Waived, on, task, reason)
        self._check_key(event, task, (*known_tasks(team, template), *STANDARD_MILESTONES))
        return self._recorded(event)

    def reschedule(
        self,
        task: str,
        *,
        on: dt.date,
        to: dt.date,
        team: Team | None = None,
        template: PathwayTemplate | str | None = None,
    ) -> Case:
        """On ``on``, move a milestone's due date to ``to`` (and lift a waiver of it)."""
        event = shared_event(Rescheduled, on, task, to)
        self._check_key(event, task, (*known_tasks(team, template), *STANDARD_MILESTONES))
        return self._recorded(event)

    def expect_discharge(self, *, on: dt.date, expected: dt.date) -> Case:
        """On ``on``, the open stay's discharge is expected on ``expected``; record again to
        revise it. While the person is inside, the individual plan (and a template's steps
        anchored at the discharge: crisis plan, cooperation meeting) fall due by that day."""
        return self._recorded(shared_event(DischargeExpected, on, expected))

    def _check_key(self, event: Event, task: str, known: tuple[str, ...]) -> None:
        if task not in known:
            known_keys = sorted(set(known))
            raise refuse(self.code, event, "unknown_task", task=task, known=known_keys)

    def assess(self, *, on: dt.date, outcome: Outcome) -> Case:
        """Score the life domains; the first assessment is the intake one."""
        return self._recorded(shared_event(Assessment, on, outcome))

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
        closure = shared_event(
            Closure, on, reason, report_delivered, evaluation_given, taken_over_by, outcome
        )
        return self._recorded(closure)

    def assign_staff(self, staff: str, *, on: dt.date, coordinator: bool = False) -> Case:
        """A member of staff (roster id) starts on the case; ``coordinator`` marks the
        person's coordinator."""
        return self._recorded(shared_event(StaffAssigned, on, staff, coordinator))

    def release_staff(self, staff: str, *, on: dt.date) -> Case:
        """A member of staff stops working on the case from ``on``."""
        return self._recorded(shared_event(StaffReleased, on, staff))

    def reopen(self, *, on: dt.date) -> Case:
        """Reopen a closed case; a later closure has its own three-month check."""
        return self._recorded(shared_event(Reopening, on))

    def record_three_month_check(
        self, *, on: dt.date, reached: bool, outcome: Outcome | None = None
    ) -> Case:
        """Record the contact three months after closure (earlier or later is allowed)."""
        return self._recorded(shared_event(ThreeMonthCheck, on, reached, outcome))

    def give_consent(self, scope: ConsentScope | str, *, on: dt.date) -> Case:
        """The person consents, from ``on``, to cooperation with ``scope`` (``"relatives"``,
        ``"gp"``, ``"nav"``, ``"specialist_service"``).

        Raises:
            PathwayError: consent for ``scope`` is in force already (rule ``"consent_in_force"``).
        """
        return self._recorded(shared_event(ConsentGiven, on, scope))

    def withdraw_consent(self, scope: ConsentScope | str, *, on: dt.date) -> Case:
        """The person withdraws the consent for ``scope`` from ``on`` (after closure too).

        Raises:
            PathwayError: no consent for ``scope`` in force (rule ``"consent_not_given"``).
        """
        return self._recorded(shared_event(ConsentWithdrawn, on, scope))

    def set_goal(
        self, domain: LifeDomain | str, *, on: dt.date, target: Score | int, due: dt.date
    ) -> Case:
        """A goal in the life domain ``domain``, set with the person from their own wishes:
        reach the score ``target`` (1-3) by ``due``.

        Raises:
            PathwayError: the domain has an open goal (rule ``"goal_open"``), or ``due`` is
                before ``on`` (``"goal_due_before_set"``).
        """
        return self._recorded(shared_event(GoalSet, on, domain, target, due))

    def review_goal(
        self, domain: LifeDomain | str, *, on: dt.date, status: GoalStatus | str
    ) -> Case:
        """The open goal in ``domain`` is ``"met"`` or ``"dropped"`` on ``on``.

        Raises:
            PathwayError: no open goal in ``domain`` (rule ``"goal_not_set"``).
        """
        return self._recorded(shared_event(GoalReviewed, on, domain, status))

    def move(self, to: Municipality | str, *, on: dt.date) -> Case:
        """The person moves to the municipality ``to`` on ``on``: the hours logged from that day
        count for it. The case keeps its code; a team's check refuses a move to a municipality
        that is not its member then (rule ``"moved_to_non_member"``).

        Raises:
            PathwayError: the person lives in ``to`` already (rule ``"move_to_same"``).
        """
        event = shared_event(Moved, on, to)
        if not self.moves and event.municipality == self.municipality:
            raise refuse(self.code, event, "move_to_same", municipality=self.municipality.name)
        return self._recorded(event)

    def consent_on(self, on: dt.date) -> frozenset[ConsentScope]:
        """The scopes of consent in force on ``on``."""
        return consent_in_force(self.events, on)

    @property
    def goals(self) -> tuple[Goal, ...]:
        """The goals set, in the order set, each with its status now."""
        return goals_on(self.events)

    @property
    def moves(self) -> tuple[Moved, ...]:
        """The moves to another municipality, in order."""
        return tuple(event for event in self.events if isinstance(event, Moved))

    def municipality_on(self, on: dt.date) -> Municipality:
        """The municipality the person lives in on ``on``: the case's until a move."""
        return municipality_on(self.events, self.municipality, on)

    # -- queries -----------------------------------------------------------------------------

    @property
    def referral(self) -> Referral:
        """The referral event."""
        return self.events[0]  # type: ignore[return-value] # a history starts with its referral

    @property
    def referred_on(self) -> dt.date:
        """The referral date."""
        return self.events[0].on

    @property
    def referral_source(self) -> ReferralSource | None:
        """Who referred, if recorded."""
        return self.referral.source

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
    def decline_reason(self) -> DeclineReason | None:
        """Why the team declined the referral, if it did and the reason is recorded."""
        decision = self._history.decision
        return decision.reason if isinstance(decision, Decline) else None

    @property
    def expected_discharge(self) -> dt.date | None:
        """The expected discharge from the open stay, as last recorded; ``None`` when out or
        not recorded."""
        return self._history.expected

    def waived(self, task: str) -> WaiverReason | None:
        """Why the milestone ``task`` is waived, or ``None`` when it is not."""
        found = self._history.waived.get(task)
        return None if found is None else found[1]

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
        return next((s for s in self._history.stays if stay_contains(s, accepted)), None)

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
        return follow_up_lengths(self)[0]

    @property
    def follow_up_calendar_length(self) -> dt.timedelta | None:
        """From [`follow_up_start`][ettervern.Case.follow_up_start] to closure in calendar days, stays back inside included;
        ``None`` when either is missing."""
        return follow_up_lengths(self)[1]

    @property
    def open_spans(self) -> tuple[tuple[dt.date, dt.date | None], ...]:
        """The periods the referral or case was open, inclusive: from the referral (or a
        reopening) to the closure or decline; ``None`` while still open."""
        return tuple(self._history.spans)

    def active_between(self, start: dt.date, end: dt.date) -> bool:
        """Whether the case was accepted and open on some day from ``start`` to ``end``."""
        return active_between(self, start, end)

    def followed_in_institution(
        self, start: dt.date | None = None, end: dt.date | None = None
    ) -> bool:
        """Whether the team followed the person while inside: accepted, and a stay overlaps the
        time the case was accepted and open (within ``start``–``end``, when given)."""
        return followed_in_institution(self, start, end)

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

    def phase_on(self, on: dt.date) -> Phase:
        """Where the case stood on ``on``, from the events dated on or before it."""
        if on < self.referred_on:
            return Phase.NOT_REFERRED
        state = state_after(self.events, self._history.window, until=on)
        if isinstance(state.decision, Decline):
            return Phase.DECLINED
        if state.closure is not None:
            return Phase.CLOSED
        if state.open_stay is not None:
            return Phase.IN_INSTITUTION
        if isinstance(state.decision, Acceptance):
            return Phase.FOLLOW_UP
        return Phase.REFERRED

    def step_on(self, on: dt.date) -> str | None:
        """The inner phase of follow-up (template step key) begun last on or before ``on``,
        or ``None``; ``None`` too once the case is closed."""
        if self.phase_on(on) in (Phase.CLOSED, Phase.DECLINED, Phase.NOT_REFERRED):
            return None
        steps = [e.step for e in self.events if isinstance(e, StepStarted) and e.on <= on]
        return steps[-1] if steps else None

    def done_on(self, task: str) -> dt.date | None:
        """The first date a task (or a step of that key) was recorded done, or ``None``.

        A closure delivered with its report or evaluation form counts for
        ``"closure_report"`` and ``"evaluation_form"``.
        """
        return tasks_done(self).get(task)

    @property
    def staff_assignments(self) -> tuple[Assignment, ...]:
        """Who worked on the case and when; open assignments end at the closure."""
        return assignments(self.events, self.closed_on)

    def staff_on(self, on: dt.date) -> tuple[str, ...]:
        """The ids of the staff assigned on ``on``."""
        return tuple(a.staff for a in self.staff_assignments if a.active_on(on))

    def coordinator_on(self, on: dt.date) -> str | None:
        """The id of the person's coordinator on ``on``, or ``None``."""
        found = [a.staff for a in self.staff_assignments if a.coordinator and a.active_on(on)]
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


# -- building a case: the rules once, and the fast paths that keep them --------------------
#
# A case is built four ways, and every one keeps the same rules, written once below:
#
# - ``Case(...)``: the attrs converters and validators of each field, then ``checked_state``
#   (the history's rules in one pass, and the birth year within reach of the referral); when
#   it finds a rule broken, ``replay`` names it.
# - ``stored_case(...)``: for values that are already a ``CaseCode``, a ``Municipality`` and
#   events, as the bulk readers have them (``cases_from_json`` through ``direct_case``, or
#   ``_typed_case`` from msgspec's rows, ``cases_from_frame``, ``cases_from_dicts``, the register) and ``Case.refer``. It calls the
#   same field validators and ``checked_state``, and returns ``None`` for the constructor to
#   name anything wrong. About half the constructor's cost.
# - ``Case._moved`` (recording one more event, ``as_of``): the new event is checked by
#   ``facts_after`` or ``check_event`` against the state so far, and the case is ``_filled``.
# - the readers in ``_io`` never make a case themselves: they build the events and call
#   ``stored_case``.
#
# The differential tests hold the fast paths to the constructor: tests/pathway/test_case.py
# (``stored_case``), tests/io/test_fast_json.py (``direct_case``) and tests/io/test_typed_json.py
# (msgspec's rows, held to the ``json`` path), on drawn histories.


def checked_state(
    events: tuple[Event, ...], window: tuple[dt.date, dt.date], birth_year: int | None
) -> History | None:
    """The state after ``events`` when they keep every rule of a case's history within the
    plausible dates ``window`` and ``birth_year`` is within reach of the referral; ``None``
    otherwise (``Case(...)`` then names the rule broken). The state is built when first read
    (``unbuilt``), so cases read by the thousand are not replayed for a state no one asks
    about."""
    facts = facts_after(events, window)
    if facts is None or not _born_in_reach(birth_year, events[0].on):
        return None
    return unbuilt(events, window, facts)


_set_code = slot_setter(Case, "code")
_set_municipality = slot_setter(Case, "municipality")
_set_events = slot_setter(Case, "events")
_set_birth_year = slot_setter(Case, "birth_year")
_set_gender = slot_setter(Case, "gender")
_set_person = slot_setter(Case, "person")
_set_history = slot_setter(Case, "_history")


def _filled(  # noqa: PLR0917 - one argument a slot, positional on the path of recording
    cls: type[Case],
    code: CaseCode,
    municipality: Municipality,
    events: tuple[Event, ...],
    birth_year: int | None,
    gender: Gender | None,
    person: str | None,
    state: History,
) -> Case:
    """A case made from values the caller has checked, without ``__init__``: each slot filled
    through its own setter (``slot_setter``)."""
    case = object.__new__(cls)
    _set_code(case, code)
    _set_municipality(case, municipality)
    _set_events(case, events)
    _set_birth_year(case, birth_year)
    _set_gender(case, gender)
    _set_person(case, person)
    _set_history(case, state)
    return case


def _born_in_reach(birth_year: int | None, referred: dt.date) -> bool:
    """Whether a recorded birth year is at most ``OLDEST_AGE`` years before the referral's
    year and not after it (no birth year recorded is fine)."""
    return birth_year is None or referred.year - OLDEST_AGE <= birth_year <= referred.year


def case_as_of(case: Case, day: dt.date) -> Case | None:
    """``case.as_of(day)``, for the library's own loops (a due list cuts every case to its day):
    the same, without a call through the boundary check."""
    if case.referred_on > day:
        return None
    events = case.events
    if events[-1].on <= day:  # events are in date order: all of them are known
        return case
    known = events[: bisect.bisect_right(events, day, key=_event_day)]
    # A part of a checked history is a checked history: it keeps the rules.
    window = case._history.window
    facts = facts_after(known, window)
    if facts is None:  # an event of a kind the one pass does not know: build the state
        return case._moved(known, state_after(known, window))
    return case._moved(known, unbuilt(known, window, facts))


def follow_up_lengths(case: Case) -> tuple[dt.timedelta | None, dt.timedelta | None]:
    """``Case.follow_up_length`` and ``Case.follow_up_calendar_length`` found together: the
    start of follow-up and the closure are read once (the reports need both of each closed
    case)."""
    start, closed = case.follow_up_start, case.closed_on
    if start is None or closed is None:
        return None, None
    inside = sum(
        (
            min(stay.discharged or closed, closed) - max(stay.admitted, start)
            for stay in case._history.stays
            if stay.admitted < closed and (stay.discharged is None or stay.discharged > start)
        ),
        dt.timedelta(0),
    )
    return closed - start - inside, closed - start


def active_between(case: Case, start: dt.date, end: dt.date) -> bool:
    """``Case.active_between``, for the library's own calls with dates it made or checked:
    without a call through the boundary check per case (the reports of 100,000 cases made
    hundreds of thousands of them)."""
    return any(lo <= hi for lo, hi in case._accepted_spans(start, end))


def followed_in_institution(case: Case, start: dt.date | None, end: dt.date | None) -> bool:
    """``Case.followed_in_institution``, for the library's own calls (see ``active_between``)."""
    return followed_in_spans(case, case._accepted_spans(start, end))


def accepted_spans(case: Case, start: dt.date, end: dt.date) -> list[tuple[dt.date, dt.date]]:
    """The spans ``active_between`` and ``followed_in_institution`` both read, for a caller
    that asks both (``active_in``, ``followed_in_spans``)."""
    return case._accepted_spans(start, end)


def active_in(spans: list[tuple[dt.date, dt.date]]) -> bool:
    """``active_between`` of the ``accepted_spans`` found."""
    return any(lo <= hi for lo, hi in spans)


def followed_in_spans(case: Case, spans: list[tuple[dt.date, dt.date]]) -> bool:
    """``followed_in_institution`` of the ``accepted_spans`` found."""
    stays = case._history.stays
    return any(lo <= hi and stay.overlaps(lo, hi) for lo, hi in spans for stay in stays)


def tasks_done(case: Case) -> dict[str, dt.date]:
    """The first date each task or step key was recorded done (``Case.done_on`` of every key),
    read without a call through the boundary check per key. Not to be changed."""
    return case._history.done


_DONE = operator.attrgetter("_history.done")


def any_task_done(cases: Iterable[Case], keys: Iterable[str]) -> bool:
    """Whether one of ``cases`` has one of the task or step ``keys`` done (``tasks_done``),
    found in one pass run in C: whether a table of them appears asks it of every case."""
    wanted = frozenset(keys)
    return not all(map(wanted.isdisjoint, map(_DONE, cases)))


def any_person(cases: Iterable[Case]) -> bool:
    """Whether one of ``cases`` records the person's pseudonym, found in one pass run in C."""
    return any(map(operator.is_not, map(_PERSON, cases), itertools.repeat(None)))


_PERSON = operator.attrgetter("person")


def any_coordinator(cases: Iterable[Case]) -> bool:
    """Whether one of ``cases`` has a coordinator assigned on some day (``Case.staff_assignments``
    has one marked ``coordinator``): an assignment is its ``StaffAssigned`` event, so the
    events are read, not the assignments built."""
    return any(
        event.coordinator
        for case in cases
        for event in case.events
        if isinstance(event, StaffAssigned)
    )


def planning_of(
    case: Case,
) -> tuple[dict[str, tuple[dt.date, WaiverReason]], dict[str, dt.date], dt.date | None]:
    """The waivers, the rescheduled due dates and the expected discharge of ``case``, read
    without a call through the boundary check. Not to be changed."""
    state = case._history
    return state.waived, state.moved, state.expected


def _event_day(event: Event) -> dt.date:
    return event.on


_FIELDS = attrs.fields(Case)


def stored_case(
    code: CaseCode,
    municipality: Municipality,
    events: tuple[Event, ...],
    *,
    birth_year: int | None = None,
    gender: Gender | str | None = None,
    person: str | None = None,
    window: tuple[dt.date, dt.date] | None = None,
) -> Case | None:
    """The case a reader of stored cases has the checked parts of, or ``None`` when the
    history breaks a rule or a value is out of place: the caller then makes it with
    ``Case(...)``, which names the problem.

    ``Case(...)`` for the library's bulk readers (JSON, tables of events), which read thousands of
    cases in one window of plausible dates, and for ``Case.refer``: the code, the municipality and each event are
    already values; the optional fields get the checks of their attrs fields; and the history is
    checked in the same one pass. About half the cost of the constructor's generic path.
    ``window`` is the plausible dates in force (``current_window()``), which a reader of
    thousands of cases looks up once.
    """
    if birth_year is not None or gender is not None or person is not None:
        try:  # the checks of the attrs fields (they do not read the instance)
            _check_birth_year(None, _FIELDS.birth_year, birth_year)
            gender = _gender(gender)
            check_person(None, _FIELDS.person, person)
        except EttervernError:
            return None
    state = checked_state(events, current_window() if window is None else window, birth_year)
    if state is None:
        return None
    return _filled(Case, code, municipality, events, birth_year, gender, person, state)
