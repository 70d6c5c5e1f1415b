"""The case format's JSON Schema: generated, shipped, published, versioned, and true to the data."""

from __future__ import annotations

import copy
import datetime as dt
import json
from pathlib import Path
from typing import Any, Literal

import attrs
import jsonschema
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from ettervern._io._schema import _Builder
from tests import strategies as s

ROOT = Path(__file__).resolve().parents[2]
FINGERPRINTS = Path(__file__).with_name("case_schema_fingerprints.json")
VALIDATOR = jsonschema.Draft202012Validator(
    e.interchange.case_schema(), format_checker=jsonschema.Draft202012Validator.FORMAT_CHECKER
)


def test_the_schema_is_valid_json_schema() -> None:
    jsonschema.Draft202012Validator.check_schema(e.interchange.case_schema())
    assert (
        e.interchange.case_schema()["$id"]
        == e.interchange.CASE_SCHEMA_ID
        == "urn:ettervern:schema:case:6.0"
    )


def test_the_shipped_and_published_copies_are_the_generated_schema() -> None:
    generated = e.interchange.case_schema_text()
    assert e._io.shipped_case_schema() == generated
    published = ROOT / "docs" / "assets" / "case.schema.json"
    assert published.read_text(encoding="utf-8") == generated, (
        "run python scripts/case_schema.py to refresh the published copy"
    )


def test_a_schema_change_needs_a_new_version() -> None:
    recorded = json.loads(FINGERPRINTS.read_text(encoding="utf-8"))
    version = e.interchange.CASE_SCHEMA_ID.rsplit(":", 1)[
        1
    ]  # "5.1": format 5, revision 1 of its schema
    assert version in recorded, (
        f"CASE_SCHEMA_VERSION {version} has no recorded fingerprint: add "
        f"{e.interchange.case_schema_fingerprint()!r} to {FINGERPRINTS.name}"
    )
    assert recorded[version] == e.interchange.case_schema_fingerprint(), (
        "the case schema changed but CASE_SCHEMA_VERSION did not: bump it, teach "
        "case_from_dict the new version, and record the new fingerprint under the new version "
        "(never edit a recorded one)"
    )
    assert len(set(recorded.values())) == len(recorded), "two versions with one schema"


TEAMS = ("salten", "jaeren", "integrated")


@st.composite
def team_cases(draw: st.DrawFn) -> e.Case:
    """A random case coded in the scheme of one of the shipped teams."""
    case = draw(s.cases())
    scheme = e.teams.team(draw(st.sampled_from(TEAMS))).code_scheme
    return attrs.evolve(case, code=attrs.evolve(case.code, scheme=scheme))


@given(team_cases())
def test_every_serialised_case_of_every_team_validates(case: e.Case) -> None:
    VALIDATOR.validate(e.interchange.case_to_dict(case))


@pytest.mark.parametrize("name", TEAMS)
def test_the_example_cases_and_files_of_every_team_validate(name: str) -> None:
    example = e.examples.example(name)
    assert example.team.code_scheme == example.cases[0].code.scheme
    for case in example.cases:
        VALIDATOR.validate(e.interchange.case_to_dict(case))
    shipped = ROOT / "src" / "ettervern" / "_data" / "examples" / f"{example_file(name)}"
    for document in json.loads(shipped.read_text(encoding="utf-8")):
        VALIDATOR.validate(document)


def example_file(name: str) -> str:
    years = {"salten": 2020, "jaeren": 2019, "integrated": 2025}
    return f"{name}_{years[name]}_cases.json"


def _properties(node: object) -> list[tuple[str, dict[str, Any]]]:
    """Every property schema in the document, with its key."""
    found: list[tuple[str, dict[str, Any]]] = []
    if isinstance(node, dict):
        found += list(node.get("properties", {}).items())
        for value in node.values():
            found += _properties(value)
    elif isinstance(node, list):
        for value in node:
            found += _properties(value)
    return found


def test_every_property_has_a_title_and_description_in_every_language() -> None:
    properties = _properties(e.interchange.case_schema())
    assert len(properties) > 60
    for key, schema in properties:
        assert schema["title"] and schema["description"], key
        assert set(schema["x-translations"]) == {"nb", "nn", "en"}, key
        for texts in schema["x-translations"].values():
            assert texts["title"] and texts["description"], key
    code_scheme = e.interchange.case_schema()["properties"]["code_scheme"]
    assert code_scheme["title"] == "Kodemønster"
    assert code_scheme["x-translations"]["en"]["title"] == "Code scheme"


def test_every_enum_value_is_labelled_in_every_language() -> None:
    defs = e.interchange.case_schema()["$defs"]
    enums = {name: d for name, d in defs.items() if "oneOf" in d}
    assert set(enums) >= {"StayKind", "ClosureReason", "Gender", "ServiceKind", "Score"}
    for name, schema in enums.items():
        assert "enum" not in schema
        for choice in schema["oneOf"]:
            labels = {locale: texts["title"] for locale, texts in choice["x-translations"].items()}
            assert set(labels) == {"nb", "nn", "en"}, (name, choice["const"])
            assert choice["title"] == labels["nb"]
            assert labels["nb"] != choice["const"], (name, choice["const"])
    prison = next(c for c in defs["StayKind"]["oneOf"] if c["const"] == "prison")
    assert prison["title"] == "Soning"


def test_the_events_are_described_by_their_fields() -> None:
    defs = e.interchange.case_schema()["$defs"]
    assert set(defs) >= {cls.__name__ for cls in e._pathway.EVENT_TYPES}
    closure = defs["Closure"]
    assert closure["required"] == ["event", "on", "reason"]
    assert closure["properties"]["event"]["const"] == "closure"
    assert closure["title"] == "Avslutningen"
    assert closure["additionalProperties"] is False
    assert [choice["const"] for choice in defs["StayKind"]["oneOf"]] == [
        "treatment",
        "mental_health",
        "prison",
        "user_controlled",
        "other",
    ]
    assert defs["Score"]["type"] == "integer"
    assert [choice["const"] for choice in defs["Score"]["oneOf"]] == [1, 2, 3]


def _case() -> dict[str, Any]:
    return {
        "schema_version": 6,
        "code": "02/20-ST",
        "municipality": "Steigen",
        "events": [
            {"event": "referral", "on": "2020-03-02", "source": None},
            {"event": "admission", "on": "2020-03-03", "kind": "treatment"},
            {"event": "assessment", "on": "2020-03-04", "outcome": {"housing": 2}},
        ],
        "gender": "female",
        "birth_year": 1990,
    }


def test_a_hand_written_case_validates() -> None:
    VALIDATOR.validate(_case())
    assert e.interchange.case_to_dict(e.interchange.case_from_dict(_case()))["events"][2][
        "outcome"
    ] == {"housing": 2}


@pytest.mark.parametrize(
    ("path", "value"),
    [
        (("schema_version",), 7),
        (("code",), ""),
        (("events",), []),
        (("events", 0, "event"), "phone_call"),
        (("events", 1, "kind"), "hospital"),
        (("events", 1, "on"), "03.03.2020"),
        (("events", 1, "on"), "2020-02-30"),
        (("events", 1, "staff"), 2),
        (("events", 2, "outcome", "housing"), 4),
        (("events", 2, "outcome", "flags"), ["employed"]),
        (("gender",), "f"),
        (("nickname",), "Ola"),
    ],
)
def test_what_the_schema_refuses(path: tuple[Any, ...], value: object) -> None:
    data = copy.deepcopy(_case())
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    target[path[-1]] = value
    with pytest.raises(jsonschema.ValidationError):
        VALIDATOR.validate(data)
    with pytest.raises(e.errors.ConfigError):
        e.interchange.case_from_dict(data)


@attrs.frozen
class Handover:
    """Who takes over: a value with kinds of fields another change may add to an event."""

    service: Literal["psykisk_helse", "nav"]
    hours: dict[str, int]
    meetings: tuple[dt.date, ...] = ()
    kind: e.StayKind | None = None


def test_new_kinds_of_fields_get_a_schema_too() -> None:
    builder = _Builder()
    assert builder.schema(Handover) == {"$ref": "#/$defs/Handover"}
    handover = builder.defs["Handover"]
    assert handover["required"] == ["service", "hours"]
    assert handover["properties"]["service"]["enum"] == ["psykisk_helse", "nav"]
    assert handover["properties"]["service"]["title"] == "Tjeneste"  # a known key keeps its label
    assert handover["properties"]["hours"] == {
        "type": "object",
        "additionalProperties": {"type": "integer"},
    }
    assert handover["properties"]["meetings"]["items"]["format"] == "date"
    assert handover["properties"]["kind"]["anyOf"] == [
        {"$ref": "#/$defs/StayKind"},
        {"type": "null"},
    ]
