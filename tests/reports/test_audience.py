"""Every function that returns figures for a period returns the published view by default
(issue 30): the tables per year and per member of staff too, and any builder added later.

The teams here are small on purpose: a year, a municipality or a member of staff with one or
two people, which the published view must not show. The oracle is the rule itself (no count
of 1 or 2 shows), checked on the table as printed, apart from the suppression code.
"""

from __future__ import annotations

import datetime as dt
import inspect

import pandas as pd
import pytest
from hypothesis import given, settings

import ettervern as e
from ettervern import tables
from tests import strategies as s

d = dt.date
YEARS = [2020, 2021]


def _small(frame: pd.DataFrame, columns: list[str]) -> list[tuple[str, str]]:
    """The cells of ``columns`` printed as a count of 1 or 2."""
    shown = frame[[c for c in columns if c in frame.columns]]
    return [
        (str(row), str(column))
        for row in shown.index
        for column in shown.columns
        if shown.loc[row, column] in (1, 2)
    ]


def _ors(total: float) -> dict[str, float]:
    return dict.fromkeys(("individually", "interpersonally", "socially", "overall"), total / 4)


def _few() -> tuple[list[e.Case], list[e.instruments.Response]]:
    """Two people in 2020 (Fauske, Bodø), five more in 2021; each answers ORS twice."""
    cases, sheets = [], []
    places = [("Fauske", 2020), ("Bodø", 2020)] + [("Bodø", 2021)] * 4 + [("Fauske", 2021)]
    for number, (place, year) in enumerate(places, start=1):
        code = f"{number:02d}/{year % 100}-{'FA' if place == 'Fauske' else 'BO'}"
        start = d(year, 3, 1)
        case = e.Case.refer(code, on=start, municipality=place).accept(on=start)
        cases.append(case.close(on=d(year, 9, 1), reason="completed"))
        sheets += [
            e.instruments.Response.record("ors", case=code, on=start, answers=_ors(18)),
            e.instruments.Response.record(
                "ors", case=code, on=start + dt.timedelta(days=21), answers=_ors(24)
            ),
        ]
    return cases, sheets


PEOPLE_COUNTS = ["episodes", "people", "people_several_episodes"]
INSTRUMENT_COUNTS = [
    "people_answering",
    "answers",
    "people_measured",
    "effect",
    "completed",
    "drop_out",
]


def test_people_by_year_is_published_by_default() -> None:
    cases, _ = _few()
    published = tables.people_by_year(cases, years=YEARS, team="salten")
    internal = tables.people_by_year(cases, years=YEARS, team="salten", audience="internal")
    assert _small(published.to_frame(labels=False), PEOPLE_COUNTS) == []
    assert published.hidden_mask(labels=False).to_numpy().any()
    raw = internal.to_frame(labels=False)
    assert raw.loc["2020", "episodes"] == 2  # the internal view: every figure as it is
    assert raw.loc["2021", "people"] == 5 and raw.loc["Total", "people"] == 7


@settings(max_examples=15)
@given(cases=s.small_case_sets(years=(2020, 2021)))
def test_people_by_year_never_shows_one_or_two(cases: list[e.Case]) -> None:
    published = tables.people_by_year(cases, years=YEARS, team="salten", threshold=3)
    internal = tables.people_by_year(cases, years=YEARS, team="salten", audience="internal")
    assert _small(published.to_frame(labels=False), PEOPLE_COUNTS) == []
    shown = published.to_frame(labels=False)
    raw = internal.to_frame(labels=False)
    hidden = published.hidden_mask(labels=False)
    for row in shown.index:  # what shows is the internal figure
        for column in PEOPLE_COUNTS:
            if column in shown.columns and not hidden.loc[row, column]:
                a, b = shown.loc[row, column], raw.loc[row, column]
                assert (pd.isna(a) and pd.isna(b)) or a == b


def test_instrument_by_year_is_published_by_default() -> None:
    cases, sheets = _few()
    published = tables.instrument_by_year(sheets, cases, years=YEARS, team="salten")
    internal = tables.instrument_by_year(
        sheets, cases, years=YEARS, team="salten", audience="internal"
    )
    assert _small(published.to_frame(labels=False), INSTRUMENT_COUNTS) == []
    assert internal.value("2020", "people_answering") == 2
    assert internal.value("2021", "effect") == 5
    # and per municipality, where Fauske has one person a year
    by_place = tables.instrument_report(sheets, cases, team="salten", period=2021)
    assert _small(by_place.to_frame(labels=False), INSTRUMENT_COUNTS) == []


def test_staff_report_is_published_by_default() -> None:
    """A member of staff who followed one person shows neither the count nor their hours;
    the others (four people each) show, as the team's total less theirs is five or more."""
    staff = ("KB", "AH", "TO")
    roster = e.Roster(
        [e.StaffMember(i, [e.Employment(since=d(2020, 1, 1), fte=1.0)]) for i in staff]
    )
    cases = [
        e.Case.refer(f"{n:02d}/20-FA", on=d(2020, 2, 3), municipality="Fauske")
        .accept(on=d(2020, 2, 3))
        .assign_staff(staff[(n + 2) // 4], on=d(2020, 2, 3))
        for n in range(1, 10)
    ]
    log = pd.DataFrame(
        {
            "case": [str(c.code) for c in cases],
            "date": [pd.Timestamp(2020, 3, 2)] * 9,
            "municipality": ["Fauske"] * 9,
            "category": ["user_follow_up"] * 9,
            "hours": [2.0] * 9,
            "staff": [1] * 9,
        }
    )
    published = tables.staff_report(log, cases, roster, team="salten", period=2020)
    internal = tables.staff_report(
        log, cases, roster, team="salten", period=2020, audience="internal"
    )
    shown = published.to_frame(labels=False)
    hidden = published.hidden_mask(labels=False)
    assert _small(shown, ["people"]) == []
    assert hidden.loc["KB", "people"] and hidden.loc["KB", "staff_hours"]
    assert shown.loc["AH", "people"] == 4 and shown.loc["AH", "staff_hours"] == 8
    assert internal.value("KB", "people") == 1 and internal.value("KB", "staff_hours") == 2


EXCEPTIONS = {
    # hours per staff id and unattributed: the team's work, no count of cases or people;
    # staff_report, built on it, is the published table
    "staff_hours",
    # one case's state on a day (a label), not a figure about many
    "course_state",
    # each member's own internal tables, the audit's input (audit_release(parts=)): no
    # published view, so the caller must name the audience (next test)
    "member_parts",
}


def test_member_parts_are_had_only_by_naming_the_internal_audience() -> None:
    # published unless another audience is named: this one has no published view, so it
    # has no default either, and refuses any other audience by name
    parameter = inspect.signature(tables.member_parts).parameters["audience"]
    assert parameter.default is inspect.Parameter.empty
    assert parameter.kind is inspect.Parameter.KEYWORD_ONLY
    example = e.examples.salten_2020()
    with pytest.raises(e.errors.InvalidValueError, match="audience"):
        tables.member_parts(example.log, period=2020, audience="published")  # type: ignore[arg-type]


def test_every_builder_of_figures_for_a_period_is_published_by_default() -> None:
    """Found, not listed: every public function of ``ettervern.tables`` that takes a span
    (``period=`` or ``years=``) or a day (``on=``) takes ``audience`` (published by default)
    and ``threshold``."""
    found = []
    for name in tables.__all__:
        function = getattr(tables, name)
        if not inspect.isfunction(function):
            continue
        parameters = inspect.signature(function).parameters
        if not {"period", "years", "on"} & set(parameters) or name in EXCEPTIONS:
            continue
        found.append(name)
        assert "audience" in parameters, name
        assert parameters["audience"].default == "published", name
        assert "threshold" in parameters, name
        assert parameters["audience"].kind is inspect.Parameter.KEYWORD_ONLY, name
    assert {"people_by_year", "instrument_by_year", "staff_report", "course_report"} <= set(found)
    assert {"caseload", "caseload_by_role"} <= set(found)
    assert set(tables.__all__) >= EXCEPTIONS  # an exception that is gone is removed here
