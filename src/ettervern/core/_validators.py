"""attrs validators that raise the library's own error, naming the field and the rule."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import attrs

from ettervern.errors import InvalidValueError
from ettervern.l10n import Message

__all__ = ["at_least", "between"]


def at_least(
    bound: float, *, strictly: bool = False
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """A validator: the value is at least ``bound`` (more than it, if ``strictly``)."""

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        ok = value > bound if strictly else value >= bound
        if not ok:
            params = {"field": attribute.name, "bound": bound, "value": value}
            msg = (
                Message("{field} must be more than {bound}, got {value!r}", **params)
                if strictly
                else Message("{field} must be at least {bound}, got {value!r}", **params)
            )
            raise InvalidValueError(msg, field=attribute.name, value=value)

    return check


def between(low: int, high: int) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """A validator: the value lies between ``low`` and ``high``, both included."""

    def check(_: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not low <= value <= high:
            msg = Message(
                "{field} must be between {low} and {high}, got {value!r}",
                field=attribute.name,
                low=low,
                high=high,
                value=value,
            )
            raise InvalidValueError(msg, field=attribute.name, value=value)

    return check
