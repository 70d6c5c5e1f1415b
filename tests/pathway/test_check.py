"""Cases checked against their team: membership on the referral date, code scheme, letters, year."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e

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
