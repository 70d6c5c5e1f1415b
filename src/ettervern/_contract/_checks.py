"""What each annotation admits: a predicate per annotation, built once and cached.

The checks are shallow and cheap: the outer type, the members of a tuple, list or set. Numbers
must be finite (no NaN or infinity); a date must be a ``datetime.date``, not a datetime; an int
is no bool, but a bool is an int (as for type checkers). One small builder per kind of
annotation, looked up by its ``typing`` origin or its class.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import math
import numbers
import re
import types
import typing
from collections import abc
from collections.abc import Callable
from pathlib import PurePath
from typing import Any

import attrs

__all__ = ["CONVERTER_INPUTS", "Check", "Converted", "checker", "describe"]

Check = Callable[[object], bool]


def _anything(_: object) -> bool:
    return True


def _is_none(value: object) -> bool:
    return value is None


def _is_finite(value: object) -> bool:
    return (
        isinstance(value, numbers.Real)
        and not isinstance(value, bool)
        and math.isfinite(float(value))
    )


def _is_integral(value: object) -> bool:  # a bool is an int, as for type checkers
    return isinstance(value, numbers.Integral)


def _is_bool(value: object) -> bool:  # but an int is no bool: 1 would be stored, and written, as 1
    return isinstance(value, bool)


def _is_date(value: object) -> bool:  # a date, not a datetime: a time of day has no place here
    return isinstance(value, dt.date) and not isinstance(value, dt.datetime)


def _is_path(value: object) -> bool:
    return isinstance(value, PurePath)


def _is_readable(value: object) -> bool:
    return hasattr(value, "read")


def _is_mapping(value: object) -> bool:
    return isinstance(value, abc.Mapping)


def _instance_of(kinds: type | tuple[type, ...]) -> Check:
    return lambda value: isinstance(value, kinds)


def element_check(check: Check, kinds: type | None = None) -> Check:
    """A check for a collection: not text, and each member of a list, tuple or set passes
    (``kinds``: the class ``check`` tests with ``isinstance`` alone, when it is such a check;
    the members are then tested in one pass run in C: the 100,000 cases of a report)."""

    def inner(value: object) -> bool:
        if isinstance(value, str | bytes) or not isinstance(value, abc.Iterable):
            return False
        if isinstance(value, list | tuple | set | frozenset):
            if kinds is not None:
                return all(map(isinstance, value, itertools.repeat(kinds)))
            return all(check(member) for member in value)
        return True  # an iterator: its members are checked where they are used

    return inner


@attrs.frozen
class Converted:
    """The input an attrs converter takes, standing in for a field's annotation."""

    converter: object

    def __str__(self) -> str:
        return "a finite number" if self.converter is float else "a collection"


CONVERTER_INPUTS: dict[object, Check] = {
    tuple: element_check(_anything),
    frozenset: element_check(_anything),
    list: element_check(_anything),
    float: _is_finite,
}
"""What the common attrs converters take: a collection that is not text, a finite number."""

_SPECIAL = (float, int, bool, dt.date, PurePath)
"""Classes whose check is more than ``isinstance`` (finite, not a bool, not a datetime)."""


def _plain_class(annotation: Any) -> bool:
    """Whether ``annotation`` is checked by ``isinstance`` alone."""
    return (
        isinstance(annotation, type)
        and typing.get_origin(annotation) is None
        and annotation not in _SPECIAL
        and not getattr(annotation, "_is_protocol", False)
        and annotation is not object
    )


def _literal(arguments: tuple[Any, ...]) -> Check:
    """The type of the choices: which choice is the function's own business."""
    return _instance_of(tuple({type(argument) for argument in arguments}))


def _union(arguments: tuple[Any, ...]) -> Check | None:
    checks = [checker(argument) for argument in arguments]
    if any(check is None for check in checks):
        return None
    # Plain classes (``Acceptance | Decline | …``) as one isinstance test, the rest one by one.
    plain = tuple(a for a in arguments if _plain_class(a))
    others = [c for a, c in zip(arguments, checks, strict=True) if not _plain_class(a)]
    if not others:
        return _instance_of(plain)
    return lambda value: isinstance(value, plain) or any(c(value) for c in others)  # type: ignore[misc]


def _tuple(arguments: tuple[Any, ...]) -> Check:
    if len(arguments) == 2 and arguments[1] is Ellipsis:
        member = checker(arguments[0]) or _anything
        return lambda value: isinstance(value, tuple) and all(member(v) for v in value)
    parts = [checker(a) or _anything for a in arguments]
    return lambda value: (
        isinstance(value, tuple)
        and len(value) == len(parts)
        and all(check(v) for check, v in zip(parts, value, strict=True))
    )


def _collection(arguments: tuple[Any, ...]) -> Check:
    each = checker(arguments[0]) if arguments else None
    plain = None  # the class whose ``isinstance`` is the members' whole check, if one is
    if each is not None and _plain_class(arguments[0]) and arguments[0] not in _BY_CLASS:
        plain = arguments[0]
    return element_check(each or _anything, plain)


def _mapping(_: tuple[Any, ...]) -> Check:
    return _is_mapping


def _readable(_: tuple[Any, ...]) -> Check:
    return _is_readable


_COLLECTIONS = (abc.Iterable, abc.Sequence, abc.Collection, list, set, frozenset, abc.Set)

_BY_ORIGIN: dict[object, Callable[[tuple[Any, ...]], Check | None]] = {
    typing.Literal: _literal,
    typing.Union: _union,
    types.UnionType: _union,
    tuple: _tuple,
    **dict.fromkeys(_COLLECTIONS, _collection),
    abc.Mapping: _mapping,
    dict: _mapping,
    typing.IO: _readable,
}
"""The builder of a generic annotation's check, by its origin (``list`` for ``list[str]``)."""

_BY_CLASS: dict[object, Check] = {
    float: _is_finite,
    int: _is_integral,
    bool: _is_bool,
    dt.date: _is_date,
    PurePath: _is_path,
    typing.IO: _is_readable,
}
"""The checks of the classes that take more than ``isinstance``."""


def _protocol(annotation: Any) -> Check:
    """A protocol: the members it names."""
    members = {n for n in vars(annotation) if not n.startswith("_")}
    members |= set(getattr(annotation, "__annotations__", {}))
    return lambda value: all(hasattr(value, member) for member in members)


def _class_check(annotation: Any) -> Check | None:
    fixed = _BY_CLASS.get(annotation)
    if fixed is not None:
        return fixed
    if getattr(annotation, "_is_protocol", False):
        return _protocol(annotation)
    if isinstance(annotation, type):  # enums too: their keys are looked up by the guard
        return _instance_of(annotation)
    return None


@functools.cache
def checker(annotation: Any) -> Check | None:
    """A predicate for ``annotation``, or None when anything goes."""
    if isinstance(annotation, Converted):
        return CONVERTER_INPUTS[annotation.converter]
    if isinstance(annotation, typing.TypeVar):
        return None if annotation.__bound__ is None else checker(annotation.__bound__)
    if annotation is Any or annotation is object:
        return None
    if annotation is None or annotation is type(None):
        return _is_none
    origin = typing.get_origin(annotation)
    if origin is None:
        return _class_check(annotation)
    build = _BY_ORIGIN.get(origin)
    return _instance_of(origin) if build is None else build(typing.get_args(annotation))


def describe(annotation: Any) -> str:
    """The expected type in Python's own words, such as ``str | None`` (``datetime.date`` in
    full, so that it is not taken for a datetime)."""
    if annotation is dt.date:
        return "datetime.date"
    if isinstance(annotation, type) and typing.get_origin(annotation) is None:
        return annotation.__name__
    return re.sub(r"\b(?:\w+\.)+(\w+)", r"\1", str(annotation))
