"""Cases checked against their team: membership on the referral date, code scheme, letters, year."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from tests import strategies as s

d = dt.date


def test_refer_with_a_team_reads_its_scheme_and_letters() -> None:
    jaeren = e.teams.jaeren()
    case = e.Case.refer("HÅ-2019-001", on=d(2019, 3, 4), municipality="HÅ", team=jaeren)
    assert case.municipality.name == "Hå"
    assert str(case.code) == "HÅ-2019-001"
    assert e.check_case(case, jaeren) is case


@pytest.mark.parametrize(
    ("code", "municipality", "on", "rule"),
    [
        ("01/20-ST", "Fauske", d(2020, 3, 2), "code_letters"),
        ("01/20-RØ", "Rødøy", d(2020, 8, 31), "not_a_member"),  # a member from September
        ("01/20-BG", "Bergen", d(2020, 3, 2), "not_a_member"),
        ("01/19-FA", "Fauske", d(2020, 3, 2), "code_year"),
    ],
)
def test_a_case_that_is_not_the_teams(code: str, municipality: str, on: dt.date, rule: str) -> None:
    salten = e.teams.salten()
    with pytest.raises(e.errors.PathwayError) as info:
        e.Case.refer(code, on=on, municipality=municipality, team=salten)
    assert info.value.rule == rule
    assert str(info.value.case) == code
    case = e.Case.refer(code, on=on, municipality=municipality)  # without a team: no check
    with pytest.raises(e.errors.PathwayError, match=rule):
        e.check_cases([case], salten)


def test_a_code_in_another_scheme() -> None:
    case = e.Case.refer("01/19-HÅ", on=d(2019, 3, 4), municipality="Hå")
    with pytest.raises(e.errors.PathwayError) as info:
        e.check_case(case, e.teams.jaeren())
    assert info.value.rule == "code_scheme"
    assert "{letters}-{yyyy}-{number}" in str(info.value)


@given(st.sampled_from(["GJ", "TI", "HÅ", "KL"]), st.integers(1, 999), st.integers(2018, 2030))
def test_every_member_code_of_its_year_belongs(letters: str, number: int, year: int) -> None:
    jaeren = e.teams.jaeren()
    text = jaeren.code_scheme.format_parts(number=number, year=year, letters=letters)
    case = e.Case.refer(text, on=d(year, 6, 1), municipality=letters, team=jaeren)
    assert case.municipality == jaeren.municipality(letters)
    assert str(case.code) == text


def _archive_team() -> e.Team:
    """Jæren keeping an archive back to 1985 (its codes have four-digit years)."""
    jaeren = e.teams.jaeren()
    members = tuple(attrs.evolve(m, since=None) for m in jaeren.members)
    return attrs.evolve(jaeren, members=members, earliest_date=d(1985, 1, 1))


def test_a_team_that_keeps_older_cases_widens_the_window_of_its_own_cases() -> None:
    team = _archive_team()
    with pytest.raises(e.errors.PathwayError) as info:
        e.Case.refer(team.parse_code("HÅ-1986-001"), on=d(1986, 3, 3), municipality="Hå")
    assert info.value.rule == "implausible_date"
    case = e.Case.refer("HÅ-1986-001", on=d(1986, 3, 3), municipality="HÅ", team=team)
    # The team's window goes with the case as it is moved on.
    case = case.accept(on=d(1986, 3, 5)).close(on=d(1986, 9, 1), reason="completed")
    assert case.closed_on == d(1986, 9, 1)
    assert e.check_case(case, team) is case
    text = e.cases_to_json([case])
    with pytest.raises(e.errors.ConfigError, match="implausible_date"):
        e.cases_from_json(text, strict=True)
    assert e.cases_from_json(text, team=team).accepted == (case,)


def test_the_window_is_the_teams_only_inside_the_block() -> None:
    team = _archive_team()
    code = team.parse_code("HÅ-1986-001")
    with e.plausible_dates_of(team):
        case = e.Case.refer(code, on=d(1986, 3, 3), municipality="Hå")
    assert case.referred_on == d(1986, 3, 3)
    with pytest.raises(e.errors.PathwayError, match="implausible_date"):
        e.Case.refer(code, on=d(1986, 3, 3), municipality="Hå")


def test_a_case_outside_a_narrower_team_window_is_not_the_teams() -> None:
    team = attrs.evolve(e.teams.salten(), earliest_date=d(2021, 1, 1))
    case = e.Case.refer("01/20-FA", on=d(2020, 3, 2), municipality="Fauske")
    with pytest.raises(e.errors.PathwayError) as info:
        e.check_case(case, team)
    assert info.value.rule == "outside_team_dates"
    assert "2021" in info.value.message_in("en")
    with pytest.raises(e.errors.PathwayError, match="implausible_date"):  # at the referral
        e.Case.refer("01/20-FA", on=d(2020, 3, 2), municipality="Fauske", team=team)


def test_a_case_moved_past_the_teams_latest_date_is_refused() -> None:
    team = attrs.evolve(e.teams.salten(), latest_date=d(2020, 12, 31))
    case = e.Case.refer("01/20-FA", on=d(2020, 3, 2), municipality="Fauske", team=team)
    with pytest.raises(e.errors.PathwayError) as info:
        case.accept(on=d(2021, 1, 4))
    assert info.value.rule == "implausible_date"
    assert "2020-12-31" in str(info.value) or "31" in info.value.message_in("en")


def test_the_teams_check_follows_today(monkeypatch: pytest.MonkeyPatch) -> None:
    """A team without a latest date takes records up to ten years after today; the check made
    once for many cases (a due list's) must move with the day, not keep another day's."""
    team = e.teams.salten()
    today = dt.datetime.now(dt.UTC).date()
    far = dt.date(today.year + 11, 6, 1)  # past today's window
    later = dt.datetime.combine(far, dt.time(12), dt.UTC).timestamp()  # a day that far on
    monkeypatch.setattr("time.time", lambda: later)
    case = e.Case.refer(f"01/{far.year % 100:02d}-FA", on=far, municipality="Fauske")
    assert e.check_case(case, team) is case
    monkeypatch.undo()
    with pytest.raises(e.errors.PathwayError) as info:
        e.check_case(case, team)
    assert info.value.rule == "outside_team_dates"
    monkeypatch.setattr("time.time", lambda: later)
    assert e.check_cases([case], team) == [case]


@given(st.lists(s.cases(), max_size=6))
def test_event_kinds_are_the_classes_of_every_event(cases: list[e.Case]) -> None:
    from ettervern._pathway import event_kinds

    assert event_kinds(cases) == {type(event) for case in cases for event in case.events}


def test_a_batch_without_moves_is_checked_as_each_case_is() -> None:
    from ettervern._pathway import check_batch, event_kinds

    team = e.teams.salten()
    day = dt.date(2020, 3, 2)
    staying = e.Case.refer("01/20-FA", on=day, municipality="Fauske", team=team)
    moved = staying.accept(on=day).move(on=dt.date(2020, 4, 1), to="Tromsø")
    assert check_batch([staying], team, event_kinds([staying])) == [staying]
    with pytest.raises(e.errors.PathwayError, match="Tromsø"):
        check_batch([staying, moved], team, event_kinds([staying, moved]))


_STRAYS = [
    ("01/20-ST", "Fauske", d(2020, 3, 2)),  # another member's letters
    ("01/20-RØ", "Rødøy", d(2020, 8, 31)),  # a member from September
    ("01/20-BG", "Bergen", d(2020, 3, 2)),  # not a member
    ("01/19-FA", "Fauske", d(2020, 3, 2)),  # the code's year is not the referral's
    ("01/20-FA", "Fauske", d(1990, 3, 2)),  # before the team's earliest date
]


@given(
    s.small_case_sets(),
    st.lists(st.sampled_from(_STRAYS), max_size=2),
    st.sampled_from(["salten", "jaeren"]),
)
def test_a_batch_is_checked_as_each_case_is_checked_on_its_own(
    cases: list[e.Case], strays: list[tuple[str, str, dt.date]], name: str
) -> None:
    # ``check_batch`` sees the usual case inline and hands any other to the one check: it must
    # pass the cases ``check_case`` passes and refuse the first it refuses, with its rule.
    from ettervern._pathway import check_batch, event_kinds

    team = e.teams.salten() if name == "salten" else e.teams.jaeren()
    with e.plausible_dates_of(None):
        batch = cases + [e.Case.refer(c, on=on, municipality=m) for c, m, on in strays]

    def outcome(check: object) -> object:
        try:
            return check()  # type: ignore[operator]
        except e.errors.PathwayError as exc:
            return exc.rule, str(exc.case)

    one_by_one = outcome(lambda: [e.check_case(case, team) for case in batch])
    assert outcome(lambda: check_batch(batch, team, event_kinds(batch))) == one_by_one
