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
from ettervern.pathway._rules import default_window, keeps_rules, replay
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


def _replayed(events: list[e.Event], window: tuple[dt.date, dt.date]) -> str | None:
    """The rule a full replay finds broken, or ``None`` when the history keeps them all."""
    try:
        replay(CODE, events, window=window)
    except e.errors.PathwayError as refused:
        return refused.rule
    return None


@settings(max_examples=2000)
@given(event_histories(), WINDOWS)
def test_one_pass_keeps_the_rules_exactly_when_replaying_does(
    events: list[e.Event], window: tuple[dt.date, dt.date]
) -> None:
    assert keeps_rules(events, window) == (_replayed(events, window) is None)


def _closed(days: int) -> list[e.Event]:
    start = EVENT_START
    return [
        e.Referral(on=start),
        e.Acceptance(on=start),
        e.Closure(on=start, reason="completed"),
        e.ThreeMonthCheck(on=start + dt.timedelta(days=days), reached=True),
    ]


@pytest.mark.parametrize(
    ("events", "rule"),
    [
        ([], "first_event"),
        ([e.Acceptance(on=EVENT_START)], "first_event"),
        (_closed(30), "check_out_of_window"),  # 2 April is the first day of the window
        (_closed(31), None),
        (_closed(365), None),  # 2 March 2021 is the last
        (_closed(366), "check_out_of_window"),
        ([*_closed(40), e.ThreeMonthCheck(on=dt.date(2020, 4, 20), reached=False)], "check_twice"),
        ([*_closed(40)[:3], e.Reopening(on=EVENT_START)], "reopen_on_closure_day"),
        (
            [*_closed(40)[:1], e.Closure(on=EVENT_START, reason="completed")],
            "completed_without_acceptance",
        ),
    ],
)
def test_the_edges_of_the_rules(events: list[e.Event], rule: str | None) -> None:
    window = default_window()
    assert _replayed(events, window) == rule
    assert keeps_rules(events, window) is (rule is None)


@attrs.frozen(kw_only=True)
class _LateAcceptance(e.Acceptance):
    """A kind of event the one pass does not know: replaying decides."""


def test_an_unknown_kind_of_event_is_left_to_the_replay() -> None:
    events = [e.Referral(on=EVENT_START), _LateAcceptance(on=EVENT_START)]
    assert _replayed(events, default_window()) is None
    assert keeps_rules(events, default_window()) is False


def test_a_stored_case_builds_its_state_when_first_read() -> None:
    closed = [*_closed(40)[:3], e.TaskDone(on=dt.date(2020, 3, 9), task="evaluation_form")]
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
