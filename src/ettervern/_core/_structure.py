"""Structuring plain data (TOML, JSON) into the library's values with cattrs, and back.

The hooks for the core values (dates, municipalities, case codes, category catalogs, report
groups, enums by their stable keys) and the translation of cattrs' errors into
[`ConfigError`][ettervern.errors.ConfigError] problems that name each bad field by its path
(``$.members[2].since``). Higher layers extend a converter made here with hooks of their own
(``io`` adds cases); [`make_converter()`][ettervern.interchange.make_converter] is the public factory.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Mapping, Sequence
from typing import Any, TypeVar

import cattrs
from cattrs.errors import (
    AttributeValidationNote,
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_structure_fn

from ettervern._core._categories import CategoryCatalog, ReportGroup
from ettervern._core._codes import CaseCode, CodeScheme
from ettervern._core._municipalities import Municipality, register
from ettervern._core._outcomes import enum_member
from ettervern._data import read_toml
from ettervern._l10n import N_, Message
from ettervern.errors import (
    CaseCodeError,
    ConfigError,
    EttervernError,
    InvalidValueError,
)

__all__ = [
    "base_converter",
    "builtin_catalog",
    "catalog_from_dict",
    "configure",
    "problems",
    "shipped_key",
    "structure",
]

T = TypeVar("T")


def _structure_date(value: object, _: type) -> dt.date:
    if isinstance(value, dt.datetime):
        msg = Message("expected a date without a time of day, got {value!r}", value=value)
        raise InvalidValueError(msg, value=value)
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value.strip())
        except ValueError:
            pass
    msg = Message("expected a date as YYYY-MM-DD, got {value!r}", value=value)
    raise InvalidValueError(msg, value=value)


def _structure_municipality(value: object, _: type) -> Municipality:
    if not isinstance(value, str):
        msg = Message("expected a municipality name or number, got {value!r}", value=value)
        raise InvalidValueError(msg, value=value)
    return register().get(value)


def _structure_case_code(value: object, _: type) -> CaseCode:
    if not isinstance(value, str):
        raise CaseCodeError(value, CodeScheme().describe(), Message("it is not text"))
    return CaseCode.parse(value)


def _structure_bool(value: object, _: type) -> bool:
    """Only ``true`` or ``false``: cattrs' own hook is ``bool(value)``, which reads the text
    ``"false"``, ``2`` and ``0.5`` as true."""
    if isinstance(value, bool):
        return value
    msg = Message("expected true or false, got {value!r}", value=value)
    raise InvalidValueError(msg, value=value)


def _structure_int(value: object, _: type) -> int:
    """Only a whole number: cattrs' own hook is ``int(value)``, which cuts ``1980.7`` to 1980
    and reads ``true`` as 1."""
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    msg = Message("expected a whole number, got {value!r}", value=value)
    raise InvalidValueError(msg, value=value)


def _is_report_groups(cls: object) -> bool:
    return cls == frozenset[ReportGroup]


def _structure_groups(value: object, _: type) -> frozenset[ReportGroup]:
    if isinstance(value, str) or not hasattr(value, "__iter__"):
        msg = Message("expected a list of report groups, got {value!r}", value=value)
        raise InvalidValueError(msg, value=value)
    return frozenset(ReportGroup(v) for v in value)


def _structure_key_enum(value: object, cls: type[enum.StrEnum]) -> enum.StrEnum:
    return enum_member(cls, "value", value)


def configure(converter: cattrs.Converter) -> None:
    converter.register_structure_hook(bool, _structure_bool)
    converter.register_structure_hook(int, _structure_int)
    converter.register_structure_hook(dt.date, _structure_date)
    converter.register_unstructure_hook(dt.date, dt.date.isoformat)
    converter.register_structure_hook(Municipality, _structure_municipality)
    converter.register_unstructure_hook(Municipality, lambda m: m.name)
    converter.register_structure_hook(CaseCode, _structure_case_code)
    converter.register_unstructure_hook(CaseCode, str)
    catalog_from_mapping = make_dict_structure_fn(
        CategoryCatalog, converter, _cattrs_forbid_extra_keys=True
    )

    def structure_catalog(value: object, cls: type) -> CategoryCatalog:
        # A catalog is either the name of a built-in one or a table of categories.
        if isinstance(value, str):
            return builtin_catalog(value)
        if not isinstance(value, Mapping):
            msg = Message(
                "expected a built-in catalog name or a table of categories, got {value!r}",
                value=value,
            )
            raise InvalidValueError(msg, value=value)
        return catalog_from_mapping(value, cls)

    converter.register_structure_hook(CategoryCatalog, structure_catalog)
    is_groups = _is_report_groups
    converter.register_structure_hook_func(is_groups, _structure_groups)
    converter.register_unstructure_hook_func(
        is_groups, lambda groups: sorted(g.value for g in groups)
    )
    # Our enums by their stable English keys, with a message that lists them.
    # Registered on the base class: cattrs dispatches subclasses to it, ahead of its own enum hook.
    converter.register_structure_hook(enum.StrEnum, _structure_key_enum)
    converter.register_unstructure_hook(enum.StrEnum, lambda member: str(member.value))


def base_converter() -> cattrs.Converter:
    """A new converter that knows the core values (see the module's docstring)."""
    converter = cattrs.Converter(forbid_extra_keys=True)
    configure(converter)
    return converter


@functools.cache
def _converter() -> cattrs.Converter:
    return base_converter()


def _describe(exc: BaseException, type_: type | None) -> Message:
    """Say what was wrong with one field: our own messages as they are, cattrs' in our words."""
    if isinstance(exc, EttervernError):
        return exc.message
    if isinstance(exc, ForbiddenExtraKeysError):
        return Message("unknown fields: {fields!r}", fields=sorted(exc.extra_fields))
    if isinstance(exc, KeyError):
        return Message("required field missing")
    if isinstance(exc, ValueError | TypeError) and type_ is not None:
        name = getattr(type_, "__name__", repr(type_))
        return Message("invalid value, expected {type}", type=name)
    return Message("invalid value ({detail})", detail=str(exc))


def problems(exc: BaseException, path: str = "$") -> list[Message]:
    """One message per bad field, each naming it by path (``$.members[2].since``).

    The walk of `cattrs.transform_error`, with messages the catalogs translate.
    """
    if isinstance(exc, ConfigError):  # a nested file or catalog: its own problems, here
        return [Message("{problem} @ {path}", problem=p, path=path) for p in exc.problem_messages]
    if not isinstance(exc, ClassValidationError | IterableValidationError):
        return [Message("{problem} @ {path}", problem=_describe(exc, None), path=path)]
    found: list[Message] = []
    with_notes, without = exc.group_exceptions()
    for inner, note in with_notes:
        if isinstance(note, AttributeValidationNote):
            where = f"{path}.{note.name}"
        else:
            where = f"{path}[{note.index!r}]"
        if isinstance(inner, ClassValidationError | IterableValidationError | ConfigError):
            found += problems(inner, where)
        else:
            problem = _describe(inner, note.type)
            found.append(Message("{problem} @ {path}", problem=problem, path=where))
    for inner in without:
        found += problems(inner, path)
    return found


def structure(
    data: object, cls: type[T], source: str | Message, converter: cattrs.Converter | None = None
) -> T:
    """``data`` as a ``cls``, or a [`ConfigError`][ettervern.errors.ConfigError] naming each bad
    field by its path."""
    try:
        return (converter or _converter()).structure(data, cls)
    except cattrs.BaseValidationError as exc:
        raise ConfigError(source, problems(exc)) from None
    except ConfigError as exc:
        raise ConfigError(source, exc.problem_messages) from None
    except EttervernError as exc:  # raised by a hook of the whole value: its message has the path
        raise ConfigError(source, [exc.message]) from None


def catalog_from_dict(
    data: Mapping[str, Any], *, source: str | Message | None = None
) -> CategoryCatalog:
    """Build a [`CategoryCatalog`][ettervern.CategoryCatalog] from plain data, as read from JSON or
    TOML."""
    where = Message("catalog") if source is None else source
    return structure(dict(data), CategoryCatalog, where)


_BUILTIN_CATALOGS = ("integrated", "jaeren", "salten")


def shipped_key(name: str, known: Sequence[str], problem: str, what: Message) -> str:
    """The key of a file shipped with the library (a catalog, a template, a team) that ``name``
    names, in any case, with *æ* written *ae* or not (``"Jæren"`` is ``"jaeren"``).

    Raises:
        ConfigError: about ``what``, with ``problem`` (a template of ``{name}`` and ``{known}``).
    """
    key = name.strip().casefold().replace("æ", "ae")
    if key not in known:
        raise ConfigError(what, [Message(problem, name=name, known=list(known))])
    return key


@functools.cache
def builtin_catalog(name: str) -> CategoryCatalog:
    """A category catalog shipped with the library, by name (``"salten"``).

    Raises:
        ConfigError: there is no such catalog.
    """
    key = shipped_key(
        name,
        _BUILTIN_CATALOGS,
        N_("no built-in catalog {name!r}; choose one of {known!r}"),
        Message("catalog name"),
    )
    where = Message("catalog {name!r}", name=key)
    return catalog_from_dict(read_toml("categories", f"{key}.toml"), source=where)
