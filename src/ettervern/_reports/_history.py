"""Comparing years across municipality changes: say which rows carry on which old municipalities.

A time log read from a 2019 sheet keeps *Tysfjord* and *Finnøy* under the members that carry them
on (Hamarøy, Stavanger; see [`read_timelog`][ettervern._io.read_timelog]), so the rows of two years already
line up. ``with_history`` makes a compared table say so: a note, and the changes themselves
under ``filters["municipality_changes"]``.
"""

from __future__ import annotations

import datetime as dt

import attrs

from ettervern._core import MunicipalityChange, municipality_changes
from ettervern._l10n import N_
from ettervern._reports._report import Report

__all__ = ["changes_between", "with_history"]


def changes_between(
    names: set[str] | frozenset[str], years: tuple[int, int]
) -> tuple[MunicipalityChange, ...]:
    """The changes that took effect after the first year and by the second, into ``names``."""
    first, second = dt.date(years[0], 12, 31), dt.date(years[1], 1, 1)
    return tuple(
        c
        for c in municipality_changes()
        if first < c.valid_from <= second and c.new_name in names and c.old_number != c.new_number
    )


def with_history(report: Report, years: tuple[int, int]) -> Report:
    """``report`` (two years side by side) with the municipality changes between the years
    named, when its rows are municipalities that changed."""
    if report.rows != "municipality":
        return report
    changes = changes_between(set(report.row_order), years)
    if not changes:
        return report
    return attrs.evolve(
        report,
        notes=(
            *report.notes,
            N_(
                "Municipalities changed between the years: the earlier year's rows are counted "
                "under the municipality that carries them on (see the changes listed with the "
                "table)."
            ),
        ),
        filters={
            **report.filters,
            "municipality_changes": tuple(str(c.describe()) for c in changes),
        },
    )
