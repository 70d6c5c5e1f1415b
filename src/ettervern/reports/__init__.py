"""Report calculations: the [`Report`][ettervern.Report] value, pivots, small-cell suppression, case
tables, the annual report and the comparison of years.

Modules inside are private; other layers import from here, users from [`ettervern`][ettervern].
"""

from __future__ import annotations

from ettervern.reports._annual import (
    FTE_KEYS,
    HOURS_PER_FTE,
    AnnualReport,
    FteKey,
    annual_report,
    compare_years,
    fte_apportionment,
    fte_report,
)
from ettervern.reports._cases import (
    case_reports,
)
from ettervern.reports._fte import (
    FTE_CSV_COLUMNS,
    write_fte_csv,
)
from ettervern.reports._pivot import (
    AGGREGATES,
    Aggregate,
    order_keys,
    pivot,
    pivot_frame,
)
from ettervern.reports._report import (
    DIMENSIONS,
    Report,
    dimension_label,
    label,
    measure_report,
    tidy_from_wide,
)
from ettervern.reports._suppression import (
    suppress,
)

__all__ = [
    "AGGREGATES",
    "DIMENSIONS",
    "FTE_CSV_COLUMNS",
    "FTE_KEYS",
    "HOURS_PER_FTE",
    "Aggregate",
    "AnnualReport",
    "FteKey",
    "Report",
    "annual_report",
    "case_reports",
    "compare_years",
    "dimension_label",
    "fte_apportionment",
    "fte_report",
    "label",
    "measure_report",
    "order_keys",
    "pivot",
    "pivot_frame",
    "suppress",
    "tidy_from_wide",
    "write_fte_csv",
]
