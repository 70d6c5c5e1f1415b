"""DHIS2 Tracker export: a payload for the tracker import API (``POST /api/tracker``).

The nested payload of DHIS2 2.36 and later (``dhis2/dhis2-docs``,
``src/commonmark/en/content/developer/web-api/new-tracker.md``, section «Tracker Objects»): one
tracked entity per case, one enrollment in the aftercare programme carrying the programme
attributes (the case code, and the birth year and gender when mapped: DHIS2 takes programme
attributes on the enrollment), and under it one event per programme stage the case reached. A
completed enrollment has ``completedAt``; every timestamp is the day's midnight in Norway with
its offset (``2020-03-02T00:00:00.000+01:00``), so that no server reads it in another zone and
moves the day. Cases of the same person (the same [`Case.person`][ettervern.Case.person]
pseudonym) are linked by ``relationships`` when the mapping names a relationship type; a
mapping's ``options`` translate the library's codes (``female``) to the instance's option codes. The stages come from the pathway template: its steps, the standard
milestones ([`milestones`][ettervern.milestones]) and the outcome assessments. A step done is a
``COMPLETED`` event on the day it was done; a milestone not yet done a ``SCHEDULE`` event on its
due date, or a ``SKIPPED`` one when it is waived (declined by the person, not applicable).

Which DHIS2 ids (11-character UIDs) stand for the programme, the stages, the attributes, the data
elements and the organisation unit of each municipality is the DHIS2 administrator's to say:
[`Dhis2Mapping`][ettervern.interchange.Dhis2Mapping], read from a TOML file ([`read_dhis2_mapping`][ettervern.interchange.read_dhis2_mapping]) whose skeleton
[`dhis2_mapping_template`][ettervern.interchange.dhis2_mapping_template] writes for a template. The ids of the tracked entities,
enrollments and events are derived from the case code, so importing the same cases again with
``importStrategy=CREATE_AND_UPDATE`` updates them instead of making duplicates.

[`validate_dhis2_payload`][ettervern.interchange.validate_dhis2_payload] checks a payload against the documented shape: the properties each
object may have, those it must have, the status values and the UID form.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import re
import string
import tomllib
import zoneinfo
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

import attrs

from ettervern._contract import unusable_file
from ettervern._core import (
    AssessmentPoint,
    LifeDomain,
    OutcomeFlag,
    Team,
    check_field,
    structure,
)
from ettervern._l10n import Message
from ettervern._pathway import Case, GroupLog, PathwayTemplate, milestones, pathway_template
from ettervern.errors import ConfigError, MissingFileError

__all__ = [
    "DHIS2_ATTRIBUTES",
    "STANDARD_STAGES",
    "Dhis2Mapping",
    "dhis2_mapping_template",
    "read_dhis2_mapping",
    "to_dhis2",
    "validate_dhis2_payload",
]

_UID = re.compile(r"^[A-Za-z][A-Za-z0-9]{10}$")
"""A DHIS2 UID: eleven letters and digits, the first a letter."""

DHIS2_ATTRIBUTES = ("case_code", "birth_year", "gender")
"""The tracked entity attributes a mapping may name; ``case_code`` is required."""

_VALUE_TYPES = {"case_code": "TEXT", "birth_year": "INTEGER_POSITIVE", "gender": "TEXT"}
"""The DHIS2 value type of each attribute's value. DHIS2's OpenAPI document (2.42) marks
``valueType`` required on a tracker attribute; the attribute's own metadata in the instance
decides how the value is checked."""

STANDARD_STAGES = (
    "individual_plan",
    "follow_up_target",
    "handover_meeting",
    "closure_report",
    "evaluation_form",
    "three_month_check",
    "assessment",
)
"""Stage keys every programme may have besides the template's steps: the standard milestones
and the outcome assessment."""


def _check_uid(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    for uid in value.values() if isinstance(value, Mapping) else [value]:
        check_field(
            isinstance(uid, str) and bool(_UID.match(uid)),
            "{field} must be DHIS2 ids of 11 letters and digits starting with a letter "
            "(such as {example!r}), got {value!r}",
            field=attribute.name,
            value=uid,
            example="IpHINAT79UW",
        )


def _check_attributes(_: object, attribute: attrs.Attribute[Any], value: Mapping[str, str]) -> None:
    check_field(
        set(value) <= set(DHIS2_ATTRIBUTES) and "case_code" in value,
        "{field} must map {required!r} and may map {known!r}; got {value!r}",
        field=attribute.name,
        value=sorted(value),
        required="case_code",
        known=list(DHIS2_ATTRIBUTES),
    )


def _frozen(value: Mapping[str, str]) -> dict[str, str]:
    return dict(value)


OPTION_SETS: dict[str, tuple[str, ...]] = {
    "gender": ("female", "male", "other"),
    "assessment_point": ("intake", "closure", "three_month_check"),
}
"""The library's codes that a mapping may translate to an instance's option codes."""


def _check_options(
    _: object, attribute: attrs.Attribute[Any], value: Mapping[str, Mapping[str, str]]
) -> None:
    for field, codes in value.items():
        check_field(
            field in OPTION_SETS and set(codes) <= set(OPTION_SETS.get(field, ())),
            "{field} may translate the codes {known!r}; got {value!r}",
            field=f"{attribute.name}.{field}",
            value=sorted(codes),
            known={k: list(v) for k, v in OPTION_SETS.items()},
        )
        for code, option in codes.items():
            check_field(
                isinstance(option, str) and bool(option.strip()),
                "{field} must be an option code, got {value!r}",
                field=f"{attribute.name}.{field}.{code}",
                value=option,
            )


def _optional_uid(instance: object, attribute: attrs.Attribute[Any], value: object) -> None:
    if value is not None:
        _check_uid(instance, attribute, value)


def _frozen_options(value: Mapping[str, Mapping[str, str]]) -> dict[str, dict[str, str]]:
    return {key: dict(codes) for key, codes in value.items()}


@attrs.frozen(kw_only=True)
class Dhis2Mapping:
    """The DHIS2 ids of the aftercare programme, as the DHIS2 administrator set it up.

    ``org_units`` maps each municipality's kommunenummer (``"1841"``) to its organisation unit;
    ``stages`` maps stage keys (template step keys and `STANDARD_STAGES`) to programme
    stages; ``data_elements`` maps ``"score.<domain>"``, ``"flag.<flag>"`` and
    ``"assessment_point"`` to the data elements of the assessment stage. Stages and data
    elements left out are not exported. ``options`` translates the library's codes of
    ``gender`` and ``assessment_point`` to the instance's option codes (by default ``FEMALE``,
    ``MALE``, ``OTHER`` and the point's key); ``relationship_type`` is the relationship type
    that links two cases of one person (no relationships without it); ``group_program`` and
    ``group_stage`` are the event programme of the group sessions.
    """

    program: str = attrs.field(validator=_check_uid)
    tracked_entity_type: str = attrs.field(validator=_check_uid)
    org_units: dict[str, str] = attrs.field(converter=_frozen, validator=_check_uid)
    attributes: dict[str, str] = attrs.field(
        converter=_frozen, validator=[_check_uid, _check_attributes]
    )
    stages: dict[str, str] = attrs.field(converter=_frozen, validator=_check_uid)
    data_elements: dict[str, str] = attrs.field(
        factory=dict, converter=_frozen, validator=_check_uid
    )
    options: dict[str, dict[str, str]] = attrs.field(
        factory=dict, converter=_frozen_options, validator=_check_options
    )
    relationship_type: str | None = attrs.field(default=None, validator=_optional_uid)
    group_program: str | None = attrs.field(default=None, validator=_optional_uid)
    """The event programme (without registration) of the group sessions: one event per person
    at a session, with the data elements ``"group.case_code"`` and ``"group.offer"``."""
    group_stage: str | None = attrs.field(default=None, validator=_optional_uid)
    """The programme stage of ``group_program``."""

    def option(self, field: str, code: str, default: str) -> str:
        """The instance's option code for the library's ``code`` of ``field``."""
        return self.options.get(field, {}).get(code, default)

    def org_unit(self, number: str, name: str) -> str:
        """The organisation unit of the municipality with kommunenummer ``number``.

        Raises:
            InvalidValueError: the mapping has none for it.
        """
        check_field(
            number in self.org_units,
            "the DHIS2 mapping has no org_units entry for {name} ({number})",
            field="org_units",
            value=number,
            name=name,
            number=number,
        )
        return self.org_units[number]


def read_dhis2_mapping(path: str | Path) -> Dhis2Mapping:
    """Read a [`Dhis2Mapping`][ettervern.interchange.Dhis2Mapping] from a TOML file (see [`dhis2_mapping_template`][ettervern.interchange.dhis2_mapping_template]).

    Raises:
        ConfigError: the file is missing or not TOML, or a field is invalid (named by path).
    """
    path = Path(path)
    try:
        with path.open("rb") as handle:
            data = tomllib.load(handle)
    except FileNotFoundError:
        raise MissingFileError(str(path)) from None
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        problem = Message("not valid {format}: {detail}", format="TOML", detail=str(exc))
        raise ConfigError(str(path), [problem]) from None
    except OSError as exc:
        raise unusable_file(exc) from None
    return structure(data, Dhis2Mapping, str(path))


def dhis2_mapping_template(template: PathwayTemplate | str | None = None) -> str:
    """The skeleton of a mapping file for ``template``, for the DHIS2 administrator to fill in.

    Every id is left empty: a mapping is read only once each is a real DHIS2 UID.

    >>> print(dhis2_mapping_template("salten").splitlines()[0])
    # The DHIS2 ids of the aftercare programme; fill in each "" with an 11-character UID.
    """
    if isinstance(template, str):
        template = pathway_template(template)
    steps = [] if template is None else [(s.key, s.name) for s in template.steps]
    stage_keys = [*steps, *((k, k.replace("_", " ")) for k in STANDARD_STAGES)]
    lines = [
        '# The DHIS2 ids of the aftercare programme; fill in each "" with an 11-character UID.',
        "# Leave out a stage or a data element the programme does not have.",
        'program = ""',
        'tracked_entity_type = ""',
        "# Optional: uncomment what the instance has.",
        '# relationship_type = ""  # links two cases of one person (the same pseudonym)',
        '# group_program = ""  # the event programme of the group sessions (to_dhis2 groups=)',
        '# group_stage = ""  # the programme stage of group_program',
        "",
        "[org_units]  # kommunenummer = organisation unit",
        '"0000" = ""',
        "",
        "[attributes]",
        *(f'{key} = ""' for key in DHIS2_ATTRIBUTES),
        "",
        "[stages]",
        *(f'{key} = ""  # {name}' for key, name in dict(stage_keys).items()),
        "",
        "[data_elements]  # of the assessment stage",
        'assessment_point = ""',
        *(f'"score.{d.value}" = ""' for d in LifeDomain),
        *(f'"flag.{f.value}" = ""' for f in OutcomeFlag),
        '# "group.case_code" = ""  # of group_stage: the case code of each person who came',
        '# "group.offer" = ""  # of group_stage: the group offer',
        "",
        "# The instance's option codes for the library's codes; leave out to send the defaults.",
        *(
            line
            for field, codes in OPTION_SETS.items()
            for line in (f"# [options.{field}]", *(f'# {code} = ""' for code in codes))
        ),
    ]
    return "\n".join(lines) + "\n"


def _uid(*parts: object) -> str:
    """A stable DHIS2 UID derived from ``parts``: a letter, then ten letters and digits."""
    digest = hashlib.sha256("/".join(map(str, parts)).encode("utf-8")).digest()
    alphabet = string.ascii_letters + string.digits
    first = string.ascii_letters[digest[0] % len(string.ascii_letters)]
    return first + "".join(alphabet[b % len(alphabet)] for b in digest[1:11])


_NORWAY = zoneinfo.ZoneInfo("Europe/Oslo")


def _timestamp(day: dt.date) -> str:
    """The day's midnight in Norway with its UTC offset: ``2020-03-02T00:00:00.000+01:00``."""
    midnight = dt.datetime.combine(day, dt.time(), tzinfo=_NORWAY)
    return midnight.isoformat(timespec="milliseconds")


def _event(
    mapping: Dhis2Mapping,
    ids: tuple[object, ...],
    stage: str,
    org_unit: str,
    *,
    due: dt.date | None,
    done: dt.date | None,
    values: list[dict[str, str]] | None = None,
    skipped: bool = False,
) -> dict[str, Any]:
    status = "COMPLETED" if done is not None else "SKIPPED" if skipped else "SCHEDULE"
    event: dict[str, Any] = {
        "event": _uid(*ids, "event", stage, done or due),
        "programStage": mapping.stages[stage],
        "enrollment": _uid(*ids, "enrollment"),
        "orgUnit": org_unit,
        "status": status,
        "scheduledAt": _timestamp(due or done or dt.date.min),
    }
    if done is not None:
        event["occurredAt"] = _timestamp(done)
    if values:
        event["dataValues"] = values
    return event


def _assessment_values(
    mapping: Dhis2Mapping, point: AssessmentPoint, case: Case
) -> list[dict[str, str]]:
    outcome = case.outcomes[point]
    wanted = {"assessment_point": mapping.option("assessment_point", point.value, point.value)}
    wanted |= {f"score.{d.value}": str(int(s)) for d, s in outcome.scores.items()}
    wanted |= {f"flag.{f.value}": "true" for f in sorted(outcome.flags)}
    elements = mapping.data_elements
    return [{"dataElement": elements[k], "value": v} for k, v in wanted.items() if k in elements]


def _assessment_days(case: Case) -> dict[AssessmentPoint, dt.date]:
    days: dict[AssessmentPoint, dt.date] = {}
    first = next((e for e in case.events if e.tag == "assessment"), None)
    if first is not None:
        days[AssessmentPoint.INTAKE] = first.on
    if case.closure is not None:
        days[AssessmentPoint.CLOSURE] = case.closure.on
    check = case.three_month_check
    if check is not None:
        days[AssessmentPoint.THREE_MONTH_CHECK] = check.on
    return days


def _events(
    case: Case,
    *,
    mapping: Dhis2Mapping,
    team: Team | None,
    template: PathwayTemplate | None,
    ids: tuple[object, ...],
    org_unit: str,
) -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = []
    found = (
        milestones(case, template=template)
        if team is None
        else milestones(case, target=team.follow_up_target, template=template)
    )
    seen = set()
    for milestone in found:
        seen.add(milestone.key)
        if milestone.key in mapping.stages:
            events.append(
                _event(
                    mapping,
                    ids,
                    milestone.key,
                    org_unit,
                    due=milestone.due,
                    done=milestone.done_on,
                    skipped=case.waived(milestone.key) is not None,
                )
            )
    for step in () if template is None else template.steps:
        started = case.done_on(step.key)
        if step.key not in seen and step.key in mapping.stages and started is not None:
            events.append(_event(mapping, ids, step.key, org_unit, due=None, done=started))
    if "assessment" in mapping.stages:
        days = _assessment_days(case)
        for point in case.outcomes:
            values = _assessment_values(mapping, point, case)
            events.append(
                _event(
                    mapping, ids, "assessment", org_unit, due=None, done=days[point], values=values
                )
                | {"event": _uid(*ids, "event", "assessment", point.value)}
            )
    keys = {uid: key for key, uid in mapping.stages.items()}

    def order(event: dict[str, Any]) -> tuple[str, bool, str]:
        # By day; on one day, what was done before what is due; then by stage key.
        day = event.get("occurredAt") or event["scheduledAt"]
        return (day, event["status"] != "COMPLETED", keys[event["programStage"]])

    return sorted(events, key=order)


def _tracked_entity(
    case: Case, mapping: Dhis2Mapping, team: Team | None, template: PathwayTemplate | None
) -> dict[str, Any]:
    org_unit = mapping.org_unit(case.municipality.number, case.municipality.name)
    ids = (mapping.program, str(case.code))
    gender = case.gender
    values = {
        "case_code": str(case.code),
        "birth_year": None if case.birth_year is None else str(case.birth_year),
        "gender": None if gender is None else mapping.option("gender", gender, gender.upper()),
    }
    attributes = [
        {"attribute": uid, "valueType": _VALUE_TYPES[key], "value": values[key]}
        for key, uid in mapping.attributes.items()
        if values[key] is not None
    ]
    status = "ACTIVE"
    if case.declined_on is not None:
        status = "CANCELLED"
    elif case.is_closed:
        status = "COMPLETED"
    enrollment = {
        "enrollment": _uid(*ids, "enrollment"),
        "trackedEntity": _uid(*ids, "tracked-entity"),
        "program": mapping.program,
        "orgUnit": org_unit,
        "status": status,
        "enrolledAt": _timestamp(case.accepted_on or case.referred_on),
        "occurredAt": _timestamp(case.referred_on),
        "attributes": attributes,
        "events": _events(
            case, mapping=mapping, team=team, template=template, ids=ids, org_unit=org_unit
        ),
    }
    if status == "COMPLETED" and case.closed_on is not None:
        enrollment["completedAt"] = _timestamp(case.closed_on)
    return {
        "trackedEntity": _uid(*ids, "tracked-entity"),
        "trackedEntityType": mapping.tracked_entity_type,
        "orgUnit": org_unit,
        "enrollments": [enrollment],
    }


def _relationships(cases: list[Case], mapping: Dhis2Mapping) -> list[dict[str, Any]]:
    """A relationship from each earlier case of a person to each later one (by pseudonym)."""
    kind = mapping.relationship_type
    if kind is None:
        return []
    people: dict[str, list[Case]] = {}
    for case in cases:
        if case.person is not None:
            people.setdefault(case.person, []).append(case)
    found = []
    for episodes in people.values():
        ordered = sorted(episodes, key=lambda c: (c.referred_on, str(c.code)))
        for first, later in itertools.combinations(ordered, 2):
            ends = [_uid(mapping.program, str(c.code), "tracked-entity") for c in (first, later)]
            found.append(
                {
                    "relationship": _uid(kind, *ends),
                    "relationshipType": kind,
                    "from": {"trackedEntity": ends[0]},
                    "to": {"trackedEntity": ends[1]},
                }
            )
    return found


def to_dhis2(
    cases: Iterable[Case],
    *,
    mapping: Dhis2Mapping,
    team: Team | None = None,
    template: PathwayTemplate | str | None = None,
    groups: GroupLog | None = None,
) -> dict[str, Any]:
    """A nested DHIS2 tracker payload of ``cases``, for ``POST /api/tracker``.

    Args:
        cases: the cases and referrals to export.
        mapping: the DHIS2 ids (see [`Dhis2Mapping`][ettervern.interchange.Dhis2Mapping]).
        team: the team, for its follow-up target (6-8 weeks when not given).
        template: the pathway template (or its key) whose steps are stages.
        groups: the group sessions, as ``events`` of the mapping's ``group_program`` (an event
            programme): one ``COMPLETED`` event per person at a session, at the organisation
            unit of the member the person lived in that day, with the case code and the offer
            as data values.

    Raises:
        InvalidValueError: a case's municipality has no organisation unit in the mapping;
            ``groups`` without the mapping's ``group_program`` and ``group_stage``.
    """
    if isinstance(template, str):
        template = pathway_template(template)
    cases = list(cases)
    entities = [_tracked_entity(case, mapping, team, template) for case in cases]
    payload: dict[str, Any] = {"trackedEntities": entities}
    relationships = _relationships(cases, mapping)
    if relationships:
        payload["relationships"] = relationships
    if groups is not None:
        payload["events"] = _group_events(groups, cases, mapping)
    return payload


def _group_events(
    groups: GroupLog, cases: list[Case], mapping: Dhis2Mapping
) -> list[dict[str, Any]]:
    """One event of the group programme per person at a session."""
    program, stage = mapping.group_program, mapping.group_stage
    check_field(
        program is not None and stage is not None,
        "the DHIS2 mapping has no group_program and group_stage for the group sessions",
        field="group_program",
        value=program,
    )
    by_code = {str(case.code): case for case in cases}
    elements = mapping.data_elements
    events = []
    for session in groups:
        for code in session.attendees:
            case = by_code.get(code)
            check_field(
                case is not None,
                "{value} came to the group on {day}, but is not among the cases exported",
                field="groups",
                value=code,
                day=session.on,
            )
            assert case is not None
            place = case.municipality_on(session.on)
            wanted = {"group.case_code": code, "group.offer": session.offer}
            values = [
                {"dataElement": elements[k], "value": v} for k, v in wanted.items() if k in elements
            ]
            event: dict[str, Any] = {
                "event": _uid("group", session.on, session.offer, code),
                "program": program,
                "programStage": stage,
                "orgUnit": mapping.org_unit(place.number, place.name),
                "status": "COMPLETED",
                "occurredAt": _timestamp(session.on),
            }
            if values:
                event["dataValues"] = values
            events.append(event)
    return events


# -- the documented shape --------------------------------------------------------------------

_SHAPES: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    # object: (required, allowed), after new-tracker.md «Tracker Objects»; read-only and
    # server-set properties (createdAt, updatedAt, deleted, orgUnitName …) are left out.
    "trackedEntity": (
        frozenset({"trackedEntityType", "orgUnit"}),
        frozenset(
            {
                "trackedEntity",
                "trackedEntityType",
                "createdAtClient",
                "updatedAtClient",
                "orgUnit",
                "inactive",
                "geometry",
                "storedBy",
                "attributes",
                "enrollments",
                "relationships",
                "programOwners",
            }
        ),
    ),
    "enrollment": (
        frozenset({"program", "orgUnit", "enrolledAt"}),
        frozenset(
            {
                "enrollment",
                "program",
                "trackedEntity",
                "status",
                "orgUnit",
                "createdAtClient",
                "updatedAtClient",
                "enrolledAt",
                "occurredAt",
                "completedAt",
                "completedBy",
                "followUp",
                "geometry",
                "storedBy",
                "attributes",
                "events",
                "relationships",
                "notes",
            }
        ),
    ),
    "event": (
        frozenset({"programStage", "enrollment", "orgUnit", "scheduledAt"}),
        frozenset(
            {
                "event",
                "programStage",
                "enrollment",
                "status",
                "orgUnit",
                "createdAtClient",
                "updatedAtClient",
                "scheduledAt",
                "occurredAt",
                "completedBy",
                "followUp",
                "geometry",
                "storedBy",
                "attributeOptionCombo",
                "attributeCategoryOptions",
                "assignedUser",
                "dataValues",
                "relationships",
                "notes",
            }
        ),
    ),
    "programEvent": (  # an event programme's event: no enrollment, no schedule
        frozenset({"program", "programStage", "orgUnit", "occurredAt"}),
        frozenset(
            {
                "event",
                "program",
                "programStage",
                "status",
                "orgUnit",
                "occurredAt",
                "scheduledAt",
                "completedAt",
                "dataValues",
                "geometry",
                "storedBy",
                "attributeOptionCombo",
                "attributeCategoryOptions",
                "notes",
            }
        ),
    ),
    "attribute": (
        frozenset({"attribute"}),
        frozenset({"attribute", "storedBy", "value", "valueType"}),
    ),
    "relationship": (
        frozenset({"relationshipType", "from", "to"}),
        frozenset(
            {"relationship", "relationshipType", "from", "to", "bidirectional", "createdAtClient"}
        ),
    ),
    "relationshipItem": (frozenset(), frozenset({"trackedEntity", "enrollment", "event"})),
    "dataValue": (
        frozenset({"dataElement"}),
        frozenset({"dataElement", "value", "storedBy", "providedElsewhere"}),
    ),
}
_STATUSES = {
    "enrollment": {"ACTIVE", "COMPLETED", "CANCELLED"},
    "event": {"ACTIVE", "COMPLETED", "VISITED", "SCHEDULE", "OVERDUE", "SKIPPED"},
    "programEvent": {"ACTIVE", "COMPLETED", "VISITED", "SCHEDULE", "OVERDUE", "SKIPPED"},
}
_UID_FIELDS = {
    "relationship",
    "relationshipType",
    "trackedEntity",
    "trackedEntityType",
    "orgUnit",
    "enrollment",
    "program",
    "event",
    "programStage",
    "attribute",
    "dataElement",
}
_TIMESTAMPS = {
    "enrolledAt",
    "occurredAt",
    "scheduledAt",
    "completedAt",
    "createdAtClient",
    "updatedAtClient",
}
_TIMESTAMP = re.compile(
    r"^\d{4}-\d{2}-\d{2}(T\d{2}:\d{2}(:\d{2}(\.\d{1,3})?)?(Z|[+-]\d{2}:\d{2})?)?$"
)
_CHILDREN = {
    "trackedEntity": {"attributes": "attribute", "enrollments": "enrollment"},
    "enrollment": {"attributes": "attribute", "events": "event"},
    "event": {"dataValues": "dataValue"},
    "programEvent": {"dataValues": "dataValue"},
}
_ITEMS = {"relationship": ("from", "to")}
"""The objects whose properties are single objects of a kind: a relationship's two ends."""


def _problems(kind: str, value: object, path: str) -> list[Message]:
    if not isinstance(value, Mapping):
        return [Message("expected an object @ {path}", path=path)]
    required, allowed = _SHAPES[kind]
    found: list[Message] = []
    missing = sorted(required - set(value))
    if missing:
        found.append(
            Message("{kind} lacks {fields!r} @ {path}", kind=kind, fields=missing, path=path)
        )
    unknown = sorted(set(value) - allowed)
    if unknown:
        found.append(
            Message(
                "{kind} has unknown properties {fields!r} @ {path}",
                kind=kind,
                fields=unknown,
                path=path,
            )
        )
    for key, item in value.items():
        where = f"{path}.{key}"
        bad_uid = key in _UID_FIELDS and not (isinstance(item, str) and _UID.match(item))
        bad_time = key in _TIMESTAMPS and not (isinstance(item, str) and _TIMESTAMP.match(item))
        bad_status = key == "status" and item not in _STATUSES.get(kind, {item})
        if bad_uid or bad_time or bad_status:
            found.append(Message("invalid value {value!r} @ {path}", value=item, path=where))
    for key in _ITEMS.get(kind, ()):
        found += _problems("relationshipItem", value.get(key, {}), f"{path}.{key}")
    for key, child in _CHILDREN.get(kind, {}).items():
        items = value.get(key, [])
        if not isinstance(items, list):
            found.append(Message("expected a list @ {path}", path=f"{path}.{key}"))
            continue
        for i, item in enumerate(items):
            found += _problems(child, item, f"{path}.{key}[{i}]")
    return found


def validate_dhis2_payload(payload: Mapping[str, Any]) -> None:
    """Check a tracker payload against DHIS2's documented shape (see the module docs).

    Raises:
        ConfigError: one problem per object or field that does not fit, each named by path.
    """
    problems: list[Message] = []
    top = {
        "trackedEntities": "trackedEntity",
        "enrollments": "enrollment",
        "events": "event",
        "relationships": "relationship",
    }
    unknown = sorted(set(payload) - set(top))
    if unknown:
        problems.append(Message("unknown fields: {fields!r}", fields=unknown))
    for key, kind in top.items():
        items = payload.get(key, [])
        if not isinstance(items, list):
            problems.append(Message("expected a list @ {path}", path=f"$.{key}"))
            continue
        for i, item in enumerate(items):
            own = kind  # an event without an enrollment: an event programme's
            if kind == "event" and isinstance(item, Mapping) and "enrollment" not in item:
                own = "programEvent"
            problems += _problems(own, item, f"$.{key}[{i}]")
    if problems:
        raise ConfigError(Message("DHIS2 tracker payload"), problems)
