"""The [`Report`][ettervern.Report]: one table of figures, as tidy data plus what a reader needs to
trust it.

A report keeps its figures tidy — one row per (row key, column key) with a value — and renders
them wide and labelled on demand, in the language asked for. Keys are stable and
language-neutral (a municipality's name, a category's key, ``"2020-03"`` for a month); labels come
from the message catalogs at render time.
"""

from __future__ import annotations

import datetime as dt
import math
import re
import textwrap
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, ClassVar, Literal, cast

import attrs
import numpy as np
import pandas as pd

from ettervern._core import AT_LEAST, Team, Texts, check_field, register
from ettervern._l10n import (
    N_,
    Message,
    format_number,
    format_period,
    format_share,
    month_name,
    normalise_locale,
    translate,
)
from ettervern._render import html_block, html_table
from ettervern._reports._tidy import (
    exact_sum,
    set_cells,
    sum_grid,
    sum_or_missing,
    tidy_from_grid,
    tidy_from_wide,
)
from ettervern.errors import InvalidValueError

__all__ = ["DIMENSIONS", "Report", "dimension_label", "label", "measure_report", "tidy_from_wide"]

Empty = Literal["blank", "zero"]
MARKER = ":"
"""Shown instead of a hidden (suppressed) value, as Statistics Norway does."""

DIMENSIONS: dict[str, str] = {
    "municipality": N_("Municipality"),
    "category": N_("Category"),
    "group": N_("Report group"),
    "case": N_("Case"),
    "month": N_("Month"),
    "quarter": N_("Quarter"),
    "measure": N_("Measure"),
    "source": N_("Referral source"),
    "reason": N_("Closure reason"),
    "domain": N_("Life domain"),
    "age": N_("Age"),
    "year": N_("Year"),
    "service": N_("Service"),
    "staff": N_("Staff"),
    "item": N_("Item"),
}
"""The dimensions a report's rows and columns can be keyed by, with their header msgids."""

UNITS: dict[str, str] = {
    "hours": N_("hours"),
    "entries": N_("entries"),
    "staff hours": N_("staff hours"),
    "cases": N_("cases"),
    "people": N_("people"),
    "weeks": N_("weeks"),
    "share": N_("share"),
    "amount": N_("amount"),
    "mixed": N_("see column headers"),
}


def dimension_label(dimension: str, locale: str | None = None) -> str:
    """The header of a dimension in ``locale``: ``Kommune`` for ``"municipality"``."""
    base = dimension.removesuffix("+year")
    return translate(DIMENSIONS.get(base, base), locale)


def label(  # noqa: PLR0911 - one early return per kind of dimension reads best
    dimension: str, key: object, locale: str | None = None, team: Team | None = None
) -> str:
    """The label of one row or column ``key`` of a ``dimension``, in ``locale``.

    Municipality names and case codes are shown as they are; bucket names, categories, report
    groups and measures are translated; months and quarters are written out.
    """
    text = str(key)
    if text == "Total":
        return translate("Total", locale)
    if dimension.endswith("+year"):
        inner, _, suffix = text.partition("\x1f")
        shown = translate("change", locale) if suffix == "change" else suffix
        return f"{label(dimension[: -len('+year')], inner, locale, team)} {shown}"
    if dimension == "municipality":
        return translate(text, locale, context="bucket")
    if dimension == "case" and not text:
        return translate("(no case)", locale)
    if dimension == "category":
        return _category_label(text, locale, team)
    if dimension == "age":
        return translate("unknown", locale) if text == "unknown" else text
    if dimension in ("group", "measure", "source", "reason", "domain", "service", "item", "staff"):
        return translate(text, locale, context=dimension)
    return _time_label(dimension, text, locale)


def _category_label(text: str, locale: str | None, team: Team | None) -> str:
    """A category by its label in the team's catalog, or its key translated."""
    found = team.categories.find(text) if team is not None else None
    if found is not None:
        return found.label().render(locale)
    return translate(text, locale, context="category")


def _time_label(dimension: str, text: str, locale: str | None) -> str:
    """A month (``2020-03``) or a quarter (``2020-Q1``) written out; any other key as it is."""
    if dimension == "month" and len(text) == 7:
        year, month = text.split("-")
        return f"{month_name(int(month), locale)} {year}"
    if dimension == "quarter" and "-Q" in text:
        year, quarter = text.split("-Q")
        return translate("Q{quarter} {year}", locale).format(quarter=quarter, year=year)
    return text


def _strings(values: Iterable[str]) -> tuple[str, ...]:
    return tuple(values)


def _cells(values: Iterable[tuple[str, str]]) -> frozenset[tuple[str, str]]:
    return frozenset(values)


@attrs.frozen(eq=False)
class Report:
    """One table of figures with its metadata.

    ``data`` is tidy: the columns ``row``, ``column`` and ``value``. ``to_frame()`` gives the
    wide, labelled table with a ``Totalsum`` row and column where they mean something;
    ``to_tidy()`` gives the tidy data with labels added.
    """

    key: str
    """A stable name, such as ``"driving"``."""
    title: str
    """The title as an English message id; [`title_in()`][ettervern.Report.title_in] translates
    it."""
    data: pd.DataFrame = attrs.field(repr=False)
    rows: str
    """The dimension of the rows (``"municipality"``, ``"month"`` …)."""
    columns: str
    """The dimension of the columns (``"category"``, or ``"measure"`` for mixed tables)."""
    unit: str
    """What the values count: ``"hours"``, ``"entries"``, ``"cases"`` …"""
    aggregate: str | None = None
    """How the values were made: ``"sum"``, ``"count"``, ``"staff_hours"``, or None."""
    period: tuple[dt.date, dt.date] | None = None
    filters: Mapping[str, Any] = attrs.field(factory=dict)
    row_order: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    column_order: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    total_row: bool = True
    """Whether a ``Totalsum`` row adds each column up."""
    total_column: bool = True
    """Whether a ``Totalsum`` column adds each row up."""
    empty: Empty = "blank"
    """How empty cells show: ``"blank"`` (missing, like Excel) or ``"zero"``."""
    share_columns: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    """Columns holding shares (0-1), formatted as percentages."""
    total_values: Mapping[str, float] = attrs.field(factory=dict)
    """Cells of the ``Totalsum`` row that are not the column's sum (a share, a median)."""
    suppression: str | None = None
    """The disclosure-control rule applied, if any, in words (English)."""
    suppressed: frozenset[tuple[str, str]] = attrs.field(default=frozenset(), converter=_cells)
    """The (row, column) keys of the cells hidden by
    [`publishable()`][ettervern.Report.publishable]."""
    notes: tuple[str, ...] = attrs.field(default=(), converter=_strings)
    """Remarks that belong with the table (English message ids)."""
    note_values: Mapping[str, float] = attrs.field(factory=dict, repr=False)
    """Numbers filled into ``{placeholders}`` of the notes, formatted for the locale."""
    team: Team | None = attrs.field(default=None, repr=False)
    threshold: int | None = None
    """The smallest count shown, when the report was made
    [`publishable()`][ettervern.Report.publishable]."""
    title_fields: Mapping[str, str] = attrs.field(factory=dict, repr=False)
    """Message ids filled into ``{placeholders}`` of the title, translated with it."""
    title_texts: Texts | None = attrs.field(default=None, repr=False)
    """The title in each language, from the team's report layout; used instead of ``title``."""
    note_texts: tuple[Texts, ...] = attrs.field(default=(), repr=False)
    """Notes in each language, from the team's report layout, after ``notes``."""

    # -- reading ---------------------------------------------------------------------------

    def title_in(self, locale: str | None = None) -> str:
        """The title in ``locale``, with the period's year(s) added."""
        fields = {k: translate(v, locale).lower() for k, v in self.title_fields.items()}
        if self.title_texts is not None:
            title = self.title_texts.render(locale)
        else:
            title = translate(self.title, locale).format(**fields)
        if fields:
            title = title[:1].upper() + title[1:]
        if self.period is not None:
            start, end = self.period
            years = str(start.year) if start.year == end.year else f"{start.year}-{end.year}"
            whole = (start.month, start.day, end.month, end.day) == (1, 1, 12, 31)
            title = f"{title} {years if whole else format_period(start, end, locale)}"
        return title

    def notes_in(self, locale: str | None = None) -> list[str]:
        """The notes in ``locale``, with their numbers filled in."""
        values = {k: format_number(v, locale) for k, v in self.note_values.items()}
        notes = [translate(note, locale).format(**values) for note in self.notes]
        return notes + [texts.render(locale) for texts in self.note_texts]

    def suppression_in(self, locale: str | None = None) -> str | None:
        """The disclosure-control rule applied, in ``locale`` with its threshold, or None."""
        if not self.suppression:
            return None
        return translate(self.suppression, locale).format(threshold=self.threshold)

    def value(self, row: str, column: str) -> float:
        """One cell's value (0 when the cell is empty, ``math.nan`` when it is hidden: see
        [`hidden_mask()`][ettervern.Report.hidden_mask]); ``"Total"`` addresses the totals, as
        the table shows them: a column whose total is not its sum (a share, a median; see
        ``total_values``) gives that value."""
        if (row, column) in self.suppressed:
            return math.nan  # not 0: a hidden count is unknown, not none
        if row == "Total" and column in self.total_values:
            return float(self.total_values[column])
        data = self.data
        # A published table keeps its totals as rows and columns of their own.
        if row != "Total" or (data["row"] == "Total").any():
            data = data[data["row"] == row]
        if column != "Total" or (data["column"] == "Total").any():
            data = data[data["column"] == column]
        return exact_sum(data["value"])

    @property
    def total(self) -> float:
        """The grand total, where the table has one: its Total row and column's cell (the sum
        of every cell of a table with both), or the Total of its only column or row;
        ``math.nan`` when a published table hides it (the visible cells do not add up to it).

        Raises:
            InvalidValueError: the table has no grand total: its columns are different
                measures (cases, shares, means …), or categories counted in several report
                groups; read a column's total with ``value("Total", column)``.
        """
        self._check_grand_total()
        data = self.data
        if ("Total", "Total") in self.suppressed:
            return math.nan
        if ("Total", "Total") in set(zip(data["row"], data["column"], strict=True)):
            return self.value("Total", "Total")
        inner = data[(data["row"] != "Total") & (data["column"] != "Total")]
        if not any("Total" not in cell for cell in self.suppressed):
            return exact_sum(inner["value"])
        line = data[(data["row"] == "Total") | (data["column"] == "Total")]
        if len(line) and not any(cell in self.suppressed for cell in _cells_of(line)):
            return exact_sum(line["value"])  # the printed total of the only row or column
        return math.nan

    def _check_grand_total(self) -> None:
        """Raise unless the table has a grand total (see ``total``)."""
        cells = [*_cells_of(self.data), *sorted(self.suppressed)]
        columns = [c for c in dict.fromkeys(c for _, c in cells) if c != "Total"]
        rows = {r for r, _ in cells if r != "Total"}
        by_column = self.total_column or any(c == "Total" for _, c in cells) or len(columns) <= 1
        by_row = self.total_row or any(r == "Total" for r, _ in cells) or len(rows) <= 1
        computed = [c for c in columns if c in self.share_columns or c in self.total_values]
        mixed = self.unit == "mixed" or (self.columns == "measure" and len(columns) > 1)
        if mixed or computed or not (by_column and by_row):
            message = Message(
                "{field} has no grand total: its columns ({columns}) are not one measure that "
                "adds up; read a column's total with `value('Total', column)`",
                field=self.key,
                columns=", ".join(str(c) for c in columns),
            )
            raise InvalidValueError(message, field="total", value=self.key)

    COUNT_UNITS: ClassVar[frozenset[str]] = frozenset({"cases", "people"})
    """Units whose counts are protected. Hours and log entries record the team's work and are
    published as they are (docs/privacy.md explains why)."""

    def publishable(self, threshold: int = 3, *, round_hours: float | None = None) -> Report:
        """A copy safe to publish on its own: small counts hidden so that no cell can be recovered.

        Counts of cases or people from 1 to ``threshold - 1`` are replaced by the marker ``:``,
        and further cells are hidden until no hidden cell can be pinned down or proved small from
        the totals (see [`audit()`][ettervern.tables.audit_release]). Medians and means of hidden groups are hidden
        with them. Hours are not hidden; ``round_hours`` rounds them to a step (``1`` for whole
        hours). The hidden values are not kept in the copy, and the rule applied is in its
        ``suppression`` metadata. To publish several tables together, use
        [`annual_report()`][ettervern.annual_report], which protects them as one release.

        Raises:
            InvalidValueError: ``threshold`` is below 1, or the table lists case codes and is
                internal only.
        """
        from ettervern._reports._disclosure import RULE, check_threshold, publish, rules_for

        check_threshold(threshold)
        if self.suppression == RULE and self.threshold is not None:
            if threshold <= self.threshold:
                return self  # published already, as strictly or more
            msg = Message(
                "{field} was published with threshold {bound}; protect it again from the "
                "internal table",
                field=self.key,
                bound=self.threshold,
            )
            raise InvalidValueError(msg, field="threshold", value=threshold)
        rules = rules_for(self.key)
        if rules is not None and rules.internal:
            msg = Message("{field} lists case codes and is for internal use only", field=self.key)
            raise InvalidValueError(msg, field="report", value=self.key)
        if self.unit in self.COUNT_UNITS or (rules is not None and rules.dependent):
            (published,) = publish([self], threshold)
            return cast(Report, published)
        wide = self._wide()
        rule = None
        if round_hours is not None and self.unit in ("hours", "staff hours"):
            wide = (wide / round_hours).round() * round_hours
            rule = N_("Hours are rounded.")
        return attrs.evolve(
            self,
            data=tidy_from_wide(wide),
            row_order=tuple(str(r) for r in wide.index),
            column_order=tuple(str(c) for c in wide.columns),
            total_row=False,
            total_column=False,
            total_values={},
            suppression=rule,
            threshold=threshold,
        )

    def hidden_mask(self, locale: str | None = None, *, labels: bool = True) -> pd.DataFrame:
        """Which cells of [`to_frame()`][ettervern.Report.to_frame] are hidden: a frame of booleans of the same shape."""
        keyed = self._wide()
        mask = pd.DataFrame(False, index=keyed.index, columns=keyed.columns)
        mask = set_cells(mask, self.suppressed, True)
        if not labels:
            return mask
        labelled = self.to_frame(locale)
        return mask.set_axis(labelled.index, axis=0).set_axis(labelled.columns, axis=1)

    def to_tidy(self, locale: str | None = None) -> pd.DataFrame:
        """The tidy data with labels: ``row``, ``column``, ``value``, ``row_label``, ``column_label``.

        Rows keyed by municipality get a ``kommunenummer`` beside the name (empty for *Felles*
        and *Andre kommuner*); rows keyed by month get a ``month`` of dtype ``period[M]``.
        """
        tidy = self.data.copy()
        tidy["row_label"] = [self._label(self.rows, r, locale) for r in tidy["row"]]
        tidy["column_label"] = [self._label(self.columns, c, locale) for c in tidy["column"]]
        if self.rows == "municipality":
            tidy["kommunenummer"] = pd.Series(
                [kommunenummer(r, self.team) for r in tidy["row"]], index=tidy.index, dtype="string"
            )
        if self.rows == "month":
            tidy["month"] = pd.PeriodIndex(
                [r if _MONTH.match(r) else None for r in tidy["row"]], freq="M"
            )
        return tidy.reset_index(drop=True)

    def to_frame(self, locale: str | None = None, *, labels: bool = True) -> pd.DataFrame:
        """The wide table: one row per row key in order, one column per column key, totals.

        With ``labels`` (the default) rows and columns are labelled in ``locale`` (municipality
        names, category names, ``Totalsum``); without, they keep their keys and the totals are
        keyed ``"Total"``.
        """
        wide = self._wide()
        if self.suppressed:
            wide = set_cells(wide.astype(object), self.suppressed, MARKER)
        if not labels:
            return wide
        wide = wide.rename(
            index=lambda r: self._label(self.rows, r, locale),
            columns=lambda c: self._label(self.columns, c, locale),
        )
        wide.index.name = dimension_label(self.rows, locale)
        wide.columns.name = dimension_label(self.columns, locale)
        return wide

    def _label(self, dimension: str, key: object, locale: str | None) -> str:
        return label(dimension, key, locale, self.team)

    def _wide(self) -> pd.DataFrame:
        """Numbers only: hidden cells are missing here; [`to_frame()`][ettervern.Report.to_frame]
        shows the marker."""
        rows, columns, grid = self._grid()
        return pd.DataFrame(
            grid,
            index=pd.Index(rows, name=self.rows),
            columns=pd.Index(columns, name=self.columns),
        )

    def _grid(self) -> tuple[list[str], list[str], np.ndarray[Any, Any]]:
        """The rows, the columns and the float grid of ``_wide`` (hidden cells missing),
        without a frame: disclosure control reads many tables cell by cell."""
        rows = list(self.row_order) or _unique(self.data["row"])
        columns = list(self.column_order) or _unique(self.data["column"])
        grid = sum_grid(self.data, rows, columns)
        rows, columns = self._keys(rows, columns)
        if self.total_column:
            grid = np.column_stack([grid, sum_or_missing(grid, axis=1)])
        if self.total_row:
            totals = sum_or_missing(grid, axis=0)
            for column, value in self.total_values.items():
                totals[[i for i, c in enumerate(columns) if c == column]] = value
            grid = np.vstack([grid, totals])
        if self.empty == "zero":
            grid = np.where(np.isnan(grid), 0.0, grid)
        return rows, columns, grid

    def _keys(
        self, rows: list[str] | None = None, columns: list[str] | None = None
    ) -> tuple[list[str], list[str]]:
        """The rows and the columns of ``_wide``, totals included (``rows`` and ``columns``:
        those of the data, if found already)."""
        if rows is None:
            rows = list(self.row_order) or _unique(self.data["row"])
        if columns is None:
            columns = list(self.column_order) or _unique(self.data["column"])
        rows = [*rows, "Total"] if self.total_row else rows
        columns = [*columns, "Total"] if self.total_column else columns
        return rows, columns

    # -- display ----------------------------------------------------------------------------

    def format_cell(self, column: str, value: object, locale: str | None = None) -> str:
        """One value as text in ``locale``: blank when missing, a percentage for shares."""
        if isinstance(value, str):
            return value
        if not isinstance(value, int | float) or pd.isna(value):
            return ""
        if column in self.share_columns:
            return format_share(value, locale)
        step = None if self.team is None else self.team.time_resolution
        return format_number(value, locale, step=step)

    def _formatted(
        self, locale: str | None
    ) -> tuple[str, list[str], list[tuple[bool, str, list[str]]]]:
        """The corner label, the column labels, and each row as (is total, label, cell texts)."""
        # One frame, labelled here: building the table again with labels doubled the cost of
        # printing a report (each to_frame pivots the tidy data).
        keyed = self.to_frame(labels=False)
        columns = [str(c) for c in keyed.columns]
        rows = [
            (
                str(key) == "Total",
                str(self._label(self.rows, key, locale)),
                [self.format_cell(c, v, locale) for c, v in zip(columns, values, strict=True)],
            )
            for key, values in zip(keyed.index, keyed.itertuples(index=False), strict=True)
        ]
        labels = [str(self._label(self.columns, c, locale)) for c in keyed.columns]
        return str(dimension_label(self.rows, locale) or ""), labels, rows

    def to_text(self, locale: str | None = None, *, width: int | None = None) -> str:
        """The table as plain text for a terminal, numbers formatted for ``locale``.

        With ``width`` (the command line uses 100), a table wider than that is split into
        blocks of columns, each repeating the row labels, and notes are wrapped to fit.
        """
        if width is not None:
            check_field(width >= 1, AT_LEAST, field="width", value=width, bound=1)
        corner, columns, rows = self._formatted(locale)
        table = [[corner, *columns], *([label, *cells] for _, label, cells in rows)]
        widths = [max(len(line[i]) for line in table) for i in range(len(table[0]))]
        unit = translate(UNITS.get(self.unit, self.unit), locale)
        lines = [f"{self.title_in(locale)} ({unit})"]
        for number, block in enumerate(_column_blocks(widths, width)):
            picked = [0, *block]
            if number:
                lines.append("")
            lines += _text_block([[line[i] for i in picked] for line in table], picked, widths)
        notes = [f"* {note}" for note in self.notes_in(locale)]
        rule = self.rule_in(locale)
        if rule:
            notes.append(f"{MARKER} {rule}")
        for note in notes:
            lines += textwrap.wrap(note, width, subsequent_indent="  ") if width else [note]
        return "\n".join(lines)

    def rule_in(self, locale: str | None = None) -> str | None:
        """The disclosure-control rule applied, in ``locale``; None when nothing was hidden.

        The same as [`suppression_in()`][ettervern.Report.suppression_in].
        """
        return self.suppression_in(locale)

    def to_html(self, locale: str | None = None, *, standalone: bool = True) -> str:
        """An accessible, styled HTML table for notebooks and web pages.

        A caption with the title and the unit, header cells with ``scope``, numbers aligned
        right, the total row set apart, hidden cells explained, and the notes and the disclosure
        rule below the table. Colours follow the page, so it reads in light and dark themes.
        ``standalone=False`` leaves out the style sheet, for pages that hold several tables.
        """
        # Written by hand, not with pandas' Styler (evaluated with pandas 3.1): Styler gives a
        # caption, but no ``scope`` on any header cell and no way to add one short of a Jinja
        # template of our own; it puts the row dimension's name in a second header row of empty
        # cells; it marks rows only through <td> classes, not the row header; it adds a <style>
        # block and random ids (output differs on every call); and it needs jinja2, which is
        # not a dependency. The cells are formatted by babel either way.
        code = normalise_locale(locale)
        corner, columns, rows = self._formatted(code)
        rule = self.rule_in(code)
        table = html_table(
            caption=self.title_in(code),
            unit=translate(UNITS.get(self.unit, self.unit), code),
            corner=corner,
            columns=columns,
            rows=rows,
            notes=[*self.notes_in(code), *([f"{MARKER} {rule}"] if rule else [])],
            locale=code,
            hidden=MARKER,
        )
        return html_block(table, locale=code) if standalone else table

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_dict(self, locale: str | None = None) -> dict[str, Any]:
        """The table as JSON-safe data for a web front-end: metadata, labels and numbers.

        Rows carry their stable ``key``, their ``label`` in ``locale`` and their ``values`` in
        column order (``None`` for an empty cell, the marker ``":"`` for a hidden one); the last
        row is the ``Totalsum`` row when there is one.
        """
        keyed = self.to_frame(labels=False)
        labelled = self.to_frame(locale)
        period = None if self.period is None else [d.isoformat() for d in self.period]

        def cell(value: object) -> object:
            if isinstance(value, str):
                return value
            if isinstance(value, int | float) and not np.isnan(value):
                return float(value)
            return None

        return {
            "key": self.key,
            "title": self.title_in(locale),
            "unit": self.unit,
            "aggregate": self.aggregate,
            "period": period,
            "filters": {k: list(v) if isinstance(v, tuple) else v for k, v in self.filters.items()},
            "suppression": self.suppression_in(locale),
            "notes": self.notes_in(locale),
            "columns": [
                {"key": str(k), "label": str(v), "share": str(k) in self.share_columns}
                for k, v in zip(keyed.columns, labelled.columns, strict=True)
            ],
            "rows": [
                {"key": str(k), "label": str(v), "values": [cell(x) for x in values]}
                for k, v, values in zip(
                    keyed.index, labelled.index, keyed.itertuples(index=False), strict=True
                )
            ],
        }

    def plot(self, locale: str | None = None) -> Any:
        """A matplotlib ``Figure`` of the table, labelled in ``locale`` (needs ``ettervern[plot]``).

        One unit per axis: hours per municipality become bars stacked by category, measures
        (referred, accepted) bars side by side, a table of mixed units one panel per unit, monthly
        tables small multiples, follow-up length bars against the target band, life domains
        horizontal bars of the mean change. Hidden cells are left out. Save it with
        ``figure.savefig("chart.png")``.
        """
        from ettervern._render import plot_report

        return plot_report(self, locale)

    def __str__(self) -> str:
        return self.to_text()


def measure_report(
    wide: pd.DataFrame,
    *,
    key: str,
    title: str,
    rows: str,
    unit: str,
    period: tuple[dt.date, dt.date] | None,
    team: Team | None,
    share_columns: Sequence[str] = (),
    total_values: Mapping[str, float] | None = None,
    total_row: bool = True,
    notes: Sequence[str] = (),
    note_values: Mapping[str, float] | None = None,
    blank_zeros: bool = False,
) -> Report:
    """A report from a wide table whose columns are measures (cases, weeks, shares …) by ``rows``.

    ``blank_zeros`` shows zero counts as empty cells, as Excel's pivot tables do.
    """
    return measure_grid_report(
        wide.to_numpy(dtype="float64", na_value=np.nan),
        ([str(r) for r in wide.index], [str(c) for c in wide.columns]),
        key=key,
        title=title,
        rows=rows,
        unit=unit,
        period=period,
        team=team,
        share_columns=share_columns,
        total_values=total_values,
        total_row=total_row,
        notes=notes,
        note_values=note_values,
        blank_zeros=blank_zeros,
    )


def measure_grid_report(
    values: np.ndarray[Any, Any],
    keys: tuple[Sequence[str], Sequence[str]],
    *,
    key: str,
    title: str,
    rows: str,
    unit: str,
    period: tuple[dt.date, dt.date] | None,
    team: Team | None,
    share_columns: Sequence[str] = (),
    total_values: Mapping[str, float] | None = None,
    total_row: bool = True,
    notes: Sequence[str] = (),
    note_values: Mapping[str, float] | None = None,
    blank_zeros: bool = False,
) -> Report:
    """``measure_report`` of the wide table of ``values`` (a float array, NaN empty) keyed by
    ``keys`` (its row keys and its measures), without making that table."""
    row_keys, measures = keys
    if blank_zeros:
        values = np.where(values == 0.0, np.nan, values)
    return Report(
        key=key,
        title=title,
        data=tidy_from_grid(values, row_keys, measures),
        rows=rows,
        columns="measure",
        unit=unit,
        period=period,
        row_order=tuple(row_keys),
        column_order=tuple(measures),
        total_row=total_row,
        total_column=False,
        share_columns=tuple(share_columns),
        total_values=dict(total_values or {}),
        notes=tuple(notes),
        note_values=dict(note_values or {}),
        team=team,
    )


def _column_blocks(widths: Sequence[int], width: int | None) -> list[list[int]]:
    """The value columns (1 …) in blocks that fit ``width`` beside the row labels."""
    blocks: list[list[int]] = [[]]
    used = widths[0]
    for i in range(1, len(widths)):
        needed = 2 + widths[i]
        if width is not None and blocks[-1] and used + needed > width:
            blocks.append([])
            used = widths[0]
        blocks[-1].append(i)
        used += needed
    return blocks


def _text_block(table: list[list[str]], picked: list[int], widths: Sequence[int]) -> list[str]:
    """Lines of one block of columns: a rule, the header, a rule, the rows."""
    sizes = [widths[i] for i in picked]

    def fmt(line: Sequence[str]) -> str:
        first = line[0].ljust(sizes[0])
        rest = (cell.rjust(w) for cell, w in zip(line[1:], sizes[1:], strict=True))
        return "  ".join([first, *rest]).rstrip()

    rule = "-" * (sum(sizes) + 2 * (len(sizes) - 1))
    return [rule, fmt(table[0]), rule, *(fmt(line) for line in table[1:])]


_MONTH = re.compile(r"^\d{4}-\d{2}$")


def kommunenummer(name: str, team: Team | None = None) -> str | None:
    """The four-digit municipality number of a row keyed by ``name``; None for a bucket.

    >>> kommunenummer("Fauske"), kommunenummer("Felles")
    ('1841', None)
    """
    if team is not None:
        for membership in team.members:
            if membership.municipality.name == name:
                return membership.municipality.number
    found = register().find(name)
    return found.number if found is not None else None


def _cells_of(data: pd.DataFrame) -> Iterable[tuple[str, str]]:
    return zip(data["row"], data["column"], strict=True)


def _unique(values: pd.Series[Any]) -> list[str]:
    return list(dict.fromkeys(str(v) for v in values))
