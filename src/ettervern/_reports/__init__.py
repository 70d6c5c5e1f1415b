"""Report calculations: the [`Report`][ettervern.Report] value, pivots, small-cell suppression, case
tables, the annual report and the comparison of years.

Modules inside are private; other layers import from here, users from [`ettervern`][ettervern].
"""

from __future__ import annotations

from ettervern._reports._annual import (
    FTE_KEYS,
    HOURS_PER_FTE,
    TIDY_COLUMNS,
    AnnualReport,
    FteKey,
    YearComparison,
    annual_report,
    compare_years,
    fte_apportionment,
    member_parts,
)
from ettervern._reports._annual import (
    fte_report as _fte_report,
)
from ettervern._reports._audience import Audience, published_view
from ettervern._reports._caseload import published_caseload
from ettervern._reports._cases import (
    case_reports,
)
from ettervern._reports._closure import ClosureSummary, closure_summary
from ettervern._reports._courses import (
    ABORTED_REASONS,
    DAYS_PER_MONTH,
    course_state,
)
from ettervern._reports._courses import (
    course_length_report as _course_length_report,
)
from ettervern._reports._courses import (
    course_report as _course_report,
)
from ettervern._reports._courses import (
    deadline_report as _deadline_report,
)
from ettervern._reports._courses import (
    hours_per_person_report as _hours_per_person_report,
)
from ettervern._reports._courses import (
    plans_report as _plans_report,
)
from ettervern._reports._disclosure import (
    TABLE_RULES,
    Audit,
    CellBounds,
    TableRules,
    audit,
    publish,
)
from ettervern._reports._facts import (
    consent_goals_report as _consent_goals_report,
)
from ettervern._reports._fte import (
    FTE_CSV_COLUMNS,
    write_fte_csv,
)
from ettervern._reports._groups import (
    GROUP_ATTENDANCE_COLUMNS,
    attendance_by_person,
)
from ettervern._reports._groups import (
    group_attendance_report as _group_attendance_report,
)
from ettervern._reports._history import (
    changes_between,
)
from ettervern._reports._instruments import (
    brukerplan_responses,
)
from ettervern._reports._instruments import (
    instrument_by_year as _instrument_by_year,
)
from ettervern._reports._instruments import (
    instrument_report as _instrument_report,
)
from ettervern._reports._instruments import (
    outcome_flags_report as _outcome_flags_report,
)
from ettervern._reports._moves import moved_hours, moved_log
from ettervern._reports._people import (
    SharedPeople,
    count_shared_people,
    person_key,
)
from ettervern._reports._people import (
    people_by_year as _people_by_year,
)
from ettervern._reports._people import (
    people_report as _people_report,
)
from ettervern._reports._pivot import (
    AGGREGATES,
    Aggregate,
    order_keys,
    pivot,
    pivot_frame,
)
from ettervern._reports._report import (
    DIMENSIONS,
    Report,
    dimension_label,
    label,
    measure_report,
    tidy_from_wide,
)
from ettervern._reports._staff import (
    UNATTRIBUTED,
    staff_hours,
)
from ettervern._reports._staff import (
    staff_report as _staff_report,
)
from ettervern._reports._waiting import published_waiting_times

# Figures for a period: the published view unless asked for the internal one.
course_length_report = published_view(_course_length_report)
course_report = published_view(_course_report)
deadline_report = published_view(_deadline_report)
hours_per_person_report = published_view(_hours_per_person_report)
plans_report = published_view(_plans_report)
instrument_report = published_view(_instrument_report)
outcome_flags_report = published_view(_outcome_flags_report)
people_report = published_view(_people_report)
consent_goals_report = published_view(_consent_goals_report)

group_attendance_report = published_view(_group_attendance_report)

fte_report = published_view(_fte_report)

people_by_year = published_view(_people_by_year)
instrument_by_year = published_view(_instrument_by_year)
staff_report = published_view(_staff_report)

__all__ = [
    "ABORTED_REASONS",
    "AGGREGATES",
    "DAYS_PER_MONTH",
    "DIMENSIONS",
    "FTE_CSV_COLUMNS",
    "FTE_KEYS",
    "GROUP_ATTENDANCE_COLUMNS",
    "HOURS_PER_FTE",
    "TABLE_RULES",
    "TIDY_COLUMNS",
    "UNATTRIBUTED",
    "Aggregate",
    "AnnualReport",
    "Audience",
    "Audit",
    "CellBounds",
    "ClosureSummary",
    "FteKey",
    "Report",
    "SharedPeople",
    "TableRules",
    "YearComparison",
    "annual_report",
    "attendance_by_person",
    "audit",
    "brukerplan_responses",
    "case_reports",
    "changes_between",
    "closure_summary",
    "compare_years",
    "consent_goals_report",
    "count_shared_people",
    "course_length_report",
    "course_report",
    "course_state",
    "deadline_report",
    "dimension_label",
    "fte_apportionment",
    "fte_report",
    "group_attendance_report",
    "hours_per_person_report",
    "instrument_by_year",
    "instrument_report",
    "label",
    "measure_report",
    "member_parts",
    "moved_hours",
    "moved_log",
    "order_keys",
    "outcome_flags_report",
    "people_by_year",
    "people_report",
    "person_key",
    "pivot",
    "pivot_frame",
    "plans_report",
    "publish",
    "published_caseload",
    "published_waiting_times",
    "staff_hours",
    "staff_report",
    "tidy_from_wide",
    "write_fte_csv",
]
