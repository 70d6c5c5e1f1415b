"""The table of consent and goals (issue 32): per municipality, the cases with a course in the
period, how many had consent in force at its end, a goal set and a goal met.

Each cell counts cases, so the release protects it as it protects the other case tables: what
each column counts is declared in ``_definitions.TABLES`` (``consent_and_goals``), and the
relations between its cells and the others' follow from that.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence

import pandas as pd

from ettervern._core import Team
from ettervern._l10n import N_, norwegian_sort_key
from ettervern._pathway import Case, ConsentGiven, GoalSet, GoalStatus
from ettervern._reports._report import Report, measure_report

__all__ = ["CONSENT_GOAL_COLUMNS", "consent_goals_report", "has_consent_or_goals"]

CONSENT_GOAL_COLUMNS = ("cases", "with_consent", "with_goal", "goal_met")
"""The count columns of the table, in order."""


def has_consent_or_goals(cases: Sequence[Case], kinds: frozenset[type] | None = None) -> bool:
    """Whether any case records consent or a goal (the annual report includes the table then);
    ``kinds``, the kinds of event the cases hold (``event_kinds``), answers it when known."""
    if kinds is not None:
        return not kinds.isdisjoint((GoalSet, ConsentGiven))
    return any(c.goals or _ever_consented(c) for c in cases)


def _ever_consented(case: Case) -> bool:
    return any(event.tag == "consent_given" for event in case.events)


def _facts(case: Case, start: dt.date, end: dt.date) -> tuple[bool, bool, bool]:
    """Consent in force on the case's last open day of the period; a goal set by its end; a
    goal met within it."""
    closed = case.closed_on
    last = closed if closed is not None and start <= closed <= end else end
    goals = [g for g in case.goals if g.set_on <= end]
    met = any(
        g.status is GoalStatus.MET and g.reviewed_on is not None and start <= g.reviewed_on <= end
        for g in goals
    )
    return bool(case.consent_on(last)), bool(goals), met


def consent_goals_report(
    cases: Sequence[Case], team: Team | None, period: tuple[dt.date, dt.date]
) -> Report:
    """Per municipality: cases with a course in ``period`` (accepted and open on some day of
    it), those with consent in force on their last open day of it (any scope), those with a
    goal set by its end, and those with a goal met within it."""
    start, end = period
    counts: dict[str, dict[str, float]] = {}
    for case in cases:
        if not case.active_between(start, end):
            continue
        consent, goal, met = _facts(case, start, end)
        line = counts.setdefault(case.municipality.name, dict.fromkeys(CONSENT_GOAL_COLUMNS, 0.0))
        line["cases"] += 1
        line["with_consent"] += consent
        line["with_goal"] += goal
        line["goal_met"] += met
    wide = pd.DataFrame.from_dict(counts, orient="index", columns=list(CONSENT_GOAL_COLUMNS))
    return measure_report(
        wide.reindex(sorted(wide.index, key=norwegian_sort_key)),
        key="consent_and_goals",
        title=N_("Consent and goals"),
        rows="municipality",
        unit="cases",
        period=period,
        team=team,
        notes=[
            N_(
                "Cases with a course in the period. Consent: in force on the case's last open day "
                "of the period, for any scope. Goals: set by the end of the period; met within it."
            )
        ],
    )
