"""Two years pooled: one figure for both years together, published safe with both years' releases.

Where a comparison of two years (``compare_years``) is mostly hidden, a figure for both years
together may still be publishable. The yearly annual reports are published anyway, so the
pooled figures must be safe *together with* both years' published tables:

- **Only cells whose records fall in exactly one year are pooled** (``once_in_time``, read from
  the cells' definitions: a case counted by the day of an event, referred, accepted or closed in
  the period). The pooled cell is then the first year's cell plus the second's, a linear
  relation the model holds; a count of cases open in either year (one case open in both) is not
  pooled, as its relation to the yearly cells would be unknown.
- **One model, both years and the pooled cells.** Every count table of both years' releases is
  in it (each year's relations derived as in its own release), with each year's published
  pattern fixed: a cell the year shows is never hidden (``Model.forced``), a cell it hides is to
  be protected. The pooled cells are the only ones secondary suppression may hide, with the
  same attack as a release's (``_secondary``): a pooled cell next to one hidden and one shown
  yearly cell would give the hidden one back, so it is hidden.
- **Against each member too**: each member's part of every cell is read from its own tables of
  each year (its part of a pooled cell the sum of its two), as in a yearly release.
- **Hours and entries by member** pool every category (an entry is dated: it falls in one
  year); by month they do not (a month lies in one year). A pooled cell follows the rules for
  magnitudes over both years' contributions, a case with time in both years one contributor
  (``_magnitudes``), and against each member over the other members' entries.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ettervern._reports._definitions import (
    TABLES,
    Magnitude,
    define,
    magnitude_of,
    once_in_time,
)
from ettervern._reports._disclosure import (
    DOMINANCE_P,
    Proposal,
    as_published,
    sensitive_to_members,
)
from ettervern._reports._magnitude import Contributions, sensitive
from ettervern._reports._model import (
    TOTAL,
    YEAR_SEPARATOR,
    Model,
    add_derived,
    add_table,
    count_columns,
    is_present,
)
from ettervern._reports._pooling import MOSTLY_HIDDEN, categories_of
from ettervern._reports._secondary import secondary
from ettervern._reports._solver import member_parts, own_cells, shared_cells
from ettervern._reports._tidy import set_cells, tidy_from_wide

__all__ = ["POOLED_YEARS", "YearsPooled", "pooled_columns", "with_years_pooled"]

POOLED_YEARS = "_years"
"""The suffix of a pooled table's report key: ``cases_years`` pools ``cases`` of both years."""


def pooled_columns(key: str, columns: Sequence[str]) -> list[str]:
    """The columns of table ``key`` whose every cell counts records that fall in one year
    (``_definitions.once_in_time``): only those are pooled. Tables whose rows are no
    partition are not pooled."""
    spec = TABLES.get(key)
    if spec is None or spec.row_dimension is None:
        return []
    out = []
    for column in columns:
        cell = define(key, TOTAL, column)
        if column != TOTAL and cell is not None and once_in_time(cell):
            out.append(column)
    return out


@attrs.frozen
class YearsPooled:
    """The pooled tables of two years, protected, and the proposals they measure."""

    tables: tuple[Any, ...]
    proposals: tuple[Proposal, ...]


def with_years_pooled(
    internal: tuple[Sequence[Any], Sequence[Any]],
    published: tuple[Sequence[Any], Sequence[Any]],
    years: tuple[int, int],
    threshold: int,
    *,
    parts: Callable[[], Mapping[str, tuple[Sequence[Any], Sequence[Any]]]] | None = None,
    method: str | None = None,
    wanted: bool = True,
    member: str | None = None,
    log: pd.DataFrame | None = None,
    dominance_p: float = DOMINANCE_P,
) -> YearsPooled:
    """Each table of ``published`` (both years' published tables) with a pooled column,
    pooled over the two ``years`` and protected together with both years' published
    patterns (see the module); ``internal``: both years' internal tables, ``parts``: each
    member's internal tables of each year (its part of every cell), made when needed. Not
    ``wanted`` (only the proposals): nothing is protected unless a table is mostly hidden.
    A ``member``'s view (``published``: its views of the years): its pooled rows shown.
    ``log``: the log's codes over both years (``log_codes``, moves applied): given, the hours
    and entries tables by member are pooled too, by the rules for magnitudes over both
    years' contributions (``dominance_p``: the p of the p % rule)."""
    keys = _poolable(internal, published, hours=log is not None)
    if not keys:
        return YearsPooled((), ())
    model, pooled, shown, shapes = _model(internal, published, years, keys, hours=log is not None)
    values = np.array(model.values, dtype="float64")
    shares = {key: _hidden_share(model, values, shown, key, years) for key in keys}
    if not wanted and max(shares.values()) <= MOSTLY_HIDDEN:
        return YearsPooled((), ())
    if parts is not None:
        _members(model, values, internal, parts(), years, shapes=shapes)
    primary = _primary(model, values, pooled, shown, threshold)
    if log is not None:
        rules = (_contributions(log), dominance_p, threshold)
        _magnitudes(model, values, (primary, shown), shapes, rules)
    if member is not None:
        _shown_to(model, pooled, primary, member, shapes)
    hidden = secondary(values, model, threshold, primary, method=method)
    tables, proposals = [], []
    for key in keys:
        cells = pooled[key]
        frame = _frame(model, cells, values, hidden)
        report = _report(internal, key, frame, hidden_cells(model, cells, hidden), threshold)
        tables.append(report)
        inner = [i for i in cells if TOTAL not in model.keys[i][1:] and values[i] > 0]
        publishes = sum(1 for i in inner if not hidden[i])
        share = shares[key]
        if share > MOSTLY_HIDDEN and publishes:
            pool = (str(years[0]), str(years[1]))
            proposals.append(Proposal(f"{key}_compared", pool, share, publishes, kind="years"))
    return YearsPooled(tuple(tables), tuple(proposals))


def _poolable(
    internal: tuple[Sequence[Any], Sequence[Any]],
    published: tuple[Sequence[Any], Sequence[Any]],
    *,
    hours: bool = False,
) -> list[str]:
    """The report keys of count tables both years publish that have a column to pool, and
    with ``hours`` of the hours and entries tables by member (``_by_member``)."""
    found = [{r.key: r for r in reports} for reports in internal]
    shown = [{r.key for r in reports} for reports in published]
    out = []
    for key, report in found[0].items():
        if key not in found[1] or not (key in shown[0] and key in shown[1]):
            continue
        columns = [str(c) for c in report.column_order]
        if pooled_columns(key, columns) or (hours and _by_member(report)):
            out.append(key)
    return out


def _model(
    internal: tuple[Sequence[Any], Sequence[Any]],
    published: tuple[Sequence[Any], Sequence[Any]],
    years: tuple[int, int],
    keys: Sequence[str],
    *,
    hours: bool = False,
) -> tuple[Model, dict[str, list[int]], np.ndarray[Any, Any], dict[str, Magnitude]]:
    """Both years' count tables (keys ``table␟year``; with ``hours`` their hours and entries
    tables too) and the pooled tables (``table␟y1-y2``) in one model, each pooled cell the
    sum of its two yearly cells; which cells each year's published table shows; each
    magnitude table's shape, by its key in the model."""
    model = Model()
    frames: list[dict[str, pd.DataFrame]] = [{}, {}]
    shown: list[int] = []
    shapes: dict[str, Magnitude] = {}
    for at, (year, reports, release) in enumerate(zip(years, internal, published, strict=True)):
        printed = {r.key: r.to_frame(labels=False) for r in release}
        for report in reports:
            frame = report.to_frame(labels=False)
            columns = count_columns(report, [str(c) for c in frame.columns])
            shape = magnitude_of(report)
            if report.key not in printed or not columns or (shape is not None and not hours):
                continue
            start = len(model.keys)
            table = f"{report.key}{YEAR_SEPARATOR}{year}"
            if shape is not None:
                shapes[table] = shapes[report.key] = shape
            add_table(
                model,
                table=table,
                base_key=report.key,
                frame=frame,
                hidden=set(),
                count_columns=columns,
                magnitude=shape,
            )
            frames[at][report.key] = frame
            out = printed[report.key]
            shown += [
                i
                for i in range(start, len(model.keys))
                if _printed(out, model.keys[i][1], model.keys[i][2])
            ]
    pooled = {key: _add_pooled(model, frames, key, years, shapes.get(key)) for key in keys}
    for key in keys:
        if key in shapes:
            shapes[f"{key}{YEAR_SEPARATOR}{years[0]}-{years[1]}"] = shapes.pop(key)
    shapes = {table: shape for table, shape in shapes.items() if YEAR_SEPARATOR in table}
    add_derived(model)
    flags = np.zeros(len(model.keys), dtype=bool)
    flags[shown] = True
    return model, pooled, flags, shapes


def _printed(frame: pd.DataFrame, row: str, column: str) -> bool:
    """Whether a published table prints the cell (a row pooled away, or ``:``, does not)."""
    if row not in frame.index or column not in frame.columns:
        return False
    return is_present(frame, row, column)


def _add_pooled(
    model: Model,
    frames: list[dict[str, pd.DataFrame]],
    key: str,
    years: tuple[int, int],
    shape: Magnitude | None = None,
) -> list[int]:
    """Add the pooled table of ``key``: its columns that count once in time, rows of either
    year, each cell the sum of the two years' (a row a year lacks is 0 that year). An hours
    or entries table (``shape``) pools every category of either year, and its Total."""
    first, second = (f[key].apply(pd.to_numeric, errors="coerce") for f in frames)
    columns = pooled_columns(key, [str(c) for c in first.columns if c in second.columns])
    if shape is not None:  # every entry falls in one year: each category pools
        either = dict.fromkeys(map(str, [*first.columns, *second.columns]))
        columns = [c for c in either if c != TOTAL] + [TOTAL]
    rows = list(dict.fromkeys([*map(str, first.index), *map(str, second.index)]))
    rows = [r for r in rows if r != TOTAL] + [TOTAL]
    summed = first.reindex(index=rows, columns=columns).fillna(0) + second.reindex(
        index=rows, columns=columns
    ).fillna(0)
    table = f"{key}{YEAR_SEPARATOR}{years[0]}-{years[1]}"
    start = len(model.keys)
    add_table(
        model,
        table=table,
        base_key=key,
        frame=summed,
        hidden=set(),
        count_columns=columns,
        magnitude=shape,
    )
    for i in range(start, len(model.keys)):
        _, row, column = model.keys[i]
        halves = tuple(
            model.index[k]
            for k in ((f"{key}{YEAR_SEPARATOR}{y}", row, column) for y in years)
            if k in model.index
        )
        model.lines.append((i, halves))
    return list(range(start, len(model.keys)))


def _members(
    model: Model,
    values: np.ndarray[Any, Any],
    internal: tuple[Sequence[Any], Sequence[Any]],
    parts: Mapping[str, tuple[Sequence[Any], Sequence[Any]]],
    years: tuple[int, int],
    *,
    shapes: Mapping[str, Magnitude],
) -> None:
    """Each member's own rows and its part of every cell, as in a yearly release: read from
    its tables of each year, its part of a pooled cell the sum of its two (``shapes``: the
    hours and entries tables, those by member among the tables by member)."""
    by_member = {
        t
        for t, _, _ in model.keys
        if TABLES.get(t.partition(YEAR_SEPARATOR)[0]) is not None
        and TABLES[t.partition(YEAR_SEPARATOR)[0]].row_dimension == "municipality"
    }
    by_member |= {t for t, shape in shapes.items() if shape.rows == "municipality"}
    team = next((r.team for r in internal[1] if getattr(r, "team", None) is not None), None)
    members = None if team is None else {m.municipality.name for m in team.members}
    model.knows = own_cells(model.keys, by_member, members)
    model.shared = shared_cells(model, by_member)
    sums = [(whole, halves) for whole, halves in model.lines if _is_pooled(model, whole)]
    for name in sorted(set(model.knows) | set(parts)):
        read = np.zeros(len(values))
        for year, reports in zip(years, parts.get(name, ((), ())), strict=True):
            for report in reports:
                _read(model, report, f"{report.key}{YEAR_SEPARATOR}{year}", read)
        for whole, halves in sums:
            read[whole] = sum(read[h] for h in halves)
        model.parts[name] = member_parts(model, values, name, read)


def _is_pooled(model: Model, index: int) -> bool:
    return "-" in model.keys[index][0].partition(YEAR_SEPARATOR)[2]


def _read(model: Model, report: Any, table: str, into: np.ndarray[Any, Any]) -> None:
    """A member's table of one year into its part of the cells (``table``: its key there),
    in the cells' units (hours in their steps)."""
    frame = report.to_frame(labels=False).apply(pd.to_numeric, errors="coerce")
    shape = magnitude_of(report)
    for row in map(str, frame.index):
        for column in map(str, frame.columns):
            at = model.index.get((table, row, column))
            value = frame.loc[row, column]
            if at is not None and not pd.isna(value):
                into[at] = float(value) if shape is None else round(value * shape.scale)


def _primary(
    model: Model,
    values: np.ndarray[Any, Any],
    pooled: Mapping[str, list[int]],
    shown: np.ndarray[Any, Any],
    threshold: int,
) -> np.ndarray[Any, Any]:
    """The cells to protect: each year's hidden cells (as published), and the pooled cells
    below the threshold or whose other members' part is, for a member with a part of its
    own. Each year's shown cells stay shown (``Model.forced``)."""
    cells = np.zeros(len(values), dtype=bool)
    for indices in pooled.values():
        cells[indices] = True
    primary = ~cells & ~shown & (values >= 1)
    counts = ~np.array(model.magnitude, dtype=bool)  # hours and entries: ``_magnitudes``
    small = counts & (values >= 1) & (values < threshold)
    for part in model.parts.values():
        others = values - part
        small |= counts & (part >= 1) & (others >= 1) & (others < threshold)
    primary |= cells & small
    model.forced.update(int(i) for i in np.flatnonzero(~cells & shown))
    out: np.ndarray[Any, Any] = primary
    return out


def _shown_to(
    model: Model,
    pooled: Mapping[str, list[int]],
    primary: np.ndarray[Any, Any],
    member: str,
    shapes: Mapping[str, Magnitude],
) -> None:
    """A member's view: its own pooled rows (the sum of its two years' rows, both shown to
    it) are never hidden, and published for secondary suppression to protect the rest with;
    in the count tables and the hours and entries tables (``shapes``) by member alike."""
    for indices in pooled.values():
        for i in indices:
            table, row, _ = model.keys[i]
            spec = TABLES.get(table.partition(YEAR_SEPARATOR)[0])
            shape = shapes.get(table)
            by_member = (spec is not None and spec.row_dimension == "municipality") or (
                shape is not None and shape.rows == "municipality"
            )
            if row == member and by_member:
                primary[i] = False
                model.forced.add(i)


def hidden_cells(
    model: Model, cells: Sequence[int], hidden: np.ndarray[Any, Any]
) -> set[tuple[str, str]]:
    """The (row, column) of the pooled ``cells`` that are hidden."""
    return {model.keys[i][1:] for i in cells if hidden[i]}


def _frame(
    model: Model, cells: Sequence[int], values: np.ndarray[Any, Any], hidden: np.ndarray[Any, Any]
) -> pd.DataFrame:
    """The pooled table's figures, wide (its true values; ``_report`` hides)."""
    rows = list(dict.fromkeys(model.keys[i][1] for i in cells))
    columns = list(dict.fromkeys(model.keys[i][2] for i in cells))
    frame = pd.DataFrame(np.nan, index=rows, columns=columns, dtype="float64")
    for i in cells:
        table, row, column = model.keys[i]
        steps = model.steps.get(table, 1)  # hours are held in their steps
        frame.loc[row, column] = values[i] / steps if values[i] else np.nan
    return frame


def _report(
    internal: tuple[Sequence[Any], Sequence[Any]],
    key: str,
    frame: pd.DataFrame,
    hidden: set[tuple[str, str]],
    threshold: int,
) -> Any:
    """The pooled table as a published report: the second year's table over both years."""
    base = next(r for r in internal[1] if r.key == key)
    first = next(r for r in internal[0] if r.key == key)
    report = attrs.evolve(
        base,
        key=f"{key}{POOLED_YEARS}",
        period=(first.period[0], base.period[1]) if first.period and base.period else None,
        share_columns=(),
        total_values={},
    )
    frame = set_cells(frame, {c for c in hidden if is_present(frame, *c)}, np.nan)
    return as_published(report, frame, tidy_from_wide(frame), hidden, threshold)


def _hidden_share(
    model: Model,
    values: np.ndarray[Any, Any],
    shown: np.ndarray[Any, Any],
    key: str,
    years: tuple[int, int],
) -> float:
    """The share of the compared table's non-zero inner cells (both years) hidden."""
    tables = {f"{key}{YEAR_SEPARATOR}{y}" for y in years}
    inner = [
        i
        for i, (table, row, column) in enumerate(model.keys)
        if table in tables and TOTAL not in (row, column) and values[i] > 0
    ]
    return float(np.mean([not shown[i] for i in inner])) if inner else 0.0


def _by_member(report: Any) -> bool:
    """Whether ``report`` is an hours or entries table by member: pooled over the years. By
    month it is not: a month lies in one year, so the pooled figure would be the month's."""
    shape = magnitude_of(report)
    return shape is not None and shape.rows == "municipality"


def _contributions(log: pd.DataFrame) -> Callable[[str], Contributions]:
    """Each case's contributions to the cells of a period (``2020``, or ``2020-2021`` for the
    pooled cells: a case with time in both years is one contributor), made once each."""
    made: dict[str, Contributions] = {}

    def of(period: str) -> Contributions:
        if period not in made:
            first, _, last = period.partition("-")
            span = (dt.date(int(first), 1, 1), dt.date(int(last or first), 12, 31))
            made[period] = Contributions(log, span)
        return made[period]

    return of


def _magnitudes(
    model: Model,
    values: np.ndarray[Any, Any],
    pattern: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]],
    shapes: Mapping[str, Magnitude],
    rules: tuple[Callable[[str], Contributions], float, int],
) -> None:
    """Primary suppression of the pooled hours and entries (``_disclosure._primary``'s rules,
    over both years' contributions), each magnitude's protection (p % of it), and each
    member's primary set (``Model.sensitive``): the counts it protects as before, and the
    hours and entries whose other members' part breaks the rules, the member's own entries
    left out (each year's hidden cells by that year's contributions). A pooled cell whose
    two years are both shown is known to every reader: it is published (``Model.forced``).
    ``pattern``: the cells to protect (set here for the pooled ones) and those shown."""
    contributions, dominance_p, threshold = rules
    primary, shown = pattern
    counts = ~np.array(model.magnitude, dtype=bool)
    model.sensitive = {m: np.array(primary & counts) for m in model.parts}  # one each
    columns: dict[str, list[str]] = {}
    for table, _, column in model.keys:
        if table in shapes and column != TOTAL:
            columns.setdefault(table, []).append(column)
    for i, (table, row, column) in enumerate(model.keys):
        shape = shapes.get(table)
        if shape is None or values[i] <= 0:
            continue
        model.protection[i] = max(1.0, dominance_p / 100 * values[i])
        pooled = _is_pooled(model, i)
        if not (pooled or primary[i]):
            continue  # shown in its year, and kept so
        cell = (shape, row, categories_of(column, list(dict.fromkeys(columns[table])), ()))
        source = contributions(table.partition(YEAR_SEPARATOR)[2])
        if pooled and _halves_shown(model, i, shown):
            model.forced.add(i)
            continue
        if pooled:
            amounts, _ = source.of_cell(*cell)
            primary[i] = sensitive(amounts, threshold, dominance_p)
        rule = (threshold, dominance_p, bool(primary[i]))
        for member in sensitive_to_members(source, cell, model, i, rule):
            model.sensitive[member][i] = primary[i] = True


def _halves_shown(model: Model, i: int, shown: np.ndarray[Any, Any]) -> bool:
    """Whether both years' cells of the pooled cell ``i`` are shown (a year without the
    cell has 0 there, known too)."""
    table, row, column = model.keys[i]
    base, _, period = table.partition(YEAR_SEPARATOR)
    halves = (
        model.index.get((f"{base}{YEAR_SEPARATOR}{y}", row, column)) for y in period.split("-")
    )
    return all(h is None or bool(shown[h]) for h in halves)
