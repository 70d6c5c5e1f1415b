"""The general pivot over a time log: what Excel's pivot tables gave the teams, and more."""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
import pandas as pd

from ettervern._core import Bucket, PeriodLike, ReportGroup, Team, check_one_of, period_of
from ettervern._l10n import N_, Message, norwegian_sort_key
from ettervern._reports._report import DIMENSIONS, Empty, Report
from ettervern.errors import InvalidValueError

if TYPE_CHECKING:
    from ettervern._timelog import TimeLog

__all__ = ["AGGREGATES", "Aggregate", "order_keys", "pivot", "pivot_frame"]

Aggregate = Literal["sum", "count", "staff_hours"]
AGGREGATES: dict[str, tuple[str, str]] = {
    "sum": ("hours", N_("Sum of hours")),
    "count": ("entries", N_("Number of entries")),
    "staff_hours": ("staff hours", N_("Staff hours (hours × staff)")),
}
"""Each aggregate with its unit and its description (English message ids)."""

PIVOT_DIMENSIONS = ("municipality", "category", "group", "case", "month", "quarter")
"""The dimensions [`pivot()`][ettervern.pivot] can put on rows or columns."""

NO_CASE = ""
"""The row or column key of entries without a case."""


def _base_column(frame: pd.DataFrame, dimension: str) -> pd.Series[Any] | np.ndarray[Any, Any]:
    """The column to group by for ``dimension``, derived from the log's columns when needed."""
    if dimension == "group":
        return frame["category"]
    if dimension in ("month", "quarter"):
        return frame["date"].to_numpy().astype("datetime64[M]")
    return frame[dimension]


def _key(dimension: str, value: Any) -> str:
    """The report key of one grouped value."""
    if dimension in ("month", "quarter"):
        month = pd.Timestamp(value)
        if dimension == "month":
            return f"{month.year:04d}-{month.month:02d}"
        return f"{month.year:04d}-Q{(month.month - 1) // 3 + 1}"
    if value is None or (isinstance(value, float) and np.isnan(value)):
        return NO_CASE
    return str(value)


def order_keys(dimension: str, keys: Iterable[str], team: Team) -> list[str]:
    unique = list(dict.fromkeys(keys))
    if dimension == "municipality":
        return sorted(unique, key=norwegian_sort_key)
    if dimension == "category":
        position = {c.key: i for i, c in enumerate(team.categories)}
        return sorted(unique, key=lambda k: (position.get(k, len(position)), k))
    if dimension == "group":
        position = {g.value: i for i, g in enumerate(ReportGroup)}
        return sorted(unique, key=lambda k: position.get(k, len(position)))
    if dimension == "case":

        def case_key(text: str) -> tuple[int, Any]:
            if text == NO_CASE:
                return (1, ())
            try:
                code = team.code_scheme.parse(text)
            except ValueError:
                return (0, (9999, norwegian_sort_key(text), 0))
            return (0, (code.year, norwegian_sort_key(code.municipality), code.number))

        return sorted(unique, key=case_key)
    return sorted(unique)


def _mask(
    frame: pd.DataFrame,
    team: Team,
    *,
    period: tuple[dt.date, dt.date] | None,
    categories: Iterable[str | int] | None,
    group: ReportGroup | str | None,
    municipalities: Iterable[str] | None,
) -> tuple[pd.Series[bool] | None, dict[str, Any]]:
    """A row mask for the filters (None when nothing is filtered) and their description."""
    mask: pd.Series[bool] | None = None
    filters: dict[str, Any] = {}

    def both(condition: pd.Series[bool]) -> None:
        nonlocal mask
        mask = condition if mask is None else mask & condition

    if period is not None:
        start, end = period
        if end < start:
            msg = Message("period ends ({end}) before it starts ({start})", end=end, start=start)
            raise InvalidValueError(msg, field="period", value=period)
        dates = frame["date"]
        both((dates >= pd.Timestamp(start)) & (dates <= pd.Timestamp(end)))
        filters["period"] = (start, end)
    if categories is not None:
        keys = [team.categories.get(c).key for c in categories]
        both(frame["category"].isin(keys))
        filters["categories"] = tuple(keys)
    if group is not None:
        wanted = ReportGroup(group)
        both(frame["category"].isin([c.key for c in team.categories.in_group(wanted)]))
        filters["group"] = wanted.value
    if municipalities is not None:
        names = [_municipality_key(team, m) for m in municipalities]
        both(frame["municipality"].isin(names))
        filters["municipalities"] = tuple(names)
    return mask, filters


def _municipality_key(team: Team, query: str) -> str:
    bucket = Bucket.parse(query)
    return bucket.value if bucket is not None else team.municipality(query).name


def pivot_frame(
    frame: pd.DataFrame, team: Team, rows: str, columns: str, agg: Aggregate
) -> pd.DataFrame:
    """Aggregate a time-log frame into tidy ``row``, ``column``, ``value`` data.

    This is the engine behind [`pivot()`][ettervern.pivot]; it groups once on the log's own
    (categorical) columns and maps the few resulting keys afterwards, so derived dimensions such as
    report groups cost nothing per entry. ``frame`` may also be pre-aggregated: an ``entries``
    column then counts for ``"count"`` and a ``staff_hours`` column for ``"staff_hours"``.
    """
    check_one_of("rows", rows, PIVOT_DIMENSIONS)
    check_one_of("columns", columns, PIVOT_DIMENSIONS)
    check_one_of("agg", agg, tuple(AGGREGATES))
    dims = [rows] if rows == columns else [rows, columns]
    keys = [_base_column(frame, d) for d in dims]
    grouped: pd.Series[float]
    if agg == "count" and "entries" not in frame:
        grouped = frame.groupby(keys, observed=True, sort=False, dropna=False).size().astype(float)
    else:
        grouped = _measure(frame, agg).groupby(keys, observed=True, sort=False, dropna=False).sum()
    grouped = grouped[grouped != 0]
    index = grouped.index
    levels = [index] if index.nlevels == 1 else [index.get_level_values(i) for i in range(2)]
    tidy = pd.DataFrame(
        {
            "row": [_key(rows, v) for v in levels[0]],
            "column": [_key(columns, v) for v in levels[-1]],
            "value": grouped.to_numpy(dtype="float64"),
        }
    )
    if "group" in dims:
        tidy = _explode_groups(
            tidy, team, ["row"] * (rows == "group") + ["column"] * (columns == "group")
        )
    if not _SHARED_KEYS & set(dims):  # each grouped pair is a pair of keys of its own
        return tidy
    summed: pd.DataFrame = tidy.groupby(["row", "column"], sort=False, as_index=False).agg(
        value=("value", "sum")
    )
    return summed


_SHARED_KEYS = {"group", "quarter"}
"""The dimensions whose key several grouped values share (a category's report groups, a
quarter's months), so that the pairs of keys are summed again; the others' keys are one to one
with the values grouped (a municipality or category is its own text, a month its ``YYYY-MM``,
every missing case the one ``NO_CASE``), and ``pivot_frame`` spares that second grouping, 3 ms
a table (16 for an annual report)."""


def _measure(frame: pd.DataFrame, agg: str) -> pd.Series[float]:
    """The per-row quantity that ``agg`` adds up."""
    if agg == "count":
        return frame["entries"]
    if agg == "staff_hours":
        if "staff_hours" in frame:
            return frame["staff_hours"]
        return frame["hours"] * frame["staff"]
    return frame["hours"]


def _explode_groups(tidy: pd.DataFrame, team: Team, sides: list[str]) -> pd.DataFrame:
    """Replace category keys by the report groups they count in (one row per group)."""
    groups = {c.key: sorted(g.value for g in c.groups) for c in team.categories}
    for side in sides:
        tidy = tidy.assign(**{side: tidy[side].map(lambda k: groups.get(k, []))}).explode(side)
        tidy = tidy.dropna(subset=[side])
    return tidy


def pivot(
    log: TimeLog,
    rows: str = "municipality",
    columns: str = "category",
    agg: Aggregate = "sum",
    *,
    period: PeriodLike | None = None,
    categories: Iterable[str | int] | None = None,
    group: ReportGroup | str | None = None,
    municipalities: Iterable[str] | None = None,
    show: Literal["present", "members"] = "present",
    empty: Empty = "blank",
    column_order: Sequence[str] | None = None,
    title: str | None = None,
    key: str = "pivot",
) -> Report:
    """A pivot table of a time log, like Excel's, as a [`Report`][ettervern.Report].

    Args:
        log: the time log.
        rows: the dimension on the rows: ``"municipality"``, ``"category"``, ``"group"``
            (report group), ``"case"``, ``"month"`` or ``"quarter"``.
        columns: the dimension on the columns, one of the same.
        agg: ``"sum"`` of hours, ``"count"`` of entries (Excel's *Antall av Tidsbruk*), or
            ``"staff_hours"``, hours times the staff present.
        period: keep entries dated in the period: a year (``2020``), a month (``"2020-03"``),
            a ``(start, end)`` pair of dates (both included) or a ``pandas.Period``.
        categories: keep only entries in these categories (by key, number or name).
        group: keep only entries in the categories of this report group.
        municipalities: keep only entries logged to these municipalities (by name or number).
        title: the report's title; by default one is made from the dimensions and filters.
        key: the report's key, a stable name for it in an annual report or a file.
        show: ``"present"`` lists the rows that have entries, like Excel; ``"members"`` also
            lists every member municipality of the period (rows keyed by municipality only).
        empty: empty cells show as ``"blank"`` (missing) or ``"zero"``.
        column_order: the column keys in the order to show them.

    Rows come in Norwegian alphabetical order (… Steigen, Sørfold), categories in catalog
    order, months and quarters in time order, with a ``Totalsum`` row and column.
    """
    check_one_of("show", show, ("present", "members"))
    check_one_of("empty", empty, ("blank", "zero"))
    span = None if period is None else period_of(period)
    frame, filters = _selected(
        log, span, categories=categories, group=group, municipalities=municipalities
    )
    asked = _Asked(rows, columns, agg, show, empty, column_order, title, key)
    return _pivot_report(log.team, frame, span, filters, asked)


@attrs.frozen
class _Asked:
    """How a pivot table was asked to look (see ``pivot``)."""

    rows: str
    columns: str
    agg: Aggregate
    show: Literal["present", "members"]
    empty: Empty
    column_order: Sequence[str] | None
    title: str | None
    key: str


def _selected(
    log: TimeLog,
    period: tuple[dt.date, dt.date] | None,
    *,
    categories: Iterable[str | int] | None,
    group: ReportGroup | str | None,
    municipalities: Iterable[str] | None,
) -> tuple[pd.DataFrame, dict[str, Any]]:
    """The log's entries the filters keep, and the filters' description."""
    frame = log.to_frame(copy=False)
    mask, filters = _mask(
        frame,
        log.team,
        period=period,
        categories=categories,
        group=group,
        municipalities=municipalities,
    )
    return (frame if mask is None else frame[mask]), filters


def _pivot_report(
    team: Team,
    frame: pd.DataFrame,
    period: tuple[dt.date, dt.date] | None,
    filters: dict[str, Any],
    asked: _Asked,
) -> Report:
    """The pivot table of the selected entries, as asked."""
    rows, columns, agg = asked.rows, asked.columns, asked.agg
    tidy = pivot_frame(frame, team, rows, columns, agg)
    row_keys = order_keys(rows, tidy["row"], team)
    if asked.show == "members" and rows == "municipality":
        start, end = period or _span(frame)
        members = [
            m.municipality.name
            for m in team.members
            if (m.since is None or m.since <= end) and (m.until is None or m.until >= start)
        ]
        row_keys = order_keys("municipality", [*row_keys, *members], team)
    columns_shown = (
        list(asked.column_order)
        if asked.column_order is not None
        else order_keys(columns, tidy["column"], team)
    )
    unit, description = AGGREGATES[agg]
    return Report(
        key=asked.key,
        title=asked.title or N_("{measure} by {rows} and {columns}"),
        data=tidy,
        rows=rows,
        columns=columns,
        unit=unit,
        aggregate=agg,
        period=period or (_span(frame) if len(frame) else None),
        filters=filters,
        row_order=row_keys,
        column_order=columns_shown,
        empty=asked.empty,
        # Categories count in several report groups, so adding groups up would double count.
        total_row=rows != "group",
        total_column=columns != "group",
        notes=(description,),
        team=team,
        title_fields={
            "measure": description,
            "rows": DIMENSIONS[rows],
            "columns": DIMENSIONS[columns],
        },
    )


def _span(frame: pd.DataFrame) -> tuple[dt.date, dt.date]:
    dates = frame["date"]
    return (dates.min().date(), dates.max().date())
