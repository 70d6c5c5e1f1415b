"""The team's time log: entries (case, date, municipality, category, hours) and their
validation against the team.

Modules inside are private; other layers import from here, users from [`ettervern`][ettervern].
"""

from __future__ import annotations

from ettervern._timelog._log import (
    COLUMNS,
    NOT_A_DATE,
    TimeEntry,
    TimeLog,
    blank_cells,
    factorize,
    join_frames,
    rule_of,
    validate_frame,
)
from ettervern._timelog._places import (
    historical_place,
)

__all__ = [
    "COLUMNS",
    "NOT_A_DATE",
    "TimeEntry",
    "TimeLog",
    "blank_cells",
    "factorize",
    "historical_place",
    "join_frames",
    "rule_of",
    "validate_frame",
]
