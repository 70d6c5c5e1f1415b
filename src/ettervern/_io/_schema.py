"""A JSON Schema for the case format, generated from the attrs classes, never written by hand.

[`case_schema`][ettervern.interchange.case_schema] walks the fields of the stored case and of every event class in
`EVENT_TYPES` and turns each field's type into JSON Schema (draft
2020-12): dates become ISO text, enums their keys, attrs classes objects with no unknown keys,
optional fields a choice with ``null``. A new event field or a new event kind therefore shows up
in the schema by itself; a change to the schema also needs a new [`CASE_SCHEMA_VERSION`][ettervern.interchange.CASE_SCHEMA_VERSION]
(the tests keep a fingerprint of each version's schema).

The case's own keys come from the same attrs class the reader structures a document into
(``StoredCaseFields``), so every key [`case_to_dict`][ettervern.interchange.case_to_dict] writes for any team,
``code_scheme`` included, is in the schema. Every property has a ``title`` and a ``description``
and every enum value a label, in Norwegian Bokmål (the form a front-end shows first), with all three
languages under ``x-translations`` (``nb``, ``nn``, ``en``); enums are written as ``oneOf`` of
``const`` and ``title``, which JSON Forms and RJSF show as labelled choices. The texts come from the
babel catalogs, like every other user-facing text.

The same schema is shipped as ``ettervern/_data/schema/case.schema.json`` so that a front-end can
validate a document before sending it, without Python.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import hashlib
import json
import types
import typing
from collections.abc import Mapping
from typing import Any, Union

import attrs

from ettervern._core import CaseCode, LifeDomain, Municipality, OutcomeFlag
from ettervern._data import data_path
from ettervern._io._convert import CASE_SCHEMA_VERSION, StoredCaseFields
from ettervern._l10n import LOCALES, N_, translate
from ettervern._pathway import (
    EVENT_TYPES,
    ClosureReason,
    ConsentScope,
    DeclineReason,
    Event,
    Gender,
    GoalStatus,
    ReferralSource,
    ServiceKind,
    StayKind,
    WaiverReason,
)

__all__ = [
    "CASE_SCHEMA_ID",
    "case_schema",
    "case_schema_fingerprint",
    "case_schema_text",
    "shipped_case_schema",
]

CASE_SCHEMA_REVISION = 0
"""The revision of the schema of format [`CASE_SCHEMA_VERSION`][ettervern.interchange.CASE_SCHEMA_VERSION]:
revision 0 of format 6 adds consent, goals and moves. Like revision 1 of format 5 (expected
discharges, waived and rescheduled milestones, decline reasons) it is generated from the reader's
own fields, so it admits ``code_scheme`` (written for every team with its own codes since format
2, refused by format 4's first schema), and labels every property and enum value in nb, nn and
en."""

CASE_SCHEMA_ID = f"urn:ettervern:schema:case:{CASE_SCHEMA_VERSION}.{CASE_SCHEMA_REVISION}"
"""The ``$id`` of the case schema: names the format, its version and the schema's revision."""

_LANGUAGE = "nb"
"""The language of ``title`` and ``description``; ``x-translations`` holds every language."""

_FIELDS: dict[str, tuple[str, str]] = {
    "schema_version": (
        N_("Format version"),
        N_("The version of the case format the document is written in."),
    ),
    "code": (
        N_("Case code"),
        N_("The case's anonymous code in the team's scheme, such as 02/20-ST; never a name."),
    ),
    "municipality": (
        N_("Municipality"),
        N_("The commissioning municipality, by its name or four-digit number."),
    ),
    "events": (
        N_("Events"),
        N_("What happened in the case, oldest first; the first is the referral."),
    ),
    "birth_year": (N_("Birth year"), N_("The person's year of birth, if known.")),
    "gender": (N_("Gender"), N_("The person's gender, if known.")),
    "code_scheme": (
        N_("Code scheme"),
        N_("How the team writes its case codes; left out for the default (02/20-ST)."),
    ),
    "pattern": (
        N_("Code pattern"),
        N_("The code's form with the placeholders {number}, {yy} or {yyyy} and {letters}."),
    ),
    "number_width": (
        N_("Digits in the number"),
        N_("The least number of digits of the running number (zero-padded)."),
    ),
    "person": (
        N_("Person pseudonym"),
        N_("A pseudonymous key for the person, linking their episodes; never an ID number."),
    ),
    "event": (N_("Kind of event"), N_("What kind of event this is.")),
    "on": (N_("Date"), N_("The day the event happened.")),
    "source": (N_("Referred by"), N_("Who referred the person or asked for aftercare.")),
    "kind": (N_("Kind of stay"), N_("The kind of institution stay or sentence.")),
    "step": (N_("Step"), N_("The key of the pathway step that started.")),
    "task": (N_("Task"), N_("The key of the task or milestone that was done.")),
    "outcome": (N_("Assessment"), N_("Scores for the life domains assessed, and outcome flags.")),
    "flags": (N_("Outcomes"), N_("Outcomes that are a yes or no.")),
    "reason": (N_("Reason for closing"), N_("Why the case was closed.")),
    "report_delivered": (
        N_("Closure report delivered"),
        N_("Whether the closure report was given to the commissioning municipality."),
    ),
    "expected": (
        N_("Expected discharge"),
        N_("The day the person is expected to be discharged from the stay (a plan, revisable)."),
    ),
    "to": (
        N_("New due date"),
        N_("The day a rescheduled milestone is now due."),
    ),
    "evaluation_given": (
        N_("Evaluation form given"),
        N_("Whether the person was given the evaluation form."),
    ),
    "taken_over_by": (
        N_("Taken over by"),
        N_("The service that takes over the follow-up, if any."),
    ),
    "service": (N_("Service"), N_("The kind of service that takes over.")),
    "reached": (
        N_("Person reached"),
        N_("Whether the team reached the person at the three-month check."),
    ),
    "staff": (N_("Staff member"), N_("The staff member's initials or key; never a full name.")),
    "coordinator": (
        N_("Coordinator"),
        N_("Whether the staff member is the person's coordinator."),
    ),
    "scope": (N_("Consent for"), N_("Whom the person lets the team cooperate with.")),
    "domain": (N_("Life domain"), N_("The life domain the goal is set in.")),
    "target": (N_("Target score"), N_("The score on the domain's scale the goal aims at.")),
    "due": (N_("Goal due"), N_("The day the goal is to be reached by.")),
    "status": (N_("Goal status"), N_("Whether the goal was met or dropped.")),
}
"""Each property's title and description, by key (English message ids, translated)."""

_OWN_LABELS: dict[str, str] = {
    "1": N_("Serious problems"),
    "2": N_("Some problems"),
    "3": N_("No or minor problems"),
    ServiceKind.MENTAL_HEALTH_AND_SUBSTANCE_USE.value: N_(
        "Mental health and substance use service"
    ),
    ServiceKind.NAV.value: N_("NAV"),
    ServiceKind.GENERAL_PRACTITIONER.value: N_("GP"),
    ServiceKind.SPECIALIST_HEALTH_SERVICE.value: N_("Specialist health service"),
    ServiceKind.HOUSING.value: N_("Housing service"),
    ServiceKind.HOME_CARE.value: N_("Home-based services"),
    ServiceKind.CHILD_WELFARE.value: N_("Child welfare service"),
    ServiceKind.OTHER.value: N_("Other service"),
}
"""Labels of the values of ``Score`` and ``ServiceKind``, which the catalogs do not carry under
a context of their kind."""

_ENUM_LABELS: dict[type[enum.Enum], dict[str, str]] = {
    DeclineReason: {
        DeclineReason.OUTSIDE_TARGET_GROUP.value: N_("Outside the target group"),
        DeclineReason.NOT_A_MEMBER.value: N_("Lives outside the member municipalities"),
        DeclineReason.OTHER_SERVICE.value: N_("Another service is the right one"),
        DeclineReason.NO_CAPACITY.value: N_("No capacity now"),
        DeclineReason.RISK.value: N_("The risk assessment advised against"),
        DeclineReason.PERSON_DECLINED.value: N_("The person did not want aftercare"),
        DeclineReason.OTHER.value: N_("Another reason"),
    },
    WaiverReason: {
        WaiverReason.DECLINED.value: N_("Declined by the person"),
        WaiverReason.NOT_APPLICABLE.value: N_("Not applicable"),
    },
}
"""Labels of the values of enums whose values share words with other enums' (``other``)."""

_ENUM_CONTEXTS: dict[type[enum.Enum], str] = {
    ReferralSource: "source",
    StayKind: "kind",
    ClosureReason: "reason",
    Gender: "gender",
    OutcomeFlag: "flag",
    LifeDomain: "domain",
    ConsentScope: "scope",
    GoalStatus: "goal_status",
}
"""The catalog context under which each enum's values are labelled (see the report labels)."""

_DRAFT = "https://json-schema.org/draft/2020-12/schema"

_DATE = {"type": "string", "format": "date", "pattern": r"^\d{4}-\d{2}-\d{2}$"}

_LEAVES: dict[object, dict[str, Any]] = {
    dt.date: _DATE,
    str: {"type": "string"},
    bool: {"type": "boolean"},
    int: {"type": "integer"},
    float: {"type": "number"},
    type(None): {"type": "null"},
    CaseCode: {"type": "string", "minLength": 1, "description": "A case code such as 02/20-ST."},
    Municipality: {
        "type": "string",
        "minLength": 1,
        "description": "A municipality by its name or four-digit number.",
    },
}


class _Builder:
    """Turns Python types into schemas, collecting attrs classes under ``$defs``."""

    def __init__(self) -> None:
        self.defs: dict[str, dict[str, Any]] = {}

    def schema(self, tp: Any) -> dict[str, Any]:
        if tp in _LEAVES:
            return dict(_LEAVES[tp])
        if tp == Event:
            return {"oneOf": [self.schema(cls) for cls in EVENT_TYPES]}
        generic = self._generic(tp)
        if generic is not None:
            return generic
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            return self._enum(tp)
        if attrs.has(tp):
            return self._object(tp)
        raise TypeError(f"no JSON Schema for {tp!r}")  # pragma: no cover - a new kind of field

    def _generic(self, tp: Any) -> dict[str, Any] | None:
        """Unions, literals, mappings and sequences; ``None`` for anything else."""
        origin, args = typing.get_origin(tp), typing.get_args(tp)
        if origin is typing.Literal:
            return {"enum": list(args)}
        if origin in (dict, Mapping):
            return {"type": "object", "additionalProperties": self.schema(args[1])}
        if origin in (Union, types.UnionType):
            return {"anyOf": [self.schema(arg) for arg in args]}
        if origin in (tuple, list, frozenset, set):
            array: dict[str, Any] = {"type": "array", "items": self.schema(args[0])}
            if origin in (frozenset, set):
                array["uniqueItems"] = True
            return array
        return None

    def _enum(self, cls: type[enum.Enum]) -> dict[str, Any]:
        name = cls.__name__
        if name not in self.defs:
            values = [member.value for member in cls]
            kind = "integer" if all(isinstance(v, int) for v in values) else "string"
            choices = [{"const": value, **_labels(cls, value)} for value in values]
            self.defs[name] = {"type": kind, **_describe(cls), "oneOf": choices}
        return {"$ref": f"#/$defs/{name}"}

    def _object(self, cls: type) -> dict[str, Any]:
        name = cls.__name__
        if name in self.defs:
            return {"$ref": f"#/$defs/{name}"}
        self.defs[name] = {}  # reserved: a class may refer to itself
        hints = typing.get_type_hints(cls)
        properties: dict[str, Any] = {}
        required: list[str] = []
        tag = getattr(cls, "tag", None)
        if isinstance(tag, str):
            properties["event"] = {"const": tag, **_property("event")}
            required.append("event")
        for field in attrs.fields(cls):
            if not field.init:
                continue
            key = field.alias or field.name
            properties[key] = {**self.schema(hints[field.name]), **_property(key)}
            if field.default is attrs.NOTHING:
                required.append(key)
        event = _texts(tag, context="event") if isinstance(tag, str) else {}
        title = {locale: text[:1].upper() + text[1:] for locale, text in event.items()}
        self.defs[name] = {
            "type": "object",
            **_translated(title, {}),
            **_describe(cls),
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        return {"$ref": f"#/$defs/{name}"}


def _texts(message: str, *, context: str | None = None) -> dict[str, str]:
    """A message in every shipped language."""
    return {locale: translate(message, locale, context=context) for locale in LOCALES}


def _translated(title: dict[str, str], description: dict[str, str]) -> dict[str, Any]:
    """``title`` and ``description`` in the schema's language, and all languages under
    ``x-translations`` (the annotation a form builder reads to switch language)."""
    out: dict[str, Any] = {}
    if title:
        out["title"] = title[_LANGUAGE]
    if description:
        out["description"] = description[_LANGUAGE]
    translations = {
        locale: {
            **({"title": title[locale]} if title else {}),
            **({"description": description[locale]} if description else {}),
        }
        for locale in LOCALES
    }
    if title or description:
        out["x-translations"] = translations
    return out


_DOMAIN_SCORE = N_("The score for this life domain: 1 serious, 2 some, 3 no or minor problems.")
_DOMAINS = frozenset(domain.value for domain in LifeDomain)


def _property(key: str) -> dict[str, Any]:
    """The title and description of a property by its key; a life domain by its label."""
    if key in _DOMAINS:
        return _translated(_texts(key, context="domain"), _texts(_DOMAIN_SCORE))
    if key not in _FIELDS:  # a new field: the test of every property's title names it
        return {}
    title, description = _FIELDS[key]
    return _translated(_texts(title), _texts(description))


def _labels(cls: type[enum.Enum], value: object) -> dict[str, Any]:
    """The label of one enum value, from the catalogs."""
    own = _ENUM_LABELS.get(cls)
    if own is not None:
        return _translated(_texts(own[str(value)]), {})
    context = _ENUM_CONTEXTS.get(cls)
    if context is not None:
        return _translated(_texts(str(value), context=context), {})
    return _translated(_texts(_OWN_LABELS[str(value)]), {})


def _describe(cls: type) -> dict[str, str]:
    """The first line of a class's docstring, as the schema's description."""
    doc = (cls.__doc__ or "").strip()
    first = doc.split("\n\n")[0].replace("\n", " ").strip()
    return {"description": first} if first else {}


@functools.cache
def _generated() -> str:
    builder = _Builder()
    hints = typing.get_type_hints(StoredCaseFields)
    properties: dict[str, Any] = {}
    required = []
    for field in attrs.fields(StoredCaseFields):
        key = field.alias or field.name
        properties[key] = {**builder.schema(hints[field.name]), **_property(key)}
        if field.default is attrs.NOTHING:
            required.append(key)
    properties["schema_version"] = {"const": CASE_SCHEMA_VERSION, **_property("schema_version")}
    properties["code"] = {**_LEAVES[CaseCode], **_property("code")}
    properties["events"]["minItems"] = 1
    schema = {
        "$schema": _DRAFT,
        "$id": CASE_SCHEMA_ID,
        "title": "ettervern case",
        "description": (
            "One aftercare case (sak) as written by ettervern.case_to_dict: its code, its "
            "commissioning municipality and its dated events, the first being the referral."
        ),
        "type": "object",
        "properties": properties,
        "required": required,
        "additionalProperties": False,
        "$defs": dict(sorted(builder.defs.items())),
    }
    return json.dumps(schema, ensure_ascii=False, indent=2) + "\n"


def case_schema() -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of one case as [`case_to_dict`][ettervern.interchange.case_to_dict] writes it.

    >>> schema = case_schema()
    >>> schema["properties"].get("schema_version").get("const")
    6
    >>> schema["properties"].get("code_scheme").get("x-translations").get("en").get("title")
    'Code scheme'
    >>> ", ".join(schema["$defs"].get("Admission").get("required"))
    'event, on, kind'
    """
    schema: dict[str, Any] = json.loads(_generated())
    return schema


def case_schema_fingerprint() -> str:
    """A SHA-256 of the schema's canonical JSON: it changes when the schema does."""
    canonical = json.dumps(case_schema(), sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(canonical.encode("utf-8")).hexdigest()


def shipped_case_schema() -> str:
    """The text of the schema shipped as ``ettervern/_data/schema/case.schema.json``."""
    return data_path("schema", "case.schema.json").read_text(encoding="utf-8")


def case_schema_text() -> str:
    """The generated schema as the JSON text that is shipped (2-space indent, final newline)."""
    return _generated()
