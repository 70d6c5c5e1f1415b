"""Outcome instruments as data: FIT's ORS beside BrukerPlan; Sandnes' table 5 and Jæren's counts.

Sandnes 2020 (seed 004_…, table 5): 1,057 people answered in FIT, 50.7 % reported the expected
effect, 12.3 % dropped out (did not show up), 36 % finished because the treatment was complete.
Jæren 2018 (seed 002_…): 31 men and 13 women mapped; 4 in ordinary work, 2 went on to
residential treatment. The synthetic years below are built to have those figures; the expected
values are the seeds', typed here.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e

d = dt.date
YEAR_2020 = (d(2020, 1, 1), d(2020, 12, 31))


def team(name: str, *places: tuple[str, str]) -> e.Team:
    return e.Team(
        name=name,
        host=e.municipality(places[0][0]),
        members=[e.Membership(e.municipality(p), letters) for p, letters in places],
        categories=e.teams.salten().categories,
    )


def ors(total: float) -> dict[str, float]:
    """Four ORS marks adding up to ``total`` (each a quarter of it)."""
    return dict.fromkeys(("individually", "interpersonally", "socially", "overall"), total / 4)


def sandnes_fit_2020() -> tuple[list[e.Case], list[e.instruments.Response]]:
    """1,057 people: 536 improve by 6 points (effect), the others by 2; 381 complete, 130 stop
    showing up, the rest stay in follow-up."""
    cases, responses = [], []
    for i in range(1057):
        code = f"{i + 1}/20-SA"
        start = d(2020, 2, 3) + dt.timedelta(days=i % 200)
        case = e.Case.refer(code, on=start, municipality="Sandnes").accept(on=start)
        if i < 381:
            case = case.close(on=start + dt.timedelta(days=70), reason="completed")
        elif i < 381 + 130:
            case = case.close(on=start + dt.timedelta(days=30), reason="no_show")
        cases.append(case)
        first, last = 18.0, (24.0 if i < 536 else 20.0)
        responses += [
            e.instruments.Response.record("ors", case=code, on=start, answers=ors(first)),
            e.instruments.Response.record(
                "ors", case=code, on=start + dt.timedelta(days=21), answers=ors(last)
            ),
        ]
    return cases, responses


def test_sandnes_table_5_answers_effect_and_drop_out() -> None:
    cases, responses = sandnes_fit_2020()
    sandnes = team("Mestringsenheten", ("Sandnes", "SA"))
    report = e.annual_report(
        e.TimeLog.empty(sandnes), cases, team=sandnes, year=2020, responses=responses
    )["instrument_ors"]
    assert report.value("Sandnes", "people_answering") == 1057
    assert report.value("Sandnes", "answers") == 2114
    assert round(100 * report.value("Sandnes", "share_effect"), 1) == 50.7
    assert round(100 * report.value("Sandnes", "share_drop_out"), 1) == 12.3
    assert round(100 * report.value("Sandnes", "share_completed")) == 36
    assert "ors" in report.title_in("en").lower()
    by_year = e.tables.instrument_by_year(responses, cases, years=[2020], audience="internal")
    assert by_year.value("2020", "effect") == 536


def test_jaeren_gender_and_outcome_counts_of_2018() -> None:
    jaeren = team("Jæren", ("Klepp", "KL"), ("Time", "TI"), ("Hå", "HÅ"), ("Gjesdal", "GJ"))
    places = ["Klepp", "Time", "Hå", "Gjesdal"]
    cases = []
    for i in range(44):
        place = places[i % 4]
        letters = jaeren.membership(place).letters
        start = d(2018, 1, 8) + dt.timedelta(days=5 * i)
        case = e.Case.refer(
            f"{i + 1}/18-{letters}",
            on=start,
            municipality=place,
            gender="male" if i < 31 else "female",
        ).accept(on=start)
        flags = ["ordinary_work"] if i < 4 else ["residential_treatment"] if i < 6 else []
        case = case.close(
            on=start + dt.timedelta(days=42), reason="completed", outcome=e.Outcome(flags=flags)
        )
        cases.append(case)
    annual = e.annual_report(
        e.TimeLog.empty(jaeren), cases, team=jaeren, year=2018, audience="internal"
    )
    genders = annual["age_and_gender"].to_frame(labels=False)
    assert genders.loc["Total", "male"] == 31
    assert genders.loc["Total", "female"] == 13
    outcomes = annual["outcome_flags"].to_frame(labels=False)
    assert outcomes.loc["Total", "ordinary_work"] == 4
    assert outcomes.loc["Total", "residential_treatment"] == 2


def test_the_shipped_instruments_cite_their_sources() -> None:
    assert e.instruments.INSTRUMENTS == ("brukerplan", "ors", "srs")
    ors_ = e.instruments.instrument("ors")
    assert "Miller" in ors_.source and ors_.reliable_change == 5 and ors_.cutoff == 25
    assert [i.key for i in e.instruments.instrument("brukerplan").items] == [
        d.value for d in e.LifeDomain
    ]
    assert e.instruments.instrument("srs").timing == (e.instruments.Timing.EVERY_SESSION,)
    with pytest.raises(e.errors.ConfigError):
        e.instruments.instrument("phq9")


def test_a_team_adds_its_own_instrument() -> None:
    mood = e.interchange.instrument_from_dict(
        {
            "key": "mood",
            "name": "Dagsform",
            "items": [{"key": "energy", "name": "Energi"}, {"key": "sleep", "name": "Søvn"}],
            "scale": {"low": 1, "high": 5, "higher_is_better": False, "score": "mean"},
            "timing": ["intake", "closure"],
            "reliable_change": 1,
        }
    )
    case = e.Case.refer("1/20-FA", on=d(2020, 3, 2), municipality="Fauske").accept(on=d(2020, 3, 2))
    sheets = [
        e.instruments.Response.record(
            mood, case="1/20-FA", on=d(2020, 3, 2), answers={"energy": 4, "sleep": 5}
        ),
        e.instruments.Response.record(
            mood, case="1/20-FA", on=d(2020, 5, 2), answers={"energy": 2, "sleep": 3}
        ),
    ]
    assert sheets[0].score == 4.5
    annual = e.annual_report(
        e.TimeLog.empty(e.teams.salten()),
        [case],
        year=2020,
        responses=sheets,
        instruments=[mood],
        audience="internal",  # one person: published, every count of the table is hidden
    )
    assert annual["instrument_mood"].value("Fauske", "effect") == 1  # lower is better here
    with pytest.raises(e.errors.ConfigError):
        e.interchange.instrument_from_dict(
            {"key": "x", "name": "x", "items": [], "scale": {"low": 1, "high": 5}}
        )


@pytest.mark.parametrize(
    "answers",
    [
        {"individually": 4, "interpersonally": 6, "socially": 5},
        {**ors(20), "extra": 1},
        {**ors(20), "overall": 11},
        {**ors(20), "overall": 4.55},
        {**ors(20), "overall": "5"},
    ],
)
def test_answers_off_the_instrument_are_refused(answers: dict[str, float]) -> None:
    with pytest.raises(e.errors.InvalidValueError, match="ors"):
        e.instruments.Response.record("ors", case="1/20-SA", on=d(2020, 1, 6), answers=answers)


@given(st.lists(st.integers(0, 100), min_size=4, max_size=4))
def test_an_ors_score_is_the_sum_of_its_marks(tenths: list[int]) -> None:
    marks = [t / 10 for t in tenths]
    keys = ("individually", "interpersonally", "socially", "overall")
    sheet = e.instruments.Response.record(
        "ors", case="1/20-SA", on=d(2020, 1, 6), answers=dict(zip(keys, marks, strict=True))
    )
    assert sheet.score == pytest.approx(sum(marks))
    assert 0 <= sheet.score <= 40


def test_brukerplan_answer_sheets_come_from_the_cases_outcomes() -> None:
    full = e.Outcome.from_scores(dict.fromkeys(e.LifeDomain, 2))
    case = (
        e.Case.refer("1/20-FA", on=d(2020, 3, 2), municipality="Fauske")
        .accept(on=d(2020, 3, 2))
        .assess(on=d(2020, 3, 3), outcome=full)
        .assess(on=d(2020, 3, 4), outcome=e.Outcome(housing=1))
        .close(on=d(2020, 5, 2), reason="completed", outcome=full)
    )
    sheets = e.instruments.brukerplan_responses([case])
    assert [(s.on, s.score) for s in sheets] == [(d(2020, 3, 3), 2.0), (d(2020, 5, 2), 2.0)]
