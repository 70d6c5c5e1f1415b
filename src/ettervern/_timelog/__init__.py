"""The team's time log: entries (case, date, municipality, category, hours) and their
validation against the team.

Modules inside are private; other layers import from here, users from [`ettervern`][ettervern].
"""

from __future__ import annotations

from ettervern._timelog._arrow import checked_arrow_log
from ettervern._timelog._columns import blank_cells, factorize
from ettervern._timelog._entry import TimeEntry
from ettervern._timelog._log import TimeLog, log_codes, month_summary
from ettervern._timelog._places import historical_place
from ettervern._timelog._rules import NOT_A_DATE, rule_of, validate_frame
from ettervern._timelog._schema import COLUMNS, EPOCH, days_of, in_period, join_frames

__all__ = [
    "COLUMNS",
    "EPOCH",
    "NOT_A_DATE",
    "TimeEntry",
    "TimeLog",
    "blank_cells",
    "checked_arrow_log",
    "days_of",
    "factorize",
    "historical_place",
    "in_period",
    "join_frames",
    "log_codes",
    "month_summary",
    "rule_of",
    "validate_frame",
]
