"""Municipality names as people write them, and a "did you mean" for the ones mistyped."""

from __future__ import annotations

import pytest

import ettervern as e
from ettervern._core._municipalities import register
from ettervern.errors import UnknownCategoryError, UnknownMunicipalityError


@pytest.mark.parametrize(
    ("written", "name"),
    [
        ("Voss herad", "Voss"),
        ("Kvam herad", "Kvam"),
        ("Ulvik herad", "Ulvik"),
        ("Fauske kommune", "Fauske"),
        ("  hamarøy KOMMUNE ", "Hamarøy"),
        ("Kárášjohka", "Karasjok"),
        ("Karasjohka suohkan", "Karasjok"),
        ("Guovdageaidnu", "Kautokeino"),
        ("Snåase tjïelte", "Snåsa"),
        ("Deatnu", "Tana"),
    ],
)
def test_names_people_use_are_accepted(written: str, name: str) -> None:
    assert register().get(written).name == name


def test_a_team_member_by_its_full_name() -> None:
    assert e.teams.salten().municipality("Fauske kommune").name == "Fauske"


def test_a_misspelt_municipality_gets_a_did_you_mean() -> None:
    with pytest.raises(UnknownMunicipalityError) as caught:
        register().get("Eidfjor")
    assert caught.value.suggestions[0] == "Eidfjord"
    assert "mente du «Eidfjord»" in caught.value.message_in("nb")


def test_the_register_lists_the_closest_not_the_first_twelve() -> None:
    with pytest.raises(UnknownMunicipalityError) as caught:
        register().get("Tromso")
    text = caught.value.message_in("en")
    assert "Tromsø" in text
    assert "Alstahaug" not in text and "Agdenes" not in text and "known" not in text


def test_a_misspelt_category_gets_a_did_you_mean() -> None:
    with pytest.raises(UnknownCategoryError) as caught:
        e.teams.salten().categories.get("Kjoring")
    assert caught.value.suggestions == ("Kjøring",)


def test_a_misspelt_member_gets_a_did_you_mean() -> None:
    with pytest.raises(UnknownMunicipalityError) as caught:
        e.teams.salten().municipality("Fausk")
    assert caught.value.suggestions == ("Fauske",)
