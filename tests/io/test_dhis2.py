"""DHIS2 tracker export: the payload has the documented shape and follows the pathway."""

from __future__ import annotations

import copy
import datetime as dt
import functools
import gzip
import json
import tomllib
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import given, settings

import ettervern as e
from ettervern._data import data_path
from tests import strategies as s

d = dt.date
EXAMPLE = Path(str(data_path("dhis2", "salten.example.toml")))


@pytest.fixture(scope="module")
def mapping() -> e.interchange.Dhis2Mapping:
    return e.interchange.read_dhis2_mapping(EXAMPLE)


def _followed() -> e.Case:
    return (
        e.Case.refer("03/20-ST", on=d(2020, 3, 2), municipality="Steigen", gender="female")
        .admit(on=d(2020, 3, 2), kind="treatment")
        .accept(on=d(2020, 3, 4))
        .assess(on=d(2020, 3, 4), outcome=e.Outcome(housing=1, flags=["relapse"]))
        .begin_step("mapping", on=d(2020, 3, 5))
        .discharge(on=d(2020, 4, 1))
        .close(on=d(2020, 5, 20), reason="completed", report_delivered=True)
    )


def _stage_keys(mapping: e.interchange.Dhis2Mapping) -> dict[str, str]:
    return {uid: key for key, uid in mapping.stages.items()}


def test_the_example_year_gives_a_payload_of_the_documented_shape(
    mapping: e.interchange.Dhis2Mapping,
) -> None:
    example = e.examples.salten_2020()
    payload = e.interchange.to_dhis2(
        example.cases, mapping=mapping, team=example.team, template="salten"
    )
    e.interchange.validate_dhis2_payload(payload)
    assert len(payload["trackedEntities"]) == len(example.cases) == 16
    entities = [t["trackedEntity"] for t in payload["trackedEntities"]]
    enrollments = [t["enrollments"][0] for t in payload["trackedEntities"]]
    events = [ev for enrollment in enrollments for ev in enrollment["events"]]
    assert len(set(entities)) == len({en["enrollment"] for en in enrollments}) == 16
    assert len({ev["event"] for ev in events}) == len(events)
    # Each enrollment and event names its parent, as the flat import format needs.
    assert [en["trackedEntity"] for en in enrollments] == entities
    assert all(ev["enrollment"] == en["enrollment"] for en in enrollments for ev in en["events"])


@settings(max_examples=40)
@given(s.cases())
def test_generated_cases_give_valid_and_stable_payloads(case: e.Case) -> None:
    mapping = e.interchange.read_dhis2_mapping(EXAMPLE)
    payload = e.interchange.to_dhis2([case], mapping=mapping, template="salten")
    e.interchange.validate_dhis2_payload(payload)
    assert e.interchange.to_dhis2([case], mapping=mapping, template="salten") == payload


def test_the_events_follow_the_pathway(mapping: e.interchange.Dhis2Mapping) -> None:
    payload = e.interchange.to_dhis2(
        [_followed()], mapping=mapping, team=e.teams.salten(), template="salten"
    )
    (entity,) = payload["trackedEntities"]
    assert entity["orgUnit"] == mapping.org_units["1848"]  # Steigen
    assert "attributes" not in entity  # programme attributes go on the enrollment
    (enrollment,) = entity["enrollments"]
    assert {a["attribute"]: a["value"] for a in enrollment["attributes"]} == {
        mapping.attributes["case_code"]: "03/20-ST",
        mapping.attributes["gender"]: "K",  # the instance's option code, from the mapping
    }
    assert enrollment["status"] == "COMPLETED"
    # Midnight in Norway with its offset: winter time in March, summer time from 29 March.
    assert enrollment["enrolledAt"] == "2020-03-04T00:00:00.000+01:00"
    assert enrollment["occurredAt"] == "2020-03-02T00:00:00.000+01:00"
    assert enrollment["completedAt"] == "2020-05-20T00:00:00.000+02:00"
    stages = _stage_keys(mapping)
    got = [
        (
            stages[ev["programStage"]],
            ev["status"],
            ev["scheduledAt"][:10],
            ev.get("occurredAt", "")[:10],
        )
        for ev in enrollment["events"]
    ]
    assert got == [
        ("assessment", "COMPLETED", "2020-03-04", "2020-03-04"),
        ("mapping", "COMPLETED", "2020-03-05", "2020-03-05"),
        # The individual plan was due at discharge and never recorded.
        ("individual_plan", "SCHEDULE", "2020-04-01", ""),
        ("closure_report", "COMPLETED", "2020-05-20", "2020-05-20"),
        # Follow-up from 1 April, closed 20 May: within the 8 weeks (due 27 May).
        ("follow_up_target", "COMPLETED", "2020-05-27", "2020-05-20"),
        ("evaluation_form", "SCHEDULE", "2020-05-20", ""),
        ("handover_meeting", "SCHEDULE", "2020-05-20", ""),
        ("three_month_check", "SCHEDULE", "2020-08-20", ""),
    ]
    assessment = enrollment["events"][0]["dataValues"]
    elements = {uid: key for key, uid in mapping.data_elements.items()}
    assert {elements[v["dataElement"]]: v["value"] for v in assessment} == {
        "assessment_point": "intake",
        "score.housing": "1",
        "flag.relapse": "true",
    }


def test_stages_and_elements_left_out_are_not_exported(mapping: e.interchange.Dhis2Mapping) -> None:
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    data["stages"] = {"mapping": data["stages"]["mapping"]}
    del data["attributes"]["gender"]
    del data["options"]
    narrow = e.interchange.Dhis2Mapping(**data)
    (entity,) = e.interchange.to_dhis2([_followed()], mapping=narrow, template="salten")[
        "trackedEntities"
    ]
    assert [a["value"] for a in entity["enrollments"][0]["attributes"]] == ["03/20-ST"]
    assert [ev["programStage"] for ev in entity["enrollments"][0]["events"]] == [
        mapping.stages["mapping"]
    ]


def test_without_options_the_codes_are_the_defaults(mapping: e.interchange.Dhis2Mapping) -> None:
    plain = e.interchange.Dhis2Mapping(**{**_fields(mapping), "options": {}})
    (entity,) = e.interchange.to_dhis2([_followed()], mapping=plain)["trackedEntities"]
    values = [a["value"] for a in entity["enrollments"][0]["attributes"]]
    assert values == ["03/20-ST", "FEMALE"]


def _fields(mapping: e.interchange.Dhis2Mapping) -> dict[str, Any]:
    return {
        "program": mapping.program,
        "tracked_entity_type": mapping.tracked_entity_type,
        "org_units": mapping.org_units,
        "attributes": mapping.attributes,
        "stages": mapping.stages,
        "data_elements": mapping.data_elements,
        "options": mapping.options,
        "relationship_type": mapping.relationship_type,
    }


def test_the_same_persons_cases_are_related(mapping: e.interchange.Dhis2Mapping) -> None:
    first = e.Case.refer(
        "01/20-FA", on=d(2020, 1, 6), municipality="Fauske", person=s.fake_pseudonym(1)
    )
    second = e.Case.refer(
        "07/20-FA", on=d(2020, 6, 1), municipality="Fauske", person=s.fake_pseudonym(1)
    )
    third = e.Case.refer(
        "09/20-FA", on=d(2020, 9, 1), municipality="Fauske", person=s.fake_pseudonym(1)
    )
    other = e.Case.refer(
        "02/20-FA", on=d(2020, 2, 3), municipality="Fauske", person=s.fake_pseudonym(2)
    )
    payload = e.interchange.to_dhis2([third, first, other, second], mapping=mapping)
    e.interchange.validate_dhis2_payload(payload)
    entity = {
        t["enrollments"][0]["attributes"][0]["value"]: t["trackedEntity"]
        for t in payload["trackedEntities"]
    }
    pairs = [
        (r["from"]["trackedEntity"], r["to"]["trackedEntity"]) for r in payload["relationships"]
    ]
    codes = {uid: code for code, uid in entity.items()}
    assert [(codes[a], codes[b]) for a, b in pairs] == [
        ("01/20-FA", "07/20-FA"),
        ("01/20-FA", "09/20-FA"),
        ("07/20-FA", "09/20-FA"),
    ]
    assert {r["relationshipType"] for r in payload["relationships"]} == {mapping.relationship_type}
    unrelated = e.interchange.Dhis2Mapping(**{**_fields(mapping), "relationship_type": None})
    assert "relationships" not in e.interchange.to_dhis2([first, second], mapping=unrelated)


def test_options_must_translate_known_codes(mapping: e.interchange.Dhis2Mapping) -> None:
    with pytest.raises(e.errors.InvalidValueError, match=r"options\.gender"):
        e.interchange.Dhis2Mapping(**{**_fields(mapping), "options": {"gender": {"woman": "K"}}})
    with pytest.raises(e.errors.InvalidValueError, match=r"options\.colour"):
        e.interchange.Dhis2Mapping(**{**_fields(mapping), "options": {"colour": {}}})


def test_a_municipality_without_an_org_unit_is_refused(mapping: e.interchange.Dhis2Mapping) -> None:
    outside = e.Case.refer("01/20-BO", on=d(2020, 1, 2), municipality="Bodø")
    with pytest.raises(e.errors.InvalidValueError, match=r"org_units entry for Bodø \(1804\)"):
        e.interchange.to_dhis2([outside], mapping=mapping)


def test_the_template_skeleton_lists_every_stage_and_must_be_filled_in(tmp_path: Path) -> None:
    text = e.interchange.dhis2_mapping_template("salten")
    data = tomllib.loads(text)
    salten = e.pathway_template("salten")
    assert set(data["stages"]) == {s.key for s in salten.steps} | set(e._io.STANDARD_STAGES)
    assert set(data["attributes"]) == set(e._io.DHIS2_ATTRIBUTES)
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(e.errors.ConfigError, match="DHIS2 ids of 11 letters"):
        e.interchange.read_dhis2_mapping(path)
    assert "[stages]" in e.interchange.dhis2_mapping_template()


def test_the_template_offers_every_optional_id_where_toml_can_read_it(tmp_path: Path) -> None:
    """Uncommented where they stand and filled in, the optional ids (the relationship type,
    the group sessions' programme, stage and data elements) make a mapping that reads and
    exports a group log: they must stand above the first table to be read as the top level."""
    text = e.interchange.dhis2_mapping_template("salten")
    optional = ("relationship_type", "group_program", "group_stage", '"group.case_code"')
    for key in (*optional, '"group.offer"'):
        assert f'# {key} = ""' in text
        text = text.replace(f'# {key} = ""', f'{key} = ""')
    ids = (f"A{n:010d}" for n in range(1000))
    text = "\n".join(
        line.replace('""', f'"{next(ids)}"', 1) if '= ""' in line else line
        for line in text.splitlines()
    )
    path = tmp_path / "mapping.toml"
    path.write_text(text, encoding="utf-8")
    mapping = e.interchange.read_dhis2_mapping(path)
    filled = tomllib.loads(text)
    assert (mapping.relationship_type, mapping.group_program, mapping.group_stage) == (
        filled["relationship_type"],
        filled["group_program"],
        filled["group_stage"],
    )
    cases, groups = _group_log()
    org_units = dict.fromkeys(
        ("1841", "1845", "1848", "1840", "1837", "1838", "1839"), "B0000000001"
    )
    payload = e.interchange.to_dhis2(
        cases, mapping=attrs.evolve(mapping, org_units=org_units), groups=groups
    )
    group_events = [x for x in payload["events"] if x["program"] == mapping.group_program]
    assert len(group_events) == sum(len(s.attendees) for s in groups)
    assert {x["programStage"] for x in group_events} == {mapping.group_stage}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda m: m.update(program="too-short"), r"program must be DHIS2 ids"),
        (lambda m: m["attributes"].pop("case_code"), r"attributes must map 'case_code'"),
        (lambda m: m["attributes"].update(name="abcdefghijk"), r"attributes must map"),
        (lambda m: m.update(colour="blue"), r"unknown fields"),
    ],
)
def test_what_a_mapping_file_refuses(tmp_path: Path, change: Any, expected: str) -> None:
    data = tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))
    change(data)
    path = tmp_path / "mapping.toml"
    lines = [f"{k} = {json.dumps(v)}" for k, v in data.items() if not isinstance(v, dict)]
    for k, v in data.items():
        if isinstance(v, dict):
            flat = {kk: vv for kk, vv in v.items() if not isinstance(vv, dict)}
            lines += [
                f"[{k}]",
                *(f"{json.dumps(kk)} = {json.dumps(vv)}" for kk, vv in flat.items()),
            ]
            for kk, vv in v.items():
                if isinstance(vv, dict):
                    lines += [f"[{k}.{kk}]", *(f"{a} = {json.dumps(b)}" for a, b in vv.items())]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    with pytest.raises(e.errors.ConfigError, match=expected):
        e.interchange.read_dhis2_mapping(path)


def test_unreadable_mapping_files(tmp_path: Path) -> None:
    with pytest.raises(e.errors.MissingFileError, match="does not exist"):
        e.interchange.read_dhis2_mapping(tmp_path / "missing.toml")
    bad = tmp_path / "bad.toml"
    bad.write_text("program = [", encoding="utf-8")
    with pytest.raises(e.errors.ConfigError, match="not valid TOML"):
        e.interchange.read_dhis2_mapping(bad)


def _payload(mapping: e.interchange.Dhis2Mapping) -> dict[str, Any]:
    again = e.Case.refer("09/20-ST", on=d(2020, 9, 1), municipality="Steigen", person=PERSON)
    first = attrs.evolve(_followed(), person=PERSON)
    return e.interchange.to_dhis2([first, again], mapping=mapping, template="salten")


PERSON = s.fake_pseudonym(1)


@pytest.mark.parametrize(
    ("path", "value", "expected"),
    [
        (
            ("trackedEntities", 0, "trackedEntityType"),
            None,
            r"trackedEntity lacks 'trackedEntityType'",
        ),
        (
            ("trackedEntities", 0, "name"),
            "Ola",
            r"unknown properties 'name' @ \$\.trackedEntities\[0\]",
        ),
        (
            ("trackedEntities", 0, "enrollments", 0, "status"),
            "CLOSED",
            r"'CLOSED' @ .*enrollments\[0\]\.status",
        ),
        (("trackedEntities", 0, "enrollments", 0, "events", 0, "status"), "DONE", r"'DONE'"),
        (
            ("trackedEntities", 0, "enrollments", 0, "events", 0, "programStage"),
            "x",
            r"invalid value 'x'",
        ),
        (("trackedEntities", 0, "enrollments", 0, "enrolledAt"), "04.03.2020", r"'04.03.2020'"),
        (
            ("trackedEntities", 0, "enrollments", 0, "events", 0, "dataValues", 0, "dataElement"),
            None,
            r"dataValue lacks",
        ),
        (
            ("trackedEntities", 0, "enrollments", 0, "attributes", 0),
            "x",
            r"expected an object",
        ),
        (("trackedEntities", 0, "enrollments", 0, "completedAt"), "20.05.2020", "20.05"),
        (("relationships", 0, "from", "trackedEntity"), "x", r"invalid value 'x' @ .*from"),
        (("trackedEntities", 0, "enrollments"), {}, r"expected a list"),
        (("trackedEntities",), {}, r"expected a list @ \$\.trackedEntities"),
        (("importStrategy",), "CREATE", r"unknown fields"),
    ],
)
def test_what_the_shape_check_refuses(
    mapping: e.interchange.Dhis2Mapping, path: tuple[Any, ...], value: object, expected: str
) -> None:
    payload = copy.deepcopy(_payload(mapping))
    target: Any = payload
    for key in path[:-1]:
        target = target[key]
    if value is None:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    with pytest.raises(e.errors.ConfigError, match=expected):
        e.interchange.validate_dhis2_payload(payload)


@functools.cache
def _openapi_validator(*, closed: bool) -> jsonschema.Draft7Validator:
    """DHIS2 2.42's own schema of the tracker import body (tests/io/data/dhis2-tracker-openapi.md
    says where it comes from). ``closed``: every object also refuses properties the document
    does not name (DHIS2 itself ignores unknown ones, so a typo would pass unnoticed)."""
    path = Path(__file__).with_name("data") / "dhis2-tracker-openapi-v42.json.gz"
    document = json.loads(gzip.decompress(path.read_bytes()))
    assert document["info"]["version"] == "2.42"
    schema: dict[str, Any] = dict(document["body"], components=document["components"])
    if closed:
        _close_objects(schema)
    return jsonschema.Draft7Validator(schema)


def _close_objects(node: object) -> None:
    if isinstance(node, dict):
        if node.get("type") == "object" and "properties" in node:
            node.setdefault("additionalProperties", False)
        for value in node.values():
            _close_objects(value)
    elif isinstance(node, list):
        for value in node:
            _close_objects(value)


def _openapi_errors(payload: dict[str, Any], *, closed: bool = True) -> list[str]:
    validator = _openapi_validator(closed=closed)
    return [
        f"{'/'.join(map(str, x.absolute_path))}: {x.message}"
        for x in validator.iter_errors(payload)
    ]


def test_the_example_year_passes_dhis2s_openapi_schema(mapping: e.interchange.Dhis2Mapping) -> None:
    example = e.examples.salten_2020()
    payload = e.interchange.to_dhis2(
        example.cases, mapping=mapping, team=example.team, template="salten"
    )
    assert _openapi_errors(payload, closed=False) == []
    assert _openapi_errors(payload) == []


@settings(max_examples=30)
@given(s.cases(planning=True))
def test_generated_cases_pass_dhis2s_openapi_schema(case: e.Case) -> None:
    mapping = e.interchange.read_dhis2_mapping(EXAMPLE)
    payload = e.interchange.to_dhis2([case], mapping=mapping, team=e.teams.salten())
    assert _openapi_errors(payload) == []


def test_dhis2s_openapi_schema_does_catch_errors(mapping: e.interchange.Dhis2Mapping) -> None:
    payload = e.interchange.to_dhis2([_followed()], mapping=mapping, team=e.teams.salten())
    enrollment = payload["trackedEntities"][0]["enrollments"][0]
    enrollment["status"] = "DONE"
    del enrollment["attributes"][0]["valueType"]
    enrollment["events"][0]["stage"] = enrollment["events"][0].pop("programStage")
    errors = _openapi_errors(payload)
    assert any("'DONE' is not one of" in x for x in errors)
    assert any("'valueType' is a required property" in x for x in errors)
    assert any("'stage' was unexpected" in x for x in errors)


# -- group sessions as an event programme's events (issue 32) --------------------------------


def _group_log() -> tuple[list[e.Case], e.events.GroupLog]:
    """Salten's cases, and a Friday group each week of March 2020 for those open that day."""
    cases = list(e.examples.salten_2020().cases)
    sessions = []
    for day in (dt.date(2020, 3, 6), dt.date(2020, 3, 13), dt.date(2020, 3, 20)):
        came = tuple(
            str(c.code)
            for c in cases
            if c.accepted_on is not None
            and c.accepted_on <= day
            and (c.closed_on is None or c.closed_on >= day)
        )[:3]
        sessions.append(e.events.GroupSession(on=day, offer="turgruppe", attendees=came))
    return cases, e.events.GroupLog(sessions)


def test_group_sessions_are_an_event_programmes_events(
    mapping: e.interchange.Dhis2Mapping,
) -> None:
    cases, groups = _group_log()
    with_groups = attrs.evolve(
        mapping,
        group_program="GrpProg0001",
        group_stage="GrpStage001",
        data_elements={
            **mapping.data_elements,
            "group.offer": "GrpOffer001",
            "group.case_code": "GrpCase0001",
        },
    )
    payload = e.interchange.to_dhis2(
        cases, mapping=with_groups, team=e.teams.salten(), groups=groups
    )
    e.interchange.validate_dhis2_payload(payload)
    assert _openapi_errors(payload) == []
    events = payload["events"]
    by_code = {str(c.code): c for c in cases}
    expected = [(s.on, code) for s in groups for code in s.attendees]
    assert len(events) == len(expected) > 0
    for event, (day, code) in zip(events, expected, strict=True):
        assert event["program"] == "GrpProg0001" and event["programStage"] == "GrpStage001"
        assert "enrollment" not in event and event["status"] == "COMPLETED"
        assert event["occurredAt"].startswith(day.isoformat())
        number = by_code[code].municipality_on(day).number
        assert event["orgUnit"] == mapping.org_units[number]
        values = {v["dataElement"]: v["value"] for v in event["dataValues"]}
        assert values == {"GrpCase0001": code, "GrpOffer001": "turgruppe"}
    assert len({x["event"] for x in events}) == len(events)
    # the tracker part is as without groups
    plain = e.interchange.to_dhis2(cases, mapping=with_groups, team=e.teams.salten())
    assert plain["trackedEntities"] == payload["trackedEntities"]
    no_groups = attrs.evolve(mapping, group_program=None, group_stage=None)
    with pytest.raises(e.errors.InvalidValueError, match="group_program"):
        e.interchange.to_dhis2(cases, mapping=no_groups, groups=groups)
