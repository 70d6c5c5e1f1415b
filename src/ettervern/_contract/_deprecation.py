"""Old names that keep working for one release: one rule per old name, one way to follow it.

A rule says where the name went and, when the signature changed, how an old call reads in the
new one: the old positional arguments the new function takes by keyword, and old keywords
(``year=``) by their new name (``period=``). A call through the old name warns with a
``DeprecationWarning`` that names the new one.
"""

from __future__ import annotations

import functools
import inspect
import warnings
from collections.abc import Callable, Mapping
from typing import Any

import attrs

__all__ = ["Renamed", "follow", "warn_renamed"]


@attrs.frozen
class Renamed:
    """Where an old name went, and how its calls are read."""

    new: str
    """The new name, in full: ``"ettervern.tables.course_report"``."""
    positional: tuple[str, ...] = ()
    """The keywords that the old call's extra positional arguments become, in order."""
    keywords: Mapping[str, str] = attrs.field(factory=dict)
    """Old keyword → new keyword."""

    @property
    def reshapes(self) -> bool:
        """Whether an old call must be rewritten, not just sent to the new object."""
        return bool(self.positional or self.keywords)


def warn_renamed(old: str, new: str, stacklevel: int = 3) -> None:
    """Warn that ``old`` is deprecated in favour of ``new``."""
    warnings.warn(
        f"{old} is deprecated since ettervern 0.2 and will be removed in 0.3: use {new} "
        "(docs/api-changes.md maps every old name)",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def _kept(function: Callable[..., Any]) -> int:
    """How many positional arguments ``function`` takes."""
    kinds = (inspect.Parameter.POSITIONAL_ONLY, inspect.Parameter.POSITIONAL_OR_KEYWORD)
    parameters = inspect.signature(function).parameters.values()
    return sum(1 for p in parameters if p.kind in kinds and p.name != "self")


def follow(old: str, rule: Renamed, new: Callable[..., Any]) -> Callable[..., Any]:
    """What the old name ``old`` gives now: the new object itself, or, when the signature
    changed, a function that reads an old call into a new one. Either way, using the old name
    warns (where it is looked up: ``ettervern.course_report`` or ``from ettervern import …``)."""
    warn_renamed(old, rule.new, stacklevel=4)
    if not rule.reshapes:
        return new
    kept = _kept(new)

    @functools.wraps(new)
    def old_call(*args: Any, **kwargs: Any) -> Any:
        extra = args[kept:]
        moved = dict(zip(rule.positional, extra, strict=False))
        for name, value in kwargs.items():
            moved[rule.keywords.get(name, name)] = value
        # Any positional argument beyond the old ones goes on as is: the new function refuses it.
        return new(*args[:kept], *extra[len(rule.positional) :], **moved)

    return old_call
