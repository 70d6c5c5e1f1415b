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
        == "urn:ettervern:schema:case:5"
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
    version = str(e.interchange.CASE_SCHEMA_VERSION)
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


@given(s.cases())
def test_every_serialised_case_validates(case: e.Case) -> None:
    VALIDATOR.validate(e.interchange.case_to_dict(case))


def test_the_example_cases_validate() -> None:
    for case in e.examples.salten_2020().cases:
        VALIDATOR.validate(e.interchange.case_to_dict(case))


def test_the_events_are_described_by_their_fields() -> None:
    defs = e.interchange.case_schema()["$defs"]
    assert set(defs) >= {cls.__name__ for cls in e._pathway.EVENT_TYPES}
    closure = defs["Closure"]
    assert closure["required"] == ["event", "on", "reason"]
    assert closure["properties"]["event"] == {"const": "closure"}
    assert closure["additionalProperties"] is False
    assert defs["StayKind"]["enum"] == [
        "treatment",
        "mental_health",
        "prison",
        "user_controlled",
        "other",
    ]
    assert defs["Score"] == {
        "type": "integer",
        "enum": [1, 2, 3],
        "description": defs["Score"]["description"],
    }


def _case() -> dict[str, Any]:
    return {
        "schema_version": 5,
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
        (("schema_version",), 6),
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
    assert handover["properties"]["service"] == {"enum": ["psykisk_helse", "nav"]}
    assert handover["properties"]["hours"] == {
        "type": "object",
        "additionalProperties": {"type": "integer"},
    }
    assert handover["properties"]["meetings"]["items"]["format"] == "date"
    assert handover["properties"]["kind"] == {
        "anyOf": [{"$ref": "#/$defs/StayKind"}, {"type": "null"}]
    }
