"""Every message the catalogs must translate: extracted from the source and listed from the data.

Static texts are marked in the code with ``N_("…")`` or passed straight to ``translate("…")``;
babel's extractor finds them. Labels whose message id is a stable key — category keys, report
groups, buckets, measures, enum values — are listed here from the data and enums themselves, with
a ``msgctxt`` naming their kind. ``scripts/l10n.py`` writes both into the ``.po`` files, and a test
fails when a shipped language lacks any of them.
"""

from __future__ import annotations

import enum
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir

from ettervern._core._categories import ReportGroup
from ettervern._core._history import ChangeKind
from ettervern._core._municipalities import Bucket
from ettervern._core._outcomes import AssessmentPoint, LifeDomain, OutcomeFlag
from ettervern._core._staff import StaffRole
from ettervern._io._result import CASE_REJECTED_COLUMNS, REJECTED_COLUMNS
from ettervern._pathway._case import Gender, Phase
from ettervern._pathway._events import EVENT_TYPES, ClosureReason, ReferralSource, StayKind
from ettervern._pathway._facts import ConsentScope, GoalStatus
from ettervern._pathway._milestones import MilestoneStatus
from ettervern._pathway._tasks import STANDARD_MILESTONES
from ettervern._render._excel import SHEET_NAMES
from ettervern._timelog._schema import COLUMNS
from ettervern.teams import salten_categories

__all__ = ["MEASURES", "dynamic_messages", "template"]

MEASURES = (
    "hours",
    "staff_hours",
    "fte_used",
    "fte",
    "fte_hours",
    "utilisation",
    "no_show_hours",
    "case_hours",
    "share",
    "own_hours",
    "shared_hours",
    "amount",
    # the case tables
    "referrals",
    "accepted",
    "active",
    "closed",
    "in_institution",
    "weeks",
    "beyond_target",
    "cases",
    "median_weeks",
    "calendar_weeks",
    "mean_weeks",
    "mean_calendar_weeks",
    "median_calendar_weeks",
    "share_beyond_target",
    "checks_due",
    "checks_done",
    "contact_reached",
    *(flag.value for flag in OutcomeFlag),
    "intake_mean",
    "check_mean",
    "mean_change",
    "improved",
    "worse",
    *(gender.value for gender in Gender),
    "unknown",
    # people and courses
    "episodes",
    "people",
    "people_several_episodes",
    "courses",
    "completed",
    "aborted",
    "ended_otherwise",
    "ongoing",
    "share_completed",
    "share_aborted",
    "share_ongoing",
    "mean_weeks",
    "mean_months",
    "median_months",
    "hours_per_person",
    "with_plan",
    "plan_declined",
    "plan_missing",
    "with_coordinator",
    "share_with_plan",
    "share_with_coordinator",
    "due",
    "on_time",
    "late",
    "not_done",
    "share_on_time",
    # instruments and staff
    "people_answering",
    "answers",
    "people_measured",
    "effect",
    "share_effect",
    "drop_out",
    "share_drop_out",
    "available_hours",
    "people_per_fte",
    # consent and goals
    "with_consent",
    "with_goal",
    "goal_met",
)
"""The column keys of the report tables whose columns are measures."""

KEYWORDS = {
    "N_": None,
    "translate": (1,),
    "Message": None,
    # The field checks of core/_validators.py take their template as a literal argument.
    "field_error": (1,),
    "check_field": (2,),
    "field_rule": (2,),
    "plural_of": (1, 2),
    "ngettext": (1, 2),
}


def dynamic_messages() -> Iterator[tuple[str, str]]:
    """``(context, message id)`` for every label keyed by data rather than written in code."""
    for category in salten_categories():
        yield ("category", category.key)
    for group in ReportGroup:
        yield ("group", group.value)
    for bucket in Bucket:
        yield ("bucket", bucket.value)
    for measure in MEASURES:
        yield ("measure", measure)
    enums: list[tuple[str, type[enum.Enum]]] = [
        ("source", ReferralSource),
        ("kind", StayKind),
        ("reason", ClosureReason),
        ("phase", Phase),
        ("domain", LifeDomain),
        ("flag", OutcomeFlag),
        ("point", AssessmentPoint),
        ("status", MilestoneStatus),
        ("gender", Gender),
        ("change", ChangeKind),
        ("scope", ConsentScope),
        ("goal_status", GoalStatus),
        ("role", StaffRole),
    ]
    for context, members in enums:
        for member in members:
            yield (context, str(member.value))
    yield ("source", "unknown")
    for milestone in STANDARD_MILESTONES:
        yield ("milestone", milestone)
    for event in EVENT_TYPES:
        yield ("event", event.tag)
    for column in COLUMNS:
        yield ("column", column)
    for heading in (*REJECTED_COLUMNS, *CASE_REJECTED_COLUMNS[:-1]):
        yield ("rejected", heading)
    for key in ("shared", "distinct"):
        yield ("service", key)
    yield ("staff", "unattributed")
    yield ("milestone", "staff_per_case")
    yield ("register", "the national register")
    for name in SHEET_NAMES.values():
        yield ("sheet", name)
    yield ("encoding", "UTF-8 with BOM")


def _source_root() -> Path:
    return Path(str(resources.files("ettervern")))


def _source_dir(path: str) -> bool:
    """Every package folder, the private ``_core``, ``_io`` … too (babel's default filter skips
    names that begin with an underscore, which hid most messages after the layers were renamed)."""
    name = Path(path).name
    return not name.startswith(".") and name != "__pycache__"


def template() -> Catalog:
    """The message template (``.pot``): every static and dynamic message."""
    catalog = Catalog(project="ettervern", charset="utf-8")
    root = _source_root()
    for filename, lineno, message, comments, context in extract_from_dir(
        root, keywords=KEYWORDS, comment_tags=("TRANSLATORS:",), directory_filter=_source_dir
    ):
        # A plural message (``ngettext``, ``Message.plural_of``) comes as (singular, plural).
        plural = isinstance(message, tuple) and len(message) == 2 and all(message)
        if (isinstance(message, str) and message) or plural:
            catalog.add(
                message,
                locations=[(f"ettervern/{filename}", lineno)],
                auto_comments=comments,
                context=context,
            )
    for context, message in dynamic_messages():
        catalog.add(message, context=context)
    return catalog
