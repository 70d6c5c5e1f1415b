"""The rules checked in one pass agree with the rules replayed event by event."""

from __future__ import annotations

import copy
import datetime as dt
import pickle

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern._pathway._rules import (
    default_window,
    facts_after,
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
