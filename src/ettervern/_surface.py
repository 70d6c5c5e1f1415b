"""The public surface, said once: which namespaces are public, and the old names that still
work for one release.

A namespace named in ``PUBLIC_NAMESPACES`` is public: documented in docs/reference.md, every
callable in it under the type contract, stable. Every other module is private by its
underscore. The tests walk these namespaces' ``__all__`` (the grid of bad values in
tests/test_contract.py, the reference's completeness in tests/test_docs.py).

``RENAMED`` maps each old top-level name to its new home; ``ettervern.__getattr__`` follows
it with a ``DeprecationWarning`` (docs/api-changes.md is the same table for people).
"""

from __future__ import annotations

from ettervern._contract import Renamed

__all__ = ["PUBLIC_NAMESPACES", "RENAMED"]

PUBLIC_NAMESPACES = (
    "ettervern",
    "ettervern.db",
    "ettervern.errors",
    "ettervern.events",
    "ettervern.examples",
    "ettervern.instruments",
    "ettervern.interchange",
    "ettervern.language",
    "ettervern.municipalities",
    "ettervern.privacy",
    "ettervern.tables",
    "ettervern.teams",
)
"""The public namespaces: a user imports from these, and from no other module."""

_MOVED = {
    "ettervern.events": (
        "Acceptance Admission Assessment Closure Decline Discharge Event Referral Reopening "
        "StaffAssigned StaffReleased StepStarted TakeOver TaskDone ThreeMonthCheck"
    ),
    "ettervern.instruments": (
        "INSTRUMENTS Instrument InstrumentItem Response Scale Timing brukerplan_responses "
        "instrument"
    ),
    "ettervern.interchange": (
        "CASE_SCHEMA_ID CASE_SCHEMA_VERSION Dhis2Mapping case_from_dict case_schema "
        "case_schema_fingerprint case_schema_text case_to_dict cases_from_dicts "
        "catalog_from_dict dhis2_mapping_template from_fhir instrument_from_dict "
        "make_converter roster_from_dict team_from_dict team_to_dict template_from_dict "
        "to_dhis2 to_fhir to_fhir_json validate_fhir"
    ),
    "ettervern.language": (
        "LOCALES Label Message format_date format_duration format_number format_share "
        "norwegian_sort_key norwegian_sorted"
    ),
    "ettervern.municipalities": (
        "Bucket ChangeKind MunicipalityChange MunicipalityRegister municipality_changes "
        "municipality_successor municipality_successors"
    ),
    "ettervern.tables": (
        "EXTRA_TABLES HOURS_PER_FTE PEOPLE_PER_FTE Audit ReportGroup ReportLayout ReportTable "
        "SharedPeople Texts count_shared_people course_state default_layout write_fte_csv"
    ),
}

_TEAM_PERIOD = ("team", "period")
"""How the old table builders' positional arguments read: ``(cases, team, period)``."""

RENAMED: dict[str, Renamed] = {
    **{
        name: Renamed(f"{namespace}.{name}")
        for namespace, names in _MOVED.items()
        for name in names.split()
    },
    "load_team": Renamed("ettervern.read_team"),
    "save_team": Renamed("ettervern.write_team"),
    "load_dhis2_mapping": Renamed("ettervern.interchange.read_dhis2_mapping"),
    "check_dhis2_payload": Renamed("ettervern.interchange.validate_dhis2_payload"),
    "register": Renamed("ettervern.municipalities.municipality_register"),
    "audit": Renamed("ettervern.tables.audit_release"),
    **{
        name: Renamed(f"ettervern.tables.{name}", positional=_TEAM_PERIOD)
        for name in (
            "course_report",
            "course_length_report",
            "plans_report",
            "deadline_report",
            "people_report",
            "outcome_flags_report",
            "hours_per_person_report",
            "instrument_report",
        )
    },
    "staff_hours": Renamed("ettervern.tables.staff_hours", positional=("period",)),
    "staff_report": Renamed("ettervern.tables.staff_report", positional=_TEAM_PERIOD),
    "people_by_year": Renamed("ettervern.tables.people_by_year", positional=("years", "team")),
    "instrument_by_year": Renamed(
        "ettervern.tables.instrument_by_year", positional=("years", "team")
    ),
    "fte_report": Renamed("ettervern.tables.fte_report", keywords={"year": "period"}),
}
"""Each old top-level name (until 0.2) and its new home; kept for one release."""
