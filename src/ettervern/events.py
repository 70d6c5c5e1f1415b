"""The events of a case's history (hendelser i forløpet), one class each.

A [`Case`][ettervern.Case] is its events: a referral, then acceptance or decline, stays and
discharges, steps and tasks, staff assigned and released, assessments, closure and the
three-month check. The recording verbs on a case (`case.accept(on=…)`, `case.close(…)`) build
them for you; these classes are for reading a history, or recording an event with
[`Case.record()`][ettervern.Case.record].

Beside the cases, the sessions of a team's group offer and who came (`GroupSession`, kept in a
`GroupLog`, with the rules of `GROUP_RULES`): a record set of its own, not events of a case.
"""

from __future__ import annotations

from ettervern._contract import enforce
from ettervern._pathway import (
    GROUP_RULES,
    Acceptance,
    Admission,
    Assessment,
    Closure,
    ConsentGiven,
    ConsentScope,
    ConsentWithdrawn,
    Decline,
    DeclineReason,
    Discharge,
    DischargeExpected,
    Event,
    Goal,
    GoalReviewed,
    GoalSet,
    GoalStatus,
    GroupLog,
    GroupSession,
    Moved,
    Referral,
    Reopening,
    Rescheduled,
    StaffAssigned,
    StaffReleased,
    StepStarted,
    TakeOver,
    TaskDone,
    ThreeMonthCheck,
    Waived,
    WaiverReason,
    known_tasks,
)

__all__ = [
    "GROUP_RULES",
    "Acceptance",
    "Admission",
    "Assessment",
    "Closure",
    "ConsentGiven",
    "ConsentScope",
    "ConsentWithdrawn",
    "Decline",
    "DeclineReason",
    "Discharge",
    "DischargeExpected",
    "Event",
    "Goal",
    "GoalReviewed",
    "GoalSet",
    "GoalStatus",
    "GroupLog",
    "GroupSession",
    "Moved",
    "Referral",
    "Reopening",
    "Rescheduled",
    "StaffAssigned",
    "StaffReleased",
    "StepStarted",
    "TakeOver",
    "TaskDone",
    "ThreeMonthCheck",
    "Waived",
    "WaiverReason",
    "known_tasks",
]

enforce(globals(), __all__)
