"""Cases and teams in other systems' formats: case JSON and its schema, FHIR R4, DHIS2 Tracker,
and the cattrs converter behind them.

Everything here converts; reading and writing files of ettervern's own formats
([`read_cases()`][ettervern.read_cases], [`write_timelog()`][ettervern.write_timelog], …) is at
the top, in ``ettervern``. The docs' Interchange page shows each format. The team's group
sessions are read from an attendance sheet here (``read_group_sessions``: every line accepted
or rejected with its rule) and written as a sheet or JSON, and read back from the FHIR bundle
and the DHIS2 payload they were exported to (``groups_from_fhir``, ``groups_from_dhis2``).
"""

from __future__ import annotations

from ettervern._contract import enforce
from ettervern._core import catalog_from_dict, instrument_from_dict, roster_from_dict
from ettervern._io import (
    CASE_SCHEMA_ID,
    CASE_SCHEMA_VERSION,
    Dhis2Mapping,
    GroupImport,
    case_from_dict,
    case_schema,
    case_schema_fingerprint,
    case_schema_text,
    case_to_dict,
    cases_from_dicts,
    dhis2_mapping_template,
    from_fhir,
    group_log_from_json,
    group_log_to_json,
    groups_from_dhis2,
    groups_from_fhir,
    make_converter,
    read_dhis2_mapping,
    read_group_sessions,
    team_from_dict,
    team_to_dict,
    to_dhis2,
    to_fhir,
    to_fhir_json,
    validate_dhis2_payload,
    validate_fhir,
    write_group_sessions,
)
from ettervern._pathway import (
    due_list_to_ics,
    template_from_dict,
)

__all__ = [
    "CASE_SCHEMA_ID",
    "CASE_SCHEMA_VERSION",
    "Dhis2Mapping",
    "GroupImport",
    "case_from_dict",
    "case_schema",
    "case_schema_fingerprint",
    "case_schema_text",
    "case_to_dict",
    "cases_from_dicts",
    "catalog_from_dict",
    "dhis2_mapping_template",
    "due_list_to_ics",
    "from_fhir",
    "group_log_from_json",
    "group_log_to_json",
    "groups_from_dhis2",
    "groups_from_fhir",
    "instrument_from_dict",
    "make_converter",
    "read_dhis2_mapping",
    "read_group_sessions",
    "roster_from_dict",
    "team_from_dict",
    "team_to_dict",
    "template_from_dict",
    "to_dhis2",
    "to_fhir",
    "to_fhir_json",
    "validate_dhis2_payload",
    "validate_fhir",
    "write_group_sessions",
]

enforce(globals(), __all__)
