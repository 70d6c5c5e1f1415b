"""Outcomes (resultater): life domains scored on a small ordinal scale, and outcome flags.

The eight life domains are those of the national BrukerPlan mapping (Helsedirektoratet's
municipal survey of people with substance-use and mental-health problems): substance use,
finances, mental health, physical health, housing, social functioning, network, and work or
activity. The Salten team asks three months after closure whether the change lasted "to the
extent it is measurable" (seed ``000_…``); scoring the same domains at intake, at closure and at
the three-month check makes that measurable. Jæren's goals (seed ``002_…``) give the flags.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ettervern._contract import enum_member
from ettervern._core._validators import check_field

__all__ = [
    "AssessmentPoint",
    "LifeDomain",
    "Outcome",
    "OutcomeFlag",
    "Score",
    "domain_change",
    "enum_member",
]


class LifeDomain(enum.StrEnum):
    """The eight BrukerPlan life domains (livsområder)."""

    SUBSTANCE_USE = "substance_use"
    """Rusmiddelbruk."""
    FINANCES = "finances"
    """Økonomi."""
    MENTAL_HEALTH = "mental_health"
    """Psykisk helse."""
    PHYSICAL_HEALTH = "physical_health"
    """Fysisk helse."""
    HOUSING = "housing"
    """Boforhold."""
    SOCIAL_FUNCTIONING = "social_functioning"
    """Sosial fungering."""
    NETWORK = "network"
    """Nettverk."""
    WORK_ACTIVITY = "work_activity"
    """Arbeid og aktivitet."""


class Score(enum.IntEnum):
    """The library's ordinal scale for one life domain: higher is better.

    Three steps, so that two staff can agree on them after a conversation: 1 serious problems,
    2 some problems, 3 no or minor problems. Map a finer instrument onto them before recording.
    Only the order is meaningful; a change of +1 is "one step better".
    """

    SERIOUS_PROBLEMS = 1
    SOME_PROBLEMS = 2
    NO_PROBLEMS = 3


class OutcomeFlag(enum.StrEnum):
    """Outcomes that are a yes or no, after Jæren's goals and reports (seed ``002_…``)."""

    ORDINARY_WORK = "ordinary_work"
    """In ordinary paid work (ordinært arbeid)."""
    EDUCATION = "education"
    """In education (utdanning)."""
    RESIDENTIAL_TREATMENT = "residential_treatment"
    """Went on to residential treatment (døgnbehandling)."""
    RELAPSE = "relapse"
    """Relapsed (tilbakefall)."""


class AssessmentPoint(enum.StrEnum):
    """When outcomes are scored: at intake, at closure and at the three-month check."""

    INTAKE = "intake"
    CLOSURE = "closure"
    THREE_MONTH_CHECK = "three_month_check"


def _score(value: Any) -> Score | None:
    if value is None or isinstance(value, Score):
        return value
    check_field(
        isinstance(value, int)
        and not isinstance(value, bool)
        and value in {s.value for s in Score},
        "a score must be one of {choices} (higher is better), got {value!r}",
        field="score",
        value=value,
        choices=[s.value for s in Score],
    )
    return Score(value)


def _flags(values: Iterable[OutcomeFlag | str] | str) -> frozenset[OutcomeFlag]:
    if isinstance(values, str):
        values = [values]
    check_field(
        isinstance(values, Iterable),
        "flags must be a list of flag keys, got {value!r}",
        field="flags",
        value=values,
    )
    return frozenset(enum_member(OutcomeFlag, "flag", v) for v in values)


@attrs.frozen(kw_only=True)
class Outcome:
    """One assessment: a score per life domain (``None`` = not scored) and outcome flags.

    >>> before = Outcome(housing=1, substance_use=2)
    >>> after = Outcome(housing=3, substance_use=2, flags=["ordinary_work"])
    >>> domain_change(before, after)
    {<LifeDomain.SUBSTANCE_USE: 'substance_use'>: 0, <LifeDomain.HOUSING: 'housing'>: 2}
    """

    substance_use: Score | None = attrs.field(default=None, converter=_score)
    finances: Score | None = attrs.field(default=None, converter=_score)
    mental_health: Score | None = attrs.field(default=None, converter=_score)
    physical_health: Score | None = attrs.field(default=None, converter=_score)
    housing: Score | None = attrs.field(default=None, converter=_score)
    social_functioning: Score | None = attrs.field(default=None, converter=_score)
    network: Score | None = attrs.field(default=None, converter=_score)
    work_activity: Score | None = attrs.field(default=None, converter=_score)
    flags: frozenset[OutcomeFlag] = attrs.field(default=frozenset(), converter=_flags)

    @classmethod
    def from_scores(
        cls, scores: Mapping[LifeDomain | str, int], flags: Iterable[OutcomeFlag | str] = ()
    ) -> Outcome:
        """Build an outcome from a mapping of domain (member or key) to score."""
        values: dict[str, Any] = {
            enum_member(LifeDomain, "domain", k).value: v for k, v in scores.items()
        }
        return cls(**values, flags=flags)

    @property
    def scores(self) -> dict[LifeDomain, Score]:
        """The scored domains, in the order of [`LifeDomain`][ettervern.LifeDomain]."""
        found = ((d, getattr(self, d.value)) for d in LifeDomain)
        return {d: s for d, s in found if s is not None}


def domain_change(before: Outcome, after: Outcome) -> dict[LifeDomain, int]:
    """The change per life domain from ``before`` to ``after``, for domains scored in both.

    Positive is better (the scale rises with functioning), negative worse, 0 unchanged.
    """
    first, last = before.scores, after.scores
    return {d: int(last[d]) - int(first[d]) for d in LifeDomain if d in first and d in last}
