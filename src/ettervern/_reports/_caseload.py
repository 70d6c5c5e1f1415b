"""Open cases per member of staff or per role on one day, for an audience: the
minimum-frequency rule on the counts.

``caseload`` counts, for one day, the cases each member of staff (or each role) carries. A
count of one or two cases on a named member's line, in a team that serves a few
municipalities, is one or two persons' care. The published view hides ``cases``,
``coordinator`` and ``load`` of every line with 1 to ``threshold - 1`` cases, and
``coordinator`` where it, or the cases a member carries without coordinating them, is as
small. The lines of a column are bounded by the total (each case has one coordinator, and
the attacker may assume at most the team's staff per case on each): where a column has exactly
one hidden line, the smallest other line with cases is hidden too (secondary suppression), so
no hidden count is the total less the shown ones. A team with fewer open cases than the
threshold shows no counts at all. The internal view is the team's working list.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

import pandas as pd

from ettervern._core import Roster, Team, check_one_of
from ettervern._pathway import Case, caseload, caseload_by_role
from ettervern._reports._audience import VIEW_AUDIENCES, Audience
from ettervern._reports._model import TOTAL, threshold_for

__all__ = ["published_caseload"]

_COUNTS = ("cases", "coordinator")


def published_caseload(
    cases: Iterable[Case],
    roster: Roster,
    *,
    on: dt.date,
    by: str = "staff",
    team: Team | None = None,
    audience: Audience = "published",
    threshold: int | None = None,
) -> pd.DataFrame:
    """``caseload`` (``by="staff"``) or ``caseload_by_role`` (``by="role"``) on ``on``, for
    ``audience``: published, small counts and what they give away are ``<NA>``."""
    check_one_of("audience", audience, VIEW_AUDIENCES)
    build = caseload if by == "staff" else caseload_by_role
    frame = build(cases, roster, on=on, team=team).astype(
        {"cases": "Int64", "coordinator": "Int64", "load": "Float64"}
    )
    if audience == "internal":
        return frame
    threshold = threshold_for(team, threshold)
    hidden = _hidden(frame, threshold)
    for column in _COUNTS:
        frame.loc[hidden[column], column] = pd.NA
    frame.loc[hidden["cases"], "load"] = pd.NA
    frame.attrs["threshold"] = threshold
    return frame


def _small(values: pd.Series[int], threshold: int) -> pd.Series[bool]:
    return ((values > 0) & (values < threshold)).fillna(False).astype(bool)


def _hidden(frame: pd.DataFrame, threshold: int) -> pd.DataFrame:
    """Per line and count column, whether the published view hides it."""
    cases = _small(frame["cases"], threshold)
    if bool(cases.get(TOTAL, False)):
        cases[:] = frame["cases"].fillna(0) > 0  # every line is at most the total
    coordinator = (
        cases
        | _small(frame["coordinator"], threshold)
        | _small(frame["cases"] - frame["coordinator"], threshold)
    )
    hidden = pd.DataFrame({"cases": cases, "coordinator": coordinator})
    for column in _COUNTS:
        hidden[column] = _with_secondary(frame[column], hidden[column])
    hidden.loc[hidden["cases"], "coordinator"] = True
    return hidden


def _with_secondary(values: pd.Series[int], hidden: pd.Series[bool]) -> pd.Series[bool]:
    """``hidden``, and where exactly one line (not the total) is hidden, the smallest other
    line with a count (the first in order among equals)."""
    lines = values.index != TOTAL
    if int(hidden[lines].sum()) != 1:
        return hidden
    others = values[lines & ~hidden.to_numpy() & (values.fillna(0) > 0).to_numpy()]
    hidden = hidden.copy()
    if len(others):
        hidden[str(others.astype("int64").idxmin())] = True
    return hidden
