"""A repr that works on a half-built object, put on every public class at the boundary.

A traceback printer that shows locals (Sentry, IPython's verbose mode, rich) calls ``repr`` on
an object whose constructor failed midway: attrs' generated repr raises ``AttributeError`` on
the field not set yet, and the printer fails instead of the report. ``enforce`` gives every
public class ``safe_repr(cls)``, so a new public class has it without asking for it.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, cast

import attrs

__all__ = ["field_repr", "safe_repr"]

_UNSET = object()


def field_repr(self: Any) -> str:
    """attrs' repr of ``self``, but a field not set yet shows as ``<unset>`` instead of raising
    AttributeError."""
    shown = []
    for field in attrs.fields(type(self)):
        if field.repr:
            value = getattr(self, field.name, _UNSET)
            text = field.repr(value) if callable(field.repr) else repr(value)
            shown.append(f"{field.name}={'<unset>' if value is _UNSET else text}")
    return f"{type(self).__name__}({', '.join(shown)})"


def _half_built(self: Any) -> bool:
    return any(getattr(self, f.name, _UNSET) is _UNSET for f in attrs.fields(type(self)))


def _plain_repr(self: Any) -> str:
    """A class with no repr of its own: its name, not ``object``'s memory address."""
    return f"<{type(self).__name__}>"


field_repr.__ettervern_safe__ = True  # type: ignore[attr-defined]
_plain_repr.__ettervern_safe__ = True  # type: ignore[attr-defined]


def safe_repr(cls: type) -> Callable[[Any], str]:
    """``cls``'s repr made safe: a half-built attrs object shows its unset fields as
    ``<unset>``, a hand-written repr that fails on a missing attribute falls back to the class's
    name, and a class with ``object``'s repr shows its name instead of a memory address."""
    original = cast("Callable[[Any], str]", cls.__repr__)
    if getattr(original, "__ettervern_safe__", False):
        return original
    if original is object.__repr__:
        return field_repr if attrs.has(cls) else _plain_repr
    fields = attrs.has(cls)

    @functools.wraps(original)
    def __repr__(self: Any) -> str:  # noqa: N807 (it is the class's __repr__)
        if fields and _half_built(self):
            return field_repr(self)
        try:
            return original(self)
        except AttributeError:  # set in __init__, which failed before it
            return _plain_repr(self)

    __repr__.__ettervern_safe__ = True  # type: ignore[attr-defined]
    return __repr__
