"""The model of a release: its cells (counts, and magnitudes in their logging step), the
relations between them derived from the cells' definitions, and what the tables declare."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ettervern._core import AT_LEAST, Team, check_field
from ettervern._reports._definitions import (
    TABLES,
    Cell,
    Magnitude,
    define,
    define_magnitude,
    derive,
    magnitude_of,
)

COUNTED = frozenset({"cases", "people"})
"""Units whose every column counts people or cases. Hours and log entries record the team's
work and are published as they are (see docs/privacy.md, «Hours»)."""


TOTAL = "Total"


YEAR_SEPARATOR = "\x1f"


@attrs.frozen
class TableRules:
    """What disclosure control must know about one kind of table, by its report key."""

    dependent: Mapping[str, tuple[str, ...]] = attrs.field(factory=dict)
    """Columns computed from count columns of the same row (a median or mean of the group
    counted by the first, a share of the first that the second counts) → those columns. Such a
    cell is hidden with any of them, and whenever the group is below the threshold. A table
    with computed columns is mixed: every other column of it is a count."""
    dropped: frozenset[str] = frozenset()
    """Columns left out of the published release (shares of small groups are counts)."""
    internal: bool = False
    """The whole table is internal (it lists case codes) and is never published."""


def _averages(group: str, *measures: str) -> dict[str, tuple[str, ...]]:
    """The mean and the median of each measure, computed over the ``group`` a count counts
    (``mean_weeks`` and ``median_weeks`` of the closed courses)."""
    return {f"{kind}_{m}": (group,) for m in measures for kind in ("mean", "median")}


TABLE_RULES: dict[str, TableRules] = {
    "follow_up_length": TableRules(internal=True),
    "follow_up_summary": TableRules(
        dependent={
            **_averages("cases", "weeks", "calendar_weeks"),
            "share_beyond_target": ("cases", "beyond_target"),
        },
    ),
    "life_domains": TableRules(
        dependent={
            "intake_mean": ("cases",),
            "check_mean": ("cases",),
            "mean_change": ("cases",),
        },
    ),
    "courses": TableRules(
        dependent={
            "share_completed": ("courses", "completed"),
            "share_aborted": ("courses", "aborted"),
            "share_ongoing": ("courses", "ongoing"),
        },
    ),
    "course_length": TableRules(dependent=_averages("closed", "weeks", "months")),
    "hours_per_person": TableRules(
        dependent={"hours_per_person": ("people",), "hours": ("people",)},
    ),
    "group_attendance": TableRules(
        dependent={"attendances": ("people",), "sessions": ("people",)},
    ),
    "group_attendance_by_person": TableRules(internal=True),
    "plans_and_coordinators": TableRules(
        dependent={
            "share_with_plan": ("people", "with_plan"),
            "share_with_coordinator": ("people", "with_coordinator"),
        },
    ),
    # an instrument's table, per municipality or per year (keys instrument_<key>[_by_year])
    "instrument": TableRules(
        dependent={
            "share_effect": ("people_answering", "effect"),
            "share_completed": ("people_answering", "completed"),
            "share_drop_out": ("people_answering", "drop_out"),
        },
    ),
    # a member of staff's own figures, hidden with the people they followed when those are few
    "staff": TableRules(
        dependent=dict.fromkeys(
            ("fte", "available_hours", "staff_hours", "utilisation", "people_per_fte"), ("people",)
        ),
    ),
}
"""Which columns of a mixed table are computed from its counts (the rest are counts). What each
count counts, and so every relation between cells, is in ``_definitions.TABLES``."""


Key = tuple[str, str, str]
"""A cell of a release: (table, row, column); for a comparison the table ends in ``␟year``."""


def rules_for(key: str) -> TableRules | None:
    """The rules of a report key (a compared table's key ends in ``_compared``; an
    instrument's, ``instrument_ors`` or ``instrument_ors_by_year``, has the instruments')."""
    base = key.removesuffix("_compared")
    if base.startswith("instrument_"):
        return TABLE_RULES["instrument"]
    return TABLE_RULES.get(base)


def count_columns(report: Any, columns: Iterable[str]) -> list[str]:
    """The columns of ``report`` that disclosure control protects: counts, and magnitudes.

    In a mixed table every column is protected as a count unless its rules declare it
    computed from counts (``dependent``): a column added to a table is protected until
    someone says what it is computed from, instead of published until someone lists it."""
    rules = rules_for(report.key)
    if rules is not None and rules.dependent:
        return [c for c in columns if c not in rules.dependent]
    if report.unit in COUNTED or magnitude_of(report) is not None:
        return list(columns)
    return []


@attrs.define
class Model:
    """Count cells with their values (true, or as published) and the relations between them."""

    keys: list[Key] = attrs.field(factory=list)
    index: dict[Key, int] = attrs.field(factory=dict)
    values: list[float] = attrs.field(factory=list)
    hidden: list[bool] = attrs.field(factory=list)
    lines: list[tuple[int, tuple[int, ...]]] = attrs.field(factory=list)
    """whole = sum(parts)."""
    subsets: list[tuple[int, tuple[int, ...]]] = attrs.field(factory=list)
    """sum(parts) <= whole, and whole - sum(parts) is a count."""
    covers: list[tuple[int, tuple[int, ...]]] = attrs.field(factory=list)
    """whole <= sum(parts), where the figures do not show them equal: people split by
    municipality, a person with cases in two counted in both (``_definitions``). The rest,
    sum(parts) - whole, is the attacker's unknown (at least 0), not a published count."""
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
    knows: dict[str, frozenset[int]] = attrs.field(factory=dict)
    """Each member's own cells, by member (``_solver.own_cells``): known to that member even
    where hidden, so a release is protected against each member in turn (the coalition of
    one). Empty: only against a reader who knows what is published."""
    parts: dict[str, Any] = attrs.field(factory=dict)
    """Each member's own part of every cell (a float array over ``keys``, in the cells'
    units), by member: the cell's definition restricted to that member's cases and entries,
    which it knows from its closure reports. The cell less it is the *other members' part*,
    which the member's attack works on (``_solver.views``). Empty: no member attacks."""
    unlike: dict[str, Any] = attrs.field(factory=dict)
    """The relations each member's part does not obey with the others' part (a person
    counted under two members), by member, made with its part (``_solver.unlike``)."""
    sensitive: dict[str, Any] = attrs.field(factory=dict)
    """The cells whose other members' part is sensitive for each member (a bool array over
    ``keys``, by member; ``_disclosure._primary``): a member pinning a cell's others' part
    discloses something only there. A member not in it: every primary cell."""
    shared: frozenset[int] = frozenset()
    """Cells every member knows its own part of: the Total rows of the tables by member and
    the cells equal to them (pinned by a member, such a cell gives it the other members' sum,
    whose every cell is checked on its own), and hours by month: against a member, they are
    not at risk (``_solver.shared_cells``)."""

    def rests_from(self, n: int) -> int:
        """The attacker's unknown of the first cover's rest, cover ``k``'s being this plus
        ``k``: after the ``n`` cells and each subset's implied count (``n + k``)."""
        return n + len(self.subsets)

    def add(self, key: Key, value: float, hidden: bool, *, magnitude: bool = False) -> int:
        self.index[key] = len(self.keys)
        self.keys.append(key)
        self.values.append(value)
        self.hidden.append(hidden)
        self.magnitude.append(magnitude)
        return self.index[key]


def add_table(
    model: Model,
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
    numbers = numbers_of(frame, count_columns)
    for row, row_numbers in zip(rows, numbers, strict=True):
        for column, value in zip(count_columns, row_numbers, strict=True):
            is_hidden = (row, column) in hidden
            number = math.nan if is_hidden else round(value * scale)
            index = model.add(
                (table, row, column), number, is_hidden, magnitude=magnitude is not None
            )
            if magnitude is not None:
                cell = define_magnitude(magnitude, row, column, period)
            else:
                cell = define(base, row, column, period) if defined else None
            if cell is not None:
                model.cells.append((index, base, cell))
            else:
                defined = defined and column == TOTAL  # a column nobody defined: totals only
    if not defined:
        _structural_totals(model, table, rows, count_columns)
    elif TOTAL in count_columns:
        _structural_totals(model, table, [], count_columns, rows_of_total=rows)


def numbers_of(
    frame: pd.DataFrame, columns: Sequence[str], empty: float = 0.0
) -> list[list[float]]:
    """``number_of`` each cell of ``columns`` (``empty`` where missing), row by row: read off
    the frame's array at once where it is a frame of floats with unique labels (a report's),
    else cell by cell."""
    labels = labels_of(frame)
    if labels is not None:
        at = {column: i for i, column in enumerate(labels[1])}
        if all(c in at for c in columns):
            grid = frame.to_numpy(dtype="float64")[:, [at[c] for c in columns]]
            out: list[list[float]] = np.where(np.isnan(grid), empty, grid).tolist()
            return out
    return [[number_of(frame.loc[row, c], empty) for c in columns] for row in frame.index]


def labels_of(frame: pd.DataFrame) -> tuple[list[str], list[str]] | None:
    """The rows and columns of a frame of floats whose labels are unique strings (a report's
    frame), or None: such a frame is read and written on its array, by position."""
    rows, columns = list(frame.index), list(frame.columns)
    if not all(isinstance(label, str) for label in (*rows, *columns)):
        return None
    if len(set(rows)) < len(rows) or len(set(columns)) < len(columns):
        return None
    if not all(dtype == np.dtype("float64") for dtype in frame.dtypes):
        return None
    return rows, columns


def _structural_totals(
    model: Model,
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


def add_derived(model: Model) -> None:
    """Add the relations that follow from the cells' definitions (``_definitions.derive``)."""
    relations = derive(model.cells)
    model.lines.extend(relations.sums)
    model.subsets.extend(relations.at_most)
    for whole, parts in relations.covers:
        _add_cover(model, whole, parts)
    model.relied_on = tuple(sorted(relations.used))


def _add_cover(model: Model, whole: int, parts: tuple[int, ...]) -> None:
    """A cover (``Model.covers``), or a sum where the cells' known values show no person
    counted twice: the attacker who takes them to be equal is then right, and protected
    against. Where a cell is hidden (an audit of a published release) that is not known."""
    cells = (whole, *parts)
    values = [model.values[i] for i in cells]
    known = not any(math.isnan(model.values[i]) or model.hidden[i] for i in cells)
    if known and values[0] == sum(values[1:]):
        model.lines.append((whole, parts))
    else:
        model.covers.append((whole, parts))


def read_part(model: Model, report: Any, into: Any, frame: pd.DataFrame | None = None) -> None:
    """Add one internal table of a member's own cases and entries to its part of the cells
    (``into``, over ``model.keys``, in the cells' units), by cell key; ``frame``: the table's
    keyed frame, if not the report's own (members pooled)."""
    if frame is not None:
        rows, columns = list(map(str, frame.index)), list(map(str, frame.columns))
        numbers = frame.apply(pd.to_numeric, errors="coerce").to_numpy(dtype="float64")
    elif report.suppressed:
        read_part(model, report, into, report.to_frame(labels=False))
        return
    else:  # a report's own numbers, read without building its frame
        rows, columns, numbers = report._grid()
    shape = magnitude_of(report)
    scale = 1 if shape is None else shape.scale
    index, key = model.index, report.key
    for row, row_numbers in zip(rows, numbers.tolist(), strict=True):
        for column, number in zip(columns, row_numbers, strict=True):
            at = index.get((key, row, column))
            if at is not None and not math.isnan(number):
                into[at] = round(number * scale)


def is_present(frame: pd.DataFrame, row: str, column: str) -> bool:
    return not pd.isna(number_of(frame.loc[row, column], math.nan))


def number_of(value: object, empty: float = 0.0) -> float:
    if isinstance(value, int | float) and not pd.isna(value):
        return float(value)
    return empty


def check_threshold(threshold: int) -> None:
    """Raise unless ``threshold`` is at least 1."""
    check_field(threshold >= 1, AT_LEAST, field="threshold", value=threshold, bound=1)


def threshold_for(team: Team | None, threshold: int | None) -> int:
    """``threshold``, by default the team's ``disclosure_threshold`` (3 without a team),
    checked to be at least 1."""
    if threshold is None:
        threshold = 3 if team is None else team.disclosure_threshold
    check_threshold(threshold)
    return threshold
