from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from ettervern._core import (
    ChangeKind,
    municipality_changes,
    municipality_successor,
    municipality_successors,
)

AFTER_2024 = st.dates(min_value=dt.date(2024, 1, 1), max_value=dt.date(2030, 12, 31))


def names(query: str, on: dt.date) -> list[tuple[str, str]]:
    return [(m.name, m.number) for m, _ in municipality_successors(query, on=on)]


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Tysfjord", [("Hamarøy", "1875"), ("Narvik", "1806")]),
        ("1850", [("Hamarøy", "1875"), ("Narvik", "1806")]),
        ("1849", [("Hamarøy", "1875")]),
        ("3026", [("Aurskog-Høland", "3226")]),
        ("5401", [("Tromsø", "5501")]),
        ("Finnøy", [("Stavanger", "1103")]),
        ("Forsand", [("Sandnes", "1108")]),
        ("0616", [("Nesbyen", "3322")]),
        ("Nes", [("Nes", "3228")]),
        ("1507", [("Haram", "1580"), ("Ålesund", "1508")]),
        ("Fauske", [("Fauske", "1841")]),
        ("Atlantis", []),
    ],
)
def test_the_issues_old_names_and_numbers_resolve_in_2024(
    query: str, expected: list[tuple[str, str]]
) -> None:
    assert names(query, dt.date(2024, 1, 1)) == expected


def test_the_numbers_of_2020_to_2023_are_valid_in_between() -> None:
    assert names("3026", dt.date(2022, 6, 1)) == [("Aurskog-Høland", "3026")]
    assert names("Tromsø", dt.date(2021, 6, 1)) == [("Tromsø", "5401")]
    assert names("Ålesund", dt.date(2022, 6, 1)) == [("Ålesund", "1507")]
    assert names("Tysfjord", dt.date(2019, 6, 1)) == [("Tysfjord", "1850")]
    # Before 2020 the two municipalities called Nes both existed.
    assert names("Nes", dt.date(2019, 6, 1)) == [("Nes", "0236"), ("Nes", "0616")]
    assert names("5401", dt.date(2019, 6, 1)) == []
    # Stavanger took Finnøy and Rennesøy in and kept its number: it existed before 2020 too.
    assert names("Stavanger", dt.date(2019, 6, 1)) == [("Stavanger", "1103")]
    assert names("1103", dt.date(2019, 6, 1)) == [("Stavanger", "1103")]


def test_the_changes_on_the_way_are_named_with_their_dates() -> None:
    place, changes = municipality_successor("0221", on=dt.date(2024, 1, 1))
    assert place.number == "3226"
    assert [(c.kind, c.new_number, c.valid_from.year) for c in changes] == [
        (ChangeKind.MERGER, "3026", 2020),
        (ChangeKind.RENUMBERING, "3226", 2024),
    ]
    assert str(changes[0].describe()) == (
        "Aurskog-Høland (0221) → Aurskog-Høland (3026): merger 2020-01-01"
    )
    assert "KLASS 131" in changes[0].source


def test_a_split_needs_the_members_to_choose_a_successor() -> None:
    with pytest.raises(e.errors.UnknownMunicipalityError, match="split") as raised:
        municipality_successor("Tysfjord", on=dt.date(2020, 1, 1))
    assert set(raised.value.known) == {"Narvik", "Hamarøy"}
    salten = [m.municipality for m in e.teams.salten().members]
    assert (
        municipality_successor("Tysfjord", on=dt.date(2020, 1, 1), among=salten)[0].name
        == "Hamarøy"
    )
    with pytest.raises(e.errors.UnknownMunicipalityError):
        municipality_successor("Finnøy", among=salten)


def test_every_successor_of_today_is_in_the_2024_register() -> None:
    """The cross-check of the shipped changes against the shipped register."""
    register = e.municipalities.municipality_register()
    today = dt.date(2024, 1, 1)
    for change in municipality_changes():
        for place, _ in municipality_successors(change.old_number, on=today):
            found = register.find(place.number)
            assert found is not None, change
            assert found.name == place.name, change
        if change.valid_from == today:
            assert register.find(change.new_number) is not None, change


def test_the_2020_reform_and_2024_split_are_complete_for_the_renumbered_counties() -> None:
    made_2020 = {c.new_number for c in municipality_changes() if c.valid_from.year == 2020}
    assert len({n for n in made_2020 if n[:2] == "30"}) == 51  # Viken
    assert len({n for n in made_2020 if n[:2] == "38"}) == 23  # Vestfold og Telemark
    assert len({n for n in made_2020 if n[:2] == "54"}) == 39  # Troms og Finnmark
    counties_2024 = {c.new_number[:2] for c in municipality_changes() if c.valid_from.year == 2024}
    assert counties_2024 == {"15", "31", "32", "33", "39", "40", "55", "56"}


@given(st.sampled_from(list(e.municipalities.municipality_register())), AFTER_2024)
def test_a_municipality_of_the_register_is_its_own_successor(
    place: e.Municipality, day: dt.date
) -> None:
    assert municipality_successors(place.number, on=day) == ((place, ()),)


@given(st.sampled_from(municipality_changes()))
def test_each_change_leads_to_its_new_municipality_on_its_day(
    change: e.municipalities.MunicipalityChange,
) -> None:
    found = municipality_successors(change.old_number, on=change.valid_from)
    assert change.new_number in {m.number for m, _ in found}
    path = next(path for m, path in found if m.number == change.new_number)
    # A municipality that took others in and kept its number (Stavanger) has no change on its
    # own way; every other change is on the way to its new municipality.
    assert (change in path) == (change.old_number != change.new_number)


@given(st.sampled_from(municipality_changes()))
def test_the_old_municipality_existed_the_day_before_its_change(
    change: e.municipalities.MunicipalityChange,
) -> None:
    day_before = change.valid_from - dt.timedelta(days=1)
    found = municipality_successors(change.old_number, on=day_before)
    assert [(m.number, path) for m, path in found] == [(change.old_number, ())]
