"""Reading and writing: the teams' sheets (CSV, .xlsx), case JSON and team TOML through one
cattrs converter, cases as a table of events, Parquet, FHIR and DHIS2.

Modules inside are private; other layers import from here, users from [`ettervern`][ettervern].
"""

from __future__ import annotations

from ettervern._io._convert import (
    CASE_SCHEMA_VERSION,
    builtin_catalog,
    case_from_dict,
    case_to_dict,
    cases_from_dicts,
    cases_from_json,
    cases_from_stored,
    cases_to_json,
    catalog_from_dict,
    make_converter,
    read_cases,
    read_team,
    team_from_dict,
    team_to_dict,
    write_cases,
    write_team,
)
from ettervern._io._dhis2 import (
    DHIS2_ATTRIBUTES,
    STANDARD_STAGES,
    Dhis2Mapping,
    dhis2_mapping_template,
    read_dhis2_mapping,
    to_dhis2,
    validate_dhis2_payload,
)
from ettervern._io._fhir import (
    CASE_CODE_SYSTEM,
    KOMMUNENUMMER_SYSTEM,
    MUNICIPALITY_CODE_EXTENSION,
    from_fhir,
    to_fhir,
    to_fhir_json,
    validate_fhir,
)
from ettervern._io._frames import (
    CASE_COLUMNS,
    EVENT_COLUMNS,
    cases_from_frame,
    cases_to_frame,
)
from ettervern._io._group_imports import groups_from_dhis2, groups_from_fhir
from ettervern._io._groups import (
    GROUP_FORMAT,
    GroupImport,
    group_log_from_json,
    group_log_to_json,
    read_group_sessions,
    write_group_sessions,
)
from ettervern._io._header import HEADERS
from ettervern._io._limits import DEFAULT_LIMITS, ImportLimits
from ettervern._io._parquet import (
    read_cases_parquet,
    read_parquet,
    write_cases_parquet,
    write_parquet,
)
from ettervern._io._progress import (
    PROGRESS_ROWS,
)
from ettervern._io._result import CaseReading, ImportResult
from ettervern._io._schema import (
    CASE_SCHEMA_ID,
    case_schema,
    case_schema_fingerprint,
    case_schema_text,
    shipped_case_schema,
)
from ettervern._io._sheets import read_timelog, write_timelog

__all__ = [
    "CASE_CODE_SYSTEM",
    "CASE_COLUMNS",
    "CASE_SCHEMA_ID",
    "CASE_SCHEMA_VERSION",
    "DEFAULT_LIMITS",
    "DHIS2_ATTRIBUTES",
    "EVENT_COLUMNS",
    "GROUP_FORMAT",
    "HEADERS",
    "KOMMUNENUMMER_SYSTEM",
    "MUNICIPALITY_CODE_EXTENSION",
    "PROGRESS_ROWS",
    "STANDARD_STAGES",
    "CaseReading",
    "Dhis2Mapping",
    "GroupImport",
    "ImportLimits",
    "ImportResult",
    "builtin_catalog",
    "case_from_dict",
    "case_schema",
    "case_schema_fingerprint",
    "case_schema_text",
    "case_to_dict",
    "cases_from_dicts",
    "cases_from_frame",
    "cases_from_json",
    "cases_from_stored",
    "cases_to_frame",
    "cases_to_json",
    "catalog_from_dict",
    "dhis2_mapping_template",
    "from_fhir",
    "group_log_from_json",
    "group_log_to_json",
    "groups_from_dhis2",
    "groups_from_fhir",
    "make_converter",
    "read_cases",
    "read_cases_parquet",
    "read_dhis2_mapping",
    "read_group_sessions",
    "read_parquet",
    "read_team",
    "read_timelog",
    "shipped_case_schema",
    "team_from_dict",
    "team_to_dict",
    "to_dhis2",
    "to_fhir",
    "to_fhir_json",
    "validate_dhis2_payload",
    "validate_fhir",
    "write_cases",
    "write_cases_parquet",
    "write_group_sessions",
    "write_parquet",
    "write_team",
    "write_timelog",
]
