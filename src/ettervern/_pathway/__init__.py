"""The care pathway: a case as dated events (referral, stays, discharge, closure, the
three-month check), pathway templates, milestones and the due list.

Modules inside are private; other layers import from here, users from [`ettervern`][ettervern].
"""

from __future__ import annotations

from ettervern._pathway._case import AGE_BANDS, Case, Gender, Phase, age_band, stored_case
from ettervern._pathway._check import TEAM_RULES, check_case, check_cases
from ettervern._pathway._events import (
    EVENT_TYPES,
    Acceptance,
    Admission,
    Assessment,
    Closure,
    ClosureReason,
    Decline,
    DeclineReason,
    Discharge,
    Event,
    Referral,
    ReferralSource,
    Reopening,
    ServiceKind,
    Stay,
    StayKind,
    StepStarted,
    TakeOver,
    TaskDone,
    ThreeMonthCheck,
)
from ettervern._pathway._groups import (
    GROUP_COLUMNS,
    GROUP_RULES,
    GroupLog,
    GroupSession,
    check_group_session,
    open_on,
)
from ettervern._pathway._milestones import (
    DUE_LIST_COLUMNS,
    Milestone,
    MilestoneStatus,
    due_list,
    milestones,
    staffing_warnings,
)
from ettervern._pathway._person import (
    PSEUDONYM,
    check_person,
)
from ettervern._pathway._planning import DischargeExpected, Rescheduled, Waived, WaiverReason
from ettervern._pathway._rules import current_window, default_window, plausible_dates_of
from ettervern._pathway._staffing import (
    Assignment,
    StaffAssigned,
    StaffReleased,
    assignments,
)
from ettervern._pathway._tasks import known_tasks
from ettervern._pathway._templates import (
    PATHWAY_TEMPLATES,
    Anchor,
    PathwayTemplate,
    Stage,
    TemplateStep,
    pathway_template,
    template_from_dict,
)
from ettervern._pathway._working import (
    CASELOAD_COLUMNS,
    caseload,
    due_list_to_ics,
    waiting_times,
)

__all__ = [
    "AGE_BANDS",
    "CASELOAD_COLUMNS",
    "DUE_LIST_COLUMNS",
    "EVENT_TYPES",
    "GROUP_COLUMNS",
    "GROUP_RULES",
    "PATHWAY_TEMPLATES",
    "PSEUDONYM",
    "TEAM_RULES",
    "Acceptance",
    "Admission",
    "Anchor",
    "Assessment",
    "Assignment",
    "Case",
    "Closure",
    "ClosureReason",
    "Decline",
    "DeclineReason",
    "Discharge",
    "DischargeExpected",
    "Event",
    "Gender",
    "GroupLog",
    "GroupSession",
    "Milestone",
    "MilestoneStatus",
    "PathwayTemplate",
    "Phase",
    "Referral",
    "ReferralSource",
    "Reopening",
    "Rescheduled",
    "ServiceKind",
    "StaffAssigned",
    "StaffReleased",
    "Stage",
    "Stay",
    "StayKind",
    "StepStarted",
    "TakeOver",
    "TaskDone",
    "TemplateStep",
    "ThreeMonthCheck",
    "Waived",
    "WaiverReason",
    "age_band",
    "assignments",
    "caseload",
    "check_case",
    "check_cases",
    "check_group_session",
    "check_person",
    "current_window",
    "default_window",
    "due_list",
    "due_list_to_ics",
    "known_tasks",
    "milestones",
    "open_on",
    "pathway_template",
    "plausible_dates_of",
    "staffing_warnings",
    "stored_case",
    "template_from_dict",
    "waiting_times",
]
