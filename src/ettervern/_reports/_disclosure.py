"""Disclosure control for a whole release: which cells to hide, and an audit that proves it held.

A *release* is every table published together (an annual report, or both years of a
comparison). Its counts of cases and people are one system of linear relations: each total is
the sum of its cells, some totals are the same figure in two tables (active cases by municipality
and by age), and some columns count a subgroup of another (followed in institution ≤ active).
Hiding a cell protects it only if no combination of what *is* published pins it down.

- **Primary suppression** hides every count from 1 to ``threshold - 1`` (the marker ``:``).
- **Secondary suppression** hides further non-zero counts until, by the bounds that follow from
  every relation, each hidden cell can be at least ``threshold`` and is not fixed to one value,
  and no count left unpublished but implied (active − closed = still open) is provably from 1 to
  ``threshold - 1``. It works on bounds propagated through the relations, in plain Python, so
  publishing needs no solver.
- [`audit()`][ettervern.audit] then solves the attacker's integer program (HiGHS, the ``audit`` extra)
  for the minimum and maximum of every hidden cell, from the published tables alone.

Zeros are shown as empty cells and only non-zero counts are ever hidden, so a hidden cell is
known to be at least 1: the audit counts on that.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ettervern._core import AT_LEAST, check_field
from ettervern._l10n import N_, Message, format_number, translate
from ettervern._reports._definitions import (
    TABLES,
    Cell,
    Magnitude,
    define,
    define_magnitude,
    derive,
    magnitude_of,
)
from ettervern._reports._magnitude import Contributions, sensitive
from ettervern._reports._tidy import set_cells, tidy_from_wide
from ettervern.errors import InvalidValueError, MissingDependencyError

__all__ = [
    "HOURS_POLICY",
    "RULE",
    "TABLE_RULES",
    "Audit",
    "CellBounds",
    "TableRules",
    "audit",
    "hide_compared",
    "publish",
]

RULE = N_("Counts below {threshold} are hidden (:), with the cells that would reveal them.")
"""The rule printed under every protected table and on the cover (an English message id)."""

HOURS_POLICY = N_(
    "Hours and log entries from fewer cases than the threshold, or mostly from one or two "
    "(the p-percent rule), are hidden too; time tied to no case is the team's own."
)
"""The hours policy, printed with the rule (docs/privacy.md gives the reasons)."""

COUNTED = frozenset({"cases", "people"})
"""Units whose every column counts people or cases. Hours and log entries record the team's
work and are published as they are (see docs/privacy.md, «Hours»)."""

DOMINANCE_P = 10.0
"""The p of the p% rule for magnitudes when the team sets none (see ``_magnitude``)."""

TOTAL = "Total"
YEAR_SEPARATOR = "\x1f"


@attrs.frozen
class TableRules:
    """What disclosure control must know about one kind of table, by its report key."""

    counts: frozenset[str] | None = None
    """The count columns of a mixed table; None: every column when its unit counts cases."""
    dependent: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    """Columns computed from count columns of the same row (a median or mean of the group
    counted by the first, a share of the first that the second counts) → those columns. Such a
    cell is hidden with any of them, and whenever the group is below the threshold."""
    dropped: frozenset[str] = frozenset()
    """Columns left out of the published release (shares of small groups are counts)."""
    internal: bool = False
    """The whole table is internal (it lists case codes) and is never published."""


TABLE_RULES: dict[str, TableRules] = {
    "follow_up_length": TableRules(internal=True),
    "follow_up_summary": TableRules(
        counts=frozenset({"cases", "beyond_target"}),
        dependent={
            "mean_weeks": ("cases",),
            "median_weeks": ("cases",),
            "mean_calendar_weeks": ("cases",),
            "median_calendar_weeks": ("cases",),
            "share_beyond_target": ("cases", "beyond_target"),
        },
    ),
    "life_domains": TableRules(
        counts=frozenset({"cases", "improved", "worse"}),
        dependent={
            "intake_mean": ("cases",),
            "check_mean": ("cases",),
            "mean_change": ("cases",),
        },
    ),
    "courses": TableRules(
        counts=frozenset({"courses", "completed", "aborted", "ended_otherwise", "ongoing"}),
        dependent={
            "share_completed": ("courses", "completed"),
            "share_aborted": ("courses", "aborted"),
            "share_ongoing": ("courses", "ongoing"),
        },
    ),
    "course_length": TableRules(
        counts=frozenset({"closed"}),
        dependent={
            "mean_weeks": ("closed",),
            "median_weeks": ("closed",),
            "mean_months": ("closed",),
            "median_months": ("closed",),
        },
    ),
    "hours_per_person": TableRules(
        counts=frozenset({"people"}),
        dependent={"hours_per_person": ("people",), "hours": ("people",)},
    ),
    "plans_and_coordinators": TableRules(
        counts=frozenset({"people", "with_plan", "with_coordinator"}),
        dependent={
            "share_with_plan": ("people", "with_plan"),
            "share_with_coordinator": ("people", "with_coordinator"),
        },
    ),
}
"""Which columns of a mixed table are counts, and which are computed from them. What each
count counts, and so every relation between cells, is in ``_definitions.TABLES``."""

Key = tuple[str, str, str]
"""A cell of a release: (table, row, column); for a comparison the table ends in ``␟year``."""


def rules_for(key: str) -> TableRules | None:
    """The rules of a report key (a compared table's key ends in ``_compared``)."""
    return TABLE_RULES.get(key.removesuffix("_compared"))


def _count_columns(report: Any, columns: Iterable[str]) -> list[str]:
    """The columns of ``report`` that disclosure control protects: counts, and magnitudes."""
    rules = rules_for(report.key)
    if rules is not None and rules.counts is not None:
        return [c for c in columns if c in rules.counts]
    if report.unit in COUNTED or magnitude_of(report) is not None:
        return list(columns)
    return []


# -- the model: cells and the relations between them ----------------------------------------


@attrs.define
class _Model:
    """Count cells with their values (true, or as published) and the relations between them."""

    keys: list[Key] = attrs.field(factory=list)
    index: dict[Key, int] = attrs.field(factory=dict)
    values: list[float] = attrs.field(factory=list)
    hidden: list[bool] = attrs.field(factory=list)
    lines: list[tuple[int, tuple[int, ...]]] = attrs.field(factory=list)
    """whole = sum(parts)."""
    subsets: list[tuple[int, tuple[int, ...]]] = attrs.field(factory=list)
    """sum(parts) <= whole, and whole - sum(parts) is a count."""
    changes: list[tuple[int, int, int]] = attrs.field(factory=list)
    """(first year, second year, change): change = second - first; the change may be negative."""
    cells: list[tuple[int, str, Cell]] = attrs.field(factory=list)
    """(index, report key, definition) of every count cell with a definition."""
    relied_on: tuple[str, ...] = ()
    """The tables whose definitions gave the relations (see ``_definitions``)."""
    magnitude: list[bool] = attrs.field(factory=list)
    """Whether each cell is a magnitude (hours in half hours, entries), not a count."""
    protection: dict[int, float] = attrs.field(factory=dict)
    """The least width a hidden magnitude's interval must keep (default 1 step)."""
    steps: dict[str, int] = attrs.field(factory=dict)
    """Steps per unit of each magnitude table (2: half hours)."""
    forced: set[int] = attrs.field(factory=set)
    """Cells secondary suppression never hides (GaussSuppression's ``forced``): the team's
    hours and entries by category, the totals every report of the team has printed."""

    def add(self, key: Key, value: float, hidden: bool, *, magnitude: bool = False) -> int:
        self.index[key] = len(self.keys)
        self.keys.append(key)
        self.values.append(value)
        self.hidden.append(hidden)
        self.magnitude.append(magnitude)
        return self.index[key]


def _add_table(
    model: _Model,
    *,
    table: str,
    base_key: str,
    frame: pd.DataFrame,
    hidden: set[tuple[str, str]],
    count_columns: Sequence[str],
    magnitude: Magnitude | None = None,
) -> None:
    """Add one table's cells (``frame`` keyed, numbers; hidden cells' values unknown).

    A magnitude table's values are taken in its smallest step (half hours), so that the
    attacker's integer program knows what values a cell can take.
    """
    rows = [str(r) for r in frame.index]
    base, _, period = table.partition(YEAR_SEPARATOR)
    defined = magnitude is not None or base_key.removesuffix("_compared") in TABLES
    scale = 1 if magnitude is None else magnitude.scale
    if magnitude is not None:
        model.steps[table] = scale
    for row in rows:
        for column in count_columns:
            is_hidden = (row, column) in hidden
            number = math.nan if is_hidden else round(_number(frame.loc[row, column]) * scale)
            index = model.add(
                (table, row, column), number, is_hidden, magnitude=magnitude is not None
            )
            if magnitude is not None:
                cell = define_magnitude(magnitude, row, column, period)
            else:
                cell = define(base, row, column, period) if defined else None
            if cell is not None:
                model.cells.append((index, base, cell))
    if not defined:
        _structural_totals(model, table, rows, count_columns)
    elif TOTAL in count_columns:
        _structural_totals(model, table, [], count_columns, rows_of_total=rows)


def _structural_totals(
    model: _Model,
    table: str,
    rows: list[str],
    count_columns: Sequence[str],
    rows_of_total: Sequence[str] = (),
) -> None:
    """Row and column totals of a table that declares no definitions (``rows``), or just the
    Total column of the ``rows_of_total`` (it adds up a table's own choice of columns)."""
    cell = model.index
    for row in rows_of_total:
        parts = tuple(cell[(table, row, c)] for c in count_columns if c != TOTAL)
        model.lines.append((cell[(table, row, TOTAL)], parts))
    body_rows = [r for r in rows if r != TOTAL]
    body_columns = [c for c in count_columns if c != TOTAL]
    if TOTAL in rows:
        for column in count_columns:
            parts = tuple(cell[(table, r, column)] for r in body_rows)
            model.lines.append((cell[(table, TOTAL, column)], parts))
    if TOTAL in count_columns:
        for row in rows:
            parts = tuple(cell[(table, row, c)] for c in body_columns)
            model.lines.append((cell[(table, row, TOTAL)], parts))


def _derive(model: _Model) -> None:
    """Add the relations that follow from the cells' definitions (``_definitions.derive``)."""
    relations = derive(model.cells)
    model.lines.extend(relations.sums)
    model.subsets.extend(relations.at_most)
    model.relied_on = tuple(sorted(relations.used))


def _present(frame: pd.DataFrame, row: str, column: str) -> bool:
    return not pd.isna(_number(frame.loc[row, column], math.nan))


def _number(value: object, empty: float = 0.0) -> float:
    if isinstance(value, int | float) and not pd.isna(value):
        return float(value)
    return empty


# -- secondary suppression by propagated bounds ---------------------------------------------


def _bounds(
    values: np.ndarray[Any, Any], hidden: np.ndarray[Any, Any], model: _Model
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Bounds of every cell from the relations: visible cells fixed, hidden ones at least 1.

    Interval propagation: each relation narrows its cells' bounds from the others' until
    nothing changes. The result contains what an attacker can prove (it may be wider).
    """
    # Plain floats: the relations are short, and numpy's cost per call on a handful of cells
    # was most of publishing a report (25,000 small sums for the example year).
    is_hidden = [bool(h) for h in hidden]
    lo = [1.0 if h else float(v) for v, h in zip(values, is_hidden, strict=True)]
    hi = [math.inf if h else float(v) for v, h in zip(values, is_hidden, strict=True)]
    relations = [(w, tuple(p), True) for w, p in model.lines]
    relations += [(w, tuple(p), False) for w, p in model.subsets]
    relations = [r for r in relations if is_hidden[r[0]] or any(is_hidden[p] for p in r[1])]
    finite = math.isfinite
    for _ in range(2 * len(relations) + 2):
        before = (lo.copy(), hi.copy())
        for whole, parts, equal in relations:
            sum_lo = sum(lo[p] for p in parts)
            sum_hi_finite = sum(hi[p] for p in parts if finite(hi[p]))
            unbounded = sum(1 for p in parts if not finite(hi[p]))
            lo[whole] = max(lo[whole], sum_lo)
            if equal and not unbounded:
                hi[whole] = min(hi[whole], sum_hi_finite)
            for p in parts:
                if not is_hidden[p]:
                    continue
                hi[p] = min(hi[p], hi[whole] - (sum_lo - lo[p]))
                others_unbounded = unbounded - (0 if finite(hi[p]) else 1)
                if equal and not others_unbounded and finite(lo[whole]):
                    others_hi = sum_hi_finite - (hi[p] if finite(hi[p]) else 0.0)
                    lo[p] = max(lo[p], lo[whole] - others_hi)
        if before == (lo, hi):
            break
    return np.array(lo, dtype="float64"), np.array(hi, dtype="float64")


def _unsafe(
    values: np.ndarray[Any, Any], hidden: np.ndarray[Any, Any], model: _Model, threshold: int
) -> list[tuple[str, int]]:
    """The hidden cells and implied counts an attacker could pin down or prove small."""
    lo, hi = _bounds(values, hidden, model)
    found = [
        ("cell", int(i))
        for i in np.flatnonzero(hidden)
        if _at_risk(model, int(i), lo[i], hi[i], threshold)
    ]
    for k, (whole, parts) in enumerate(model.subsets):
        rest = values[whole] - values[list(parts)].sum()
        if 1 <= rest < threshold:
            rest_lo = max(0.0, lo[whole] - hi[list(parts)].sum())
            rest_hi = hi[whole] - lo[list(parts)].sum()
            if rest_lo >= 1 and rest_hi < threshold:
                found.append(("rest", k))
    return found


def _candidates(kind: str, at: int, model: _Model) -> list[list[int]]:
    """Cells whose hiding could protect ``at``, nearest relation first."""
    if kind == "rest":
        whole, parts = model.subsets[at]
        return [list(parts), [whole]]
    groups: list[list[int]] = [[], [], [], [], []]
    for whole, parts in model.lines:
        if at in parts:
            groups[0] += [p for p in parts if p != at]
            groups[4].append(whole)
        elif at == whole:
            groups[3] += list(parts)
    for whole, parts in model.subsets:
        if at in parts:
            groups[1] += [p for p in parts if p != at] + [whole]
        elif at == whole:
            groups[2] += list(parts)
    return groups


def _at_risk(model: _Model, i: int, low: float, high: float, threshold: int) -> bool:
    """Whether hidden cell ``i`` is not protected by its feasible interval ``[low, high]``.

    A count must not be pinned (low = high) nor proved below the threshold; a magnitude must
    not be pinned nor known to within its protection (the p of the p% rule, of its value).
    """
    if low >= high:
        return True
    if model.magnitude[i]:
        return high - low < model.protection.get(i, 1.0)
    return high < threshold


def _secondary(
    values: np.ndarray[Any, Any],
    model: _Model,
    threshold: int,
    primary: np.ndarray[Any, Any],
) -> np.ndarray[Any, Any]:
    """Secondary suppression around the ``primary`` cells: the cells to hide."""
    hidden = primary.copy()
    stuck: set[tuple[str, int]] = set()
    for _ in range(len(values) + 1):
        found = [f for f in _unsafe(values, hidden, model, threshold) if f not in stuck]
        if not found:
            break
        # Fix first what can be fixed without hiding a total: the cause of a cell's risk is
        # often another cell at risk (a part is at risk because its whole is).
        pick = None
        for totals in (False, True):
            for item in found:
                pick = _pick(_candidates(*item, model), hidden, values, model, totals=totals)
                if pick is not None:
                    break
            if pick is not None:
                break
        if pick is None:
            stuck.update(found)  # nothing left to hide around them; the audit will say so
        else:
            hidden[pick] = True
    if _have_solver():
        _refine(values, hidden, model, threshold)
        _relax(values, hidden, model, threshold, primary)
    return hidden


def _relax(
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    model: _Model,
    threshold: int,
    primary: np.ndarray[Any, Any],
) -> None:
    """Publish again each secondary cell the exact attack shows is not needed (needs HiGHS).

    The cells hidden to protect others are tried one by one, the largest first (a total
    tells readers most), and published whenever the release stays safe without them: the
    greedy heuristic above hides what protects, this pass gives back what it did not need.
    """
    cache: dict[Any, dict[int, tuple[float, float]]] = {}
    solved = _solve(model, values, hidden, truth=values, cache=cache)
    for cell in np.flatnonzero(hidden & ~primary):
        low, high = solved[int(cell)]
        if low >= high:  # worked out from what is published anyway: hiding it hides nothing
            hidden[cell] = False
    counts = ~np.array(model.magnitude, dtype=bool)  # magnitudes: too many to try each
    order = sorted(np.flatnonzero(hidden & ~primary & counts), key=lambda c: (-values[c], c))
    for cell in order[:RELAX_TRIALS]:
        hidden[cell] = False
        if _exact_unsafe(values, hidden, model, threshold, cache):
            hidden[cell] = True


def _pick(
    groups: list[list[int]],
    hidden: np.ndarray[Any, Any],
    values: np.ndarray[Any, Any],
    model: _Model,
    *,
    totals: bool,
) -> int | None:
    """The cell to hide next: from the nearest group, the smallest; totals only if ``totals``."""
    for allowed in (False, True) if totals else (False,):
        for group in groups:
            open_cells = [
                c
                for c in dict.fromkeys(group)
                if not hidden[c]
                and values[c] >= 1
                and c not in model.forced
                and (model.keys[c][1] == TOTAL) == allowed
            ]
            if open_cells:
                return min(open_cells, key=lambda c: (values[c], c))
    return None


def _have_solver() -> bool:
    try:
        import highspy  # noqa: F401
    except ImportError:  # pragma: no cover - the tests run with the audit extra
        return False
    return True


def _refine(
    values: np.ndarray[Any, Any], hidden: np.ndarray[Any, Any], model: _Model, threshold: int
) -> None:
    """Where the exact attack still pins a cell down, hide more around it (needs HiGHS).

    Bounds propagated one relation at a time miss what an attacker gets by combining several
    (summing inequalities over rows, say); the integer program does not. For each cell still
    at risk, the published cells it is tied to are tried one by one — cells before totals,
    small before large — and the first whose hiding protects it is hidden.
    """
    stuck: set[tuple[str, int]] = set()
    n = len(values)
    cache: dict[Any, dict[int, tuple[float, float]]] = {}
    for _ in range(n + 1):
        found = [
            f for f in _exact_unsafe(values, hidden, model, threshold, cache) if f not in stuck
        ]
        if not found:
            return
        for item in found:  # each in turn, as long as the ones before have not saved it
            kind, at = item
            var = at if kind == "cell" else n + at
            if item is not found[0] and _safe(
                values, hidden=hidden, model=model, threshold=threshold, var=var, cache=cache
            ):
                continue
            tied = _tied(model, hidden, values, var)
            trials = MAGNITUDE_TRIALS if var < n and model.magnitude[var] else TRIALS
            for cell in tied[:trials]:
                hidden[cell] = True
                if _safe(
                    values, hidden=hidden, model=model, threshold=threshold, var=var, cache=cache
                ):
                    break
                hidden[cell] = False
            else:
                if tied:
                    hidden[tied[0]] = True
                else:
                    stuck.add(item)


TRIALS = 8
"""How many cells are tried, one by one, to protect a cell at risk before the first is taken."""

MAGNITUDE_TRIALS = 2
"""The same for an hours cell: its neighbours are many and alike, and each try is an exact
attack on the hours tables, the largest part of the release."""

RELAX_TRIALS = 8
"""How many secondary cells, the largest first, are tried for publishing again: each try is
an exact attack on the release, and the largest cells are those readers miss most."""


def _safe(
    values: np.ndarray[Any, Any],
    *,
    hidden: np.ndarray[Any, Any],
    model: _Model,
    threshold: int,
    var: int,
    cache: dict[Any, dict[int, tuple[float, float]]],
) -> bool:
    solved = _solve(model, values, hidden, threshold=threshold, only=var, truth=values, cache=cache)
    low, high = solved[var]
    if var < len(values):
        return not _at_risk(model, var, low, high, threshold)
    return not (low >= 1 and high < threshold)


def _tied(
    model: _Model, hidden: np.ndarray[Any, Any], values: np.ndarray[Any, Any], var: int
) -> list[int]:
    """Published non-zero cells in the relations that tie ``var`` to other unknowns."""
    n = len(values)
    relations = [(whole, *parts) for whole, parts in model.lines]
    relations += [(whole, *parts, n + k) for k, (whole, parts) in enumerate(model.subsets)]
    relations += list(model.changes)
    touching: dict[int, list[int]] = {}
    for r, cells in enumerate(relations):
        for cell in cells:
            touching.setdefault(cell, []).append(r)
    seen, todo, published = {var}, [var], set()
    while todo:
        current = todo.pop()
        for r in touching.get(current, []):
            for cell in relations[r]:
                if cell >= n or hidden[cell]:
                    if cell not in seen:
                        seen.add(cell)
                        todo.append(cell)
                elif values[cell] >= 1 and cell not in model.forced:
                    published.add(cell)
    return sorted(published, key=lambda c: (model.keys[c][1] == TOTAL, values[c], c))


def _exact_unsafe(
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    model: _Model,
    threshold: int,
    cache: dict[Any, dict[int, tuple[float, float]]],
) -> list[tuple[str, int]]:
    n = len(values)
    solved = _solve(model, values, hidden, threshold=threshold, truth=values, cache=cache)
    found = [
        ("cell", int(i))
        for i in np.flatnonzero(hidden)
        if _at_risk(model, int(i), *solved[int(i)], threshold)
    ]
    for k, (whole, parts) in enumerate(model.subsets):
        rest = values[whole] - values[list(parts)].sum()
        if 1 <= rest < threshold:
            low, high = solved.get(n + k, (rest, rest))
            if low >= 1 and high < threshold:
                found.append(("rest", k))
    return found


# -- publishing -------------------------------------------------------------------------------


@attrs.frozen
class InformationLoss:
    """What a release gives up to protect its cells: how many are hidden, and how much."""

    cells: int
    """Non-zero count and magnitude cells of the release."""
    hidden: int
    """Of them, hidden (primary and secondary)."""
    primary: int
    """Of the hidden, those hidden for their own sake (below the threshold, or by the rules
    for magnitudes); the rest protect them."""
    share_hidden: float
    """The share of the release's summed values (counts, and hours in half hours) hidden."""

    def __str__(self) -> str:
        return (
            f"{self.hidden} of {self.cells} cells hidden ({self.primary} primary), "
            f"{self.share_hidden:.0%} of the total"
        )


def publish(
    reports: Sequence[Any],
    threshold: int,
    *,
    log: pd.DataFrame | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    dominance_p: float = DOMINANCE_P,
) -> tuple[Any, ...]:
    """The published release of ``reports`` (internal [`Report`][ettervern.Report] values), protected as one.

    Tables that list case codes are left out; count tables and, given the ``log`` of the
    ``period``, hours and entries tables get primary and secondary suppression over the whole
    release (see docs/privacy.md).
    """
    published, _ = publish_with_loss(
        reports, threshold, log=log, period=period, dominance_p=dominance_p
    )
    return published


def publish_with_loss(
    reports: Sequence[Any],
    threshold: int,
    *,
    log: pd.DataFrame | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    dominance_p: float = DOMINANCE_P,
) -> tuple[tuple[Any, ...], InformationLoss]:
    """[`publish()`][ettervern._reports._disclosure.publish], and what it hid."""
    check_threshold(threshold)
    kept = [r for r in reports if not _internal_only(r)]
    model, frames = _build(kept)
    values = np.array(model.values, dtype="float64")
    contributions = None if log is None or period is None else Contributions(log, period)
    primary = _primary(kept, model, frames, threshold, (contributions, dominance_p))
    hidden = _secondary(values, model, threshold, primary)
    by_table: dict[str, set[tuple[str, str]]] = {}
    for (table, row, column), is_hidden in zip(model.keys, hidden, strict=True):
        if is_hidden:
            by_table.setdefault(table, set()).add((row, column))
    out = [
        _masked(r, frames[r.key], by_table.get(r.key, set()), threshold, rules_for(r.key))
        if r.key in frames
        else r
        for r in kept
    ]
    return tuple(out), _loss(values, hidden, primary)


def _loss(
    values: np.ndarray[Any, Any], hidden: np.ndarray[Any, Any], primary: np.ndarray[Any, Any]
) -> InformationLoss:
    present = values > 0
    total = float(values[present].sum())
    return InformationLoss(
        cells=int(present.sum()),
        hidden=int((hidden & present).sum()),
        primary=int((primary & present).sum()),
        share_hidden=float(values[hidden & present].sum()) / total if total else 0.0,
    )


def _build(kept: Sequence[Any]) -> tuple[_Model, dict[str, pd.DataFrame]]:
    """The model of a release's true figures, and the keyed frames of its protected tables."""
    model = _Model()
    frames: dict[str, pd.DataFrame] = {}
    for report in kept:
        frame = report.to_frame(labels=False)
        columns = _count_columns(report, [str(c) for c in frame.columns])
        if not columns:
            continue
        frames[report.key] = frame
        _add_table(
            model,
            table=report.key,
            base_key=report.key,
            frame=frame,
            hidden=set(),
            count_columns=columns,
            magnitude=magnitude_of(report),
        )
    _derive(model)
    return model, frames


def _primary(
    kept: Sequence[Any],
    model: _Model,
    frames: Mapping[str, pd.DataFrame],
    threshold: int,
    rules: tuple[Contributions | None, float],
) -> np.ndarray[Any, Any]:
    """Primary suppression: counts from 1 to ``threshold - 1``; magnitudes by their
    contributors (``_magnitude``). Sets each magnitude cell's protection (p % of it)."""
    contributions, dominance_p = rules
    values = np.array(model.values, dtype="float64")
    counts = ~np.array(model.magnitude, dtype=bool)
    primary: np.ndarray[Any, Any] = (values >= 1) & (values < threshold) & counts
    if contributions is None:
        return primary
    shapes = {r.key: magnitude_of(r) for r in kept}
    for i, (table, row, column) in enumerate(model.keys):
        shape = shapes.get(table)
        if shape is None or values[i] <= 0:
            continue
        categories = [column] if column != TOTAL else _columns_of(frames[table])
        amounts, _ = contributions.of_cell(shape, row, categories)
        primary[i] = sensitive(amounts, threshold, dominance_p)
        model.protection[i] = max(1.0, dominance_p / 100 * values[i])
        if row == TOTAL and not primary[i]:
            model.forced.add(i)
    return primary


def _columns_of(frame: pd.DataFrame) -> list[str]:
    return [str(c) for c in frame.columns if str(c) != TOTAL]


def _internal_only(report: Any) -> bool:
    rules = rules_for(report.key)
    return rules is not None and rules.internal


def check_threshold(threshold: int) -> None:
    """Raise unless ``threshold`` is at least 1."""
    check_field(threshold >= 1, AT_LEAST, field="threshold", value=threshold, bound=1)


def _masked(
    report: Any,
    frame: pd.DataFrame,
    hidden: set[tuple[str, str]],
    threshold: int,
    rules: TableRules | None,
) -> Any:
    """``report`` with ``hidden`` cells (and the medians of hidden groups) taken out."""
    hidden = set(hidden)
    if rules is not None:
        for column, groups in rules.dependent.items():
            if column in frame.columns and set(groups) <= set(frame.columns):
                _hide_dependent(frame, hidden, column, groups, threshold)
        dropped = [c for c in frame.columns if c in rules.dropped]
        frame = frame.drop(columns=dropped)
    frame = frame.astype("float64")
    hidden = {(r, c) for r, c in hidden if c in frame.columns and _present(frame, r, c)}
    frame = set_cells(frame, hidden, math.nan)
    return _evolve(report, frame, tidy_from_wide(frame), hidden, threshold)


def _hide_dependent(
    frame: pd.DataFrame,
    hidden: set[tuple[str, str]],
    column: str,
    groups: tuple[str, ...],
    threshold: int,
) -> None:
    """Hide ``column`` where its group is small or hidden; where that hides one row alone,
    the Total too, or the Total less the rest would give it back (hours of one person)."""
    rows = [str(r) for r in frame.index]
    for row in rows:
        size = _number(frame.loc[row, groups[0]])
        if size < threshold or any((row, g) in hidden for g in groups):
            hidden.add((row, column))
    lone = [r for r in rows if r != TOTAL and (r, column) in hidden and _present(frame, r, column)]
    if len(lone) == 1 and TOTAL in rows:
        hidden.add((TOTAL, column))


def _evolve(
    report: Any,
    frame: pd.DataFrame,
    data: pd.DataFrame,
    hidden: set[tuple[str, str]],
    threshold: int,
) -> Any:
    return attrs.evolve(
        report,
        data=data,
        row_order=tuple(str(r) for r in frame.index),
        column_order=tuple(str(c) for c in frame.columns),
        total_row=False,
        total_column=False,
        total_values={},
        share_columns=tuple(c for c in report.share_columns if c in frame.columns),
        suppression=RULE,
        threshold=threshold,
        suppressed=frozenset(hidden),
    )


def hide_compared(
    compared: Any, first: Any | None, second: Any | None, years: tuple[int, int]
) -> Any:
    """A comparison of two years with each year's published pattern, and changes hidden with it.

    ``first`` and ``second`` are the two years' published tables; a change is shown only where
    both years' figures are.
    """
    protected = [p for p in (first, second) if p is not None and p.suppression == RULE]
    if not protected:
        return compared  # hours and entries: published as they are
    frame = compared.to_frame(labels=False)
    hidden: set[tuple[str, str]] = set()
    dropped: set[str] = set()
    rules = rules_for(compared.key)
    for year, published in ((years[0], first), (years[1], second)):
        if published is None:
            continue
        for row, column in published.suppressed:
            hidden.add((row, f"{column}{YEAR_SEPARATOR}{year}"))
            hidden.add((row, f"{column}{YEAR_SEPARATOR}change"))
    if rules is not None:
        dropped = {
            c for c in map(str, frame.columns) if c.split(YEAR_SEPARATOR)[0] in rules.dropped
        }
    frame = frame.drop(columns=sorted(dropped)).astype("float64")
    # A change is hidden with either year, even where it could not be computed (a median of
    # a year without cases): an empty change would read as «no change».
    hidden = {
        (r, c)
        for r, c in hidden
        if c in frame.columns and (_present(frame, r, c) or c.endswith(f"{YEAR_SEPARATOR}change"))
    }
    frame = set_cells(frame, hidden, math.nan)
    return _evolve(compared, frame, tidy_from_wide(frame), hidden, protected[0].threshold)


# -- the audit --------------------------------------------------------------------------------


@attrs.frozen
class CellBounds:
    """What an attacker can work out about one hidden cell, or one implied count."""

    table: str
    row: str
    column: str
    low: float
    high: float
    implied: bool = False
    """True for a count that is not a cell but follows from two (active − closed)."""
    magnitude: bool = False
    """True for hours or log entries (bounds in hours or entries): protected from being
    pinned, not by the threshold for counts."""

    @property
    def width(self) -> float:
        """How many values the cell can still take, less one (0: it is determined)."""
        return self.high - self.low


@attrs.frozen
class Audit:
    """The result of [`audit()`][ettervern.audit]: each hidden cell's feasible interval, and what failed."""

    threshold: int
    bounds: tuple[CellBounds, ...]
    """Every hidden cell, then every implied count that depends on one."""
    small_visible: tuple[tuple[str, str, str], ...]
    """Visible counts (or counts implied by visible ones) from 1 to ``threshold - 1``."""
    definitions: tuple[str, ...] = ()
    """The tables whose cell definitions gave the relations the attacker used
    (``ettervern._reports._definitions``): what the audit relied on."""

    @property
    def determined(self) -> tuple[CellBounds, ...]:
        """Hidden cells an attacker can pin to one value."""
        return tuple(b for b in self.bounds if not b.implied and b.low >= b.high)

    @property
    def below_threshold(self) -> tuple[CellBounds, ...]:
        """Hidden cells or implied counts an attacker can prove are from 1 to threshold - 1."""
        return tuple(
            b
            for b in self.bounds
            if not b.magnitude and b.high < self.threshold and (b.low >= 1 or not b.implied)
        )

    @property
    def ok(self) -> bool:
        """Whether the release holds: nothing determined, nothing provably small."""
        return not (self.determined or self.below_threshold or self.small_visible)

    @property
    def narrowest(self) -> float:
        """The narrowest hidden cell's width (max - min); infinite when nothing is hidden."""
        return min(
            (b.width for b in self.bounds if not (b.implied or b.magnitude)), default=math.inf
        )

    def summary(self, locale: str | None = None) -> str:
        """One line: ``no cell determined; the narrowest interval is 5``, or what failed."""
        if not self.ok:
            failed = {(b.table, b.row, b.column) for b in self.determined + self.below_threshold}
            failed |= set(self.small_visible)
            cells = ", ".join(f"{t}[{r}, {c}]" for t, r, c in sorted(failed))
            return Message(
                "{count} cells can be worked out: {cells}", count=len(failed), cells=cells
            ).render(locale)
        if not any(not b.implied for b in self.bounds):
            return translate("no cell hidden", locale)
        width = self.narrowest
        text = "∞" if math.isinf(width) else format_number(width, locale)
        return translate("no cell determined; the narrowest interval is {width}", locale).format(
            width=text
        )

    def __str__(self) -> str:
        return self.summary("en")


def _release_model(reports: Iterable[Any]) -> _Model:
    """The attacker's model of a published release: only what the tables show."""
    model = _Model()
    years: set[str] = set()
    for report in reports:
        frame = report.to_frame(labels=False)
        hidden = set(report.suppressed)
        columns = [str(c) for c in frame.columns]
        if not report.columns.endswith("+year"):
            counted = _count_columns(report, columns)
            if counted:
                _add_table(
                    model,
                    table=report.key,
                    base_key=report.key,
                    frame=frame,
                    hidden=hidden,
                    count_columns=counted,
                    magnitude=magnitude_of(report),
                )
            continue
        base_key = report.key.removesuffix("_compared")
        split = [c.split(YEAR_SEPARATOR) for c in columns]
        suffixes = list(dict.fromkeys(s for _, s in split if s != "change"))
        years.update(suffixes)
        for suffix in suffixes:
            mine = {b: f"{b}{YEAR_SEPARATOR}{suffix}" for b, s in split if s == suffix}
            part = frame[list(mine.values())].set_axis(list(mine), axis=1)
            part_hidden = {(r, b) for b, c in mine.items() for r, cc in hidden if cc == c}
            counted = _count_columns(report, list(mine))
            if counted:
                table = f"{base_key}{YEAR_SEPARATOR}{suffix}"
                _add_table(
                    model,
                    table=table,
                    base_key=base_key,
                    frame=part,
                    hidden=part_hidden,
                    count_columns=counted,
                    magnitude=magnitude_of(report),
                )
        if len(suffixes) == 2:
            _add_changes(
                model,
                report=report,
                frame=frame,
                base_key=base_key,
                suffixes=suffixes,
                hidden=hidden,
            )
    _derive(model)
    return model


def _add_changes(
    model: _Model,
    *,
    report: Any,
    frame: pd.DataFrame,
    base_key: str,
    suffixes: list[str],
    hidden: set[tuple[str, str]],
) -> None:
    first, second = (f"{base_key}{YEAR_SEPARATOR}{s}" for s in suffixes)
    shape = magnitude_of(report)
    scale = 1 if shape is None else shape.scale
    for row in map(str, frame.index):
        for column in map(str, frame.columns):
            base, _, suffix = column.partition(YEAR_SEPARATOR)
            a = model.index.get((first, row, base))
            b = model.index.get((second, row, base))
            if suffix != "change" or a is None or b is None:
                continue
            is_hidden = (row, column) in hidden
            value = math.nan if is_hidden else round(_number(frame.loc[row, column]) * scale)
            change = model.add(
                (report.key, row, column), value, is_hidden, magnitude=model.magnitude[a]
            )
            model.changes.append((a, b, change))


def audit(release: Iterable[Any], *, threshold: int | None = None) -> Audit:
    """Attack a published release: each hidden cell's least and greatest possible value.

    The attacker knows every published figure of ``release`` (an [`AnnualReport`][ettervern.AnnualReport], or the
    tables of [`compare_years()`][ettervern.compare_years]): the totals, the same totals in other tables, the other
    year and the change columns, that a hidden count is at least 1 (zeros show as empty), and
    which columns count parts of another. For every hidden cell an integer program (HiGHS,
    through highspy; needs ``pip install "ettervern[audit]"``) finds its minimum and maximum.

    Returns:
        An [`Audit`][ettervern.Audit]; ``audit(...).ok`` is True when no hidden cell is determined or provably
        below the threshold and no visible count is below it. ``str()`` gives
        ``no cell determined; the narrowest interval is N``.
    """
    reports = list(release)
    if threshold is None:
        threshold = next((r.threshold for r in reports if r.threshold is not None), 3)
    check_threshold(threshold)
    model = _release_model(reports)
    values = np.array(model.values, dtype="float64")
    hidden = np.array(model.hidden, dtype=bool)
    small = [
        model.keys[i]
        for i in np.flatnonzero(~hidden)
        if 1 <= values[i] < threshold
        and not model.magnitude[i]
        and model.keys[i] not in _change_keys(model)
    ]
    bounds: list[CellBounds] = []
    solved = _solve(model, values, hidden)
    for i in np.flatnonzero(hidden):
        if model.keys[i] in _change_keys(model):
            continue
        low, high = solved[int(i)]
        if model.magnitude[i]:
            step = model.steps.get(model.keys[i][0], 1)
            bounds.append(
                CellBounds(*model.keys[i], low=low / step, high=high / step, magnitude=True)
            )
        else:
            bounds.append(CellBounds(*model.keys[i], low=low, high=high))
    for k, (whole, parts) in enumerate(model.subsets):
        terms = [whole, *parts]
        if not hidden[terms].any():
            rest = values[whole] - values[list(parts)].sum()
            if 1 <= rest < threshold:
                small.append(_rest_key(model, whole, parts))
            continue
        low, high = solved[len(values) + k]
        bounds.append(CellBounds(*_rest_key(model, whole, parts), low=low, high=high, implied=True))
    return Audit(
        threshold=threshold,
        bounds=tuple(bounds),
        small_visible=tuple(small),
        definitions=model.relied_on,
    )


def _change_keys(model: _Model) -> set[Key]:
    return {model.keys[c] for _, _, c in model.changes}


def _rest_key(model: _Model, whole: int, parts: Sequence[int]) -> Key:
    table, row, column = model.keys[whole]
    minus = "-".join(model.keys[p][2] for p in parts)
    return (table, row, f"{column}-{minus}")


def _solve(
    model: _Model,
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    *,
    threshold: int | None = None,
    only: int | None = None,
    truth: np.ndarray[Any, Any] | None = None,
    cache: dict[Any, dict[int, tuple[float, float]]] | None = None,
) -> dict[int, tuple[float, float]]:
    """Min and max of every hidden cell and every implied count, by integer programming.

    Variables are the hidden cells, then one per implied count (``whole - parts``); the problem
    is split into independent pieces first, so each solve is small. With ``threshold``, only
    safety is decided: an interval is then as wide as the solutions found so far prove, which
    is enough to show it is at least ``threshold`` wide. With ``only``, just that unknown.
    ``truth`` (the true values, when publishing) is a known solution, so it starts the search;
    ``cache`` keeps the answers of pieces that have not changed since the last call.
    """
    if not _have_solver():
        raise MissingDependencyError("highspy", "audit", Message("audit published tables"))
    n = len(values)
    rows, lower = _unknowns(model, values, hidden)
    out: dict[int, tuple[float, float]] = {}
    for members, relations in _pieces(sorted(lower), rows):
        if only is not None and only not in members:
            continue
        key = (tuple(members), tuple((tuple(c.items()), r) for c, r in relations), only)
        if cache is not None and key in cache:
            out.update(cache[key])
            continue
        known = None if truth is None else _known(truth, members, model, n)
        piece = _Piece.build(members, relations, [lower[v] for v in members], known)
        answers = {
            v: piece.interval(j, threshold)
            for j, v in enumerate(members)
            if only is None or v == only
        }
        out.update(answers)
        if cache is not None:
            cache[key] = answers
    return out


def _unknowns(
    model: _Model, values: np.ndarray[Any, Any], hidden: np.ndarray[Any, Any]
) -> tuple[list[tuple[dict[int, float], float]], dict[int, float]]:
    """The attacker's equations over the unknowns (``sum(coef * var) == rhs``), and each
    unknown's lower bound: hidden cells, implied counts (after the cells), hidden changes."""
    n = len(values)
    rows: list[tuple[dict[int, float], float]] = []
    lower = dict.fromkeys((int(i) for i in np.flatnonzero(hidden)), 1.0)

    def relation(terms: Sequence[tuple[int, float]]) -> None:
        coefs: dict[int, float] = {}
        rhs = 0.0
        for var, coef in terms:
            if var < n and not hidden[var]:
                rhs -= coef * values[var]
            else:
                coefs[var] = coefs.get(var, 0.0) + coef
        if coefs:
            rows.append((coefs, rhs))

    for whole, parts in model.lines:
        relation([(whole, -1.0), *((p, 1.0) for p in parts)])
    for k, (whole, parts) in enumerate(model.subsets):
        if not (hidden[whole] or hidden[list(parts)].any()):
            continue  # every term is published: the rest is known, no need to solve
        lower[n + k] = 0.0
        relation([(whole, 1.0), *((p, -1.0) for p in parts), (n + k, -1.0)])
    for first, second, change in model.changes:
        if hidden[change]:
            lower[change] = -math.inf
        relation([(second, 1.0), (first, -1.0), (change, -1.0)])
    return rows, lower


def _known(
    truth: np.ndarray[Any, Any], members: list[int], model: _Model, n: int
) -> np.ndarray[Any, Any]:
    """The true values of a piece's unknowns: cells, and the rests implied by them."""
    out = []
    for v in members:
        if v < n:
            out.append(truth[v])
        else:
            whole, parts = model.subsets[v - n]
            out.append(truth[whole] - truth[list(parts)].sum())
    return np.array(out, dtype="float64")


def _pieces(
    unknowns: list[int], rows: list[tuple[dict[int, float], float]]
) -> list[tuple[list[int], list[tuple[dict[int, float], float]]]]:
    """Split the unknowns into groups no relation connects (union-find)."""
    parent = {v: v for v in unknowns}

    def find(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for coefs, _ in rows:
        first, *others = coefs
        for other in others:
            parent[find(other)] = find(first)
    members: dict[int, list[int]] = {}
    for v in unknowns:
        members.setdefault(find(v), []).append(v)
    relations: dict[int, list[tuple[dict[int, float], float]]] = {}
    for coefs, rhs in rows:
        relations.setdefault(find(next(iter(coefs))), []).append((coefs, rhs))
    return [(group, relations.get(root, [])) for root, group in members.items()]


@attrs.define
class _Piece:
    """One independent piece of the attacker's problem: A x = b, x >= lower, x integer.

    Every integer solution found is kept: it proves values each cell can take, so many
    intervals are settled without solving for them.
    """

    matrix: np.ndarray[Any, Any]
    rhs: np.ndarray[Any, Any]
    lower: np.ndarray[Any, Any]
    pool: list[np.ndarray[Any, Any]] = attrs.field(factory=list)

    @classmethod
    def build(
        cls,
        members: list[int],
        relations: list[tuple[dict[int, float], float]],
        lower: list[float],
        known: np.ndarray[Any, Any] | None = None,
    ) -> _Piece:
        position = {v: j for j, v in enumerate(members)}
        matrix = np.zeros((len(relations), len(members)))
        rhs = np.zeros(len(relations))
        for r, (coefs, value) in enumerate(relations):
            for var, coef in coefs.items():
                matrix[r, position[var]] += coef
            rhs[r] = value
        piece = cls(matrix, rhs, np.array(lower, dtype="float64"))
        if known is None:
            piece.check()
        else:
            piece.pool.append(known)
        return piece

    def _milp(self, objective: np.ndarray[Any, Any]) -> _Result:
        result = _highs(self.matrix, self.rhs, self.lower, objective, integer=True)
        if result.status == OPTIMAL:
            self.pool.append(np.round(result.x))
        return result

    def check(self) -> None:
        """Raise if no integer values fit (the tables contradict each other)."""
        size = len(self.lower)
        for objective in (np.ones(size), np.zeros(size)):  # two solutions to start the pool
            result = self._milp(objective)
            if result.status not in (OPTIMAL, UNBOUNDED, UNBOUNDED_OR_INFEASIBLE):
                msg = Message(
                    "the published tables contradict each other: {reason}",
                    reason=result.message,
                )
                raise InvalidValueError(msg, field="release", value=result.message)

    def least(self, at: int, sign: float) -> float:
        """The minimum of ``sign * x[at]`` over the integers; -inf when there is none.

        The linear relaxation is solved first: these tables mostly give integral optima, and
        then the integer program is not needed.
        """
        objective = np.zeros(len(self.lower))
        objective[at] = sign
        relaxed = _highs(self.matrix, self.rhs, self.lower, objective, integer=False)
        if relaxed.status == UNBOUNDED:
            return -math.inf
        if relaxed.status == OPTIMAL and np.allclose(relaxed.x, np.round(relaxed.x), atol=1e-7):
            self.pool.append(np.round(relaxed.x))
            return float(round(relaxed.fun))
        result = self._milp(objective)
        if result.status == OPTIMAL:
            return float(round(result.fun))
        return -math.inf  # unbounded: feasibility was checked first

    def interval(self, at: int, threshold: int | None) -> tuple[float, float]:
        """The least and greatest value of ``x[at]``; with ``threshold``, just enough of it."""
        seen = [x[at] for x in self.pool]
        if threshold is not None and seen and max(seen) >= max(threshold, min(seen) + 1):
            return (min(seen), max(seen))
        high = -self.least(at, -1.0)
        seen = [x[at] for x in self.pool]
        low = min(seen) if seen and min(seen) <= self.lower[at] else self.least(at, 1.0)
        return (low, high)


OPTIMAL = "kOptimal"
UNBOUNDED = "kUnbounded"
UNBOUNDED_OR_INFEASIBLE = "kUnboundedOrInfeasible"
"""HiGHS's model statuses (``HighsModelStatus`` names). «Unbounded or infeasible» comes after a
feasibility check that found a solution, so it means unbounded."""


@attrs.frozen
class _Result:
    status: str
    message: str
    x: np.ndarray[Any, Any]
    fun: float


def _highs(
    matrix: np.ndarray[Any, Any],
    rhs: np.ndarray[Any, Any],
    lower: np.ndarray[Any, Any],
    objective: np.ndarray[Any, Any],
    *,
    integer: bool,
) -> _Result:
    """Minimise ``objective @ x`` subject to ``matrix @ x == rhs``, ``x >= lower`` with HiGHS.

    highspy rather than scipy: the same solver, imported in 10 ms instead of scipy.optimize's
    450 ms, which was a quarter of ``python -m ettervern report``. The bare ``_Highs`` is used
    because ``highspy.Highs()`` prints its banner on stdout before any option can be set.
    """
    import highspy
    from highspy._core import _Highs

    rows, columns = matrix.shape
    lp = highspy.HighsLp()
    lp.num_col_ = columns
    lp.num_row_ = rows
    lp.col_cost_ = np.asarray(objective, dtype="float64")
    lp.col_lower_ = np.asarray(lower, dtype="float64")
    lp.col_upper_ = np.full(columns, highspy.kHighsInf)
    lp.row_lower_ = np.asarray(rhs, dtype="float64")
    lp.row_upper_ = np.asarray(rhs, dtype="float64")
    at_row, at_column = np.nonzero(matrix)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = columns
    lp.a_matrix_.num_row_ = rows
    lp.a_matrix_.start_ = np.searchsorted(at_row, np.arange(rows + 1)).astype(np.int32)
    lp.a_matrix_.index_ = at_column.astype(np.int32)
    lp.a_matrix_.value_ = matrix[at_row, at_column].astype("float64")
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * columns
    solver = _Highs()
    solver.setOptionValue("output_flag", False)
    solver.passModel(lp)
    solver.run()
    status = solver.getModelStatus()
    x = np.array(solver.getSolution().col_value, dtype="float64")
    value = float(solver.getInfo().objective_function_value)
    return _Result(status.name, solver.modelStatusToString(status), x, value)
