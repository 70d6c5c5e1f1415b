"""ettervern: Norwegian municipal aftercare (ettervern) as a Python library.

Care pathways, resource categories and time logs, anonymisation codes and the calculations of an
aftercare team's annual report. Everything a user needs is importable from here; modules whose
names start with an underscore are private.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from ettervern import errors, privacy, teams
from ettervern.core import (
    DEFAULT_SCHEME,
    AssessmentPoint,
    Bucket,
    CaseCode,
    Category,
    CategoryCatalog,
    CodeScheme,
    FollowUpTarget,
    LifeDomain,
    Membership,
    Municipality,
    MunicipalityRegister,
    Outcome,
    OutcomeFlag,
    ReportGroup,
    Score,
    Team,
    domain_change,
    municipality,
    next_case_code,
    register,
)
from ettervern.errors import EttervernError
from ettervern.io import (
    CASE_SCHEMA_VERSION,
    ImportResult,
    case_from_dict,
    case_to_dict,
    cases_from_json,
    cases_to_json,
    catalog_from_dict,
    load_team,
    make_converter,
    read_cases,
    read_timelog,
    save_team,
    team_from_dict,
    team_to_dict,
    write_cases,
    write_timelog,
)
from ettervern.l10n import (
    LOCALES,
    Label,
    Message,
    format_date,
    format_duration,
    format_number,
    format_share,
    norwegian_sort_key,
    norwegian_sorted,
)
from ettervern.pathway import (
    AGE_BANDS,
    PATHWAY_TEMPLATES,
    Acceptance,
    Admission,
    Anchor,
    Assessment,
    Case,
    Closure,
    ClosureReason,
    Decline,
    Discharge,
    Event,
    Gender,
    Milestone,
    MilestoneStatus,
    PathwayTemplate,
    Phase,
    Referral,
    ReferralSource,
    Reopening,
    Stage,
    Stay,
    StayKind,
    StepStarted,
    TaskDone,
    TemplateStep,
    ThreeMonthCheck,
    age_band,
    due_list,
    milestones,
    pathway_template,
    template_from_dict,
)
from ettervern.reports import (
    HOURS_PER_FTE,
    AnnualReport,
    Report,
    annual_report,
    compare_years,
    pivot,
)
from ettervern.timelog import TimeEntry, TimeLog

if TYPE_CHECKING:
    from ettervern import examples

__version__ = "0.1.0.dev0"


def __getattr__(name: str) -> Any:
    """Import [`examples`][ettervern.examples] when first used, so ``import ettervern`` stays
    light."""
    if name == "examples":
        import importlib

        return importlib.import_module("ettervern.examples")
    raise AttributeError(f"module 'ettervern' has no attribute {name!r}")


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
