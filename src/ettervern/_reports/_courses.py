"""Courses (behandlingsforløp): their state at year end, their length, hours per person, plans,
coordinators, and the three-month deadline for decision and plan.

Sandnes (seed ``004_…``) reports what the library computes here: of the 62 people in a course in
2020, 25 had completed it, 19 had broken it off (avbrutt) and 18 were still in it at year end;
an average of 3.2 treatment hours per person and 2.6 months of treatment; the share with an
individual plan and with a coordinator; and its own rule that the decision and the treatment
plan are made within three months.
"""

from __future__ import annotations

import datetime as dt
import operator
import statistics
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from ettervern._core import Team
from ettervern._l10n import N_, norwegian_sort_key
from ettervern._pathway import Case, ClosureReason, tasks_done
from ettervern._reports._cases import CaseWalk, walk_cases
from ettervern._reports._report import Report, measure_report
from ettervern._timelog import in_period

__all__ = [
    "ABORTED_REASONS",
    "DAYS_PER_MONTH",
    "DEADLINE_TASKS",
    "Active",
    "course_length_of_walk",
    "course_length_report",
    "course_report",
    "course_report_of",
    "course_state",
    "deadline_report",
    "hours_per_person_of",
    "hours_per_person_report",
    "plans_of",
    "plans_report",
    "referrals_due_within",
]

Period = tuple[dt.date, dt.date]

ABORTED_REASONS = frozenset({ClosureReason.ABORTED, ClosureReason.WITHDREW, ClosureReason.NO_SHOW})
"""Closure reasons that count as a course broken off (avbrutt): aborted, withdrew, no-show."""

DAYS_PER_MONTH = 365.25 / 12
"""Days in an average month, for lengths in months (30.44)."""

DEADLINE_TASKS = ("decision", "treatment_plan")
"""The tasks of Sandnes' three-month rule: the decision (vedtak) and the treatment plan."""


def _by_municipality(wide: pd.DataFrame) -> pd.DataFrame:
    return wide.reindex(sorted(wide.index, key=norwegian_sort_key))


def course_state(case: Case, on: dt.date) -> str | None:
    """The state of an accepted case's course on ``on``: ``"completed"``, ``"aborted"``,
    ``"ended_otherwise"`` or ``"ongoing"``; ``None`` when not accepted by then."""
    if case.accepted_on is None or case.accepted_on > on:
        return None
    closure = case.closure
    if closure is None or closure.on > on:
        return "ongoing"
    if closure.reason is ClosureReason.COMPLETED:
        return "completed"
    return "aborted" if closure.reason in ABORTED_REASONS else "ended_otherwise"


def course_report(cases: Sequence[Case], team: Team | None, period: Period) -> Report:
    """Per municipality: courses in the period and their state at its end (completed, aborted,
    ended otherwise, ongoing), with the shares.

    Courses are accepted cases open on some day of the period; a case closed as aborted, withdrew
    or no-show counts as aborted.
    """
    return course_report_of(Active.of_walk(walk_cases(cases, period)), team, period)


def _course_table(wide: pd.DataFrame, team: Team | None, period: Period) -> Report:
    """``course_report`` of its counts by municipality (``wide``: courses and each state)."""
    totals = wide.sum()
    for state in ("completed", "aborted", "ongoing"):
        wide[f"share_{state}"] = wide[state] / wide["courses"]
    total_values = {
        f"share_{s}": float(totals[s] / totals["courses"]) if totals.get("courses") else 0.0
        for s in ("completed", "aborted", "ongoing")
    }
    return measure_report(
        _by_municipality(wide),
        key="courses",
        title=N_("Courses and their state at the end of the period"),
        rows="municipality",
        unit="mixed",
        period=period,
        team=team,
        share_columns=[f"share_{s}" for s in ("completed", "aborted", "ongoing")],
        total_values=total_values,
        notes=[
            N_(
                "Courses are accepted cases open on some day of the period. Aborted: closed as "
                "aborted, withdrew or no-show."
            )
        ],
    )


def _length_row(days: list[float]) -> dict[str, float]:
    return {
        "closed": float(len(days)),
        "mean_weeks": statistics.fmean(days) / 7,
        "median_weeks": statistics.median(days) / 7,
        "mean_months": statistics.fmean(days) / DAYS_PER_MONTH,
        "median_months": statistics.median(days) / DAYS_PER_MONTH,
    }


def course_length_report(cases: Sequence[Case], team: Team | None, period: Period) -> Report:
    """Per municipality: courses closed in the period and their mean and median length, in
    weeks and in months (from the start of follow-up to closure)."""
    return course_length_of_walk(walk_cases(cases, period), team, period)


def course_length_of_walk(walk: CaseWalk, team: Team | None, period: Period) -> Report:
    """``course_length_report`` of the cases the ``walk`` found closed in ``period``, with the
    lengths it found for the follow-up tables (``CaseWalk.lengths``)."""
    facts = walk.facts
    places = facts.loc[facts["ended"].to_numpy(), "municipality"].tolist()
    found: dict[str, list[float]] = {}
    for place, (length, _) in zip(places, walk.lengths(), strict=True):
        if length is not None:
            found.setdefault(place, []).append(float(length.days))
    return _length_table(found, team, period)


def _length_table(found: dict[str, list[float]], team: Team | None, period: Period) -> Report:
    """``course_length_report`` of the days of each course, by municipality."""
    columns = ["closed", "mean_weeks", "median_weeks", "mean_months", "median_months"]
    wide = pd.DataFrame.from_dict(
        {m: _length_row(days) for m, days in found.items()}, orient="index", columns=columns
    )
    every = [d for days in found.values() for d in days]
    totals = _length_row(every) if every else {}
    totals.pop("closed", None)
    return measure_report(
        _by_municipality(wide),
        key="course_length",
        title=N_("Length of courses"),
        rows="municipality",
        unit="mixed",
        period=period,
        team=team,
        total_values=totals,
        notes=[
            N_(
                "From the start of follow-up to closure, for courses closed in the period; a "
                "month is 30.44 days."
            )
        ],
    )


def hours_per_person_report(
    frame: pd.DataFrame,
    cases: Sequence[Case],
    team: Team | None,
    period: Period,
) -> Report:
    """Per municipality: people with a course in the period, the hours logged on their cases in
    the period, and the mean hours per person (the time log joined to the cases by case code)."""
    return hours_per_person_of(frame, Active.of_walk(walk_cases(cases, period)), team, period)


def _hours_by_code(frame: pd.DataFrame, period: Period) -> dict[str, float]:
    """The hours logged in ``period`` on each case, by the code as the log writes it."""
    inside = frame[frame["case"].notna().to_numpy() & in_period(frame, period)]
    found: dict[str, float] = (
        inside.groupby(inside["case"].astype(str), observed=True)["hours"].sum().to_dict()
    )
    return found


def _hours_table(
    people: dict[str, float],
    hours: dict[str, float],
    everyone: int,
    team: Team | None,
    period: Period,
) -> Report:
    """``hours_per_person_report`` of its people and hours by municipality (each in the
    order the municipalities first appear) and the people in all of them."""
    wide = pd.DataFrame({"people": people, "hours": hours})
    if len(wide):
        wide["hours_per_person"] = wide["hours"] / wide["people"]
    total_hours = sum(hours.values())
    return measure_report(
        _by_municipality(wide),
        key="hours_per_person",
        title=N_("Hours per person"),
        rows="municipality",
        unit="mixed",
        period=period,
        team=team,
        total_values={
            "people": float(everyone),
            "hours_per_person": total_hours / everyone if everyone else 0.0,
        },
        notes=[N_("Hours logged in the period on the cases of people with a course in it.")],
    )


def _declined_by(case: Case, end: dt.date) -> int:
    """1 when the person declined an individual plan by ``end``, else 0 (missing; asked of a
    case with no plan done by then)."""
    state = case.as_of(end)
    return int(state is not None and state.waived("individual_plan") == "declined")


def plans_report(
    cases: Sequence[Case],
    team: Team | None,
    period: Period,
    *,
    staffed: bool = True,
) -> Report:
    """Per municipality: people with a course in the period, how many have an individual plan
    (done by the end of the period), declined one (``plan_declined``: the person said no, not a
    plan missing) or lack one (``plan_missing``), and a coordinator (assigned on some day of
    it), and the shares (``staffed`` False when it is known that no case records staff
    assigned, so no case's assignments are looked for)."""
    read = Active.of_walk(walk_cases(cases, period))
    return plans_of(read, team, period, staffed=staffed, waivers=True)


_PLAN_COLUMNS = ["people", "with_plan", "plan_declined", "plan_missing", "with_coordinator"]


def _plans_table(
    rows: dict[str, dict[str, float]],
    totals: dict[str, float],
    team: Team | None,
    period: Period,
) -> Report:
    """``plans_report`` of its counts by municipality (``_plan_counts`` of each) and of
    everyone's (each person once)."""
    wide = pd.DataFrame.from_dict(rows, orient="index", columns=_PLAN_COLUMNS)
    wide["share_with_plan"] = wide["with_plan"] / wide["people"]
    wide["share_with_coordinator"] = wide["with_coordinator"] / wide["people"]
    n = int(totals["people"])
    totals["share_with_plan"] = totals["with_plan"] / n if n else 0.0
    totals["share_with_coordinator"] = totals["with_coordinator"] / n if n else 0.0
    return measure_report(
        _by_municipality(wide),
        key="plans_and_coordinators",
        title=N_("Individual plans and coordinators"),
        rows="municipality",
        unit="mixed",
        period=period,
        team=team,
        share_columns=["share_with_plan", "share_with_coordinator"],
        total_values=totals,
    )


_CLAMP = dt.timedelta(days=3)
"""The most a month's end can move a date by in month arithmetic (31 January + 1 month is
28 February: 3 days short of the 31st; 31 March + 1 month is 30 April)."""


def referrals_due_within(period: Period, months: int) -> Period:
    """The referral days whose deadline (the referral + ``months``) can fall in ``period``:
    every referral due in it is inside, and the few outside it near the edges are left to
    the exact arithmetic (``deadline_report`` asks it only for these)."""
    start, end = period
    back = relativedelta(months=months)
    return start - back - _CLAMP, end - back + _CLAMP


def deadline_report(
    cases: Sequence[Case],
    team: Team | None,
    period: Period,
    *,
    months: int = 3,
    tasks: Sequence[str] = DEADLINE_TASKS,
) -> Report:
    """Per municipality: accepted cases whose deadline (referral + ``months``) fell in the
    period, how many had every one of ``tasks`` done by then, done late, or not yet done at the
    end of the period, and the share on time (Sandnes: decision and treatment plan within three
    months)."""
    start, end = period
    first, last = referrals_due_within(period, months)
    counts: dict[str, dict[str, float]] = {}
    for case in cases:
        if not (first <= case.referred_on <= last and case.is_accepted):
            continue  # its deadline is outside the period: no month arithmetic for it
        due = case.referred_on + relativedelta(months=months)
        if not start <= due <= end:
            continue
        done = [tasks_done(case).get(task) for task in tasks]
        line = counts.setdefault(
            case.municipality.name, dict.fromkeys(("due", "on_time", "late", "not_done"), 0.0)
        )
        line["due"] += 1
        if any(d is None or d > end for d in done):
            line["not_done"] += 1
        elif all(d is not None and d <= due for d in done):
            line["on_time"] += 1
        else:
            line["late"] += 1
    wide = pd.DataFrame.from_dict(
        counts, orient="index", columns=["due", "on_time", "late", "not_done"]
    )
    wide["share_on_time"] = wide["on_time"] / wide["due"]
    due_total = float(wide["due"].sum())
    return measure_report(
        _by_municipality(wide),
        key="three_month_deadline",
        title=N_("Decision and plan within the deadline"),
        rows="municipality",
        unit="mixed",
        period=period,
        team=team,
        share_columns=["share_on_time"],
        total_values={
            "share_on_time": float(wide["on_time"].sum()) / due_total if due_total else 0.0
        },
        notes=[N_("Due {months} months after the referral; done when every task is recorded.")],
        note_values={"months": float(months)},
    )


@attrs.frozen
class Active:
    """The cases active in a period as the course tables read them, gathered once from the
    pass over the cases (``CaseWalk``): one entry each, in the same order."""

    cases: Sequence[Case]
    """The cases, each accepted and open on some day of the period."""
    facts: pd.DataFrame
    """Their rows of the pass's facts (``municipality``, ``closed``, ``reason``)."""
    keys: Sequence[str]
    """Who each is about, for counting (``person_key``)."""
    codes: Sequence[str]
    """Each one's code as text, as the time log writes it (written once for all the tables)."""
    people: int
    """How many people they are about (distinct ``keys``)."""

    @classmethod
    def of_walk(cls, walk: CaseWalk) -> Active:
        """The cases the ``walk`` found active in its period, with their rows of its facts:
        each code written as text once."""
        cases, facts = walk.active, walk.facts[walk.facts["active"].to_numpy()]
        codes = [str(case.code) for case in cases]
        persons = map(_PERSON, cases)
        keys = [f"case:{code}" if p is None else p for p, code in zip(persons, codes, strict=True)]
        return cls(cases, facts.reset_index(drop=True), keys, codes, len(set(keys)))

    @property
    def each_once(self) -> bool:
        """Whether each case is about a person of its own (no two share a key)."""
        return self.people == len(self.keys)

    def places(self) -> tuple[np.ndarray[Any, Any], list[str]]:
        """Each case's municipality as a number, and the municipalities in the order they
        first appear."""
        at, places = pd.factorize(self.facts["municipality"], sort=False)
        return at, [str(place) for place in places]


_PERSON = operator.attrgetter("person")
_ABORTED = frozenset(reason.value for reason in ABORTED_REASONS)


def course_report_of(active: Active, team: Team | None, period: Period) -> Report:
    """``course_report`` of the ``active`` cases, counted from the pass's facts (a case
    active in the period and closed in it has its closure's state, any other is ongoing)."""
    at, places = active.places()
    closed = active.facts["closed"].to_numpy(dtype=bool)
    reason = active.facts["reason"]
    state = np.full(len(at), 3)  # ongoing, in the order of ``course_state``'s states
    state[closed] = 2
    state[closed & reason.isin(_ABORTED).to_numpy()] = 1
    state[closed & (reason == ClosureReason.COMPLETED.value).to_numpy()] = 0
    counts = np.zeros((len(places), 4))
    np.add.at(counts, (at, state), 1.0)
    states = ["completed", "aborted", "ended_otherwise", "ongoing"]
    wide = pd.DataFrame(counts, index=pd.Index(places, dtype=object), columns=states)
    wide.insert(0, "courses", counts.sum(axis=1))
    return _course_table(wide, team, period)


def hours_per_person_of(
    frame: pd.DataFrame, active: Active, team: Team | None, period: Period
) -> Report:
    """``hours_per_person_report`` of the ``active`` cases: the hours of each code looked up
    once, added up by municipality in the cases' order."""
    at, places = active.places()
    by_code = _hours_by_code(frame, period)
    found = np.fromiter((by_code.get(code, 0.0) for code in active.codes), float)
    hours = np.bincount(at, weights=found, minlength=len(places))
    if not active.each_once:  # a person counts once in a municipality
        at = pd.DataFrame({"at": at, "key": active.keys}).drop_duplicates()["at"].to_numpy()
    people = np.bincount(at, minlength=len(places))
    return _hours_table(
        dict(zip(places, map(float, people.tolist()), strict=True)),
        dict(zip(places, hours.tolist(), strict=True)),
        active.people,
        team,
        period,
    )


def plans_of(
    active: Active, team: Team | None, period: Period, *, staffed: bool, waivers: bool
) -> Report:
    """``plans_report`` of the ``active`` cases (``waivers`` False when it is known that no
    case records a waiver, so none is looked for at the end of the period: a plan missing)."""
    start, end = period
    done = (tasks_done(case).get("individual_plan") for case in active.cases)
    plan = np.fromiter((2 if on is not None and on <= end else 0 for on in done), int)
    for i in np.flatnonzero(plan == 0).tolist() if waivers else ():
        plan[i] = _declined_by(active.cases[i], end)
    coordinated = (
        np.fromiter((_coordinated(case, start, end) for case in active.cases), bool)
        if staffed
        else np.zeros(len(plan), dtype=bool)
    )
    at, places = active.places()
    if not active.each_once:  # a person's best state, in a municipality and in all
        people = pd.DataFrame({"at": at, "key": active.keys, "plan": plan, "with": coordinated})
        best = people.groupby("key", sort=False)[["plan", "with"]].max()
        each = people.groupby(["at", "key"], sort=False).max().reset_index()
        at, plan = each["at"].to_numpy(), each["plan"].to_numpy()
        coordinated = each["with"].to_numpy(dtype=bool)
        total = _counted(best["plan"].to_numpy(), best["with"].to_numpy(dtype=bool))
    else:
        total = _counted(plan, coordinated)
    rows = {place: _counted(plan[at == i], coordinated[at == i]) for i, place in enumerate(places)}
    return _plans_table(rows, total, team, period)


def _coordinated(case: Case, start: dt.date, end: dt.date) -> bool:
    """Whether ``case`` has a coordinator assigned on some day of ``start``-``end``."""
    return any(
        a.coordinator and a.since <= end and (a.until is None or a.until >= start)
        for a in case.staff_assignments
    )


def _counted(plan: np.ndarray[Any, Any], coordinated: np.ndarray[Any, Any]) -> dict[str, float]:
    """``_plan_counts`` of people's best plan states and whether each had a coordinator."""
    plans = np.bincount(plan, minlength=3).tolist()
    return {
        "people": float(len(plan)),
        "with_plan": float(plans[2]),
        "plan_declined": float(plans[1]),
        "plan_missing": float(plans[0]),
        "with_coordinator": float(np.count_nonzero(coordinated)),
    }
