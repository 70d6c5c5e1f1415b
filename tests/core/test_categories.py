from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

import ettervern as e
from tests import strategies as s


@pytest.fixture(scope="module")
def catalog() -> e.CategoryCatalog:
    return e.teams.salten_categories()


def test_the_ten_seed_categories(catalog: e.CategoryCatalog) -> None:
    assert [c.number for c in catalog] == list(range(1, 11))
    assert [c.name for c in catalog] == [
        "Brukeroppfølging",
        "Kjøring",
        "Samarbeidspartnere",
        "Institusjon bruker",
        "Administrasjonsarbeid",
        "Overnatting",
        "Nettverksarbeid",
        "Veiledning fra prosjektleder",
        "Erfaringskonsulent",
        "Ikke møtt",
    ]
    assert len(catalog) == 10


def test_administration_only_before_2021(catalog: e.CategoryCatalog) -> None:
    on_2021 = {c.key for c in catalog.valid_on(dt.date(2021, 3, 1))}
    on_2020 = {c.key for c in catalog.valid_on(dt.date(2020, 12, 31))}
    assert "administration" not in on_2021
    assert "administration" in on_2020
    assert on_2020 - on_2021 == {"administration"}
    with pytest.raises(e.errors.CategoryNotValidError, match="until 2020-12-31") as info:
        catalog.check("Administrasjonsarbeid", dt.date(2021, 1, 1))
    assert isinstance(info.value, ValueError)
    assert catalog.check(5, dt.date(2020, 6, 1)).key == "administration"


@pytest.mark.parametrize(
    "query",
    [
        "Brukeroppfølging",
        "Bruker oppfølging",
        "brukeroppfølging ",
        "BRUKER-OPPFØLGING",
        1,
        "1",
        "user_follow_up",
    ],
)
def test_lookup_variants(catalog: e.CategoryCatalog, query: str | int) -> None:
    assert catalog.get(query).key == "user_follow_up"


def test_unknown_category_lists_the_choices(catalog: e.CategoryCatalog) -> None:
    with pytest.raises(e.errors.UnknownCategoryError) as info:
        catalog.get("Kaffepause")
    assert "'Kaffepause'" in str(info.value)
    assert "2 Kjøring" in str(info.value)
    assert isinstance(info.value, KeyError)
    assert catalog.find(11) is None
    assert catalog.find(True) is None  # a bool is not a category number
    assert "Kjøring" in catalog
    assert 42 not in catalog


def test_report_groups(catalog: e.CategoryCatalog) -> None:
    follow_up = {c.key for c in catalog.in_group(e.tables.ReportGroup.USER_FOLLOW_UP)}
    assert follow_up == {"user_follow_up", "in_institution"}
    assert {c.key for c in catalog.in_group("in_institution")} == {"in_institution"}
    assert [c.key for c in catalog.in_group("wasted")] == ["no_show"]
    assert catalog.get("Kjøring").in_group("driving")
    assert not catalog.get("Kjøring").in_group(e.tables.ReportGroup.OVERHEAD)


@given(s.dates, s.dates, s.dates)
def test_validity_is_an_inclusive_period(start: dt.date, end: dt.date, day: dt.date) -> None:
    start, end = min(start, end), max(start, end)
    category = e.Category("x", "X", valid_from=start, valid_until=end)
    assert category.valid_on(day) == (start <= day <= end)


def test_catalog_refuses_duplicates_and_backwards_periods() -> None:
    with pytest.raises(ValueError, match="used by both"):
        e.CategoryCatalog("c", [e.Category("a", "A", 1), e.Category("b", "B", 1)])
    with pytest.raises(ValueError, match="before valid_from"):
        e.Category("a", "A", valid_from=dt.date(2021, 1, 1), valid_until=dt.date(2020, 1, 1))


def test_describe_validity() -> None:
    d1, d2 = dt.date(2020, 1, 1), dt.date(2021, 1, 1)
    assert str(e.Category("a", "A").describe_validity()) == "always"
    assert str(e.Category("a", "A", valid_from=d1).describe_validity()) == "from 2020-01-01"
    both = e.Category("a", "A", valid_from=d1, valid_until=d2).describe_validity()
    assert str(both) == "from 2020-01-01 until 2021-01-01"
    assert both.render("nb") == "fra 01.01.2020 til og med 01.01.2021"
    assert both.render("nn") == "frå 01.01.2020 til og med 01.01.2021"


def test_label_falls_back_to_the_teams_own_name() -> None:
    known = e.teams.salten_categories().get("Kjøring")
    assert known.label().render("en") != known.name  # the catalogs translate it
    own = e.Category("peer_support", "Likepersonsarbeid")
    assert own.label().render("en") == "Likepersonsarbeid"
    assert own.label().render("nn") == "Likepersonsarbeid"


def test_a_team_defines_its_own_catalog_as_data() -> None:
    catalog = e.interchange.catalog_from_dict(
        {
            "name": "Jæren",
            "categories": [
                {"key": "group", "name": "Gruppetilbud", "groups": ["case_work"]},
                {"key": "talk", "name": "Samtale", "number": 2, "valid_from": "2022-01-01"},
            ],
        }
    )
    assert catalog.get("gruppetilbud").groups == frozenset({e.tables.ReportGroup.CASE_WORK})
    assert [c.key for c in catalog.valid_on(dt.date(2021, 6, 1))] == ["group"]
    with pytest.raises(e.errors.ConfigError, match=r"\$\.categories\[0\]\.groups"):
        e.interchange.catalog_from_dict(
            {"name": "x", "categories": [{"key": "a", "name": "A", "groups": ["nope"]}]}
        )
