"""The unit of each column of a table, so that no axis and no number format mixes units.

Most tables count one thing (hours, cases). Tables whose columns are measures mix units
(``cost_sharing`` has hours, a share and an amount); their ``unit`` is ``"mixed"`` and each
column's unit is looked up here by its key. Charts draw one unit per axis, workbooks give each
unit its number format, and text output names the unit of each column.
"""

from __future__ import annotations

from ettervern._l10n import N_
from ettervern._render._table import Table

__all__ = ["COUNT_UNITS", "UNIT_LABELS", "column_unit", "number_format", "unit_groups"]

COUNT_UNITS = frozenset({"cases", "entries", "people"})
"""Units that count whole things: integer axis ticks, no decimals in workbooks."""

UNIT_LABELS: dict[str, str] = {
    "hours": N_("hours"),
    "staff hours": N_("staff hours"),
    "working hours": N_("working hours"),
    "entries": N_("entries"),
    "cases": N_("cases"),
    "people": N_("people"),
    "weeks": N_("weeks"),
    "months": N_("months"),
    "share": N_("share"),
    "amount": N_("amount"),
    "fte": N_("FTE"),
    "score": N_("score (1-3)"),
    "mixed": N_("see column headers"),
}
"""Axis labels of the units, as message ids."""

_MEASURE_UNITS: dict[str, str] = {
    "hours": "hours",
    "hours_per_person": "hours",
    "staff_hours": "staff hours",
    "no_show_hours": "hours",
    "case_hours": "hours",
    "own_hours": "hours",
    "shared_hours": "hours",
    "fte_used": "fte",
    "fte": "fte",
    "fte_hours": "working hours",  # FTE × hours a year: not hours logged
    "amount": "amount",
    "weeks": "weeks",
    "median_weeks": "weeks",
    "calendar_weeks": "weeks",
    "mean_weeks": "weeks",
    "mean_calendar_weeks": "weeks",
    "median_calendar_weeks": "weeks",
    "mean_months": "months",
    "median_months": "months",
    "intake_mean": "score",
    "check_mean": "score",
    "mean_change": "score",
    "beyond_target": "cases",
}
"""The unit of each measure column that is not a count of cases."""


def column_unit(table: Table, column: str) -> str:
    """The unit of one column of ``table``: its own unit, or the measure's in a mixed table.

    >>> from ettervern import examples, annual_report
    >>> example = examples.salten_2020()
    >>> cost = annual_report(example.log, team=example.team, year=2020)["cost_sharing"]
    >>> [column_unit(cost, c) for c in cost.column_order]
    ['hours', 'hours', 'hours', 'share']
    """
    if column in table.share_columns:
        return "share"
    if table.columns == "measure":
        if column in _MEASURE_UNITS:
            return _MEASURE_UNITS[column]
        # A measure this table does not list still says its unit in its key.
        for suffix, unit in (("weeks", "weeks"), ("hours", "hours"), ("fte", "fte")):
            if column.endswith(suffix):
                return unit
    return "cases" if table.unit == "mixed" else table.unit


def unit_groups(table: Table, columns: list[str]) -> dict[str, list[str]]:
    """``columns`` grouped by unit, in the order each unit first appears."""
    groups: dict[str, list[str]] = {}
    for column in columns:
        groups.setdefault(column_unit(table, column), []).append(column)
    return groups


_EXCEL_FORMATS: dict[str, tuple[str, int]] = {
    "share": ("0.0%", 3),
    "amount": ("#,##0", 0),
    "cases": ("#,##0", 0),
    "entries": ("#,##0", 0),
    "people": ("#,##0", 0),
}


def number_format(unit: str) -> tuple[str, int]:
    """The Excel number format of a unit, and the decimals its values are rounded to.

    Values are rounded as the text output shows them (one decimal for hours, FTE and weeks, a
    tenth of a per cent for shares), so that a cell holds what the reader sees.

    >>> number_format("share"), number_format("hours")
    (('0.0%', 3), ('#,##0.0', 1))
    """
    return _EXCEL_FORMATS.get(unit, ("#,##0.0", 1))
