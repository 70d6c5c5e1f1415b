"""Cases checked against their team: membership on the referral date, and the code's scheme,
letters and year.

A case on its own knows the register's municipality and a code; only the team knows whether that
municipality was a member when the person was referred, which letters it gives it and how it
writes its codes. Reports and due lists of a team check its cases with [`check_case()`][ettervern.check_case], so a
Bergen case is not counted in a Jæren team's report without a word.
"""

from __future__ import annotations

import datetime as dt
import functools
import itertools
import time
from collections.abc import Iterable, Iterator
from typing import Any, Protocol, TypeVar

from ettervern._core import (
    CaseCode,
    CodeScheme,
    Municipality,
    Team,
    memberships_by_municipality,
)
from ettervern._l10n import N_, Message
from ettervern._pathway._facts import Moved
from ettervern.errors import EttervernError, PathwayError

RISK_ASSESSMENT = "risk_assessment"
"""The key of the risk assessment before start (farlighetsvurdering), a step of Salten's
template (seed ``000_…``: «kartlegging ved farlighetsproblematikk før oppstart av sak»)."""

__all__ = [
    "RISK_ASSESSMENT",
    "TEAM_RULES",
    "TeamCheck",
    "check_batch",
    "check_case",
    "check_cases",
    "checked_each",
    "event_kinds",
    "team_check",
]

TEAM_RULES = {
    "not_a_member": N_("{municipality} is not a member of the team {team!r} on {date}"),
    "code_scheme": N_("the code is not written in the team's scheme; expected {expected}"),
    "code_letters": N_(
        "the code's letters {letters!r} are not the team's letters for {municipality} ({own!r})"
    ),
    "code_year": N_("the code's year {year} is not the year of the referral ({referred})"),
    "moved_to_non_member": N_(
        "the person moved on {date} to {municipality}, which is not a member of the team then"
    ),
    "visit_before_risk_assessment": N_(
        "the step {step!r} on {date} waits for the risk assessment before start, which the "
        "team's rule asks for first (done or waived)"
    ),
    "outside_team_dates": N_(
        "its events, {first} to {last}, lie outside the team's plausible dates, {earliest} to "
        "{latest}"
    ),
}
"""The rules between a case and its team, by their stable key ([`PathwayError.rule`][ettervern.errors.PathwayError])."""


class _Case(Protocol):
    """What the check reads of a [`Case`][ettervern.Case] (``Case.refer`` calls in here, so
    this module does not import it)."""

    @property
    def code(self) -> CaseCode: ...
    @property
    def municipality(self) -> Municipality: ...
    @property
    def referred_on(self) -> dt.date: ...
    @property
    def referral(self) -> object: ...
    @property
    def events(self) -> tuple[Any, ...]: ...


C = TypeVar("C", bound=_Case)


_BELONGS = N_("case {case}: does not belong to the team: {reason} (rule {rule!r})")
_HEADLINES = {
    "moved_to_non_member": N_("case {case}: moved outside the team: {reason} (rule {rule!r})"),
    "visit_before_risk_assessment": N_(
        "case {case}: recorded before the risk assessment: {reason} (rule {rule!r})"
    ),
}
"""What is wrong, said first, for the rules that are not about where a case belongs."""


def _refuse(case: _Case, rule: str, **values: object) -> PathwayError:
    msg = Message(
        _HEADLINES.get(rule, _BELONGS),
        case=str(case.code),
        reason=Message(TEAM_RULES[rule], **values),
        rule=rule,
    )
    return PathwayError(msg, case=case.code, event=case.referral, rule=rule)


def check_case(case: C, team: Team) -> C:
    """Return ``case`` if it belongs to ``team``, else raise.

    The commissioning municipality must be a member on the referral date, the code must be
    written in the team's scheme, its letters must be the team's letters for that municipality
    and its year the referral's year, and every event must lie within the team's plausible
    dates ([`Team.plausible_dates`][ettervern.Team.plausible_dates]).

    Raises:
        PathwayError: with the rule broken (``"not_a_member"``, ``"code_scheme"``,
            ``"code_letters"``, ``"code_year"`` or ``"outside_team_dates"``), a move to a
            municipality that is not a member then (``"moved_to_non_member"``), or, with the
            team's [`risk_assessment_before`][ettervern.Team.risk_assessment_before], that step
            recorded before the risk assessment was done or waived
            (``"visit_before_risk_assessment"``).
    """
    return team_check(team).check(case)


def team_check(team: Team) -> TeamCheck:
    """The check of ``team``'s cases as of today (``check_case``, with what it reads of the
    team read once: a due list or report checks thousands of cases against one team)."""
    return _team_check(team, int(time.time() // 86400))


@functools.lru_cache(maxsize=64)
def _team_check(team: Team, _day: int) -> TeamCheck:
    """Remembered by team and day: a team's plausible dates end ten years after today."""
    return TeamCheck(team)


class TeamCheck:
    """``check_case`` against one team: its plausible dates, its memberships by municipality
    and its code scheme, read once (see ``team_check``)."""

    __slots__ = ("_dates", "_equal", "_members", "_scheme", "_team")

    def __init__(self, team: Team) -> None:
        self._team = team
        self._dates = team.plausible_dates
        self._scheme = team.code_scheme
        self._equal: CodeScheme | None = None  # the last scheme found equal to the team's
        self._members = memberships_by_municipality(team)  # the index ``Team.membership`` uses

    def check(self, case: C, *, moves: bool = True) -> C:
        """``check_case(case, team)``; ``moves=False`` when it is known that no case of the
        batch records a move (``event_kinds``), so its events are not searched for one."""
        referred = case.referred_on
        earliest, latest = self._dates
        last = case.events[-1].on  # events are kept in date order
        if referred < earliest or last > latest:
            raise _refuse(
                case,
                "outside_team_dates",
                first=referred,
                last=last,
                earliest=earliest,
                latest=latest,
            )
        team = self._team
        membership = self._members.get(case.municipality)
        if membership is None or not membership.active_on(referred):
            raise _refuse(
                case,
                "not_a_member",
                municipality=case.municipality.name,
                team=team.name,
                date=referred,
            )
        scheme = case.code.scheme
        try:  # a code read in the team's scheme is in it; any other is read again
            same = scheme is self._scheme or scheme is self._equal or scheme == self._scheme
            if same:  # most cases share one scheme object, equal to the team's: remembered
                self._equal = scheme
            code = case.code if same else team.parse_code(str(case.code))
        except EttervernError:
            raise _refuse(case, "code_scheme", expected=self._scheme.describe()) from None
        own = membership.letters
        if code.municipality != own:
            raise _refuse(
                case,
                "code_letters",
                letters=code.municipality,
                municipality=case.municipality.name,
                own=own,
            )
        if code.year != referred.year:
            raise _refuse(case, "code_year", year=code.year, referred=referred)
        self._check_facts(case, moves)
        return case

    def check_all(self, cases: Iterable[C], *, moves: bool) -> list[C]:
        """``check`` of each of ``cases``, in order (``passed``)."""
        return list(self.passed(cases, moves=moves))

    def passed(self, cases: Iterable[C], *, moves: bool) -> Iterator[C]:
        """Each of ``cases`` in order, once ``check`` passes it: checked as it is reached, so
        that a pass that reads the cases anyway (the annual report's walk) checks them on its
        way and stops at the first case refused, with ``check``'s error.

        The usual case is seen inline: within the team's dates, of a member on its referral
        day, its code in the team's scheme (the same object, or the one found equal before)
        with that member's letters and the referral's year, and no rule of moves or of the
        risk assessment to keep. Any other case goes through ``check``, which passes it or
        names the rule it breaks."""
        if moves or self._team.risk_assessment_before is not None:
            for case in cases:
                yield self.check(case, moves=moves)
            return
        latest, scheme, equal = self._dates[1], self._scheme, self._equal
        by_place: dict[int, tuple[str, dt.date, dt.date]] = {}  # by the identity of a value
        for case in cases:
            events, code, place = case.events, case.code, case.municipality
            referred = events[0].on
            usual = by_place.get(id(place))
            if usual is None:
                usual = by_place[id(place)] = self._usual_days(place)
            if not (
                usual[1] <= referred <= usual[2]
                and referred <= events[-1].on <= latest
                and code.year == referred.year
                and code.municipality == usual[0]
                and (code.scheme is scheme or code.scheme is equal)
            ):
                self.check(case, moves=False)
                equal = self._equal  # the scheme found equal to the team's, if it was
            yield case

    def _usual_days(self, place: Municipality) -> tuple[str, dt.date, dt.date]:
        """The letters of the member ``place`` and the first and last day a case of it can be
        referred on, within the team's dates (``passed``); a place that is never a member has
        no such day (its cases go through ``check``, which refuses them)."""
        earliest, latest = self._dates
        membership = self._members.get(place)
        if membership is None:
            return ("", dt.date.max, dt.date.min)
        first = max(earliest, membership.since or earliest)
        last = min(latest, membership.until or latest)
        return (membership.letters, first, last)

    def _check_facts(self, case: _Case, moves: bool) -> None:
        """The team's rules on a case's moves and on its risk assessment before start."""
        for event in case.events if moves else ():
            if type(event) is Moved:
                membership = self._members.get(event.municipality)
                if membership is None or not membership.active_on(event.on):
                    name = event.municipality.name
                    raise _refuse(case, "moved_to_non_member", date=event.on, municipality=name)
        visit = self._team.risk_assessment_before
        if visit is not None:
            _check_risk_first(case, visit)


def _check_risk_first(case: _Case, visit: str) -> None:
    """Refuse ``case`` if the step ``visit`` began before the risk assessment was done or
    waived (``"visit_before_risk_assessment"``)."""
    cleared: dt.date | None = None
    for event in case.events:
        tag = event.tag
        task = getattr(event, "task", getattr(event, "step", None))
        if task == RISK_ASSESSMENT and tag in {"step", "task", "waived"} and cleared is None:
            cleared = event.on
        if task == visit and tag in {"step", "task"} and (cleared is None or cleared > event.on):
            raise _refuse(case, "visit_before_risk_assessment", step=visit, date=event.on)


def check_cases(cases: Iterable[C], team: Team) -> list[C]:
    """Check each case with [`check_case()`][ettervern.check_case]; return them as a list."""
    listed = list(cases)
    return check_batch(listed, team, event_kinds(listed))


def check_batch(cases: Iterable[C], team: Team, kinds: frozenset[type]) -> list[C]:
    """``check_cases`` once the kinds of event the cases hold are known (``event_kinds``)."""
    return team_check(team).check_all(cases, moves=Moved in kinds)


def checked_each(cases: Iterable[C], team: Team, kinds: frozenset[type]) -> Iterator[C]:
    """``check_batch`` one case at a time, as a pass over the cases reaches each
    (``TeamCheck.passed``): the same cases refused, with the same errors, in the same order."""
    return team_check(team).passed(cases, moves=Moved in kinds)


def event_kinds(cases: Iterable[_Case]) -> frozenset[type]:
    """The kinds (classes) of event that ``cases`` hold between them, found in one pass run in
    C: a batch in which no case records a move, a goal or consent skips looking for them case
    by case."""
    return frozenset(map(type, itertools.chain.from_iterable(case.events for case in cases)))
