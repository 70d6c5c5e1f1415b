"""Report calculations: the [`Report`][ettervern.Report] value, pivots, small-cell suppression, case
tables, the annual report and the comparison of years.

Modules inside are private; other layers import from here, users from [`ettervern`][ettervern].
"""

from __future__ import annotations

from ettervern.reports._annual import (
    HOURS_PER_FTE,
    AnnualReport,
    annual_report,
    compare_years,
)
from ettervern.reports._cases import (
    case_reports,
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
    "HOURS_PER_FTE",
    "Aggregate",
    "AnnualReport",
    "Report",
    "annual_report",
    "case_reports",
    "compare_years",
    "dimension_label",
    "label",
    "measure_report",
    "order_keys",
    "pivot",
    "pivot_frame",
    "suppress",
    "tidy_from_wide",
]
