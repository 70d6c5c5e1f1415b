"""The team's time log: entries (case, date, municipality, category, hours) and their
validation against the team.

Modules inside are private; other layers import from here, users from [`ettervern`][ettervern].
"""

from __future__ import annotations

from ettervern._timelog._arrow import (
    BATCH_ROWS,
    checked_arrow_batches,
    checked_arrow_log,
    coded_rows_break,
)
from ettervern._timelog._columns import blank_cells, factorize
from ettervern._timelog._entry import TimeEntry
from ettervern._timelog._log import TimeLog, log_codes, month_summary
from ettervern._timelog._normalise import (
    code_parts,
    normalise_cases,
    normalise_categories,
    normalise_places,
)
from ettervern._timelog._places import historical_place
from ettervern._timelog._rules import NOT_A_DATE, rule_of, validate_frame
from ettervern._timelog._schema import (
    COLUMNS,
    EPOCH,
    days_of,
    in_period,
    in_schema,
    join_frames,
    lean,
    smallest_int,
    unit_minutes,
)

__all__ = [
    "BATCH_ROWS",
    "COLUMNS",
    "EPOCH",
    "NOT_A_DATE",
    "TimeEntry",
    "TimeLog",
    "blank_cells",
    "checked_arrow_batches",
    "checked_arrow_log",
    "code_parts",
    "coded_rows_break",
    "days_of",
    "factorize",
    "historical_place",
    "in_period",
    "in_schema",
    "join_frames",
    "lean",
    "log_codes",
    "month_summary",
    "normalise_cases",
    "normalise_categories",
    "normalise_places",
    "rule_of",
    "smallest_int",
    "unit_minutes",
    "validate_frame",
]
