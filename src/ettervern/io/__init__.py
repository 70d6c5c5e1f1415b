"""Reading and writing: the teams' sheets (CSV, .xlsx), case JSON and team TOML through one
cattrs converter.

Modules inside are private; other layers import from here, users from [`ettervern`][ettervern].
"""

from __future__ import annotations

from ettervern.io._convert import (
    CASE_SCHEMA_VERSION,
    builtin_catalog,
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
from ettervern.io._sheets import (
    HEADERS,
    ImportResult,
    read_timelog,
    write_timelog,
)

__all__ = [
    "CASE_SCHEMA_VERSION",
    "HEADERS",
    "ImportResult",
    "builtin_catalog",
    "case_from_dict",
    "case_to_dict",
    "cases_from_json",
    "cases_to_json",
    "catalog_from_dict",
    "load_team",
    "make_converter",
    "read_cases",
    "read_timelog",
    "save_team",
    "team_from_dict",
    "team_to_dict",
    "write_cases",
    "write_timelog",
]
