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

import attrs
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

__all__ = ["BATCH_ROWS", "checked_arrow_batches", "checked_arrow_log", "coded_rows_break"]

_Codes = np.ndarray[Any, np.dtype[np.int64]]


def checked_arrow_log(table: Any, team: Team) -> TimeLog | None:
    """The log of a ``pyarrow.Table`` with the log's columns when every row keeps every rule,
    else None (then validate the rows with ``validate_frame`` for the reasons).

    The distinct texts are read once, into lookups from the dictionary's codes; the rows are
    then checked and coded in record batches of ``BATCH_ROWS`` into arrays of the lean log's
    small types: no array of the whole table's length in a wider type than the log keeps.
    """
    found = checked_arrow_batches(table, team, stop_at_doubt=True)
    return None if found is None else found[0]


def checked_arrow_batches(
    table: Any, team: Team, *, stop_at_doubt: bool = False, batch_rows: int = 0
) -> tuple[TimeLog, list[tuple[int, int]]] | None:
    """The log of the record batches of a ``pyarrow.Table`` in which every row keeps every rule,
    and the rows (``start``, ``stop``) of each batch in which some row does not or is doubtful
    (for the caller to validate row by row); None when the table as a whole cannot be read on
    its codes (a column missing or of another type, no rows), or, with ``stop_at_doubt``, at
    the first doubtful batch. The batches are of ``batch_rows`` rows (``BATCH_ROWS`` unless
    given)."""
    if not set(COLUMNS[:5]) <= set(table.column_names) or table.num_rows == 0:
        return None
    table = _encoded(table)
    if table is None:
        return None
    lookups = _lookups(table, team)
    if lookups is None:
        return None
    place, category, case = lookups
    out = _Coded(table.num_rows, len(case.texts), CodedRules.of(team, case.known))
    out.allocate(_most_units(team), _most_staff(table, team))
    doubtful: list[tuple[int, int]] = []
    start = 0
    for batch in table.to_batches(max_chunksize=batch_rows or BATCH_ROWS):
        if batch.num_rows and not _coded_batch(batch, team, (place, category, case), out, start):
            doubtful.append((start, start + batch.num_rows))
            if stop_at_doubt:
                return None
        start += batch.num_rows
    return _log(out, (place, category, case), team, doubtful), doubtful


BATCH_ROWS = 1 << 18
"""Rows checked at a time: the temporaries of a batch stay in the processor's cache."""


@attrs.define
class _Coded:
    """The lean columns of a whole table, filled batch by batch, and the rules between columns
    each batch is checked on."""

    rows: int
    codes: int
    """How many valid case codes the dictionary holds."""
    rules: CodedRules
    day: Any = None
    place: Any = None
    category: Any = None
    case: Any = None
    units: Any = None
    staff: Any = None
    used: Any = None
    """How many rows written hold each case code (the first entry: no case), counted batch by
    batch: no temporary of the whole table's length."""

    def allocate(self, units: int, staff: int) -> None:
        """Room for every row, units and staff in types that hold ``units`` and ``staff``."""
        n = self.rows
        self.day = np.empty(n, dtype="int32")
        self.place = np.empty(n, dtype="int8")
        self.category = np.empty(n, dtype="int16")
        self.case = np.empty(n, dtype="int16" if self.codes < 2**15 - 1 else "int32")
        self.units = np.empty(n, dtype=smallest_int(np.array([0, units])).dtype)
        self.staff = np.empty(n, dtype=smallest_int(np.array([0, staff])).dtype)
        self.used = np.zeros(self.codes + 1, dtype="int64")


def _most_units(team: Team) -> int:
    """The most whole time units an entry may have."""
    return int(np.ceil(team.max_hours_per_entry * 60 / unit_minutes(team))) + 1


def _most_staff(table: Any, team: Team) -> int:
    """The most staff present on a row of ``table`` that a batch could accept (at most
    ``_MOST_STAFF``; a row with more makes its batch doubtful)."""
    if "staff" not in table.column_names:
        return team.staff_per_case
    _, pc = _arrow()
    try:
        most = pc.min_max(table.column("staff"))["max"].as_py()
        return int(min(max(most, team.staff_per_case), _MOST_STAFF))
    except (TypeError, ValueError, OverflowError):  # no numbers, NaN: the widest
        return _MOST_STAFF


@attrs.frozen
class _Lookup:
    """A text column's dictionary read once: each code's place in ``target`` (``-1`` where it
    is not there as it stands), whether any is (``refused``), the categories the log keeps
    for the column, and each place in ``target`` as a code of those (None when the same)."""

    codes: Any
    categories: list[str]
    remap: Any
    refused: bool


@attrs.frozen
class _Cases:
    """The case column's dictionary read once: each code's place among ``texts`` (the valid
    codes, sorted; ``-2`` for a text that is not one, ``-1`` for none), and each valid code's
    letters and year."""

    codes: Any
    texts: list[str]
    known: list[tuple[str, int]]
    refused: bool
    """Whether a text of the dictionary is not a valid code (``-2``)."""


def _encoded(table: Any) -> Any:
    """The table with its three text columns as unified dictionaries, or None if one is not
    text."""
    pa, pc = _arrow()
    for column in ("municipality", "category", "case"):
        values = table.column(column)
        kind = values.type
        if pa.types.is_dictionary(kind):
            kind = kind.value_type
        elif pa.types.is_string(kind) or pa.types.is_large_string(kind):
            values = pc.dictionary_encode(values)
        elif pa.types.is_null(kind) and column == "case":  # a log without cases
            continue
        else:
            return None
        if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
            return None
        table = table.set_column(table.column_names.index(column), column, values)
    return table.unify_dictionaries()


def _dictionary(table: Any, column: str) -> list[str]:
    """The distinct texts of a (unified) dictionary column; none for a column of nulls."""
    values = table.column(column)
    if not values.num_chunks or not hasattr(values.chunk(0), "dictionary"):
        return []
    return [str(v) for v in values.chunk(0).dictionary.to_pylist()]


def _lookups(table: Any, team: Team) -> tuple[_Lookup, _Lookup, _Cases] | None:
    """The lookups of the municipality, category and case columns, or None if one is
    doubtful."""
    place_names = [m.municipality.name for m in team.members] + [b.value for b in Bucket]
    keys = [c.key for c in team.categories]
    place = _text_lookup(_dictionary(table, "municipality"), normalise_places, place_names, team)
    category = _text_lookup(_dictionary(table, "category"), normalise_categories, keys, team)
    case = _case_lookup(_dictionary(table, "case"), team)
    if place is None or category is None or case is None:
        return None
    return place, category, case


def _text_lookup(texts: list[str], normalise: Any, target: list[str], team: Team) -> _Lookup:
    """A municipality or category dictionary as a lookup into ``target`` (``-1`` for a text that
    is unknown or not already what ``normalise`` makes of it), and the categories the row path
    gives the column: the order it met them in (the dictionary's) when they are all of
    ``target``, ``target``'s order otherwise.
    """
    made = (
        normalise(pd.Series(texts, dtype=object), team)[0].astype(object).tolist() if texts else []
    )
    index = {name: i for i, name in enumerate(target)}
    codes = np.array(
        [index.get(t, -1) if m == t else -1 for m, t in zip(made, texts, strict=True)] + [-1],
        dtype="int16",
    )
    met = list(dict.fromkeys(m for m in made if isinstance(m, str)))
    order = met if sorted(met) == sorted(target) else target
    position = {name: i for i, name in enumerate(order)}
    remap = np.array([position[name] for name in target], dtype="int16")
    same = bool((remap == np.arange(len(target))).all())
    return _Lookup(codes, order, None if same else remap, refused=bool((codes[:-1] < 0).any()))


def _case_lookup(texts: list[str], team: Team) -> _Cases:
    """Each case text's place among the sorted valid codes (``-2`` for a text that is not a
    valid code in its canonical form: the row path would change or refuse it)."""
    if not texts:
        return _Cases(np.array([-1], dtype="int32"), [], [], refused=False)
    canonical, reasons, _ = normalise_cases(pd.Series(texts, dtype=object), team)
    valid = [
        text
        for text, made, reason in zip(
            texts, canonical.astype(object).tolist(), reasons.tolist(), strict=True
        )
        if _missing(reason) and made == text
    ]
    codes = sorted(set(valid))
    rank = {text: i for i, text in enumerate(codes)}
    lookup = np.array([rank.get(t, -2) for t in texts] + [-1], dtype="int32")
    known = [code_parts(team, code) for code in codes]
    return _Cases(lookup, codes, known, refused=bool((lookup == -2).any()))


def _indices(batch: Any, column: str, nulls: bool) -> Any:
    """A dictionary column's codes in a batch (``-1`` where missing, if ``nulls`` may be), or
    None where a cell is missing and may not be."""
    pa, _ = _arrow()
    array = batch.column(batch.schema.get_field_index(column))
    if pa.types.is_null(array.type):
        return np.full(len(array), -1, dtype="int8") if nulls else None
    indices = array.indices
    if indices.null_count:
        if not nulls:
            return None
        indices = indices.fill_null(-1)
    return indices.to_numpy(zero_copy_only=False)


def _coded_batch(
    batch: Any,
    team: Team,
    lookups: tuple[_Lookup, _Lookup, _Cases],
    out: _Coded,
    start: int,
) -> bool:
    """Check one record batch and write its lean columns into ``out`` from row ``start``;
    whether every row keeps every rule.

    A text refused is looked for on the rows only when the column's dictionary holds one; the
    codes go to the log's as they are when its categories are in the dictionary's order."""
    place_lookup, category_lookup, case_lookup = lookups
    found = [
        _indices(batch, "municipality", nulls=False),
        _indices(batch, "category", nulls=False),
        _indices(batch, "case", nulls=True),
    ]
    days, hours, staff = _days(batch), _numbers(batch, "hours"), _staff(batch, team)
    if any(f is None for f in found) or days is None or hours is None or staff is None:
        return False
    place = np.take(place_lookup.codes, found[0])  # as ``codes[found]``, in half the time
    category = np.take(category_lookup.codes, found[1])
    cases = np.take(case_lookup.codes, found[2])
    if (
        (place_lookup.refused and (place < 0).any())
        or (category_lookup.refused and (category < 0).any())
        or (case_lookup.refused and (cases < -1).any())
    ):
        return False
    units = _rows_keep_rules(
        team, out.rules, days=days, hours=hours, place=place, category=category, cases=cases
    )
    if units is None:
        return False
    end = start + len(days)
    out.day[start:end] = days
    out.place[start:end] = place if place_lookup.remap is None else place_lookup.remap[place]
    out.category[start:end] = (
        category if category_lookup.remap is None else category_lookup.remap[category]
    )
    out.case[start:end] = cases
    out.used += np.bincount(cases + 1, minlength=len(out.used))
    out.units[start:end] = units
    out.staff[start:end] = staff
    return True


def _log(
    out: _Coded,
    lookups: tuple[_Lookup, _Lookup, _Cases],
    team: Team,
    doubtful: list[tuple[int, int]],
) -> TimeLog:
    """The lean log of the coded columns, less the rows of the ``doubtful`` batches (never
    written); the case categories are the codes in use, sorted."""
    place, category, cases = lookups
    columns = [out.case, out.day, out.place, out.category, out.units, out.staff]
    if doubtful:  # the rows of the batches checked row by row were never written
        bounds = [0, *(b for span in doubtful for b in span), out.rows]
        kept = list(zip(bounds[::2], bounds[1::2], strict=True))
        columns = [np.concatenate([c[a:b] for a, b in kept]) for c in columns]
    codes, day, places, categories, units, staff = columns
    texts = cases.texts
    used = out.used[1:] > 0
    in_use = [t for t, u in zip(texts, used.tolist(), strict=True) if u]
    if not used.all():  # to the codes in use
        codes = np.append(np.cumsum(used) - 1, -1).astype(codes.dtype)[codes]
    lean = pd.DataFrame(
        {
            "case": pd.Categorical.from_codes(codes, dtype=pd.CategoricalDtype(pd.Index(in_use))),
            "day": day,
            "municipality": pd.Categorical.from_codes(
                places, dtype=pd.CategoricalDtype(place.categories)
            ),
            "category": pd.Categorical.from_codes(
                categories, dtype=pd.CategoricalDtype(category.categories)
            ),
            "units": smallest_int(units),
            "staff": smallest_int(staff),
        },
        index=pd.RangeIndex(len(day)),
        copy=False,  # the arrays are this read's own
    )
    return TimeLog._of_lean(lean, team)


def _arrow() -> tuple[Any, Any]:
    """pyarrow and its compute functions (the ``fast`` extra; the caller checked it is here)."""
    return importlib.import_module("pyarrow"), importlib.import_module("pyarrow.compute")


def _missing(value: object) -> bool:
    """Whether a mapped cell is empty (None or NaN)."""
    return value is None or (isinstance(value, float) and np.isnan(value))


def _column(batch: Any, name: str) -> Any:
    return batch.column(batch.schema.get_field_index(name))


_PER_DAY = {"D": 1, "s": 86_400, "ms": 86_400_000, "us": 86_400_000_000, "ns": 86_400_000_000_000}
"""Ticks a day in each unit of time a Parquet date or timestamp comes in."""


def _days(batch: Any) -> Any:
    """Day numbers (``int32``) of a date column at midnight, or None (missing, a time of day,
    a zone)."""
    pa, _ = _arrow()
    array = _column(batch, "date")
    if array.null_count:
        return None
    if not (pa.types.is_timestamp(array.type) or pa.types.is_date(array.type)):
        return None
    if getattr(array.type, "tz", None) is not None:
        return None
    values = np.asarray(array.to_numpy(zero_copy_only=False))
    per_day = _PER_DAY.get(np.datetime_data(values.dtype)[0])
    if per_day is None:
        return None
    stamps = values.view("int64")
    days = stamps // per_day
    if (days * per_day != stamps).any():
        return None
    return days.astype("int32")


def _numbers(batch: Any, column: str) -> np.ndarray[Any, np.dtype[np.float64]] | None:
    """A numeric column without missing values as floats, or None."""
    pa, _ = _arrow()
    array = _column(batch, column)
    if not (pa.types.is_floating(array.type) or pa.types.is_integer(array.type)):
        return None
    if array.null_count:
        return None
    values = np.asarray(array.to_numpy(zero_copy_only=False), dtype="float64")
    return None if np.isnan(values).any() else values


_MOST_STAFF = np.iinfo("int32").max
"""More staff than this goes to the row path (the lean column here is ``int32``)."""


def _staff(batch: Any, team: Team) -> _Codes | None:
    """Staff present, the team's staff per case where the column is missing; None unless each
    is a whole number from 1."""
    if "staff" not in batch.schema.names:
        return np.full(batch.num_rows, team.staff_per_case, dtype="int64")
    pa, _ = _arrow()
    array = _column(batch, "staff")
    if pa.types.is_integer(array.type) and not array.null_count:  # whole numbers already
        whole = np.asarray(array.to_numpy(zero_copy_only=False))
        return whole if whole.min() >= 1 and whole.max() <= _MOST_STAFF else None
    values = _numbers(batch, "staff")
    if values is None or values.min() < 1 or values.max() > _MOST_STAFF:
        return None
    if (values != np.round(values)).any():
        return None
    return values.astype("int64")


def _rows_keep_rules(
    team: Team,
    rules: CodedRules,
    *,
    days: _Codes,
    hours: np.ndarray[Any, Any],
    place: _Codes,
    category: _Codes,
    cases: _Codes,
) -> Any:
    """The hours in whole time units when every row keeps the rules ``validate_frame`` checks
    (given known values), else None.

    A row's units are its hours on the team's step, rounded: the hours were just checked to lie
    within 1e-9 of a whole number of steps, and the unit is the step in whole minutes, so this
    is the ``rint(hours * 60 / unit_minutes)`` of the row path without a second pass.
    """
    earliest, latest = (day_number(d) for d in team.plausible_dates)
    low, high = int(days.min()), int(days.max())
    if low < earliest or high > latest:
        return None
    step, most = team.time_resolution, team.max_hours_per_entry
    if hours.min() <= 0 or hours.max() > most:
        return None
    steps = hours / step
    units = np.rint(steps)
    # Hours on the step exactly (most files) need not be measured against the tolerance.
    if not np.array_equal(steps, units) and (np.abs(steps - units) > 1e-9).any():
        return None
    if rules.broken(days=days, place=place, category=category, cases=cases, span=(low, high)):
        return None
    return units if rules.units_are_steps else np.rint(hours * 60 / unit_minutes(team))


def coded_rows_break(
    team: Team,
    *,
    days: _Codes,
    place: _Codes,
    category: _Codes,
    cases: _Codes,
    known: list[tuple[str, int]],
) -> bool:
    """Whether a row breaks a rule between columns (a category out of use, a member outside its
    membership, a case that does not fit its entry), read on codes: ``days`` day numbers,
    ``place`` positions among the members and then the buckets, ``category`` positions in the
    team's catalog, ``cases`` positions in ``known`` (each valid code's letters and year; ``-1``
    for no case)."""
    if not len(days):
        return False
    span = (int(days.min()), int(days.max()))
    rules = _rules_of(team, known)
    return rules.broken(days=days, place=place, category=category, cases=cases, span=span)


_LAST_RULES: list[CodedRules] = []
"""The rules last made: the blocks of one CSV file share their team and mostly their codes."""


def _rules_of(team: Team, known: list[tuple[str, int]]) -> CodedRules:
    """``CodedRules.of(team, known)``, made again only when the team or the codes change."""
    last = next(iter(_LAST_RULES), None)  # read once: another thread may replace it
    if last is not None and last.team is team and last.known == known:
        return last
    rules = CodedRules.of(team, known)
    _LAST_RULES[:] = [rules]
    return rules


_LOW, _HIGH = int(np.iinfo("int32").min), int(np.iinfo("int32").max)

_MOST_PAIRS = 1 << 22
"""Cases times places above which the rules of a case are checked row by row, not looked up."""


@attrs.frozen
class CodedRules:
    """The rules between a row's columns, as lookups on their codes, made once for a team and
    its known case codes (each valid code's letters and year, in the order of the codes).

    Each lookup is indexed by a code and has one more entry, for ``-1`` (no value): the first
    and last day of each category and member (open ends as the widest int32), the first day of
    each case code's year, and, for each pair of a case code and a place, whether the pair is
    fine (0), breaks a rule (1), or is fine only for a category that may be outside the members
    (2). A rule whose lookups cannot bite on a batch's days (every bound outside them) costs
    nothing."""

    used_from: _Codes
    used_until: _Codes
    member_from: _Codes
    member_until: _Codes
    case_start: _Codes
    pairs: Any
    """``(case + 1) * places + place`` to 0, 1 or 2; None when there are too many pairs."""
    places: int
    outside_ok: Any
    known: list[tuple[str, int]]
    team: Team
    units_are_steps: bool

    @classmethod
    def of(cls, team: Team, known: list[tuple[str, int]]) -> CodedRules:
        """The lookups of ``team``'s rules for the case codes ``known``."""

        def bounds(spans: list[tuple[Any, Any]], extra: int) -> tuple[_Codes, _Codes]:
            first = [_LOW if a is None else day_number(a) for a, _ in spans] + [_LOW] * extra
            last = [_HIGH if b is None else day_number(b) for _, b in spans] + [_HIGH] * extra
            return np.array(first, dtype="int32"), np.array(last, dtype="int32")

        used = bounds([(c.valid_from, c.valid_until) for c in team.categories], 1)
        member = bounds([(m.since, m.until) for m in team.members], len(Bucket) + 1)
        # A code's year after the entry's date: the entry lies before 1 January of that year.
        start = [day_number(dt.date(max(year, 1), 1, 1)) for _, year in known] + [_LOW]
        outside_ok = np.array(
            [
                c.in_group(ReportGroup.COLLABORATION) or c.in_group(ReportGroup.DRIVING)
                for c in team.categories
            ]
            + [False]
        )
        places = len(team.members) + len(Bucket)
        return cls(
            *used,
            *member,
            np.array(start, dtype="int32"),
            _pairs(team, known, places),
            places,
            outside_ok,
            known,
            team,
            abs(team.time_resolution * 60 - unit_minutes(team)) < 1e-9,
        )

    def broken(
        self,
        *,
        days: _Codes,
        place: _Codes,
        category: _Codes,
        cases: _Codes,
        span: tuple[int, int],
    ) -> bool:
        """Whether a row breaks a rule between columns (the arguments as ``coded_rows_break``
        reads them; ``span`` the first and last of ``days``)."""
        return bool(
            self._outside_periods(days, place, category, span)
            or (int(self.case_start.max()) > span[0] and (self.case_start[cases] > days).any())
            or self._case_breaks(days, place, category, cases)
        )

    def _outside_periods(
        self, days: _Codes, place: _Codes, category: _Codes, span: tuple[int, int]
    ) -> bool:
        """Whether a row's category is out of use or its member outside its membership; a bound
        is looked up only where some code has one inside ``span``."""
        low, high = span
        for first, last, codes in (
            (self.used_from, self.used_until, category),
            (self.member_from, self.member_until, place),
        ):
            if int(first.max()) > low and (days < first[codes]).any():
                return True
            if int(last.min()) < high and (days > last[codes]).any():
                return True
        return False

    def _case_breaks(self, days: _Codes, place: _Codes, category: _Codes, cases: _Codes) -> bool:
        """Whether a row's case does not fit its place (and category), looked up in pairs."""
        if self.pairs is None:
            return bool(_case_breaks(self.team, self.known, (days, place, category, cases)).any())
        flags = np.take(self.pairs, (cases.astype("int32", copy=False) + 1) * self.places + place)
        if not flags.any():
            return False
        if (flags == 1).any():
            return True
        return not self.outside_ok[category[flags == 2]].all()


def _pairs(team: Team, known: list[tuple[str, int]], places: int) -> Any:
    """For each pair of a case code (``-1`` for none, first) and a place, 0 when the pair keeps
    the rules of a case, 1 when it breaks them (letters unknown; shared work; another member's
    case), 2 when it keeps them only for collaboration and driving (a case of a member logged
    under the other municipalities); None when there are more than ``_MOST_PAIRS``."""
    if (len(known) + 1) * places > _MOST_PAIRS:
        return None
    members = len(team.members)
    buckets = [b.value for b in Bucket]
    by_letters = {m.letters: i for i, m in enumerate(team.members)}
    own = np.array([-1] + [by_letters.get(letters, -2) for letters, _ in known], "int16")[:, None]
    place = np.arange(places)[None, :]
    shared = members + buckets.index(Bucket.SHARED.value)
    other = members + buckets.index(Bucket.OTHER_MUNICIPALITIES.value)
    wrong = (own == -2) | ((own >= 0) & ((place == shared) | ((place < members) & (own != place))))
    outside = (own >= 0) & (place == other)
    return np.where(wrong, 1, np.where(outside, 2, 0)).astype("int8").ravel()


def _case_breaks(
    team: Team, known: list[tuple[str, int]], codes: tuple[_Codes, _Codes, _Codes, _Codes]
) -> Any:
    """Rows whose case does not fit the entry: on shared work, letters unknown or another
    member's, outside the members for other than collaboration and driving, a later year
    (``codes``: the rows' days, places, categories and cases, as ``coded_rows_break`` reads
    them); row by row, for more case codes than ``CodedRules`` looks up in pairs."""
    days, place, category, cases = codes
    members = len(team.members)
    buckets = [b.value for b in Bucket]
    by_letters = {m.letters: i for i, m in enumerate(team.members)}
    case_place = np.array([by_letters.get(letters, -2) for letters, _ in known] + [-1], "int16")
    # A code's year after the entry's date: the entry lies before 1 January of that year.
    case_start = np.array(
        [day_number(dt.date(max(year, 1), 1, 1)) for _, year in known] + [np.iinfo("int32").min],
        dtype="int32",
    )
    own = case_place[cases]  # -1 for no case
    if (own == -2).any():
        return np.ones(1, dtype=bool)
    outside_ok = np.array(
        [
            c.in_group(ReportGroup.COLLABORATION) or c.in_group(ReportGroup.DRIVING)
            for c in team.categories
        ]
        + [False]
    )
    shared = members + buckets.index(Bucket.SHARED.value)
    other = members + buckets.index(Bucket.OTHER_MUNICIPALITIES.value)
    return (case_start[cases] > days) | (
        (own >= 0)
        & (
            (place == shared)
            | ((place < members) & (own != place))
            | ((place == other) & ~outside_ok[category])
        )
    )
