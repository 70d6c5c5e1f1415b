"""FHIR R4 Encounters of the team's group sessions (``GroupLog``), added to the bundle of
``to_fhir`` when it is given ``groups=``.

R4's Encounter has one ``subject``, and its ``participant`` names practitioners and related
persons, never patients. So, as HL7's Encounter page describes for a group (``partOf``: "a
group therapy session"), a session is one Encounter without a subject, and each person who came
an Encounter of their own, ``partOf`` the session, whose ``subject`` is the case's Patient and
``episodeOfCare`` the case's EpisodeOfCare. A code not among the bundle's cases is referred to
by its identifier (a logical reference), never dropped. Both are class ``AMB`` (ambulatory: the
person comes to the team's group) and ``finished``; the type says a group session
(ettervern's ``encounter-kind``) and the group offer (``…:group-offer``, the team's key). No
name, no place, no free text.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any

from ettervern._l10n import N_
from ettervern._pathway import GroupLog

__all__ = ["ENCOUNTER_KIND_SYSTEM", "GROUP_OFFER_SYSTEM", "group_concepts", "group_resources"]

_BASE = "urn:ettervern:fhir"
ENCOUNTER_KIND_SYSTEM = f"{_BASE}:CodeSystem:encounter-kind"
"""ettervern's kinds of Encounter beside a stay: a group session."""
GROUP_OFFER_SYSTEM = f"{_BASE}:group-offer"
"""The team's group offers, by their keys (``group_offer``, ``turgruppe``)."""
_SESSION_ID = f"{_BASE}:group-session"
_ACT_CODE = "http://terminology.hl7.org/CodeSystem/v3-ActCode"
_GROUP_SESSION = N_("group session")

Resource = tuple[str, dict[str, Any], tuple[str, str]]
"""A resource to add: the last part of its fullUrl, the resource, its identifier."""


def group_concepts() -> list[tuple[str, str, str | None]]:
    """The concepts of ``ENCOUNTER_KIND_SYSTEM``: (code, message id, catalog context)."""
    return [("group_session", _GROUP_SESSION, None)]


def _kind(offer: str) -> list[dict[str, Any]]:
    return [
        {"coding": [{"system": ENCOUNTER_KIND_SYSTEM, "code": "group_session"}]},
        {"coding": [{"system": GROUP_OFFER_SYSTEM, "code": offer}]},
    ]


def _identified(common: Mapping[str, Any], value: str) -> dict[str, Any]:
    return {**common, "identifier": [{"system": _SESSION_ID, "value": value}]}


def group_resources(
    log: GroupLog,
    cases: Mapping[str, tuple[str, str]],
    team: str,
    case_system: str,
    url: Callable[[str], str],
) -> list[Resource]:
    """The Encounters of ``log``'s sessions and of each person at them. ``cases`` gives a
    case code's Patient and EpisodeOfCare fullUrls, ``team`` the team's Organization's, and
    ``url`` the fullUrl of a resource by its part (``group/0``)."""
    found: list[Resource] = []
    for number, session in enumerate(log):
        day = session.on.isoformat()
        key = f"{day}#{session.offer}"
        common = {
            "resourceType": "Encounter",
            "status": "finished",
            "class": {"system": _ACT_CODE, "code": "AMB", "display": "ambulatory"},
            "type": _kind(session.offer),
            "period": {"start": day, "end": day},
            "serviceProvider": {"reference": team},
        }
        found.append((f"group/{number}", _identified(common, key), (_SESSION_ID, key)))
        for code in session.attendees:
            part = _identified(common, f"{key}#{code}")
            part["partOf"] = {"reference": url(f"group/{number}")}
            known = cases.get(code)
            if known is None:  # not in the bundle: the case by its code
                part["subject"] = {"identifier": {"system": case_system, "value": code}}
            else:
                part["subject"] = {"reference": known[0]}
                part["episodeOfCare"] = [{"reference": known[1]}]
            found.append((f"group/{number}/{code}", part, (_SESSION_ID, f"{key}#{code}")))
    return found
