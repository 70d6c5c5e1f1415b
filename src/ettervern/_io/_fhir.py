"""FHIR R4 export and import of cases: a Bundle a journal system or a FHIR server can take in.

[`to_fhir`][ettervern.interchange.to_fhir] writes one ``transaction`` Bundle of conditional creates holding,
for each case:

- a ``Patient`` carrying only the pseudonym (the case code, and the keyed person pseudonym when
  the case has one), the birth year (never a finer birth date) and the gender when recorded: no
  name, no identity number, no address;
- an ``EpisodeOfCare`` with the team as ``managingOrganization``, its ``period`` from referral to
  closure or decline, and ``statusHistory`` from the phases of the case
  ([`Case.phase_on`][ettervern.Case.phase_on]);
- an ``Encounter`` for each institution stay or prison term, its v3 ActCode class by the kind of
  stay (inpatient ``IMP``, a user-controlled bed ``NONAC``, a prison term ``FLD``: a prison is
  not a health institution) and the kind as its type;
- a ``CarePlan`` from the pathway template: the milestones ([`milestones`][ettervern.milestones]) and
  the template's inner phases as activities, with their status and dates;
- a ``QuestionnaireResponse`` for each outcome assessment (intake and later assessments, at
  closure, at the three-month check), answering one shared ``Questionnaire`` of the eight life
  domains;
- a ``CareTeam`` of the case's staff and a ``Task`` per milestone (``_fhir_team``);

and once, an ``Organization`` for the team and for each municipality (the commissioning ones and
one that runs a service taking a case over), the municipalities identified by their
kommunenummer, and a ``CodeSystem`` for each of the library's own code systems (kinds of stay,
kinds of service, scores, care-team roles, waiver reasons, task states) with each display in Norwegian Bokmål and nn and en as designations.

HL7 Norway's basis profiles (no-basis, ``HL7Norway/basisprofiler-r4``) give the Norwegian
conventions used here: the kommunenummer code system ``urn:oid:2.16.578.1.12.4.1.1.3402``
(Volven 3402; a ``uniqueId`` of the NamingSystem ``no-basis-kommunenummer``) and the address
extension ``http://hl7.no/fhir/StructureDefinition/no-basis-municipalitycode``
(``StructureDefinition/no-basis-municipalitycode.StructureDefinition-extension.xml``). The
organisation number of the Central Coordinating Register (Enhetsregisteret) would be
``urn:oid:2.16.578.1.12.4.1.4.101`` (HL7 Norway ``kodeverk``, NamingSystem
``no-basis-organisasjonsnummer``); teams do not record it, so it is not written.

Everything the library knows about a case is carried losslessly, so that
[`from_fhir`][ettervern.interchange.from_fhir] gives back equal cases, and each event once: in
the R4 element that holds it where there is one (``_IN_ELEMENTS``: the decisions in
``statusHistory``, stays in Encounters, steps in the CarePlan, assessments in
QuestionnaireResponses), with what that element cannot say in an event extension on it; the
other kinds as event extensions of the EpisodeOfCare, one sub-extension per field, written
generically from the event's attrs fields (an outcome refers to its QuestionnaireResponse; the
service that took over is a coded kind and a reference to its municipality's Organization);
and the order of all of them in the history extension.
ettervern publishes no implementation guide, so its own extensions and code systems are named
by ``urn:ettervern:…`` URIs.

The export needs nothing beyond the core dependencies; checking a Bundle against the FHIR models
([`validate_fhir`][ettervern.interchange.validate_fhir]) needs the ``fhir`` extra (``fhir.resources``, its R4B models).
"""

from __future__ import annotations

import base64
import datetime as dt
import enum
import itertools
import json
import types
import typing
import uuid
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import Any, Union
from urllib.parse import quote

import attrs

from ettervern._core import CaseCode, LifeDomain, Municipality, Outcome, OutcomeFlag, Score, Team
from ettervern._io._convert import (
    CASE_SCHEMA_VERSION,
    case_from_dict,
    case_to_dict,
    check_indent,
)
from ettervern._io._fhir_care import CONSENT_WITHDRAWN_EXTENSION, care_resources
from ettervern._io._fhir_groups import ENCOUNTER_KIND_SYSTEM, group_concepts, group_resources
from ettervern._io._fhir_team import (
    STEP_SYSTEM,
    CaseLinks,
    case_work,
    code_system,
    work_code_systems,
)
from ettervern._io._result import CaseReading, ImportResult
from ettervern._l10n import N_, Message, translate
from ettervern._pathway import (
    EVENT_TYPES,
    Case,
    GroupLog,
    Milestone,
    PathwayTemplate,
    ServiceKind,
    Stay,
    StayKind,
    StepStarted,
    TakeOver,
    milestones,
    pathway_template,
)
from ettervern.errors import ConfigError, EttervernError, MissingDependencyError

__all__ = [
    "CASE_CODE_SYSTEM",
    "KOMMUNENUMMER_SYSTEM",
    "MUNICIPALITY_CODE_EXTENSION",
    "bundle_data",
    "from_fhir",
    "to_fhir",
    "to_fhir_json",
    "validate_fhir",
]

KOMMUNENUMMER_SYSTEM = "urn:oid:2.16.578.1.12.4.1.1.3402"
"""The kommunenummer code system (Volven 3402), as HL7 Norway's no-basis profiles write it."""

MUNICIPALITY_CODE_EXTENSION = "http://hl7.no/fhir/StructureDefinition/no-basis-municipalitycode"
"""HL7 Norway's extension of ``Address.district`` with the coded kommunenummer."""

CASE_CODE_SYSTEM = "urn:ettervern:case-code"
"""The identifier system of the pseudonym: the team's case code (anonymiseringskode)."""
PERSON_SYSTEM = "urn:ettervern:person-pseudonym"
"""The identifier system of a case's keyed person pseudonym ([`Case.person`][ettervern.Case.person])."""

_BASE = "urn:ettervern:fhir"
_EVENT = EVENT_EXTENSION = f"{_BASE}:StructureDefinition:event"
_COMMISSIONED_BY = COMMISSIONED_BY_EXTENSION = (
    f"{_BASE}:StructureDefinition:commissioning-municipality"
)
_CODE_SCHEME = CODE_SCHEME_EXTENSION = f"{_BASE}:StructureDefinition:code-scheme"
"""The team's case-code scheme (its ``case_to_dict`` form as JSON), when it is not the default."""
_ASSESSMENT_POINT = ASSESSMENT_POINT_EXTENSION = f"{_BASE}:StructureDefinition:assessment-point"
_EPISODE = EPISODE_EXTENSION = f"{_BASE}:StructureDefinition:episode"
_HISTORY = HISTORY_EXTENSION = f"{_BASE}:StructureDefinition:history"
"""The order in which the case's events were recorded: their kinds, separated by spaces."""
_STAY_KIND = f"{_BASE}:CodeSystem:stay-kind"
_STEP = STEP_SYSTEM
_SCORE = f"{_BASE}:CodeSystem:score"
_FLAG = f"{_BASE}:CodeSystem:outcome-flag"
_QUESTIONNAIRE = f"{_BASE}:Questionnaire:life-domains"
_SERVICE_KIND = f"{_BASE}:CodeSystem:service-kind"
_TEAM_SYSTEM = f"{_BASE}:team"
_STAY_ID = f"{_BASE}:stay"
_PLAN_ID = f"{_BASE}:care-plan"
_ASSESSMENT_ID = f"{_BASE}:assessment"
_ORG_TYPE = "http://terminology.hl7.org/CodeSystem/organization-type"
_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "urn:ettervern:fhir")
"""Fixed, so that the same cases give the same resource ids in every export."""

_SCORE_WORDS = {1: "Serious problems", 2: "Some problems", 3: "No or minor problems"}
"""The message ids of the scores' labels (translated in the catalogs)."""

_SERVICE_WORDS = {
    ServiceKind.MENTAL_HEALTH_AND_SUBSTANCE_USE: "Mental health and substance use service",
    ServiceKind.NAV: "NAV",
    ServiceKind.GENERAL_PRACTITIONER: "GP",
    ServiceKind.SPECIALIST_HEALTH_SERVICE: "Specialist health service",
    ServiceKind.HOUSING: "Housing service",
    ServiceKind.HOME_CARE: "Home-based services",
    ServiceKind.CHILD_WELFARE: "Child welfare service",
    ServiceKind.OTHER: "Other service",
}
"""The message ids of the service kinds' labels (the case schema marks them for the catalogs)."""


def _full_url(*parts: object) -> str:
    return f"urn:uuid:{uuid.uuid5(_NAMESPACE, '/'.join(map(str, parts)))}"


def _entry(url: str, resource: dict[str, Any], condition: str | None = None) -> dict[str, Any]:
    """A transaction entry: a ``urn:uuid`` fullUrl other entries refer to, and a POST that
    creates the resource only if none matches ``condition`` (FHIR's conditional create)."""
    request = {"method": "POST", "url": resource["resourceType"]}
    if condition is not None:
        request["ifNoneExist"] = condition
    return {"fullUrl": url, "resource": resource, "request": request}


def _identified(system: str, value: str) -> str:
    """The search that finds a resource by its identifier: ``identifier=system|value``."""
    return "identifier=" + quote(f"{system}|{value}", safe=":/|")


def _nb(message: str, *, context: str | None = None) -> str:
    return translate(message, "nb", context=context)


def _ref(url: str) -> dict[str, str]:
    return {"reference": url}


# -- organisations ---------------------------------------------------------------------------


def _municipality_org(municipality: Municipality) -> dict[str, Any]:
    coding = {
        "system": KOMMUNENUMMER_SYSTEM,
        "code": municipality.number,
        "display": municipality.name,
    }
    return {
        "resourceType": "Organization",
        "identifier": [{"system": KOMMUNENUMMER_SYSTEM, "value": municipality.number}],
        "active": True,
        "type": [{"coding": [{"system": _ORG_TYPE, "code": "govt"}]}],
        "name": f"{municipality.name} kommune",
        "address": [
            {
                "district": municipality.name,
                "_district": {
                    "extension": [{"url": MUNICIPALITY_CODE_EXTENSION, "valueCoding": coding}]
                },
                "country": "NO",
            }
        ],
    }


def _municipality_url(municipality: Municipality) -> str:
    return _full_url("municipality", municipality.number)


def _team_org(team: Team) -> dict[str, Any]:
    return {
        "resourceType": "Organization",
        "identifier": [{"system": _TEAM_SYSTEM, "value": team.name}],
        "active": True,
        "type": [{"coding": [{"system": _ORG_TYPE, "code": "prov"}]}],
        "name": team.name,
        "partOf": _ref(_municipality_url(team.host)),
    }


# -- the questionnaire of life domains -------------------------------------------------------


_QUESTIONNAIRE_TITLE = N_("Life domains (BrukerPlan), scored 1-3, higher is better")


def _questionnaire() -> dict[str, Any]:
    scores = [
        {"valueCoding": {"system": _SCORE, "code": str(s.value), "display": _nb(_SCORE_WORDS[s])}}
        for s in Score
    ]
    items: list[dict[str, Any]] = [
        {"linkId": d.value, "text": _nb(d.value, context="domain"), "type": "choice"}
        | {"answerOption": scores}
        for d in LifeDomain
    ]
    flags = [{"valueCoding": {"system": _FLAG, "code": f.value}} for f in OutcomeFlag]
    items.append(
        {"linkId": "flags", "text": _nb("Outcomes"), "type": "choice", "repeats": True}
        | {"answerOption": flags}
    )
    return {
        "resourceType": "Questionnaire",
        "url": _QUESTIONNAIRE,
        "name": "LifeDomains",
        "title": _nb(_QUESTIONNAIRE_TITLE),
        "language": "nb",
        "status": "active",
        "subjectType": ["Patient"],
        "item": items,
    }


def _response(
    outcome: Mapping[str, Any], *, on: str, point: str, patient: str, episode: str
) -> dict[str, Any]:
    items: list[dict[str, Any]] = []
    for domain in LifeDomain:
        score = outcome.get(domain.value)
        if score is not None:
            coding = {"system": _SCORE, "code": str(score), "display": _nb(_SCORE_WORDS[score])}
            items.append({"linkId": domain.value, "answer": [{"valueCoding": coding}]})
    flags = outcome.get("flags") or []
    if flags:
        answers = [{"valueCoding": {"system": _FLAG, "code": f}} for f in flags]
        items.append({"linkId": "flags", "answer": answers})
    response: dict[str, Any] = {
        "resourceType": "QuestionnaireResponse",
        "extension": [
            {"url": _ASSESSMENT_POINT, "valueCode": point},
            {"url": _EPISODE, "valueReference": _ref(episode)},
        ],
        "questionnaire": _QUESTIONNAIRE,
        "status": "completed",
        "subject": _ref(patient),
        "authored": on,
    }
    if items:
        response["item"] = items
    return response


def _outcome_from(response: Mapping[str, Any]) -> dict[str, Any]:
    outcome: dict[str, Any] = {}
    for item in response.get("item", []):
        codes = [a["valueCoding"]["code"] for a in item.get("answer", [])]
        if item["linkId"] == "flags":
            outcome["flags"] = codes
        elif codes:
            outcome[item["linkId"]] = int(codes[0])
    return outcome


# -- events as extensions --------------------------------------------------------------------

_TAGS = {cls.tag: cls for cls in EVENT_TYPES}


def _plain_type(tp: Any) -> Any:
    """``X`` for ``X | None``; other types as they are."""
    if typing.get_origin(tp) in (Union, types.UnionType):
        kept = [a for a in typing.get_args(tp) if a is not type(None)]
        if len(kept) == 1:
            return kept[0]
    return tp


def event_field_types() -> dict[str, dict[str, Any]]:
    """The fields of each kind of event with their types (``X`` for ``X | None``), by tag."""
    return {tag: _field_types(tag) for tag in _TAGS}


def _field_types(tag: str) -> dict[str, Any]:
    hints = typing.get_type_hints(_TAGS[tag])
    return {name: _plain_type(tp) for name, tp in hints.items()}


def _value(tp: Any, value: object, outcome_url: str | None) -> dict[str, Any]:
    """One field of an event as a typed FHIR extension value."""
    if tp is Outcome and outcome_url is not None:
        return {"valueReference": _ref(outcome_url)}
    if isinstance(value, bool | int | str):
        return {_value_kind(tp, value): value}
    # Anything structured that is not an outcome: its JSON, as an attachment.
    data = base64.b64encode(json.dumps(value, ensure_ascii=False).encode("utf-8")).decode()
    return {"valueAttachment": {"contentType": "application/json", "data": data}}


def _value_kind(tp: Any, value: bool | int | str) -> str:
    if isinstance(value, bool):
        return "valueBoolean"
    if isinstance(value, int):
        return "valueInteger"
    if tp is dt.date:
        return "valueDate"
    is_enum = isinstance(tp, type) and issubclass(tp, enum.Enum)
    return "valueCode" if is_enum else "valueString"


def _take_over(value: TakeOver) -> dict[str, Any]:
    """The service that took over: its kind coded, the municipality that runs it a reference to
    that municipality's Organization (identified by kommunenummer)."""
    kind = value.service
    coding = {"system": _SERVICE_KIND, "code": kind.value, "display": _nb(_SERVICE_WORDS[kind])}
    fields: list[dict[str, Any]] = [{"url": "service", "valueCoding": coding}]
    if value.municipality is not None:
        reference = _ref(_municipality_url(value.municipality))
        fields.append({"url": "municipality", "valueReference": reference})
    return {"extension": fields}


def _read_take_over(
    fields: Sequence[Mapping[str, Any]], resources: Mapping[str, Mapping[str, Any]]
) -> dict[str, Any]:
    found: dict[str, Any] = {}
    for field in fields:
        if field.get("url") == "service":
            found["service"] = field["valueCoding"]["code"]
        elif field.get("url") == "municipality":
            org = resources[field["valueReference"]["reference"]]
            found["municipality"] = _kommunenummer(org)
    return found


def _kommunenummer(org: Mapping[str, Any]) -> str:
    return str(
        next(i["value"] for i in org["identifier"] if i.get("system") == KOMMUNENUMMER_SYSTEM)
    )


def _read_value(
    value: Mapping[str, Any],
    outcomes: Mapping[str, dict[str, Any]],
    resources: Mapping[str, Mapping[str, Any]],
) -> Any:
    if "extension" in value:  # the service that took over
        return _read_take_over(value["extension"], resources)
    if "valueReference" in value:
        return outcomes[value["valueReference"]["reference"]]
    if "valueAttachment" in value:
        return json.loads(base64.b64decode(value["valueAttachment"]["data"]).decode("utf-8"))
    for key in ("valueBoolean", "valueInteger", "valueDate", "valueCode", "valueString"):
        if key in value:
            return value[key]
    msg = Message("an event field without a value of a known type: {value!r}", value=value)
    raise ConfigError(Message("FHIR bundle"), [msg])


# -- one case --------------------------------------------------------------------------------


_IN_ELEMENTS: dict[str, frozenset[str]] = {
    "referral": frozenset({"event", "on"}),
    "acceptance": frozenset({"event", "on"}),
    "decline": frozenset({"event", "on"}),
    "closure": frozenset({"event", "on"}),
    "reopening": frozenset({"event", "on"}),
    "admission": frozenset({"event", "on", "kind"}),
    "discharge": frozenset({"event", "on"}),
    "step": frozenset({"event", "on", "step"}),
    "assessment": frozenset({"event", "on", "outcome"}),
    "consent_given": frozenset({"event", "on", "scope"}),
    "consent_withdrawn": frozenset({"event", "on", "scope"}),
    "goal_set": frozenset({"event", "on", "domain", "target", "due"}),
    "goal_reviewed": frozenset({"event", "on", "domain", "status"}),
}
"""The fields of each kind of event that R4 elements carry: a referral, acceptance, decline,
closure or reopening is an entry of ``EpisodeOfCare.statusHistory`` (its status and start), an
admission and a discharge the ``period`` and ``type`` of the stay's Encounter, a step begun an
activity of the CarePlan, an assessment its QuestionnaireResponse, a consent given or withdrawn
its Consent (``dateTime``, the provision's period and code), a goal set or reviewed its Goal
(``startDate``, ``statusDate``, the status, the target). What is left of such an
event (who referred, why declined, how closed) is an event extension on its statusHistory
entry; the other kinds have no R4 element that holds each one recorded, and are event
extensions of the EpisodeOfCare. The order of the events, which R4 has no element for, is the
history extension."""

_IN_RESOURCES = frozenset(_IN_ELEMENTS) - {
    "referral",
    "acceptance",
    "decline",
    "closure",
    "reopening",
}
"""The kinds of event held whole by a resource of their own, not by the episode."""

_DECISION_STATUS = {
    "referral": "waitlist",
    "acceptance": "active",
    "decline": "cancelled",
    "closure": "finished",
}


def _decision_entry(
    tag: str, on: str, accepted: bool, fields: list[dict[str, Any]]
) -> dict[str, Any]:
    """An entry of the status history: the status a decision gives, from its day."""
    status = _DECISION_STATUS.get(tag, "active" if accepted else "waitlist")  # a reopening
    entry: dict[str, Any] = {"status": status, "period": {"start": on}}
    if fields:
        entry["extension"] = [{"url": _EVENT, "extension": fields}]
    return entry


def _ended(history: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """Each status lasts until the next begins."""
    for entry, following in itertools.pairwise(history):
        entry["period"]["end"] = following["period"]["start"]
    return history


def _activity(milestone: Milestone, display: str) -> dict[str, Any]:
    detail: dict[str, Any] = {
        "code": {"coding": [{"system": _STEP, "code": milestone.key, "display": display}]},
        "status": "completed" if milestone.done_on is not None else "scheduled",
        "scheduledPeriod": {"end": milestone.due.isoformat()},
        "description": display,
    }
    activity: dict[str, Any] = {"detail": detail}
    if milestone.done_on is not None:
        activity["progress"] = [{"time": milestone.done_on.isoformat(), "text": "done"}]
    return activity


def _phase_activity(key: str, display: str, started: dt.date, current: bool) -> dict[str, Any]:
    detail = {
        "code": {"coding": [{"system": _STEP, "code": key, "display": display}]},
        "status": "in-progress" if current else "completed",
        "scheduledPeriod": {"start": started.isoformat()},
        "description": display,
    }
    return {"detail": detail}


def _care_plan(
    case: Case, team: Team, template: PathwayTemplate | None, patient: str, episode: str
) -> dict[str, Any]:
    names = {} if template is None else {s.key: s.name for s in template.steps}
    activities = [
        _activity(m, names.get(m.key, m.key.replace("_", " ")))
        for m in milestones(case, target=team.follow_up_target, template=template)
    ]
    begun = [e for e in case.events if isinstance(e, StepStarted)]
    now = case.step_on(max(e.on for e in case.events))
    for i, step in enumerate(begun):
        current = i == len(begun) - 1 and now == step.step
        name = names.get(step.step, step.step.replace("_", " "))
        activities.append(_phase_activity(step.step, name, step.on, current))
    status = "active"
    if case.declined_on is not None:
        status = "revoked"
    elif case.is_closed:
        status = "completed"
    plan: dict[str, Any] = {
        "resourceType": "CarePlan",
        "status": status,
        "intent": "plan",
        "title": "Aftercare pathway" if template is None else template.name,
        "subject": _ref(patient),
        "period": {"start": (case.accepted_on or case.referred_on).isoformat()},
        "supportingInfo": [_ref(episode)],
    }
    if template is not None:
        plan["instantiatesUri"] = [f"urn:ettervern:pathway-template:{template.key}"]
    if case.closed_on is not None:
        plan["period"]["end"] = case.closed_on.isoformat()
    if activities:
        plan["activity"] = activities
    return plan


def _patient(case: Case) -> dict[str, Any]:
    patient: dict[str, Any] = {
        "resourceType": "Patient",
        "identifier": [
            {"use": "secondary", "system": CASE_CODE_SYSTEM, "value": str(case.code)},
            *([{"system": PERSON_SYSTEM, "value": case.person}] if case.person else []),
        ],
    }
    if case.gender is not None:
        patient["gender"] = case.gender.value
    if case.birth_year is not None:
        patient["birthDate"] = f"{case.birth_year:04d}"
    return patient


def _case_entries(
    index: int, case: Case, team: Team, template: PathwayTemplate | None, team_url: str
) -> list[dict[str, Any]]:
    """A case's resources: its Patient, EpisodeOfCare, an Encounter per stay, its CarePlan,
    and a QuestionnaireResponse per outcome."""
    key = (index, case.code)
    patient, episode = _full_url(*key, "patient"), _full_url(*key, "episode")
    extensions, responses, history = _event_extensions(key, case, patient, episode)
    code = str(case.code)
    entries = [
        _entry(patient, _patient(case), _identified(CASE_CODE_SYSTEM, code)),
        _entry(
            episode,
            _episode(case, extensions, history, (patient, team_url)),
            _identified(CASE_CODE_SYSTEM, code),
        ),
    ]
    for number, stay in enumerate(case.stays):
        encounter = _encounter(stay, patient, episode, f"{code}#{number}")
        condition = _identified(_STAY_ID, f"{code}#{number}")
        entries.append(_entry(_full_url(*key, "stay", number), encounter, condition))
    plan = _care_plan(case, team, template, patient, episode)
    plan["identifier"] = [{"system": _PLAN_ID, "value": code}]
    plan_url = _full_url(*key, "care-plan")
    entries.append(_entry(plan_url, plan, _identified(_PLAN_ID, code)))
    for name, resource in case_work(case, team, template, CaseLinks(patient, team_url, plan_url)):
        url, (identifier,) = _full_url(*key, name), resource["identifier"]
        if resource["resourceType"] == "CareTeam":
            entries[1]["resource"]["team"] = [_ref(url)]
        entries.append(
            _entry(url, resource, _identified(identifier["system"], identifier["value"]))
        )
    for part, resource, (system, value) in care_resources(case, patient, episode):
        if resource["resourceType"] in ("Consent", "Goal"):  # R4 links neither to an episode
            link = {"url": _EPISODE, "valueReference": _ref(episode)}
            resource["extension"] = [link, *resource.get("extension", [])]
        entries.append(_entry(_full_url(*key, part), resource, _identified(system, value)))
    return entries + responses


def _event_extensions(
    key: tuple[int, CaseCode], case: Case, patient: str, episode: str
) -> tuple[list[dict[str, Any]], list[dict[str, Any]], list[dict[str, Any]]]:
    """The episode's extensions (the commissioning member, the events R4 has no element for,
    the order of all events, a code scheme that is not the default), the responses of the
    events' outcomes, and the status history of the decisions (``_IN_ELEMENTS``)."""
    stored = case_to_dict(case)
    extensions: list[dict[str, Any]] = [
        {"url": _COMMISSIONED_BY, "valueReference": _ref(_municipality_url(case.municipality))}
    ]
    responses: list[dict[str, Any]] = []
    history: list[dict[str, Any]] = []
    for position, (original, event) in enumerate(zip(case.events, stored["events"], strict=True)):
        outcome_url = None
        if isinstance(event.get("outcome"), dict):
            outcome_url = _full_url(*key, "assessment", position)
            responses.append(_response_entry(key, position, event, patient, episode))
        tag = event["event"]
        fields = _event_fields(original, event, outcome_url, _IN_ELEMENTS.get(tag, frozenset()))
        if tag in _IN_ELEMENTS and tag not in _IN_RESOURCES:
            accepted = any(h["status"] == "active" for h in history)
            history.append(_decision_entry(tag, event["on"], accepted, fields))
        elif tag not in _IN_ELEMENTS:
            extensions.append({"url": _EVENT, "extension": fields})
    order = " ".join(e["event"] for e in stored["events"])
    extensions.append({"url": _HISTORY, "valueString": order})
    scheme = stored.get("code_scheme")
    if scheme is not None:
        parts = [
            {"url": "pattern", "valueString": scheme["pattern"]},
            {"url": "number_width", "valueInteger": scheme["number_width"]},
        ]
        extensions.append({"url": _CODE_SCHEME, "extension": parts})
    return extensions, responses, _ended(history)


def _response_entry(
    key: tuple[int, CaseCode], position: int, event: Mapping[str, Any], patient: str, episode: str
) -> dict[str, Any]:
    """The QuestionnaireResponse of the outcome of the event at ``position``, as an entry."""
    response = _response(
        event["outcome"], on=event["on"], point=event["event"], patient=patient, episode=episode
    )
    response["identifier"] = {"system": _ASSESSMENT_ID, "value": f"{key[1]}#{position}"}
    condition = _identified(_ASSESSMENT_ID, f"{key[1]}#{position}")
    return _entry(_full_url(*key, "assessment", position), response, condition)


def _event_fields(
    original: object, event: Mapping[str, Any], outcome_url: str | None, carried: frozenset[str]
) -> list[dict[str, Any]]:
    """The sub-extensions of an event's fields, but those R4 elements carry (``carried``)."""
    types_ = _field_types(event["event"])
    fields = [] if "event" in carried else [{"url": "event", "valueCode": event["event"]}]
    for name, value in event.items():
        raw = getattr(original, name, None)
        if name == "event" or name in carried or value is None:
            continue
        if isinstance(raw, TakeOver):
            fields.append({"url": name} | _take_over(raw))
        else:
            fields.append({"url": name} | _value(types_.get(name), value, outcome_url))
    return fields


def _episode(
    case: Case,
    extensions: list[dict[str, Any]],
    history: list[dict[str, Any]],
    links: tuple[str, str],
) -> dict[str, Any]:
    """The case as an EpisodeOfCare: its status history and its period."""
    patient, team_url = links
    period: dict[str, str] = {"start": case.referred_on.isoformat()}
    ended = case.closed_on or case.declined_on
    if ended is not None:
        period["end"] = ended.isoformat()
    return {
        "resourceType": "EpisodeOfCare",
        "extension": extensions,
        "identifier": [{"system": CASE_CODE_SYSTEM, "value": str(case.code)}],
        "status": history[-1]["status"],
        "statusHistory": history,
        "patient": _ref(patient),
        "managingOrganization": _ref(team_url),
        "period": period,
    }


_ENCOUNTER_CLASS: dict[StayKind, tuple[str, str]] = {
    StayKind.TREATMENT: ("IMP", "inpatient encounter"),
    StayKind.MENTAL_HEALTH: ("IMP", "inpatient encounter"),
    StayKind.USER_CONTROLLED: ("NONAC", "inpatient non-acute"),
    StayKind.PRISON: ("FLD", "field"),
    StayKind.OTHER: ("FLD", "field"),
}
"""The v3 ActCode encounter class of each kind of stay. A treatment institution or a ward is an
inpatient stay (``IMP``), a user-controlled bed a planned non-acute one (``NONAC``); a prison is
no health institution, so the team's work with a person serving a sentence is a ``FLD`` (field)
encounter: outside a dedicated service delivery location and outside the person's home. So is
an ``other`` stay, whose setting the library does not know."""


def _stay_kind_coding(kind: StayKind) -> dict[str, str]:
    return {"system": _STAY_KIND, "code": kind.value, "display": _nb(kind.value, context="kind")}


def _encounter(stay: Stay, patient: str, episode: str, identifier: str) -> dict[str, Any]:
    """A stay in an institution or a prison term as an Encounter of its class (see
    ``_ENCOUNTER_CLASS``), its kind as the type."""
    stay_period = {"start": stay.admitted.isoformat()}
    if stay.discharged is not None:
        stay_period["end"] = stay.discharged.isoformat()
    code, display = _ENCOUNTER_CLASS[stay.kind]
    return {
        "resourceType": "Encounter",
        "identifier": [{"system": _STAY_ID, "value": identifier}],
        "status": "in-progress" if stay.is_open else "finished",
        "class": {"system": _ACT_CODE, "code": code, "display": display},
        "type": [
            {"coding": [_stay_kind_coding(stay.kind)], "text": _nb(stay.kind.value, context="kind")}
        ],
        "subject": _ref(patient),
        "episodeOfCare": [_ref(episode)],
        "period": stay_period,
    }


def _code_systems() -> list[dict[str, Any]]:
    """The library's code systems whose codes the bundle uses, as transaction entries."""
    systems = [
        code_system(_STAY_KIND, "StayKind", ((k.value, k.value, "kind") for k in StayKind)),
        code_system(
            _SERVICE_KIND, "ServiceKind", ((k.value, _SERVICE_WORDS[k], None) for k in ServiceKind)
        ),
        code_system(_SCORE, "Score", ((str(s.value), _SCORE_WORDS[s], None) for s in Score)),
        *work_code_systems(),
    ]
    return [
        _entry(_full_url("code-system", s["name"]), s, "url=" + quote(s["url"], safe=":/"))
        for s in systems
    ]


# -- the bundle ------------------------------------------------------------------------------


def to_fhir(
    cases: Iterable[Case],
    *,
    team: Team,
    template: PathwayTemplate | str | None = None,
    groups: GroupLog | None = None,
) -> dict[str, Any]:
    """A FHIR R4 ``transaction`` Bundle of ``cases`` (a dict, ready for `json.dumps`), and of
    the team's group sessions when given ``groups``.

    Each entry is a conditional create (``POST`` with ``ifNoneExist`` on the resource's
    identifier, or a CodeSystem's or Questionnaire's ``url``) with a ``urn:uuid`` fullUrl that the
    other entries refer to, so that a FHIR server imports the bundle in one transaction, resolves
    the references to the ids it assigns, and does not duplicate what an earlier import created.

    Args:
        cases: the cases and referrals to export.
        team: the team: its Organization manages every EpisodeOfCare; its follow-up target
            dates the milestones.
        template: the pathway template (or its key, ``"salten"``) whose steps the CarePlans
            list; without one, the standard milestones only.
        groups: the group sessions (a [`GroupLog`][ettervern.events.GroupLog]): each an
            Encounter, and each person at it an Encounter ``partOf`` it, whose subject is the
            case's Patient and whose ``episodeOfCare`` is the case (``_io/_fhir_groups.py``).

    >>> import datetime as dt
    >>> from ettervern import Case, teams
    >>> case = Case.refer("01/20-FA", on=dt.date(2020, 8, 3), municipality="Fauske")
    >>> bundle = to_fhir([case.accept(on=dt.date(2020, 8, 5))], team=teams.salten())
    >>> sorted({e["resource"].get("resourceType") for e in bundle["entry"]})
    ['CarePlan', 'CodeSystem', 'EpisodeOfCare', 'Organization', 'Patient', 'Questionnaire', 'Task']
    >>> bundle.get("type"), {e.get("request").get("method") for e in bundle.get("entry")}
    ('transaction', {'POST'})
    >>> from_fhir(bundle).accepted == (case.accept(on=dt.date(2020, 8, 5)),)
    True
    """
    if isinstance(template, str):
        template = pathway_template(template)
    cases = list(cases)
    team_url = _full_url("team", team.name)
    municipalities = _municipalities(cases, team)
    entries = [_entry(team_url, _team_org(team), _identified(_TEAM_SYSTEM, team.name))]
    entries += [
        _entry(
            _municipality_url(m),
            _municipality_org(m),
            _identified(KOMMUNENUMMER_SYSTEM, m.number),
        )
        for _, m in sorted(municipalities.items())
    ]
    entries += _code_systems()
    questionnaire = _questionnaire()
    condition = "url=" + quote(_QUESTIONNAIRE, safe=":/")
    entries.append(_entry(_full_url("questionnaire", "life-domains"), questionnaire, condition))
    for index, case in enumerate(cases):
        entries += _case_entries(index, case, team, template, team_url)
    if groups is not None:
        entries += _group_entries(groups, cases, team_url)
    return {"resourceType": "Bundle", "type": "transaction", "entry": entries}


def _municipalities(cases: list[Case], team: Team) -> dict[str, Municipality]:
    """Every municipality the bundle names, by kommunenummer: the members, the host, the
    cases' and those that run a service that took a case over."""
    municipalities = {m.municipality.number: m.municipality for m in team.members}
    municipalities[team.host.number] = team.host
    for case in cases:
        municipalities.setdefault(case.municipality.number, case.municipality)
        closure = case.closure
        if closure is not None and closure.taken_over_by is not None:
            runs = closure.taken_over_by.municipality
            if runs is not None:
                municipalities.setdefault(runs.number, runs)
    return municipalities


def _group_entries(groups: GroupLog, cases: list[Case], team_url: str) -> list[dict[str, Any]]:
    """The group sessions' Encounters, and the CodeSystem of their kind."""
    known = {
        str(case.code): (
            _full_url(index, case.code, "patient"),
            _full_url(index, case.code, "episode"),
        )
        for index, case in enumerate(cases)
    }

    def url(part: str) -> str:
        return _full_url("groups", part)

    system = code_system(ENCOUNTER_KIND_SYSTEM, "EncounterKind", group_concepts())
    condition = "url=" + quote(ENCOUNTER_KIND_SYSTEM, safe=":/")
    entries = [_entry(_full_url("code-system", "EncounterKind"), system, condition)]
    for part, resource, (system_url, value) in group_resources(
        groups, known, team_url, CASE_CODE_SYSTEM, url
    ):
        entries.append(_entry(url(part), resource, _identified(system_url, value)))
    return entries


def to_fhir_json(
    cases: Iterable[Case],
    *,
    team: Team,
    template: PathwayTemplate | str | None = None,
    indent: int | None = 2,
    groups: GroupLog | None = None,
) -> str:
    """[`to_fhir`][ettervern.interchange.to_fhir] as JSON text (UTF-8 letters kept as they are)."""
    check_indent(indent)
    bundle = to_fhir(cases, team=team, template=template, groups=groups)
    return json.dumps(bundle, ensure_ascii=False, indent=indent)


def bundle_data(bundle: Mapping[str, Any] | str) -> Mapping[str, Any]:
    """The Bundle ``bundle`` holds (a dict, or its JSON text).

    Raises:
        ConfigError: the text is not JSON, or not a Bundle.
    """
    where = Message("FHIR bundle")
    if isinstance(bundle, str):
        try:
            bundle = json.loads(bundle)
        except json.JSONDecodeError as exc:
            raise ConfigError(
                where, [Message("not valid JSON: {detail}", detail=str(exc))]
            ) from None
    if not isinstance(bundle, Mapping) or bundle.get("resourceType") != "Bundle":
        raise ConfigError(where, [Message("expected a FHIR Bundle (resourceType 'Bundle')")])
    return bundle


def from_fhir(
    bundle: Mapping[str, Any] | str, *, team: Team | None = None, strict: bool = False
) -> ImportResult[tuple[Case, ...]]:
    """The cases of a Bundle written by [`to_fhir`][ettervern.interchange.to_fhir] (a dict or its JSON text), in order.

    Each EpisodeOfCare gives one case: the code, birth year and gender from its Patient, the
    municipality from the Organization it refers to (by kommunenummer), the events from the
    elements that hold them (its statusHistory, its Encounters, its CarePlan's steps, its
    QuestionnaireResponses) and its event extensions, in the order of its history extension (a
    bundle written without one holds every event as an extension). The history is checked
    as when reading case JSON. A code is read in the scheme the bundle carries with it, else in
    ``team``'s, else in the default one (``02/20-ST``).

    The result holds the cases accepted and, for each episode rejected, its ``position`` among
    the bundle's episodes, its ``code``, the ``path`` of the bad field within the case and the
    ``reason``; a code given twice is rejected the second time. With ``strict`` the first bad
    episode raises.

    Raises:
        ConfigError: the text is not a Bundle; with ``strict``, a case in it is invalid or its
            code is taken (named by path).
    """
    data = bundle_data(bundle)
    resources = {e["fullUrl"]: e["resource"] for e in data.get("entry", [])}
    outcomes = {
        url: _outcome_from(r)
        for url, r in resources.items()
        if r.get("resourceType") == "QuestionnaireResponse"
    }
    reading = CaseReading(Message("FHIR bundle"), strict)
    episodes = [(url, r) for url, r in resources.items() if _is_episode(r)]
    for index, (url, resource) in enumerate(episodes):
        try:
            case = _case_from(index, (url, resource), resources, outcomes, team)
        except EttervernError as error:
            reading.refuse(index, _code_of(resource, resources), error)
        else:
            reading.accept(index, case)
    return reading.result(len(episodes))


def _code_of(episode: Mapping[str, Any], resources: Mapping[str, Mapping[str, Any]]) -> object:
    """The case code an episode's Patient carries, if it can be found."""
    try:
        patient = resources[episode["patient"]["reference"]]
        return next(
            i["value"] for i in patient["identifier"] if i.get("system") == CASE_CODE_SYSTEM
        )
    except (KeyError, StopIteration, TypeError):
        return None


def _is_episode(resource: Mapping[str, Any]) -> bool:
    return resource.get("resourceType") == "EpisodeOfCare"


def _case_from(
    index: int,
    found: tuple[str, Mapping[str, Any]],
    resources: Mapping[str, Mapping[str, Any]],
    outcomes: Mapping[str, dict[str, Any]],
    team: Team | None,
) -> Case:
    url, episode = found
    where = Message("FHIR bundle, episode {index}", index=index)
    try:
        patient = resources[episode["patient"]["reference"]]
        code = next(
            i["value"] for i in patient["identifier"] if i.get("system") == CASE_CODE_SYSTEM
        )
        commissioner = next(
            x["valueReference"]["reference"]
            for x in episode.get("extension", [])
            if x["url"] == _COMMISSIONED_BY
        )
        number = next(
            i["value"]
            for i in resources[commissioner]["identifier"]
            if i.get("system") == KOMMUNENUMMER_SYSTEM
        )
    except (KeyError, StopIteration, TypeError):
        problem = Message("the episode lacks its patient, case code or commissioning municipality")
        raise ConfigError(where, [problem]) from None
    events = _events_of(url, episode, _Reader(resources, outcomes), where)
    case: dict[str, Any] = {
        "schema_version": CASE_SCHEMA_VERSION,
        "code": code,
        "municipality": number,
        "events": events,
    }
    if "birthDate" in patient:
        case["birth_year"] = int(str(patient["birthDate"])[:4])
    if "gender" in patient:
        case["gender"] = patient["gender"]
    person = [i["value"] for i in patient["identifier"] if i.get("system") == PERSON_SYSTEM]
    if person:
        case["person"] = person[0]
    for extension in episode.get("extension", []):
        if extension["url"] == _CODE_SCHEME:
            case["code_scheme"] = _code_scheme(extension)
    return case_from_dict(case, source=where, team=team)


@attrs.frozen
class _Reader:
    """What reading an event's fields needs: the bundle's resources and its outcomes."""

    resources: Mapping[str, Mapping[str, Any]]
    outcomes: Mapping[str, dict[str, Any]]

    def fields(self, extension: Mapping[str, Any]) -> dict[str, Any]:
        """An event extension's fields by name."""
        values = extension["extension"]
        return {x["url"]: _read_value(x, self.outcomes, self.resources) for x in values}


def _refers_to(resource: Mapping[str, Any], url: str) -> bool:
    """Whether an Encounter, CarePlan or QuestionnaireResponse belongs to the episode ``url``."""
    episodes = [
        x.get("valueReference", {})
        for x in resource.get("extension", [])
        if x.get("url") == _EPISODE
    ]
    references = [
        *resource.get("episodeOfCare", []),
        *resource.get("supportingInfo", []),
        *episodes,
    ]
    return any(r.get("reference") == url for r in references)


def _point(resource: Mapping[str, Any]) -> object:
    return next(
        (
            x.get("valueCode")
            for x in resource.get("extension", [])
            if x.get("url") == _ASSESSMENT_POINT
        ),
        None,
    )


def _sources(url: str, episode: Mapping[str, Any], reader: _Reader) -> dict[str, Iterator[Any]]:
    """Where each kind of event is read from, in the order the events were recorded."""
    linked = [r for r in reader.resources.values() if _refers_to(r, url)]
    stays = [r for r in linked if r.get("resourceType") == "Encounter"]
    plans = [r for r in linked if r.get("resourceType") == "CarePlan"]
    steps = [
        a["detail"]
        for p in plans
        for a in p.get("activity", [])
        if "start" in a.get("detail", {}).get("scheduledPeriod", {})
    ]
    return {
        "decision": iter(episode.get("statusHistory", [])),
        "admission": iter(stays),
        "discharge": iter(s for s in stays if "end" in s.get("period", {})),
        "step": iter(steps),
        "assessment": iter(r for r in linked if _point(r) == "assessment"),
        "other": iter(x for x in episode.get("extension", []) if x.get("url") == _EVENT),
        **_care_sources(linked),
    }


def _care_sources(linked: list[Mapping[str, Any]]) -> dict[str, Iterator[Any]]:
    """The Consent and Goal resources of an episode, as the events they hold: each given and
    set in the bundle's order (the order recorded), each withdrawn and reviewed by its date
    (on one day, in the order the consents were given or the goals set)."""
    consents = [r for r in linked if r.get("resourceType") == "Consent"]
    goals = [r for r in linked if r.get("resourceType") == "Goal"]
    withdrawn = sorted(
        (c for c in consents if "end" in c.get("provision", {}).get("period", {})),
        key=_withdrawn_on,
    )
    reviewed = sorted((g for g in goals if "statusDate" in g), key=lambda g: str(g["statusDate"]))
    return {
        "consent_given": iter(consents),
        "consent_withdrawn": iter(withdrawn),
        "goal_set": iter(goals),
        "goal_reviewed": iter(reviewed),
    }


def _scope_of(consent: Mapping[str, Any]) -> str:
    return str(consent["provision"]["code"][0]["coding"][0]["code"])


def _withdrawn_on(consent: Mapping[str, Any]) -> dt.date:
    """The day a consent was withdrawn: the day after its provision's period ends, or the day
    its ``consent-withdrawn`` extension gives (withdrawn the day it was given)."""
    for extension in consent.get("extension", []):
        if extension.get("url") == CONSENT_WITHDRAWN_EXTENSION:
            return dt.date.fromisoformat(str(extension["valueDate"]))
    end = dt.date.fromisoformat(str(consent["provision"]["period"]["end"]))
    return end + dt.timedelta(days=1)


def _withdrawal(consent: Mapping[str, Any], _: _Reader) -> dict[str, Any]:
    """A consent's withdrawal, on the day it was withdrawn."""
    return {"on": _withdrawn_on(consent).isoformat(), "scope": _scope_of(consent)}


def _goal_set(goal: Mapping[str, Any], _: _Reader) -> dict[str, Any]:
    (target,) = goal["target"]
    return {
        "on": goal["startDate"],
        "domain": goal["description"]["coding"][0]["code"],
        "target": target["detailInteger"],
        "due": target["dueDate"],
    }


_REVIEWED = {"completed": "met", "cancelled": "dropped"}
"""A reviewed goal's status by its ``lifecycleStatus`` (``_fhir_care``'s mapping, read back)."""


def _goal_reviewed(goal: Mapping[str, Any], _: _Reader) -> dict[str, Any]:
    return {
        "on": goal["statusDate"],
        "domain": goal["description"]["coding"][0]["code"],
        "status": _REVIEWED.get(str(goal["lifecycleStatus"]), goal["lifecycleStatus"]),
    }


def _decision(entry: Mapping[str, Any], reader: _Reader) -> dict[str, Any]:
    fields = {"on": entry["period"]["start"]}
    for extension in entry.get("extension", []):
        if extension.get("url") == _EVENT:
            fields |= reader.fields(extension)
    return fields


_READ_FROM: dict[str, tuple[str, Callable[[Any, _Reader], dict[str, Any]]]] = {
    "referral": ("decision", _decision),
    "acceptance": ("decision", _decision),
    "decline": ("decision", _decision),
    "closure": ("decision", _decision),
    "reopening": ("decision", _decision),
    "admission": (
        "admission",
        lambda stay, _: {
            "on": stay["period"]["start"],
            "kind": stay["type"][0]["coding"][0]["code"],
        },
    ),
    "discharge": ("discharge", lambda stay, _: {"on": stay["period"]["end"]}),
    "step": (
        "step",
        lambda detail, _: {
            "on": detail["scheduledPeriod"]["start"],
            "step": detail["code"]["coding"][0]["code"],
        },
    ),
    "assessment": (
        "assessment",
        lambda qr, _: {"on": qr["authored"], "outcome": _outcome_from(qr)},
    ),
    "consent_given": (
        "consent_given",
        lambda consent, _: {"on": consent["dateTime"], "scope": _scope_of(consent)},
    ),
    "consent_withdrawn": ("consent_withdrawn", _withdrawal),
    "goal_set": ("goal_set", _goal_set),
    "goal_reviewed": ("goal_reviewed", _goal_reviewed),
}
"""Where each kind of event in ``_IN_ELEMENTS`` is read from, and how."""


def _events_of(
    url: str, episode: Mapping[str, Any], reader: _Reader, where: Message
) -> list[dict[str, Any]]:
    """The events of an episode, rebuilt from the R4 elements and the event extensions in the
    order of the history extension (a bundle written without one: every event an extension)."""
    order = next(
        (x.get("valueString") for x in episode.get("extension", []) if x.get("url") == _HISTORY),
        None,
    )
    if order is None:
        own = episode.get("extension", [])
        return [reader.fields(x) for x in own if x.get("url") == _EVENT]
    sources = _sources(url, episode, reader)
    events = []
    for tag in str(order).split():
        source, read = _READ_FROM.get(tag, ("other", lambda x, r: r.fields(x)))
        try:
            events.append({"event": tag} | read(next(sources[source]), reader))
        except (StopIteration, KeyError, IndexError, TypeError):
            problem = Message("the history names a {event} the bundle does not hold", event=tag)
            raise ConfigError(where, [problem]) from None
    return events


def _code_scheme(extension: Mapping[str, Any]) -> Any:
    """The code scheme from its sub-extensions (or, as written before, its JSON as text)."""
    if "valueString" in extension:
        return json.loads(extension["valueString"])
    return {x["url"]: x.get("valueString", x.get("valueInteger")) for x in extension["extension"]}


def validate_fhir(bundle: Mapping[str, Any] | str) -> None:
    """Check a Bundle and every resource in it against the FHIR models (``fhir.resources``).

    ``fhir.resources`` (8.x) ships FHIR R5 by default and R4B (4.3.0) in ``fhir.resources.R4B``;
    the pure R4 (4.0.1) models exist only in its unmaintained 6.x series. The resources used
    here are the same in R4 and R4B, so the R4B models check them.

    Raises:
        MissingDependencyError: ``fhir.resources`` is not installed (``pip install ettervern[fhir]``).
        ConfigError: the bundle or a resource in it does not conform, with the model's reasons.
    """
    try:
        from fhir.resources.R4B import get_fhir_model_class
    except ImportError:
        raise MissingDependencyError(
            "fhir.resources", "fhir", Message("check FHIR bundles")
        ) from None
    data = bundle_data(bundle)
    problems: list[Message] = []
    for path, resource in _resources(data):
        problems += _conformance(get_fhir_model_class, resource, path)
    if not problems:  # the resources conform; now the bundle around them
        problems = _conformance(get_fhir_model_class, data, "$")
    if problems:
        raise ConfigError(Message("FHIR bundle"), problems)


def _conformance(model_class: Any, resource: Mapping[str, Any], path: str) -> list[Message]:
    """What the FHIR model finds wrong with ``resource``, one message per field."""
    try:
        model_class(resource.get("resourceType")).model_validate(resource)
    except (ValueError, KeyError) as exc:
        errors = getattr(exc, "errors", None)
        details = (
            [(".".join(map(str, err["loc"])), err["msg"]) for err in errors()]
            if callable(errors)
            else [("resourceType", str(exc))]
        )
        return [
            Message("{problem} @ {path}", problem=f"{field}: {msg}", path=path)
            for field, msg in details
        ]
    return []


def _resources(data: Mapping[str, Any]) -> Sequence[tuple[str, Mapping[str, Any]]]:
    found: list[tuple[str, Mapping[str, Any]]] = []
    for i, entry in enumerate(data.get("entry", [])):
        found.append((f"$.entry[{i}].resource", entry.get("resource", {})))
    return found
