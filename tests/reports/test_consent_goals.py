"""Issue 32: the table of consent and goals counts cases, is declared to the disclosure model and
hides what a small count would give away when published."""

from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e

d = dt.date
PLACES = ("Fauske", "Sørfold", "Saltdal")


@st.composite
def _cases(draw: st.DrawFn) -> list[e.Case]:
    found = []
    for number in range(draw(st.integers(1, 12))):
        place = draw(st.sampled_from(PLACES))
        letters = {"Fauske": "FA", "Sørfold": "SØ", "Saltdal": "SA"}[place]
        case = e.Case.refer(f"{number + 1:02d}/20-{letters}", on=d(2020, 2, 3), municipality=place)
        case = case.accept(on=d(2020, 2, 4))
        if draw(st.booleans()):
            case = case.give_consent("gp", on=d(2020, 2, 5))
        if draw(st.booleans()):
            case = case.set_goal("housing", on=d(2020, 2, 6), target=3, due=d(2020, 6, 1))
            if draw(st.booleans()):
                case = case.review_goal("housing", on=d(2020, 5, 1), status="met")
        found.append(case)
    return found


@settings(max_examples=20)
@given(_cases())
def test_the_internal_table_counts_what_a_model_counts(cases: list[e.Case]) -> None:
    table = e.tables.consent_goals_report(
        cases, team="salten", period=2020, audience="internal"
    ).to_frame()
    total = table.iloc[-1].to_numpy()
    expected = [
        len(cases),
        sum(bool(c.consent_on(d(2020, 12, 31))) for c in cases),
        sum(bool(c.goals) for c in cases),
        sum(any(g.status.value == "met" for g in c.goals) for c in cases),
    ]
    assert list(total) == expected
    assert (table.iloc[:, 1] <= table.iloc[:, 0]).all() and (
        table.iloc[:, 3] <= table.iloc[:, 2]
    ).all()


def test_published_the_table_shows_no_count_below_the_threshold() -> None:
    cases = [
        e.Case.refer(f"{n:02d}/20-FA", on=d(2020, 2, 3), municipality="Fauske")
        .accept(on=d(2020, 2, 4))
        .give_consent("nav", on=d(2020, 2, 5))
        for n in range(1, 6)
    ]
    cases.append(
        e.Case.refer("01/20-SØ", on=d(2020, 2, 3), municipality="Sørfold").accept(on=d(2020, 2, 4))
    )
    published = e.tables.consent_goals_report(cases, team="salten", period=2020).to_frame()
    shown = published.apply(pd.to_numeric, errors="coerce").to_numpy(dtype=float)  # ":" hidden
    assert not ((shown > 0) & (shown < 3)).any()
    assert np.isnan(shown).any()
    internal = e.tables.consent_goals_report(cases, team="salten", period=2020, audience="internal")
    assert internal.to_frame().loc["Sørfold"].iloc[0] == 1


def test_the_example_years_with_consent_report_it() -> None:
    keys = [r.key for r in e.annual_report(*_year("jaeren"), year=2019).reports]
    assert "consent_and_goals" in keys
    salten = [r.key for r in e.annual_report(*_year("salten"), year=2020).reports]
    assert "consent_and_goals" not in salten  # its seed describes no consent


def _year(name: str) -> tuple[e.TimeLog, list[e.Case]]:
    example = e.examples.example(name)
    return example.log, list(example.cases)
