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
import threading
import traceback
import typing
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import attrs

from ettervern._contract._checks import CONVERTER_INPUTS, Check, Converted, checker, describe
from ettervern._contract._deprecation import warn_renamed
from ettervern._contract._repr import safe_repr
from ettervern._contract._values import (
    EARLIEST,
    LATEST,
    check_date,
    check_year,
    enum_member,
    unusable_file,
)
from ettervern._l10n import Message
from ettervern.errors import EttervernError, InvalidValueError, WrongTypeError

__all__ = ["by_name", "calls_within", "enforce", "guarded", "let_go"]


def _enum_of(annotation: Any) -> type[enum.Enum] | None:
    """The one enum a parameter takes (``ReportGroup | str``), if it takes exactly one."""
    options = typing.get_args(annotation) if typing.get_origin(annotation) else (annotation,)
    found = [o for o in options if isinstance(o, type) and issubclass(o, enum.Enum)]
    return found[0] if len(found) == 1 else None


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
) -> tuple[dict[str, tuple[Check, Any]], set[str], dict[str, type[enum.Enum]]]:
    """What to check of each parameter: (check, annotation) by name, the names of ``*args``
    parameters (checked member by member), and the enum each parameter's text stands for."""
    checks: dict[str, tuple[Check, Any]] = {}
    spread: set[str] = set()
    enums: dict[str, type[enum.Enum]] = {}
    for name, parameter in signature.parameters.items():
        if name not in hints or parameter.kind is parameter.VAR_KEYWORD:
            continue
        if parameter.kind is parameter.VAR_POSITIONAL:
            spread.add(name)
        check = checker(hints[name])
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
    name: str, check: Check, annotation: Any, choices: type[enum.Enum] | None
) -> _Validate:
    """The check of one parameter: its value, normalised (``_normalised``), or an error."""
    takes_dates = check(dt.date(2000, 1, 1))
    plain = choices is None and name != "year" and not takes_dates
    # The common cases, in short: a value of the very class the parameter names (``str``,
    # ``bool``), and an enum's key (``"completed"``), looked up as ``enum_member`` would.
    exact = annotation if plain and annotation in _EXACT else None
    by_key = {} if choices is None else {m.value: m for m in choices if type(m.value) is str}
    options = typing.get_args(annotation) if typing.get_origin(annotation) else (annotation,)
    named = tuple(option for option in options if isinstance(option, type))

    counts = check(0) and not check(0.5)  # the parameter takes whole numbers, not any number

    def validate(value: Any) -> Any:
        kind = type(value)
        if kind is exact:
            if kind is int and not -_BIGGEST <= value <= _BIGGEST:
                raise _too_big(name, value)
            return value
        if takes_dates and kind is dt.date and EARLIEST <= value <= LATEST:
            return value
        if kind is str and by_key:
            member = by_key.get(value)
            if member is not None:
                return member
        if not check(value):
            if kind is str and named:  # a shipped object's name, such as a team's
                return _by_name(named, value, name, annotation)
            raise WrongTypeError.of(name, describe(annotation), value)
        if counts and kind is int and not -_BIGGEST <= value <= _BIGGEST:
            raise _too_big(name, value)
        return value if plain else _normalised(name, value, choices)

    return validate


_BIGGEST = 2**31 - 1
"""The largest whole number any parameter takes (a count, a number of months, a width):
beyond it numpy and the standard library overflow."""


def _too_big(name: str, value: int) -> InvalidValueError:
    message = Message(
        "{field} must be between {low} and {high}, got {value!r}",
        field=name,
        low=-_BIGGEST,
        high=_BIGGEST,
        value=value,
    )
    return InvalidValueError(message, field=name, value=value)


BY_NAME: dict[type, Callable[[str], object]] = {}
"""Classes whose objects a parameter may also take by name (a shipped team, ``"jaeren"``),
and how to look one up; filled by the layer that ships them (``ettervern.teams``)."""


def by_name(cls: type, lookup: Callable[[str], object]) -> None:
    """Let every checked parameter that takes a ``cls`` also take a name, read by ``lookup``."""
    BY_NAME[cls] = lookup


def _by_name(named: tuple[type, ...], value: str, name: str, annotation: Any) -> object:
    for cls in named:
        lookup = BY_NAME.get(cls)
        if lookup is not None:
            return lookup(value)
    raise WrongTypeError.of(name, describe(annotation), value)


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
    def plan(cls, signature: inspect.Signature, validators: dict[str, _Validate]) -> _Call:
        """The plan of ``signature``'s calls; an empty one (every call takes the thorough
        path) for a function with ``*args``."""
        parameters = list(signature.parameters.values())
        if any(p.kind is p.VAR_POSITIONAL for p in parameters):
            return cls(taken=(), allowed=(), still_needed=(), by_position=(), by_keyword={})
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


OLD_KEYWORDS = {"day": "on", "year": "period"}
"""Keywords renamed across the public API (until 0.2, a day was ``day=`` in some places and
``on=`` in others, a span ``year=`` beside ``period=``): a call with the old one, to a function that takes the new one, is read
with a ``DeprecationWarning``. Only a call that does not bind as is takes this path."""


def _renamed_keywords(
    function: Callable[..., Any], renamed: dict[str, str], kwargs: dict[str, Any]
) -> dict[str, Any]:
    for old, new in renamed.items():
        if old in kwargs:
            name = function.__qualname__
            warn_renamed(f"{name}({old}=…)", f"{name}({new}=…)", stacklevel=5)
    return {renamed.get(key, key): value for key, value in kwargs.items()}


def _thorough(
    function: Callable[..., Any],
    signature: inspect.Signature,
    checks: dict[str, tuple[Check, Any]],
    spread: set[str],
    validators: dict[str, _Validate],
) -> Callable[[tuple[Any, ...], dict[str, Any]], tuple[tuple[Any, ...], dict[str, Any]]]:
    """The slow and thorough check of a call: ``Signature.bind``, which also words the error
    of a call that does not bind, then each argument; returns the arguments, normalised."""

    old_keywords = {
        old: new
        for old, new in OLD_KEYWORDS.items()
        if old not in signature.parameters and new in signature.parameters
    }

    def checked(
        args: tuple[Any, ...], kwargs: dict[str, Any]
    ) -> tuple[tuple[Any, ...], dict[str, Any]]:
        if old_keywords and not old_keywords.keys().isdisjoint(kwargs):
            kwargs = _renamed_keywords(function, old_keywords, kwargs)
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
                        raise WrongTypeError.of(name, describe(annotation), item)
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
    checked = _thorough(function, signature, checks, spread, validators)
    return _fast(function, checked, _Call.plan(signature, validators))


def _by_position(args: tuple[Any, ...], positions: tuple[tuple[int, _Validate], ...]) -> Any:
    values = list(args)
    for position, validate in positions:
        values[position] = validate(values[position])
    return tuple(values)


def _fast(
    function: Callable[..., Any],
    checked: Callable[[tuple[Any, ...], dict[str, Any]], tuple[tuple[Any, ...], dict[str, Any]]],
    call: _Call,
) -> Callable[..., Any]:
    """``function`` behind its checks: a call that binds as is (no name repeated, unknown or
    missing) has each argument checked where it stands; any other goes through ``checked``."""
    taken, allowed, still_needed = call.taken, call.allowed, call.still_needed
    by_position, by_keyword = call.by_position, call.by_keyword
    most = len(taken) - 1
    inside = _INSIDE

    @functools.wraps(function)
    def checked_call(*args: Any, **kwargs: Any) -> Any:
        if inside.active:  # the library calling itself
            return function(*args, **kwargs)
        count = len(args)
        plain = False  # True when the call binds as is
        if count <= most:  # never when there is no plan (most is -1)
            names = kwargs.keys()
            allow = allowed[count]
            plain = (
                names <= allow if allow is not None else names.isdisjoint(taken[count])
            ) and names >= still_needed[count]
        try:
            if not plain:
                args, kwargs = checked(args, kwargs)
            else:
                if by_position[count]:
                    args = _by_position(args, by_position[count])
                for name, value in kwargs.items():
                    keyed = by_keyword.get(name)
                    if keyed is not None:
                        kwargs[name] = keyed(value)
            inside.active = True
            try:
                return function(*args, **kwargs)
            except OSError as exc:  # a file or folder that cannot be used, wherever opened
                raise unusable_file(exc) from None
            finally:
                inside.active = False
        except EttervernError as refused:
            del args, kwargs  # what was refused is not kept in this frame for a traceback
            as_public(refused)
            let_go(refused)
            raise

    checked_call.__ettervern_guarded__ = True  # type: ignore[attr-defined]
    return checked_call


def as_public(error: EttervernError) -> EttervernError:
    """``error`` under the nearest of its classes that ``ettervern.errors`` names: a private
    subclass the library uses inside (to tell a sheet without a header from other problems, say)
    never reaches a user's ``type(err)``. Its message and attributes stay as they were."""
    if type(error).__module__ != PUBLIC_ERRORS:
        error.__class__ = next(c for c in type(error).__mro__ if c.__module__ == PUBLIC_ERRORS)
    return error


PUBLIC_ERRORS = "ettervern.errors"


def let_go(refused: BaseException) -> None:
    """Clear the locals of the finished frames below a refused public call (and of the errors
    it was raised from): a traceback printer with locals (Sentry, IPython's verbose mode, rich)
    shows no argument the library refused, in the library's frames. A bug (any other exception)
    keeps its locals for debugging; the frame still running, the caller's, is left as it is."""
    seen: set[int] = set()
    current: BaseException | None = refused
    while current is not None and id(current) not in seen:
        seen.add(id(current))
        traceback.clear_frames(current.__traceback__)
        current = current.__cause__ or current.__context__


def _entered(function: Callable[..., Any]) -> Callable[..., Any]:
    """``function``, which has no argument to check, still marked as a checked call while it
    runs: the library's calls to its own public API inside it go straight through, as inside
    any other (an example year built by ``examples.salten_2020()`` made 800 checked calls).
    Called from inside, it goes straight through as a checked call does (no block opened: a
    report sorting 10,000 case codes by ``CaseCode.sort_key`` spent as long opening blocks)."""
    inside = _INSIDE

    @functools.wraps(function)
    def entered(*args: Any, **kwargs: Any) -> Any:
        if inside.active:  # the library calling itself
            return function(*args, **kwargs)
        with calls_within():
            try:
                return function(*args, **kwargs)
            except OSError as exc:
                raise unusable_file(exc) from None
            except EttervernError as refused:
                del args, kwargs  # as in a checked call
                as_public(refused)
                let_go(refused)
                raise

    entered.__ettervern_guarded__ = True  # type: ignore[attr-defined]
    return entered


def _first_parameter_hint(function: Callable[..., Any]) -> Any:
    """The annotation of the first parameter of ``function``, if it has one."""
    parameters = list(inspect.signature(function).parameters)
    return _hints(function).get(parameters[0]) if parameters else None


def _attrs_init_hints(cls: type) -> dict[str, Any]:
    """What an attrs class's constructor takes, by argument name: a field's annotation, or
    what its converter takes."""
    hints = _hints(cls)
    by_alias = {a.alias: hints[a.name] for a in attrs.fields(cls) if a.name in hints}
    for field in attrs.fields(cls):
        if field.converter is None:
            continue
        by_alias.pop(field.alias, None)
        if field.converter in CONVERTER_INPUTS:
            by_alias[field.alias] = Converted(field.converter)
        elif inspect.isfunction(field.converter):  # what the converter takes
            takes = _first_parameter_hint(field.converter)
            if takes is not None:
                by_alias[field.alias] = takes
    return by_alias


def _enforce_class(cls: type) -> None:
    if cls.__dict__.get("__ettervern_guarded__"):
        return
    cls.__ettervern_guarded__ = True  # type: ignore[attr-defined]
    cls.__repr__ = safe_repr(cls)  # type: ignore[method-assign,assignment]
    init = cls.__dict__.get("__init__")
    if init is not None:
        hints = _attrs_init_hints(cls) if attrs.has(cls) else _hints(init)
        cls.__init__ = _guard(init, hints)  # type: ignore[misc]
    for name, member in list(vars(cls).items()):
        if name.startswith("_"):
            continue
        if isinstance(member, classmethod | staticmethod):
            function = member.__func__
            setattr(cls, name, type(member)(_guard(function, _hints(function))))
        elif inspect.isfunction(member):
            setattr(cls, name, _guard(member, _hints(member)))


_GUARDED: dict[Callable[..., Any], Callable[..., Any]] = {}
"""Each function's one checked form: whichever public namespace names it, it is the same
object."""


def guarded(function: Callable[..., Any]) -> Callable[..., Any]:
    """The checked form of ``function`` (itself, if it is one already), made once."""
    if getattr(function, "__ettervern_guarded__", False):
        return function
    found = _GUARDED.get(function)
    if found is None:
        found = _GUARDED[function] = _guard(function, _hints(inspect.unwrap(function)))
    return found


def enforce(namespace: dict[str, Any], names: Iterable[str]) -> None:
    """Put the contract on the public ``names`` of ``namespace``: functions are replaced by
    checked ones, classes have their constructor and public methods checked in place, and a
    repr that works on a half-built object (``safe_repr``).

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
        elif callable(obj) and inspect.isfunction(inspect.unwrap(obj)):
            namespace[name] = guarded(obj)
