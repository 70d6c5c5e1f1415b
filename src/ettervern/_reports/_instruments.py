"""Reports of an outcome instrument's answers, effect and drop-out, and of outcome flags.

Sandnes' table 5 (seed ``004_…``) gives, per year, the people who answered in FIT, the share
reporting the expected effect, the courses closed and the drop-out share. [`instrument_report`][ettervern.tables.instrument_report]
gives the same per municipality, [`instrument_by_year`][ettervern.tables.instrument_by_year] per year, for any instrument: a
person **answered** with one sheet or more, shows an **effect** when the last score is better
than the first by the instrument's reliable change (ORS: 5 points), **completed** when the course
closed as completed, and **dropped out** when it closed as no-show.

[`outcome_flags_report`][ettervern.tables.outcome_flags_report] counts the people with each outcome flag at closure or at the
three-month check: Jæren's 4 in ordinary work and 2 gone on to residential treatment (seed
``002_…``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Sequence
from typing import Any

import attrs
import pandas as pd

from ettervern._core import AssessmentPoint, Instrument, OutcomeFlag, Response, Team, instrument
from ettervern._l10n import N_, norwegian_sort_key
from ettervern._pathway import Assessment, Case, ClosureReason
from ettervern._reports._people import person_key
from ettervern._reports._report import Report, measure_report

__all__ = [
    "brukerplan_responses",
    "instrument_by_year",
    "instrument_report",
    "outcome_flags_report",
]

Period = tuple[dt.date, dt.date]
_COLUMNS = (
    "people_answering",
    "answers",
    "people_measured",
    "effect",
    "share_effect",
    "completed",
    "share_completed",
    "drop_out",
    "share_drop_out",
)


def brukerplan_responses(cases: Sequence[Case]) -> list[Response]:
    """The BrukerPlan answer sheets the cases hold: each assessment, closure and three-month
    check that scores all eight life domains."""
    found: list[Response] = []
    for case in cases:
        points = [(e.on, e.outcome) for e in case.events if isinstance(e, Assessment)]
        closure, check = case.closure, case.three_month_check
        if closure is not None and closure.outcome is not None:
            points.append((closure.on, closure.outcome))
        if check is not None and check.outcome is not None:
            points.append((check.on, check.outcome))
        for on, outcome in points:
            sheet = Response.from_outcome(case.code, on, outcome)
            if sheet is not None:
                found.append(sheet)
    return found


def _row(
    sheets: list[Response], by_person: dict[str, list[Case]], tool: Instrument
) -> dict[str, float]:
    """The measures of one group: ``sheets`` of the people in ``by_person``."""
    people = len(by_person)
    measured = effect = 0
    per_person: dict[str, list[Response]] = {}
    code_person = {str(c.code): key for key, cases in by_person.items() for c in cases}
    for sheet in sheets:
        per_person.setdefault(code_person[str(sheet.case)], []).append(sheet)
    for found in per_person.values():
        if len(found) < 2:
            continue
        measured += 1
        ordered = sorted(found, key=lambda s: s.on)
        change = tool.improvement(ordered[0].score, ordered[-1].score)
        if tool.reliable_change is not None and change >= tool.reliable_change:
            effect += 1

    def ended(reasons: set[ClosureReason]) -> int:
        return sum(any(c.closure_reason in reasons for c in cases) for cases in by_person.values())

    completed = ended({ClosureReason.COMPLETED})
    dropped = ended({ClosureReason.NO_SHOW})
    return {
        "people_answering": float(people),
        "answers": float(len(sheets)),
        "people_measured": float(measured),
        "effect": float(effect),
        "share_effect": effect / people if people else 0.0,
        "completed": float(completed),
        "share_completed": completed / people if people else 0.0,
        "drop_out": float(dropped),
        "share_drop_out": dropped / people if people else 0.0,
    }


def _groups(
    responses: Sequence[Response],
    cases: Sequence[Case],
    tool: Instrument,
    periods: dict[str, Period],
    key: Callable[[Case], str] | None,
) -> dict[str, dict[str, float]]:
    by_code = {str(c.code): c for c in cases}
    rows: dict[str, dict[str, float]] = {}
    for label, (start, end) in periods.items():
        sheets = [
            r
            for r in responses
            if r.instrument == tool.key and start <= r.on <= end and str(r.case) in by_code
        ]
        grouped: dict[str, list[Response]] = {}
        for sheet in sheets:
            case = by_code[str(sheet.case)]
            grouped.setdefault(label if key is None else key(case), []).append(sheet)
        for group, found in grouped.items():
            people: dict[str, list[Case]] = {}
            for sheet in found:
                case = by_code[str(sheet.case)]
                bucket = people.setdefault(person_key(case), [])
                if case not in bucket:
                    bucket.append(case)
            rows[group] = _row(found, people, tool)
    return rows


def _shares(wide: pd.DataFrame) -> dict[str, float]:
    people = float(wide["people_answering"].sum()) if len(wide) else 0.0
    return {
        f"share_{m}": float(wide[m].sum()) / people if people else 0.0
        for m in ("effect", "completed", "drop_out")
    }


def _tool(instrument_key: str | Instrument) -> Instrument:
    return instrument_key if isinstance(instrument_key, Instrument) else instrument(instrument_key)


def _table(
    measures: dict[str, dict[str, float]],
    order: Sequence[str],
    tool: Instrument,
    **options: Any,
) -> Report:
    """The instrument table of ``measures`` in ``order``, with shares, notes and the title."""
    wide = pd.DataFrame.from_dict(measures, orient="index", columns=list(_COLUMNS))
    wide = wide.reindex([key for key in order if key in wide.index])
    report = measure_report(
        wide,
        unit="mixed",
        share_columns=["share_effect", "share_completed", "share_drop_out"],
        total_values=_shares(wide),
        notes=[
            N_(
                "Effect: the last score is better than the first by the reliable change "
                "({reliable_change} points) or more. Drop-out: the course closed as no-show."
            ),
            N_("Shares are of the people who answered."),
        ],
        note_values={"reliable_change": tool.reliable_change or 0.0},
        **options,
    )
    return attrs.evolve(report, title_fields={"instrument": tool.key})


def instrument_report(
    responses: Sequence[Response],
    cases: Sequence[Case],
    team: Team | None,
    period: Period,
    *,
    instrument_key: str | Instrument = "ors",
) -> Report:
    """Per municipality: people answering the instrument in the period, answer sheets, people
    with two or more (whose effect can be read), effect, completed and drop-out, with shares.

    ``responses`` are keyed by case code and joined to ``cases``; sheets of unknown cases are
    left out.
    """
    tool = _tool(instrument_key)
    rows = _groups(responses, cases, tool, {"": period}, lambda c: c.municipality.name)
    return _table(
        rows,
        sorted(rows, key=norwegian_sort_key),
        tool,
        key=f"instrument_{tool.key}",
        title=N_("Outcome instrument: answers, effect and drop-out ({instrument})"),
        rows="municipality",
        period=period,
        team=team,
    )


def instrument_by_year(
    responses: Sequence[Response],
    cases: Sequence[Case],
    years: Sequence[int],
    team: Team | None = None,
    *,
    instrument_key: str | Instrument = "ors",
) -> Report:
    """The measures of [`instrument_report`][ettervern.tables.instrument_report] per calendar year: Sandnes' table 5."""
    tool = _tool(instrument_key)
    chosen = sorted(set(years))
    periods = {str(y): (dt.date(y, 1, 1), dt.date(y, 12, 31)) for y in chosen}
    return _table(
        _groups(responses, cases, tool, periods, None),
        list(periods),
        tool,
        key=f"instrument_{tool.key}_by_year",
        title=N_("Outcome instrument by year ({instrument})"),
        rows="year",
        period=(dt.date(chosen[0], 1, 1), dt.date(chosen[-1], 12, 31)) if chosen else None,
        team=team,
    )


def outcome_flags_report(cases: Sequence[Case], team: Team | None, period: Period) -> Report:
    """Per municipality: people with each outcome flag (ordinary work, education, residential
    treatment, relapse) recorded at a closure or three-month check dated in the period."""
    start, end = period
    people: dict[str, dict[str, set[str]]] = {}
    for case in cases:
        outcomes = case.outcomes
        dated = (
            (case.closed_on, outcomes.get(AssessmentPoint.CLOSURE)),
            (
                None if case.three_month_check is None else case.three_month_check.on,
                outcomes.get(AssessmentPoint.THREE_MONTH_CHECK),
            ),
        )
        for on, outcome in dated:
            if on is None or outcome is None or not start <= on <= end:
                continue
            line = people.setdefault(case.municipality.name, {f.value: set() for f in OutcomeFlag})
            for flag in outcome.flags:
                line[flag.value].add(person_key(case))
    wide = pd.DataFrame.from_dict(
        {m: {f: float(len(p)) for f, p in line.items()} for m, line in people.items()},
        orient="index",
        columns=[f.value for f in OutcomeFlag],
    )
    wide = wide[wide.sum(axis=1) > 0]
    wide = wide.reindex(sorted(wide.index, key=norwegian_sort_key))
    everyone = {
        f.value: set[str]().union(*(line[f.value] for line in people.values())) for f in OutcomeFlag
    }
    return measure_report(
        wide,
        key="outcome_flags",
        title=N_("Outcomes at closure and at the three-month check"),
        rows="municipality",
        unit="people",
        period=period,
        team=team,
        blank_zeros=True,
        total_values={flag: float(len(found)) for flag, found in everyone.items() if found},
        notes=[
            N_("People with the outcome at a closure or a three-month check in the period."),
            N_("The total counts each person once, even one followed in two municipalities."),
        ],
    )
