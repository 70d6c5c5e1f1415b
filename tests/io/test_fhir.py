"""FHIR R4 export and import: the Bundle validates against the FHIR models and round-trips."""

from __future__ import annotations

import base64
import datetime as dt
import functools
import gzip
import inspect
import json
import re
import subprocess
import sys
from pathlib import Path
from typing import Any

import attrs
import jsonschema
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ettervern as e
from tests import strategies as s

d = dt.date

pytest.importorskip("fhir.resources.R4B")


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [x["resource"] for x in bundle["entry"] if x["resource"]["resourceType"] == kind]


def _followed() -> e.Case:
    """Referred from treatment, accepted inside, discharged, closed, checked three months on."""
    return (
        e.Case.refer("03/20-ST", on=d(2020, 3, 2), municipality="Steigen", birth_year=1988)
        .admit(on=d(2020, 3, 2), kind="treatment")
        .accept(on=d(2020, 3, 4))
        .assess(on=d(2020, 3, 4), outcome=e.Outcome(housing=1, network=2))
        .begin_step("mapping", on=d(2020, 3, 5))
        .complete("individual_plan", on=d(2020, 3, 20))
        .discharge(on=d(2020, 4, 1))
        .close(
            on=d(2020, 5, 20),
            reason="completed",
            report_delivered=True,
            taken_over_by="psykisk helse og rus",
            outcome=e.Outcome(housing=3, network=2, flags=["ordinary_work"]),
        )
        .record_three_month_check(on=d(2020, 8, 20), reached=True)
    )


def _example_years() -> list[str]:
    """Every bundled example year (a function of no arguments that returns an Example)."""
    return [
        name
        for name in e.examples.__all__
        if callable(getattr(e.examples, name))
        and not inspect.signature(getattr(e.examples, name)).parameters
        and inspect.signature(getattr(e.examples, name)).return_annotation == "Example"
    ]


def test_every_example_team_is_found() -> None:
    assert "salten_2020" in _example_years()


@pytest.mark.parametrize("name", _example_years())
def test_the_example_years_validate_and_round_trip(name: str) -> None:
    example = getattr(e.examples, name)()
    bundle = e.interchange.to_fhir(example.cases, team=example.team)
    e.interchange.validate_fhir(bundle)
    assert e.interchange.from_fhir(bundle).accepted == tuple(example.cases)
    assert e.interchange.from_fhir(
        e.interchange.to_fhir_json(example.cases, team=example.team)
    ).accepted == tuple(example.cases)


def test_the_salten_year_with_its_template_validates_and_round_trips() -> None:
    example = e.examples.salten_2020()
    bundle = e.interchange.to_fhir(example.cases, team=example.team, template="salten")
    e.interchange.validate_fhir(bundle)
    assert e.interchange.from_fhir(bundle).accepted == tuple(example.cases)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(s.cases())
def test_generated_cases_validate_and_round_trip(case: e.Case) -> None:
    bundle = e.interchange.to_fhir([case], team=e.teams.salten(), template="salten")
    e.interchange.validate_fhir(bundle)
    assert _r4_errors(bundle) == []
    assert e.interchange.from_fhir(json.loads(json.dumps(bundle))).accepted == (case,)


def test_the_patient_carries_only_the_pseudonym(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten)
    (patient,) = _resources(bundle, "Patient")
    assert set(patient) == {"resourceType", "identifier", "birthDate"}
    assert patient["birthDate"] == "1988"
    assert patient["identifier"][0]["value"] == "03/20-ST"
    assert patient["identifier"][0]["system"] == e._io.CASE_CODE_SYSTEM


def test_municipalities_are_identified_by_kommunenummer(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten)
    organisations = _resources(bundle, "Organization")
    numbers = {
        o["identifier"][0]["value"]
        for o in organisations
        if o.get("identifier", [{}])[0].get("system") == "urn:oid:2.16.578.1.12.4.1.1.3402"
    }
    # Salten's nine members: Fauske, Sørfold, Hamarøy, Steigen, Saltdal, Meløy, Gildeskål,
    # Beiarn and Rødøy.
    assert numbers == {"1841", "1845", "1875", "1848", "1840", "1837", "1838", "1839", "1836"}
    steigen = next(o for o in organisations if o.get("name") == "Steigen kommune")
    coding = steigen["address"][0]["_district"]["extension"][0]
    assert coding["url"] == "http://hl7.no/fhir/StructureDefinition/no-basis-municipalitycode"
    assert coding["valueCoding"]["code"] == "1848"
    (team,) = [x for x in bundle["entry"] if x["resource"].get("name") == salten.name]
    (episode,) = _resources(bundle, "EpisodeOfCare")
    assert episode["managingOrganization"]["reference"] == team["fullUrl"]


def test_the_episode_follows_the_phases(salten: e.Team) -> None:
    (episode,) = _resources(e.interchange.to_fhir([_followed()], team=salten), "EpisodeOfCare")
    assert episode["status"] == "finished"
    assert episode["period"] == {"start": "2020-03-02", "end": "2020-05-20"}
    assert [{k: h[k] for k in ("status", "period")} for h in episode["statusHistory"]] == [
        {"status": "waitlist", "period": {"start": "2020-03-02", "end": "2020-03-04"}},
        {"status": "active", "period": {"start": "2020-03-04", "end": "2020-05-20"}},
        {"status": "finished", "period": {"start": "2020-05-20"}},
    ]


def test_declined_and_open_referrals() -> None:
    declined = e.Case.refer("04/20-FA", on=d(2020, 1, 6), municipality="Fauske").decline(
        on=d(2020, 1, 8)
    )
    waiting = e.Case.refer("05/20-FA", on=d(2020, 1, 6), municipality="Fauske")
    bundle = e.interchange.to_fhir([declined, waiting], team=e.teams.salten())
    first, second = _resources(bundle, "EpisodeOfCare")
    assert (first["status"], first["period"]["end"]) == ("cancelled", "2020-01-08")
    assert (second["status"], "end" in second["period"]) == ("waitlist", False)
    assert [p["status"] for p in _resources(bundle, "CarePlan")] == ["revoked", "active"]


def test_a_stay_is_an_encounter(salten: e.Team) -> None:
    case = _followed().reopen(on=d(2020, 9, 1)).admit(on=d(2020, 9, 2), kind="prison")
    encounters = _resources(e.interchange.to_fhir([case], team=salten), "Encounter")
    assert [(x["status"], x["period"]) for x in encounters] == [
        ("finished", {"start": "2020-03-02", "end": "2020-04-01"}),
        ("in-progress", {"start": "2020-09-02"}),
    ]
    assert encounters[1]["type"][0]["coding"][0]["code"] == "prison"


def test_the_care_plan_lists_the_milestones_and_phases(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten, template="salten")
    (plan,) = _resources(bundle, "CarePlan")
    activities = {
        a["detail"]["code"]["coding"][0]["code"]: (
            a["detail"]["status"],
            a["detail"]["scheduledPeriod"],
            [p["time"] for p in a.get("progress", [])],
        )
        for a in plan["activity"]
    }
    # The IP was due at discharge on 1 April and done on 20 March.
    assert activities["individual_plan"] == ("completed", {"end": "2020-04-01"}, ["2020-03-20"])
    # Three months after the closure of 20 May; checked on 20 August.
    assert activities["three_month_check"] == ("completed", {"end": "2020-08-20"}, ["2020-08-20"])
    # The evaluation form was not given on closure.
    assert activities["evaluation_form"] == ("scheduled", {"end": "2020-05-20"}, [])
    assert activities["mapping"] == ("completed", {"start": "2020-03-05"}, [])
    assert plan["status"] == "completed"
    assert plan["instantiatesUri"] == ["urn:ettervern:pathway-template:salten"]


def test_each_assessment_is_a_questionnaire_response(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten)
    (questionnaire,) = _resources(bundle, "Questionnaire")
    assert [i["linkId"] for i in questionnaire["item"]][-1] == "flags"
    responses = _resources(bundle, "QuestionnaireResponse")
    assert [(r["authored"], r["extension"][0]["valueCode"]) for r in responses] == [
        ("2020-03-04", "assessment"),
        ("2020-05-20", "closure"),
    ]
    answers = {
        i["linkId"]: [a["valueCoding"]["code"] for a in i["answer"]] for i in responses[1]["item"]
    }
    assert answers == {"housing": ["3"], "network": ["2"], "flags": ["ordinary_work"]}
    assert all(r["questionnaire"] == questionnaire["url"] for r in responses)


def _closure_field(bundle: dict[str, Any], name: str) -> dict[str, Any]:
    """A field of the closure: on its statusHistory entry, what the entry does not say."""
    (episode,) = _resources(bundle, "EpisodeOfCare")
    closure = next(x for x in episode["statusHistory"] if x["status"] == "finished")
    (details,) = closure["extension"]
    assert details["url"] == "urn:ettervern:fhir:StructureDefinition:event"
    field: dict[str, Any] = next(f for f in details["extension"] if f["url"] == name)
    return field


def test_the_service_that_took_over_is_coded_and_refers_to_its_municipality(
    salten: e.Team,
) -> None:
    case = _followed()
    closed = e.Case(
        case.code,
        case.municipality,
        tuple(
            attrs.evolve(x, taken_over_by=e.events.TakeOver(service="nav", municipality="Bodø"))
            if isinstance(x, e.events.Closure)
            else x
            for x in case.events
        ),
        birth_year=case.birth_year,
    )
    bundle = e.interchange.to_fhir([closed], team=salten)
    field = _closure_field(bundle, "taken_over_by")
    assert "valueAttachment" not in json.dumps(bundle)
    service, municipality = field["extension"]
    assert service["valueCoding"]["code"] == "nav"
    bodo = next(
        x for x in bundle["entry"] if x["fullUrl"] == municipality["valueReference"]["reference"]
    )
    assert bodo["resource"]["identifier"][0]["value"] == "1804"
    assert bodo["request"]["ifNoneExist"].endswith("|1804")
    e.interchange.validate_fhir(bundle)
    (back,) = e.interchange.from_fhir(bundle).accepted
    assert back == closed
    assert back.closure is not None
    assert back.closure.taken_over_by == e.events.TakeOver(service="nav", municipality="Bodø")


def test_a_structured_field_value_written_as_an_attachment_is_read_from_it(
    salten: e.Team,
) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten)
    field = _closure_field(bundle, "taken_over_by")
    del field["extension"]
    nav = base64.b64encode(b'{"service": "nav", "municipality": "Bod\\u00f8"}').decode()
    field["valueAttachment"] = {"contentType": "application/json", "data": nav}
    (case,) = e.interchange.from_fhir(bundle).accepted
    assert case.closure is not None
    assert case.closure.taken_over_by == e.events.TakeOver(service="nav", municipality="Bodø")


@pytest.mark.parametrize(
    ("kind", "klass"),
    [
        ("treatment", "IMP"),
        ("mental_health", "IMP"),
        ("user_controlled", "NONAC"),
        ("prison", "FLD"),
        ("other", "FLD"),
    ],
)
def test_each_kind_of_stay_has_its_encounter_class(salten: e.Team, kind: str, klass: str) -> None:
    case = e.Case.refer("01/20-FA", on=d(2020, 3, 2), municipality="Fauske").admit(
        on=d(2020, 3, 3), kind=kind
    )
    (encounter,) = _resources(e.interchange.to_fhir([case], team=salten), "Encounter")
    assert encounter["class"]["system"] == "http://terminology.hl7.org/CodeSystem/v3-ActCode"
    assert encounter["class"]["code"] == klass
    assert encounter["type"][0]["coding"][0]["code"] == kind


def test_the_bundle_is_a_transaction_of_conditional_creates(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten)
    assert bundle["type"] == "transaction"
    urls = {x["fullUrl"] for x in bundle["entry"]}
    for entry in bundle["entry"]:
        assert entry["fullUrl"].startswith("urn:uuid:")
        assert "id" not in entry["resource"]
        request = entry["request"]
        assert request == {
            "method": "POST",
            "url": entry["resource"]["resourceType"],
            "ifNoneExist": request["ifNoneExist"],
        }
        assert request["ifNoneExist"].startswith(("identifier=", "url="))
    references = re.findall(r'"reference": "([^"]+)"', json.dumps(bundle))
    assert references and set(references) <= urls  # every reference resolves in the bundle
    (patient,) = [x for x in bundle["entry"] if x["resource"]["resourceType"] == "Patient"]
    assert patient["request"]["ifNoneExist"] == "identifier=urn:ettervern:case-code|03/20-ST"


def test_codes_are_displayed_in_bokmal_with_nynorsk_and_english_designations(
    salten: e.Team,
) -> None:
    case = _followed().reopen(on=d(2020, 9, 1)).admit(on=d(2020, 9, 2), kind="prison")
    bundle = e.interchange.to_fhir([case], team=salten)
    encounter = _resources(bundle, "Encounter")[1]
    assert encounter["type"][0]["coding"][0]["display"] == "Soning"
    systems = {x["name"]: x for x in _resources(bundle, "CodeSystem")}
    prison = next(c for c in systems["StayKind"]["concept"] if c["code"] == "prison")
    assert prison["display"] == "Soning"
    assert {d["language"]: d["value"] for d in prison["designation"]} == {
        "nn": "Soning",
        "en": "Prison",
    }
    assert set(systems) == {"StayKind", "ServiceKind", "Score", "CareTeamRole", "WaiverReason"} | {
        "TaskState"
    }


@pytest.mark.parametrize(
    ("bundle", "expected"),
    [
        ("{not json", "not valid JSON"),
        ({"resourceType": "Patient"}, "expected a FHIR Bundle"),
        (
            {
                "resourceType": "Bundle",
                "entry": [{"fullUrl": "a", "resource": {"resourceType": "EpisodeOfCare"}}],
            },
            "lacks its patient",
        ),
    ],
)
def test_what_from_fhir_refuses(bundle: Any, expected: str) -> None:
    with pytest.raises(e.errors.ConfigError, match=expected):
        e.interchange.from_fhir(bundle, strict=True)


def test_an_impossible_history_is_refused_with_its_path(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten)
    (episode,) = _resources(bundle, "EpisodeOfCare")
    history = next(x for x in episode["extension"] if x["url"].endswith(":history"))
    tags = history["valueString"].split()
    history["valueString"] = " ".join([tags[1], tags[0], *tags[2:]])  # admitted before referred
    with pytest.raises(e.errors.ConfigError, match="episode 0"):
        e.interchange.from_fhir(bundle, strict=True)


def test_a_history_naming_more_events_than_the_bundle_holds_is_refused(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten)
    (episode,) = _resources(bundle, "EpisodeOfCare")
    history = next(x for x in episode["extension"] if x["url"].endswith(":history"))
    history["valueString"] += " discharge"
    with pytest.raises(e.errors.ConfigError, match="names a discharge the bundle does not hold"):
        e.interchange.from_fhir(bundle, strict=True)


STANDARD_KINDS = {
    "referral",
    "acceptance",
    "decline",
    "closure",
    "reopening",
    "admission",
    "discharge",
    "step",
    "assessment",
}
"""The kinds of event an R4 element holds (statusHistory, Encounter, CarePlan activity,
QuestionnaireResponse): written apart from the code under test."""


@pytest.mark.parametrize("name", ["salten", "jaeren", "integrated"])
def test_events_are_not_repeated_in_an_extension(name: str) -> None:
    example = e.examples.example(name)
    bundle = e.interchange.to_fhir(example.cases, team=example.team)
    for episode in _resources(bundle, "EpisodeOfCare"):
        own = [x for x in episode["extension"] if x["url"].endswith(":event")]
        kinds = {f["valueCode"] for x in own for f in x["extension"] if f["url"] == "event"}
        assert not kinds & STANDARD_KINDS
        for entry in episode["statusHistory"]:  # what a status and a period do not say
            fields = {f["url"] for x in entry.get("extension", []) for f in x["extension"]}
            assert not fields & {"event", "on"}


def test_the_reader_takes_the_dates_from_the_standard_elements(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten, template="salten")
    (encounter,) = _resources(bundle, "Encounter")
    encounter["period"] = {"start": "2020-03-02", "end": "2020-04-02"}
    encounter["type"][0]["coding"][0]["code"] = "prison"
    (episode,) = _resources(bundle, "EpisodeOfCare")
    episode["statusHistory"][1]["period"]["start"] = "2020-03-03"  # the acceptance
    (plan,) = _resources(bundle, "CarePlan")
    step = next(a for a in plan["activity"] if "start" in a["detail"]["scheduledPeriod"])
    step["detail"]["scheduledPeriod"]["start"] = "2020-03-06"
    (case,) = e.interchange.from_fhir(bundle).accepted
    assert case.stays == (e.Stay(e.StayKind.PRISON, d(2020, 3, 2), d(2020, 4, 2)),)
    assert case.accepted_on == d(2020, 3, 3)
    assert case.done_on("mapping") == d(2020, 3, 6)


def test_an_unknown_field_value_is_refused(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten)
    (episode,) = _resources(bundle, "EpisodeOfCare")
    episode["extension"][1]["extension"][1] = {"url": "on", "valueQuantity": {"value": 1}}
    with pytest.raises(e.errors.ConfigError, match="known type"):
        e.interchange.from_fhir(bundle, strict=True)


def test_validate_fhir_names_what_does_not_conform(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten)
    (patient,) = _resources(bundle, "Patient")
    patient["birthDate"] = "1988-13"
    with pytest.raises(e.errors.ConfigError, match=r"birthDate.*@ \$\.entry\[\d+\]\.resource"):
        e.interchange.validate_fhir(bundle)


def test_validate_fhir_needs_the_extra(monkeypatch: pytest.MonkeyPatch, salten: e.Team) -> None:
    monkeypatch.setitem(sys.modules, "fhir.resources.R4B", None)
    with pytest.raises(e.errors.MissingDependencyError, match=r"ettervern\[fhir\]"):
        e.interchange.validate_fhir(e.interchange.to_fhir([], team=salten))


def test_importing_ettervern_does_not_import_fhir_resources() -> None:
    code = "import sys, ettervern; ettervern.interchange.to_fhir; print('fhir' in sys.modules)"
    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert result.stdout.strip() == "False"


def _extension_urls(node: object) -> set[str]:
    """Every extension url in a bundle, top-level extensions only (not their sub-extensions)."""
    found: set[str] = set()
    if isinstance(node, dict):
        for key, value in node.items():
            if key in ("extension", "modifierExtension") and isinstance(value, list):
                found |= {x["url"] for x in value}
                continue  # a sub-extension's url is relative: defined by its parent
            found |= _extension_urls(value)
    elif isinstance(node, list):
        for value in node:
            found |= _extension_urls(value)
    return found


def test_every_own_extension_is_defined_by_a_shipped_structure_definition() -> None:
    from fhir.resources.R4B.structuredefinition import StructureDefinition

    from ettervern._io import _fhir_profiles as profiles

    assert profiles.shipped_extension_definitions() == profiles.extension_definition_texts()
    definitions = profiles.extension_definitions()
    for definition in definitions.values():
        StructureDefinition.model_validate(definition)
        assert definition["baseDefinition"] == "http://hl7.org/fhir/StructureDefinition/Extension"
    defined = {d["url"] for d in definitions.values()}
    for name in _example_years():
        example = getattr(e.examples, name)()
        used = _extension_urls(e.interchange.to_fhir(example.cases, team=example.team))
        own = {url for url in used if url.startswith("urn:ettervern:")}
        assert own <= defined, own - defined
        assert used - own <= {e._io.MUNICIPALITY_CODE_EXTENSION}  # HL7 Norway's, not ours
    event = definitions["Event"]["differential"]["element"]
    slices = {x["sliceName"] for x in event if "sliceName" in x}
    assert {"event", "on", "kind", "reason", "taken_over_by", "service", "municipality"} <= slices


@functools.cache
def _hl7_r4_schema() -> dict[str, Any]:
    """HL7's R4 JSON schema (tests/io/data/fhir-r4.schema.md says where it comes from)."""
    path = Path(__file__).with_name("data") / "fhir-r4.schema.json.gz"
    schema: dict[str, Any] = json.loads(gzip.decompress(path.read_bytes()))
    assert schema["id"] == "http://hl7.org/fhir/json-schema/4.0"
    return schema


@functools.cache
def _r4_validator(kind: str) -> jsonschema.Draft6Validator:
    definitions = _hl7_r4_schema()["definitions"]
    return jsonschema.Draft6Validator({"$ref": f"#/definitions/{kind}", "definitions": definitions})


def _r4_errors(bundle: dict[str, Any]) -> list[str]:
    """What HL7's R4 schema finds wrong: each resource against its type's definition, then the
    Bundle with each resource stood in for by a minimal one (the schema's list of every
    resource type is slow to try for each entry)."""
    errors = []
    for entry in bundle["entry"]:
        resource = entry["resource"]
        kind = resource["resourceType"]
        errors += [f"{kind}: {x.message}" for x in _r4_validator(kind).iter_errors(resource)]
    stand_in = {"resourceType": "Basic", "code": {"text": "entry"}}
    shell = dict(bundle, entry=[dict(x, resource=stand_in) for x in bundle["entry"]])
    errors += [f"Bundle: {x.message}" for x in _r4_validator("Bundle").iter_errors(shell)]
    return errors


@pytest.mark.parametrize("name", ["salten", "jaeren", "integrated"])
def test_the_example_years_pass_hl7s_r4_json_schema(name: str) -> None:
    example = e.examples.example(name)
    assert _r4_errors(e.interchange.to_fhir(example.cases, team=example.team)) == []


def test_hl7s_r4_json_schema_does_catch_errors(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten)
    (encounter,) = _resources(bundle, "Encounter")
    encounter["status"] = "done"  # not an R4 encounter status
    encounter["stay"] = "prison"  # no such element
    bundle["type"] = "bulk"
    errors = _r4_errors(bundle)
    assert any(x.startswith("Encounter:") for x in errors)
    assert any(x.startswith("Bundle:") for x in errors)


def test_a_bundle_written_before_the_history_extension_still_reads() -> None:
    path = Path(__file__).with_name("data") / "fhir-bundle-2026-12.json"
    text = path.read_text(encoding="utf-8")
    assert ":history" not in text  # every event an extension, as bundles were written then
    assert e.interchange.from_fhir(text).accepted == (_followed(),)


# -- consent and goals read from their own resources (issue 32) ------------------------------

CARE_KINDS = {"consent_given", "consent_withdrawn", "goal_set", "goal_reviewed"}

_care_steps = st.lists(
    st.tuples(
        st.integers(0, 4),  # days after the last step
        st.sampled_from(["give", "withdraw", "set", "review"]),
        st.sampled_from(list(e.events.ConsentScope)),
        st.sampled_from(list(e.LifeDomain)),
        st.sampled_from(["met", "dropped"]),
    ),
    max_size=12,
)


def _with_care(steps: list[tuple[int, str, Any, Any, str]]) -> e.Case:
    """An accepted case with each step that the rules allow recorded, the rest left out (the
    model: a scope in force or not, a domain with an open goal or not)."""
    on = d(2020, 3, 2)
    case = e.Case.refer("04/20-ST", on=on, municipality="Steigen").accept(on=on)
    given: set[Any] = set()
    open_goals: set[Any] = set()
    for gap, action, scope, domain, status in steps:
        on += dt.timedelta(days=gap)
        if action == "give" and scope not in given:
            case, _ = case.give_consent(scope, on=on), given.add(scope)
        elif action == "withdraw" and scope in given:
            case, _ = case.withdraw_consent(scope, on=on), given.discard(scope)
        elif action == "set" and domain not in open_goals:
            case = case.set_goal(domain, on=on, target=3, due=on + dt.timedelta(days=60))
            open_goals.add(domain)
        elif action == "review" and domain in open_goals:
            case, _ = case.review_goal(domain, on=on, status=status), open_goals.discard(domain)
    return case


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(_care_steps)
def test_consent_and_goals_round_trip_through_their_own_resources(
    steps: list[tuple[int, str, Any, Any, str]],
) -> None:
    case = _with_care(steps)
    bundle = json.loads(json.dumps(e.interchange.to_fhir([case], team=e.teams.salten())))
    for episode in _resources(bundle, "EpisodeOfCare"):
        own = [x for x in episode["extension"] if x["url"].endswith(":event")]
        kinds = {f["valueCode"] for x in own for f in x["extension"] if f["url"] == "event"}
        assert not kinds & CARE_KINDS  # not repeated in an event extension
    for consent in _resources(bundle, "Consent"):
        period = consent["provision"]["period"]
        assert period["start"] <= period.get("end", period["start"])
    (back,) = e.interchange.from_fhir(bundle).accepted
    assert [x.tag for x in back.events] == [x.tag for x in case.events]
    assert sorted(map(repr, back.events)) == sorted(map(repr, case.events))
    ends = [(x.tag, x.on) for x in case.events if x.tag in ("consent_withdrawn", "goal_reviewed")]
    if len(ends) == len(set(ends)):  # R4 orders no two withdrawals (or reviews) of one day
        assert back == case


def test_the_reader_takes_consent_and_goals_from_their_resources(salten: e.Team) -> None:
    case = (
        _with_care([])
        .give_consent("gp", on=d(2020, 3, 4))
        .set_goal("housing", on=d(2020, 3, 5), target=3, due=d(2020, 6, 1))
        .withdraw_consent("gp", on=d(2020, 4, 1))
        .review_goal("housing", on=d(2020, 5, 1), status="met")
    )
    bundle = e.interchange.to_fhir([case], team=salten)
    (consent,) = _resources(bundle, "Consent")
    consent["dateTime"] = "2020-03-03"
    consent["provision"]["code"][0]["coding"][0]["code"] = "nav"
    consent["provision"]["period"] = {"start": "2020-03-03", "end": "2020-04-09"}
    (goal,) = _resources(bundle, "Goal")
    goal["target"][0]["detailInteger"] = 2
    goal["statusDate"] = "2020-05-02"
    (back,) = e.interchange.from_fhir(bundle).accepted
    assert back.consent_on(d(2020, 3, 3)) == frozenset({e.events.ConsentScope.NAV})
    assert back.consent_on(d(2020, 4, 10)) == frozenset()
    assert back.consent_on(d(2020, 4, 9)) == frozenset({e.events.ConsentScope.NAV})
    (read_goal,) = back.goals
    assert int(read_goal.target) == 2 and read_goal.reviewed_on == d(2020, 5, 2)


def test_a_consent_withdrawn_the_day_it_was_given_has_a_period_that_does_not_end_before_it_begins(
    salten: e.Team,
) -> None:
    case = (
        _with_care([]).give_consent("gp", on=d(2020, 3, 4)).withdraw_consent("gp", on=d(2020, 3, 4))
    )
    bundle = json.loads(json.dumps(e.interchange.to_fhir([case], team=salten)))
    (consent,) = _resources(bundle, "Consent")
    period = consent["provision"]["period"]
    assert period == {"start": "2020-03-04", "end": "2020-03-04"}  # was "end": "2020-03-03"
    assert consent["status"] == "inactive"
    assert _r4_errors(bundle) == []
    (back,) = e.interchange.from_fhir(bundle).accepted
    assert back == case
    assert back.consent_on(d(2020, 3, 4)) == frozenset()


def test_a_consent_withdrawn_the_next_day_keeps_the_period_it_always_had(salten: e.Team) -> None:
    case = (
        _with_care([]).give_consent("gp", on=d(2020, 3, 4)).withdraw_consent("gp", on=d(2020, 3, 5))
    )
    bundle = e.interchange.to_fhir([case], team=salten)
    (consent,) = _resources(bundle, "Consent")
    assert consent["provision"]["period"] == {"start": "2020-03-04", "end": "2020-03-04"}
    assert [x["url"].rsplit(":", 1)[-1] for x in consent["extension"]] == ["episode"]
    (back,) = e.interchange.from_fhir(bundle).accepted
    assert back == case


# -- group sessions as Encounters (issue 32) -------------------------------------------------


def test_a_group_session_is_an_encounter_with_one_part_per_person() -> None:
    example = e.examples.jaeren_2019()
    groups = example.groups.between(d(2019, 3, 1), d(2019, 3, 31))
    bundle = e.interchange.to_fhir(example.cases, team=example.team, groups=groups)
    e.interchange.validate_fhir(bundle)
    assert _r4_errors(bundle) == []
    urls = {
        x["resource"]["resourceType"] + str(i): x["fullUrl"] for i, x in enumerate(bundle["entry"])
    }
    by_url = {x["fullUrl"]: x["resource"] for x in bundle["entry"]}
    patients = {
        next(i["value"] for i in r["identifier"] if i["system"] == "urn:ettervern:case-code"): url
        for url, r in by_url.items()
        if r["resourceType"] == "Patient"
    }
    episodes = {
        r["patient"]["reference"]: url
        for url, r in by_url.items()
        if r["resourceType"] == "EpisodeOfCare"
    }
    sessions = [
        (url, r)
        for url, r in by_url.items()
        if r["resourceType"] == "Encounter" and "subject" not in r
    ]
    assert len(sessions) == len(groups) and urls
    for (url, session), expected in zip(sessions, groups, strict=True):
        assert session["period"] == {
            "start": expected.on.isoformat(),
            "end": expected.on.isoformat(),
        }
        assert session["class"]["code"] == "AMB"
        assert any(
            c["code"] == expected.offer for t in session["type"] for c in t.get("coding", [])
        )
        parts = [r for r in by_url.values() if r.get("partOf", {}).get("reference") == url]
        came = {p["subject"]["reference"] for p in parts}
        assert came == {patients[code] for code in expected.attendees}  # the cases' Patients
        for part in parts:  # and each person's own episode (the case)
            assert part["episodeOfCare"] == [{"reference": episodes[part["subject"]["reference"]]}]
    # without groups= the bundle is as before
    plain = e.interchange.to_fhir(example.cases, team=example.team)
    assert len(plain["entry"]) + len(sessions) + sum(len(s.attendees) for s in groups) + 1 == len(
        bundle["entry"]
    )
