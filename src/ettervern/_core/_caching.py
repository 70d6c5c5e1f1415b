"""Caches of text lookups whose memory stays small whatever the input holds.

Importers look up each distinct cell text once (a date, a code, a municipality) and remember
the answer, as a sheet repeats the same few values many times. ``functools.lru_cache`` bounds
the number of entries, not their size: 65,536 remembered cells of 10,000 characters each, all
different, as a hostile or broken file gives them, would hold 650 MB for the life of the
process. ``text_cache`` remembers only short texts, which is what every real value is; a long
text is looked up again each time, with the same answer.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, TypeVar, cast

__all__ = ["SHORT_TEXT", "text_cache"]

SHORT_TEXT = 64
"""The longest text a ``text_cache`` remembers, in characters: far longer than any date, case
code, category or municipality name."""

F = TypeVar("F", bound=Callable[..., Any])


def text_cache(maxsize: int, longest: int = SHORT_TEXT) -> Callable[[F], F]:
    """An LRU cache of ``maxsize`` entries for a function of positional arguments that skips
    calls with a text longer than ``longest`` characters (the function is then called without
    remembering)."""

    def decorate(function: F) -> F:
        cached = functools.lru_cache(maxsize=maxsize)(function)

        @functools.wraps(function)
        def lookup(*args: Any) -> Any:
            for value in args:
                if isinstance(value, str) and len(value) > longest:
                    return function(*args)
            return cached(*args)

        lookup.cache_info = cached.cache_info  # type: ignore[attr-defined]
        return cast(F, lookup)

    return decorate
