"""Moves applied to the time log: the one place where a case's move meets the hours logged.

A person who moves to another member during follow-up (``case.move(to, on=)``) is followed by
the team as before, under the same case code; the hours logged on the case from the day of the
move count for the member they moved to (issue 32). Every report that is given the log and the
cases reads the log through ``moved_log`` first (the annual report and each table of
``ettervern.tables`` given both), so the tables of hours by member, cost sharing and FTE agree.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING

import pandas as pd

from ettervern._pathway import Case, Moved

if TYPE_CHECKING:
    from ettervern._timelog import TimeLog

__all__ = ["moved_hours", "moved_log"]


def moved_log(log: TimeLog, cases: Sequence[Case], kinds: frozenset[type] | None = None) -> TimeLog:
    """``log`` with the moves of ``cases`` applied (``moved_hours``); ``log`` itself when no
    case moved. ``kinds`` (``event_kinds`` of the cases), when known, tells whether any did;
    without it the cases are asked. The log's frame is built only when one did."""
    if kinds is not None and Moved not in kinds:
        return log
    if kinds is None and not any(case.moves for case in cases):
        return log  # no frame built for a year in which no one moved
    frame = log.to_frame(copy=False)
    moved = moved_hours(frame, cases)
    return log if moved is frame else type(log)._of_valid(moved, log.team)


def moved_hours(frame: pd.DataFrame, cases: Sequence[Case]) -> pd.DataFrame:
    """The log's ``frame`` with the hours of a case whose person moved to another member
    counted for that member from the day of the move: an entry logged to the municipality the
    person left, on or after the move, is logged to the one they moved to. *Felles* and *Andre
    kommuner* entries stay as they are, and so does the case code. The frame is copied only when
    a case moved."""
    moving = [case for case in cases if case.moves]
    if not moving:
        return frame
    frame = frame.copy()
    place, dates, codes = frame["municipality"], frame["date"], frame["case"].astype("string")
    for case in moving:
        own = codes == str(case.code)
        left = case.municipality.name
        for move in case.moves:
            rows = own & (dates >= pd.Timestamp(move.on)) & (place == left)
            frame.loc[rows, "municipality"] = move.municipality.name
            place, left = frame["municipality"], move.municipality.name
    return frame
