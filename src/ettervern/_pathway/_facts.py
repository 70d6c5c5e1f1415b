"""Facts a team records about a case beside its course: consent, goals and a move.

*Consent* (samtykke) is given and withdrawn per scope: to talk with the person's relatives, GP,
NAV or the specialist service (seeds ``001_…``, ``002_…``, ``003_…``). *Goals* are set per life
domain from the person's own wishes (seed ``000_…``, «mål og plan ut fra brukerens egne
ønsker»): a target score on the domain's scale, a due date, and a status (open, met, dropped). A
*move* to another member municipality during follow-up changes which member the hours after
the move count for; the case keeps its code. Each is an event of the case's history, kept to its
rules there (``_rules``); the functions here read the history as it stood on a day.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterable
from typing import Any, ClassVar

import attrs

from ettervern._core import LifeDomain, Municipality, Score, enum_member, register
from ettervern._l10n import Message
from ettervern._pathway._staffing import check_date
from ettervern.errors import InvalidValueError

__all__ = [
    "ConsentGiven",
    "ConsentScope",
    "ConsentWithdrawn",
    "Goal",
    "GoalReviewed",
    "GoalSet",
    "GoalStatus",
    "Moved",
    "consent_in_force",
    "goals_on",
    "municipality_on",
]


class ConsentScope(enum.StrEnum):
    """Whom the person lets the team talk with about them (samtykke til samarbeid)."""

    RELATIVES = "relatives"
    """Relatives (pårørende)."""
    GP = "gp"
    """The person's GP (fastlege)."""
    NAV = "nav"
    """The labour and welfare service."""
    SPECIALIST_SERVICE = "specialist_service"
    """The specialist health service (spesialisthelsetjenesten: TSB, DPS)."""


class GoalStatus(enum.StrEnum):
    """Where a goal stands: open until it is met or dropped."""

    OPEN = "open"
    MET = "met"
    """Reached (nådd)."""
    DROPPED = "dropped"
    """Given up, by the person or with them (lagt bort)."""


def _scope(value: ConsentScope | str) -> ConsentScope:
    return enum_member(ConsentScope, "scope", value)


def _domain(value: LifeDomain | str) -> LifeDomain:
    return enum_member(LifeDomain, "domain", value)


def _target(value: Score | int) -> Score:
    if isinstance(value, int) and not isinstance(value, bool) and value in set(Score):
        return Score(value)
    msg = Message(
        "target must be a score, one of {choices} (higher is better), got {value!r}",
        choices=[score.value for score in Score],
        value=value,
    )
    raise InvalidValueError(msg, field="target", value=value)


def _review(value: GoalStatus | str) -> GoalStatus:
    status = enum_member(GoalStatus, "status", value)
    if status is GoalStatus.OPEN:
        msg = Message("a goal is reviewed as met or dropped; it is open until then")
        raise InvalidValueError(msg, field="status", value=status.value)
    return status


def _municipality(value: Municipality | str) -> Municipality:
    return value if isinstance(value, Municipality) else register().get(value)


@attrs.frozen(kw_only=True)
class ConsentGiven:
    """The person consents, from ``on``, to the team's cooperation with ``scope``."""

    tag: ClassVar[str] = "consent_given"
    on: dt.date = attrs.field(validator=check_date)
    scope: ConsentScope = attrs.field(converter=_scope)


@attrs.frozen(kw_only=True)
class ConsentWithdrawn:
    """The person withdraws, from ``on``, the consent for ``scope`` (may come after closure)."""

    tag: ClassVar[str] = "consent_withdrawn"
    on: dt.date = attrs.field(validator=check_date)
    scope: ConsentScope = attrs.field(converter=_scope)


@attrs.frozen(kw_only=True)
class GoalSet:
    """A goal in a life domain, set on ``on`` from the person's own wishes: reach ``target`` on
    the domain's scale by ``due``. Its words stay with the team: no free text is stored."""

    tag: ClassVar[str] = "goal_set"
    on: dt.date = attrs.field(validator=check_date)
    domain: LifeDomain = attrs.field(converter=_domain)
    target: Score = attrs.field(converter=_target)
    due: dt.date = attrs.field(validator=check_date)


@attrs.frozen(kw_only=True)
class GoalReviewed:
    """The open goal of a life domain is met or dropped on ``on``."""

    tag: ClassVar[str] = "goal_reviewed"
    on: dt.date = attrs.field(validator=check_date)
    domain: LifeDomain = attrs.field(converter=_domain)
    status: GoalStatus = attrs.field(converter=_review)


@attrs.frozen(kw_only=True)
class Moved:
    """The person moves, on ``on``, to ``municipality`` (another member): the hours logged from
    that day count for it; the case keeps its code."""

    tag: ClassVar[str] = "moved"
    on: dt.date = attrs.field(validator=check_date)
    municipality: Municipality = attrs.field(converter=_municipality)


@attrs.frozen(kw_only=True)
class Goal:
    """A goal as it stands: its domain, target and due date, when set, and its status."""

    domain: LifeDomain = attrs.field(converter=_domain)
    target: Score = attrs.field(converter=_target)
    due: dt.date
    set_on: dt.date
    status: GoalStatus = GoalStatus.OPEN
    reviewed_on: dt.date | None = None

    def overdue_on(self, on: dt.date) -> bool:
        """Whether the goal is still open after its due date on ``on``."""
        return self.status is GoalStatus.OPEN and on > self.due


def consent_in_force(events: Iterable[Any], on: dt.date) -> frozenset[ConsentScope]:
    """The scopes of consent in force on ``on``: given on or before it, not withdrawn since.
    A consent given or withdrawn on ``on`` is in force, or not, from that day."""
    scopes: set[ConsentScope] = set()
    for event in events:
        if event.on > on:
            break
        if isinstance(event, ConsentGiven):
            scopes.add(event.scope)
        elif isinstance(event, ConsentWithdrawn):
            scopes.discard(event.scope)
    return frozenset(scopes)


def goals_on(events: Iterable[Any], on: dt.date | None = None) -> tuple[Goal, ...]:
    """Every goal set up to ``on`` (all, with ``None``), in the order set, as it stood then."""
    goals: list[Goal] = []
    for event in events:
        if on is not None and event.on > on:
            break
        if isinstance(event, GoalSet):
            goals.append(
                Goal(domain=event.domain, target=event.target, due=event.due, set_on=event.on)
            )
        elif isinstance(event, GoalReviewed):
            index = max(i for i, goal in enumerate(goals) if goal.domain is event.domain)
            goals[index] = attrs.evolve(goals[index], status=event.status, reviewed_on=event.on)
    return tuple(goals)


def municipality_on(events: Iterable[Any], home: Municipality, on: dt.date) -> Municipality:
    """The municipality the person lives in on ``on``: ``home`` (the case's) until a move."""
    found = home
    for event in events:
        if event.on > on:
            break
        if isinstance(event, Moved):
            found = event.municipality
    return found
