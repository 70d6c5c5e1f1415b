"""One way to name a span of days: ``period=``.

Every function that works on a span takes ``period=`` and reads it here: a year (``2020`` or
``"2020"``), a month (``"2020-03"`` or ``pandas.Period("2020-03")``), a quarter (``"2020-Q2"``),
any ``pandas.Period``, or a ``(start, end)`` pair of dates, both days included.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import TypeAlias

import pandas as pd

from ettervern._contract import check_date, check_year
from ettervern._core._validators import AT_LEAST, check_field
from ettervern._l10n import Message
from ettervern.errors import InvalidValueError, WrongTypeError

__all__ = ["PeriodLike", "period_of"]

PeriodLike: TypeAlias = int | str | tuple[dt.date, dt.date] | pd.Period
"""What ``period=`` takes: a year, ``"YYYY"``, ``"YYYY-MM"`` or ``"YYYY-Qn"``, a pair of dates,
a ``pandas.Period``."""

_TEXT = re.compile(r"(\d{4})(?:-(\d{2}))?")
_QUARTER = re.compile(r"(\d{4})-?[Qq]([1-4])")


def _month(field: str, year: int, month: int) -> tuple[dt.date, dt.date]:
    check_year(field, year)
    last = calendar.monthrange(year, month)[1]
    return dt.date(year, month, 1), dt.date(year, month, last)


def _quarter(field: str, year: int, quarter: int) -> tuple[dt.date, dt.date]:
    first = _month(field, year, 3 * quarter - 2)[0]
    return first, _month(field, year, 3 * quarter)[1]


def _from_text(field: str, text: str) -> tuple[dt.date, dt.date]:
    quarter = _QUARTER.fullmatch(text.strip())
    if quarter is not None:
        return _quarter(field, int(quarter.group(1)), int(quarter.group(2)))
    found = _TEXT.fullmatch(text.strip())
    if found is None or (found.group(2) is not None and not 1 <= int(found.group(2)) <= 12):
        message = Message(
            "{field} must be a year such as {example}, got {value!r}",
            field=field,
            example="2020 (or a month, 2020-03, or a quarter, 2020-Q2)",
            value=text[:40],
        )
        raise InvalidValueError(message, field=field, value=text[:40])
    year = int(found.group(1))
    if found.group(2) is None:
        return _year(field, year)
    return _month(field, year, int(found.group(2)))


def _year(field: str, year: int) -> tuple[dt.date, dt.date]:
    check_year(field, year)
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def _pair(field: str, start: dt.date, end: dt.date) -> tuple[dt.date, dt.date]:
    for day in (start, end):
        if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
            raise WrongTypeError.of(field, "tuple[datetime.date, datetime.date]", day)
        check_date(field, day)
    check_field(end >= start, AT_LEAST, field=f"{field} end", value=end, bound=start)
    return start, end


def period_of(value: object, field: str = "period") -> tuple[dt.date, dt.date]:
    """The first and last day of ``value``, a span given any way ``period=`` takes one.

    Raises:
        WrongTypeError: ``value`` is none of the shapes.
        InvalidValueError: a year out of range, a text that is no year or month, an end before
            the start.
    """
    if isinstance(value, bool):
        raise WrongTypeError.of(field, "int | str | tuple[date, date] | pandas.Period", value)
    if isinstance(value, int):
        return _year(field, value)
    if isinstance(value, str):
        return _from_text(field, value)
    if isinstance(value, tuple) and len(value) == 2:
        return _pair(field, value[0], value[1])
    if isinstance(value, pd.Period):
        start, end = value.start_time.date(), value.end_time.date()
        return _pair(field, start, end)
    raise WrongTypeError.of(field, "int | str | tuple[date, date] | pandas.Period", value)
