"""attrs validators that raise the library's own error, naming the field and the rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from ettervern.errors import InvalidValueError

__all__ = ["at_least", "between"]


def at_least(
    bound: float, *, strictly: bool = False
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """A validator: the value is at least ``bound`` (more than it, if ``strictly``)."""

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        ok = value > bound if strictly else value >= bound
        if not ok:
            rule = "more than" if strictly else "at least"
            msg = f"{attribute.name} must be {rule} {bound}, got {value!r}"
            raise InvalidValueError(msg, field=attribute.name, value=value)

    return check


def between(low: int, high: int) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """A validator: the value lies between ``low`` and ``high``, both included."""

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not low <= value <= high:
            msg = f"{attribute.name} must be between {low} and {high}, got {value!r}"
            raise InvalidValueError(msg, field=attribute.name, value=value)

    return check
