"""Field checks that raise the library's own error, naming the field, the rule and the value.

Every check of one field ends the same way: a [`Message`][ettervern.language.Message] that says
``"{field} must be …, got {value!r}"`` and an ``InvalidValueError`` that carries the field and the
value. ``field_error`` builds that error, ``check_field`` raises it when a condition fails, and
``field_rule`` makes an attrs validator of a condition; the common rules (``at_least``,
``between``, ``check_one_of``) are built on them.

Templates are English message ids: write them as literals in the call, where the catalog tooling
finds them (``scripts/catalog_messages.py`` lists these functions as keywords), or use the
``N_``-marked templates below.
"""

from __future__ import annotations

from collections.abc import Callable, Collection
from typing import Any, TypeVar

import attrs

from ettervern._contract import ONE_OF
from ettervern._l10n import N_, Message, contains_identity
from ettervern.errors import InvalidValueError, NationalIdError

__all__ = [
    "AT_LEAST",
    "BETWEEN",
    "MORE_THAN",
    "ONE_OF",
    "Validator",
    "at_least",
    "between",
    "check_field",
    "check_one_of",
    "field_error",
    "field_rule",
    "no_identity",
    "slot_setter",
]

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]
"""An attrs validator: called with the instance, the attribute and the value."""

AT_LEAST = N_("{field} must be at least {bound}, got {value!r}")
MORE_THAN = N_("{field} must be more than {bound}, got {value!r}")
BETWEEN = N_("{field} must be between {low} and {high}, got {value!r}")


def field_error(template: str, /, *, field: str, value: object, **params: Any) -> InvalidValueError:
    """The error for ``field`` holding ``value``; ``template`` may name both and ``params``."""
    message = Message(template, field=field, value=value, **params)
    return InvalidValueError(message, field=field, value=value)


def check_field(ok: bool, template: str, /, *, field: str, value: object, **params: Any) -> None:
    """Raise ``field_error(template, …)`` unless ``ok``.

    Raises:
        InvalidValueError: ``ok`` is false.
    """
    if not ok:
        raise field_error(template, field=field, value=value, **params)


def field_rule(ok: Callable[[Any], bool], template: str, /, **params: Any) -> Validator:
    """An attrs validator: the attribute's value must pass ``ok``, else ``template`` is raised."""

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not ok(value):  # the error is built only when needed: this runs for every value
            raise field_error(template, field=attribute.name, value=value, **params)

    return check


def at_least(bound: float, *, strictly: bool = False) -> Validator:
    """A validator: the value is at least ``bound`` (more than it, if ``strictly``)."""
    if strictly:
        return field_rule(lambda value: value > bound, MORE_THAN, bound=bound)
    return field_rule(lambda value: value >= bound, AT_LEAST, bound=bound)


def between(low: int, high: int) -> Validator:
    """A validator: the value lies between ``low`` and ``high``, both included."""
    return field_rule(lambda value: low <= value <= high, BETWEEN, low=low, high=high)


def check_one_of(field: str, value: object, choices: Collection[object]) -> None:
    """Raise unless ``value`` is one of ``choices`` (an argument of a function, say).

    Raises:
        InvalidValueError: ``value`` is not one of ``choices``; the message lists them.
    """
    check_field(value in choices, ONE_OF, field=field, value=value, choices=list(choices))


T = TypeVar("T")


def slot_setter(cls: type[T], name: str) -> Callable[[T, Any], None]:
    """The setter of the slot ``name`` of the attrs class ``cls``, for filling an object made
    with ``object.__new__`` from values already checked against every rule of the class (a
    third cheaper than ``object.__setattr__``, and it goes round the validators on purpose)."""
    setter: Callable[[T, Any], None] = vars(cls)[name].__set__
    return setter


def no_identity(_: object, attribute: attrs.Attribute[Any], value: object) -> None:
    """Refuse a name (or each of a tuple of names) that holds a run of digits shaped like a
    national identity number: a name is shown in every output and log, so it must never hold
    one. The error names the field, never the value."""
    for text in value if isinstance(value, tuple) else (value,):
        if isinstance(text, str) and contains_identity(text):
            msg = Message(
                "{field} must not hold a national identity number; use a name or a code",
                field=attribute.name,
            )
            raise NationalIdError(msg)
