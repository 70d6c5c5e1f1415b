"""A block of a sheet read on its codes: each column's few distinct texts parsed and checked
once, by the functions the row checks use, and the rows checked as small integers.

pandas gives every column of a CSV block as categorical. ``coded_block`` reads each column's
categories with the same functions as ``_sheets._validate`` (so each distinct text means what
it means there), and checks the rules between columns on the codes, with the rules of a
Parquet file (``coded_rows_break``). It only accepts: when a row of the block breaks a rule,
or holds a date with a time of day, it answers None and the block goes through the row checks,
which name each bad row. A good block gives the lean rows the row checks give, without a frame
of dates or a Python object per row.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ettervern._core import Bucket, Team
from ettervern._io._cells import as_typed, parse_dates, parse_hours
from ettervern._timelog import (
    blank_cells,
    code_parts,
    coded_rows_break,
    normalise_cases,
    normalise_categories,
    normalise_places,
    smallest_int,
    unit_minutes,
)

__all__ = ["coded_block"]

_Array = np.ndarray[Any, Any]
_NEEDED = ("case", "date", "municipality", "category", "hours")
_MOST_STAFF = np.iinfo("int32").max


def coded_block(
    body: pd.DataFrame, columns: dict[str, int], team: Team
) -> tuple[pd.DataFrame, int] | None:
    """The lean rows of a block's rows below the header and how many of them are entirely
    empty (left out, as the row checks leave them), when every other row keeps every rule;
    else None."""
    if not set(_NEEDED) <= set(columns) or not set(columns) <= {*_NEEDED, "staff"}:
        return None
    picked = {name: body.iloc[:, position] for name, position in columns.items()}
    if not all(isinstance(v.dtype, pd.CategoricalDtype) for v in picked.values()):
        return None
    codes = {name: values.cat.codes.to_numpy() for name, values in picked.items()}
    texts = {
        name: pd.Series(list(values.cat.categories), dtype=object)
        for name, values in picked.items()
    }
    blank = _blank_rows(codes, texts)
    empty = 0 if blank is None else int(blank.sum())
    if blank is not None and empty:
        codes = {name: found[~blank] for name, found in codes.items()}
    rows = _rows(codes, texts, team)
    return None if rows is None else (rows, empty)


def _blank_rows(codes: dict[str, _Array], texts: dict[str, pd.Series[Any]]) -> _Array | None:
    """Where a row's every cell is empty; None when no row's can be: a column has no empty
    text and no missing cell (then no row is spread over, a pass a column saved)."""
    per_value = {name: blank_cells(texts[name]) for name in codes}
    if any(not _may_be(per_value[name], True, codes[name]) for name in codes):
        return None
    blank: _Array = np.logical_and.reduce([_spread(per_value[n], True, codes[n]) for n in codes])
    return blank


def _may_be(per_value: Any, missing: bool, codes: _Array) -> bool:
    """Whether a row may be True of ``per_value`` (a value per category, ``missing`` where a
    cell has no category): some category is, or ``missing`` is and a cell has none."""
    return bool(np.any(per_value)) or (missing and bool(len(codes)) and int(codes.min()) < 0)


def _any_row(per_value: Any, missing: bool, codes: _Array) -> bool:
    """Whether a row is True of ``per_value`` (as ``_spread(...).any()``, without the spread
    when no category is and no cell is missing)."""
    return _may_be(per_value, missing, codes) and bool(_spread(per_value, missing, codes).any())


def _spread(per_value: Any, missing: Any, codes: _Array) -> _Array:
    """A value per category spread over the rows (``missing`` where a cell has no category)."""
    lookup = np.append(np.asarray(per_value), missing)
    spread: _Array = lookup[codes]
    return spread


def _rows(codes: dict[str, _Array], texts: dict[str, pd.Series[Any]], team: Team) -> Any:
    """The lean rows of a block without empty rows, or None if a row breaks a rule."""
    places = [m.municipality.name for m in team.members] + [b.value for b in Bucket]
    keys = [c.key for c in team.categories]
    place = _spread(
        _positions(normalise_places, texts["municipality"], places, team), -1, codes["municipality"]
    )
    category = _spread(
        _positions(normalise_categories, texts["category"], keys, team), -1, codes["category"]
    )
    cases = _cases(texts["case"], team)
    days, day_bad = _days(texts["date"], team)
    units, hours_bad = _hours(texts["hours"], team)
    staff, staff_bad = _staff(texts.get("staff"), team)
    if (
        (place < 0).any()
        or (category < 0).any()
        or cases is None
        or _any_row(day_bad, True, codes["date"])
        or _any_row(hours_bad, True, codes["hours"])
        or ("staff" in codes and _any_row(staff_bad, False, codes["staff"]))
    ):
        return None
    lookup, valid = cases
    case = _spread(lookup, -1, codes["case"])
    day = _spread(days, 0, codes["date"])
    if (case == -2).any() or coded_rows_break(
        team,
        days=day,
        place=place,
        category=category,
        cases=case,
        known=[code_parts(team, code) for code in valid],
    ):
        return None
    used = np.bincount(case + 1, minlength=len(valid) + 1)[1:] > 0
    in_use = [code for code, u in zip(valid, used.tolist(), strict=True) if u]
    ranks = np.append(np.cumsum(used) - 1, -1)[case]
    present = (
        _spread(staff, team.staff_per_case, codes["staff"])
        if "staff" in codes
        else np.full(len(day), team.staff_per_case)
    )
    return pd.DataFrame(
        {
            "case": pd.Categorical.from_codes(ranks, dtype=pd.CategoricalDtype(pd.Index(in_use))),
            "day": day.astype("int32"),
            "municipality": pd.Categorical.from_codes(place, dtype=pd.CategoricalDtype(places)),
            "category": pd.Categorical.from_codes(category, dtype=pd.CategoricalDtype(keys)),
            "units": smallest_int(_spread(units, 0, codes["hours"])),
            "staff": smallest_int(present),
        },
        index=pd.RangeIndex(len(day)),
    )


def _positions(normalise: Any, texts: pd.Series[Any], target: list[str], team: Team) -> _Array:
    """Each text's position in ``target`` after ``normalise`` (as the row checks read it), -1
    where it names nothing known or is empty."""
    index = {name: i for i, name in enumerate(target)}
    made = normalise(as_typed(texts), team)[0].astype(object).tolist() if len(texts) else []
    return np.array([index.get(m, -1) if isinstance(m, str) else -1 for m in made], dtype="int16")


def _cases(texts: pd.Series[Any], team: Team) -> tuple[_Array, list[str]] | None:
    """Each text's position among the sorted valid codes it is read as (-1 for none, -2 for a
    text refused), and those codes."""
    if not len(texts):
        return np.zeros(0, dtype="int32"), []
    canonical, reasons, _ = normalise_cases(as_typed(texts), team)
    made = canonical.astype(object).tolist()
    refused = reasons.notna().to_numpy()
    valid = sorted({m for m in made if isinstance(m, str)})
    rank = {code: i for i, code in enumerate(valid)}
    lookup = [
        -2 if bad else (rank[m] if isinstance(m, str) else -1)
        for m, bad in zip(made, refused.tolist(), strict=True)
    ]
    return np.array(lookup, dtype="int32"), valid


def _days(texts: pd.Series[Any], team: Team) -> tuple[_Array, _Array]:
    """Each text's day number, and whether it is not a plausible date at midnight."""
    stamps = parse_dates(texts).to_numpy().astype("datetime64[ns]")
    missing = np.isnat(stamps)
    ticks = stamps.view("int64")
    per_day = 86_400_000_000_000
    days = np.where(missing, 0, ticks // per_day)
    earliest, latest = (np.datetime64(d, "D").astype("int64") for d in team.plausible_dates)
    bad = missing | (days * per_day != ticks) | (days < earliest) | (days > latest)
    return days, bad


def _hours(texts: pd.Series[Any], team: Team) -> tuple[_Array, _Array]:
    """Each text's whole time units, and whether it breaks a rule of hours."""
    hours = parse_hours(texts).to_numpy(dtype="float64")
    step, most = team.time_resolution, team.max_hours_per_entry
    with np.errstate(invalid="ignore"):
        off_step = np.abs(hours / step - np.round(hours / step)) > 1e-9
        bad = np.isnan(hours) | (hours <= 0) | (hours > most) | off_step
    kept = np.where(bad, 0.0, hours)  # a rejected text may read as inf: not multiplied
    units = np.rint(kept * 60 / unit_minutes(team))
    return units.astype("int64"), bad


def _staff(texts: pd.Series[Any] | None, team: Team) -> tuple[_Array, _Array]:
    """Each text's staff present (the team's staff per case where it is not a number), and
    whether it is not a whole number from 1."""
    if texts is None:
        return np.zeros(0, dtype="int64"), np.zeros(0, dtype=bool)
    staff = parse_hours(texts).to_numpy(dtype="float64")
    staff = np.where(np.isnan(staff), team.staff_per_case, staff)
    bad = (staff < 1) | (staff != np.round(staff)) | (staff > _MOST_STAFF)
    return np.where(bad, 0, staff).astype("int64"), bad
