"""ettervern: Norwegian municipal aftercare (ettervern) as a Python library.

Care pathways, resource categories and time logs, anonymisation codes and the calculations of an
aftercare team's annual report. Everything a user needs is importable from here; modules whose
names start with an underscore are private.
"""

from __future__ import annotations

from ettervern import errors, examples, privacy, teams
from ettervern._annual import HOURS_PER_FTE, AnnualReport, annual_report, compare_years
from ettervern._categories import Category, CategoryCatalog, ReportGroup
from ettervern._codes import DEFAULT_SCHEME, CaseCode, CodeScheme, next_case_code
from ettervern._convert import (
    CASE_SCHEMA_VERSION,
    case_from_dict,
    case_to_dict,
    cases_from_json,
    cases_to_json,
    catalog_from_dict,
    load_team,
    make_converter,
    read_cases,
    save_team,
    team_from_dict,
    team_to_dict,
    write_cases,
)
from ettervern._i18n import (
    LOCALES,
    Label,
    Message,
    format_date,
    format_duration,
    format_number,
    format_share,
)
from ettervern._io import ImportResult, read_timelog, write_timelog
from ettervern._milestones import Milestone, MilestoneStatus, due_list, milestones
from ettervern._municipalities import (
    Bucket,
    Municipality,
    MunicipalityRegister,
    municipality,
    register,
)
from ettervern._norwegian import norwegian_sort_key, norwegian_sorted
from ettervern._outcomes import (
    AssessmentPoint,
    LifeDomain,
    Outcome,
    OutcomeFlag,
    Score,
    domain_change,
)
from ettervern._pathway import (
    AGE_BANDS,
    Acceptance,
    Admission,
    Assessment,
    Case,
    Closure,
    ClosureReason,
    Decline,
    Discharge,
    Event,
    Gender,
    Phase,
    Referral,
    ReferralSource,
    Reopening,
    Stay,
    StayKind,
    StepStarted,
    TaskDone,
    ThreeMonthCheck,
    age_band,
)
from ettervern._pivot import pivot
from ettervern._reports import Report
from ettervern._team import FollowUpTarget, Membership, Team
from ettervern._templates import (
    PATHWAY_TEMPLATES,
    Anchor,
    PathwayTemplate,
    Stage,
    TemplateStep,
    pathway_template,
    template_from_dict,
)
from ettervern._timelog import TimeEntry, TimeLog
from ettervern.errors import EttervernError

__version__ = "0.1.0.dev0"

__all__ = [
    "AGE_BANDS",
    "CASE_SCHEMA_VERSION",
    "DEFAULT_SCHEME",
    "HOURS_PER_FTE",
    "LOCALES",
    "PATHWAY_TEMPLATES",
    "Acceptance",
    "Admission",
    "Anchor",
    "AnnualReport",
    "Assessment",
    "AssessmentPoint",
    "Bucket",
    "Case",
    "CaseCode",
    "Category",
    "CategoryCatalog",
    "Closure",
    "ClosureReason",
    "CodeScheme",
    "Decline",
    "Discharge",
    "EttervernError",
    "Event",
    "FollowUpTarget",
    "Gender",
    "ImportResult",
    "Label",
    "LifeDomain",
    "Membership",
    "Message",
    "Milestone",
    "MilestoneStatus",
    "Municipality",
    "MunicipalityRegister",
    "Outcome",
    "OutcomeFlag",
    "PathwayTemplate",
    "Phase",
    "Referral",
    "ReferralSource",
    "Reopening",
    "Report",
    "ReportGroup",
    "Score",
    "Stage",
    "Stay",
    "StayKind",
    "StepStarted",
    "TaskDone",
    "Team",
    "TemplateStep",
    "ThreeMonthCheck",
    "TimeEntry",
    "TimeLog",
    "__version__",
    "age_band",
    "annual_report",
    "case_from_dict",
    "case_to_dict",
    "cases_from_json",
    "cases_to_json",
    "catalog_from_dict",
    "compare_years",
    "domain_change",
    "due_list",
    "errors",
    "examples",
    "format_date",
    "format_duration",
    "format_number",
    "format_share",
    "load_team",
    "make_converter",
    "milestones",
    "municipality",
    "next_case_code",
    "norwegian_sort_key",
    "norwegian_sorted",
    "pathway_template",
    "pivot",
    "privacy",
    "read_cases",
    "read_timelog",
    "register",
    "save_team",
    "team_from_dict",
    "team_to_dict",
    "teams",
    "template_from_dict",
    "write_cases",
    "write_timelog",
]
