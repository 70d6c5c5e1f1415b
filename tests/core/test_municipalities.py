from __future__ import annotations

import pytest

import ettervern as e


def test_register_holds_every_municipality() -> None:
    register = e.municipalities.municipality_register()
    assert len(register) == 357
    assert len({m.number for m in register}) == 357
    names = [m.name for m in register]
    assert names == e.language.norwegian_sorted(names)


@pytest.mark.parametrize(
    "query", ["Hamarøy", "hamarøy", "  HAMARØY ", "Hábmer - Hamarøy", "hábmer", "1875"]
)
def test_lookup_by_number_and_any_name(query: str) -> None:
    found = e.municipality(query)
    assert (found.number, found.name, found.official_name) == (
        "1875",
        "Hamarøy",
        "Hábmer - Hamarøy",
    )
    assert found.letters is None


def test_names_as_written_find_what_the_folded_names_find() -> None:
    """The number, name and official name as the register writes them are looked up before any
    folding; they must find what the folded text finds, and a shared name must stay ambiguous."""
    register = e.municipalities.municipality_register()
    for item in register:
        for text in (item.number, item.name, item.official_name):
            assert register.find(text) == register.find(f"  {text.upper()} ")
            assert register.find(text) in (item, None)
        assert register.get(item.number) is item
    assert register.find("Herøy") is None


def test_shared_names_are_ambiguous_unless_the_county_is_given() -> None:
    with pytest.raises(e.errors.UnknownMunicipalityError, match="ambiguous") as info:
        e.municipality("Herøy")
    assert isinstance(info.value, KeyError)
    assert "Herøy (Nordland)" in str(info.value)
    assert e.municipality("Herøy (Nordland)").number == "1818"


def test_unknown_municipality_is_a_clear_error() -> None:
    with pytest.raises(e.errors.UnknownMunicipalityError) as info:
        e.municipality("Atlantis")
    assert "'Atlantis'" in str(info.value)
    assert info.value.query == "Atlantis"
    with pytest.raises(e.errors.UnknownMunicipalityError):
        e.municipality("9999")


def test_equality_is_by_number() -> None:
    fauske = e.municipality("Fauske")
    assert fauske == fauske.with_letters("FA")
    assert hash(fauske) == hash(fauske.with_letters("FA"))
    assert fauske != e.municipality("Saltdal")
    assert fauske.county_number == "18"
    assert str(fauske) == "Fauske"
    assert e.municipality("Fauske") in e.municipalities.municipality_register()
    assert "fauske - fuossko" in e.municipalities.municipality_register()
    assert 1841 not in e.municipalities.municipality_register()


@pytest.mark.parametrize(
    ("number", "letters"), [("841", None), ("abcd", None), ("1841", "st"), ("1841", "ABCDE")]
)
def test_invalid_values_are_refused(number: str, letters: str | None) -> None:
    with pytest.raises(ValueError, match=r"number|letters"):
        e.Municipality(number=number, name="X", letters=letters)


def test_buckets() -> None:
    assert str(e.municipalities.Bucket.SHARED) == "Felles"
    assert e.municipalities.Bucket.OTHER_MUNICIPALITIES.key == "other_municipalities"
    assert (
        e.municipalities.Bucket.parse(" andre  KOMMUNER")
        is e.municipalities.Bucket.OTHER_MUNICIPALITIES
    )
    assert e.municipalities.Bucket.parse("shared") is e.municipalities.Bucket.SHARED
    assert (
        e.municipalities.Bucket.parse("other municipalities")
        is e.municipalities.Bucket.OTHER_MUNICIPALITIES
    )
    assert e.municipalities.Bucket.parse("Fauske") is None
