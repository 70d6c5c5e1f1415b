"""The due list's rows that are no milestone (issue 32): a referral waiting for a decision, and
a case in close follow-up with no logged contact for the team's number of days.

The oracles below walk each case's events day by day (what phase it is in, when contact was
last logged) apart from the library's ``phase_on`` and ``case_as_of``.
"""

from __future__ import annotations

import datetime as dt

import attrs
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from ettervern import tables
from tests import strategies as s

D = dt.date
SALTEN = e.teams.salten()


def _rows(frame: object, milestone: str) -> dict[str, tuple[dt.date, int, str]]:
    import pandas as pd

    assert isinstance(frame, pd.DataFrame)
    chosen = frame[frame["milestone"] == milestone]
    return {
        str(code): (pd.Timestamp(due).date(), int(left), str(status))
        for code, due, left, status in zip(
            chosen["code"], chosen["due"], chosen["days_left"], chosen["status"], strict=True
        )
    }


def _salten(case: e.Case) -> e.Case:
    """``case`` with the code letters Salten gives its municipality (the strategy's are any)."""
    letters = SALTEN.membership(case.municipality.name).letters
    return attrs.evolve(case, code=attrs.evolve(case.code, municipality=letters))


def _undecided(case: e.Case, on: dt.date) -> bool:
    """Oracle: referred by ``on``, and no acceptance, decline or closure dated by then."""
    if case.referred_on > on:
        return False
    kinds = (e.events.Acceptance, e.events.Decline, e.events.Closure)
    return not any(isinstance(ev, kinds) and ev.on <= on for ev in case.events)


def _in_follow_up_since(case: e.Case, on: dt.date) -> dt.date | None:
    """Oracle: the first day of the follow-up the case is in on ``on`` (accepted, out of any
    stay, not closed, not declined), replaying the events in order; None when it is not."""
    accepted = inside = closed = declined = False
    since: dt.date | None = None
    for ev in sorted(case.events, key=lambda ev: ev.on):
        if ev.on > on:
            break
        if isinstance(ev, e.events.Acceptance):
            accepted = True
            since = ev.on if since is None or not inside else since
        elif isinstance(ev, e.events.Decline):
            declined = True
        elif isinstance(ev, e.events.Admission):
            inside = True
        elif isinstance(ev, e.events.Discharge):
            inside = False
            since = ev.on
        elif isinstance(ev, e.events.Closure):
            closed = True
        elif isinstance(ev, e.events.Reopening):
            closed = False
    if not accepted or inside or closed or declined or since is None:
        return None
    return max(since, case.accepted_on or since)


def test_a_referral_without_a_decision_is_on_the_due_list_after_the_teams_days() -> None:
    case = e.Case.refer("01/20-FA", on=D(2020, 3, 2), municipality="Fauske")
    team = attrs.evolve(SALTEN, decision_days=10)
    early = e.due_list([case], on=D(2020, 3, 5), team=team)
    late = e.due_list([case], on=D(2020, 3, 20), team=team)
    assert _rows(early, "decision") == {"01/20-FA": (D(2020, 3, 12), 7, "upcoming")}
    assert _rows(late, "decision") == {"01/20-FA": (D(2020, 3, 12), -8, "overdue")}
    decided = case.accept(on=D(2020, 3, 19))
    assert _rows(e.due_list([decided], on=D(2020, 3, 20), team=team), "decision") == {}
    # as it stood before the decision, it was still waiting
    assert "01/20-FA" in _rows(e.due_list([decided], on=D(2020, 3, 18), team=team), "decision")


@given(case=s.cases(), offset=st.integers(min_value=-10, max_value=400))
def test_a_decision_row_is_listed_exactly_for_the_referrals_still_waiting(
    case: e.Case, offset: int
) -> None:
    case = _salten(case)
    on = case.referred_on + dt.timedelta(days=offset)
    found = _rows(e.due_list([case], on=on, team=SALTEN), "decision")
    if _undecided(case, on):
        due = case.referred_on + dt.timedelta(days=SALTEN.decision_days)
        status = "overdue" if due < on else ("due_today" if due == on else "upcoming")
        assert found == {str(case.code): (due, (due - on).days, status)}
    else:
        assert found == {}


def test_a_gap_in_contact_warns_with_the_staff_of_the_case() -> None:
    case = (
        e.Case.refer("01/20-FA", on=D(2020, 3, 2), municipality="Fauske")
        .accept(on=D(2020, 3, 4))
        .assign_staff("KB", on=D(2020, 3, 4), coordinator=True)
        .assign_staff("AH", on=D(2020, 3, 4))
    )
    contacts = {"01/20-FA": [D(2020, 3, 10)]}
    quiet = e.due_list([case], on=D(2020, 3, 30), team=SALTEN, contacts=contacts)
    rows = quiet[quiet["milestone"] == "contact_gap"]
    assert rows[["staff", "coordinator", "status"]].values.tolist() == [["AH, KB", "KB", "warning"]]
    assert rows["due"].dt.date.tolist() == [D(2020, 3, 24)]  # 14 days after the last contact
    fresh = e.due_list([case], on=D(2020, 3, 23), team=SALTEN, contacts=contacts)
    assert "contact_gap" not in set(fresh["milestone"])
    mine = e.due_list([case], on=D(2020, 3, 30), team=SALTEN, contacts=contacts, staff="TO-2")
    assert mine.empty  # "my cases" of a member not on the case: none of it
    # without contacts asked for, no gap is guessed
    assert "contact_gap" not in set(e.due_list([case], on=D(2020, 3, 30), team=SALTEN)["milestone"])


def test_the_examples_contacts_are_direct_follow_up_of_the_person() -> None:
    example = e.examples.salten_2020()
    contacts = example.log.contact_days()
    frame = example.log.to_frame()
    direct = {c.key for c in SALTEN.categories.in_group(tables.ReportGroup.USER_FOLLOW_UP)}
    chosen = frame[frame["case"].notna() & frame["category"].astype(str).isin(direct)]
    expected: dict[str, set[dt.date]] = {}
    for code, day in zip(chosen["case"].astype(str), chosen["date"], strict=True):
        expected.setdefault(code, set()).add(day.date())
    assert {k: set(v) for k, v in contacts.items()} == expected
    assert "driving" not in direct and "no_show" not in direct


@given(
    case=s.cases(),
    offset=st.integers(min_value=0, max_value=300),
    contact_offsets=st.lists(st.integers(min_value=0, max_value=300), max_size=5),
    gap=st.integers(min_value=1, max_value=60),
)
def test_a_gap_warning_is_listed_exactly_when_close_follow_up_went_quiet(
    case: e.Case, offset: int, contact_offsets: list[int], gap: int
) -> None:
    case = _salten(case)
    on = case.referred_on + dt.timedelta(days=offset)
    days = [case.referred_on + dt.timedelta(days=d) for d in contact_offsets]
    team = attrs.evolve(SALTEN, contact_gap_days=gap)
    found = _rows(
        e.due_list([case], on=on, team=team, contacts={str(case.code): days}), "contact_gap"
    )
    since = _in_follow_up_since(case, on)
    if since is None:
        assert found == {}
        return
    last = max([d for d in days if since <= d <= on], default=since)
    if (on - last).days >= gap:
        due = last + dt.timedelta(days=gap)
        assert found == {str(case.code): (due, (due - on).days, "warning")}
    else:
        assert found == {}


def test_the_team_settings_are_checked() -> None:
    import pytest

    with pytest.raises(e.EttervernError):
        attrs.evolve(SALTEN, contact_gap_days=0)
    with pytest.raises(e.EttervernError):
        attrs.evolve(SALTEN, decision_days=-1)
    assert (SALTEN.contact_gap_days, SALTEN.decision_days) == (14, 14)
