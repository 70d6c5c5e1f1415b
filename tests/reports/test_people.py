"""People, not only episodes; and STYRK's double counting (seed 001_…) gone.

STYRK's services could not compare their lists of people, so the municipality's total added
NAV's 11, the GPs' 15-20 and the home services' 8-10 and counted people in two services twice.
Here each service makes pseudonyms from its own records with the key the municipality gave all of
them, and only the pseudonyms are compared.
"""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern import privacy
from tests import strategies as s

d = dt.date
KEY = "a key the municipality gives its services"


@settings(max_examples=20)
@given(st.lists(s.national_ids(), min_size=30, max_size=30, unique=True))
def test_two_services_count_their_shared_people_and_the_double_counting_is_gone(
    numbers: list[str],
) -> None:
    # NAV follows 11 people, the GPs 17, the home services 9. Six are followed by NAV and the
    # GPs, one of them by the home services too: the sum of the services (37) counts 7 people
    # too many; there are 30.
    nav = numbers[0:11]
    gp = numbers[5:11] + numbers[11:22]  # shares 6 with NAV
    home = numbers[5:6] + numbers[22:30]  # numbers[5] is in NAV and GP
    services = {
        name: [privacy.pseudonym(n, key=KEY) for n in people]
        for name, people in (("NAV", nav), ("Legetjenesten", gp), ("Hjemmetjenesten", home))
    }
    counted = e.tables.count_shared_people(services)
    assert counted.per_service == {"NAV": 11, "Legetjenesten": 17, "Hjemmetjenesten": 9}
    assert counted.sum_of_services == 37
    assert counted.distinct == 30
    assert counted.shared == 6
    assert counted.double_counted == 7
    table = counted.to_report()
    assert table.value("distinct", "people") == 30
    assert all(n not in table.to_text("nb") for n in numbers)


@given(st.lists(s.national_ids(), min_size=4, max_size=4, unique=True))
def test_without_the_same_key_nobody_matches(numbers: list[str]) -> None:
    one = [privacy.pseudonym(n, key=KEY) for n in numbers]
    other = [privacy.pseudonym(n, key=KEY + " (another)") for n in numbers]
    assert e.tables.count_shared_people({"A": one, "B": other}).shared == 0


@given(st.dictionaries(st.sampled_from("ABCD"), st.lists(s.pseudonyms, max_size=8), min_size=1))
def test_counts_add_up_for_any_lists(services: dict[str, list[str]]) -> None:
    counted = e.tables.count_shared_people(services)
    union = set().union(*map(set, services.values()))
    assert counted.distinct == len(union)
    assert counted.double_counted >= 0
    assert counted.shared <= counted.distinct
    assert counted.sum_of_services == sum(len(set(v)) for v in services.values())


def test_a_case_without_a_pseudonym_cannot_be_matched() -> None:
    case = e.Case.refer("01/20-FA", on=d(2020, 1, 6), municipality="Fauske")
    with pytest.raises(e.errors.InvalidValueError, match="pseudonym"):
        e.tables.count_shared_people({"team": [case]})


def episode(code: str, person: str | None, start: dt.date, place: str = "Fauske") -> e.Case:
    return (
        e.Case.refer(code, on=start, municipality=place, person=person)
        .accept(on=start)
        .close(on=start + dt.timedelta(days=40), reason="completed")
    )


def test_people_and_episodes_per_municipality_and_per_year() -> None:
    ann, bo = s.fake_pseudonym(1), s.fake_pseudonym(2)
    cases = [
        episode("01/20-FA", ann, d(2020, 2, 1)),
        episode("02/20-FA", ann, d(2020, 9, 1)),  # Ann again: a second episode
        episode("03/20-FA", bo, d(2020, 3, 1)),
        episode("01/20-SA", bo, d(2020, 10, 1), "Saltdal"),  # Bo moved to Saltdal
        episode("04/20-FA", None, d(2020, 4, 1)),  # no pseudonym: a person of its own
        episode("01/21-FA", ann, d(2021, 1, 10)),
    ]
    period = (d(2020, 1, 1), d(2020, 12, 31))
    report = e.tables.people_report(
        cases, team=e.teams.salten(), period=period, audience="internal"
    )
    assert report.value("Fauske", "episodes") == 4
    assert report.value("Fauske", "people") == 3
    assert report.value("Fauske", "people_several_episodes") == 1
    assert report.value("Saltdal", "people") == 1
    frame = report.to_frame(labels=False)
    assert frame.loc["Total", "episodes"] == 5
    assert frame.loc["Total", "people"] == 3  # Bo once, though followed in two places
    by_year = e.tables.people_by_year(cases, years=[2020, 2021], audience="internal")
    assert by_year.value("2020", "people") == 3
    assert by_year.value("2021", "episodes") == 1
    assert by_year.to_frame(labels=False).loc["Total", "people"] == 3
    with pytest.raises(e.errors.InvalidValueError):
        e.tables.people_by_year(cases, years=[])


def test_the_people_table_is_in_the_annual_report_when_cases_carry_pseudonyms() -> None:
    example = e.examples.salten_2020()
    keys = e.annual_report(example.log, example.cases, year=2020).keys()
    assert "people" not in keys
    marked = [
        e.interchange.case_from_dict(
            {**e.interchange.case_to_dict(c), "person": s.fake_pseudonym(i % 10)}
        )
        for i, c in enumerate(example.cases)
    ]
    annual = e.annual_report(example.log, marked, year=2020, audience="internal")
    assert annual["people"].to_frame(labels=False).loc["Total", "people"] <= 10
    hidden = annual["people"].publishable(threshold=3)
    assert hidden.suppression is not None
    published = e.annual_report(example.log, marked, year=2020)["people"]
    assert published.publishable(threshold=3) is published  # protected once, as one release
    with pytest.raises(e.errors.InvalidValueError, match="threshold"):
        published.publishable(threshold=5)


@settings(max_examples=40)
@given(st.lists(s.cases(), max_size=8))
def test_people_never_outnumber_episodes(cases: list[e.Case]) -> None:
    year = (d(2020, 1, 1), d(2030, 12, 31))
    report = e.tables.people_report(cases, team=None, period=year, audience="internal")
    frame = report.to_frame(labels=False).fillna(0)
    active = [c for c in cases if c.active_between(*year)]
    if not active:
        return
    assert frame.loc["Total", "episodes"] == len(active)
    assert frame.loc["Total", "people"] == len({e._reports.person_key(c) for c in active})
    assert (frame["people"] <= frame["episodes"]).all()
