"""The annual report's tables about cases: what the team's spreadsheet could not give.

The Salten team wrote that its sheet could show neither the number of cases nor their spread over
the municipalities. These tables count **referrals** (every request the team received) apart from
**cases** (the referrals it accepted), as DOMAIN §5 of the Salten 2020 report requires: Steigen
had logged hours but no case, because its referral ended before it was accepted.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Callable, Container, Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ettervern._core import AssessmentPoint, LifeDomain, OutcomeFlag, Team, calls_within
from ettervern._l10n import N_, norwegian_sort_key
from ettervern._pathway import (
    AGE_BANDS,
    Assessment,
    Case,
    ClosureReason,
    Gender,
    ReferralSource,
    accepted_spans,
    active_between,
    active_in,
    age_band,
    checked_each,
    event_kinds,
    follow_up_lengths,
    followed_in_spans,
)
from ettervern._reports._report import Report, measure_grid_report, measure_report

__all__ = ["TABLES_APART", "TALLIED", "CaseWalk", "case_reports", "tallied_parts", "walk_cases"]

Period = tuple[dt.date, dt.date]
Lengths = tuple[dt.timedelta | None, dt.timedelta | None]
"""A case's follow-up length in the community and in calendar days (``follow_up_lengths``)."""


def _within(day: dt.date | None, period: Period) -> bool:
    return day is not None and period[0] <= day <= period[1]


_FACTS = (
    "municipality",
    "source",
    "reason",
    "referrals",
    "accepted",
    "active",
    "closed",
    "ended",
    "in_institution",
    "is_accepted",
    "checks_due",
    "checks_done",
    "contact_reached",
    *(f.value for f in OutcomeFlag),
)
"""What the counted tables need of each case, taken in one pass (one row per case)."""


_CHECK_WAIT = dt.timedelta(days=93)
"""More than three calendar months: a closure earlier than this before the period has its
check due before the period."""


def _facts(cases: Iterable[Case], period: Period) -> pd.DataFrame:
    """One row per case of the yes-or-no facts the counted tables add up, read once per case.

    Each table is then a grouped sum of these columns, so all the counted tables together cost
    one pass over the cases, not one per table and measure.
    """
    flags = list(OutcomeFlag)
    with calls_within():  # the cases' own methods, with the period's dates: not checked again
        rows = [_facts_of(case, period, flags) for case in cases]
    return pd.DataFrame(rows, columns=list(_FACTS)).astype(dict.fromkeys(_FACTS[3:], "bool"))


@attrs.frozen
class CaseWalk:
    """What one pass over the cases found for a period, shared by every case table of a report:
    the counted facts, and the cases each later table needs (a few of many, at national
    volumes), so that no table walks all the cases again."""

    facts: pd.DataFrame
    """One row per case (``_facts``)."""
    active: list[Case]
    """The cases accepted and open on some day of the period, in the given order."""
    ended: list[Case]
    """The referrals and cases closed in the period, in the given order."""
    checked: list[Case]
    """The cases whose three-month check fell in the period, in the given order."""
    kinds: frozenset[type]
    """The kinds of event the cases hold between them (``event_kinds``)."""

    period: Period
    """The period walked."""
    walked: Sequence[Case] = attrs.field(default=(), repr=False, eq=False)
    """The cases walked, in the order of ``facts``' rows."""
    positions: dict[int, int] = attrs.field(factory=dict, repr=False, eq=False)
    """Each walked case's row, by the case's identity (filled by ``restricted_to``)."""
    found_lengths: list[Lengths] = attrs.field(factory=list, repr=False, eq=False)
    """``follow_up_lengths`` of each of the ``ended`` cases (filled by ``lengths``)."""

    def lengths(self) -> list[Lengths]:
        """``follow_up_lengths`` of each of the ``ended`` cases, in order: found once, for
        the follow-up tables and the annual report's course lengths."""
        if not self.found_lengths and self.ended:
            with calls_within():
                self.found_lengths.extend(map(follow_up_lengths, self.ended))
        return self.found_lengths

    def restricted_to(self, cases: Sequence[Case]) -> CaseWalk:
        """The walk of ``cases`` over this walk's period: each case this walk has seen (the
        same object) keeps its row of facts, so a member's tables cost no second pass over
        the cases the team's tables walked. Equal to ``walk_cases(cases, period)``, a case's
        facts being its own; a case not seen here is walked (then all of them are)."""
        if not self.positions:  # made once, for all the members
            self.positions.update((id(case), i) for i, case in enumerate(self.walked))
        rows = [self.positions.get(id(case), -1) for case in cases]
        if -1 in rows or not rows:  # unseen cases (or none): walked afresh
            return walk_cases(cases, self.period)
        facts = self.facts.iloc[rows].reset_index(drop=True)
        return _walk_of(cases, self.period, facts, event_kinds(cases))

    def split(self, rows: Mapping[str, np.ndarray[Any, Any]]) -> dict[str, CaseWalk]:
        """Each group's walk, by name, from this walk's rows (``rows``: the positions of the
        group's cases among those walked, in order): no case walked or looked at again, only
        the facts and the cases found taken by position. The kinds of event are this walk's
        (a hint of what to look for, never fewer than the group's own)."""
        found = {
            column: self.facts[column].to_numpy(dtype=bool)
            for column in ("active", "ended", "checks_done")
        }
        walked = np.fromiter(self.walked, dtype=object, count=len(self.walked))

        def taken(at: np.ndarray[Any, Any]) -> list[Case]:
            return list(walked[at].tolist())  # the cases at those rows, taken at once

        return {
            name: CaseWalk(
                facts=self.facts.take(at).reset_index(drop=True),
                active=taken(at[found["active"][at]]),
                ended=taken(at[found["ended"][at]]),
                checked=taken(at[found["checks_done"][at]]),
                kinds=self.kinds,
                period=self.period,
                walked=taken(at),
            )
            for name, at in rows.items()
        }


def walk_cases(
    cases: Sequence[Case],
    period: Period,
    kinds: frozenset[type] | None = None,
    *,
    team: Team | None = None,
) -> CaseWalk:
    """The one pass over ``cases`` that the case tables of ``period`` share (``kinds``: the
    kinds of event they hold, when known already). With ``team``, the pass checks each case
    against it before reading it (``checked_each``: what ``check_cases`` refuses, refused
    with its error, at the first such case), so the cases are not walked once more to check
    them."""
    found = event_kinds(cases) if kinds is None else kinds
    read = cases if team is None else checked_each(cases, team, found)
    return _walk_of(cases, period, _facts(read, period), found)


def _walk_of(
    cases: Sequence[Case], period: Period, facts: pd.DataFrame, kinds: frozenset[type]
) -> CaseWalk:
    """The walk of ``cases`` over ``period`` whose ``facts`` (a row each, in order) are known."""

    def kept(column: str) -> list[Case]:
        keep = facts[column].tolist()
        return [case for case, chosen in zip(cases, keep, strict=True) if chosen]

    return CaseWalk(
        facts=facts,
        active=kept("active"),
        ended=kept("ended"),
        checked=kept("checks_done"),
        kinds=kinds,
        period=period,
        walked=cases,
    )


def _facts_of(case: Case, period: Period, flags: list[OutcomeFlag]) -> tuple[object, ...]:
    """The row of ``_facts`` for one case."""
    start, end = period
    accepted = case.is_accepted
    closed_on = case.closed_on
    check = case.three_month_check
    # The check is due 89-92 days after closure: month arithmetic only when it can matter.
    near = closed_on is not None and start - _CHECK_WAIT <= closed_on <= end
    due = case.three_month_check_due if near else None
    done = check is not None and _within(check.on, period)
    found = check.outcome.flags if check is not None and check.outcome is not None else ()
    source, reason = case.referral_source, case.closure_reason
    spans = accepted_spans(case, start, end) if accepted else []  # read once for both below
    return (
        case.municipality.name,
        source.value if source else "unknown",
        reason.value if reason else "other",
        _within(case.referred_on, period),
        _within(case.accepted_on, period),
        accepted and active_in(spans),
        accepted and _within(closed_on, period),
        _within(closed_on, period),
        accepted and followed_in_spans(case, spans),
        accepted,
        accepted and _within(due, period),
        done,
        done and check is not None and check.reached,
        *(flag in found for flag in flags),
    )


def _tally(facts: pd.DataFrame, by: str, measures: dict[str, pd.Series[bool]]) -> pd.DataFrame:
    """Count, per value of the ``by`` column, the cases for which each measure holds; rows
    where nothing holds are left out. The values in the order they first appear (a grouping
    unsorted), each measure counted by one ``bincount`` over the rows' codes."""
    codes, keys = pd.factorize(facts[by], sort=False)
    seen = codes >= 0  # a missing value is no group
    counts = pd.DataFrame(
        {
            name: np.bincount(
                codes[seen],
                weights=np.asarray(holds, dtype="float64")[seen],
                minlength=len(keys),
            )
            for name, holds in measures.items()
        },
        index=pd.Index([str(key) for key in keys]),
    )
    return counts[counts.sum(axis=1) > 0]


def _report(wide: pd.DataFrame, team: Team, period: Period, **options: Any) -> Report:
    """A measure table of the case reports; counts of cases show zero as an empty cell."""
    unit = options.pop("unit", "cases")
    return measure_report(
        wide, team=team, period=period, unit=unit, blank_zeros=unit == "cases", **options
    )


def _by_municipality(wide: pd.DataFrame) -> pd.DataFrame:
    return wide.reindex(sorted(wide.index, key=norwegian_sort_key))


def cases_report(
    cases: Sequence[Case], team: Team, period: Period, facts: pd.DataFrame | None = None
) -> Report:
    """Referrals and accepted cases per municipality: new, active, closed, in institution."""
    facts = _facts(cases, period) if facts is None else facts
    wide = _tally(
        facts,
        "municipality",
        {
            name: facts[name]
            for name in ("referrals", "accepted", "active", "closed", "in_institution")
        },
    )
    return _report(
        _by_municipality(wide),
        team,
        period,
        key="cases",
        title=N_("Referrals and cases"),
        rows="municipality",
        notes=[
            N_("Referrals are all requests received; cases are the referrals the team accepted."),
            N_(
                "Active: accepted and open on some day of the year. In institution: followed while in a stay."
            ),
        ],
    )


def _weeks(length: dt.timedelta | None) -> float:
    return 0.0 if length is None else length.days / 7


def follow_up_report(
    cases: Sequence[Case], team: Team, period: Period, lengths: Sequence[Lengths] | None = None
) -> list[Report]:
    """Follow-up length from discharge to closure per case, against the team's target.

    The length counts the weeks in the community: time back inside a stay (a re-admission, a
    user-controlled bed) is left out. The calendar length, stays included, is shown beside it.
    ``lengths``: each case's ``follow_up_lengths``, in order, when found already
    (``CaseWalk.lengths``).
    """
    found = sorted(
        (
            (c.code.sort_key(), c, length)  # one key per code, not attrs' <
            for c, length in zip(cases, _found(cases, lengths), strict=True)
            if length[0] is not None and _within(c.closed_on, period)  # only a case accepted
        ),
        key=lambda found: found[0],
    )
    closed = [c for _, c, _ in found]
    weeks = [_weeks(length) for _, _, (length, _) in found]
    calendar = [_weeks(length) for _, _, (_, length) in found]
    return [
        _follow_up_per_case(closed, weeks, calendar, team, period),
        _follow_up_summary(closed, weeks, calendar, team, period),
    ]


def _found(cases: Sequence[Case], lengths: Sequence[Lengths] | None) -> Iterable[Lengths]:
    """``lengths``, or each case's ``follow_up_lengths`` when they were not found already."""
    return map(follow_up_lengths, cases) if lengths is None else lengths


def _target_note(team: Team) -> tuple[str, dict[str, float]]:
    """The note that states the team's follow-up target, and its values."""
    target = team.follow_up_target
    note = (
        N_("Target: {max_weeks} weeks after discharge.")
        if target.min_weeks == target.max_weeks
        else N_("Target: {min_weeks}-{max_weeks} weeks after discharge.")
    )
    return note, {"min_weeks": float(target.min_weeks), "max_weeks": float(target.max_weeks)}


def _follow_up_per_case(
    closed: list[Case], weeks: list[float], calendar: list[float], team: Team, period: Period
) -> Report:
    """The follow-up length of each case closed in the period; the total row is the median."""
    target = team.follow_up_target.max_weeks
    per_case = pd.DataFrame(
        {
            "weeks": weeks,
            "calendar_weeks": calendar,
            "beyond_target": [1.0 if w > target else 0.0 for w in weeks],
        },
        index=[str(c.code) for c in closed],
    )
    note, values = _target_note(team)
    return _report(
        per_case,
        team,
        period,
        key="follow_up_length",
        title=N_("Follow-up length per case"),
        rows="case",
        unit="weeks",
        total_values=(
            {"weeks": statistics.median(weeks), "calendar_weeks": statistics.median(calendar)}
            if weeks
            else {}
        ),
        notes=[
            N_("Weeks from discharge to closure; the total row shows the median."),
            N_("Weeks in the community leave out time back in a stay; calendar weeks count it."),
            note,
        ],
        note_values=values,
    )


def _length_measures(lengths: list[tuple[float, float]], target: float) -> dict[str, float]:
    """Count, mean and median of (community, calendar) weeks, and how many beyond ``target``."""
    community = [w for w, _ in lengths]
    days = [c for _, c in lengths]
    return {
        "cases": float(len(lengths)),
        "beyond_target": float(sum(w > target for w in community)),
        "mean_weeks": statistics.fmean(community),
        "median_weeks": statistics.median(community),
        "mean_calendar_weeks": statistics.fmean(days),
        "median_calendar_weeks": statistics.median(days),
        "share_beyond_target": sum(w > target for w in community) / len(community),
    }


def _follow_up_summary(
    closed: list[Case], weeks: list[float], calendar: list[float], team: Team, period: Period
) -> Report:
    """The follow-up lengths per member against the target."""
    target = team.follow_up_target.max_weeks
    by_place: dict[str, list[tuple[float, float]]] = {}
    for case, length, days in zip(closed, weeks, calendar, strict=True):
        by_place.setdefault(case.municipality.name, []).append((length, days))
    summary = pd.DataFrame.from_dict(
        {m: _length_measures(v, target) for m, v in by_place.items()},
        orient="index",
        columns=list(_length_measures([(0.0, 0.0)], target)),
    )
    everyone = list(zip(weeks, calendar, strict=True))
    totals = _length_measures(everyone, target) if everyone else {}
    for counted in ("cases", "beyond_target"):  # counts: the total row adds them up
        totals.pop(counted, None)
    note, values = _target_note(team)
    return _report(
        _by_municipality(summary),
        team,
        period,
        key="follow_up_summary",
        title=N_("Follow-up length against the target"),
        rows="municipality",
        unit="mixed",
        share_columns=["share_beyond_target"],
        total_values=totals,
        notes=[note],
        note_values=values,
    )


def check_report(
    cases: Sequence[Case], team: Team, period: Period, facts: pd.DataFrame | None = None
) -> Report:
    """Three-month checks due and done in the period, and the outcomes they found."""
    facts = _facts(cases, period) if facts is None else facts
    measures = ["checks_due", "checks_done", "contact_reached", *(f.value for f in OutcomeFlag)]
    return _report(
        _by_municipality(_tally(facts, "municipality", {m: facts[m] for m in measures})),
        team,
        period,
        key="three_month_checks",
        title=N_("Three-month checks and outcomes"),
        rows="municipality",
    )


def life_domain_report(
    cases: Sequence[Case], team: Team, period: Period, kinds: frozenset[type] | None = None
) -> Report:
    """Change per BrukerPlan life domain from intake to the three-month check (``kinds``: the
    kinds of event the cases hold, when known: without an assessment no case has an intake,
    so none is looked for)."""
    assessed = kinds is None or any(issubclass(kind, Assessment) for kind in kinds)
    in_period = [c for c in cases if _within(c.closed_on, period)] if assessed else []
    outcome_pairs = [
        (c.outcomes.get(AssessmentPoint.INTAKE), c.outcomes.get(AssessmentPoint.THREE_MONTH_CHECK))
        for c in in_period
    ]
    rows: dict[str, dict[str, float]] = {}
    for domain in LifeDomain:
        pairs = [
            (int(a.scores[domain]), int(b.scores[domain]))
            for a, b in outcome_pairs
            if a is not None and b is not None and domain in a.scores and domain in b.scores
        ]
        if not pairs:
            continue
        changes = [after - before for before, after in pairs]
        rows[domain.value] = {
            "cases": float(len(pairs)),
            "intake_mean": statistics.fmean(p[0] for p in pairs),
            "check_mean": statistics.fmean(p[1] for p in pairs),
            "mean_change": statistics.fmean(changes),
            "improved": float(sum(ch > 0 for ch in changes)),
            "worse": float(sum(ch < 0 for ch in changes)),
        }
    columns = ["cases", "intake_mean", "check_mean", "mean_change", "improved", "worse"]
    wide = pd.DataFrame.from_dict(rows, orient="index", columns=columns)
    return _report(
        wide,
        team,
        period,
        key="life_domains",
        title=N_("Life domains from intake to the three-month check"),
        rows="domain",
        unit="mixed",
        total_row=False,
        notes=[N_("Scores 1-3, higher is better: 1 serious problems, 2 some, 3 none or minor.")],
    )


@attrs.frozen
class _Tallied:
    """A case table of counts per value of one fact (the referral source, the closure
    reason), of the cases of one fact (referred, ended): the table's own key, title and rows,
    and what it counts, for the team's table and each member's part alike."""

    key: str
    title: str
    rows: str
    chosen: str
    """The fact that picks the cases counted."""
    order: Mapping[str, int]
    """Each value's place among the rows (a value not in it comes last, as first seen)."""
    measures: Callable[[pd.DataFrame], dict[str, pd.Series[bool]]]
    """Each column's cases, of the facts of the chosen cases."""


_SOURCES = _Tallied(
    key="referral_sources",
    title=N_("Referral sources"),
    rows="source",
    chosen="referrals",
    order={s.value: i for i, s in enumerate(ReferralSource)},
    measures=lambda facts: {"referrals": facts["referrals"], "accepted": facts["is_accepted"]},
)
_REASONS = _Tallied(
    key="closure_reasons",
    title=N_("Closure reasons"),
    rows="reason",
    chosen="ended",
    order={r.value: i for i, r in enumerate(ClosureReason)},
    measures=lambda facts: {"cases": facts["is_accepted"], "referrals": ~facts["is_accepted"]},
)
_MEASURED = ["referrals", "is_accepted"]
"""The facts the tallied tables' columns are made of (``_Tallied.measures``)."""
TALLIED = (_SOURCES, _REASONS)
"""The tables apart whose members' parts are counted for all members at once
(``tallied_parts``)."""


def _tallied_report(spec: _Tallied, facts: pd.DataFrame, team: Team, period: Period) -> Report:
    """The table ``spec`` of the cases of ``facts``: theirs as one group (``tallied_parts``)."""
    return tallied_parts(spec, facts, (np.zeros(len(facts), dtype=np.intp), 1), team, period)[0]


def source_report(
    cases: Sequence[Case], team: Team, period: Period, facts: pd.DataFrame | None = None
) -> Report:
    """Who referred: referrals and accepted cases per referral source."""
    facts = _facts(cases, period) if facts is None else facts
    return _tallied_report(_SOURCES, facts, team, period)


def reason_report(
    cases: Sequence[Case], team: Team, period: Period, facts: pd.DataFrame | None = None
) -> Report:
    """Why referrals and cases ended in the period."""
    facts = _facts(cases, period) if facts is None else facts
    return _tallied_report(_REASONS, facts, team, period)


def tallied_parts(
    spec: _Tallied,
    facts: pd.DataFrame,
    owners: tuple[np.ndarray[Any, Any], int],
    team: Team,
    period: Period,
) -> list[Report]:
    """The table ``spec`` of each group of the cases of ``facts``, by the group's number
    (``owners``: each row's, -1 for none, and how many groups; a group with no chosen row
    gets a table without rows): the
    table of the group's facts alone (``_tallied_report``), counted for all groups at once
    (one ``bincount`` a column over (group, value) pairs), its rows the values in the order
    ``spec`` puts them, those of equal place as first seen among the group's chosen rows."""
    owner, groups = owners
    keep = facts[spec.chosen].to_numpy(dtype=bool) & (owner >= 0)
    codes, values = pd.factorize(facts[spec.rows][keep], sort=False)
    own = owner[keep]
    seen = codes >= 0  # a missing value is no row (``_tally``)
    pairs = own[seen] * len(values) + codes[seen]
    size = groups * len(values)
    columns = spec.measures(facts[_MEASURED][keep])
    counts = np.column_stack(
        [
            np.bincount(pairs, np.asarray(holds, dtype="float64")[seen], minlength=size)
            for holds in columns.values()
        ]
    ).reshape(groups, len(values), len(columns))
    found, first = np.unique(pairs, return_index=True)
    rows: list[list[int]] = [[] for _ in range(groups)]
    for pair in found[np.argsort(first, kind="stable")].tolist():
        rows[pair // len(values)].append(pair % len(values))
    names = [str(v) for v in values]
    out = []
    for group, taken in enumerate(rows):
        kept = [v for v in taken if counts[group, v].sum() > 0]
        kept.sort(key=lambda v: spec.order.get(names[v], len(spec.order)))
        out.append(
            measure_grid_report(
                counts[group, kept].reshape(len(kept), len(columns)),
                ([names[v] for v in kept], list(columns)),
                key=spec.key,
                title=spec.title,
                rows=spec.rows,
                unit="cases",
                period=period,
                team=team,
                blank_zeros=True,
            )
        )
    return out


def demographics_report(
    cases: Sequence[Case],
    team: Team,
    period: Period,
    active: Sequence[Case] | None = None,
    *,
    part: bool = False,
) -> Report | None:
    """Active cases by age band and gender, from birth year and gender only; None if unrecorded.

    ``active``: the cases active in the period, when a pass over them found them already.
    ``part``: a member's part of the team's table, which counts every active case, those
    recording nothing under «unknown»: None only when no case is active (a part of 0)."""
    start, end = period
    if active is None:
        active = [c for c in cases if active_between(c, start, end)]
    recorded = any(c.birth_year is not None or c.gender is not None for c in active)
    if not (recorded or (part and active)):
        return None
    bands = [age_band(low) for low, _ in AGE_BANDS]
    genders = [g.value for g in Gender]
    tally: dict[tuple[str, str], float] = {}
    for case in active:
        band = case.age_band(end.year) or "unknown"
        gender = case.gender.value if case.gender is not None else "unknown"
        tally[(band, gender)] = tally.get((band, gender), 0.0) + 1.0
    counts = pd.DataFrame(
        [[tally.get((b, g), 0.0) for g in [*genders, "unknown"]] for b in [*bands, "unknown"]],
        index=[*bands, "unknown"],
        columns=[*genders, "unknown"],
    )
    counts = counts.loc[counts.sum(axis=1) > 0, counts.sum(axis=0) > 0]
    return _report(
        counts,
        team,
        period,
        key="age_and_gender",
        title=N_("Active cases by age and gender"),
        rows="age",
        notes=[
            N_(
                "Age reached in the year, from the birth year; nothing else about the person is kept."
            )
        ],
    )


def case_reports(
    cases: Sequence[Case],
    team: Team,
    period: Period,
    walk: CaseWalk | None = None,
    *,
    by_municipality: bool = True,
    part: bool = False,
    keys: Container[str] | None = None,
) -> list[Report]:
    """Every case table of the annual report, in the order they are printed.

    The tables share one pass over the cases (``walk``, made here unless given): the counted
    tables add up its facts, the others read only the cases it found active or closed. The
    cases' own methods are called with values the library made: not checked again, even when
    this is called from its own layer rather than through ``annual_report``.
    ``by_municipality`` False: only the tables whose rows are not municipalities (a member's
    part of the others is its own row, ``_annual._member_tables``), of the report ``keys``
    given (None: all). ``part``: the tables are a member's part of the team's, every table
    the team's cases give (``demographics_report``).
    """
    with calls_within():
        walk = walk_cases(cases, period) if walk is None else walk
        facts = walk.facts
        if not by_municipality:
            return _tables_apart(cases, team, period, walk, part=part, keys=keys)
        demographics = demographics_report(cases, team, period, walk.active, part=part)
        return [
            cases_report(cases, team, period, facts),
            *([demographics] if demographics is not None else []),
            *follow_up_report(walk.ended, team, period, walk.lengths()),
            check_report(cases, team, period, facts),
            life_domain_report(walk.ended, team, period, walk.kinds),
            source_report(cases, team, period, facts),
            reason_report(cases, team, period, facts),
        ]


_APART: dict[str, Callable[[Sequence[Case], Team, Period, CaseWalk, bool], Report | None]] = {
    "age_and_gender": lambda cases, team, period, walk, part: demographics_report(
        cases, team, period, walk.active, part=part
    ),
    "life_domains": lambda cases, team, period, walk, part: life_domain_report(
        walk.ended, team, period, walk.kinds
    ),
    "referral_sources": lambda cases, team, period, walk, part: source_report(
        cases, team, period, walk.facts
    ),
    "closure_reasons": lambda cases, team, period, walk, part: reason_report(
        cases, team, period, walk.facts
    ),
}
"""How each case table whose rows are not municipalities is made (from the cases, the
team, the period, their walk and whether a member's part), by key, in the printed order."""
TABLES_APART = tuple(_APART)
"""The case tables whose rows are not municipalities, in their printed order."""


def _tables_apart(
    cases: Sequence[Case],
    team: Team,
    period: Period,
    walk: CaseWalk,
    *,
    part: bool,
    keys: Container[str] | None,
) -> list[Report]:
    """The case tables whose rows are not municipalities, of the ``keys`` given (None: all),
    in their printed order: each made only when asked for."""
    reports = (
        make(cases, team, period, walk, part)
        for key, make in _APART.items()
        if keys is None or key in keys
    )
    return [report for report in reports if report is not None]
