"""Reading the cells of a sheet as typed: dates in the forms teams write them (and Excel
serial numbers), hours with a decimal comma or a unit, text without its formula guard."""

from __future__ import annotations

import calendar
import datetime as dt
import math
import re
from typing import Any

import numpy as np
import pandas as pd
from babel.numbers import parse_decimal

from ettervern._core import EARLIEST, LATEST, text_cache
from ettervern._l10n import Message
from ettervern._render import from_csv_text
from ettervern._timelog import factorize

__all__ = ["as_typed", "date_reason", "parse_dates", "parse_hours"]

_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_DATE_FORMATS = (
    "%d.%m.%Y",
    "%Y-%m-%d",
    "%d/%m-%Y",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%y",
    "%Y-%m-%d %H:%M:%S",
)
_HOURS = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:t|timer|time|h|hours?)?\.?\s*$", re.IGNORECASE)


@text_cache(maxsize=65536)
def _date_from_text(text: str) -> pd.Timestamp | None:
    """A date typed as text, in any of the forms teams use; None if it is not one."""
    if not text or text in ("None", "nan", "NaT"):
        return None
    if re.fullmatch(r"\d{5}(\.0+)?", text):  # an Excel serial day number
        return _from_serial(float(text))
    for form in _DATE_FORMATS:
        try:
            return pd.Timestamp(dt.datetime.strptime(text, form))  # noqa: DTZ007 - dates have no zone
        except ValueError:
            continue
    return None


_LAST_SERIAL = 2_958_465
"""Excel's serial number of 9999-12-31, the last day it can show."""


def _from_serial(serial: float) -> pd.Timestamp | None:
    """The day of an Excel serial number (days since 1899-12-30), or None if it is none."""
    if not (math.isfinite(serial) and 1 <= serial <= _LAST_SERIAL):
        return None
    day = _EXCEL_EPOCH + pd.Timedelta(days=int(serial))
    return day if EARLIEST <= day.date() <= LATEST else None


def parse_dates(values: pd.Series[Any]) -> pd.Series[Any]:
    """Dates as datetime64: Excel dates and serials, ``21.01.2020``, ``21/01-2020``, ISO …"""

    codes, uniques = factorize(values)
    parsed = np.empty(len(uniques) + 1, dtype="datetime64[ns]")
    for i, unique in enumerate(uniques):
        if isinstance(unique, dt.datetime | pd.Timestamp):
            parsed[i] = np.datetime64(pd.Timestamp(unique).normalize(), "ns")
        elif isinstance(unique, dt.date):
            parsed[i] = np.datetime64(unique, "ns")
        elif isinstance(unique, int | float) and not isinstance(unique, bool):
            stamp = _from_serial(unique)
            parsed[i] = np.datetime64("NaT") if stamp is None else np.datetime64(stamp, "ns")
        else:
            stamp = _date_from_text(str(unique).strip())
            parsed[i] = np.datetime64("NaT") if stamp is None else np.datetime64(stamp, "ns")
    parsed[-1] = np.datetime64("NaT")
    return pd.Series(parsed[codes], index=values.index)


def parse_hours(values: pd.Series[Any]) -> pd.Series[float]:
    """Hours as numbers: ``1,5``, ``1.5``, ``0,5``, ``1 t``, ``2 timer`` or a number cell."""

    def one(value: object) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value) if math.isfinite(value) else np.nan
        match = _HOURS.match(str(value))
        if match is None:
            return np.nan
        # Babel reads the number as Norwegian writes it (a decimal comma; a point is accepted).
        number = parse_decimal(match.group(1), locale="nb", strict=True)
        return float(number) if number.is_finite() else np.nan

    codes, uniques = factorize(values)
    parsed = np.array([one(u) for u in uniques] + [np.nan], dtype="float64")
    return pd.Series(parsed[codes], index=values.index)


def as_typed(values: pd.Series[Any]) -> pd.Series[Any]:
    """Text as the user typed it: the ``'`` that protects ``=…`` from formula injection in CSV
    (see ``csv_text``) is removed."""
    return values.map(lambda v: from_csv_text(v) if isinstance(v, str) else v)


def date_reason(raw: object) -> Message:
    impossible = _impossible_day(raw)
    if impossible is not None:
        return impossible
    return Message(
        "not a date that can be read: {value!r}; write it like {example} or {iso}",
        value=raw,
        example="21.01.2020",
        iso="2020-01-21",
    )


_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$")
_YEAR_MONTH_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def _impossible_day(raw: object) -> Message | None:
    """Why a well-formed date does not exist (``31.02.2025``: February has 28 days), or None."""
    text = str(raw)
    if match := _DAY_MONTH_YEAR.match(text):
        day, month, year = map(int, match.groups())
    elif match := _YEAR_MONTH_DAY.match(text):
        year, month, day = map(int, match.groups())
    else:
        return None
    if not 1 <= month <= 12:
        return Message("no such date: {value!r} has no month {month}", value=raw, month=month)
    days = calendar.monthrange(year, month)[1]
    if 1 <= day <= days:
        return None
    return Message("no such date: {value!r}; that month has {days} days", value=raw, days=days)
