"""The one error contract at the public boundary: arguments of the wrong type are refused.

Every public callable answers bad input with an error from ``ettervern.errors``. Most rules
of the domain are checked where the value is built (attrs validators); what those rules cannot
see is an argument of the wrong *type*, which would otherwise surface as a bare
``TypeError`` or ``AttributeError`` from deep inside pandas or the standard library.
``enforce`` wraps the public functions and the public classes' constructors and methods so
that each argument is checked against its annotation first, shallowly and cheaply: the outer
type, the members of a tuple, list or set. Numbers must be finite (no NaN or infinity); a
date must be a ``datetime.date``, not a datetime, and lie in the years pandas can hold
(1678-2261); an enum's key (``"prison"``) is passed on as its member.

Messages name the parameter, the expected type and the type given, never the value: a value of
the wrong type may be anything, including a person's name.

Only the outermost call is checked: while a checked call runs, the library's calls to its own
public API in the same thread go straight through (their arguments were checked on the way in,
or the library made them). The common call is bound without ``inspect.Signature.bind``; a call
that binds in any unusual way takes the thorough path, which also words the error.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import enum
import functools
import inspect
import math
import numbers
import re
import threading
import types
import typing
from collections import abc
from collections.abc import Callable, Iterable, Iterator
from pathlib import PurePath
from typing import Any

import attrs

from ettervern._core._outcomes import enum_member
from ettervern._l10n import Message
from ettervern.errors import InvalidValueError, WrongTypeError

__all__ = ["EARLIEST", "LATEST", "calls_within", "check_date", "check_year", "enforce"]

EARLIEST = dt.date(1678, 1, 1)
"""The earliest date the library accepts anywhere (pandas' datetime64[ns] starts in 1677)."""
LATEST = dt.date(2261, 12, 31)
"""The latest date the library accepts anywhere (pandas' datetime64[ns] ends in 2262)."""

_Check = Callable[[object], bool]


def check_year(field: str, value: int) -> None:
    """Refuse a year outside the years of ``EARLIEST`` - ``LATEST``."""
    if not EARLIEST.year <= value <= LATEST.year:
        msg = Message(
            "{field} must be a year between {low} and {high}, got {value}",
            field=field,
            low=EARLIEST.year,
            high=LATEST.year,
            value=value,
        )
        raise InvalidValueError(msg, field=field, value=value)


def check_date(field: str, value: dt.date) -> None:
    """Refuse a date outside ``EARLIEST`` - ``LATEST`` with ``InvalidValueError``."""
    day = value.date() if isinstance(value, dt.datetime) else value
    if not EARLIEST <= day <= LATEST:
        msg = Message(
            "{field} must be a date between {low} and {high}, got {value}",
            field=field,
            low=EARLIEST,
            high=LATEST,
            value=day,
        )
        raise InvalidValueError(msg, field=field, value=day)


def _is_text(value: object) -> bool:
    return isinstance(value, str | bytes)


def _anything(_: object) -> bool:
    return True


def _element_check(check: _Check) -> _Check:
    """A check for a collection: not text, and each member of a list, tuple or set passes."""

    def inner(value: object) -> bool:
        if _is_text(value) or not isinstance(value, abc.Iterable):
            return False
        if isinstance(value, list | tuple | set | frozenset):
            return all(check(member) for member in value)
        return True  # an iterator: its members are checked where they are used

    return inner


@attrs.frozen
class _Converted:
    """The input an attrs converter takes, standing in for a field's annotation."""

    converter: object

    def __str__(self) -> str:
        return "a finite number" if self.converter is float else "a collection"


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


@functools.cache
def _checker(annotation: Any) -> _Check | None:  # noqa: PLR0911, PLR0912 - one branch per kind
    """A predicate for ``annotation``, or None when anything goes."""
    if isinstance(annotation, _Converted):
        return _CONVERTER_INPUTS[annotation.converter]
    if isinstance(annotation, typing.TypeVar):
        return None if annotation.__bound__ is None else _checker(annotation.__bound__)
    if annotation is Any or annotation is object:
        return None
    if annotation is None or annotation is type(None):
        return lambda value: value is None
    origin = typing.get_origin(annotation)
    arguments = typing.get_args(annotation)
    if origin is typing.Literal:
        kinds = tuple({type(argument) for argument in arguments})  # the choices: the function's
        return lambda value: isinstance(value, kinds)
    if origin in (typing.Union, types.UnionType):
        checks = [_checker(argument) for argument in arguments]
        if any(check is None for check in checks):
            return None
        # Plain classes (``Acceptance | Decline | …``) as one isinstance test, the rest one by one.
        plain = tuple(a for a in arguments if _plain_class(a))
        others = [c for a, c in zip(arguments, checks, strict=True) if not _plain_class(a)]
        if not others:
            return lambda value: isinstance(value, plain)
        return lambda value: isinstance(value, plain) or any(c(value) for c in others)  # type: ignore[misc]
    if origin is tuple:
        if len(arguments) == 2 and arguments[1] is Ellipsis:
            member = _checker(arguments[0]) or _anything
            return lambda value: isinstance(value, tuple) and all(member(v) for v in value)
        parts = [_checker(a) or _anything for a in arguments]
        return lambda value: (
            isinstance(value, tuple)
            and len(value) == len(parts)
            and all(check(v) for check, v in zip(parts, value, strict=True))
        )
    if origin in (abc.Iterable, abc.Sequence, abc.Collection, list, set, frozenset, abc.Set):
        each = _checker(arguments[0]) if arguments else None
        return _element_check(each or _anything)
    if origin in (abc.Mapping, dict):
        return lambda value: isinstance(value, abc.Mapping)
    if origin is typing.IO or annotation is typing.IO:
        return lambda value: hasattr(value, "read")
    if origin is not None:
        return lambda value: isinstance(value, origin)
    if annotation is float:
        return lambda value: (
            isinstance(value, numbers.Real)
            and not isinstance(value, bool)
            and math.isfinite(float(value))
        )
    if annotation is int:  # a bool is an int, as for type checkers
        return lambda value: isinstance(value, numbers.Integral)
    if annotation is bool:  # but an int is no bool: 1 would be stored, and written, as 1
        return lambda value: isinstance(value, bool)
    if annotation is dt.date:  # a date, not a datetime: a time of day has no place here
        return lambda value: isinstance(value, dt.date) and not isinstance(value, dt.datetime)
    if isinstance(annotation, type) and issubclass(annotation, enum.Enum):
        return lambda value: isinstance(value, annotation)
    if annotation is PurePath:
        return lambda value: isinstance(value, PurePath)
    if getattr(annotation, "_is_protocol", False):  # a protocol: the members it names
        members = {n for n in vars(annotation) if not n.startswith("_")}
        members |= set(getattr(annotation, "__annotations__", {}))
        return lambda value: all(hasattr(value, member) for member in members)
    if isinstance(annotation, type):
        return lambda value: isinstance(value, annotation)
    return None


def _enum_of(annotation: Any) -> type[enum.Enum] | None:
    """The one enum a parameter takes (``ReportGroup | str``), if it takes exactly one."""
    options = typing.get_args(annotation) if typing.get_origin(annotation) else (annotation,)
    found = [o for o in options if isinstance(o, type) and issubclass(o, enum.Enum)]
    return found[0] if len(found) == 1 else None


def _describe(annotation: Any) -> str:
    """The expected type in Python's own words, such as ``str | None`` (``datetime.date`` in
    full, so that it is not taken for a datetime)."""
    if annotation is dt.date:
        return "datetime.date"
    if isinstance(annotation, type) and typing.get_origin(annotation) is None:
        return annotation.__name__
    return re.sub(r"\b(?:\w+\.)+(\w+)", r"\1", str(annotation))


_FALLBACK: dict[str, Any] = {}
"""Names to resolve annotations with when a module imports them only for type checkers."""


def _hints(function: Callable[..., Any]) -> dict[str, Any]:
    """The annotations of ``function`` (or a class's fields), each resolved on its own: one
    that cannot be resolved at run time (a name imported only for type checkers) is skipped."""
    if isinstance(function, type):
        raw: dict[str, Any] = {}
        for klass in reversed(function.__mro__):
            raw.update(inspect.get_annotations(klass))
        namespace = vars(inspect.getmodule(function) or typing)
    else:
        raw = inspect.get_annotations(function)
        namespace = getattr(function, "__globals__", {})
    namespace = {**_FALLBACK, **namespace}
    hints = {}
    for name, annotation in raw.items():
        try:
            hints[name] = eval(annotation, namespace) if isinstance(annotation, str) else annotation
        except Exception:
            continue
    return hints


_CONVERTER_INPUTS: dict[object, _Check] = {
    tuple: _element_check(_anything),
    frozenset: _element_check(_anything),
    list: _element_check(_anything),
    float: lambda value: (
        isinstance(value, numbers.Real) and not isinstance(value, bool) and math.isfinite(value)
    ),
}
"""What the common attrs converters take: a collection that is not text, a finite number."""


def _normalised(name: str, value: object, choices: type[enum.Enum] | None) -> object:
    """``value`` as the function takes it (an enum's key as its member); dates and years
    outside the range the library works in are refused."""
    if choices is not None and isinstance(value, str) and not isinstance(value, choices):
        value = enum_member(choices, name, value)
    if isinstance(value, dt.date):
        check_date(name, value)
    elif name == "year" and isinstance(value, int):
        check_year(name, value)
    return value


class _Inside(threading.local):
    """Whether this thread is already inside a checked call (one per thread)."""

    active = False


_INSIDE = _Inside()
"""Set while a checked call runs: the library's calls to its own public API are not checked
again. Their arguments were checked where they came in, or the library made them; checking
them at every level cost more than the work itself (four of every five checked calls were
the library calling itself)."""


@contextlib.contextmanager
def calls_within() -> Iterator[None]:
    """Within this block the library's calls to its own public API go straight through, as
    they do inside a checked call, whoever called the code that opens it.

    For library code that calls public methods many times with values it made or checked, and
    may run outside any checked call: a report's pass over 100,000 cases called from its own
    layer, or a property read. Half the time of such a pass went to checks of its own calls.
    """
    inside = _INSIDE
    if inside.active:
        yield
        return
    inside.active = True
    try:
        yield
    finally:
        inside.active = False


def _plan(
    signature: inspect.Signature, hints: dict[str, Any]
) -> tuple[dict[str, tuple[_Check, Any]], set[str], dict[str, type[enum.Enum]]]:
    """What to check of each parameter: (check, annotation) by name, the names of ``*args``
    parameters (checked member by member), and the enum each parameter's text stands for."""
    checks: dict[str, tuple[_Check, Any]] = {}
    spread: set[str] = set()
    enums: dict[str, type[enum.Enum]] = {}
    for name, parameter in signature.parameters.items():
        if name not in hints or parameter.kind is parameter.VAR_KEYWORD:
            continue
        if parameter.kind is parameter.VAR_POSITIONAL:
            spread.add(name)
        check = _checker(hints[name])
        if check is not None:
            checks[name] = (check, hints[name])
        choices = _enum_of(hints[name])
        if choices is not None:
            enums[name] = choices
    return checks, spread, enums


_Validate = Callable[[Any], Any]

_EXACT = (str, bool, int)
"""Classes whose check an argument of that very class always passes (not ``float``, which
must also be finite)."""


def _validator(
    name: str, check: _Check, annotation: Any, choices: type[enum.Enum] | None
) -> _Validate:
    """The check of one parameter: its value, normalised (``_normalised``), or an error."""
    takes_dates = check(dt.date(2000, 1, 1))
    plain = choices is None and name != "year" and not takes_dates
    # The common cases, in short: a value of the very class the parameter names (``str``,
    # ``bool``), and an enum's key (``"completed"``), looked up as ``enum_member`` would.
    exact = annotation if plain and annotation in _EXACT else None
    by_key = {} if choices is None else {m.value: m for m in choices if type(m.value) is str}

    def validate(value: Any) -> Any:
        kind = type(value)
        if kind is exact:
            return value
        if takes_dates and kind is dt.date and EARLIEST <= value <= LATEST:
            return value
        if kind is str and by_key:
            member = by_key.get(value)
            if member is not None:
                return member
        if not check(value):
            raise WrongTypeError.of(name, _describe(annotation), value)
        return value if plain else _normalised(name, value, choices)

    return validate


@attrs.frozen
class _Call:
    """How a checked function's arguments are bound, worked out once, for the fast path.

    The fast path takes calls with no ``*args`` parameter and no missing, repeated or unknown
    argument; anything else goes through ``inspect.Signature.bind``, which words the error.
    Everything is indexed by the number of positional arguments given, ``i``.
    """

    taken: tuple[frozenset[str], ...]
    """The names the first ``i`` positional arguments give (one more is too many)."""
    allowed: tuple[frozenset[str] | None, ...]
    """The names a keyword may have after ``i`` positional arguments (None: any but those
    ``taken``, the function takes ``**kwargs``)."""
    still_needed: tuple[frozenset[str], ...]
    """The required parameters not given by the first ``i`` positional arguments."""
    by_position: tuple[tuple[tuple[int, _Validate], ...], ...]
    """The checks of the first ``i`` positional arguments."""
    by_keyword: dict[str, _Validate]

    @classmethod
    def plan(cls, signature: inspect.Signature, validators: dict[str, _Validate]) -> _Call | None:
        parameters = list(signature.parameters.values())
        if any(p.kind is p.VAR_POSITIONAL for p in parameters):
            return None
        kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
        positional = [p.name for p in parameters if p.kind in kinds]
        named = (inspect.Parameter.POSITIONAL_OR_KEYWORD, inspect.Parameter.KEYWORD_ONLY)
        keywords = frozenset(p.name for p in parameters if p.kind in named)
        required = [
            p.name for p in parameters if p.default is p.empty and p.kind is not p.VAR_KEYWORD
        ]
        counts = range(len(positional) + 1)
        spread = any(p.kind is p.VAR_KEYWORD for p in parameters)
        return cls(
            taken=tuple(frozenset(positional[:given]) for given in counts),
            allowed=tuple(
                None if spread else keywords - frozenset(positional[:given]) for given in counts
            ),
            still_needed=tuple(
                frozenset(n for n in required if n not in positional[:given]) for given in counts
            ),
            by_position=tuple(
                tuple(
                    (i, validators[n]) for i, n in enumerate(positional[:given]) if n in validators
                )
                for given in counts
            ),
            by_keyword={n: v for n, v in validators.items() if n in keywords},
        )


def _thorough(
    function: Callable[..., Any],
    signature: inspect.Signature,
    checks: dict[str, tuple[_Check, Any]],
    spread: set[str],
    validators: dict[str, _Validate],
) -> Callable[[tuple[Any, ...], dict[str, Any]], tuple[tuple[Any, ...], dict[str, Any]]]:
    """The slow and thorough check of a call: ``Signature.bind``, which also words the error
    of a call that does not bind, then each argument; returns the arguments, normalised."""

    def checked(
        args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        try:
            bound = signature.bind(*args, **kwargs)
        except TypeError as exc:
            msg = Message("{function}: {problem}", function=function.__qualname__, problem=str(exc))
            raise WrongTypeError(msg, field=None, expected="", given="") from None
        for name in checks.keys() & bound.arguments.keys():
            if name in spread:
                check, annotation = checks[name]
                for item in bound.arguments[name]:
                    if not check(item):
                        raise WrongTypeError.of(name, _describe(annotation), item)
            else:
                bound.arguments[name] = validators[name](bound.arguments[name])
        return bound.args, bound.kwargs

    return checked


def _guard(function: Callable[..., Any], hints: dict[str, Any]) -> Callable[..., Any]:
    """``function`` with each annotated argument checked before it runs."""
    signature = inspect.signature(function)
    checks, spread, enums = _plan(signature, hints)
    if not checks:
        return _entered(function)
    validators = {
        name: _validator(name, check, annotation, enums.get(name))
        for name, (check, annotation) in checks.items()
        if name not in spread
    }
    call = _Call.plan(signature, validators)

    checked = _thorough(function, signature, checks, spread, validators)
    if call is None:
        taken: tuple[frozenset[str], ...] = ()
        allowed: tuple[frozenset[str] | None, ...] = ()
        still_needed: tuple[frozenset[str], ...] = ()
        by_position: tuple[tuple[tuple[int, _Validate], ...], ...] = ()
        by_keyword: dict[str, _Validate] = {}
    else:
        taken, allowed, still_needed = call.taken, call.allowed, call.still_needed
        by_position, by_keyword = call.by_position, call.by_keyword
    most = len(taken) - 1
    inside = _INSIDE

    @functools.wraps(function)
    def guarded(*args: Any, **kwargs: Any) -> Any:
        if inside.active:  # the library calling itself
            return function(*args, **kwargs)
        count = len(args)
        plain = False  # True when the call binds as is: no name repeated, unknown or missing
        if count <= most:  # never when there is no plan (most is -1)
            names = kwargs.keys()
            allow = allowed[count]
            plain = (
                names <= allow if allow is not None else names.isdisjoint(taken[count])
            ) and names >= still_needed[count]
        if not plain:
            args, kwargs = checked(args, kwargs)
        else:
            positions = by_position[count]
            if positions:
                values = list(args)
                for position, validate in positions:
                    values[position] = validate(values[position])
                args = tuple(values)
            for name, value in kwargs.items():
                keyed = by_keyword.get(name)
                if keyed is not None:
                    kwargs[name] = keyed(value)
        inside.active = True
        try:
            return function(*args, **kwargs)
        finally:
            inside.active = False

    guarded.__ettervern_guarded__ = True  # type: ignore[attr-defined]
    return guarded


def _entered(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, which has no argument to check, still marked as a checked call while it
    runs: the library's calls to its own public API inside it go straight through, as inside
    any other (an example year built by ``examples.salten_2020()`` made 800 checked calls)."""

    @functools.wraps(function)
    def entered(*args: Any, **kwargs: Any) -> Any:
        with calls_within():
            return function(*args, **kwargs)

    entered.__ettervern_guarded__ = True  # type: ignore[attr-defined]
    return entered


def _first_parameter_hint(function: Callable[..., Any]) -> Any:
    """The annotation of the first parameter of ``function``, if it has one."""
    parameters = list(inspect.signature(function).parameters)
    return _hints(function).get(parameters[0]) if parameters else None


def _enforce_class(cls: type) -> None:
    if cls.__dict__.get("__ettervern_guarded__"):
        return
    cls.__ettervern_guarded__ = True  # type: ignore[attr-defined]
    init = cls.__dict__.get("__init__")
    if init is not None and attrs.has(cls):
        hints = _hints(cls)
        aliases = {a.alias: a.name for a in attrs.fields(cls)}
        by_alias = {alias: hints[name] for alias, name in aliases.items() if name in hints}
        for field in attrs.fields(cls):
            if field.converter is not None:
                by_alias.pop(field.alias, None)
                if field.converter in _CONVERTER_INPUTS:
                    by_alias[field.alias] = _Converted(field.converter)
                elif inspect.isfunction(field.converter):  # what the converter takes
                    takes = _first_parameter_hint(field.converter)
                    if takes is not None:
                        by_alias[field.alias] = takes
        cls.__init__ = _guard(init, by_alias)  # type: ignore[method-assign]
    elif init is not None:
        cls.__init__ = _guard(init, _hints(init))  # type: ignore[misc]
    for name, member in list(vars(cls).items()):
        if name.startswith("_"):
            continue
        if isinstance(member, classmethod | staticmethod):
            function = member.__func__
            guarded = _guard(function, _hints(function))
            setattr(cls, name, type(member)(guarded))
        elif inspect.isfunction(member):
            setattr(cls, name, _guard(member, _hints(member)))


def enforce(namespace: dict[str, Any], names: Iterable[str]) -> None:
    """Put the contract on the public ``names`` of ``namespace``: functions are replaced by
    checked ones, classes have their constructor and public methods checked in place.

    ``namespace`` also resolves annotations that the defining module imports only for type
    checkers."""
    names = list(names)
    _FALLBACK.update({name: namespace[name] for name in names if name in namespace})
    for name in names:
        obj = namespace.get(name)
        if isinstance(obj, type):
            if issubclass(obj, enum.Enum | BaseException):
                continue
            _enforce_class(obj)
        elif callable(obj) and not getattr(obj, "__ettervern_guarded__", False):
            inner = inspect.unwrap(obj)
            if inspect.isfunction(inner):
                namespace[name] = _guard(obj, _hints(inner))
