"""Charts of reports (the ``plot`` extra: matplotlib), labelled in the report's language.

Each chart has one unit per axis. A table of one unit is one axis: hours per municipality as bars
stacked by category (categories add up), a table of measures (cases referred, accepted, closed)
as grouped bars side by side (they do not add up). A table that mixes units (``cost_sharing``:
hours and a share; ``capacity``: hours, FTE and utilisation) becomes small multiples, one panel
per unit, sharing the row axis. Monthly figures by category are small multiples too, one panel per
category on a shared scale, so that ten lines do not overlap. Follow-up length per case is drawn
against the target band, and life-domain change as horizontal bars.

Ticks are written the way the locale writes numbers (``7,5`` and ``25 %`` in Norwegian); axes of
counts have whole-number ticks. Hidden (suppressed) cells are left out, and the figure says so.
Figures are made with matplotlib's object-oriented API (no pyplot state), so they are safe in
servers and threads.
"""

from __future__ import annotations

import math
import textwrap
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ettervern._l10n import (
    N_,
    Message,
    format_number,
    format_share,
    month_name,
    normalise_locale,
    translate,
)
from ettervern._render._table import Table
from ettervern._render._units import COUNT_UNITS, UNIT_LABELS, column_unit, unit_groups
from ettervern.errors import MissingDependencyError

__all__ = ["plot_report"]

PALETTE = (
    "#332288",
    "#CC6677",
    "#DDCC77",
    "#117733",
    "#88CCEE",
    "#882255",
    "#44AA99",
    "#999933",
    "#AA4499",
    "#000000",
)
"""Ten colours that stay apart for colour-vision deficiencies: Paul Tol's *muted* scheme (Tol,
"Colour Schemes", SRON/EPS/TN/09-002, 2021; indigo first, for single-series bars) and black for
a tenth category, as in Okabe and Ito's "Color Universal Design" (2008). Simulated at full
severity (colorspacious, CAM02-UCS), the closest two are ΔE 11.8 apart under tritanomaly, 12.3
under deuteranomaly and 15.0 under protanomaly; the previous Tableau-like palette brought red
and brown to 3.0 under deuteranomaly. ``tests/render/test_palette.py`` keeps it so."""
WIDTH = 9.0
"""Figure width in inches: an A4 page's text column at 100 dpi."""


@attrs.frozen
class _Drawing:
    """One table ready to draw: its numbers by key, row labels, column labels and colours."""

    report: Table
    numbers: pd.DataFrame
    rows: list[str]
    labels: dict[str, str]
    colours: dict[str, str]
    locale: str

    def parts(
        self,
    ) -> tuple[Table, pd.DataFrame, list[str], dict[str, str], dict[str, str], str]:
        """The fields, in order, for unpacking."""
        return self.report, self.numbers, self.rows, self.labels, self.colours, self.locale


def _figure_class() -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingDependencyError("matplotlib", "plot", Message("draw charts")) from None
    return Figure


def _numbers(report: Table) -> pd.DataFrame:
    """The table's numbers by key, with totals dropped and hidden cells missing.

    In a table of categories an empty cell is no hours (a month without *Overnatting*), so it
    is drawn as zero; a hidden cell is left out.
    """
    keyed = report.to_frame(labels=False)
    numbers: pd.DataFrame = keyed.apply(pd.to_numeric, errors="coerce").astype("float64")
    if report.columns == "category":
        numbers = numbers.fillna(0.0)
    for row, column in report.suppressed:
        if row in numbers.index and column in numbers.columns:
            numbers.loc[row, column] = np.nan
    return numbers.drop(index="Total", errors="ignore").drop(columns="Total", errors="ignore")


def _labels(report: Table, locale: str, numbers: pd.DataFrame) -> tuple[list[str], dict[str, str]]:
    """The row labels in order, and each column key's label."""
    labelled = report.to_frame(locale)
    keyed = report.to_frame(labels=False)
    rows = dict(zip(map(str, keyed.index), map(str, labelled.index), strict=True))
    columns = dict(zip(map(str, keyed.columns), map(str, labelled.columns), strict=True))
    if report.rows == "month":
        rows = {k: _month_tick(k, locale) for k in rows}
    return [rows[str(r)] for r in numbers.index], columns


def _month_tick(key: str, locale: str) -> str:
    """``jan`` for ``"2020-01"``: the month's short name (the year is in the title)."""
    if len(key) == 7 and key[4] == "-":
        return month_name(int(key[5:]), locale)[:3]
    return key


def _style_axis(axes: Any, unit: str, locale: str, *, axis: str = "y") -> None:
    """Label ``axes`` with the unit and write its ticks the way ``locale`` writes numbers."""
    from matplotlib.ticker import FuncFormatter, MaxNLocator

    target = axes.yaxis if axis == "y" else axes.xaxis
    if unit == "share":
        target.set_major_formatter(FuncFormatter(lambda v, _: format_share(v, locale, decimals=0)))
    else:
        target.set_major_formatter(FuncFormatter(lambda v, _: format_number(v, locale, decimals=2)))
    if unit in COUNT_UNITS:
        target.set_major_locator(MaxNLocator(integer=True))
    text = translate(UNIT_LABELS.get(unit, unit), locale)
    (axes.set_ylabel if axis == "y" else axes.set_xlabel)(text)
    axes.grid(axis=axis, color="#d0d0d0", linewidth=0.6)
    axes.set_axisbelow(True)
    for side in ("top", "right"):
        axes.spines[side].set_visible(False)


def _legend(axes: Any, columns: list[str], labels: dict[str, str], colours: dict[str, str]) -> None:
    """A legend beside ``axes`` naming every column, even one with nothing to draw."""
    from matplotlib.patches import Patch

    handles = [Patch(facecolor=colours[c], label=labels[c]) for c in columns]
    axes.legend(
        handles=handles,
        fontsize="small",
        loc="upper left",
        bbox_to_anchor=(1.0, 1.0),
        frameon=False,
    )


def _bars(
    axes: Any,
    numbers: pd.DataFrame,
    columns: list[str],
    labels: dict[str, str],
    *,
    stacked: bool,
    colours: dict[str, str],
) -> None:
    """Bars per row: stacked when the columns add up, side by side when they do not."""
    positions = np.arange(len(numbers.index), dtype=float)
    width = 0.8 if stacked else 0.8 / max(1, len(columns))
    bottom = np.zeros(len(positions))
    for i, column in enumerate(columns):
        values = numbers[column].to_numpy(dtype=float)
        shown = ~np.isnan(values)
        x = positions if stacked else positions - 0.4 + width * (i + 0.5)
        axes.bar(
            x[shown],
            values[shown],
            width=width,
            bottom=bottom[shown] if stacked else 0.0,
            label=labels[column],
            color=colours[column],
        )
        if stacked:
            bottom = bottom + np.nan_to_num(values)


def _lines(
    axes: Any,
    numbers: pd.DataFrame,
    columns: list[str],
    labels: dict[str, str],
    colours: dict[str, str],
) -> None:
    positions = np.arange(len(numbers.index), dtype=float)
    for column in columns:
        axes.plot(
            positions,
            numbers[column].to_numpy(dtype=float),
            marker="o",
            markersize=3,
            label=labels[column],
            color=colours[column],
        )


def _row_ticks(axes: Any, labels: list[str], *, rotate: bool) -> None:
    axes.set_xticks(np.arange(len(labels)), labels)
    if rotate:
        axes.tick_params(axis="x", labelrotation=45)
        for tick in axes.get_xticklabels():
            tick.set_horizontalalignment("right")
            tick.set_rotation_mode("anchor")


def plot_report(report: Table, locale: str | None = None) -> Any:
    """A matplotlib ``Figure`` of ``report``; see [`Report.plot()`][ettervern.Report.plot]."""
    figure_class = _figure_class()
    code = normalise_locale(locale)
    numbers = _numbers(report)
    rows, labels = _labels(report, code, numbers)
    colours = {c: PALETTE[i % len(PALETTE)] for i, c in enumerate(numbers.columns)}
    if report.key == "follow_up_length" and "weeks" in numbers.columns:
        figure = figure_class(figsize=(WIDTH, 4.5), layout="constrained")
        _follow_up_length(figure.add_subplot(), report, numbers, rows, code)
    elif report.key == "life_domains" and "mean_change" in numbers.columns:
        figure = figure_class(figsize=(WIDTH, 4.5), layout="constrained")
        axes = figure.add_subplot()
        values = numbers["mean_change"].to_numpy(dtype=float)
        shown = ~np.isnan(values)
        axes.barh(np.array(rows)[shown], values[shown], color=PALETTE[0])
        axes.axvline(0, color="black", linewidth=0.8)
        axes.invert_yaxis()
        _style_axis(axes, "score", code, axis="x")
        axes.set_xlabel(labels["mean_change"])
    else:
        small_multiples = report.rows == "month" and report.columns == "category"
        draw = _small_multiples if small_multiples else _panels
        figure = draw(figure_class, _Drawing(report, numbers, rows, labels, colours, code))
    figure.suptitle(report.title_in(code), fontweight="bold")
    if report.suppressed:
        figure.supxlabel(
            translate(N_("Hidden cells (:) are left out."), code),
            x=0.01,
            horizontalalignment="left",
            fontsize="small",
            color="#555555",
        )
    return figure


def _follow_up_length(
    axes: Any, report: Table, numbers: pd.DataFrame, rows: list[str], locale: str
) -> None:
    values = numbers["weeks"].to_numpy(dtype=float)
    shown = ~np.isnan(values)
    axes.bar(np.array(rows)[shown], values[shown], color=PALETTE[0])
    if report.team is not None:
        target = report.team.follow_up_target
        axes.axhspan(
            target.min_weeks,
            target.max_weeks,
            color="#9fd49f",
            alpha=0.6,
            zorder=0,
            label=translate(
                "Target: {min_weeks}-{max_weeks} weeks after discharge.", locale
            ).format(min_weeks=target.min_weeks, max_weeks=target.max_weeks),
        )
        axes.legend(fontsize="small", frameon=False)
    _style_axis(axes, "weeks", locale)
    _row_ticks(axes, [rows[i] for i in np.nonzero(shown)[0]], rotate=True)


def _panels(figure_class: Any, drawing: _Drawing) -> Any:
    """One panel per unit, stacked vertically on a shared row axis."""
    report, numbers, rows, labels, colours, locale = drawing.parts()
    groups = unit_groups(report, [str(c) for c in numbers.columns])
    height = 1.4 + 2.8 * len(groups)
    figure = figure_class(figsize=(WIDTH, height), layout="constrained")
    axes_list = figure.subplots(len(groups), 1, sharex=True, squeeze=False)[:, 0]
    months = report.rows == "month"
    for axes, (unit, columns) in zip(axes_list, groups.items(), strict=True):
        if months:
            _lines(axes, numbers, columns, labels, colours)
        else:
            # Categories add up to the row's total; measures (referred, accepted) do not.
            stacked = report.columns == "category"
            _bars(axes, numbers, columns, labels, stacked=stacked, colours=colours)
        _style_axis(axes, unit, locale)
        if len(columns) > 1 or len(groups) > 1:
            _legend(axes, columns, labels, colours)
    _row_ticks(axes_list[-1], rows, rotate=not months)
    return figure


def _small_multiples(figure_class: Any, drawing: _Drawing) -> Any:
    """One small panel per column over the months, all on the same scale."""
    report, numbers, rows, labels, colours, locale = drawing.parts()
    columns = [str(c) for c in numbers.columns]
    per_row = min(4, max(1, len(columns)))
    lines = math.ceil(len(columns) / per_row)
    figure = figure_class(figsize=(WIDTH, 1.0 + 2.2 * lines), layout="constrained")
    grid = figure.subplots(lines, per_row, sharex=True, sharey=True, squeeze=False)
    unit = column_unit(report, columns[0]) if columns else report.unit
    positions = np.arange(len(rows), dtype=float)
    for i, axes in enumerate(grid.flat):
        if i >= len(columns):
            axes.set_visible(False)
            continue
        column = columns[i]
        values = numbers[column].to_numpy(dtype=float)
        axes.fill_between(positions, np.nan_to_num(values), color=colours[column], alpha=0.25)
        axes.plot(positions, values, color=colours[column], linewidth=1.5)
        # A long category name wraps rather than running into the next panel.
        axes.set_title("\n".join(textwrap.wrap(labels[column], 24)), fontsize="medium")
        _style_axis(axes, unit, locale)
        if i % per_row:
            axes.set_ylabel("")
        ticks = positions[::3]
        axes.set_xticks(ticks, [rows[int(t)] for t in ticks])
        axes.tick_params(labelbottom=True)
    return figure
