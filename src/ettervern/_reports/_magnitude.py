"""Primary suppression of magnitude cells (hours, log entries): who contributes to each.

A cell of hours by municipality and category adds up log entries. The entries of one case are
one contributor: publishing a cell that one or two cases make up publishes their care. Two
rules, applied to the part of each cell that is tied to cases:

- **minimum contributors**: from 1 to ``threshold - 1`` distinct cases → sensitive (SSB
  publishes no magnitude "based on fewer than three observations"; GaussSuppression's
  ``NContributorsRule``);
- **the p% rule** (τ-ARGUS manual §4.2; Hundepool et al., *Statistical Disclosure Control*,
  2012, §4.2.2): sensitive when the cell less its two largest contributors is below ``p`` % of
  the largest, i.e. the second contributor could estimate the first to within ``p`` %. ``p`` is
  the team's ``dominance_p`` (10 by default, as τ-ARGUS's examples; 0 turns it off).

Time tied to no case (``Felles``, work with a member's services) is the team's own: a cell
that holds nothing else needs no protection. Where it shares a cell with one or two cases it
does not make the cell safe: the rules look at the cases' part alone.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import numpy as np
import pandas as pd

from ettervern._reports._definitions import TOTAL, Magnitude

__all__ = ["Contributions", "sensitive"]


class Contributions:
    """Each case's share of the period's log, by municipality, month and category."""

    def __init__(self, frame: pd.DataFrame, period: tuple[dt.date, dt.date]) -> None:
        start, end = (pd.Timestamp(d) for d in period)
        inside = frame[(frame["date"] >= start) & (frame["date"] <= end)]
        self.parts = pd.DataFrame(
            {
                "municipality": inside["municipality"].astype(str),
                "month": inside["date"].dt.strftime("%Y-%m"),
                "category": inside["category"].astype(str),
                "case": inside["case"].astype(object).where(inside["case"].notna(), None),
                "hours": inside["hours"].astype("float64"),
                "entries": np.ones(len(inside)),
            }
        )

    def of_cell(
        self, table: Magnitude, row: str, categories: Sequence[str]
    ) -> tuple[list[float], float]:
        """The amounts each case contributes to a cell (largest first), and the amount tied
        to no case."""
        parts = self.parts[self.parts["category"].isin(list(categories))]
        if row != TOTAL:
            parts = parts[parts[table.rows] == row]
        tied = parts["case"].notna()
        by_case = parts[tied].groupby("case", sort=False)[table.kind].sum()
        amounts = sorted((float(v) for v in by_case if v > 0), reverse=True)
        return amounts, float(parts.loc[~tied, table.kind].sum())


def sensitive(amounts: Sequence[float], threshold: int, p: float) -> bool:
    """Whether a cell with these case contributions (largest first) must be hidden."""
    if not amounts:
        return False  # time tied to no case: the team's own
    if len(amounts) < threshold:
        return True
    if p <= 0:
        return False
    rest = sum(amounts) - amounts[0] - (amounts[1] if len(amounts) > 1 else 0.0)
    return rest < p / 100 * amounts[0]
