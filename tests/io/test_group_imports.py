"""Group sessions read back from the FHIR bundle and the DHIS2 payload they were exported to."""

from __future__ import annotations

import copy
import datetime as dt
import json
from typing import Any

import attrs
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern._data import data_path
from ettervern.events import GroupLog, GroupSession

D = dt.date


def _jaeren() -> Any:
    return e.examples.jaeren_2019()


def _open(case: e.Case, day: dt.date) -> bool:
    """Open that day, as the group rules say: accepted by then, in follow-up or inside."""
    accepted = case.accepted_on
    return (
        accepted is not None
        and accepted <= day
        and case.phase_on(day) in (e.Phase.FOLLOW_UP, e.Phase.IN_INSTITUTION)
    )


def _mapping(example: Any) -> e.interchange.Dhis2Mapping:
    """The shipped example mapping with an org unit for each of the example's municipalities
    (the ids are made up) and the group programme's."""
    base = e.interchange.read_dhis2_mapping(str(data_path("dhis2", "salten.example.toml")))
    numbers = {c.municipality_on(x.on).number for c in example.cases for x in c.events}
    units = {n: f"Ou{n:0>9}" for n in numbers}
    elements = {
        **base.data_elements,
        "group.case_code": "GrpCase0001",
        "group.offer": "GrpOffr0001",
    }
    return attrs.evolve(base, org_units=units, data_elements=elements)


def test_the_example_years_group_log_comes_back_from_fhir_and_dhis2() -> None:
    example = _jaeren()
    bundle = e.interchange.to_fhir(example.cases, team=example.team, groups=example.groups)
    back = e.interchange.groups_from_fhir(
        json.dumps(bundle), team=example.team, cases=example.cases
    )
    assert back.rejected == ()
    assert back.accepted == example.groups
    mapping = _mapping(example)
    payload = e.interchange.to_dhis2(
        example.cases, mapping=mapping, team=example.team, groups=example.groups
    )
    from_dhis2 = e.interchange.groups_from_dhis2(
        payload, mapping=mapping, team=example.team, cases=example.cases
    )
    assert from_dhis2.rejected == ()
    # DHIS2 has one event per person: a session nobody came to does not travel
    assert from_dhis2.accepted == GroupLog(s for s in example.groups if s.attendees)


_attendance = st.lists(
    st.tuples(
        st.integers(0, 60),  # days after 1 March
        st.sampled_from(["turgruppe", "group_offer"]),
        st.lists(st.integers(0, 200), max_size=4, unique=True),
    ),
    max_size=8,
)


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow])
@given(_attendance)
def test_any_log_of_open_cases_comes_back_the_same(
    drawn: list[tuple[int, str, list[int]]],
) -> None:
    example = _jaeren()
    sessions: dict[tuple[dt.date, str], list[str]] = {}
    for offset, offer, picks in drawn:
        day = D(2019, 3, 1) + dt.timedelta(days=offset)
        open_then = [str(c.code) for c in example.cases if _open(c, day)]
        came = sorted({open_then[i % len(open_then)] for i in picks} if open_then else set())
        sessions.setdefault((day, offer), came)
    log = GroupLog(GroupSession(day, offer, came) for (day, offer), came in sessions.items())
    bundle = e.interchange.to_fhir(example.cases, team=example.team, groups=log)
    back = e.interchange.groups_from_fhir(bundle, team=example.team, cases=example.cases)
    assert (back.accepted, back.rejected) == (log, ())
    mapping = _mapping(example)
    payload = e.interchange.to_dhis2(example.cases, mapping=mapping, groups=log)
    again = e.interchange.groups_from_dhis2(
        payload, mapping=mapping, team=example.team, cases=example.cases
    )
    assert (again.accepted, again.rejected) == (GroupLog(s for s in log if s.attendees), ())


def _one_session() -> tuple[Any, dict[str, Any]]:
    example = _jaeren()
    day = D(2019, 3, 4)
    came = [str(c.code) for c in example.cases if _open(c, day)][:2]
    log = GroupLog([GroupSession(day, "turgruppe", came)])
    return example, e.interchange.to_fhir(example.cases, team=example.team, groups=log)


def test_a_person_who_cannot_have_come_is_rejected_with_the_entry_and_the_rule() -> None:
    example, bundle = _one_session()
    entries = bundle["entry"]
    parts = [
        i
        for i, x in enumerate(entries)
        if "partOf" in x["resource"]
        and x["resource"]["identifier"][0]["system"].endswith(":group-session")
    ]
    first, second = parts
    stranger = copy.deepcopy(entries[second])
    stranger["resource"]["subject"] = {
        "identifier": {"system": "urn:ettervern:case-code", "value": "KL-2019-999"}
    }
    stranger["fullUrl"] = "urn:uuid:stranger"
    entries.append(stranger)
    entries[first]["resource"]["period"] = {"start": "4. mars", "end": "4. mars"}
    back = e.interchange.groups_from_fhir(bundle, team=example.team, cases=example.cases)
    assert [(r.row, r.column, r.rule) for r in back.rejected] == [
        (first + 1, "date", "date"),
        (len(entries), "case", "unknown_case"),
    ]
    (session,) = back.accepted
    assert len(session.attendees) == 1  # the second person, as exported


def test_a_session_nobody_came_to_is_kept_from_fhir() -> None:
    example = _jaeren()
    log = GroupLog([GroupSession(D(2019, 3, 4), "turgruppe", [])])
    bundle = e.interchange.to_fhir(example.cases, team=example.team, groups=log)
    back = e.interchange.groups_from_fhir(bundle, team=example.team, cases=example.cases)
    assert back.accepted == log


def test_a_mapping_that_cannot_say_who_came_is_refused() -> None:
    example = _jaeren()
    mapping = _mapping(example)
    elements = {k: v for k, v in mapping.data_elements.items() if k != "group.case_code"}
    blind = attrs.evolve(mapping, data_elements=elements)
    with pytest.raises(e.errors.InvalidValueError, match=r"group\.case_code"):
        e.interchange.groups_from_dhis2(
            {"events": []}, mapping=blind, team=example.team, cases=example.cases
        )


def test_a_payload_event_of_another_programme_is_not_a_group_session() -> None:
    example = _jaeren()
    mapping = _mapping(example)
    payload = e.interchange.to_dhis2(example.cases, mapping=mapping, groups=example.groups)
    other = copy.deepcopy(payload["events"][0])
    other["program"] = "OtherProg01"
    payload["events"].insert(0, other)
    back = e.interchange.groups_from_dhis2(
        payload, mapping=mapping, team=example.team, cases=example.cases
    )
    assert back.rejected == ()
    assert back.accepted == GroupLog(s for s in example.groups if s.attendees)
