"""FHIR R4 resources of who works on a case and what is due: a ``CareTeam`` and a ``Task`` per
milestone, written with R4's own elements only (no extension).

The **CareTeam** is the case's staff as the team's roster has them: each member a logical
reference by its roster id (``Reference.identifier``, system ``urn:ettervern:fhir:staff``,
assigned by the team's Organization; never a name, so no ``Practitioner`` is made), its role
(coordinator or staff member) and the period of its assignment
([`Case.staff_assignments`][ettervern.Case.staff_assignments]). The EpisodeOfCare refers to it
(``EpisodeOfCare.team``).

A **Task** stands for each milestone ([`milestones`][ettervern.milestones]), ``basedOn`` the
case's CarePlan. How a milestone's state becomes the Task's ``status``:

| the milestone | ``status`` | and |
|---|---|---|
| done | ``completed`` | ``executionPeriod.end`` and ``lastModified``: the day it was done |
| waived, not done | ``cancelled`` | ``statusReason``: why (declined by the person, not applicable); ``lastModified``: the day it was waived |
| rescheduled, not done | ``requested`` | ``businessStatus`` ``rescheduled``; ``lastModified``: the day it was moved |
| otherwise | ``requested`` | |

Every Task has its due date as ``restriction.period.end`` (the new one when rescheduled). A
milestone overdue is not a status of its own: it depends on the day one asks, and the Task says
when it was due.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Sequence
from typing import Any

import attrs

from ettervern._core import Team
from ettervern._l10n import LOCALES, N_, has_translation, translate
from ettervern._pathway import (
    Case,
    Milestone,
    PathwayTemplate,
    Rescheduled,
    Waived,
    WaiverReason,
    milestones,
)

__all__ = [
    "CARE_TEAM_SYSTEM",
    "ROLE_SYSTEM",
    "STAFF_SYSTEM",
    "TASK_STATE_SYSTEM",
    "TASK_SYSTEM",
    "WAIVER_SYSTEM",
    "CaseLinks",
    "case_work",
    "code_system",
    "work_code_systems",
]

_BASE = "urn:ettervern:fhir"
STAFF_SYSTEM = f"{_BASE}:staff"
"""The identifier system of a staff member's roster id (initials or a pseudonymous key)."""
CARE_TEAM_SYSTEM = f"{_BASE}:care-team"
TASK_SYSTEM = f"{_BASE}:task"
ROLE_SYSTEM = f"{_BASE}:CodeSystem:care-team-role"
WAIVER_SYSTEM = f"{_BASE}:CodeSystem:waiver-reason"
TASK_STATE_SYSTEM = f"{_BASE}:CodeSystem:task-state"
STEP_SYSTEM = f"{_BASE}:CodeSystem:pathway-step"

_ROLES = {"coordinator": N_("Coordinator"), "staff": N_("Staff member")}
_WAIVERS = {
    WaiverReason.DECLINED: N_("Declined by the person"),
    WaiverReason.NOT_APPLICABLE: N_("Not applicable"),
}
_RESCHEDULED = N_("New due date")


@attrs.frozen
class CaseLinks:
    """The fullUrls of a case's resources that its CareTeam and Tasks refer to."""

    patient: str
    team: str
    plan: str


def _nb(message: str, *, context: str | None = None) -> str:
    return translate(message, "nb", context=context)


def _coding(system: str, code: str, message: str) -> dict[str, str]:
    return {"system": system, "code": code, "display": _nb(message)}


def _period(start: dt.date, end: dt.date | None) -> dict[str, str]:
    period = {"start": start.isoformat()}
    if end is not None:
        period["end"] = end.isoformat()
    return period


def _identifier(system: str, value: str) -> list[dict[str, str]]:
    return [{"system": system, "value": value}]


def care_team(case: Case, links: CaseLinks) -> dict[str, Any] | None:
    """The case's staff as a CareTeam, or ``None`` when no one was assigned."""
    found = case.staff_assignments
    if not found:
        return None
    participants = []
    for assignment in found:
        role = "coordinator" if assignment.coordinator else "staff"
        staff = {"system": STAFF_SYSTEM, "value": assignment.staff}
        participants.append(
            {
                "role": [{"coding": [_coding(ROLE_SYSTEM, role, _ROLES[role])]}],
                "member": {"identifier": staff | {"assigner": {"reference": links.team}}},
                "period": _period(assignment.since, assignment.until),
            }
        )
    ends = [a.until for a in found]
    last = None if None in ends else max(e for e in ends if e is not None)
    return {
        "resourceType": "CareTeam",
        "identifier": _identifier(CARE_TEAM_SYSTEM, str(case.code)),
        "status": "active" if last is None else "inactive",
        "subject": {"reference": links.patient},
        "period": _period(min(a.since for a in found), last),
        "participant": participants,
        "managingOrganization": [{"reference": links.team}],
    }


def _last_planned(case: Case, key: str) -> Waived | Rescheduled | None:
    """The last waiver or rescheduling of the milestone ``key``."""
    found = None
    for event in case.events:
        if isinstance(event, Waived | Rescheduled) and event.task == key:
            found = event
    return found


def _step_name(key: str, names: dict[str, str]) -> str:
    if key in names:
        return names[key]
    if has_translation(key, "nb", context="milestone"):
        return _nb(key, context="milestone")
    return key.replace("_", " ")


def _state(case: Case, milestone: Milestone) -> dict[str, Any]:
    """The Task's status and what goes with it (the mapping in the module's docstring)."""
    if milestone.done_on is not None:
        done = milestone.done_on.isoformat()
        return {"status": "completed", "executionPeriod": {"end": done}, "lastModified": done}
    planned = _last_planned(case, milestone.key)
    if milestone.waived is not None:
        reason = _coding(WAIVER_SYSTEM, milestone.waived.value, _WAIVERS[milestone.waived])
        state: dict[str, Any] = {"status": "cancelled", "statusReason": {"coding": [reason]}}
    elif isinstance(planned, Rescheduled):
        moved = _coding(TASK_STATE_SYSTEM, "rescheduled", _RESCHEDULED)
        state = {"status": "requested", "businessStatus": {"coding": [moved]}}
    else:
        return {"status": "requested"}
    if planned is not None:
        state["lastModified"] = planned.on.isoformat()
    return state


def task(case: Case, milestone: Milestone, name: str, links: CaseLinks) -> dict[str, Any]:
    """One milestone of the case as a Task."""
    resource: dict[str, Any] = {
        "resourceType": "Task",
        "identifier": _identifier(TASK_SYSTEM, f"{case.code}#{milestone.key}"),
        "basedOn": [{"reference": links.plan}],
    }
    resource |= _state(case, milestone)
    accepted = case.accepted_on or case.referred_on
    return resource | {
        "intent": "plan",
        "code": {"coding": [{"system": STEP_SYSTEM, "code": milestone.key, "display": name}]},
        "description": name,
        "for": {"reference": links.patient},
        "authoredOn": accepted.isoformat(),
        "owner": {"reference": links.team},
        "restriction": {"period": {"end": milestone.due.isoformat()}},
    }


def case_work(
    case: Case, team: Team, template: PathwayTemplate | None, links: CaseLinks
) -> list[tuple[str, dict[str, Any]]]:
    """The case's CareTeam (when it has staff) and a Task per milestone, each with the name
    its fullUrl is made from (``care-team``, ``task/<key>``)."""
    found: list[tuple[str, dict[str, Any]]] = []
    staff = care_team(case, links)
    if staff is not None:
        found.append(("care-team", staff))
    names = {} if template is None else {s.key: s.name for s in template.steps}
    for milestone in milestones(case, target=team.follow_up_target, template=template):
        found.append(
            (
                f"task/{milestone.key}",
                task(case, milestone, _step_name(milestone.key, names), links),
            )
        )
    return found


def code_system(
    url: str, name: str, concepts: Iterable[tuple[str, str, str | None]]
) -> dict[str, Any]:
    """A CodeSystem of the library's own codes: each concept's display in Norwegian Bokmål,
    with nn and en as designations. ``concepts`` are (code, message id, catalog context)."""
    concept = []
    for code, message, context in concepts:
        designations = [
            {"language": locale, "value": translate(message, locale, context=context)}
            for locale in LOCALES
            if locale != "nb"
        ]
        concept.append(
            {"code": code, "display": _nb(message, context=context), "designation": designations}
        )
    return {
        "resourceType": "CodeSystem",
        "url": url,
        "name": name,
        "status": "active",
        "content": "complete",
        "language": "nb",
        "concept": concept,
    }


def work_code_systems() -> Sequence[dict[str, Any]]:
    """The code systems of the CareTeam's roles and the Tasks' reasons and states."""
    return [
        code_system(ROLE_SYSTEM, "CareTeamRole", ((k, m, None) for k, m in _ROLES.items())),
        code_system(
            WAIVER_SYSTEM, "WaiverReason", ((k.value, m, None) for k, m in _WAIVERS.items())
        ),
        code_system(TASK_STATE_SYSTEM, "TaskState", [("rescheduled", _RESCHEDULED, None)]),
    ]
