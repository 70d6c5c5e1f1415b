"""The StructureDefinitions of ettervern's own FHIR extensions, generated from the event classes.

R4 has no element for a few facts the library keeps (the commissioning municipality of an
EpisodeOfCare, the events as recorded, a team's code scheme, the assessment point and episode of
a QuestionnaireResponse), so [`to_fhir`][ettervern.interchange.to_fhir] writes them as extensions. Each is
defined here, in the form a FHIR server or validator loads (R4 ``StructureDefinition``, a
``constraint`` on ``Extension``), and shipped as ``ettervern/_data/fhir/<name>.json``; the
tests check that the shipped files are these, and that every extension a bundle uses has one.
The event extension's sub-extensions come from the fields of the event classes, as the
bundle's do, so a new event field is defined by itself.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
from typing import Any

from ettervern._core import Outcome
from ettervern._data import data_path
from ettervern._io._fhir import (
    ASSESSMENT_POINT_EXTENSION,
    CODE_SCHEME_EXTENSION,
    COMMISSIONED_BY_EXTENSION,
    EPISODE_EXTENSION,
    EVENT_EXTENSION,
    HISTORY_EXTENSION,
    event_field_types,
)
from ettervern._io._fhir_care import CONSENT_WITHDRAWN_EXTENSION
from ettervern._pathway import TakeOver

__all__ = [
    "extension_definition_texts",
    "extension_definitions",
    "shipped_extension_definitions",
]

_EXTENSION = "http://hl7.org/fhir/StructureDefinition/Extension"
_QR = "http://hl7.org/fhir/StructureDefinition/QuestionnaireResponse"
_ORG = "http://hl7.org/fhir/StructureDefinition/Organization"
_EOC = "http://hl7.org/fhir/StructureDefinition/EpisodeOfCare"


def _element(path: str, slice_name: str | None = None, **rest: Any) -> dict[str, Any]:
    plain = ".".join(part.split(":")[0] for part in path.split("."))
    element: dict[str, Any] = {"id": path, "path": plain}
    if slice_name is not None:
        element["sliceName"] = slice_name
    return element | rest


_VALUE_TYPES: dict[object, dict[str, Any]] = {
    Outcome: {"code": "Reference", "targetProfile": [_QR]},
    dt.date: {"code": "date"},
    bool: {"code": "boolean"},
    int: {"code": "integer"},
}
"""The FHIR type of each kind of event field's value, as the bundle writes it."""


def _value_type(tp: Any) -> dict[str, Any] | None:
    """The FHIR type of a field's value; ``None`` for a field of sub-extensions."""
    if tp is TakeOver:
        return None
    if tp in _VALUE_TYPES:
        return dict(_VALUE_TYPES[tp])
    is_enum = isinstance(tp, type) and issubclass(tp, enum.Enum)
    return {"code": "code" if is_enum else "string"}


def _simple_slice(base: str, name: str, value: dict[str, Any], short: str) -> list[dict[str, Any]]:
    """A sub-extension ``name`` with one value of type ``value``."""
    at = f"{base}.extension:{name}"
    return [
        _element(at, name, short=short, min=0, max="1"),
        _element(f"{at}.extension", max="0"),
        _element(f"{at}.url", fixedUri=name),
        _element(f"{at}.value[x]", min=1, type=[value]),
    ]


def _take_over_slice(base: str, name: str) -> list[dict[str, Any]]:
    at = f"{base}.extension:{name}"
    return [
        _element(at, name, short="the service that took over", min=0, max="1"),
        *_simple_slice(at, "service", {"code": "Coding"}, "the kind of service"),
        *_simple_slice(
            at,
            "municipality",
            {"code": "Reference", "targetProfile": [_ORG]},
            "the municipality that runs it",
        ),
        _element(f"{at}.url", fixedUri=name),
        _element(f"{at}.value[x]", max="0"),
    ]


def _definition(
    url: str,
    name: str,
    description: str,
    context: str | tuple[str, ...],
    elements: list[dict[str, Any]],
) -> dict[str, Any]:
    contexts = (context,) if isinstance(context, str) else context
    return {
        "resourceType": "StructureDefinition",
        "url": url,
        "name": name,
        "title": f"ettervern {name}",
        "status": "active",
        "description": description,
        "fhirVersion": "4.0.1",
        "kind": "complex-type",
        "abstract": False,
        "context": [{"type": "element", "expression": c} for c in contexts],
        "type": "Extension",
        "baseDefinition": _EXTENSION,
        "derivation": "constraint",
        "differential": {
            "element": [
                _element("Extension", short=description, min=0, max="1"),
                *elements,
                _element("Extension.url", fixedUri=url),
            ]
        },
    }


def _event_elements() -> list[dict[str, Any]]:
    """One slice per field of any event, typed as the bundle writes it."""
    fields: dict[str, Any] = {}
    for types in event_field_types().values():
        fields.update({k: v for k, v in types.items() if k != "tag"})
    elements = _simple_slice("Extension", "event", {"code": "code"}, "the kind of event")
    for name, tp in fields.items():
        value = _value_type(tp)
        if value is None:
            elements += _take_over_slice("Extension", name)
        else:
            elements += _simple_slice("Extension", name, value, name.replace("_", " "))
    return [*elements, _element("Extension.value[x]", max="0")]


def _reference(targets: list[str]) -> list[dict[str, Any]]:
    return [
        _element("Extension.extension", max="0"),
        _element(
            "Extension.value[x]", min=1, type=[{"code": "Reference", "targetProfile": targets}]
        ),
    ]


def _value_only(code: str) -> list[dict[str, Any]]:
    """An extension of one value of the type ``code`` and no sub-extensions."""
    return [
        _element("Extension.extension", max="0"),
        _element("Extension.value[x]", min=1, type=[{"code": code}]),
    ]


def _scheme_elements() -> list[dict[str, Any]]:
    """The code scheme's extension: its pattern and number width, no value of its own."""
    return [
        *_simple_slice("Extension", "pattern", {"code": "string"}, "the code's form"),
        *_simple_slice("Extension", "number_width", {"code": "integer"}, "least digits"),
        _element("Extension.value[x]", max="0"),
    ]


@functools.cache
def _generated() -> dict[str, str]:
    scheme = _scheme_elements()
    definitions = [
        _definition(
            EVENT_EXTENSION,
            "Event",
            "One event of the case as recorded, one sub-extension per field that no R4 element"
            " carries: on the EpisodeOfCare a whole event (its kind and day too), on an entry of"
            " its statusHistory what the entry's status and period do not say (who referred,"
            " why declined, how closed).",
            ("EpisodeOfCare", "EpisodeOfCare.statusHistory"),
            _event_elements(),
        ),
        _definition(
            HISTORY_EXTENSION,
            "History",
            "The kinds of the case's events in the order they were recorded, separated by"
            " spaces: R4 has no element for the order of facts recorded on one day.",
            "EpisodeOfCare",
            _value_only("string"),
        ),
        _definition(
            COMMISSIONED_BY_EXTENSION,
            "CommissioningMunicipality",
            "The municipality that commissioned the aftercare (R4 EpisodeOfCare has no element).",
            "EpisodeOfCare",
            _reference([_ORG]),
        ),
        _definition(
            CODE_SCHEME_EXTENSION,
            "CodeScheme",
            "How the team writes its case codes, when not the default (02/20-ST).",
            "EpisodeOfCare",
            scheme,
        ),
        _definition(
            ASSESSMENT_POINT_EXTENSION,
            "AssessmentPoint",
            "When the assessment was made: at intake, at closure or at the three-month check.",
            "QuestionnaireResponse",
            _value_only("code"),
        ),
        _definition(
            EPISODE_EXTENSION,
            "Episode",
            "The EpisodeOfCare (the case) the assessment, consent or goal belongs to.",
            ("QuestionnaireResponse", "Consent", "Goal"),
            _reference([_EOC]),
        ),
        _definition(
            CONSENT_WITHDRAWN_EXTENSION,
            "ConsentWithdrawn",
            "The day the consent was withdrawn, when it was the day it was given: the"
            " provision's period, which otherwise ends the day before the withdrawal, then ends"
            " on that day (R4 Consent has no element for the withdrawal).",
            "Consent",
            _value_only("date"),
        ),
    ]
    return {d["name"]: json.dumps(d, ensure_ascii=False, indent=2) + "\n" for d in definitions}


def extension_definitions() -> dict[str, dict[str, Any]]:
    """The StructureDefinition of each of ettervern's FHIR extensions, by name."""
    return {name: json.loads(text) for name, text in _generated().items()}


def extension_definition_texts() -> dict[str, str]:
    """The generated definitions as the JSON text that is shipped, by name."""
    return dict(_generated())


def shipped_extension_definitions() -> dict[str, str]:
    """The texts shipped as ``ettervern/_data/fhir/<name>.json``, by name."""
    return {
        name: data_path("fhir", f"{name}.json").read_text(encoding="utf-8") for name in _generated()
    }
