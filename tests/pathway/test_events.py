"""Events: equal events made by the recording methods are one shared object (``shared_event``)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given

import ettervern as e
from ettervern._core import calls_within
from ettervern._pathway._events import SHARED_EVENTS, _made, shared_event
from tests import strategies as s

DAY = dt.date(2021, 3, 1)


def _values(event: e.events.Event) -> tuple[object, ...]:
    return tuple(getattr(event, f.name) for f in attrs.fields(type(event)) if f.init)


@given(s.any_events)
def test_a_shared_event_is_the_event_its_class_makes_and_the_same_object_again(
    event: e.events.Event,
) -> None:
    values = _values(event)
    first = shared_event(type(event), *values)
    assert type(first) is type(event)
    assert first == event
    assert shared_event(type(event), *values) is first


def test_values_are_told_apart_by_type_so_a_flag_stays_a_bool() -> None:
    # 1 == True and they hash alike. A caller's 1 is refused at the boundary, but the library's
    # own calls are not checked again: the cache must not hand out the event made with one for
    # the other, or a file written from it would hold 1 where the schema says true.
    day = dt.date(2019, 7, 13)  # a day no other test makes a closure on
    with calls_within():
        made_with_one = shared_event(e.events.Closure, day, "completed", 1, False, None, None)
        made_with_true = shared_event(e.events.Closure, day, "completed", True, False, None, None)
    assert made_with_one.report_delivered == 1
    assert made_with_true.report_delivered is True


def test_a_flag_given_as_a_number_is_refused() -> None:
    case = e.Case.refer("01/19-FA", on=DAY, municipality="Fauske").accept(on=DAY)
    with pytest.raises(e.errors.WrongTypeError, match="report_delivered"):
        case.close(on=DAY, reason="completed", report_delivered=1)  # type: ignore[arg-type]
    with pytest.raises(e.errors.WrongTypeError, match="reached"):
        e.events.ThreeMonthCheck(on=DAY, reached=0)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("kind", "values"),
    [
        (e.events.Assessment, (DAY, [1, 2])),  # a list cannot be a key
        (e.events.TaskDone, (DAY, "Not a key")),
        (e.events.Admission, (DAY, "hospital")),
        (e.events.Acceptance, ("2021-03-01",)),
    ],
)
def test_a_value_the_class_refuses_gets_the_class_own_error(
    kind: type[e.events.Event], values: tuple[object, ...]
) -> None:
    names = [f.alias for f in attrs.fields(kind) if f.init]
    with pytest.raises(e.errors.EttervernError) as direct:
        kind(**dict(zip(names, values, strict=True)))
    with pytest.raises(type(direct.value)) as shared:
        shared_event(kind, *values)
    assert str(shared.value) == str(direct.value)


def test_the_events_kept_for_reuse_are_bounded() -> None:
    start = dt.date(1990, 1, 1)
    for day in range(SHARED_EVENTS + 100):
        shared_event(e.events.Acceptance, start + dt.timedelta(days=day))
    assert _made.cache_info().currsize == SHARED_EVENTS


def test_cases_recorded_on_the_same_days_share_their_events() -> None:
    def recorded(code: str) -> e.Case:
        case = e.Case.refer(code, on=DAY, municipality="Fauske", source="institution")
        return case.accept(on=DAY).admit(on=DAY, kind="treatment").discharge(on=DAY)

    one, other = recorded("01/21-FA"), recorded("02/21-FA")
    assert one.events == other.events
    assert all(a is b for a, b in zip(one.events, other.events, strict=True))
