"""Pooling members into one row, «Andre medlemskommuner», in every published table by member.

``annual_report(pool=…)`` (``report --pool``) pools the named members in every table whose
rows are municipalities (found from the report's rows, not listed): counts, hours and entries.

- **The pooled row is added up from its members' rows.** A column that is no sum (a share, a
  mean) is the mean of the pooled group's records: each member's mean weighted by the group
  it is the mean of (a table's Total row shows which columns add up and which are such means,
  ``_kind_of``). A median is taken from the pooled group's records where the caller gives
  them (``medians=``), else left empty.
- **The pooled row must pass the rules for its own sake** (counts, and hours and entries by
  the cases that contribute), and **against each of its members**: a pooled member knows its
  own part, so the pooled row less that part must pass them too (``sensitive_rows``). The
  pooled row is no member's own cell (``_solver.own_cells``), but each pooled member knows
  its part of the team's totals (``knows_nothing_else``).
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from typing import Any

import numpy as np
import pandas as pd

from ettervern._l10n import Message
from ettervern._reports._definitions import TOTAL, Magnitude
from ettervern._reports._magnitude import Contributions, sensitive
from ettervern._reports._model import Model, TableRules
from ettervern.errors import InvalidValueError

__all__ = [
    "MOSTLY_HIDDEN",
    "OTHER_CATEGORIES",
    "OTHER_MEMBERS",
    "Pooled",
    "categories_of",
    "category_candidates",
    "knows_nothing_else",
    "logged_categories",
    "pooled_columns",
    "pooled_frame",
    "refuse_empty",
    "sensitive_rows",
]

OTHER_MEMBERS = "Other members"
"""The row key of pooled members, for ``pool=`` as for the rows of hours (``_members``): one
message id, labelled in the catalogs (context ``bucket``) «Andre medlemskommuner»."""

OTHER_CATEGORIES = "Other categories"
"""The column key of pooled categories (``pool_categories=``): labelled in the catalogs
(context ``category``) «Andre kategorier»."""

_CLOSE = 1e-6


class Pooled:
    """The members pooled, and their own rows of each pooled table by report key (``parts``):
    what each pooled member knows of the pooled row."""

    def __init__(
        self,
        pool: Sequence[str],
        medians: Mapping[str, Mapping[str, float]] | None = None,
        categories: Sequence[str] = (),
    ) -> None:
        self.pool = tuple(pool)
        self.categories = tuple(categories)
        """The categories pooled into one column, «Andre kategorier», in every hours table."""
        self.medians = dict(medians or {})
        """The pooled row's medians by table and column, from the pooled group's records."""
        self.parts: dict[str, pd.DataFrame] = {}


def refuse_empty(pool: Sequence[str], present: set[str]) -> None:
    """Refuse a pooled member with no case open in the period and no time logged: it has no
    row to pool, and the pooled row would not be what its name says."""
    for name in pool:
        if name not in present:
            raise InvalidValueError(
                Message(
                    "{field}: {value} has no case and logged no time in the period, so there "
                    "is nothing of it to pool",
                    field="pool",
                    value=name,
                ),
                field="pool",
                value=name,
            )


def pooled_frame(
    frame: pd.DataFrame,
    pool: Sequence[str],
    rules: TableRules | None,
    *,
    medians: Mapping[str, float] | None = None,
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """``frame`` with the rows of ``pool`` put together in one, «Andre medlemskommuner»,
    before the Total, and the pooled members' own rows. Every table means the same members
    by it, so one pooled member makes a pooled row too."""
    rows = [r for r in map(str, frame.index) if r in pool]
    if not rows:
        return frame, frame.iloc[0:0]
    numbers = frame.apply(pd.to_numeric, errors="coerce")
    groups = {} if rules is None else dict(rules.dependent)
    line = pd.Series(math.nan, index=frame.columns, dtype="float64")
    for column in map(str, frame.columns):
        line[column] = _pooled_value(numbers, rows, column, groups.get(column), medians)
    kept = frame.drop(index=rows)
    body = [r for r in map(str, kept.index) if r != TOTAL]
    out: pd.DataFrame = pd.concat(
        [kept.loc[body], line.to_frame(OTHER_MEMBERS).T, kept.drop(index=body)]
    )
    out.index.name = frame.index.name
    return out, numbers.loc[rows]


def _pooled_value(
    numbers: pd.DataFrame,
    rows: list[str],
    column: str,
    groups: tuple[str, ...] | None,
    medians: Mapping[str, float] | None,
) -> float:
    """One column of the pooled row: the sum, the weighted mean, or the pooled median."""
    kind = _kind_of(numbers, column, groups)
    values = numbers.loc[rows, column]
    if kind == "sum":
        return float(values.sum(min_count=1))
    if kind == "mean" and groups:
        weights = numbers.loc[rows, groups[0]].fillna(0)
        weight = float(weights[values.notna()].sum())
        return float((values.fillna(0) * weights).sum()) / weight if weight else math.nan
    return float(medians.get(column, math.nan)) if medians else math.nan


def _kind_of(numbers: pd.DataFrame, column: str, groups: tuple[str, ...] | None) -> str:
    """``sum``, ``mean`` (of the group the rules name) or ``other`` (a median), read from the
    table's Total row: a sum where it adds up the rows, a mean where it is their mean weighted
    by the group. A column the rules do not name as computed is a count or hours: a sum."""
    if groups is None:
        return "sum"
    if TOTAL not in numbers.index:
        return "other"
    body = numbers.drop(index=TOTAL)
    values = body[column]
    total = float(numbers[column].to_numpy(dtype="float64")[list(numbers.index).index(TOTAL)])
    if math.isnan(total):
        return "other"
    if math.isclose(float(values.sum()), total, abs_tol=_CLOSE):
        return "sum"
    weights = body[groups[0]].fillna(0)[values.notna()]
    weight = float(weights.sum())
    mean = float((values.dropna() * weights).sum()) / weight if weight else math.nan
    if not math.isnan(mean) and math.isclose(mean, total, rel_tol=1e-6, abs_tol=_CLOSE):
        return "mean"
    return "other"


def pooled_columns(frame: pd.DataFrame, categories: Sequence[str], table: str) -> pd.DataFrame:
    """``frame`` (an hours or entries table by category) with the ``categories`` (those the
    release logged) put together in one column, «Andre kategorier», before the Total. A table
    that shows some of them but not all is refused: its column would not mean what the same
    column means in the others, and the attacker's model relates them by what they mean."""
    shown = [c for c in map(str, frame.columns) if c in categories]
    if not shown:
        return frame
    if set(shown) != set(categories):
        raise InvalidValueError(
            Message(
                "{field}: the table {table} shows {shown} but not the rest of {value}: "
                "pool the categories of one table, or of every table that shows them",
                field="pool_categories",
                table=table,
                shown=shown,
                value=list(categories),
            )
        )
    numbers = frame.apply(pd.to_numeric, errors="coerce")
    column = numbers[shown].sum(axis=1, min_count=1)
    kept = [c for c in map(str, frame.columns) if c not in shown and c != TOTAL]
    out = frame[kept].copy() if kept else frame.iloc[:, 0:0].copy()
    out[OTHER_CATEGORIES] = column
    if TOTAL in frame.columns:
        out[TOTAL] = frame[TOTAL]
    out.columns.name = frame.columns.name
    return out


def logged_categories(reports: Sequence[Any]) -> set[str]:
    """The categories the release's hours and entries tables show (those logged)."""
    return {
        str(c)
        for r in reports
        if getattr(r, "columns", None) == "category"
        for c in r.column_order
        if str(c) != TOTAL
    }


MOSTLY_HIDDEN = 0.5
"""A table is mostly hidden, and gets a proposal, above this share of its inner cells."""


def category_candidates(
    kept: Sequence[Any],
    model: Model,
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    pooled: Pooled,
) -> list[tuple[str, tuple[str, ...], float]]:
    """(table, categories, share hidden) for each hours or entries table by category with more
    than ``MOSTLY_HIDDEN`` of its non-zero inner cells hidden: its two or more categories
    with a hidden cell, where every table of the release shows all of them or none (else
    their pooled column would not mean one thing). Each set of categories once."""
    shown = [
        {str(c) for c in r.column_order} for r in kept if getattr(r, "columns", "") == "category"
    ]
    cells: dict[str, list[int]] = {}
    for i, (table, row, column) in enumerate(model.keys):
        if model.magnitude[i] and TOTAL not in (row, column) and values[i] > 0:
            cells.setdefault(table, []).append(i)
    out: list[tuple[str, tuple[str, ...], float]] = []
    for table, inner in cells.items():
        share = float(np.mean(hidden[inner]))
        if share <= MOSTLY_HIDDEN:
            continue
        found = {model.keys[i][2] for i in inner if hidden[i]}
        found -= {OTHER_CATEGORIES, *pooled.categories}
        categories = tuple(sorted(found))
        whole = all(not found & columns or found <= columns for columns in shown)
        if len(categories) >= 2 and whole and all(c != categories for _, c, _ in out):
            out.append((table, categories, share))
    return out


def categories_of(column: str, columns: Sequence[str], pooled: Sequence[str]) -> list[str]:
    """The categories a cell of ``column`` adds up: the column's own, the pooled ones for
    «Andre kategorier», every column of the table for the Total (``columns``)."""
    names = list(columns) if column == TOTAL else [column]
    return [c for n in names for c in (pooled if n == OTHER_CATEGORIES else (n,))]


def sensitive_rows(
    model: Model,
    pooled: Pooled,
    threshold: int,
    magnitudes: tuple[Contributions | None, float, Mapping[str, Magnitude | None]],
    columns_of: Mapping[str, Sequence[str]],
) -> np.ndarray[Any, Any]:
    """The cells of the pooled rows that break the rules, for their own sake or less any one
    pooled member's own part (which that member knows): counts from 1 to ``threshold - 1``,
    hours and entries by the cases that contribute to them (``_magnitude``)."""
    contributions, dominance_p, shapes = magnitudes
    out = np.zeros(len(model.keys), dtype=bool)
    for i, (table, row, column) in enumerate(model.keys):
        if row != OTHER_MEMBERS or table not in pooled.parts or model.values[i] <= 0:
            continue
        shape = shapes.get(table)
        if shape is None:
            out[i] = _count_unsafe(model.values[i], pooled.parts[table], column, threshold)
        elif contributions is not None:
            categories = categories_of(column, columns_of[table], pooled.categories)
            out[i] = _hours_unsafe(
                contributions, shape, pooled.pool, categories, (threshold, dominance_p)
            )
    return out


def _count_unsafe(value: float, parts: pd.DataFrame, column: str, threshold: int) -> bool:
    if value < threshold:
        return True
    if column not in parts.columns:
        return False
    rests = value - parts[column].fillna(0).to_numpy(dtype="float64")
    return bool(((rests > 0) & (rests < threshold)).any())


def _hours_unsafe(
    contributions: Contributions,
    shape: Magnitude,
    pool: Sequence[str],
    categories: Sequence[str],
    rule: tuple[int, float],
) -> bool:
    """Whether the pooled members' hours (or entries) of ``categories``, or those less any one
    member's own, break the rules for magnitudes."""
    threshold, dominance_p = rule
    chosen = contributions.among("category", categories)
    for leaving in (None, *pool):
        rows = [m for m in pool if m != leaving]
        amounts = contributions.by_case(chosen & contributions.among(shape.rows, rows), shape.kind)
        if sensitive(amounts, threshold, dominance_p):
            return True
    return False


def knows_nothing_else(model: Model, pool: Sequence[str]) -> None:
    """Each pooled member is an attacker too: it has no cell of its own in a pooled table,
    but it knows its part of the team's totals (the rule for team totals of hours asks each
    member in ``Model.knows``)."""
    if not model.knows:
        return
    for member in pool:
        model.knows.setdefault(member, frozenset())
