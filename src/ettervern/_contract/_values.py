"""The value rules the guard applies after the type: the range of dates and years the library
works in, and an enum's key read as its member."""

from __future__ import annotations

import datetime as dt
import enum
from typing import Any, TypeVar, cast

from ettervern._l10n import N_, Message
from ettervern.errors import FileError, InvalidValueError, MissingFileError

__all__ = [
    "EARLIEST",
    "LATEST",
    "ONE_OF",
    "check_date",
    "check_year",
    "enum_member",
    "unusable_file",
]

EARLIEST = dt.date(1678, 1, 1)
"""The earliest date the library accepts anywhere (pandas' datetime64[ns] starts in 1677)."""
LATEST = dt.date(2261, 12, 31)
"""The latest date the library accepts anywhere (pandas' datetime64[ns] ends in 2262)."""

ONE_OF = N_("{field} must be one of {choices!r}, got {value!r}")

E = TypeVar("E", bound=enum.Enum)


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


def enum_member(cls: type[E], field: str, value: Any) -> E:
    """``value`` as a member of ``cls``: the member itself, or its value (its stable key).

    Raises:
        InvalidValueError: no member has that value; the message lists the keys.
    """
    if isinstance(value, cls):
        return value
    try:
        # The members by value, as cls(value) looks them up first, without its overhead (a
        # fifth of reading stored cases went to enum calls).
        return cast(E, cls._value2member_map_[value])
    except (KeyError, TypeError):  # not a value, or not hashable: cls() decides
        pass
    try:
        return cls(value)
    except ValueError:
        choices = [m.value for m in cls]
        message = Message(ONE_OF, field=field, value=value, choices=choices)
        raise InvalidValueError(message, field=field, value=value) from None


def unusable_file(exc: OSError) -> FileError:
    """The library's error for a file or folder the system refused (missing, a folder, a name
    too long, no permission, a disk that failed), with the system's reason."""
    if isinstance(exc, FileError):
        return exc
    if isinstance(exc, FileNotFoundError):
        return MissingFileError("" if exc.filename is None else str(exc.filename))
    reason = exc.strerror or str(exc) or type(exc).__name__
    return FileError(None if exc.filename is None else str(exc.filename), reason)
