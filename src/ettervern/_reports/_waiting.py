"""Waiting times for a period and an audience: the minimum-contributors rule on the median and
the maximum.

A median or a maximum of one or two people is their own wait: the maximum is always one
person's value, and the median of two is their mean. The published view hides the count, the
median and the maximum of every row with fewer people than the threshold (the team's
``disclosure_threshold``, 3), the minimum-contributors (minimum frequency) rule of
docs/privacy.md. A table by municipality or source has no total row, but the same cases
without ``by`` give one: so where a wait has exactly one hidden group, the smallest other group
with people is hidden too (secondary suppression), and no hidden count is the total less the
shown ones.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from ettervern._core import Team, check_one_of
from ettervern._pathway import Case, waiting_times
from ettervern._reports._audience import VIEW_AUDIENCES, Audience
from ettervern._reports._model import threshold_for

__all__ = ["published_waiting_times"]


def published_waiting_times(
    cases: Iterable[Case],
    *,
    by: str | None = None,
    team: Team | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    audience: Audience = "published",
    threshold: int | None = None,
) -> pd.DataFrame:
    """``waiting_times`` of the cases referred in ``period`` (all of them without one), for
    ``audience``: published, the rows of fewer people than ``threshold`` show no count,
    median or maximum (``<NA>``)."""
    check_one_of("audience", audience, VIEW_AUDIENCES)
    chosen = list(cases)
    if period is not None:
        start, end = period
        chosen = [case for case in chosen if start <= case.referred_on <= end]
    frame = waiting_times(chosen, by=by).astype(
        {"count": "Int64", "median_days": "Float64", "max_days": "Int64"}
    )
    if audience == "internal":
        return frame
    threshold = threshold_for(team, threshold)
    few = (frame["count"] > 0) & (frame["count"] < threshold)
    if by is not None:
        few = _with_secondary(frame, few)
    frame.loc[few, ["count", "median_days", "max_days"]] = pd.NA
    frame.attrs["threshold"] = threshold
    return frame


def _with_secondary(frame: pd.DataFrame, few: pd.Series[bool]) -> pd.Series[bool]:
    """``few``, and per wait with exactly one group in it, the smallest other group with
    people (the first in order among equals)."""
    hidden = few.copy()
    waits = frame.index.get_level_values("wait")
    for wait in dict.fromkeys(waits):
        here = waits == wait
        if int(few[here].sum()) != 1:
            continue
        others = frame["count"][here & ~few.to_numpy() & (frame["count"] > 0).to_numpy()]
        if len(others):
            hidden[others.astype("int64").idxmin()] = True
    return hidden
