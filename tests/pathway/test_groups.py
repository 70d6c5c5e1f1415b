"""Group sessions and their rules (issue 32): an attendee is a case open that day, and no
session is dated further ahead than the team's tolerance.

The oracle of "open" replays the case's events (acceptance, closure, reopening) apart from
``phase_on``.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from ettervern.events import GroupLog, GroupSession
from tests import strategies as s

D = dt.date


def _open(case: e.Case, day: dt.date) -> bool:
    """Oracle: accepted on or before ``day``, not declined, and not closed since (a
    reopening opens it again)."""
    accepted = closed = False
    for ev in sorted(case.events, key=lambda ev: ev.on):
        if ev.on > day:
            break
        if isinstance(ev, e.events.Acceptance):
            accepted = True
        elif isinstance(ev, e.events.Decline):
            return False
        elif isinstance(ev, e.events.Closure):
            closed = True
        elif isinstance(ev, e.events.Reopening):
            closed = False
    return accepted and not closed


@given(case=s.cases(), offset=st.integers(min_value=-5, max_value=400))
def test_a_session_is_accepted_exactly_when_its_attendee_is_an_open_case(
    case: e.Case, offset: int
) -> None:
    day = case.referred_on + dt.timedelta(days=offset)
    log = GroupLog([GroupSession(day, "group_offer", [str(case.code)])])
    if _open(case, day):
        log.check([case])
    else:
        with pytest.raises(e.errors.PathwayError) as caught:
            log.check([case])
        assert caught.value.rule == "attendee_not_open"


def test_an_unknown_case_and_a_session_far_ahead_are_refused_by_rule() -> None:
    case = e.Case.refer("01/26-FA", on=D(2026, 1, 5), municipality="Fauske").accept(
        on=D(2026, 1, 6)
    )
    with pytest.raises(e.errors.PathwayError) as caught:
        GroupLog([GroupSession(D(2026, 1, 7), "group_offer", ["02/26-FA"])]).check([case])
    assert caught.value.rule == "unknown_case"
    team = attrs.evolve(e.teams.salten(), future_days=7)
    today = team.plausible_dates[1] - dt.timedelta(days=7)
    ahead = GroupLog([GroupSession(today + dt.timedelta(days=8), "group_offer", [])])
    with pytest.raises(e.errors.PathwayError) as caught:
        ahead.check([case], team=team)
    assert caught.value.rule == "group_date"
    GroupLog([GroupSession(today + dt.timedelta(days=7), "group_offer", [])]).check(
        [case], team=team
    )


def test_a_person_once_per_session_and_no_identity_in_a_session() -> None:
    with pytest.raises(e.EttervernError):
        GroupSession(D(2026, 1, 7), "group_offer", ["01/26-FA", "01/26-FA"])
    with pytest.raises(e.errors.NationalIdError):
        GroupSession(D(2026, 1, 7), "group 01017012345", [])


def test_attendance_is_contact_for_the_gap_warning() -> None:
    case = e.Case.refer("01/20-FA", on=D(2020, 3, 2), municipality="Fauske").accept(
        on=D(2020, 3, 2)
    )
    groups = GroupLog([GroupSession(D(2020, 3, 20), "group_offer", ["01/20-FA"])])
    on = D(2020, 3, 30)
    quiet = e.due_list([case], on=on, contacts={})
    assert "contact_gap" in set(quiet["milestone"])
    seen = e.due_list([case], on=on, contacts=groups.attended_days())
    assert "contact_gap" not in set(seen["milestone"])
