"""Group sessions read back from the interchange formats they were exported to: the Encounters
of a FHIR bundle (``to_fhir(groups=)``) and the group programme's events of a DHIS2 payload
(``to_dhis2(groups=)``).

Each person at a session is one line, checked as a line of an attendance sheet is (the team's
code scheme and plausible dates, a case open that day, nobody twice at one session) and
accepted or rejected with its rule: nothing is dropped without a word. A line's ``row`` is its
entry's position (from 1) among the bundle's entries or the payload's events.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from ettervern._core import Team, check_field
from ettervern._io._dhis2 import Dhis2Mapping
from ettervern._io._fhir import CASE_CODE_SYSTEM, bundle_data
from ettervern._io._fhir_groups import ENCOUNTER_KIND_SYSTEM, GROUP_OFFER_SYSTEM
from ettervern._io._groups import GroupImport, check_lines
from ettervern._pathway import Case

__all__ = ["groups_from_dhis2", "groups_from_fhir"]

Line = tuple[int, object, str, str]
"""A person at a session: the row, the day as given, the offer, the case code."""


def _coded(resource: Mapping[str, Any], system: str) -> str | None:
    for concept in resource.get("type", []):
        for coding in concept.get("coding", []):
            if coding.get("system") == system:
                return str(coding.get("code", ""))
    return None


def _is_group(resource: Mapping[str, Any]) -> bool:
    return (
        resource.get("resourceType") == "Encounter"
        and _coded(resource, ENCOUNTER_KIND_SYSTEM) == "group_session"
    )


def _code_of_subject(subject: Mapping[str, Any], resources: Mapping[str, Any]) -> str:
    """The case code a person's Encounter is about: its Patient's, or the identifier it gives
    for a case not in the bundle ("" when neither can be read)."""
    identifiers = [subject.get("identifier", {})]
    patient = resources.get(str(subject.get("reference", "")))
    if isinstance(patient, Mapping):
        identifiers = list(patient.get("identifier", []))
    return next(
        (str(i.get("value", "")) for i in identifiers if i.get("system") == CASE_CODE_SYSTEM), ""
    )


def _fhir_lines(entries: list[Mapping[str, Any]]) -> Iterator[Line]:
    resources = {str(e.get("fullUrl")): e.get("resource", {}) for e in entries}
    for row, entry in enumerate(entries, start=1):
        resource = entry.get("resource", {})
        if not _is_group(resource) or "partOf" not in resource:
            continue
        day = resource.get("period", {}).get("start")
        offer = _coded(resource, GROUP_OFFER_SYSTEM) or ""
        yield row, day, offer, _code_of_subject(resource.get("subject", {}), resources)


def _fhir_sessions(entries: list[Mapping[str, Any]]) -> Iterator[tuple[dt.date, str]]:
    """The sessions the bundle holds, people or none, in its order."""
    for entry in entries:
        resource = entry.get("resource", {})
        if _is_group(resource) and "partOf" not in resource:
            try:
                day = dt.date.fromisoformat(str(resource["period"]["start"]))
            except (KeyError, TypeError, ValueError):
                continue  # its people's lines say what is wrong with the day
            yield day, _coded(resource, GROUP_OFFER_SYSTEM) or ""


def groups_from_fhir(
    bundle: Mapping[str, Any] | str, *, team: Team, cases: Iterable[Case]
) -> GroupImport:
    """The group sessions of a Bundle written by ``to_fhir(…, groups=log)`` (a dict or its JSON
    text): one per session Encounter, with each person whose Encounter is ``partOf`` it.

    Each person is checked against ``team`` and ``cases`` as a line of an attendance sheet is
    ([`read_group_sessions`][ettervern.interchange.read_group_sessions]); ``row`` in a rejected
    line is the person's entry's position in the bundle, from 1. A session nobody came to is
    kept.

    Raises:
        ConfigError: the text is not a Bundle.
    """
    entries = list(bundle_data(bundle).get("entry", []))
    return check_lines(_fhir_lines(entries), team, cases, sessions=_fhir_sessions(entries))


def _dhis2_lines(
    events: list[Mapping[str, Any]], mapping: Dhis2Mapping, offer: str
) -> Iterator[Line]:
    elements = {v: k for k, v in mapping.data_elements.items()}
    for row, event in enumerate(events, start=1):
        if event.get("program") != mapping.group_program:
            continue
        values = {
            elements.get(str(v.get("dataElement"))): str(v.get("value", ""))
            for v in event.get("dataValues", [])
        }
        day = str(event.get("occurredAt", ""))[:10]  # midnight in Norway: the day as written
        yield row, day, values.get("group.offer") or offer, values.get("group.case_code", "")


def groups_from_dhis2(
    payload: Mapping[str, Any],
    *,
    mapping: Dhis2Mapping,
    team: Team,
    cases: Iterable[Case],
    offer: str = "group_offer",
) -> GroupImport:
    """The group sessions of a payload written by ``to_dhis2(…, groups=log)``: the events of
    the mapping's ``group_program``, one per person at a session, grouped by day and offer.

    Each person is checked as a line of an attendance sheet is; ``row`` in a rejected line is
    the event's position among the payload's ``events``, from 1. An event without the data
    value ``group.offer`` is of ``offer``.

    Raises:
        InvalidValueError: the mapping has no ``group_program`` or no data element
            ``group.case_code`` (the events could not say who came).
    """
    check_field(
        mapping.group_program is not None and "group.case_code" in mapping.data_elements,
        "the DHIS2 mapping needs group_program and the data element group.case_code to read"
        " the group sessions back",
        field="group_program",
        value=mapping.group_program,
    )
    events = list(payload.get("events", []))
    return check_lines(_dhis2_lines(events, mapping, offer), team, cases)
