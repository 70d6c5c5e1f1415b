"""Charts of reports (the ``plot`` extra: matplotlib), labelled in the report's language.

Each kind of table gets the chart that suits it: hours per municipality as bars stacked by
category, a monthly table as lines over the months, follow-up length per case as bars against the
target band, life-domain change as horizontal bars. Figures are made with matplotlib's
object-oriented API (no pyplot state), so they are safe in servers and threads.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd

from ettervern.errors import MissingDependencyError
from ettervern.l10n import Message, translate
from ettervern.render._table import Table

MARKER = ":"
"""How a hidden cell shows in a frame; charts leave it out."""

__all__ = ["plot_report"]


def _figure_class() -> Any:
    try:
        from matplotlib.figure import Figure
    except ImportError:
        raise MissingDependencyError("matplotlib", "plot", Message("draw charts")) from None
    return Figure


def plot_report(report: Table, locale: str | None = None) -> Any:
    """A matplotlib ``Figure`` of ``report``; see [`Report.plot()`][ettervern.Report.plot]."""
    figure_class = _figure_class()
    wide = _without_markers(report.to_frame(locale, labels=True))
    total = translate("Total", locale)
    body = wide.drop(index=total, errors="ignore").drop(columns=total, errors="ignore")
    if not report.suppressed:
        body = body.fillna(0.0)  # empty cells are zeros; hidden ones stay out of the chart
    figure = figure_class(figsize=(9, 5), layout="constrained")
    axes = figure.add_subplot()
    unit = translate(report.unit, locale)
    if report.key == "follow_up_length" and "weeks" in report.column_order:
        weeks = _numbers(report).drop(index="Total", errors="ignore")["weeks"]
        axes.bar([str(i) for i in weeks.index], weeks.to_numpy(dtype=float), color="#4a7ab5")
        if report.team is not None:
            target = report.team.follow_up_target
            axes.axhspan(
                target.min_weeks,
                target.max_weeks,
                color="#9fd49f",
                alpha=0.5,
                label=translate(
                    "Target: {min_weeks}-{max_weeks} weeks after discharge.", locale
                ).format(min_weeks=target.min_weeks, max_weeks=target.max_weeks),
            )
            axes.legend()
        axes.set_ylabel(translate("weeks", locale))
        axes.tick_params(axis="x", labelrotation=60)
    elif report.key == "life_domains" and "mean_change" in report.column_order:
        change = _numbers(report)["mean_change"]
        labelled = report.to_frame(locale)
        labels = list(labelled.index)
        position = report.column_order.index("mean_change")
        axes.barh(labels, change.to_numpy(dtype=float), color="#4a7ab5")
        axes.axvline(0, color="black", linewidth=0.8)
        axes.set_xlabel(str(labelled.columns[position]))
    elif report.rows == "month":
        for column in body.columns:
            axes.plot(list(body.index), body[column].to_numpy(), marker="o", label=str(column))
        axes.set_ylabel(unit)
        axes.tick_params(axis="x", labelrotation=45)
        axes.legend(fontsize="small")
    else:
        bottom = np.zeros(len(body))
        for column in body.columns:
            values = body[column].to_numpy()
            shown = ~np.isnan(values)
            axes.bar(
                [str(x) for x, keep in zip(body.index, shown, strict=True) if keep],
                values[shown],
                bottom=bottom[shown],
                label=str(column),
            )
            bottom = bottom + np.nan_to_num(values)
        axes.set_ylabel(unit)
        axes.tick_params(axis="x", labelrotation=45)
        if len(body.columns) > 1:
            axes.legend(fontsize="small")
    axes.set_title(report.title_in(locale))
    return figure


def _numbers(report: Table) -> pd.DataFrame:
    """The keyed frame as numbers: hidden cells are missing."""
    return _without_markers(report.to_frame(labels=False))


def _without_markers(frame: pd.DataFrame) -> pd.DataFrame:
    numbers: pd.DataFrame = frame.apply(
        lambda column: pd.to_numeric(column.where(column != MARKER))
    )
    return numbers
