from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import ettervern as e


def test_salten_preset(salten: e.Team) -> None:
    assert salten.host.name == "Fauske"
    assert (salten.staff_fte, salten.staff_per_case, salten.time_resolution) == (4.0, 2, 0.5)
    assert (salten.follow_up_target.min_weeks, salten.follow_up_target.max_weeks) == (6, 8)
    assert salten.follow_up_target.longest == dt.timedelta(days=56)
    assert salten.follow_up_target.shortest == dt.timedelta(days=42)
    letters = {m.municipality.name: m.letters for m in salten.members}
    assert letters == {
        "Fauske": "FA",
        "Sørfold": "SØ",
        "Hamarøy": "HA",
        "Steigen": "ST",
        "Saltdal": "SA",
        "Meløy": "ME",
        "Gildeskål": "GI",
        "Beiarn": "BE",
        "Rødøy": "RØ",
    }


def test_rodoy_joins_in_september_2020(salten: e.Team) -> None:
    august = [m.name for m in salten.members_on(dt.date(2020, 8, 31))]
    september = [m.name for m in salten.members_on(dt.date(2020, 9, 1))]
    assert "Rødøy" not in august
    assert "Rødøy" in september
    assert august == e.language.norwegian_sorted(august)
    assert not salten.is_member("Rødøy", dt.date(2020, 8, 1))
    assert salten.is_member("RØ", dt.date(2020, 9, 1))
    assert not salten.is_member("Bodø", dt.date(2020, 9, 1))


@pytest.mark.parametrize("query", ["ST", "st", "Steigen", "1848", " steigen "])
def test_member_lookup_by_letters_number_or_name(salten: e.Team, query: str) -> None:
    found = salten.municipality(query)
    assert (found.name, found.letters) == ("Steigen", "ST")


def test_member_lookup_with_the_sami_name(salten: e.Team) -> None:
    assert salten.municipality("Hábmer - Hamarøy").letters == "HA"
    assert salten.municipality(e.municipality("Fauske")).letters == "FA"
    with pytest.raises(e.errors.UnknownMunicipalityError, match="team") as info:
        salten.municipality("Bodø")
    assert "ST Steigen" in str(info.value)
    with pytest.raises(e.errors.UnknownMunicipalityError):
        salten.municipality(e.municipality("Bodø"))


def test_team_codes(salten: e.Team) -> None:
    code = salten.next_case_code(["01/20-ST"], municipality="Steigen", year=2020)
    assert str(code) == "02/20-ST"
    assert salten.parse_code("02/20-ST") == code
    assert [c.key for c in salten.categories_on(dt.date(2021, 1, 1))].count("administration") == 0


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_save_and_load_round_trip(salten: e.Team, tmp_path: Path, suffix: str) -> None:
    path = e.write_team(salten, tmp_path / f"team{suffix}")
    assert e.read_team(path) == salten


def test_custom_team_in_another_county(tmp_path: Path) -> None:
    team = e.Team(
        name="Ettervern Jæren",
        host=e.municipality("Klepp"),
        members=[
            e.Membership(e.municipality("Klepp"), "KL"),
            e.Membership(
                e.municipality("Time"), "TI", since=dt.date(2018, 1, 1), until=dt.date(2019, 12, 31)
            ),
        ],
        categories=e.teams.salten_categories(),
        code_scheme=e.CodeScheme("{letters}-{yyyy}-{number}", number_width=3),
    )
    path = e.write_team(team, tmp_path / "jaeren.toml")
    assert e.read_team(path) == team
    assert [m.name for m in team.members_on(dt.date(2020, 1, 1))] == ["Klepp"]
    assert str(team.next_case_code([], municipality="Time", year=2019)) == "TI-2019-001"


def test_load_errors_name_the_field(tmp_path: Path, salten: e.Team) -> None:
    data = e.interchange.team_to_dict(salten)
    data["members"][2]["since"] = "2020-13-01"
    data["staff_per_case"] = "two"
    data["colour"] = "blue"
    path = tmp_path / "bad.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    with pytest.raises(e.errors.ConfigError) as info:
        e.read_team(path)
    message = str(info.value)
    assert "$.members[2].since" in message
    assert "$.staff_per_case" in message
    assert "colour" in message
    assert str(path) in message
    assert isinstance(info.value, ValueError)


@pytest.mark.parametrize(
    ("change", "fragment"),
    [
        ({"host": "Atlantis"}, "Atlantis"),
        ({"categories": "nowhere"}, "no built-in catalog"),
        ({"categories": 7}, "built-in catalog name"),
        ({"time_resolution": 0.3333}, "time_resolution"),
        (
            {
                "members": [
                    {"municipality": "Fauske", "letters": "FA"},
                    {"municipality": "Fauske", "letters": "FB"},
                ]
            },
            "twice",
        ),
        (
            {
                "members": [
                    {"municipality": "Fauske", "letters": "FA"},
                    {"municipality": "Bodø", "letters": "FA"},
                ]
            },
            "twice",
        ),
        ({"members": [{"municipality": "Fauske", "letters": "fa"}]}, "letters"),
        ({"members": [{"municipality": 1841, "letters": "FA"}]}, "municipality"),
        (
            {
                "members": [
                    {
                        "municipality": "Fauske",
                        "letters": "FA",
                        "since": "2021-01-01",
                        "until": "2020-01-01",
                    }
                ]
            },
            "before",
        ),
        ({"members": [{"municipality": "Fauske", "letters": "FA", "since": 20200101}]}, "since"),
        ({"follow_up_target": {"min_weeks": 8, "max_weeks": 6}}, "max_weeks"),
    ],
)
def test_invalid_team_data(salten: e.Team, change: dict[str, object], fragment: str) -> None:
    data = {**e.interchange.team_to_dict(salten), **change}
    with pytest.raises(e.errors.ConfigError, match=fragment):
        e.interchange.team_from_dict(data)


def test_datetimes_are_not_dates(salten: e.Team) -> None:
    data = e.interchange.team_to_dict(salten)
    data["members"][0]["since"] = dt.datetime(2020, 1, 1, 8, 0)  # noqa: DTZ001 - a naive value is the point
    with pytest.raises(e.errors.ConfigError, match="without a time"):
        e.interchange.team_from_dict(data)


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("missing.toml", None, "does not exist"),
        ("team.yaml", "name: x", "expected a file ending in .toml or .json"),
        ("broken.toml", "name = ", "not valid TOML"),
        ("list.json", "[1, 2]", "top level"),
    ],
)
def test_file_errors(tmp_path: Path, name: str, content: str | None, fragment: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises((e.errors.ConfigError, e.errors.FileError), match=fragment):
        e.read_team(path)


def test_save_refuses_unknown_suffix(salten: e.Team, tmp_path: Path) -> None:
    with pytest.raises(e.errors.ConfigError, match=r"\.toml or \.json"):
        e.write_team(salten, tmp_path / "team.txt")


def test_converters_are_independent() -> None:
    one, two = e.interchange.make_converter(), e.interchange.make_converter()
    assert one is not two
    one.register_unstructure_hook(e.Municipality, lambda m: m.number)
    fauske = e.municipality("Fauske")
    assert one.unstructure(fauske) == "1841"
    assert two.unstructure(fauske) == "Fauske"
    assert two.structure("2020-01-02", dt.date) == dt.date(2020, 1, 2)
    assert two.unstructure(e.CaseCode.parse("02/20-ST")) == "02/20-ST"
    assert two.structure("02/20-ST", e.CaseCode) == e.CaseCode.parse("02/20-ST")
