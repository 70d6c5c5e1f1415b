"""ettervern: Norwegian municipal aftercare (ettervern) as a Python library.

Care pathways, resource categories and time logs, anonymisation codes and the calculations of an
aftercare team's annual report. The values and the main verbs are importable from here; the
rest from namespaces by task that a user imports on purpose: ``ettervern.tables`` (the report's
tables), ``ettervern.interchange`` (FHIR, DHIS2, case JSON), ``ettervern.events``,
``ettervern.instruments``, ``ettervern.municipalities``, ``ettervern.language``, and
``ettervern.teams``, ``ettervern.privacy``, ``ettervern.errors``, ``ettervern.examples``,
``ettervern.db``. Modules whose names start with an underscore are private.
"""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING, Any

from ettervern import (
    _moved,
    errors,
    events,
    instruments,
    interchange,
    language,
    municipalities,
    privacy,
    tables,
    teams,
)
from ettervern._contract import follow
from ettervern._core import (
    DEFAULT_SCHEME,
    AssessmentPoint,
    CaseCode,
    Category,
    CategoryCatalog,
    CodeScheme,
    Employment,
    FollowUpTarget,
    LifeDomain,
    Membership,
    Municipality,
    Outcome,
    OutcomeFlag,
    Roster,
    Score,
    StaffMember,
    Team,
    domain_change,
    enforce,
    municipality,
)
from ettervern._io import (
    CASE_COLUMNS,
    EVENT_COLUMNS,
    ImportLimits,
    ImportResult,
    cases_from_frame,
    cases_from_json,
    cases_to_frame,
    cases_to_json,
    read_cases,
    read_cases_parquet,
    read_parquet,
    read_team,
    read_timelog,
    write_cases,
    write_cases_parquet,
    write_parquet,
    write_team,
    write_timelog,
)
from ettervern._pathway import (
    AGE_BANDS,
    PATHWAY_TEMPLATES,
    Anchor,
    Assignment,
    Case,
    ClosureReason,
    Gender,
    Milestone,
    MilestoneStatus,
    PathwayTemplate,
    Phase,
    ReferralSource,
    ServiceKind,
    Stage,
    Stay,
    StayKind,
    TemplateStep,
    age_band,
    check_case,
    check_cases,
    due_list,
    milestones,
    pathway_template,
    plausible_dates_of,
)
from ettervern._reports import (
    AnnualReport,
    ClosureSummary,
    Report,
    YearComparison,
    annual_report,
    closure_summary,
    compare_years,
    pivot,
)
from ettervern._surface import RENAMED
from ettervern._timelog import TimeEntry, TimeLog
from ettervern.errors import EttervernError
from ettervern.teams import next_case_code

if TYPE_CHECKING:
    from ettervern import examples

__version__ = "0.1.0.dev0"

# What was read, skipped and decided goes to logging.getLogger("ettervern"); a library leaves
# showing it to the application (logging.basicConfig(level=logging.INFO) shows it).
logging.getLogger(__name__).addHandler(logging.NullHandler())

# ettervern.core, ettervern.io, … (private since 0.2) still import, with a DeprecationWarning.
_moved.install()


def __getattr__(name: str) -> Any:
    """Import [`examples`][ettervern.examples] when first used, so ``import ettervern`` stays
    light; follow an old name (until 0.2) to its new home, with a ``DeprecationWarning``."""
    import importlib

    if name == "examples":
        return importlib.import_module("ettervern.examples")
    rule = RENAMED.get(name)
    if rule is not None:
        namespace, _, new = rule.new.rpartition(".")
        return follow(f"ettervern.{name}", rule, getattr(importlib.import_module(namespace), new))
    if f"ettervern.{name}" in _moved.MOVED:
        return _moved.old_layer(name)
    raise AttributeError(f"module 'ettervern' has no attribute {name!r}")


__all__ = [
    "AGE_BANDS",
    "CASE_COLUMNS",
    "DEFAULT_SCHEME",
    "EVENT_COLUMNS",
    "PATHWAY_TEMPLATES",
    "Anchor",
    "AnnualReport",
    "AssessmentPoint",
    "Assignment",
    "Case",
    "CaseCode",
    "Category",
    "CategoryCatalog",
    "ClosureReason",
    "ClosureSummary",
    "CodeScheme",
    "Employment",
    "EttervernError",
    "FollowUpTarget",
    "Gender",
    "ImportLimits",
    "ImportResult",
    "LifeDomain",
    "Membership",
    "Milestone",
    "MilestoneStatus",
    "Municipality",
    "Outcome",
    "OutcomeFlag",
    "PathwayTemplate",
    "Phase",
    "ReferralSource",
    "Report",
    "Roster",
    "Score",
    "ServiceKind",
    "StaffMember",
    "Stage",
    "Stay",
    "StayKind",
    "Team",
    "TemplateStep",
    "TimeEntry",
    "TimeLog",
    "YearComparison",
    "__version__",
    "age_band",
    "annual_report",
    "cases_from_frame",
    "cases_from_json",
    "cases_to_frame",
    "cases_to_json",
    "check_case",
    "check_cases",
    "closure_summary",
    "compare_years",
    "domain_change",
    "due_list",
    "errors",
    "events",
    "examples",
    "instruments",
    "interchange",
    "language",
    "milestones",
    "municipalities",
    "municipality",
    "next_case_code",
    "pathway_template",
    "pivot",
    "plausible_dates_of",
    "privacy",
    "read_cases",
    "read_cases_parquet",
    "read_parquet",
    "read_team",
    "read_timelog",
    "tables",
    "teams",
    "write_cases",
    "write_cases_parquet",
    "write_parquet",
    "write_team",
    "write_timelog",
]

# The one error contract: arguments of the wrong type are refused with an ettervern error
# before they reach pandas or the standard library (see ettervern._contract). Each namespace
# puts it on its own names; a function two namespaces name is one checked object.
enforce(globals(), __all__)
enforce(vars(privacy), privacy.__all__)
enforce(vars(teams), teams.__all__)
