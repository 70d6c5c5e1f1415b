"""A log read from an Arrow table (a Parquet file), checked on whole columns of small codes.

Each text column is read as an Arrow dictionary: its few distinct texts are normalised once,
by the same functions as ``validate_frame``, and every rule is then a numpy comparison on the
codes, the day numbers and the hours. The check only accepts: where a table holds anything it
is not sure of (a column of another type, a text not already in its normal form, a missing
value, a row that breaks a rule), it answers ``None`` and the caller validates the rows with
``validate_frame``, so a bad file is reported exactly as before and a good one is the same log.
"""

from __future__ import annotations

import datetime as dt
import importlib
from typing import Any

import numpy as np
import pandas as pd

from ettervern._core import Bucket, ReportGroup, Team
from ettervern._timelog._log import TimeLog
from ettervern._timelog._normalise import (
    code_parts,
    normalise_cases,
    normalise_categories,
    normalise_places,
)
from ettervern._timelog._schema import COLUMNS, day_number, smallest_int, unit_minutes

__all__ = ["checked_arrow_log"]

_Codes = np.ndarray[Any, np.dtype[np.int64]]


def checked_arrow_log(table: Any, team: Team) -> TimeLog | None:
    """The log of a ``pyarrow.Table`` with the log's columns when every row keeps every rule,
    else None (then validate the rows with ``validate_frame`` for the reasons)."""
    if not set(COLUMNS[:5]) <= set(table.column_names) or table.num_rows == 0:
        return None
    table = table.unify_dictionaries().combine_chunks()
    read = [_texts(table, c) for c in ("municipality", "category", "case")]
    days, hours, staff = _days(table), _numbers(table, "hours"), _staff(table, team)
    texts = [t for t in read if t is not None]
    if len(texts) < 3 or days is None or hours is None or staff is None:
        return None
    (places, place_texts), (categories, category_texts), (cases, case_texts) = texts
    place_names = [m.municipality.name for m in team.members] + [b.value for b in Bucket]
    place = _text_column(places, place_texts, normalise_places, place_names, team)
    keys = [c.key for c in team.categories]
    category = _text_column(categories, category_texts, normalise_categories, keys, team)
    known = _known_cases(case_texts, cases, team)
    if place is None or category is None or known is None:
        return None
    if not _rows_keep_rules(
        team,
        days=days,
        hours=hours,
        staff=staff,
        place=place[0],
        category=category[0],
        cases=cases,
        known=known,
    ):
        return None
    used = np.bincount(cases[cases >= 0], minlength=len(case_texts)) > 0
    in_use = sorted(t for t, u in zip(case_texts, used.tolist(), strict=True) if u)
    units = np.rint(hours * 60 / unit_minutes(team)).astype("int64")
    lean = pd.DataFrame(
        {
            "case": pd.Categorical.from_codes(
                _ranks(cases, case_texts, in_use), dtype=pd.CategoricalDtype(pd.Index(in_use))
            ),
            "day": days.astype("int32"),
            "municipality": place[1],
            "category": category[1],
            "units": smallest_int(units),
            "staff": smallest_int(staff),
        },
        index=pd.RangeIndex(len(days)),
    )
    return TimeLog._of_lean(lean, team)


def _arrow() -> tuple[Any, Any]:
    """pyarrow and its compute functions (the ``fast`` extra; the caller checked it is here)."""
    return importlib.import_module("pyarrow"), importlib.import_module("pyarrow.compute")


def _texts(table: Any, column: str) -> tuple[_Codes, list[str]] | None:
    """A text column as (codes, -1 where missing; its distinct texts), or None if it is not
    text."""
    pa, pc = _arrow()

    array = table.column(column).chunk(0) if table.column(column).num_chunks else None
    if array is None:
        return None
    if pa.types.is_null(array.type):  # every cell empty (a log without cases)
        return np.full(len(array), -1, dtype="int64"), []
    if not pa.types.is_dictionary(array.type):
        if not (pa.types.is_string(array.type) or pa.types.is_large_string(array.type)):
            return None
        array = pc.dictionary_encode(array)
    values = array.dictionary
    if not (pa.types.is_string(values.type) or pa.types.is_large_string(values.type)):
        return None
    codes = array.indices.fill_null(-1).to_numpy(zero_copy_only=False).astype("int64")
    return codes, [str(v) for v in values.to_pylist()]


def _text_column(
    codes: _Codes, texts: list[str], normalise: Any, target: list[str], team: Team
) -> tuple[_Codes, Any] | None:
    """A municipality or category column as codes into ``target`` (for the rules) and as the
    categorical the row path makes of it; None if a used text is missing, unknown or not
    already what ``normalise`` makes of it.

    The row path keeps the categories in the order it met them (the dictionary's order) when
    they are all of ``target``, and takes ``target``'s order otherwise; so does this.
    """
    made = normalise(pd.Series(texts, dtype=object), team)[0].astype(object).tolist()
    same = [m == t for m, t in zip(made, texts, strict=True)]
    recoded = _recoded(codes, texts, same, target)
    if recoded is None or (recoded < 0).any():
        return None
    met = list(dict.fromkeys(m for m in made if isinstance(m, str)))
    order = met if sorted(met) == sorted(target) else target
    position = {name: i for i, name in enumerate(order)}
    remap = np.array([position[name] for name in target], dtype="int64")
    return recoded, pd.Categorical.from_codes(remap[recoded], dtype=pd.CategoricalDtype(order))


def _recoded(codes: _Codes, texts: list[str], same: list[bool], order: list[str]) -> _Codes | None:
    """Codes into ``order``; None where a used text is not one of it as it stands (-1 stays
    for missing)."""
    index = {name: i for i, name in enumerate(order)}
    used = np.bincount(codes[codes >= 0], minlength=len(texts)) > 0
    lookup = np.full(len(texts) + 1, -1, dtype="int64")
    for i, text in enumerate(texts):
        if used[i]:
            if not same[i] or text not in index:
                return None
            lookup[i] = index[text]
    return lookup[codes]


def _known_cases(texts: list[str], codes: _Codes, team: Team) -> list[tuple[str, int]] | None:
    """Each distinct case code's letters and year, or None if one used is not a valid code in
    its canonical form (the row path would change or refuse it)."""
    if not texts:
        return []
    canonical, reasons, _ = normalise_cases(pd.Series(texts, dtype=object), team)
    used = np.bincount(codes[codes >= 0], minlength=len(texts)) > 0
    out = []
    for i, (text, made, reason) in enumerate(
        zip(texts, canonical.astype(object).tolist(), reasons.tolist(), strict=True)
    ):
        if used[i] and (not _missing(reason) or made != text):
            return None
        out.append(code_parts(team, text) if used[i] else ("", 0))
    return out


def _missing(value: object) -> bool:
    """Whether a mapped cell is empty (None or NaN)."""
    return value is None or (isinstance(value, float) and np.isnan(value))


def _days(table: Any) -> _Codes | None:
    """Day numbers of a date column at midnight, or None (missing, a time of day, a zone)."""
    pa, _ = _arrow()

    array = table.column("date").chunk(0)
    if not (pa.types.is_timestamp(array.type) or pa.types.is_date(array.type)):
        return None
    if getattr(array.type, "tz", None) is not None or array.null_count:
        return None
    values = np.asarray(array.to_numpy(zero_copy_only=False))
    days = values.astype("datetime64[D]")
    if (days != values).any():
        return None
    return days.astype("int64")


def _numbers(table: Any, column: str) -> np.ndarray[Any, np.dtype[np.float64]] | None:
    """A numeric column without missing values as floats, or None."""
    pa, _ = _arrow()

    array = table.column(column).chunk(0)
    if not (pa.types.is_floating(array.type) or pa.types.is_integer(array.type)):
        return None
    values = np.asarray(array.to_numpy(zero_copy_only=False), dtype="float64")
    return None if array.null_count or np.isnan(values).any() else values


def _staff(table: Any, team: Team) -> _Codes | None:
    """Staff present, the team's staff per case where the column is missing; None unless each
    is a whole number from 1."""
    if "staff" not in table.column_names:
        return np.full(table.num_rows, team.staff_per_case, dtype="int64")
    values = _numbers(table, "staff")
    if values is None or (values < 1).any() or (values != np.round(values)).any():
        return None
    return values.astype("int64")


def _rows_keep_rules(
    team: Team,
    *,
    days: _Codes,
    hours: np.ndarray[Any, Any],
    staff: _Codes,
    place: _Codes,
    category: _Codes,
    cases: _Codes,
    known: list[tuple[str, int]],
) -> bool:
    """Whether every row keeps the rules ``validate_frame`` checks (given known values)."""
    earliest, latest = (day_number(d) for d in team.plausible_dates)
    step, most = team.time_resolution, team.max_hours_per_entry
    off_step = np.abs(hours / step - np.round(hours / step)) > 1e-9
    if (days < earliest).any() or (days > latest).any():
        return False
    if (hours <= 0).any() or (hours > most).any() or off_step.any():
        return False
    return not (
        _outside_periods(team, days, place, category).any()
        or _case_breaks(
            team, days=days, place=place, category=category, cases=cases, known=known
        ).any()
    )


def _outside_periods(team: Team, days: _Codes, place: _Codes, category: _Codes) -> Any:
    """Rows of a category out of use or of a member outside its membership."""
    bad = np.zeros(len(days), dtype=bool)
    spans = [(category == i, c.valid_from, c.valid_until) for i, c in enumerate(team.categories)]
    spans += [(place == i, m.since, m.until) for i, m in enumerate(team.members)]
    for rows, since, until in spans:
        if since is not None:
            bad |= rows & (days < day_number(since))
        if until is not None:
            bad |= rows & (days > day_number(until))
    return bad


def _case_breaks(
    team: Team,
    *,
    days: _Codes,
    place: _Codes,
    category: _Codes,
    cases: _Codes,
    known: list[tuple[str, int]],
) -> Any:
    """Rows whose case does not fit the entry: on shared work, letters unknown or another
    member's, outside the members for other than collaboration and driving, a later year."""
    members = len(team.members)
    buckets = [b.value for b in Bucket]
    by_letters = {m.letters: i for i, m in enumerate(team.members)}
    case_place = np.array([by_letters.get(letters, -2) for letters, _ in known] + [-1])
    # A code's year after the entry's date: the entry lies before 1 January of that year.
    case_start = np.array([day_number(dt.date(max(year, 1), 1, 1)) for _, year in known] + [0])
    has_case = cases >= 0
    if (case_place[cases][has_case] == -2).any():
        return np.ones(1, dtype=bool)
    may_be_outside = [
        i
        for i, c in enumerate(team.categories)
        if c.in_group(ReportGroup.COLLABORATION) or c.in_group(ReportGroup.DRIVING)
    ]
    shared = members + buckets.index(Bucket.SHARED.value)
    other = members + buckets.index(Bucket.OTHER_MUNICIPALITIES.value)
    return has_case & (
        (place == shared)
        | ((place < members) & (case_place[cases] != place))
        | ((place == other) & ~np.isin(category, may_be_outside))
        | (case_start[cases] > days)
    )


def _ranks(cases: _Codes, texts: list[str], in_use: list[str]) -> _Codes:
    """Case codes into the sorted codes in use (-1 stays for none)."""
    rank = {text: i for i, text in enumerate(in_use)}
    lookup = np.array([rank.get(t, -1) for t in texts] + [-1], dtype="int64")
    return lookup[cases]
