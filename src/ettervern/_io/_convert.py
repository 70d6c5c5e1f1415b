"""Turning ettervern values into plain data (JSON, TOML) and back, with cattrs.

Use [`make_converter()`][ettervern.interchange.make_converter] for a converter of your own; there is no mutable
global one. Errors while structuring are turned into [`ConfigError`][ettervern.errors.ConfigError]
whose ``problems`` name each bad field by its path, such as ``$.members[2].since``.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import gc
import json
import operator
import tomllib
from collections.abc import Callable, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, ParamSpec, TypeVar

import attrs
import cattrs
import tomli_w
from cattrs.gen import make_dict_structure_fn, make_dict_unstructure_fn

from ettervern._contract import unusable_file
from ettervern._core import (
    DEFAULT_SCHEME,
    CodeScheme,
    Municipality,
    Outcome,
    OutcomeFlag,
    Score,
    Team,
    builtin_catalog,
    catalog_from_dict,
    configure,
    let_go,
    parse_written,
    register,
    structure,
)
from ettervern._io._result import CaseReading, ImportResult
from ettervern._io._typed_json import TYPED_FROM, case_rows, event_row, item_of, typed
from ettervern._l10n import Message
from ettervern._pathway import (
    EVENT_TYPES,
    Case,
    Event,
    Gender,
    TakeOver,
    check_case,
    current_window,
    plausible_dates_of,
    stored_case,
)
from ettervern.errors import (
    CaseCodeError,
    ConfigError,
    EttervernError,
    InvalidValueError,
    MissingFileError,
    PathwayError,
)

__all__ = [
    "CASE_SCHEMA_VERSION",
    "builtin_catalog",
    "case_from_dict",
    "case_to_dict",
    "cases_from_dicts",
    "cases_from_json",
    "cases_from_stored",
    "cases_to_json",
    "catalog_from_dict",
    "drops_input_when_refused",
    "make_converter",
    "read_cases",
    "read_team",
    "team_from_dict",
    "team_to_dict",
    "write_cases",
    "write_team",
]

T = TypeVar("T")


_P = ParamSpec("_P")
_R = TypeVar("_R")


def drops_input_when_refused(read: Callable[_P, _R]) -> Callable[_P, _R]:
    """``read``, whose refusal (an ``EttervernError``) carries no input in its frames' locals.

    A traceback printer that shows locals (Sentry, IPython's verbose mode, rich) would
    otherwise show the text, rows or cells the library refused, in every frame between the
    reader and the raise: those frames are cleared, and this one lets go of the arguments. A
    bug (any other exception) keeps its locals for debugging. The caller's own frame still
    holds what it passed in: see docs/privacy.md.
    """

    @functools.wraps(read)
    def reading(*args: _P.args, **kwargs: _P.kwargs) -> _R:
        try:
            return read(*args, **kwargs)
        except EttervernError as refused:
            del args, kwargs
            let_go(refused)
            raise

    return reading


CASE_SCHEMA_VERSION = 6
"""The version of the case format [`case_to_dict()`][ettervern.interchange.case_to_dict] writes and
[`case_from_dict()`][ettervern.interchange.case_from_dict] reads."""

READABLE_SCHEMA_VERSIONS = (1, 2, 3, 4, 5, 6)
"""The versions [`case_from_dict()`][ettervern.interchange.case_from_dict] reads. Version 2 added the
``code_scheme`` of a team with its own codes and the ``user_controlled`` stay kind; version 3 the
``person`` pseudonym, the ``staff_assigned`` and ``staff_released`` events and the ``aborted``
closure reason. An older document is a valid newer one without them. Version 4 holds the service
that took over a closed case as ``{"service": "<kind>", "municipality": "<name>"}``; versions 1-3
held it as text (``"Rus og psykisk helse"``), which is still read when it names a known
service. Version 5 added the ``waived``, ``rescheduled`` and ``discharge_expected`` events and a
decline's ``reason``; a version 4 document is a valid version 5 one without them. Version 6
added the ``consent_given``, ``consent_withdrawn``, ``goal_set``, ``goal_reviewed`` and ``moved``
events; a version 5 document is a valid version 6 one without them."""


def make_converter() -> cattrs.Converter:
    """Make a converter between ettervern values and JSON- or TOML-safe data.

    Dates become ISO text (``"2020-09-01"``), municipalities their name, case codes their text,
    enums their value; unknown keys are errors. Each call returns a new converter that you may
    extend with hooks of your own.
    """
    converter = cattrs.Converter(forbid_extra_keys=True)
    configure(converter)
    _configure_cases(converter)
    return converter


@attrs.frozen
class StoredCaseFields:
    """A case as stored, before its history is checked (so a bad event can be named by path)."""

    schema_version: int
    code: str
    municipality: Municipality
    events: tuple[Event, ...]
    birth_year: int | None = None
    gender: Gender | None = None
    code_scheme: CodeScheme | None = None
    """The team's code scheme, stored when it is not the default (``"02/20-ST"``)."""
    person: str | None = None


def _configure_take_over(converter: cattrs.Converter) -> None:
    """The service that takes over a closed case: ``{"service": …, "municipality": …}``, or
    (schema version 1) the service's name as text."""

    def structure_take_over(value: object, _: type) -> TakeOver:
        if isinstance(value, str):  # schema version 1: the service's name as text
            return TakeOver(service=value)
        if not isinstance(value, Mapping) or not set(value) <= {"service", "municipality"}:
            msg = Message(
                "expected a table with {service} and optionally {municipality}",
                service="service",
                municipality="municipality",
            )
            raise InvalidValueError(msg, field="taken_over_by", value=None)
        return TakeOver(service=value.get("service", ""), municipality=value.get("municipality"))

    def unstructure_take_over(value: TakeOver) -> dict[str, str]:
        data = {"service": value.service.value}
        if value.municipality is not None:
            data["municipality"] = value.municipality.name
        return data

    converter.register_structure_hook(TakeOver, structure_take_over)
    converter.register_unstructure_hook(TakeOver, unstructure_take_over)


def _configure_cases(converter: cattrs.Converter) -> None:
    """Cases and their events: each event a table tagged ``"event": "<kind>"``; outcomes leave
    out unscored domains; the case carries ``schema_version``."""
    _configure_outcomes(converter)  # the event hooks generated below look these up
    _configure_events(converter)
    _configure_take_over(converter)
    converter.register_unstructure_hook(Case, functools.partial(_unstructure_case, converter))
    converter.register_structure_hook(Case, lambda value, _: _structure_case(converter, value))


def _configure_outcomes(converter: cattrs.Converter) -> None:
    """Scores as numbers, flags as a sorted list, outcomes without their unscored domains."""
    converter.register_unstructure_hook(Score, int)
    converter.register_unstructure_hook_func(
        lambda t: t == frozenset[OutcomeFlag], lambda flags: sorted(f.value for f in flags)
    )
    converter.register_unstructure_hook(
        Outcome, make_dict_unstructure_fn(Outcome, converter, _cattrs_omit_if_default=True)
    )


def _configure_events(converter: cattrs.Converter) -> None:
    """Each event a table tagged with its kind: ``{"event": "admission", ...}``."""
    tags = {cls.tag: cls for cls in EVENT_TYPES}
    structure_event = {
        cls: make_dict_structure_fn(cls, converter, _cattrs_forbid_extra_keys=True)
        for cls in EVENT_TYPES
    }

    def tagged(cls: type[Event]) -> Callable[[Event], dict[str, Any]]:
        plain = make_dict_unstructure_fn(cls, converter)
        return lambda event: {"event": cls.tag, **plain(event)}

    for cls in EVENT_TYPES:
        converter.register_unstructure_hook(cls, tagged(cls))

    def structure_event_union(value: object, _: type) -> Event:
        if not isinstance(value, Mapping) or value.get("event") not in tags:
            kind = value.get("event") if isinstance(value, Mapping) else value
            msg = Message(
                "expected an event tagged with {key!r} as one of {tags!r}, got {kind!r}",
                key="event",
                tags=sorted(tags),
                kind=kind,
            )
            raise InvalidValueError(msg, field="event", value=kind)
        cls = tags[value["event"]]
        body = {k: v for k, v in value.items() if k != "event"}
        event: Event = structure_event[cls](body, cls)
        return event

    converter.register_structure_hook_func(lambda t: t == Event, structure_event_union)


def _unstructure_case(converter: cattrs.Converter, case: Case) -> dict[str, Any]:
    """A case as plain data, with ``schema_version`` and only the fields it has."""
    events = [converter.unstructure(e, unstructure_as=type(e)) for e in case.events]
    data: dict[str, Any] = {
        "schema_version": CASE_SCHEMA_VERSION,
        "code": str(case.code),
        "municipality": case.municipality.name,
        "events": events,
    }
    if case.birth_year is not None:
        data["birth_year"] = case.birth_year
    if case.gender is not None:
        data["gender"] = case.gender.value
    if case.code.scheme != DEFAULT_SCHEME:
        data["code_scheme"] = converter.unstructure(case.code.scheme)
    if case.person is not None:
        data["person"] = case.person
    return data


def _structure_case(converter: cattrs.Converter, value: object) -> Case:
    """A case from plain data, each problem named by its path (``$.events[2]``)."""
    version = value.get("schema_version") if isinstance(value, Mapping) else None
    if version not in READABLE_SCHEMA_VERSIONS:
        msg = Message(
            "unknown case schema_version {version!r}; this version of ettervern reads "
            "{supported} @ $.schema_version",
            version=version,
            supported=list(READABLE_SCHEMA_VERSIONS),
        )
        raise InvalidValueError(msg, field="schema_version", value=version)
    fields = converter.structure(value, StoredCaseFields)
    scheme = fields.code_scheme or DEFAULT_SCHEME
    try:
        code = scheme.parse(fields.code)
    except CaseCodeError as exc:
        msg = Message("{problem} @ {path}", problem=exc.message, path="$.code")
        raise InvalidValueError(msg, field="code", value=fields.code) from None
    try:
        return Case(
            code,
            fields.municipality,
            fields.events,
            birth_year=fields.birth_year,
            gender=fields.gender,
            person=fields.person,
        )
    except PathwayError as exc:
        index = next((i for i, e in enumerate(fields.events) if e is exc.event), None)
        where = "$.events" if index is None else f"$.events[{index}]"
        msg = Message("{problem} @ {path}", problem=exc.message, path=where)
        raise InvalidValueError(msg, field="events", value=exc.event) from exc


@functools.cache
def case_converter() -> cattrs.Converter:
    return make_converter()


def team_from_dict(data: Mapping[str, Any], *, source: str | None = None) -> Team:
    """Build a [`Team`][ettervern.Team] from plain data, as read from JSON or TOML.

    Raises:
        ConfigError: with one line per bad field, each naming it by path.
    """
    return structure(
        dict(data), Team, Message("team") if source is None else source, case_converter()
    )


def team_to_dict(team: Team) -> dict[str, Any]:
    """Turn a [`Team`][ettervern.Team] into plain data that JSON and TOML can hold."""
    data: dict[str, Any] = case_converter().unstructure(team)
    return data


def case_to_dict(case: Case) -> dict[str, Any]:
    """Turn a [`Case`][ettervern.Case] into JSON-safe data, with ``schema_version``.

    Dates are ISO text, the code its text, the municipality its name, and each event a table
    tagged with ``"event"`` (``"referral"``, ``"admission"``, ``"closure"``, …).
    """
    data: dict[str, Any] = case_converter().unstructure(case)
    return data


@drops_input_when_refused
def case_from_dict(
    data: Mapping[str, Any], *, source: str | Message | None = None, team: Team | None = None
) -> Case:
    """Build a [`Case`][ettervern.Case] from data written by
    [`case_to_dict()`][ettervern.interchange.case_to_dict].

    The code is read in the scheme stored with it (``code_scheme``), else in ``team``'s, else
    the default ``02/20-ST``. With ``team`` the case is checked against it
    ([`check_case()`][ettervern.check_case]).

    Raises:
        ConfigError: an unknown ``schema_version`` or field, a bad value, an impossible
            history, or a case that does not belong to ``team``; each problem names its field by
            path (``$.events[3].on``).
    """
    with plausible_dates_of(team):
        case = direct_case(data, StoredValues(team))
        if case is not None:
            return case
        where = Message("case") if source is None else source
        plain = dict(data)
        if team is not None and "code_scheme" not in plain:
            plain["code_scheme"] = case_converter().unstructure(team.code_scheme)
        case = structure(plain, Case, where, case_converter())
    if team is not None:
        try:
            check_case(case, team)
        except PathwayError as exc:
            raise ConfigError(where, [exc.message]) from None
    return case


_CASE_KEYS = frozenset(
    {
        "schema_version",
        "code",
        "municipality",
        "events",
        "birth_year",
        "gender",
        "code_scheme",
        "person",
    }
)
_EVENT_TAGS = {cls.tag: cls for cls in EVENT_TYPES}
_TEXT_FIELDS = frozenset({"kind", "step", "task", "scope", "domain", "status"})
_OPTIONAL_TEXT_FIELDS = frozenset({"source", "taken_over_by", "reason"})  # a decline's may be null
_DATE_FIELDS = frozenset({"on", "expected", "to", "due"})
_FLAG_FIELDS = frozenset({"report_delivered", "evaluation_given", "reached"})


@attrs.define
class StoredValues:
    """What one read has built so far, to be shared by the cases it reads.

    Events are immutable values, and many cases of a file hold the same ones (an acceptance on
    a given day, a closure as completed with the report delivered): an event is built and
    checked once, from the first item that holds it, and the cases that hold an equal item
    share it. Municipalities are looked up once by name, stored code schemes read once. Kept
    for one read only.

    With ``team``, the cases are read as ``case_from_dict`` reads them for it: a code with no
    stored scheme in the team's scheme, and each case checked against the team.
    """

    team: Team | None = None
    window: tuple[dt.date, dt.date] = attrs.Factory(current_window)
    """The plausible dates in force when the read began (the team's, within its block)."""
    events_by_items: dict[tuple[Any, ...], Event] = attrs.Factory(dict)
    rows_read: dict[bytes | str, Event] = attrs.Factory(dict)
    """The events decoded by msgspec (``typed_events``, ``events_of_texts``), by their JSON
    text."""
    municipalities: dict[str, Municipality] = attrs.Factory(dict)
    schemes: dict[tuple[Any, ...], CodeScheme] = attrs.Factory(dict)

    def events(self, items: list[object]) -> tuple[Event, ...]:
        """The events ``items`` hold (see ``direct_event``), each built once per read.

        An item's key is its names, then its values, in one flat tuple (``_key``): made, hashed
        and looked up in C for a whole case at once, and an event not seen yet is built from its
        item under the key already made. Only a case with a value that is a table (the service
        that took over, an outcome) takes its items one by one.

        Raises:
            ValueError: an item is not in the usual shape; the cattrs path takes the case.
        """
        known = self.events_by_items
        try:
            keys = [_key(item) for item in items]  # type: ignore[arg-type] # checked below
            found = tuple(map(known.get, keys))
        except (AttributeError, TypeError):  # not a table, or a value that is not hashable
            return self._events_one_by_one(items)
        return _found_or_built(found, keys, known, lambda index: direct_event(items[index]))

    def typed_events(self, texts: list[Any]) -> tuple[Event, ...]:
        """``events`` of a case decoded by msgspec, whose events are their JSON ``texts``
        (``msgspec.Raw``): each text, as bytes, is its event's key, hashed and compared in C as
        one run of bytes, and an event not read before is decoded from it (``event_row``) and
        built from its row's table. An event written otherwise (its names in another order,
        say) is built again under its own text, equal to the other.

        Raises:
            ValueError: an event is not in the usual shape; the cattrs path takes the case.
        """
        return self.events_of_texts(list(map(bytes, texts)))

    def events_of_texts(self, keys: list[bytes] | list[str]) -> tuple[Event, ...]:
        """``typed_events`` of events given as their JSON texts (bytes or text): a register's
        events, read as text, take the same path as a case file's.

        Raises:
            ValueError: an event is not in the usual shape; the cattrs path takes the case.
        """
        known = self.rows_read
        found = tuple(map(known.get, keys))
        if all(found):  # the usual case: every event read before (events are true)
            return found  # type: ignore[return-value] # no None among them
        return _found_or_built(
            found, keys, known, lambda index: direct_event(item_of(event_row(keys[index])))
        )

    def _events_one_by_one(self, items: list[object]) -> tuple[Event, ...]:
        known = self.events_by_items
        found: list[Event] = []
        for item in items:
            if type(item) is not dict:
                raise ValueError(item)
            flat = _key(item)
            key: tuple[Any, ...] | None = flat
            try:
                event = known.get(flat)
            except TypeError:  # a table as a value: the service that took over, an outcome
                key = _table_key(item)
                event = None if key is None else known.get(key)
            if event is None:
                event = direct_event(item)
                if key is not None:  # not when a value is a list (an outcome's scores)
                    known[key] = event
            found.append(event)
        return tuple(found)

    def municipality(self, name: str) -> Municipality:
        found = self.municipalities.get(name)
        if found is None:
            found = self.municipalities[name] = register().get(name)
        return found

    def scheme(self, stored: object) -> CodeScheme:
        """The code scheme a case's ``code_scheme`` holds, or the team's or the default one
        when it holds none.

        Raises:
            ValueError: the stored scheme is not a flat table; the cattrs path takes the case.
        """
        if stored is None:
            return DEFAULT_SCHEME if self.team is None else self.team.code_scheme
        if type(stored) is not dict:
            raise ValueError(stored)
        key = tuple(stored.items())  # a TypeError for a value that is not hashable
        found = self.schemes.get(key)
        if found is None:
            found = self.schemes[key] = case_converter().structure(stored, CodeScheme)
        return found


def _found_or_built(
    found: tuple[Event | None, ...],
    keys: list[Any],
    known: dict[Any, Event],
    build: Callable[[int], Event],
) -> tuple[Event, ...]:
    """The events ``found`` under ``keys`` in ``known``, each miss (None) built by
    ``build(index)`` and kept under its key.

    Raises:
        ValueError: an event is not in the usual shape; the cattrs path takes the case.
    """
    if all(found):  # events are true; None is a miss
        return found  # type: ignore[return-value] # no None among them
    events = list(found)
    for index, event in enumerate(events):
        if event is None:  # an item before it in this case may have built it since
            key = keys[index]
            events[index] = known.get(key) or known.setdefault(key, build(index))
    return tuple(events)  # type: ignore[arg-type] # every miss filled


def _key(item: dict[str, Any]) -> tuple[Any, ...]:
    """A stored event's key: its names, then its values (the length tells them apart).

    Raises:
        AttributeError: ``item`` is not a table.
    """
    return (*item, *item.values())


def _table_key(item: dict[str, Any]) -> tuple[Any, ...] | None:
    """A stored event's key with a flat table as a value (``taken_over_by``) written as its
    items, or ``None`` when a value is not hashable even so (an outcome's scores)."""
    values = (("table", *v.items()) if type(v) is dict else v for v in item.values())
    key = (*item, *values)
    try:
        hash(key)
    except TypeError:
        return None
    return key


def direct_case(data: object, seen: StoredValues) -> Case | None:
    """The case stored in ``data`` built straight from its plain values, or ``None`` when
    anything is unusual.

    Stored cases are read by the thousand: this skips cattrs' generic machinery for data that
    has exactly the shape [`case_to_dict()`][ettervern.interchange.case_to_dict] writes, and the case still
    checks every value and its whole history once, as it is made. Anything else (another
    shape, a bad value, an impossible history) returns ``None``, and the cattrs path builds the
    case or names the bad field by its path.
    """
    found = _direct_written(data, seen)
    return None if found is None else found[0]


def _direct_written(data: object, seen: StoredValues) -> tuple[Case, str] | None:
    """``direct_case`` and ``str()`` of the case's code (see ``_case_of``)."""
    if not isinstance(data, dict) or not data.keys() <= _CASE_KEYS:
        return None
    items = data.get("events")
    if not isinstance(items, list):
        return None
    return _case_of(tuple(map(data.get, _CASE_FIELDS)), seen.events, items, seen)


_CASE_FIELDS = (
    "schema_version",
    "code",
    "municipality",
    "birth_year",
    "gender",
    "person",
    "code_scheme",
)
"""The fields of a stored case ``_case_of`` reads, in its order (the events apart)."""

_row_fields = operator.attrgetter(*_CASE_FIELDS)
"""The same fields of a case decoded by msgspec, read in one call."""


def _case_of(
    fields: tuple[Any, ...],
    events_of: Callable[[list[Any]], tuple[Event, ...]],
    items: list[Any],
    seen: StoredValues,
) -> tuple[Case, str] | None:
    """The case with ``fields`` (the values of ``_CASE_FIELDS``, None when missing) and whose
    events ``events_of(items)`` builds, and ``str()`` of its code, or ``None`` when anything is
    unusual (see ``direct_case``)."""
    try:
        events = events_of(items)
    except Exception:  # whatever it is, the cattrs path names it by its path
        return None
    version, code, municipality, birth_year, gender, person, stored_scheme = fields
    if (
        version != CASE_SCHEMA_VERSION
        or not isinstance(code, str)
        or not isinstance(municipality, str)
        or not (birth_year is None or type(birth_year) is int)
        or not (gender is None or isinstance(gender, str))
        or not (person is None or isinstance(person, str))
    ):
        return None
    try:
        scheme = seen.scheme(stored_scheme)
        place = seen.municipality(municipality)
        parsed, written = parse_written(code, scheme)
        case = stored_case(
            parsed,
            place,
            events,
            birth_year=birth_year,
            gender=gender,
            person=person,
            window=seen.window,
        )
        if case is None:  # the cattrs path names the problem
            return None
        return case if seen.team is None else check_case(case, seen.team), written
    except Exception:  # whatever it is, the cattrs path names it by its path
        return None


def _typed_case(row: Any, seen: StoredValues) -> tuple[Case, str] | None:
    """``direct_case`` of a case decoded by msgspec (``_typed_json.case_rows``), and ``str()``
    of its code: its fields are attributes, a name missing from its table None."""
    rows = row.events
    if rows is None:
        return None
    return _case_of(_row_fields(row), seen.typed_events, rows, seen)


def _plain(name: str, value: object) -> bool:
    """Whether ``value`` is the plain JSON value a stored event's field ``name`` takes as is."""
    if name in _TEXT_FIELDS:
        return isinstance(value, str)
    if name in _OPTIONAL_TEXT_FIELDS:
        return value is None or isinstance(value, str)
    if name in _FLAG_FIELDS:
        return isinstance(value, bool)
    return name == "outcome" and value is None


def direct_event(item: object) -> Event:
    """One stored event built straight from its plain values (see ``direct_case``).

    Raises:
        ValueError: the event is not in the usual shape; the cattrs path takes it.
    """
    tag = item.get("event") if isinstance(item, dict) else None
    cls = _EVENT_TAGS.get(tag) if isinstance(tag, str) else None
    if cls is None or not isinstance(item, dict):
        raise ValueError(item)
    values: dict[str, Any] = {}
    for name, value in item.items():
        if name == "event":
            continue
        if name in _DATE_FIELDS and isinstance(value, str):
            values[name] = dt.date.fromisoformat(value.strip())
        elif name == "outcome" and isinstance(value, dict):
            values[name] = case_converter().structure(value, Outcome)
        elif name == "taken_over_by" and isinstance(value, dict):
            values[name] = case_converter().structure(value, TakeOver)
        elif _plain(name, value):
            values[name] = value
        else:
            raise ValueError(name)
    event: Event = cls(**values)
    return event


def cases_to_json(cases: Iterable[Case], *, indent: int | None = 2) -> str:
    """Write cases as a JSON list of [`case_to_dict()`][ettervern.interchange.case_to_dict] tables."""
    data = [case_to_dict(case) for case in cases]
    check_indent(indent)
    return json.dumps(data, ensure_ascii=False, indent=indent)


def check_indent(indent: int | None) -> None:
    """Refuse a JSON indent outside 0-16 (a huge one would overflow the writer)."""
    if indent is not None and not 0 <= indent <= _MAX_INDENT:
        msg = Message(
            "indent must be between 0 and {high}, got {value!r}", high=_MAX_INDENT, value=indent
        )
        raise InvalidValueError(msg, field="indent", value=indent)


_MAX_INDENT = 16


@drops_input_when_refused
def cases_from_dicts(
    data: Iterable[Mapping[str, Any]],
    *,
    team: Team | None = None,
    source: str | None = None,
    strict: bool = False,
) -> ImportResult[tuple[Case, ...]]:
    """Read cases from plain data, each a table as [`case_to_dict()`][ettervern.interchange.case_to_dict]
    writes it: JSON parsed elsewhere, a document store's records, a register's rows.

    As [`cases_from_json()`][ettervern.cases_from_json] reads: each history checked once, an
    event that several cases hold built once for the whole read (``case_from_dict`` called per
    case builds every event again), ``team`` as in
    [`case_from_dict()`][ettervern.interchange.case_from_dict], the cases accepted and those
    rejected (``strict``: the first rejected raises) in an [`ImportResult`][ettervern.ImportResult].

    Raises:
        ConfigError: ``strict`` and a case is invalid or its code is taken (named by its index
            and path).
    """
    where: str | Message = Message("cases") if source is None else source
    with collector_paused(), plausible_dates_of(team):
        return _cases_from_data(list(data), where, team, strict)


def _cases_from_data(
    data: object, source: str | Message, team: Team | None, strict: bool
) -> ImportResult[tuple[Case, ...]]:
    """The cases of a parsed list, each accepted or rejected with its reason."""
    if not isinstance(data, list):
        raise ConfigError(source, [Message("expected a list of cases at the top level")])
    reading = CaseReading(source, strict)
    seen = StoredValues(team)
    for i, item in enumerate(data):
        _read_one(reading, i, item, seen)
    return reading.result(len(data))


def _read_one(reading: CaseReading, index: int, item: object, seen: StoredValues) -> None:
    """Accept or reject the case ``item`` at ``index`` of the input."""
    if type(item) is not dict and not isinstance(item, Mapping):  # the ABC's check costs more
        problem = Message("expected a table (object) for a case @ {path}", path=f"$[{index}]")
        reading.refuse(index, None, ConfigError(reading.source, [problem]))
        return
    found = _direct_written(item, seen)
    if found is not None:
        reading.accept(index, *found)
        return
    try:  # the usual path, which also names what is wrong by its path
        case = case_from_dict(item, source=reading.where(index), team=seen.team)
    except EttervernError as error:
        reading.refuse(index, item.get("code"), error)
        return
    reading.accept(index, case)


@contextlib.contextmanager
def collector_paused() -> Iterator[None]:
    """Pause Python's cyclic garbage collector while a bulk read builds its cases.

    Reading 100,000 cases makes millions of containers, and the collector ran over all of them
    again and again, finding nothing: cases, events and parsed JSON hold no reference cycles.
    It took 40 % of the time. The collector is switched back on when the read ends, even by an
    error, and only if it was on (another thread's read may end first; it then turns it on).
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()


@drops_input_when_refused
def cases_from_json(
    text: str, *, source: str | None = None, team: Team | None = None, strict: bool = False
) -> ImportResult[tuple[Case, ...]]:
    """Read cases written by [`cases_to_json()`][ettervern.cases_to_json] (``team``: as in
    [`case_from_dict()`][ettervern.interchange.case_from_dict]).

    Each case's history is checked once, as the case is made. With msgspec (the ``fast``
    extra) a text of 2 Mi characters or more is decoded into typed rows in C, each event's
    row its own key among the events read before; without it, for a shorter text or one
    msgspec does not take, the standard library's ``json`` parses it, with the same result
    (orjson, tried before, took 2.7 times the memory at its peak for a read 1.2 times
    faster). The result holds the cases accepted, in order, and one rejected row per case
    rejected: its ``position`` in the list, its ``code`` (hidden
    if it looks like personal data), the ``path`` of the bad field and the ``reason``; a code
    given twice is rejected the second time. With ``strict`` the first rejected case raises.

    >>> import ettervern as e
    >>> result = e.cases_from_json(e.cases_to_json(e.examples.salten_2020().cases))
    >>> len(result.accepted), len(result.rejected)
    (16, 0)

    Raises:
        ConfigError: the text is not JSON or not a list; with ``strict``, a case is invalid
            or its code is taken (named by its index and path).
    """
    return _cases_in(text, Message("cases") if source is None else source, team, strict)


def _cases_in(
    text: str, source: str | Message, team: Team | None, strict: bool
) -> ImportResult[tuple[Case, ...]]:
    """The cases of a JSON text (``cases_from_json``, ``read_cases``), the collector paused
    and, with a team, the team's plausible dates in force."""
    with collector_paused(), plausible_dates_of(team):
        rows = case_rows(text) if len(text) >= TYPED_FROM else None
        if rows is not None:
            return _cases_from_rows(rows, text, source, team, strict)
        return _cases_from_data(_parsed(text, source), source, team, strict)


def _parsed(text: str, source: str | Message) -> object:
    """The JSON ``text`` parsed by ``json``.

    Raises:
        ConfigError: it is not JSON.
    """
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        problem = Message("not valid {format}: {detail}", format="JSON", detail=str(exc))
        raise ConfigError(source, [problem]) from None


def _cases_from_rows(
    rows: list[Any], text: str, source: str | Message, team: Team | None, strict: bool
) -> ImportResult[tuple[Case, ...]]:
    """The cases of the rows msgspec decoded from ``text``, each accepted or rejected as
    ``_cases_from_data`` does: a case the rows cannot build is read from ``text`` parsed by
    ``json`` (parsed once, when the first such case comes), by the same code as before."""
    reading = CaseReading(source, strict)
    seen = StoredValues(team)
    data: list[Any] | None = None
    for i, row in enumerate(rows):
        found = _typed_case(row, seen)
        if found is not None:
            reading.accept(i, *found)
            continue
        if data is None:
            data = json.loads(text)
        _read_one(reading, i, data[i], seen)
    return reading.result(len(rows))


def wrong_suffix(suffix: str, *expected: str) -> Message:
    """The problem of a file name whose suffix is not the one, or either of the two, expected."""
    got = Message("{suffix!r}", suffix=suffix) if suffix else Message("a name with no suffix")
    if len(expected) == 1:
        return Message(
            "expected a file ending in {expected}, got {got}", expected=expected[0], got=got
        )
    first, second = expected
    return Message(
        "expected a file ending in {first} or {second}, got {got}",
        first=first,
        second=second,
        got=got,
    )


@drops_input_when_refused
def read_cases(
    path: str | Path, *, team: Team | None = None, strict: bool = False
) -> ImportResult[tuple[Case, ...]]:
    """Read cases from a ``.json`` file written by [`write_cases()`][ettervern.write_cases]
    (``team``: as in [`case_from_dict()`][ettervern.interchange.case_from_dict]): the cases
    accepted and those rejected, as [`cases_from_json()`][ettervern.cases_from_json] reads them
    (``strict``: the first rejected case raises).

    Raises:
        MissingFileError: the file is missing.
        ConfigError: the file is not JSON or not a list of cases; with ``strict``, a case is
            invalid or its code is taken.
    """
    path = Path(path)
    if path.suffix.lower() != ".json":
        raise ConfigError(str(path), [wrong_suffix(path.suffix, ".json")])
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise MissingFileError(str(path)) from None
    return _cases_in(text, str(path), team, strict)


def write_cases(cases: Iterable[Case], path: str | Path) -> Path:
    """Write cases to a ``.json`` file (see [`cases_to_json()`][ettervern.cases_to_json])."""
    path = Path(path)
    text = cases_to_json(cases) + "\n"
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise unusable_file(exc) from None
    return path


def unreadable(kind: str, exc: Exception) -> Message:
    """The reason a file could not be read as ``kind`` (``"CSV"``, ``"Parquet"``, …): the
    parser's own words."""
    return Message("cannot read it as {kind}: {detail}", kind=kind, detail=str(exc))


def _drop_none(value: Any) -> Any:
    """TOML has no null: leave out keys whose value is None."""
    if isinstance(value, dict):
        return {k: _drop_none(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_drop_none(v) for v in value]
    return value


def _read(path: Path) -> Any:
    suffix = path.suffix.lower()
    try:
        if suffix == ".toml":
            with path.open("rb") as handle:
                return tomllib.load(handle)
        if suffix == ".json":
            with path.open(encoding="utf-8") as handle:
                return json.load(handle)
    except FileNotFoundError:
        raise MissingFileError(str(path)) from None
    except OSError as exc:
        raise unusable_file(exc) from None
    except (tomllib.TOMLDecodeError, json.JSONDecodeError, UnicodeDecodeError) as exc:
        problem = Message(
            "not valid {format}: {detail}", format=suffix[1:].upper(), detail=str(exc)
        )
        raise ConfigError(str(path), [problem]) from None
    raise ConfigError(str(path), [wrong_suffix(suffix, ".toml", ".json")])


def read_team(path: str | Path) -> Team:
    """Read a team from a ``.toml`` or ``.json`` file.

    Raises:
        ConfigError: the file is missing, unreadable, or a field is invalid (named by path).
    """
    path = Path(path)
    data = _read(path)
    if not isinstance(data, dict):
        raise ConfigError(str(path), [Message("expected a table (object) at the top level")])
    return team_from_dict(data, source=str(path))


def write_team(team: Team, path: str | Path) -> Path:
    """Write a team to a ``.toml`` or ``.json`` file; the suffix chooses the format."""
    path = Path(path)
    data = team_to_dict(team)
    suffix = path.suffix.lower()
    if suffix == ".toml":
        text = tomli_w.dumps(_drop_none(data))
    elif suffix == ".json":
        text = json.dumps(data, ensure_ascii=False, indent=2) + "\n"
    else:
        raise ConfigError(str(path), [wrong_suffix(suffix, ".toml", ".json")])
    try:
        path.write_text(text, encoding="utf-8")
    except OSError as exc:
        raise unusable_file(exc) from None
    return path


@drops_input_when_refused
def cases_from_stored(
    stored: Iterable[tuple[Mapping[str, Any], list[str]]],
    *,
    source: str | Message,
    strict: bool,
) -> ImportResult[tuple[Case, ...]]:
    """Cases kept as a register keeps them: each its fields as a table (those
    [`case_to_dict()`][ettervern.interchange.case_to_dict] writes, bar ``events``) and its
    events as their JSON texts, in order. Read as ``cases_from_json`` reads a case file: with
    msgspec each event's text is its key among the events read before and a new one is decoded
    into a typed row (``StoredValues.events_of_texts``); a case that path does not build, or
    every case without msgspec, is read from its events parsed by ``json``, by the code that
    reads ``cases_from_dicts``, which names what is wrong. An event's text that is not JSON
    rejects its case, named by the event's path. The collector is paused; the plausible dates
    are those in force."""
    with collector_paused():
        reading = CaseReading(source, strict)
        seen = StoredValues()
        fast = typed()
        count = 0
        for index, (fields, texts) in enumerate(stored):
            count += 1
            found = _stored_case(fields, texts, seen) if fast else None
            if found is not None:
                reading.accept(index, *found)
                continue
            data = _stored_data(reading, index, fields, texts)
            if data is not None:
                _read_one(reading, index, data, seen)
        return reading.result(count)


_STORED_FIELDS = frozenset(_CASE_FIELDS)


def _stored_case(
    fields: Mapping[str, Any], texts: list[str], seen: StoredValues
) -> tuple[Case, str] | None:
    """``direct_case`` of a stored case whose events are their JSON texts, and ``str()`` of
    its code; ``None`` when anything is unusual (see ``direct_case``)."""
    if not fields.keys() <= _STORED_FIELDS:
        return None
    return _case_of(tuple(map(fields.get, _CASE_FIELDS)), seen.events_of_texts, texts, seen)


def _stored_data(
    reading: CaseReading, index: int, fields: Mapping[str, Any], texts: list[str]
) -> dict[str, Any] | None:
    """The stored case as ``case_to_dict`` writes it, its events parsed by ``json``; ``None``
    when an event's text is not JSON (the case is then rejected, the event named)."""
    events = []
    for position, text in enumerate(texts):
        try:
            events.append(json.loads(text))
        except json.JSONDecodeError as exc:
            problem = Message("not valid {format}: {detail}", format="JSON", detail=str(exc))
            located = Message("{problem} @ {path}", problem=problem, path=f"$.events[{position}]")
            error = ConfigError(reading.where(index), [located])
            reading.refuse(index, fields.get("code"), error)
            return None
    return {**fields, "events": events}
