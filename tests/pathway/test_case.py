from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import attrs
import pytest
from dateutil.relativedelta import relativedelta
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

import ettervern as e
from tests import strategies as s

d = dt.date
PathwayError = e.errors.PathwayError


MARCH_2 = d(2020, 3, 2)


def referred(code: str = "02/20-FA", on: dt.date = MARCH_2) -> e.Case:
    return e.Case.refer(code, on=on, municipality="Fauske", source="institution")


def test_readmission_closure_and_the_three_month_check() -> None:
    case = (
        e.Case.refer("01/20-FA", on=d(2020, 2, 3), municipality="Fauske")
        .admit(on=d(2020, 2, 10), kind="treatment")
        .discharge(on=d(2020, 4, 1))
        .accept(on=d(2020, 4, 20))  # only an accepted case can be closed as completed
        .admit(on=d(2020, 5, 4), kind=e.StayKind.MENTAL_HEALTH)
        .discharge(on=d(2020, 5, 11))
        .close(on=d(2020, 11, 30), reason="completed")
    )
    assert case.three_month_check_due == d(2021, 2, 28)
    phases = [case.phase_on(day) for day in (d(2020, 3, 1), d(2020, 4, 15), d(2020, 12, 1))]
    assert phases == [e.Phase.IN_INSTITUTION, e.Phase.REFERRED, e.Phase.CLOSED]
    assert [(x.kind, x.admitted, x.discharged) for x in case.stays] == [
        (e.StayKind.TREATMENT, d(2020, 2, 10), d(2020, 4, 1)),
        (e.StayKind.MENTAL_HEALTH, d(2020, 5, 4), d(2020, 5, 11)),
    ]
    accepted = referred().accept(on=d(2020, 3, 2)).admit(on=d(2020, 3, 2), kind="prison")
    assert accepted.discharge(on=d(2020, 4, 1)).phase_on(d(2020, 4, 1)) is e.Phase.FOLLOW_UP


@pytest.mark.parametrize(
    ("closed", "due"),
    [
        (d(2020, 11, 30), d(2021, 2, 28)),
        (d(2023, 11, 30), d(2024, 2, 29)),
        (d(2021, 1, 31), d(2021, 4, 30)),
        (d(2020, 12, 31), d(2021, 3, 31)),
        (d(2020, 3, 15), d(2020, 6, 15)),
    ],
)
def test_three_month_check_due_is_calendar_correct(closed: dt.date, due: dt.date) -> None:
    on = closed - dt.timedelta(days=40)
    case = referred(f"02/{on.year % 100:02d}-FA", on=on).accept(on=on)
    closed_case = case.close(on=closed, reason="completed")
    assert closed_case.three_month_check_due == due
    assert case.three_month_check_due is None


def _after_closure() -> e.Case:
    return referred().accept(on=d(2020, 3, 3)).close(on=d(2020, 6, 1), reason="completed")


IMPOSSIBLE: dict[str, Callable[[], e.Case]] = {
    "before_referral": lambda: referred().admit(on=d(2020, 3, 1), kind="treatment"),
    "discharge_before_admission": lambda: (
        referred().admit(on=d(2020, 3, 10), kind="treatment").discharge(on=d(2020, 3, 9))
    ),
    "no_open_stay": lambda: referred().discharge(on=d(2020, 3, 9)),
    "two_open_stays": lambda: (
        referred()
        .admit(on=d(2020, 3, 10), kind="treatment")
        .admit(on=d(2020, 3, 11), kind="prison")
    ),
    "closure_in_institution": lambda: (
        referred()
        .accept(on=d(2020, 3, 3))
        .admit(on=d(2020, 3, 10), kind="treatment")
        .close(on=d(2020, 4, 1), reason="completed")
    ),
    "check_before_closure": lambda: (
        referred().accept(on=d(2020, 3, 3)).record_three_month_check(on=d(2020, 6, 1), reached=True)
    ),
    "after_closure": lambda: _after_closure().admit(on=d(2020, 7, 1), kind="treatment"),
    "accept_after_decline": lambda: referred().decline(on=d(2020, 3, 3)).accept(on=d(2020, 3, 4)),
    "after_decline": lambda: (
        referred().decline(on=d(2020, 3, 3)).admit(on=d(2020, 3, 4), kind="other")
    ),
    "decided_twice": lambda: referred().accept(on=d(2020, 3, 3)).decline(on=d(2020, 3, 4)),
    "reopen_while_open": lambda: referred().reopen(on=d(2020, 3, 4)),
    "check_twice": lambda: (
        _after_closure()
        .record_three_month_check(on=d(2020, 9, 1), reached=False)
        .record_three_month_check(on=d(2020, 9, 2), reached=True)
    ),
    "out_of_order": lambda: (
        referred().accept(on=d(2020, 3, 10)).admit(on=d(2020, 3, 9), kind="other")
    ),
    "first_event": lambda: e.Case("02/20-FA", "Fauske", [e.events.Acceptance(on=d(2020, 3, 2))]),
}


@pytest.mark.parametrize("rule", sorted(IMPOSSIBLE))
def test_each_impossible_history_names_case_event_and_rule(rule: str) -> None:
    with pytest.raises(PathwayError) as info:
        IMPOSSIBLE[rule]()
    error = info.value
    assert error.rule == rule
    assert str(error.case) == "02/20-FA"
    assert isinstance(error, ValueError)
    assert isinstance(error, e.EttervernError)
    assert "02/20-FA" in str(error)
    assert repr(rule) in str(error)
    if error.event is not None:
        assert error.event.on.isoformat() in str(error)
    # The same refusal for the person who recorded the event, in Bokmål and Nynorsk.
    for locale, verb in (("nb", "kan ikke"), ("nn", "kan ikkje")):
        shown = error.message_in(locale)
        assert shown.startswith(f"sak 02/20-FA: {verb} ")
        assert f"(regel «{rule}»)" in shown
        if error.event is not None:
            assert error.event.on.strftime("%d.%m.%Y") in shown
            assert error.event.on.isoformat() not in shown


def test_stored_events_are_checked_too() -> None:
    events = [e.events.Referral(on=d(2020, 3, 2)), e.events.Discharge(on=d(2020, 3, 3))]
    with pytest.raises(PathwayError, match="no open stay"):
        e.Case("02/20-FA", "Fauske", events)


def test_a_referral_can_end_without_becoming_a_case() -> None:
    """The Steigen referral of 2020: worked on inside and just after, then the person withdrew."""
    steigen = (
        e.Case.refer("01/20-ST", on=d(2020, 9, 1), municipality="Steigen", source="institution")
        .admit(on=d(2020, 9, 1), kind="treatment")
        .discharge(on=d(2020, 10, 1))
        .close(on=d(2020, 10, 20), reason="withdrew")
    )
    assert not steigen.is_accepted
    assert steigen.accepted_on is None
    assert steigen.declined_on is None
    assert steigen.closure_reason is e.ClosureReason.WITHDREW
    assert steigen.follow_up_start is None
    assert steigen.follow_up_length is None
    assert not steigen.active_between(d(2020, 1, 1), d(2020, 12, 31))
    assert not steigen.followed_in_institution()
    assert steigen.municipality == e.municipality("Steigen")
    assert steigen.phase_on(d(2020, 9, 15)) is e.Phase.IN_INSTITUTION
    assert steigen.phase_on(d(2020, 10, 5)) is e.Phase.REFERRED
    assert e.milestones(steigen) == []


def test_kind_and_reason_take_members_or_keys() -> None:
    case = referred().admit(on=d(2020, 3, 3), kind=e.StayKind.PRISON).discharge(on=d(2020, 3, 4))
    assert case.stays[0].kind is e.StayKind.PRISON
    assert case.close(on=d(2020, 3, 5), reason=e.ClosureReason.MOVED).closure_reason == "moved"
    assert case.referral_source is e.ReferralSource.INSTITUTION
    with pytest.raises(e.errors.InvalidValueError, match="kind must be one of") as info:
        case.admit(on=d(2020, 3, 6), kind="hospital")
    assert info.value.field == "kind"
    with pytest.raises(e.errors.InvalidValueError, match="'long_term_treatment'"):
        case.close(on=d(2020, 3, 6), reason="finished")
    with pytest.raises(e.errors.UnknownMunicipalityError):
        e.Case.refer("02/20-FA", on=d(2020, 3, 2), municipality="Atlantis")
    with pytest.raises(e.errors.CaseCodeError):
        e.Case.refer("FA-2", on=d(2020, 3, 2), municipality="Fauske")
    with pytest.raises(e.errors.InvalidValueError, match=r"datetime\.date"):
        case.accept(on=dt.datetime(2020, 3, 6, 12, 0))  # noqa: DTZ001 - the wrong type on purpose


def test_follow_up_start_and_length() -> None:
    inside = referred().admit(on=d(2020, 3, 3), kind="treatment").accept(on=d(2020, 3, 10))
    assert inside.follow_up_start is None
    assert inside.followed_in_institution()
    out = inside.discharge(on=d(2020, 4, 1))
    assert out.follow_up_start == d(2020, 4, 1)
    readmitted = out.admit(on=d(2020, 5, 1), kind="treatment").discharge(on=d(2020, 5, 20))
    assert readmitted.follow_up_start == d(2020, 4, 1)
    closed = readmitted.close(on=d(2020, 6, 10), reason="completed")
    # 70 calendar days, of which 19 back inside (1-19 May): 51 in the community.
    assert closed.follow_up_calendar_length == dt.timedelta(days=70)
    assert closed.follow_up_length == dt.timedelta(days=51)
    # Accepted after discharge, or with no stay at all: follow-up starts on acceptance.
    late = referred().admit(on=d(2020, 3, 3), kind="prison").discharge(on=d(2020, 3, 20))
    assert late.accept(on=d(2020, 3, 25)).follow_up_start == d(2020, 3, 25)
    assert not late.accept(on=d(2020, 3, 25)).followed_in_institution()
    assert referred().accept(on=d(2020, 3, 5)).follow_up_start == d(2020, 3, 5)


def test_active_between_and_followed_in_institution_by_period() -> None:
    case = (
        referred(on=d(2020, 11, 2))
        .admit(on=d(2020, 11, 2), kind="treatment")
        .accept(on=d(2020, 11, 20))
        .discharge(on=d(2021, 1, 10))
        .close(on=d(2021, 3, 1), reason="completed")
    )
    assert case.active_between(d(2020, 1, 1), d(2020, 12, 31))
    assert case.active_between(d(2021, 1, 1), d(2021, 12, 31))
    assert not case.active_between(d(2020, 1, 1), d(2020, 11, 19))
    assert not case.active_between(d(2021, 3, 2), d(2021, 12, 31))
    assert case.followed_in_institution(d(2020, 1, 1), d(2020, 12, 31))
    assert case.followed_in_institution(d(2021, 1, 1), d(2021, 12, 31))
    assert not case.followed_in_institution(d(2021, 1, 10), d(2021, 12, 31))
    reopened = case.reopen(on=d(2021, 6, 1))
    assert reopened.active_between(d(2021, 7, 1), d(2021, 7, 2))
    assert reopened.closed_on is None
    assert reopened.open_spans == ((d(2020, 11, 2), d(2021, 3, 1)), (d(2021, 6, 1), None))


def test_declined_and_before_referral_phases() -> None:
    case = referred().decline(on=d(2020, 3, 5))
    assert case.phase_on(d(2020, 3, 1)) is e.Phase.NOT_REFERRED
    assert case.phase_on(d(2020, 3, 4)) is e.Phase.REFERRED
    assert case.phase_on(d(2020, 3, 5)) is e.Phase.DECLINED
    assert case.declined_on == d(2020, 3, 5)
    assert not case.is_accepted


def test_reopening_gives_a_new_closure_and_check() -> None:
    first = _after_closure().record_three_month_check(on=d(2020, 9, 1), reached=True)
    assert first.three_month_check is not None
    assert first.three_month_check.on == d(2020, 9, 1)
    again = first.reopen(on=d(2020, 10, 1)).close(on=d(2020, 11, 30), reason="moved")
    assert again.three_month_check is None
    assert again.three_month_check_due == d(2021, 2, 28)
    assert again.phase_on(d(2020, 10, 15)) is e.Phase.FOLLOW_UP
    assert again.phase_on(d(2020, 9, 15)) is e.Phase.CLOSED


def test_closure_paperwork_may_follow_closure() -> None:
    case = _after_closure().complete("closure_report", on=d(2020, 6, 8))
    assert case.done_on("closure_report") == d(2020, 6, 8)
    with pytest.raises(PathwayError, match="after_closure"):
        case.complete("crisis_plan", on=d(2020, 6, 9))


def test_inner_phases_from_a_template() -> None:
    case = (
        referred()
        .accept(on=d(2020, 3, 3))
        .begin_step("start_conversation", on=d(2020, 3, 4))
        .begin_step("mapping", on=d(2020, 3, 11))
    )
    assert case.step_on(d(2020, 3, 3)) is None
    assert case.step_on(d(2020, 3, 10)) == "start_conversation"
    assert case.step_on(d(2020, 4, 1)) == "mapping"
    closed = case.close(on=d(2020, 5, 1), reason="completed")
    assert closed.step_on(d(2020, 5, 2)) is None
    with pytest.raises(e.errors.InvalidValueError):
        case.begin_step("", on=d(2020, 4, 1))


def test_outcomes_per_assessment_point() -> None:
    case = (
        referred()
        .accept(on=d(2020, 3, 3))
        .assess(on=d(2020, 3, 3), outcome=e.Outcome(housing=1, substance_use=1, finances=2))
        .assess(on=d(2020, 4, 3), outcome=e.Outcome(housing=2))
        .close(on=d(2020, 6, 1), reason="completed", outcome=e.Outcome(housing=3, finances=2))
        .record_three_month_check(
            on=d(2020, 9, 1), reached=True, outcome=e.Outcome(housing=2, substance_use=3)
        )
    )
    assert case.outcomes[e.AssessmentPoint.INTAKE] == e.Outcome(
        housing=1, substance_use=1, finances=2
    )
    assert case.domain_change() == {e.LifeDomain.SUBSTANCE_USE: 2, e.LifeDomain.HOUSING: 1}
    assert case.domain_change("intake", "closure") == {
        e.LifeDomain.FINANCES: 0,
        e.LifeDomain.HOUSING: 2,
    }
    assert referred().domain_change() is None
    with pytest.raises(e.errors.InvalidValueError, match="cannot have an outcome"):
        case.reopen(on=d(2020, 9, 2)).close(
            on=d(2020, 9, 3), reason="other"
        ).record_three_month_check(on=d(2020, 12, 3), reached=False, outcome=e.Outcome(housing=1))


@given(s.cases())
def test_random_histories_are_consistent(case: e.Case) -> None:
    dates = [event.on for event in case.events]
    assert dates == sorted(dates)
    assert sum(stay.is_open for stay in case.stays) <= 1
    assert all(stay.is_open for stay in case.stays[-1:]) or all(
        not stay.is_open for stay in case.stays
    )
    if case.is_closed:
        assert not any(stay.is_open for stay in case.stays)
        assert case.phase_on(dates[-1]) is e.Phase.CLOSED
    assert not (case.accepted_on and case.declined_on)
    if case.follow_up_start is not None and case.closed_on is not None:
        assert case.follow_up_calendar_length == case.closed_on - case.follow_up_start


# -- the state machine: random event sequences against a model of the rules ----------------------


class PathwayMachine(RuleBasedStateMachine):
    """Records random events on a case and predicts, from a model of the rules written here
    independently, whether each is accepted; a refused one must raise PathwayError."""

    case: e.Case

    @initialize(start=st.dates(min_value=d(2020, 1, 1), max_value=d(2030, 1, 1)))
    def refer(self, start: dt.date) -> None:
        self.case = e.Case.refer(f"05/{start.year % 100:02d}-ME", on=start, municipality="Meløy")
        self.last = start
        self.closed_on = start
        self.decision: str | None = None
        self.inside = False
        self.closed = False
        self.checked = False
        self.admitted = start
        self.accepted_on: dt.date | None = None
        self.followed_inside = False

    def _try(self, allowed: bool, record: Callable[[e.Case], e.Case]) -> bool:
        if allowed:
            self.case = record(self.case)
        else:
            with pytest.raises(PathwayError):
                record(self.case)
        return allowed

    def _open(self) -> bool:
        return self.decision != "declined" and not self.closed

    @rule(days=st.integers(0, 60), kind=st.sampled_from(list(e.StayKind)))
    def admit(self, days: int, kind: e.StayKind) -> None:
        on = self.last + dt.timedelta(days=days)
        if self._try(self._open() and not self.inside, lambda c: c.admit(on=on, kind=kind)):
            self.inside, self.last, self.admitted = True, on, on

    @rule(days=st.integers(-3, 60))
    def discharge(self, days: int) -> None:
        on = self.last + dt.timedelta(days=days)
        allowed = self._open() and self.inside and days >= 0
        if self._try(allowed, lambda c: c.discharge(on=on)):
            # Inside from the admission day up to, not including, the discharge day.
            if self.accepted_on is not None and max(self.admitted, self.accepted_on) < on:
                self.followed_inside = True
            self.inside, self.last = False, on

    @rule(days=st.integers(0, 30), accept=st.booleans())
    def decide(self, days: int, accept: bool) -> None:
        on = self.last + dt.timedelta(days=days)
        allowed = self._open() and self.decision is None
        record = (lambda c: c.accept(on=on)) if accept else (lambda c: c.decline(on=on))
        if self._try(allowed, record):
            self.decision, self.last = ("accepted" if accept else "declined"), on
            self.accepted_on = on if accept else None

    @rule(days=st.integers(0, 120), reason=st.sampled_from(list(e.ClosureReason)))
    def close(self, days: int, reason: e.ClosureReason) -> None:
        on = self.last + dt.timedelta(days=days)
        completed_unaccepted = reason is e.ClosureReason.COMPLETED and self.decision != "accepted"
        allowed = self._open() and not self.inside and not completed_unaccepted
        if self._try(allowed, lambda c: c.close(on=on, reason=reason)):
            self.closed, self.checked, self.last, self.closed_on = True, False, on, on

    @rule(days=st.integers(0, 120), reached=st.booleans())
    def check(self, days: int, reached: bool) -> None:
        on = self.last + dt.timedelta(days=days)
        in_window = (
            self.closed_on + relativedelta(months=1)
            <= on
            <= self.closed_on + relativedelta(years=1)
        )
        allowed = self.decision != "declined" and self.closed and not self.checked and in_window
        if self._try(allowed, lambda c: c.record_three_month_check(on=on, reached=reached)):
            self.checked, self.last = True, on

    @rule(days=st.integers(0, 60))
    def reopen(self, days: int) -> None:
        on = self.last + dt.timedelta(days=days)
        allowed = self.decision == "accepted" and self.closed and on != self.closed_on
        if self._try(allowed, lambda c: c.reopen(on=on)):
            self.closed, self.last = False, on

    @rule(days=st.integers(1, 400))
    def anything_before_referral(self, days: int) -> None:
        on = self.case.referred_on - dt.timedelta(days=days)
        with pytest.raises(PathwayError, match="before_referral"):
            self.case.close(on=on, reason="other")

    @invariant()
    def agrees_with_the_model(self) -> None:
        case = self.case
        assert case.is_accepted == (self.decision == "accepted")
        assert case.is_closed == (self.closed and self.decision != "declined")
        assert any(stay.is_open for stay in case.stays) == self.inside
        phase = case.phase_on(self.last)
        if self.decision == "declined":
            assert phase is e.Phase.DECLINED
        elif self.closed:
            assert phase is e.Phase.CLOSED
        elif self.inside:
            assert phase is e.Phase.IN_INSTITUTION
        elif self.decision == "accepted":
            assert phase is e.Phase.FOLLOW_UP
        else:
            assert phase is e.Phase.REFERRED
        assert (case.three_month_check is not None) == (self.closed and self.checked)
        inside_now = self.inside and self.accepted_on is not None
        assert case.followed_in_institution() == (self.followed_inside or inside_now)
        assert e.interchange.case_from_dict(e.interchange.case_to_dict(case)) == case


TestPathwayMachine = PathwayMachine.TestCase
TestPathwayMachine.settings = settings(max_examples=60, stateful_step_count=25)


def test_a_stay_discharged_on_its_admission_day_is_not_followed_inside() -> None:
    """Found by the state machine: zero days inside is not following someone in institution."""
    day = dt.date(2020, 1, 2)
    case = (
        e.Case.refer("05/20-ME", on=dt.date(2020, 1, 1), municipality="Meløy")
        .accept(on=dt.date(2020, 1, 1))
        .admit(on=day, kind="treatment")
        .discharge(on=day)
    )
    assert not case.followed_in_institution()
    assert not case.stays[0].overlaps(dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    longer = case.admit(on=dt.date(2020, 2, 3), kind="prison").discharge(on=dt.date(2020, 2, 4))
    assert longer.followed_in_institution()


def test_follow_up_length_counts_only_days_in_the_community() -> None:
    # The case: out 1 Feb, back in 1 Mar, out 1 May, closed 1 Jun 2020.
    case = (
        e.Case.refer("01/20-FA", on=d(2020, 1, 6), municipality="Fauske")
        .admit(on=d(2020, 1, 6), kind="treatment")
        .accept(on=d(2020, 1, 8))
        .discharge(on=d(2020, 2, 1))
        .admit(on=d(2020, 3, 1), kind="treatment")
        .discharge(on=d(2020, 5, 1))
        .close(on=d(2020, 6, 1), reason="completed")
    )
    assert case.follow_up_calendar_length == dt.timedelta(days=121)  # 17.3 weeks
    assert case.follow_up_length == dt.timedelta(days=29 + 31)  # February and May
    # A user-controlled short admission is time inside too.
    short = (
        e.Case.refer("02/20-FA", on=d(2020, 1, 6), municipality="Fauske")
        .accept(on=d(2020, 1, 6))
        .admit(on=d(2020, 2, 3), kind="user_controlled")
        .discharge(on=d(2020, 2, 9))
        .close(on=d(2020, 3, 2), reason="completed")
    )
    assert short.follow_up_calendar_length == dt.timedelta(days=56)
    assert short.follow_up_length == dt.timedelta(days=50)


@given(s.cases())
def test_community_length_never_exceeds_the_calendar(case: e.Case) -> None:
    community, calendar = case.follow_up_length, case.follow_up_calendar_length
    assert (community is None) == (calendar is None)
    if community is not None and calendar is not None:
        assert dt.timedelta(0) <= community <= calendar
        start = case.follow_up_start
        assert start is not None
        back_inside = [
            stay
            for stay in case.stays
            if stay.admitted >= start and stay.discharged != stay.admitted
        ]
        if not back_inside:
            assert community == calendar


@given(case=s.cases(), day=s.dates)
def test_as_of_is_the_case_made_of_the_events_known_that_day(case: e.Case, day: dt.date) -> None:
    known = case.as_of(day)
    events = tuple(event for event in case.events if event.on <= day)
    if not events:
        assert known is None
        return
    rebuilt = e.Case(
        case.code,
        case.municipality,
        events,
        birth_year=case.birth_year,
        gender=case.gender,
        person=case.person,
    )
    assert known == rebuilt
    assert known is not None
    assert (known.is_accepted, known.closed_on, known.stays) == (
        rebuilt.is_accepted,
        rebuilt.closed_on,
        rebuilt.stays,
    )
    assert e.milestones(case, on=day) == e.milestones(rebuilt)


def test_a_case_keeps_the_plausible_dates_it_was_made_with() -> None:
    # Made under a team whose dates start in 1980; asked about later, outside the team's
    # block. The phase on a day used to replay the history against the default dates (1990 on)
    # and refuse the 1985 referral.
    team = attrs.evolve(e.teams.salten(), earliest_date=dt.date(1980, 1, 1))
    with e.plausible_dates_of(team):
        case = e.Case.refer("01/85-FA", on=dt.date(1985, 5, 2), municipality="Fauske")
        case = case.accept(on=dt.date(1985, 5, 3))
    assert case.phase_on(dt.date(1985, 6, 1)) is e.Phase.FOLLOW_UP
    assert case.step_on(dt.date(1985, 6, 1)) is None
    earlier = case.as_of(dt.date(1985, 5, 2))
    assert earlier is not None
    assert not earlier.is_accepted
    assert earlier.phase_on(dt.date(1985, 5, 2)) is e.Phase.REFERRED
    with pytest.raises(e.errors.PathwayError, match="implausible_date"):
        e.Case.refer("01/85-FA", on=dt.date(1985, 5, 2), municipality="Fauske")


@settings(max_examples=300)
@given(
    s.event_histories(),
    st.none()
    | st.integers(min_value=1890, max_value=2110)
    | st.floats(min_value=1890, max_value=2110)
    | st.booleans(),
    st.none() | st.sampled_from(["female", "male", "other", "unknown", ""]),
    st.none() | s.pseudonyms | s.national_ids() | st.just("Kari"),
)
def test_a_stored_case_is_the_case_the_constructor_makes_or_none(
    events: list[e.events.Event], birth_year: object, gender: str | None, person: str | None
) -> None:
    # The bulk readers' way to make a case must give the constructor's case, and give up
    # (None) wherever the constructor refuses, so that the constructor names the problem.
    from ettervern._pathway import stored_case

    code, place = e.CaseCode.parse("02/20-FA"), e.municipality("Fauske")
    parts = {"birth_year": birth_year, "gender": gender, "person": person}
    try:
        made: e.Case | None = e.Case(code, place, tuple(events), **parts)  # type: ignore[arg-type]
    except e.errors.EttervernError:
        made = None
    stored = stored_case(code, place, tuple(events), **parts)  # type: ignore[arg-type]
    if made is None:
        assert stored is None
    elif stored is not None:  # None is allowed: the constructor then makes it
        assert stored == made
        read = ("stays", "open_spans", "closed_on", "three_month_check_due", "outcomes")
        assert [getattr(stored, name) for name in read] == [getattr(made, name) for name in read]


@settings(max_examples=300)
@given(
    st.sampled_from(["02/20-FA", " 02/20-fa ", "2/20-FA", "02/20", "150385 10190", "x"]),
    st.sampled_from(["Fauske", "1841", "Atlantis", "", e.municipality("Bodø")]),
    st.none() | st.sampled_from(list(e.ReferralSource)) | st.sampled_from(["gp", "friend"]),
    st.none() | st.integers(min_value=1890, max_value=2110) | st.booleans(),
    st.none() | st.sampled_from(["female", "male", "unknown"]),
    st.none() | s.pseudonyms | st.just("Kari"),
)
def test_a_referral_is_the_case_the_constructor_makes_or_its_error(  # noqa: PLR0917
    code: str,
    municipality: str | e.Municipality,
    source: str | None,
    birth_year: int | None,
    gender: str | None,
    person: str | None,
) -> None:
    # ``refer`` makes the case without the constructor's generic machinery: the case, or the
    # error and its message, must be the constructor's.
    parts = {"birth_year": birth_year, "gender": gender, "person": person}
    try:
        events = (e.events.Referral(on=MARCH_2, source=source),)  # type: ignore[arg-type]
        made: e.Case | str = e.Case(code, municipality, events, **parts)  # type: ignore[arg-type]
    except e.errors.EttervernError as refused:
        made = f"{type(refused).__name__}: {refused}"
    try:
        referred: e.Case | str = e.Case.refer(
            code,
            on=MARCH_2,
            municipality=municipality,
            source=source,  # type: ignore[arg-type]
            **parts,  # type: ignore[arg-type]
        )
    except e.errors.EttervernError as refused:
        referred = f"{type(refused).__name__}: {refused}"
    assert referred == made
    if isinstance(made, e.Case):
        assert isinstance(referred, e.Case)
        assert referred.phase_on(MARCH_2) is made.phase_on(MARCH_2)
