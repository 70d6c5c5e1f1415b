"""A JSON Schema for the case format, generated from the attrs classes, never written by hand.

[`case_schema`][ettervern.interchange.case_schema] walks the fields of the stored case and of every event class in
`EVENT_TYPES` and turns each field's type into JSON Schema (draft
2020-12): dates become ISO text, enums their keys, attrs classes objects with no unknown keys,
optional fields a choice with ``null``. A new event field or a new event kind therefore shows up
in the schema by itself; a change to the schema also needs a new [`CASE_SCHEMA_VERSION`][ettervern.interchange.CASE_SCHEMA_VERSION]
(the tests keep a fingerprint of each version's schema).

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

from ettervern._core import CaseCode, Municipality
from ettervern._data import data_path
from ettervern._io._convert import CASE_SCHEMA_VERSION
from ettervern._pathway import EVENT_TYPES, Case, Event

__all__ = [
    "CASE_SCHEMA_ID",
    "case_schema",
    "case_schema_fingerprint",
    "case_schema_text",
    "shipped_case_schema",
]

CASE_SCHEMA_ID = f"urn:ettervern:schema:case:{CASE_SCHEMA_VERSION}"
"""The ``$id`` of the case schema: names the format and its version."""

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
            self.defs[name] = {"type": kind, "enum": values, **_describe(cls)}
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
            properties["event"] = {"const": tag}
            required.append("event")
        for field in attrs.fields(cls):
            if not field.init:
                continue
            key = field.alias or field.name
            properties[key] = self.schema(hints[field.name])
            if field.default is attrs.NOTHING:
                required.append(key)
        self.defs[name] = {
            "type": "object",
            **_describe(cls),
            "properties": properties,
            "required": required,
            "additionalProperties": False,
        }
        return {"$ref": f"#/$defs/{name}"}


def _describe(cls: type) -> dict[str, str]:
    """The first line of a class's docstring, as the schema's description."""
    doc = (cls.__doc__ or "").strip()
    first = doc.split("\n\n")[0].replace("\n", " ").strip()
    return {"description": first} if first else {}


@functools.cache
def _generated() -> str:
    builder = _Builder()
    hints = typing.get_type_hints(Case)
    properties: dict[str, Any] = {"schema_version": {"const": CASE_SCHEMA_VERSION}}
    required = ["schema_version"]
    for field in attrs.fields(Case):
        if not field.init:
            continue
        key = field.alias or field.name
        properties[key] = builder.schema(hints[field.name])
        if field.default is attrs.NOTHING:
            required.append(key)
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
    >>> schema["properties"].get("schema_version")
    {'const': 5}
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
