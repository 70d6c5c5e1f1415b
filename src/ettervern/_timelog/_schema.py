"""The log's schema (its six columns and their dtypes), joining frames in it, and the lean
storage a ``TimeLog`` keeps it in: day numbers, whole time units, small integers."""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any

import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from ettervern._core import Bucket, Team

__all__ = [
    "COLUMNS",
    "EPOCH",
    "code_frame",
    "day_number",
    "days_of",
    "in_period",
    "in_schema",
    "join_frames",
    "lean",
    "schema_of",
    "smallest_int",
    "unit_minutes",
]

COLUMNS = ("case", "date", "municipality", "category", "hours", "staff")
"""The columns of [`TimeLog.to_frame()`][ettervern.TimeLog.to_frame], in order."""


def in_schema(frame: pd.DataFrame, team: Team) -> pd.DataFrame:
    """Give a normalised frame the log's dtypes: categoricals, datetime64, float, int."""
    places = [m.municipality.name for m in team.members] + [b.value for b in Bucket]
    case = frame["case"].astype("category")
    # Keep only the codes in use, sorted; counting the small codes beats hashing the values.
    used = np.bincount(case.cat.codes.to_numpy() + 1, minlength=len(case.cat.categories) + 1)[1:]
    in_use = case.cat.categories[used > 0]
    case = case.cat.set_categories(sorted(map(str, in_use)))
    return pd.DataFrame(
        {
            "case": case,
            "date": pd.to_datetime(frame["date"]).astype("datetime64[ns]"),
            "municipality": frame["municipality"].astype(pd.CategoricalDtype(places)),
            "category": frame["category"].astype(
                pd.CategoricalDtype([c.key for c in team.categories])
            ),
            "hours": frame["hours"].astype("float64"),
            "staff": frame["staff"].astype("int64"),
        },
    ).reset_index(drop=True)


def join_frames(frames: Sequence[pd.DataFrame], team: Team) -> pd.DataFrame:
    """Join frames in the log's schema (of one team) into one, keeping the schema.

    The case columns' categories are united without going back to text, so joining the blocks of
    a million-row import costs little more than copying them.
    """
    filled = [f for f in frames if len(f)]
    if not filled:
        return frames[0] if frames else in_schema(pd.DataFrame(columns=list(COLUMNS)), team)
    if len(filled) == 1:
        return filled[0]
    try:
        case = union_categoricals([f["case"] for f in filled], sort_categories=True)
    except TypeError:  # categories of different dtypes: go through text
        case = pd.Categorical(pd.concat([f["case"].astype(object) for f in filled]))
        case = case.set_categories(sorted(map(str, case.categories)))
    joined = pd.concat([f.drop(columns="case") for f in filled], ignore_index=True)
    joined.insert(0, "case", pd.Series(case))
    return joined


EPOCH = dt.date(1970, 1, 1)


def day_number(day: dt.date) -> int:
    """Days since 1 January 1970, as the lean log stores dates."""
    return (day - EPOCH).days


def unit_minutes(team: Team) -> int:
    """The team's time unit in whole minutes (the team checks that it is whole minutes)."""
    return round(team.time_resolution * 60)


def smallest_int(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Whole numbers in the smallest signed integer type that holds them all."""
    if not len(values):
        return values.astype("int8")
    low, high = int(values.min()), int(values.max())
    for kind in ("int8", "int16", "int32"):
        info = np.iinfo(kind)
        if info.min <= low and high <= info.max:
            return values.astype(kind)
    return values.astype("int64")


def lean(frame: pd.DataFrame, team: Team) -> pd.DataFrame:
    """A frame in the log's schema, stored lean: day numbers, time units, small integers.

    The hours are validated to lie on the team's time unit, so the count of units is exact.
    """
    dates = frame["date"].to_numpy().astype("datetime64[D]").astype("int64")
    hours = frame["hours"].to_numpy(dtype="float64")
    units = np.rint(hours * 60 / unit_minutes(team)).astype("int64")
    return pd.DataFrame(
        {
            "case": frame["case"].array,
            "day": dates.astype("int32"),
            "municipality": frame["municipality"].array,
            "category": frame["category"].array,
            "units": smallest_int(units),
            "staff": smallest_int(frame["staff"].to_numpy(dtype="int64")),
        },
        index=pd.RangeIndex(len(frame)),
    )


def schema_of(lean: pd.DataFrame, team: Team) -> pd.DataFrame:
    """The documented schema built from the lean storage: the same values as were put in."""
    days = lean["day"].to_numpy().astype("int64").astype("datetime64[D]")
    return pd.DataFrame(
        {
            "case": lean["case"].array,
            "date": days.astype("datetime64[ns]"),
            "municipality": lean["municipality"].array,
            "category": lean["category"].array,
            "hours": _hours(lean, team),
            "staff": lean["staff"].to_numpy().astype("int64"),
        },
        index=pd.RangeIndex(len(lean)),
    )


def code_frame(lean: pd.DataFrame, team: Team) -> pd.DataFrame:
    """The entries as the reports read them, on the codes the lean storage keeps: ``case``,
    ``municipality`` and ``category`` as its categoricals, ``day`` as day numbers (``int32``),
    ``hours`` (``float64``, the same values as the schema's) and ``staff`` (small integers).

    No date per entry is made and only the hours are a new column, so at ten million entries
    it costs a tenth of ``schema_of``. Readers of a log's frame find its days with
    ``days_of``, which reads either kind of frame.
    """
    return pd.DataFrame(
        {
            "case": lean["case"].array,
            "day": lean["day"].to_numpy(),
            "municipality": lean["municipality"].array,
            "category": lean["category"].array,
            "hours": _hours(lean, team),
            "staff": lean["staff"].to_numpy(),
        },
        index=pd.RangeIndex(len(lean)),
        copy=False,
    )


def days_of(frame: pd.DataFrame) -> np.ndarray[Any, Any]:
    """The day numbers (days since 1970, integers) of a log's frame: its ``day`` column (a
    ``code_frame``, read as it is) or its ``date`` column (the schema, or a user's frame)."""
    if "day" in frame.columns:
        return frame["day"].to_numpy()
    dates = frame["date"].to_numpy()
    if dates.dtype.kind != "M":  # dates as objects or text, in a frame a user made
        dates = pd.to_datetime(frame["date"]).to_numpy()
    if dates.dtype == np.dtype("datetime64[ns]"):
        return dates.view("int64") // 86_400_000_000_000
    return dates.astype("datetime64[D]").astype("int64")


def in_period(frame: pd.DataFrame, period: tuple[dt.date, dt.date]) -> np.ndarray[Any, Any]:
    """Which entries of a log's frame (either kind, see ``days_of``) are dated in ``period``,
    both ends included."""
    days = days_of(frame)
    return (days >= day_number(period[0])) & (days <= day_number(period[1]))


def _hours(lean: pd.DataFrame, team: Team) -> np.ndarray[Any, Any]:
    """The hours of the lean storage's whole time units, exactly as the schema has them."""
    return lean["units"].to_numpy().astype("float64") * unit_minutes(team) / 60
