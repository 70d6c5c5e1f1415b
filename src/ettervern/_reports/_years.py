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
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ettervern._reports._definitions import TABLES, define, magnitude_of, once_in_time
from ettervern._reports._disclosure import Proposal, as_published
from ettervern._reports._model import (
    TOTAL,
    YEAR_SEPARATOR,
    Model,
    add_derived,
    add_table,
    count_columns,
    is_present,
)
from ettervern._reports._pooling import MOSTLY_HIDDEN
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
) -> YearsPooled:
    """Each table of ``published`` (both years' published tables) with a pooled column,
    pooled over the two ``years`` and protected together with both years' published
    patterns (see the module); ``internal``: both years' internal tables, ``parts``: each
    member's internal tables of each year (its part of every cell), made when needed. Not
    ``wanted`` (only the proposals): nothing is protected unless a table is mostly hidden.
    A ``member``'s view (``published``: its views of the years): its pooled rows shown."""
    keys = _poolable(internal, published)
    if not keys:
        return YearsPooled((), ())
    model, pooled, shown = _model(internal, published, years, keys)
    values = np.array(model.values, dtype="float64")
    shares = {key: _hidden_share(model, values, shown, key, years) for key in keys}
    if not wanted and max(shares.values()) <= MOSTLY_HIDDEN:
        return YearsPooled((), ())
    if parts is not None:
        _members(model, values, internal, parts(), years)
    primary = _primary(model, values, pooled, shown, threshold)
    if member is not None:
        _shown_to(model, pooled, primary, member)
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
    internal: tuple[Sequence[Any], Sequence[Any]], published: tuple[Sequence[Any], Sequence[Any]]
) -> list[str]:
    """The report keys of count tables both years publish that have a column to pool."""
    found = [{r.key: r for r in reports} for reports in internal]
    shown = [{r.key for r in reports} for reports in published]
    out = []
    for key, report in found[0].items():
        if key not in found[1] or not (key in shown[0] and key in shown[1]):
            continue
        columns = [str(c) for c in report.column_order]
        if pooled_columns(key, columns):
            out.append(key)
    return out


def _model(
    internal: tuple[Sequence[Any], Sequence[Any]],
    published: tuple[Sequence[Any], Sequence[Any]],
    years: tuple[int, int],
    keys: Sequence[str],
) -> tuple[Model, dict[str, list[int]], np.ndarray[Any, Any]]:
    """Both years' count tables (keys ``table␟year``) and the pooled tables (``table␟y1-y2``)
    in one model, each pooled cell the sum of its two yearly cells; which cells each year's
    published table shows."""
    model = Model()
    frames: list[dict[str, pd.DataFrame]] = [{}, {}]
    shown: list[int] = []
    for at, (year, reports, release) in enumerate(zip(years, internal, published, strict=True)):
        printed = {r.key: r.to_frame(labels=False) for r in release}
        for report in reports:
            frame = report.to_frame(labels=False)
            columns = count_columns(report, [str(c) for c in frame.columns])
            if report.key not in printed or not columns or magnitude_of(report) is not None:
                continue
            start = len(model.keys)
            add_table(
                model,
                table=f"{report.key}{YEAR_SEPARATOR}{year}",
                base_key=report.key,
                frame=frame,
                hidden=set(),
                count_columns=columns,
            )
            frames[at][report.key] = frame
            out = printed[report.key]
            shown += [
                i
                for i in range(start, len(model.keys))
                if _printed(out, model.keys[i][1], model.keys[i][2])
            ]
    pooled = {key: _add_pooled(model, frames, key, years) for key in keys}
    add_derived(model)
    flags = np.zeros(len(model.keys), dtype=bool)
    flags[shown] = True
    return model, pooled, flags


def _printed(frame: pd.DataFrame, row: str, column: str) -> bool:
    """Whether a published table prints the cell (a row pooled away, or ``:``, does not)."""
    if row not in frame.index or column not in frame.columns:
        return False
    return is_present(frame, row, column)


def _add_pooled(
    model: Model, frames: list[dict[str, pd.DataFrame]], key: str, years: tuple[int, int]
) -> list[int]:
    """Add the pooled table of ``key``: its columns that count once in time, rows of either
    year, each cell the sum of the two years' (a row a year lacks is 0 that year)."""
    first, second = (f[key].apply(pd.to_numeric, errors="coerce") for f in frames)
    columns = pooled_columns(key, [str(c) for c in first.columns if c in second.columns])
    rows = list(dict.fromkeys([*map(str, first.index), *map(str, second.index)]))
    rows = [r for r in rows if r != TOTAL] + [TOTAL]
    summed = first.reindex(index=rows, columns=columns).fillna(0) + second.reindex(
        index=rows, columns=columns
    ).fillna(0)
    table = f"{key}{YEAR_SEPARATOR}{years[0]}-{years[1]}"
    start = len(model.keys)
    add_table(model, table=table, base_key=key, frame=summed, hidden=set(), count_columns=columns)
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
) -> None:
    """Each member's own rows and its part of every cell, as in a yearly release: read from
    its tables of each year, its part of a pooled cell the sum of its two."""
    by_member = {
        t
        for t, _, _ in model.keys
        if TABLES.get(t.partition(YEAR_SEPARATOR)[0]) is not None
        and TABLES[t.partition(YEAR_SEPARATOR)[0]].row_dimension == "municipality"
    }
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
    """A member's table of one year into its part of the cells (``table``: its key there)."""
    frame = report.to_frame(labels=False).apply(pd.to_numeric, errors="coerce")
    for row in map(str, frame.index):
        for column in map(str, frame.columns):
            at = model.index.get((table, row, column))
            value = frame.loc[row, column]
            if at is not None and not pd.isna(value):
                into[at] = float(value)


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
    small = (values >= 1) & (values < threshold)
    for part in model.parts.values():
        others = values - part
        small |= (part >= 1) & (others >= 1) & (others < threshold)
    primary |= cells & small
    model.forced.update(int(i) for i in np.flatnonzero(~cells & shown))
    out: np.ndarray[Any, Any] = primary
    return out


def _shown_to(
    model: Model, pooled: Mapping[str, list[int]], primary: np.ndarray[Any, Any], member: str
) -> None:
    """A member's view: its own pooled rows (the sum of its two years' rows, both shown to
    it) are never hidden, and published for secondary suppression to protect the rest with."""
    for indices in pooled.values():
        for i in indices:
            table, row, _ = model.keys[i]
            spec = TABLES.get(table.partition(YEAR_SEPARATOR)[0])
            if row == member and spec is not None and spec.row_dimension == "municipality":
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
        _, row, column = model.keys[i]
        frame.loc[row, column] = values[i] if values[i] else np.nan
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
