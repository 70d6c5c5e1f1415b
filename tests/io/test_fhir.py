"""FHIR R4 export and import: the Bundle validates against the FHIR models and round-trips."""

from __future__ import annotations

import base64
import datetime as dt
import inspect
import json
import subprocess
import sys
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

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
    assert e.interchange.from_fhir(bundle) == list(example.cases)
    assert e.interchange.from_fhir(
        e.interchange.to_fhir_json(example.cases, team=example.team)
    ) == list(example.cases)


def test_the_salten_year_with_its_template_validates_and_round_trips() -> None:
    example = e.examples.salten_2020()
    bundle = e.interchange.to_fhir(example.cases, team=example.team, template="salten")
    e.interchange.validate_fhir(bundle)
    assert e.interchange.from_fhir(bundle) == list(example.cases)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(s.cases())
def test_generated_cases_validate_and_round_trip(case: e.Case) -> None:
    bundle = e.interchange.to_fhir([case], team=e.teams.salten(), template="salten")
    e.interchange.validate_fhir(bundle)
    assert e.interchange.from_fhir(json.loads(json.dumps(bundle))) == [case]


def test_the_patient_carries_only_the_pseudonym(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten)
    (patient,) = _resources(bundle, "Patient")
    assert set(patient) == {"resourceType", "id", "identifier", "birthDate"}
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
    (team,) = [o for o in organisations if o["name"] == salten.name]
    (episode,) = _resources(bundle, "EpisodeOfCare")
    assert episode["managingOrganization"]["reference"].endswith(team["id"])


def test_the_episode_follows_the_phases(salten: e.Team) -> None:
    (episode,) = _resources(e.interchange.to_fhir([_followed()], team=salten), "EpisodeOfCare")
    assert episode["status"] == "finished"
    assert episode["period"] == {"start": "2020-03-02", "end": "2020-05-20"}
    assert episode["statusHistory"] == [
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


def test_a_structured_field_value_is_read_from_its_attachment(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten)
    (episode,) = _resources(bundle, "EpisodeOfCare")
    closure = next(
        x for x in episode["extension"] if x.get("extension", [{}])[0].get("valueCode") == "closure"
    )
    field = next(f for f in closure["extension"] if f["url"] == "taken_over_by")
    # The service that takes over is structured (a TakeOver), so it travels as a JSON attachment.
    data = base64.b64decode(field["valueAttachment"]["data"])
    assert json.loads(data) == {"service": "mental_health_and_substance_use", "municipality": None}
    nav = base64.b64encode(b'{"service": "nav", "municipality": "Bod\\u00f8"}').decode()
    field["valueAttachment"] = {"contentType": "application/json", "data": nav}
    (case,) = e.interchange.from_fhir(bundle)
    assert case.closure is not None
    assert case.closure.taken_over_by == e.events.TakeOver(service="nav", municipality="Bodø")


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
        e.interchange.from_fhir(bundle)


def test_an_impossible_history_is_refused_with_its_path(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten)
    (episode,) = _resources(bundle, "EpisodeOfCare")
    del episode["extension"][1]  # the referral
    with pytest.raises(e.errors.ConfigError, match="episode 0"):
        e.interchange.from_fhir(bundle)


def test_an_unknown_field_value_is_refused(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_followed()], team=salten)
    (episode,) = _resources(bundle, "EpisodeOfCare")
    episode["extension"][1]["extension"][1] = {"url": "on", "valueQuantity": {"value": 1}}
    with pytest.raises(e.errors.ConfigError, match="known type"):
        e.interchange.from_fhir(bundle)


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
