"""FHIR R4 resources of a case's consent, goals and risk assessment (Consent, Goal,
RiskAssessment), added to the bundle of ``to_fhir``.

``from_fhir`` reads a case's consents and goals back from its Consent and Goal resources (each
linked to its EpisodeOfCare by ettervern's episode extension); they are not repeated in the
episode's event extensions. The RiskAssessment is a view only: the step it records travels in
the CarePlan.

- **Consent**: one per consent given, ``active`` while in force and ``inactive`` once withdrawn
  (its provision's period ends the day before the withdrawal; a consent withdrawn the day it
  was given ends that day and carries ettervern's ``consent-withdrawn`` extension); the scope is
  the provision's ``code``, from ettervern's code system ``consent-scope`` (relatives, GP, NAV, the specialist
  service). R4 requires a ``policyRule``: HL7's ``OPTIN``.
- **Goal**: one per goal set, its life domain the description and the target's measure, the
  target score ``detailInteger`` and the due date ``dueDate``; open is ``active`` and
  ``in-progress``, met ``completed`` and ``achieved``, dropped ``cancelled``.
- **RiskAssessment** rather than **Flag**: the team records *that* the risk assessment before
  start (farlighetsvurdering, seed ``000_…``) was done, on which day, and never its finding. A
  Flag asserts a standing hazard to warn every reader of the record; a RiskAssessment records an
  assessment made, and leaves out its ``prediction`` when none is shared.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from ettervern._core import LifeDomain
from ettervern._l10n import translate
from ettervern._pathway import (
    Case,
    ConsentGiven,
    ConsentWithdrawn,
    GoalStatus,
    goals_on,
)

__all__ = [
    "CONSENT_SCOPE_SYSTEM",
    "CONSENT_WITHDRAWN_EXTENSION",
    "LIFE_DOMAIN_SYSTEM",
    "RISK_STEP",
    "care_resources",
]

_BASE = "urn:ettervern:fhir"
CONSENT_SCOPE_SYSTEM = f"{_BASE}:CodeSystem:consent-scope"
"""The code system of the consent scopes (``relatives``, ``gp``, ``nav``, ``specialist_service``)."""
CONSENT_WITHDRAWN_EXTENSION = f"{_BASE}:StructureDefinition:consent-withdrawn"
"""The day a consent was withdrawn, when it was the day it was given. R4 Consent has no element
for the withdrawal: the provision's period ends the day before it, which for a consent withdrawn
the day it was given would end before it began; the period then ends on that day and this
extension says it was withdrawn that day."""
LIFE_DOMAIN_SYSTEM = f"{_BASE}:CodeSystem:life-domain"
"""The code system of the eight life domains, by their keys."""
_CONSENT_ID = f"{_BASE}:consent"
_GOAL_ID = f"{_BASE}:goal"
_RISK_ID = f"{_BASE}:risk-assessment"
_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
_CONSENT_SCOPE = "http://terminology.hl7.org/CodeSystem/consentscope"
_CONSENT_CATEGORY = "http://loinc.org"
_ACHIEVEMENT = "http://terminology.hl7.org/CodeSystem/goal-achievement"
RISK_STEP = "risk_assessment"
"""The key of the template step that is the risk assessment before start."""

_GOAL_STATES = {
    GoalStatus.OPEN: ("active", "in-progress"),
    GoalStatus.MET: ("completed", "achieved"),
    GoalStatus.DROPPED: ("cancelled", "not-achieved"),
}
"""Each goal status as the Goal's ``lifecycleStatus`` and ``achievementStatus``."""

Resource = tuple[str, dict[str, Any], tuple[str, str]]
"""A resource to add: the last part of its fullUrl, the resource, its identifier."""


def _nb(key: str, context: str) -> str:
    return translate(key, "nb", context=context)


def _domain(domain: LifeDomain) -> dict[str, Any]:
    coding = {
        "system": LIFE_DOMAIN_SYSTEM,
        "code": domain.value,
        "display": _nb(domain.value, "domain"),
    }
    return {"coding": [coding]}


def _consents(case: Case, patient: str) -> list[Resource]:
    found: list[Resource] = []
    events = case.events
    for position, event in enumerate(events):
        if not isinstance(event, ConsentGiven):
            continue
        withdrawn = next(
            (
                later.on
                for later in events[position + 1 :]
                if isinstance(later, ConsentWithdrawn) and later.scope is event.scope
            ),
            None,
        )
        period = {"start": event.on.isoformat()}
        extension: list[dict[str, str]] = []
        if withdrawn is not None:
            # In force up to the day before the withdrawal, but never ending before it began:
            # a consent given and withdrawn on one day was in force for part of that day.
            period["end"] = max(event.on, withdrawn - dt.timedelta(days=1)).isoformat()
            if withdrawn == event.on:  # the period cannot say it: the day is the extension's
                extension = [
                    {"url": CONSENT_WITHDRAWN_EXTENSION, "valueDate": event.on.isoformat()}
                ]
        scope = {
            "system": CONSENT_SCOPE_SYSTEM,
            "code": event.scope.value,
            "display": _nb(event.scope.value, "scope"),
        }
        resource: dict[str, Any] = {
            "resourceType": "Consent",
            "status": "active" if withdrawn is None else "inactive",
            "scope": {"coding": [{"system": _CONSENT_SCOPE, "code": "patient-privacy"}]},
            "category": [{"coding": [{"system": _CONSENT_CATEGORY, "code": "59284-0"}]}],
            "patient": {"reference": patient},
            "dateTime": event.on.isoformat(),
            "policyRule": {"coding": [{"system": _ACT_CODE, "code": "OPTIN"}]},
            "provision": {"type": "permit", "period": period, "code": [{"coding": [scope]}]},
        }
        if extension:
            resource["extension"] = extension
        found.append((f"consent/{position}", resource, (_CONSENT_ID, f"{case.code}#{position}")))
    return found


def _goals(case: Case, patient: str) -> list[Resource]:
    found: list[Resource] = []
    for number, goal in enumerate(goals_on(case.events)):
        lifecycle, achievement = _GOAL_STATES[goal.status]
        resource: dict[str, Any] = {
            "resourceType": "Goal",
            "lifecycleStatus": lifecycle,
            "achievementStatus": {"coding": [{"system": _ACHIEVEMENT, "code": achievement}]},
            "description": _domain(goal.domain),
            "subject": {"reference": patient},
            "startDate": goal.set_on.isoformat(),
            "target": [
                {
                    "measure": _domain(goal.domain),
                    "detailInteger": int(goal.target),
                    "dueDate": goal.due.isoformat(),
                }
            ],
        }
        if goal.reviewed_on is not None:
            resource["statusDate"] = goal.reviewed_on.isoformat()
        found.append((f"goal/{number}", resource, (_GOAL_ID, f"{case.code}#{number}")))
    return found


def _risk(case: Case, patient: str, episode: str) -> list[Resource]:
    done = case.done_on(RISK_STEP)
    if done is None:
        return []
    resource = {
        "resourceType": "RiskAssessment",
        "status": "final",
        "code": {"coding": [{"system": f"{_BASE}:CodeSystem:pathway-step", "code": RISK_STEP}]},
        "subject": {"reference": patient},
        "occurrenceDateTime": done.isoformat(),
        "basis": [{"reference": episode}],  # an EpisodeOfCare is no Encounter
    }
    return [("risk-assessment", resource, (_RISK_ID, str(case.code)))]


def care_resources(case: Case, patient: str, episode: str) -> list[Resource]:
    """The Consent, Goal and RiskAssessment resources of ``case``, whose Patient and
    EpisodeOfCare have the fullUrls ``patient`` and ``episode``."""
    return [*_consents(case, patient), *_goals(case, patient), *_risk(case, patient, episode)]
