"""The case's CareTeam and its milestones as Tasks in the FHIR bundle."""

from __future__ import annotations

import datetime as dt
import json
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings

import ettervern as e
from tests import strategies as s
from tests.io.test_fhir import _r4_errors

d = dt.date

pytest.importorskip("fhir.resources.R4B")

TASK_STATUS = {
    "done": "completed",
    "done_late": "completed",
    "waived": "cancelled",
    "overdue": "requested",
    "due_today": "requested",
    "upcoming": "requested",
}
"""The documented mapping, written apart from the code: a milestone's status, as the case
stands at its end, to the Task's status."""


def _resources(bundle: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [x["resource"] for x in bundle["entry"] if x["resource"]["resourceType"] == kind]


def _staffed() -> e.Case:
    """Two staff from acceptance, one the coordinator; a third from 1 April, the second
    released on 15 April; the plan declined, the handover meeting moved, closed 20 May."""
    return (
        e.Case.refer("03/20-ST", on=d(2020, 3, 2), municipality="Steigen", birth_year=1988)
        .admit(on=d(2020, 3, 2), kind="treatment")
        .accept(on=d(2020, 3, 4))
        .assign_staff("KB", on=d(2020, 3, 4), coordinator=True)
        .assign_staff("AH", on=d(2020, 3, 4))
        .waive("individual_plan", on=d(2020, 3, 10), reason="declined")
        .discharge(on=d(2020, 3, 20))
        .assign_staff("TO", on=d(2020, 4, 1))
        .release_staff("AH", on=d(2020, 4, 15))
        .reschedule("closure_report", on=d(2020, 5, 20), to=d(2020, 6, 1))
        .close(on=d(2020, 5, 20), reason="completed", taken_over_by="nav")
    )


def test_the_staff_are_a_care_team_of_roster_ids_roles_and_periods(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_staffed()], team=salten)
    (team,) = _resources(bundle, "CareTeam")
    members = [
        (
            p["member"]["identifier"]["value"],
            p["role"][0]["coding"][0]["code"],
            p["role"][0]["coding"][0]["display"],
            p["period"],
        )
        for p in team["participant"]
    ]
    assert members == [
        ("KB", "coordinator", "Koordinator", {"start": "2020-03-04", "end": "2020-05-20"}),
        ("AH", "staff", "Ansatt", {"start": "2020-03-04", "end": "2020-04-14"}),
        ("TO", "staff", "Ansatt", {"start": "2020-04-01", "end": "2020-05-20"}),
    ]
    assert team["status"] == "inactive"  # every assignment ended with the closure
    assert team["period"] == {"start": "2020-03-04", "end": "2020-05-20"}
    (episode,) = _resources(bundle, "EpisodeOfCare")
    url = next(x["fullUrl"] for x in bundle["entry"] if x["resource"] is team)
    assert episode["team"] == [{"reference": url}]
    organisation = next(
        x["fullUrl"] for x in bundle["entry"] if x["resource"].get("name") == salten.name
    )
    assert {p["member"]["identifier"]["assigner"]["reference"] for p in team["participant"]} == {
        organisation
    }
    # A logical reference by roster id only: no Practitioner, no name.
    assert not _resources(bundle, "Practitioner")
    assert all(set(p["member"]) == {"identifier"} for p in team["participant"])


def test_a_case_without_staff_has_no_care_team(salten: e.Team) -> None:
    case = e.Case.refer("01/20-FA", on=d(2020, 3, 2), municipality="Fauske").accept(
        on=d(2020, 3, 3)
    )
    bundle = e.interchange.to_fhir([case], team=salten)
    assert not _resources(bundle, "CareTeam")
    assert "team" not in _resources(bundle, "EpisodeOfCare")[0]


def test_each_milestone_is_a_task_with_its_status(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_staffed()], team=salten)
    tasks = {t["code"]["coding"][0]["code"]: t for t in _resources(bundle, "Task")}
    plan = _resources(bundle, "CarePlan")[0]
    waived = tasks["individual_plan"]
    assert waived["status"] == "cancelled"
    assert waived["statusReason"]["coding"][0]["code"] == "declined"
    assert waived["statusReason"]["coding"][0]["display"] == "Personen takket nei"
    assert waived["lastModified"] == "2020-03-10"
    assert waived["restriction"] == {"period": {"end": "2020-03-20"}}  # due at the discharge
    moved = tasks["closure_report"]
    assert (moved["status"], moved["restriction"]["period"]["end"]) == ("requested", "2020-06-01")
    assert moved["businessStatus"]["coding"][0]["code"] == "rescheduled"
    assert moved["lastModified"] == "2020-05-20"
    handover = tasks["handover_meeting"]  # held on the closure day: the service took over
    assert (handover["status"], handover["executionPeriod"]) == ("completed", {"end": "2020-05-20"})
    assert tasks["evaluation_form"]["status"] == "requested"
    assert "businessStatus" not in tasks["evaluation_form"]
    plan_url = next(x["fullUrl"] for x in bundle["entry"] if x["resource"] is plan)
    assert all(t["basedOn"] == [{"reference": plan_url}] for t in tasks.values())
    assert all(t["intent"] == "plan" for t in tasks.values())
    assert tasks["individual_plan"]["code"]["coding"][0]["display"] == "Individuell plan"


def test_the_task_code_systems_are_shipped_in_the_bundle(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_staffed()], team=salten)
    systems = {c["url"]: c for c in _resources(bundle, "CodeSystem")}
    for task in _resources(bundle, "Task"):
        for element in ("statusReason", "businessStatus"):
            for coding in task.get(element, {}).get("coding", []):
                codes = [c["code"] for c in systems[coding["system"]]["concept"]]
                assert coding["code"] in codes
    roles = systems["urn:ettervern:fhir:CodeSystem:care-team-role"]["concept"]
    assert {c["code"]: c["designation"][0]["value"] for c in roles} == {
        "coordinator": "Koordinator",
        "staff": "Tilsett",
    }


def test_the_staffed_case_validates_and_round_trips(salten: e.Team) -> None:
    bundle = e.interchange.to_fhir([_staffed()], team=salten, template="salten")
    e.interchange.validate_fhir(bundle)
    assert _r4_errors(bundle) == []
    assert e.interchange.from_fhir(bundle).accepted == (_staffed(),)


@settings(max_examples=40, suppress_health_check=[HealthCheck.too_slow])
@given(s.cases(planning=True))
def test_every_milestone_has_one_task_of_the_mapped_status(case: e.Case) -> None:
    team = e.teams.salten()
    bundle = e.interchange.to_fhir([case], team=team, template="salten")
    tasks = {t["code"]["coding"][0]["code"]: t for t in _resources(bundle, "Task")}
    found = e.milestones(case, team=team, template="salten")
    assert sorted(tasks) == sorted(m.key for m in found)
    last = max(x.on for x in case.events)
    for milestone in found:
        task = tasks[milestone.key]
        assert task["status"] == TASK_STATUS[milestone.status(last)]
        assert task["restriction"]["period"]["end"] == milestone.due.isoformat()
    staff = {a.staff for a in case.staff_assignments}
    members = [
        p["member"]["identifier"]["value"]
        for t in _resources(bundle, "CareTeam")
        for p in t["participant"]
    ]
    assert len(members) == len(case.staff_assignments) and set(members) == staff
    e.interchange.validate_fhir(bundle)
    assert _r4_errors(bundle) == []
    assert e.interchange.from_fhir(json.loads(json.dumps(bundle))).accepted == (case,)
