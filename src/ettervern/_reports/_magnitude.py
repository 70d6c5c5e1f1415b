"""Primary suppression of magnitude cells (hours, log entries): who contributes to each.

A cell of hours by municipality and category adds up log entries. The entries of one case are
one contributor: publishing a cell that one or two cases make up publishes their care. Two
rules, applied to the part of each cell that is tied to cases:

- **minimum contributors**: from 1 to ``threshold - 1`` distinct cases → sensitive (SSB
  publishes no magnitude "based on fewer than three observations"; GaussSuppression's
  ``NContributorsRule``);
- **the p% rule** (τ-ARGUS manual §4.2; Hundepool et al., *Statistical Disclosure Control*,
  2012, §4.2.2): sensitive when the cell less its two largest contributors is below ``p`` % of
  the largest, i.e. the second contributor could estimate the first to within ``p`` %. ``p`` is
  the team's ``dominance_p`` (10 by default, as τ-ARGUS's examples; 0 turns it off).

Time tied to no case (``Felles``, work with a member's services) is the team's own: a cell
that holds nothing else needs no protection. Where it shares a cell with one or two cases it
does not make the cell safe: the rules look at the cases' part alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, cast

import numpy as np
import pandas as pd

from ettervern._reports._definitions import TOTAL, Magnitude
from ettervern._timelog import days_of

__all__ = ["Contributions", "sensitive"]


class Contributions:
    """Each case's share of the period's log, by municipality, month and category.

    The log is grouped once, on its columns' integer codes, into one row per municipality,
    month, category and case (``parts``: a few thousand rows whatever the log's length), and
    each cell's contributors are added up from those rows with ``numpy.bincount``. Sums of
    sums are the sums: a cell's amounts are the same as adding its entries one by one.
    """

    def __init__(self, frame: pd.DataFrame, period: tuple[dt.date, dt.date]) -> None:
        first, last = (int(np.datetime64(d, "D").astype("int64")) for d in period)
        days = days_of(frame)
        inside = (days >= first) & (days <= last)
        whole = bool(inside.all())

        def kept(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
            return values if whole else values[inside]

        columns = {c: _categorical(frame[c]) for c in ("municipality", "category", "case")}
        # The month of each day of the period, counted from the period's first month.
        month_of_day = np.arange(first, last + 1).astype("datetime64[D]").astype("datetime64[M]")
        first_month = int(month_of_day[0].astype("int64"))
        month_of_day = month_of_day.astype("int64") - first_month
        # One integer key per municipality, month, category and case (-1, no case, is 0).
        sizes = [len(columns[c].categories) for c in ("municipality", "category", "case")]
        sizes = [sizes[0], int(month_of_day[-1]) + 1, sizes[1], sizes[2] + 1]
        key = kept(columns["municipality"].codes).astype("int64")  # in place from here on
        key *= sizes[1]
        key += month_of_day[kept(days) - first]
        key *= sizes[2]
        key += kept(columns["category"].codes)
        key *= sizes[3]
        key += kept(columns["case"].codes)
        key += 1
        keys, hours, entries = _grouped(key, kept(frame["hours"].to_numpy(dtype="float64")))
        case_codes = keys % sizes[3] - 1
        rest = keys // sizes[3]
        month = first_month + (rest // sizes[2]) % sizes[1]
        names = {
            c: columns[c].categories.astype(str).to_numpy(dtype=object)
            for c in ("municipality", "category")
        }
        cases = columns["case"].categories.astype(object).to_numpy()
        self.parts = pd.DataFrame(
            {
                "municipality": names["municipality"][rest // sizes[2] // sizes[1]],
                "month": _month_names(month),
                "category": names["category"][rest % sizes[2]],
                "case": np.where(case_codes >= 0, cases[np.maximum(case_codes, 0)], None)
                if len(cases)
                else np.full(len(keys), None, dtype=object),
                "hours": hours,
                "entries": entries,
            }
        )
        self._case = case_codes
        self._cases = len(cases)
        self._codes: dict[str, tuple[Any, Any]] = {}
        known = {  # the grouping's own codes (any coding of a column's values does)
            "municipality": (rest // sizes[2] // sizes[1], names["municipality"]),
            "category": (rest % sizes[2], names["category"]),
            "month": (month - first_month, _month_names(np.arange(sizes[1]) + first_month)),
        }
        for column, (codes, values) in known.items():
            if len(codes) and len(set(values.tolist())) == len(values):
                self._codes[column] = codes, {str(v): i for i, v in enumerate(values)}
        self._cells: dict[tuple[str, str, tuple[str, ...]], tuple[Any, Any]] = {}
        self._amounts: dict[tuple[Any, ...], tuple[list[float], float]] = {}
        self._arrays: dict[str, np.ndarray[Any, Any]] = {}

    def of_cell(
        self,
        table: Magnitude,
        row: str,
        categories: Sequence[str],
        *,
        without: str | None = None,
    ) -> tuple[list[float], float]:
        """The amounts each case contributes to a cell (largest first), and the amount tied
        to no case; ``without`` one member's entries (the other members' part of it)."""
        key = (table.rows, table.kind, row, tuple(categories), without)
        if key not in self._amounts:  # the same cell of hours in several tables: once
            tied, untied = self._cell(table.rows, row, tuple(categories))
            if without is not None:
                codes, index = self._factorized("municipality")
                if without in index:
                    tied = tied[codes[tied] != index[without]]
                    untied = untied[codes[untied] != index[without]]
            values = self._values(table.kind)
            self._amounts[key] = (
                _amounts(self._case[tied], values[tied]),
                float(values[untied].sum()),
            )
        amounts, untied_amount = self._amounts[key]
        return list(amounts), untied_amount

    def prefill(
        self,
        table: Magnitude,
        rows: Sequence[str],
        categories: Sequence[str],
        *,
        without: str | None = None,
    ) -> None:
        """Make ``of_cell`` of each of ``rows`` (not the Total) of one column at once: each
        row's cases added up by one ``bincount`` over the column's parts, in the parts' order
        (the same floats as one row at a time), the time tied to no case by row likewise."""
        chosen = np.flatnonzero(self.among("category", categories))  # in the parts' order
        if without is not None:
            codes, index = self._factorized("municipality")
            if without in index:
                chosen = chosen[codes[chosen] != index[without]]
        wanted = [r for r in dict.fromkeys(rows) if r != TOTAL]
        row_codes, row_index = self._factorized(table.rows)
        at = [row_index.get(r, -1) for r in wanted]
        chosen = chosen[row_codes[chosen] >= 0]  # a part of no row is in none of them
        rows_of, cases, values = row_codes[chosen], self._case[chosen], self._values(table.kind)
        values = values[chosen]
        tied = cases >= 0
        amounts = _amounts_by_row(rows_of[tied], cases[tied], values[tied], (len(row_index), at))
        untied = _untied_by_row(rows_of[~tied], values[~tied], at)
        for row, each, rest in zip(wanted, amounts, untied, strict=True):
            self._amounts[(table.rows, table.kind, row, tuple(categories), without)] = (each, rest)

    def _values(self, kind: str) -> np.ndarray[Any, Any]:
        """The parts' ``hours`` or ``entries``, as an array (read once)."""
        if kind not in self._arrays:
            self._arrays[kind] = self.parts[kind].to_numpy()
        return self._arrays[kind]

    def _cell(
        self, rows: str, row: str, categories: tuple[str, ...]
    ) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """The positions of a cell's parts tied to a case, and of those tied to none, in the
        parts' order (found once per cell: a member's part of it is taken from these)."""
        key = (rows, row, categories)
        if key not in self._cells:
            chosen = self.among("category", categories)
            if row != TOTAL:
                chosen = chosen & self.among(rows, [row])
            tied = self._case >= 0
            self._cells[key] = np.flatnonzero(chosen & tied), np.flatnonzero(chosen & ~tied)
        return self._cells[key]

    def among(self, column: str, wanted: Sequence[str]) -> np.ndarray[Any, Any]:
        """Which parts have one of the ``wanted`` values in ``column``, on its integer codes
        (factorized once per column)."""
        codes, index = self._factorized(column)
        lookup = np.zeros(len(index) + 1, dtype=bool)  # the last one for no value (code -1)
        lookup[[index[w] for w in wanted if w in index]] = True
        chosen: np.ndarray[Any, Any] = lookup[codes]
        return chosen

    def _factorized(self, column: str) -> tuple[np.ndarray[Any, Any], dict[str, int]]:
        """The integer codes of ``column`` of the parts, and each value's code."""
        if column not in self._codes:
            codes, uniques = pd.factorize(self.parts[column].to_numpy(dtype=object))
            self._codes[column] = codes, {str(v): i for i, v in enumerate(uniques)}
        return self._codes[column]

    def by_case(self, chosen: np.ndarray[Any, Any], kind: str = "hours") -> list[float]:
        """The amounts (``hours`` or ``entries``) each case contributes to the ``chosen``
        parts, largest first, none of them 0."""
        values = self.parts[kind].to_numpy()
        tied = chosen & (self._case >= 0)
        return _amounts(self._case[tied], values[tied])


def _amounts(cases: np.ndarray[Any, Any], values: np.ndarray[Any, Any]) -> list[float]:
    """Each case's sum of ``values`` (one per part, in the parts' order), largest first, none
    of them 0. Each sum adds its parts in their order, as one ``bincount`` over every case
    would: the same floats."""
    if not len(cases):
        return []
    if int(cases.max()) < 4 * len(cases) + 4096:  # straight on the codes where they are few
        sums = np.bincount(cases, weights=values)
    else:
        _, each = np.unique(cases, return_inverse=True)
        sums = np.bincount(each.reshape(-1), weights=values)
    amounts: list[float] = np.sort(sums[sums > 0])[::-1].tolist()
    return amounts


def _amounts_by_row(
    rows: np.ndarray[Any, Any],
    cases: np.ndarray[Any, Any],
    values: np.ndarray[Any, Any],
    wanted: tuple[int, Sequence[int]],
) -> list[list[float]]:
    """``_amounts`` of parts tied to a case (their row and case codes and values, in their
    order), for each of the ``wanted`` row codes (of ``size`` rows; -1: none of the parts):
    each case's sum in a row adds its parts in their order, as ``_amounts`` of the row's
    parts alone does."""
    size, at = wanted
    width = int(cases.max(initial=-1)) + 1
    if not len(cases) or size * width > 4 * len(cases) + (1 << 16):
        return [_amounts(cases[rows == r], values[rows == r]) if r >= 0 else [] for r in at]
    key = rows.astype("int64") * width + cases
    sums = np.bincount(key, weights=values, minlength=size * width)
    found = np.flatnonzero(sums > 0)
    by_row, amounts = found // width, sums[found]
    order = np.lexsort((-amounts, by_row))  # by row, each row's largest first
    ordered: list[float] = amounts[order].tolist()
    bounds = np.searchsorted(by_row[order], np.arange(size + 1)).tolist()
    return [ordered[bounds[r] : bounds[r + 1]] if r >= 0 else [] for r in at]


def _untied_by_row(
    rows: np.ndarray[Any, Any], values: np.ndarray[Any, Any], at: Sequence[int]
) -> list[float]:
    """The sum of the ``values`` of each of the row codes ``at``, each added up as the row's
    own array is (``rows`` and ``values``: the parts tied to no case, in their order)."""
    if not len(rows):
        return [0.0] * len(at)
    order = np.argsort(rows, kind="stable")
    ordered, by_row = values[order], rows[order]
    starts = np.searchsorted(by_row, at, side="left")
    ends = np.searchsorted(by_row, at, side="right")
    return [
        float(ordered[a:b].sum()) if r >= 0 else 0.0
        for r, a, b in zip(at, starts.tolist(), ends.tolist(), strict=True)
    ]


def _month_names(months: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Each month (counted from 1970-01) as ``YYYY-MM``, each distinct month named once."""
    distinct, each = np.unique(months, return_inverse=True)
    names = [f"{1970 + m // 12:04d}-{m % 12 + 1:02d}" for m in distinct.tolist()]
    out: np.ndarray[Any, Any] = np.array(names, dtype=object)[each.reshape(-1)]
    return out


def _categorical(values: pd.Series[Any]) -> pd.Categorical:
    """A column as a categorical (a log's frame already has them)."""
    if isinstance(values.dtype, pd.CategoricalDtype):
        return cast(pd.Categorical, values.array)
    return pd.Categorical(values)


def _grouped(
    key: np.ndarray[Any, Any], hours: np.ndarray[Any, Any]
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """The distinct keys in order, with the hours and the number of entries of each: counted
    straight on the keys where they span few values (a team's or a country's year), through
    their distinct values otherwise."""
    span = int(key.max(initial=-1)) + 1
    if span <= max(1 << 22, 2 * len(key)):
        entries = np.bincount(key, minlength=span)
        keys = np.flatnonzero(entries)
        return keys, np.bincount(key, weights=hours, minlength=span)[keys], entries[keys] * 1.0
    ids, distinct = pd.factorize(key, sort=True)
    return (
        np.asarray(distinct, dtype="int64"),
        np.bincount(ids, weights=hours),
        np.bincount(ids, minlength=len(distinct)).astype("float64"),
    )


def sensitive(amounts: Sequence[float], threshold: int, p: float) -> bool:
    """Whether a cell with these case contributions (largest first) must be hidden."""
    if not amounts:
        return False  # time tied to no case: the team's own
    if len(amounts) < threshold:
        return True
    if p <= 0:
        return False
    rest = sum(amounts) - amounts[0] - (amounts[1] if len(amounts) > 1 else 0.0)
    return rest < p / 100 * amounts[0]
