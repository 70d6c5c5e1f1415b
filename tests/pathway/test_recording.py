"""Recording an event checks only the new event: the result must be what a full replay gives."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from tests.strategies import EVENT_START, any_events, fake_pseudonym

PathwayError = e.errors.PathwayError
START = EVENT_START


@st.composite
def _histories(draw: st.DrawFn) -> list[e.events.Event]:
    """Any kinds of events in any order, dated from the referral on with some going back."""
    kinds = draw(st.lists(any_events, max_size=14))
    events: list[e.events.Event] = []
    for event in kinds:
        shift = draw(st.integers(min_value=-3, max_value=40))
        events.append(attrs.evolve(event, on=START + dt.timedelta(days=shift)))
    return events


def _state(case: e.Case) -> tuple[object, ...]:
    return (
        case.events,
        case.accepted_on,
        case.declined_on,
        case.stays,
        case.closure,
        case.three_month_check,
        case.open_spans,
        case.follow_up_start,
        [case.done_on(key) for key in ("closure_report", "evaluation_form", "plan", "mapping")],
    )


@settings(max_examples=300)
@given(_histories())
def test_recording_event_by_event_agrees_with_replaying_the_history(
    events: list[e.events.Event],
) -> None:
    case = e.Case.refer("02/20-FA", on=START, municipality="Fauske")
    for event in events:
        rule: str | None
        try:
            recorded = case.record(event)
        except PathwayError as refused:
            rule = refused.rule
        else:
            rule = None
        if rule is not None:
            # The full replay refuses the same history for the same rule.
            with pytest.raises(PathwayError) as replayed:
                e.Case(case.code, case.municipality, (*case.events, event))
            assert replayed.value.rule == rule
            continue
        replayed_case = e.Case(case.code, case.municipality, recorded.events)
        assert _state(recorded) == _state(replayed_case)
        assert recorded == replayed_case
        case = recorded


def test_a_recorded_case_keeps_every_other_attribute() -> None:
    case = e.Case.refer(
        "02/20-FA",
        on=START,
        municipality="Fauske",
        birth_year=1990,
        gender="female",
        person=fake_pseudonym(1),
    )
    recorded = case.accept(on=START)
    for field in attrs.fields(e.Case):
        if field.name not in ("events", "_history"):
            assert getattr(recorded, field.name) == getattr(case, field.name), field.name
    assert recorded.events == (*case.events, e.events.Acceptance(on=START))


def test_a_recorded_case_leaves_the_one_before_it_unchanged() -> None:
    # Accepted: only an accepted case is closed as completed and reopened.
    inside = (
        e.Case.refer("02/20-FA", on=START, municipality="Fauske")
        .accept(on=START)
        .admit(on=START, kind="treatment")
    )
    out = inside.discharge(on=dt.date(2020, 4, 1))
    assert inside.stays == (e.Stay(e.StayKind.TREATMENT, START),)
    assert out.stays == (e.Stay(e.StayKind.TREATMENT, START, dt.date(2020, 4, 1)),)
    # The state makes its stays without the public constructor: the same values all the same.
    assert {out.stays[0], e.Stay(e.StayKind.TREATMENT, START, dt.date(2020, 4, 1))} == set(
        out.stays
    )
    assert repr(out.stays[0]) == repr(e.Stay(e.StayKind.TREATMENT, START, dt.date(2020, 4, 1)))
    closed = out.close(on=dt.date(2020, 5, 1), reason="completed")
    reopened = closed.reopen(on=dt.date(2020, 6, 1))
    assert closed.open_spans == ((START, dt.date(2020, 5, 1)),)
    assert reopened.open_spans == ((START, dt.date(2020, 5, 1)), (dt.date(2020, 6, 1), None))


def _first_done(events: tuple[e.events.Event, ...], task: str) -> dt.date | None:
    """The first event that records ``task`` done, found by reading every event."""
    for event in events:
        if (isinstance(event, e.events.TaskDone) and event.task == task) or (
            isinstance(event, e.events.StepStarted) and event.step == task
        ):
            return event.on
        if isinstance(event, e.events.Closure) and (
            (task == "closure_report" and event.report_delivered)
            or (task == "evaluation_form" and event.evaluation_given)
        ):
            return event.on
    return None


@settings(max_examples=200)
@given(_histories())
def test_done_on_is_the_first_event_that_records_the_task(events: list[e.events.Event]) -> None:
    case = e.Case.refer("02/20-FA", on=START, municipality="Fauske")
    for event in events:
        try:
            case = case.record(event)
        except PathwayError:
            continue
    for task in ("closure_report", "evaluation_form", "plan", "mapping", "other"):
        assert case.done_on(task) == _first_done(case.events, task)
