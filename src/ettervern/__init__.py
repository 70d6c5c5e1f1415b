"""ettervern: Norwegian municipal aftercare (ettervern) as a Python library.

Care pathways, resource categories and time logs, anonymisation codes and the calculations of an
aftercare team's annual report. Everything a user needs is importable from here; modules whose
names start with an underscore are private.
"""

from __future__ import annotations

from ettervern import errors, privacy, teams
from ettervern._categories import Category, CategoryCatalog, ReportGroup
from ettervern._codes import DEFAULT_SCHEME, CaseCode, CodeScheme, next_case_code
from ettervern._convert import (
    catalog_from_dict,
    load_team,
    make_converter,
    save_team,
    team_from_dict,
    team_to_dict,
)
from ettervern._municipalities import (
    Bucket,
    Municipality,
    MunicipalityRegister,
    municipality,
    register,
)
from ettervern._norwegian import norwegian_sort_key, norwegian_sorted
from ettervern._reports import Report
from ettervern._team import FollowUpTarget, Membership, Team
from ettervern.errors import EttervernError

__version__ = "0.1.0.dev0"

__all__ = [
    "DEFAULT_SCHEME",
    "Bucket",
    "CaseCode",
    "Category",
    "CategoryCatalog",
    "CodeScheme",
    "EttervernError",
    "FollowUpTarget",
    "Membership",
    "Municipality",
    "MunicipalityRegister",
    "Report",
    "ReportGroup",
    "Team",
    "__version__",
    "catalog_from_dict",
    "errors",
    "load_team",
    "make_converter",
    "municipality",
    "next_case_code",
    "norwegian_sort_key",
    "norwegian_sorted",
    "privacy",
    "register",
    "save_team",
    "team_from_dict",
    "team_to_dict",
    "teams",
]
