"""The domain's vocabulary: municipalities, case codes, resource categories, the team, outcome
scales, field validators, and structuring plain data into these values.

Modules inside are private; other layers import from here, users from [`ettervern`][ettervern].
"""

from __future__ import annotations

from ettervern._contract import (
    EARLIEST,
    LATEST,
    by_name,
    calls_within,
    check_date,
    check_year,
    enforce,
)
from ettervern._core._caching import SHORT_TEXT, text_cache
from ettervern._core._categories import (
    Category,
    CategoryCatalog,
    ReportGroup,
)
from ettervern._core._codes import (
    DEFAULT_SCHEME,
    CaseCode,
    CodeScheme,
    next_case_code,
    parse_code,
)
from ettervern._core._history import (
    ChangeKind,
    MunicipalityChange,
    municipality_changes,
    municipality_successor,
    municipality_successors,
)
from ettervern._core._html import facts_html
from ettervern._core._instruments import (
    INSTRUMENTS,
    Instrument,
    InstrumentItem,
    Response,
    Scale,
    Timing,
    instrument,
    instrument_from_dict,
)
from ettervern._core._layout import (
    EXTRA_TABLES,
    LAYOUT_GROUPS,
    ReportLayout,
    ReportTable,
    Texts,
    default_layout,
)
from ettervern._core._municipalities import (
    Bucket,
    Municipality,
    MunicipalityRegister,
    municipality,
    register,
)
from ettervern._core._outcomes import (
    AssessmentPoint,
    LifeDomain,
    Outcome,
    OutcomeFlag,
    Score,
    domain_change,
    enum_member,
)
from ettervern._core._periods import PeriodLike, period_of
from ettervern._core._staff import (
    PEOPLE_PER_FTE,
    Employment,
    Roster,
    StaffMember,
    check_staff_id,
    roster_from_dict,
)
from ettervern._core._structure import (
    base_converter,
    builtin_catalog,
    catalog_from_dict,
    configure,
    problems,
    shipped_key,
    structure,
)
from ettervern._core._team import (
    FollowUpTarget,
    Membership,
    Team,
    memberships_by_municipality,
    ten_years_ahead,
)
from ettervern._core._validators import (
    AT_LEAST,
    BETWEEN,
    Validator,
    at_least,
    between,
    check_field,
    check_one_of,
    field_error,
    field_rule,
    slot_setter,
)

__all__ = [
    "AT_LEAST",
    "BETWEEN",
    "DEFAULT_SCHEME",
    "EARLIEST",
    "EXTRA_TABLES",
    "INSTRUMENTS",
    "LATEST",
    "LAYOUT_GROUPS",
    "PEOPLE_PER_FTE",
    "SHORT_TEXT",
    "AssessmentPoint",
    "Bucket",
    "CaseCode",
    "Category",
    "CategoryCatalog",
    "ChangeKind",
    "CodeScheme",
    "Employment",
    "FollowUpTarget",
    "Instrument",
    "InstrumentItem",
    "LifeDomain",
    "Membership",
    "Municipality",
    "MunicipalityChange",
    "MunicipalityRegister",
    "Outcome",
    "OutcomeFlag",
    "PeriodLike",
    "ReportGroup",
    "ReportLayout",
    "ReportTable",
    "Response",
    "Roster",
    "Scale",
    "Score",
    "StaffMember",
    "Team",
    "Texts",
    "Timing",
    "Validator",
    "at_least",
    "base_converter",
    "between",
    "builtin_catalog",
    "by_name",
    "calls_within",
    "catalog_from_dict",
    "check_date",
    "check_field",
    "check_one_of",
    "check_staff_id",
    "check_year",
    "configure",
    "default_layout",
    "domain_change",
    "enforce",
    "enum_member",
    "facts_html",
    "field_error",
    "field_rule",
    "instrument",
    "instrument_from_dict",
    "memberships_by_municipality",
    "municipality",
    "municipality_changes",
    "municipality_successor",
    "municipality_successors",
    "next_case_code",
    "parse_code",
    "period_of",
    "problems",
    "register",
    "roster_from_dict",
    "shipped_key",
    "slot_setter",
    "structure",
    "ten_years_ahead",
    "text_cache",
]
