"""The rules checked in one pass agree with the rules replayed event by event."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
from typing import Any
from unittest import mock

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern._pathway import _rules
from ettervern._pathway._rules import (
    default_window,
    facts_after,
    facts_in_one_pass,
    plausible_dates_of,
    replay,
    state_after,
)
from tests.strategies import EVENT_START, event_histories

CODE = e.CaseCode.parse("02/20-FA")
WINDOWS = st.sampled_from(
    [
        default_window(),
        (dt.date(2020, 3, 2), dt.date(2020, 6, 30)),  # from the referral's day, for months
        (dt.date(2019, 1, 1), dt.date(2021, 3, 2)),  # the check's window cut short
        (dt.date(2020, 3, 3), dt.date(2030, 1, 1)),  # from the day after the referral
    ]
)
"""Plausible dates: the default, and windows whose edges the histories reach."""


def _replayed(events: list[e.events.Event], window: tuple[dt.date, dt.date]) -> str | None:
    """The rule a full replay finds broken, or ``None`` when the history keeps them all."""
    try:
        replay(CODE, events, window=window)
    except e.errors.PathwayError as refused:
        return refused.rule
    return None


@settings(max_examples=2000)
@given(event_histories(), WINDOWS)
def test_one_pass_keeps_the_rules_exactly_when_replaying_does(
    events: list[e.events.Event], window: tuple[dt.date, dt.date]
) -> None:
    assert (facts_after(events, window) is not None) == (_replayed(events, window) is None)


def _recorded(
    events: list[e.events.Event], window: tuple[dt.date, dt.date], reads: list[bool]
) -> tuple[e.Case | None, str | None]:
    """The case made of ``events`` one by one with ``Case.record``, reading its state after
    the events ``reads`` marks, and the rule that refused an event (``None``: all taken)."""
    team = attrs.evolve(e.teams.salten(), earliest_date=window[0], latest_date=window[1])
    try:
        with plausible_dates_of(team):
            case = e.Case(CODE, "Fauske", events[:1])
    except e.errors.PathwayError as refused:
        return None, refused.rule
    for event, read in zip(events[1:], reads, strict=False):
        try:
            case = case.record(event)
        except e.errors.PathwayError as refused:
            return case, refused.rule
        if read:
            _ = case.is_closed  # builds the state: the next event moves the built state on
    return case, None


@settings(max_examples=1000)
@given(event_histories(), WINDOWS, st.lists(st.booleans(), min_size=12, max_size=12))
def test_recording_event_by_event_keeps_the_rules_the_replay_keeps(
    events: list[e.events.Event], window: tuple[dt.date, dt.date], reads: list[bool]
) -> None:
    """Recorded one by one, with the state read or not in between, a history is refused for the
    rule and at the event the replay names, and a taken one has the replayed state."""
    case, rule = _recorded(events, window, reads)
    taken = list(case.events) if case is not None else []
    assert rule == _replayed(events, window)
    if rule is None:
        assert taken == events
        assert case is not None
        assert case.is_closed is (case._history.closure is not None)  # built, if it was not
        assert case._history == replay(CODE, events, window=window)
    else:  # refused at the first event that breaks a rule
        assert not taken or _replayed(taken, window) is None
        assert _replayed(events[: len(taken) + 1], window) == rule


def _closed(days: int) -> list[e.events.Event]:
    start = EVENT_START
    return [
        e.events.Referral(on=start),
        e.events.Acceptance(on=start),
        e.events.Closure(on=start, reason="completed"),
        e.events.ThreeMonthCheck(on=start + dt.timedelta(days=days), reached=True),
    ]


@pytest.mark.parametrize(
    ("events", "rule"),
    [
        ([], "first_event"),
        ([e.events.Acceptance(on=EVENT_START)], "first_event"),
        (_closed(30), "check_out_of_window"),  # 2 April is the first day of the window
        (_closed(31), None),
        (_closed(365), None),  # 2 March 2021 is the last
        (_closed(366), "check_out_of_window"),
        (
            [*_closed(40), e.events.ThreeMonthCheck(on=dt.date(2020, 4, 20), reached=False)],
            "check_twice",
        ),
        ([*_closed(40)[:3], e.events.Reopening(on=EVENT_START)], "reopen_on_closure_day"),
        (
            [*_closed(40)[:1], e.events.Closure(on=EVENT_START, reason="completed")],
            "completed_without_acceptance",
        ),
    ],
)
def test_the_edges_of_the_rules(events: list[e.events.Event], rule: str | None) -> None:
    window = default_window()
    assert _replayed(events, window) == rule
    assert (facts_after(events, window) is None) is (rule is not None)
    assert _recorded(events, window, [False] * len(events))[1] == rule


@attrs.frozen(kw_only=True)
class _LateAcceptance(e.events.Acceptance):
    """A kind of event the one pass does not know: replaying decides."""


def test_an_unknown_kind_of_event_is_left_to_the_replay() -> None:
    events = [e.events.Referral(on=EVENT_START), _LateAcceptance(on=EVENT_START)]
    assert _replayed(events, default_window()) is None
    assert facts_after(events, default_window()) is None
    case = e.Case(CODE, "Fauske", events[:1]).record(events[1])  # recorded, replay decides
    assert case.accepted_on == EVENT_START


def test_a_case_built_event_by_event_builds_its_state_when_first_read() -> None:
    case = e.Case.refer(CODE, on=EVENT_START, municipality="Fauske").accept(on=EVENT_START)
    case = case.close(on=dt.date(2020, 3, 9), reason="completed", evaluation_given=True)
    assert type(case._history).__name__ == "Unbuilt"
    assert case.done_on("evaluation_form") == dt.date(2020, 3, 9)
    assert type(case._history).__name__ == "History"
    assert case.as_of(dt.date(2020, 3, 8)).is_closed is False  # type: ignore[union-attr]
    assert case._history == state_after(case.events, case._history.window)


def test_a_stored_case_builds_its_state_when_first_read() -> None:
    closed = [*_closed(40)[:3], e.events.TaskDone(on=dt.date(2020, 3, 9), task="evaluation_form")]
    case = e.Case(CODE, "Fauske", closed)
    assert type(case._history).__name__ == "Unbuilt"
    assert case.closed_on == EVENT_START
    assert type(case._history).__name__ == "History"
    assert case.done_on("evaluation_form") == dt.date(2020, 3, 9)
    for copied in (
        pickle.loads(pickle.dumps(e.Case(CODE, "Fauske", closed))),
        copy.deepcopy(e.Case(CODE, "Fauske", closed)),
        copy.copy(e.Case(CODE, "Fauske", closed)),
    ):
        assert copied == case
        assert copied.closed_on == EVENT_START
        assert copied.accepted_on == EVENT_START


_TASKS = st.sampled_from(
    ["closure_report", "evaluation_form", "three_month_check", "individual_plan", "mapping"]
)


@st.composite
def _planning_event(draw: st.DrawFn, day: dt.date) -> e.events.Event:
    """A milestone waived or moved, or a discharge expected, on ``day`` or a few days on, its
    other day a little before or after (before breaks the rule)."""
    on = day + dt.timedelta(days=draw(st.integers(min_value=0, max_value=3)))
    other = on + dt.timedelta(days=draw(st.sampled_from([-2, -1, 0, 1, 40])))
    kind = draw(st.sampled_from(["waive", "reschedule", "expect"]))
    if kind == "waive":
        reason = draw(st.sampled_from(list(e.events.WaiverReason)))
        return e.events.Waived(on=on, task=draw(_TASKS), reason=reason)
    if kind == "reschedule":
        return e.events.Rescheduled(on=on, task=draw(_TASKS), to=other)
    return e.events.DischargeExpected(on=on, expected=other)


@st.composite
def _mixed_histories(draw: st.DrawFn) -> list[e.events.Event]:
    """``event_histories`` with up to four planning events put in at random places."""
    events = draw(event_histories())
    for _ in range(draw(st.integers(min_value=0, max_value=4))):
        at = draw(st.integers(min_value=0, max_value=len(events)))
        day = events[at - 1].on if at else EVENT_START
        events.insert(at, draw(_planning_event(day)))
    return events


_AFTER_CLOSURE = st.sampled_from([0, 1, 27, 28, 30, 31, 32, 33, 364, 365, 366, 367])
"""Days from a closure: its day, the next, the edges of the check's window (a month, a year)."""


@st.composite
def _closed_histories(draw: st.DrawFn) -> list[e.events.Event]:
    """A referral, maybe an acceptance, a closure, then checks, reopenings, tasks and planning
    events at the edges of the rules that read the closure's day and the events' values."""
    events: list[e.events.Event] = [e.events.Referral(on=EVENT_START)]
    if draw(st.booleans()):
        events.append(e.events.Acceptance(on=EVENT_START))
    closed = EVENT_START + dt.timedelta(days=draw(st.integers(min_value=0, max_value=3)))
    reason = draw(st.sampled_from(list(e.ClosureReason)))
    given_ = draw(st.booleans())
    events.append(e.events.Closure(on=closed, reason=reason, evaluation_given=given_))
    for _ in range(draw(st.integers(min_value=0, max_value=3))):
        day = closed + dt.timedelta(days=draw(_AFTER_CLOSURE))
        kind = draw(st.sampled_from(["check", "reopen", "task", "planning"]))
        if kind == "check":
            events.append(e.events.ThreeMonthCheck(on=day, reached=draw(st.booleans())))
        elif kind == "reopen":
            events.append(e.events.Reopening(on=day))
        elif kind == "task":
            events.append(e.events.TaskDone(on=day, task=draw(_TASKS)))
        else:
            events.append(draw(_planning_event(events[-1].on)))
    return events


def _one_pass_only() -> Any:
    """Every history through ``facts_in_one_pass``: no plan kept, none made."""
    return mock.patch.multiple(_rules, _PLANS={}, _MAX_PLANS=0)


def _made(events: list[e.events.Event], window: tuple[dt.date, dt.date]) -> object:
    """The case ``Case(...)`` makes of ``events`` within ``window``, or the rule and message
    it refuses them with."""
    team = attrs.evolve(e.teams.salten(), earliest_date=window[0], latest_date=window[1])
    try:
        with plausible_dates_of(team):
            return e.Case(CODE, "Fauske", events)
    except e.errors.PathwayError as refused:
        return refused.rule, str(refused), str(refused.message)


@settings(max_examples=2000)
@given(
    st.one_of(event_histories(), _mixed_histories(), _closed_histories()), WINDOWS, st.booleans()
)
def test_a_history_planned_by_its_kinds_has_the_facts_of_the_one_pass(
    events: list[e.events.Event], window: tuple[dt.date, dt.date], fresh: bool
) -> None:
    """The plan of a sequence of kinds, made for this history or kept from others, gives the
    facts (or the refusal) that the one pass gives, and the case or the message is the same."""
    if fresh:
        _rules._PLANS.pop(tuple(map(type, events)), None)
    expected = facts_in_one_pass(events, window)
    assert facts_after(events, window) == expected
    assert facts_after(tuple(events), window) == expected  # made or kept: the same
    with _one_pass_only():
        unplanned = _made(events, window)
    assert _made(events, window) == unplanned


def test_a_history_of_kinds_the_plans_leave_out_takes_the_one_pass() -> None:
    start = EVENT_START
    staffed = [e.events.Referral(on=start), e.events.StaffAssigned(on=start, staff="anna")]
    assert _rules._planned(tuple(map(type, staffed))) is None
    assert facts_after(staffed, default_window()) == facts_in_one_pass(staffed, default_window())
    assert facts_after([*staffed, staffed[1]], default_window()) is None  # assigned twice
    with mock.patch.multiple(_rules, _PLANS={}, _MAX_PLANS=1):  # full after one sequence
        assert facts_after(_closed(40), default_window()) is not None
        assert facts_after(_closed(40)[:3], default_window()) is not None
        assert len(_rules._PLANS) == 1


_DAY_BEFORE = EVENT_START - dt.timedelta(days=1)


@pytest.mark.parametrize(
    "events",
    [
        _closed(366),
        _closed(365),
        [
            *_closed(40),
            e.events.Rescheduled(on=dt.date(2020, 4, 20), task="closure_report", to=EVENT_START),
        ],
        [
            *_closed(40),
            e.events.Rescheduled(on=dt.date(2020, 4, 20), task="mapping", to=dt.date(2020, 5, 1)),
        ],
        [*_closed(40)[:2], e.events.DischargeExpected(on=EVENT_START, expected=EVENT_START)],
        [*_closed(40)[:2], e.events.Rescheduled(on=EVENT_START, task="mapping", to=_DAY_BEFORE)],
        [*_closed(40)[:3], e.events.Waived(on=EVENT_START, task="mapping", reason="declined")],
        [*_closed(40)[:1], e.events.TaskDone(on=EVENT_START, task="evaluation_form")],
    ],
)
def test_the_edges_the_plans_check_per_history(events: list[e.events.Event]) -> None:
    assert facts_after(events, default_window()) == facts_in_one_pass(events, default_window())
