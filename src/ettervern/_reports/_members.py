"""Tables that print hours per member or per month: which of their rows a release may show.

Cost sharing, FTE apportionment, capacity, no-shows and the hours of *Hours per person* print
each row's hours, or what follows from them (a share, staff hours, an FTE). The tables that do
are found from what they are, not listed: a table whose rows are municipalities or months,
that is not an hours table itself (those are cells of the release's model), and whose columns
are hours, FTEs or shares of them. A row of such a table is shown only where its hours are
publishable: its time tied to cases comes from at least ``threshold`` cases and passes the
p % rule (``_magnitude``), and the release's hours table of the same rows shows the row's
total, so secondary suppression there is not undone here.

The rest, by the team's ``member_hours`` rule (docs/privacy.md, «Audiences»):

- ``"pooled"`` (the default): the protected members are put together in one row, *Other
  members*, which must itself pass the rules; where it does not, the smallest shown members
  join it until it does;
- ``"total"``: only the team's total is shown.

Rows that are months are hidden (``:``), never pooled, on the same rules. In the member view
the member's own row is exact and known to the reader, so the rest is protected without it.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Sequence
from typing import Any, cast

import attrs
import numpy as np
import pandas as pd

from ettervern._core import Team
from ettervern._l10n import N_
from ettervern._reports._definitions import TOTAL, magnitude_of
from ettervern._reports._disclosure import OTHER_MEMBERS, as_published
from ettervern._reports._magnitude import Contributions, sensitive
from ettervern._reports._report import Report
from ettervern._reports._tidy import set_cells, tidy_from_wide

__all__ = [
    "DECLARED_KEY",
    "MEMBER_HOURS_RULES",
    "OTHER_MEMBERS",
    "RowRule",
    "protect_rows",
    "row_rule",
    "rows_lost",
]

MEMBER_HOURS_RULES = ("pooled", "total")
"""How a published release shows members whose hours are protected (see the module)."""

DECLARED_KEY = N_("Apportioned by the declared cost-sharing key.")
"""The note of an FTE table apportioned by the members' agreement: its figures are not hours."""

_ROWS = ("municipality", "month")
_HOURS_SUFFIXES = ("hours", "fte", "fte_used", "utilisation", "hours_per_person")


@attrs.frozen
class RowRule:
    """What deciding a row needs: each case's time (with the member each case is for, in
    ``owner``: time logged to *Andre kommuner* for a member's case is the member's), the rules
    and the team's choice."""

    contributions: Contributions
    threshold: int
    dominance_p: float
    pooling: str = "pooled"
    member: str | None = None
    """The member whose own rows are exact (the member view), or None."""
    pool: tuple[str, ...] = ()
    """The members pooled by ``pool=`` into the row *Other members* (``_pooling``)."""
    _answers: dict[tuple[str, tuple[str, ...]], bool] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )
    """``unsafe``'s answers: each table of a dimension asks of the same rows."""

    def unsafe(self, dimension: str, rows: Sequence[str]) -> bool:
        """Whether the time tied to cases of ``rows`` together fails the rules (the row
        *Other members* stands for the pooled members)."""
        if not rows:
            return False
        key = (dimension, tuple(rows))
        if key not in self._answers:
            self._answers[key] = self._unsafe(dimension, rows)
        return self._answers[key]

    def _unsafe(self, dimension: str, rows: Sequence[str]) -> bool:
        rows = [m for r in rows for m in (self.pool if r == OTHER_MEMBERS else (r,))]
        among = self.contributions.among
        if dimension == "month":
            chosen = among("month", rows)
        else:
            chosen = among("municipality", rows) | among("owner", rows)
        amounts = self.contributions.by_case(chosen)
        return sensitive(amounts, self.threshold, self.dominance_p)


def hours_columns(report: Report, protected: bool) -> list[str]:
    """The columns of ``report`` that follow from its rows' hours: in a table outside the
    model every measure that varies between rows, in a table of counts its hours only."""
    if DECLARED_KEY in report.notes:
        return []  # shares the members agreed on, not their hours
    if protected:
        _, columns = _keys_of(report)
        return [c for c in columns if c != TOTAL and c.endswith(_HOURS_SUFFIXES)]
    rows, columns, grid = _numbers(report)
    body = grid[[i for i, r in enumerate(rows) if r != TOTAL]]
    out = []
    for column, values in zip(columns, body.T.tolist(), strict=True):
        if column == TOTAL:
            continue
        found = {v for v in values if not math.isnan(v)}
        constant = len(body) > 1 and len(found) <= 1  # the team's FTE, say
        if not constant or column in report.share_columns:
            out.append(column)
    return out


def _keys_of(report: Report) -> tuple[list[str], list[str]]:
    """The rows and columns of ``report.to_frame(labels=False)``, without the frame where a
    hidden cell adds none (``Report._keys``)."""
    rows, columns = report._keys()
    if _outside(report, rows, columns):
        frame = report.to_frame(labels=False)
        return [str(r) for r in frame.index], [str(c) for c in frame.columns]
    return rows, columns


def _outside(report: Report, rows: Sequence[str], columns: Sequence[str]) -> bool:
    """Whether a label is given twice, or a hidden cell of ``report`` is not in its grid
    (``to_frame`` then adds it): its frame is not its grid."""
    if len(set(rows)) < len(rows) or len(set(columns)) < len(columns):
        return True
    row_set, column_set = set(rows), set(columns)
    return any(r not in row_set or c not in column_set for r, c in report.suppressed)


def _numbers(report: Report) -> tuple[list[str], list[str], np.ndarray[Any, Any]]:
    """``report.to_frame(labels=False)`` read as numbers (a hidden cell missing): its rows,
    its columns and its array, off its grid where that is its frame (``_outside``)."""
    rows, columns, grid = report._grid()
    if _outside(report, rows, columns):
        frame = report.to_frame(labels=False).apply(pd.to_numeric, errors="coerce")
        numbers = frame.to_numpy(dtype="float64")
        return [str(r) for r in frame.index], [str(c) for c in frame.columns], numbers
    if report.suppressed:
        grid = grid.copy()
        row_at = {r: i for i, r in enumerate(rows)}
        column_at = {c: i for i, c in enumerate(columns)}
        for r, c in report.suppressed:
            grid[row_at[r], column_at[c]] = math.nan
    return rows, columns, grid


def _hidden_in_release(reports: Sequence[Report], dimension: str) -> set[str]:
    """The rows whose total the release's widest hours table of these rows hides."""
    tables = [
        r
        for r in reports
        if magnitude_of(r) is not None and r.rows == dimension and r.unit == "hours"
    ]
    if not tables:
        return set()
    widest = max(tables, key=lambda r: len(r.column_order))
    rows, columns = widest._keys()
    if _outside(widest, rows, columns):
        frame = widest.to_frame(labels=False)
        if TOTAL not in frame.columns:
            return set()
        return {str(r) for r, v in frame[TOTAL].items() if isinstance(v, str)}
    if TOTAL not in columns:
        return set()
    # the hidden cells are the frame's only text (``Report.to_frame``)
    return {str(r) for r, c in widest.suppressed if c == TOTAL}


def protect_rows(reports: Sequence[Report], rule: RowRule) -> tuple[Report, ...]:
    """``reports`` (a published release) with every row of hours that is not publishable
    pooled or hidden (see the module)."""
    elsewhere = {d: _hidden_in_release(reports, d) for d in _ROWS}
    out = []
    for report in reports:
        if report.rows not in _ROWS or magnitude_of(report) is not None:
            out.append(report)
            continue
        protected = report.suppression is not None
        columns = hours_columns(report, protected)
        if not columns:
            out.append(report)
            continue
        out.append(
            _protected(
                report,
                columns,
                rule,
                elsewhere=elsewhere[report.rows],
                protected=protected,
                threshold=rule.threshold,
            )
        )
    return tuple(out)


def rows_lost(
    published: Sequence[Report], protected: Sequence[Report]
) -> dict[str, tuple[int, int]]:
    """For each table whose rows of hours ``protect_rows`` pooled or hid, by report key: the
    cells of its hours columns (non-zero or hidden) and of them those not shown after it (a
    ``:``, or a member's row pooled away), for the release's loss."""
    out = {}
    for before, after in zip(published, protected, strict=True):
        if before is after:
            continue
        columns = hours_columns(before, before.suppression is not None)
        frame = before.to_frame(labels=False)
        shown = after.to_frame(labels=False)
        cells = lost = 0
        for row in map(str, frame.index):
            for column in columns:
                value = _cell(frame, row, column)
                if not isinstance(value, str) and not _number(value):
                    continue  # zero or empty: nothing to lose
                cells += 1
                kept = row in shown.index and column in shown.columns
                lost += (
                    isinstance(value, str) or not kept or isinstance(_cell(shown, row, column), str)
                )
        out[before.key] = (cells, lost)
    return out


def _number(value: object) -> float:
    """A cell's number, 0 where empty."""
    number = pd.to_numeric(pd.Series([value]), errors="coerce").fillna(0).iloc[0]
    return float(number)


def _cell(frame: pd.DataFrame, row: str, column: str) -> object:
    """One cell of a published frame as it is (a number, or ``:``)."""
    position = list(map(str, frame.index)).index(row)
    return cast(object, frame[column].to_numpy(dtype=object)[position])


def _protected(
    report: Report,
    columns: list[str],
    rule: RowRule,
    *,
    elsewhere: set[str],
    protected: bool,
    threshold: int,
) -> Report:
    rows, keys, grid = _numbers(report)
    at = {c: i for i, c in enumerate(keys)}
    logged = np.nansum(np.abs(grid[:, [at[c] for c in columns]]), axis=1) > 0
    present = [r for r, any_ in zip(rows, logged.tolist(), strict=True) if any_ and r != TOTAL]
    numbers = pd.DataFrame(
        grid, index=pd.Index(rows, name=report.rows), columns=pd.Index(keys, name=report.columns)
    )
    hidden = _hidden_rows(report.rows, present, numbers, columns, rule, elsewhere=elsewhere)
    total_unsafe = rule.unsafe(report.rows, [r for r in present if r != rule.member])
    pool = report.rows == "municipality" and not protected
    only_total = pool and rule.pooling == "total"
    if not hidden and not total_unsafe and not only_total:
        return report
    already = {(str(r), str(c)) for r, c in report.suppressed}
    frame = numbers  # its hidden cells missing: they are hidden again (``already``)
    if only_total:
        frame = numbers.drop(index=[r for r in present if r != rule.member])
        hidden = []
    elif pool:
        frame = _pooled(numbers, hidden, columns)
        if hidden:  # a ratio of the pooled members is not their sum: hidden, not computed
            already |= {
                (OTHER_MEMBERS, c) for c in columns if math.isnan(_value(frame, OTHER_MEMBERS, c))
            }
        # pooled, yet still too few cases (every member is in it): hidden
        hidden = [OTHER_MEMBERS] if hidden and rule.unsafe(report.rows, hidden) else []
    cells = {(r, c) for r in hidden for c in columns}
    if total_unsafe and TOTAL in frame.index:
        cells |= {(TOTAL, c) for c in columns}
    return _with(report, frame, cells, already, threshold)


def _hidden_rows(
    dimension: str,
    present: list[str],
    numbers: pd.DataFrame,
    columns: list[str],
    rule: RowRule,
    *,
    elsewhere: set[str],
) -> list[str]:
    """The rows to pool or hide: those that fail the rules or are hidden in the release's
    hours table, then the smallest shown ones until together they pass (the total less the
    rows shown would give them back)."""
    hidden = [
        r for r in present if r != rule.member and (rule.unsafe(dimension, [r]) or r in elsewhere)
    ]
    if not hidden:
        return hidden
    size = numbers.loc[present, columns].fillna(0).abs().sum(axis=1)
    candidates = sorted(
        (r for r in present if r not in hidden and r != rule.member),
        key=lambda r: (float(size[r]), r),
    )
    while hidden and rule.unsafe(dimension, hidden) and candidates:
        hidden.append(candidates.pop(0))
    return hidden


def _pooled(numbers: pd.DataFrame, hidden: list[str], columns: list[str]) -> pd.DataFrame:
    """``frame`` with the ``hidden`` rows replaced by one row of their sums, before the total.
    A column that does not add up (a ratio) is left empty in that row: the caller hides it."""
    if not hidden:
        return numbers
    kept = numbers.drop(index=hidden)
    pooled = numbers.loc[hidden].sum()
    for column in columns:
        rows = numbers.drop(index=TOTAL, errors="ignore")[column].fillna(0)
        total = _value(numbers, TOTAL, column) if TOTAL in numbers.index else math.nan
        if math.isnan(total) or not math.isclose(float(rows.sum()), total, abs_tol=1e-9):
            pooled[column] = np.nan
    body = kept.drop(index=TOTAL, errors="ignore")
    parts = [body, pooled.to_frame(OTHER_MEMBERS).T]
    if TOTAL in kept.index:
        parts.append(kept.loc[[TOTAL]])
    out = pd.concat(parts)
    out.index.name, out.columns.name = numbers.index.name, numbers.columns.name
    return out


def _value(frame: pd.DataFrame, row: str, column: str) -> float:
    """One cell of a frame of numbers, as a float (NaN where empty)."""
    position = list(map(str, frame.index)).index(row)
    return float(frame[column].to_numpy(dtype="float64", na_value=math.nan)[position])


def _with(
    report: Report,
    frame: pd.DataFrame,
    cells: set[tuple[str, str]],
    already: set[tuple[str, str]],
    threshold: int,
) -> Report:
    """``report`` showing ``frame``, with ``cells`` hidden as well as those ``already``."""
    numbers = frame.apply(pd.to_numeric, errors="coerce").astype("float64")
    hidden = {
        (r, c)
        for r, c in cells
        if c in numbers.columns and not pd.isna(numbers.loc[r, c]) and numbers.loc[r, c] != 0
    }
    hidden |= {(r, c) for r, c in already if r in numbers.index and c in numbers.columns}
    numbers = set_cells(numbers, hidden, np.nan)
    return cast(Report, as_published(report, numbers, tidy_from_wide(numbers), hidden, threshold))


def row_rule(
    team: Team,
    frame: pd.DataFrame,
    period: tuple[dt.date, dt.date],
    threshold: int,
    member: str | None = None,
    *,
    pool: Sequence[str] = (),
    contributions: Contributions | None = None,
) -> RowRule:
    """The rule for the rows of hours of ``team``'s tables of ``period`` from its log's
    ``frame``: who contributes (``contributions``, if made already for the release), the
    team's rules, and which member knows its own rows."""
    if contributions is None:
        contributions = Contributions(frame, period)
    parts = contributions.parts
    if "owner" not in parts:
        codes, cases = pd.factorize(parts["case"].to_numpy(dtype=object))  # no case: -1
        owners = _owners(team, [str(c) for c in cases])
        named = [owners.get(str(c)) if c else None for c in cases]
        parts["owner"] = np.array([*named, None], dtype=object)[codes]
    return RowRule(
        contributions,
        threshold,
        team.dominance_p,
        pooling=team.member_hours,
        member=member,
        pool=tuple(pool),
    )


def _owners(team: Team, codes: Sequence[str]) -> dict[str, str]:
    """Case code → member, from the code's letters (for time logged to *Andre kommuner*)."""
    by_letters = {m.letters: m.municipality.name for m in team.members}
    out = {}
    for code in codes:
        try:
            letters = team.code_scheme.parse(code).municipality
        except ValueError:
            continue
        if letters in by_letters:
            out[code] = by_letters[letters]
    return out
