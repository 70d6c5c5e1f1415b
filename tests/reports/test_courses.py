"""Sandnes' course figures of 2020 (seed 004_…) from a synthetic year built to match them.

The published figures: of 62 people in a course in 2020, 25 had completed it, 19 had broken it
off and 18 were still in it at year end; 3.2 treatment hours per person on average and 2.6 months
of treatment. The synthetic year below is made to have them; the expected values are the
report's, typed here, not computed.
"""

from __future__ import annotations

import datetime as dt

import attrs
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from tests import strategies as s

d = dt.date
YEAR = (d(2020, 1, 1), d(2020, 12, 31))


def sandnes() -> e.Team:
    return e.Team(
        name="Mestringsenheten",
        host=e.municipality("Sandnes"),
        members=[e.Membership(e.municipality("Sandnes"), "SA")],
        categories=e.teams.salten().categories,
    )


def synthetic_2020() -> tuple[list[e.Case], e.TimeLog]:
    """62 courses: 25 completed and 19 aborted in 2020 (22 after 60 days, 22 after 98), 18
    still open; 25 people with 3.5 hours, 37 with 3 (198.5 hours)."""
    cases = []
    rows = []
    for i in range(62):
        code = f"{i + 1:02d}/20-SA"
        start = d(2020, 3, 2) + dt.timedelta(days=i) if i < 44 else d(2020, 9, 1)
        case = (
            e.Case.refer(code, on=start - dt.timedelta(days=14), municipality="Sandnes")
            .accept(on=start)
            .complete("decision", on=start)
        )
        if i % 3 == 0:
            case = case.complete("individual_plan", on=start + dt.timedelta(days=5))
        if i % 2 == 0:
            case = case.assign_staff(f"k{i % 5}", on=start + dt.timedelta(days=5), coordinator=True)
        late = i == 61  # the last one's plan took 120 days
        case = case.complete("treatment_plan", on=start + dt.timedelta(days=120 if late else 7))
        if i < 44:
            length = 60 if i % 2 else 98
            reason = "completed" if i < 25 else "aborted"
            case = case.close(on=start + dt.timedelta(days=length), reason=reason)
        cases.append(case)
        hours = 3.5 if i < 25 else 3.0
        rows += [
            {"case": code, "date": start, "municipality": "Sandnes", "category": "user_follow_up",
             "hours": hours - 1.0, "staff": 1},
            {"case": code, "date": start + dt.timedelta(days=1), "municipality": "Sandnes",
             "category": "user_follow_up", "hours": 1.0, "staff": 1},
        ]  # fmt: skip
    log = e.TimeLog.from_frame(pd.DataFrame(rows), team=sandnes())
    return cases, log


def test_sandnes_courses_at_year_end_25_19_18_of_62() -> None:
    cases, log = synthetic_2020()
    report = e.annual_report(log, cases, team=sandnes(), year=2020)["courses"]
    assert report.value("Sandnes", "courses") == 62
    assert report.value("Sandnes", "completed") == 25
    assert report.value("Sandnes", "aborted") == 19
    assert report.value("Sandnes", "ongoing") == 18
    # The report's percentages: 40 %, 31 %, 29 %.
    assert round(100 * report.value("Sandnes", "share_completed")) == 40
    assert round(100 * report.value("Sandnes", "share_aborted")) == 31
    assert round(100 * report.value("Sandnes", "share_ongoing")) == 29


def test_sandnes_mean_hours_per_person_and_months_to_one_decimal() -> None:
    cases, log = synthetic_2020()
    annual = e.annual_report(log, cases, team=sandnes(), year=2020)
    hours = annual["hours_per_person"]
    assert hours.value("Total", "people") == 62
    assert round(hours.value("Total", "hours_per_person"), 1) == 3.2
    length = annual["course_length"]
    assert round(length.value("Total", "mean_months"), 1) == 2.6
    assert length.value("Total", "median_weeks") == (60 + 98) / 2 / 7
    assert "3,2" in hours.to_text("nb")


def test_plans_coordinators_and_the_three_month_deadline() -> None:
    cases, log = synthetic_2020()
    annual = e.annual_report(log, cases, team=sandnes(), year=2020)
    plans = annual["plans_and_coordinators"]
    assert plans.value("Sandnes", "with_plan") == 21  # every third of 62
    assert plans.value("Sandnes", "with_coordinator") == 31  # every second
    assert round(plans.value("Sandnes", "share_with_coordinator"), 2) == 0.5
    deadline = annual["three_month_deadline"]
    assert deadline.value("Sandnes", "due") == 62
    assert deadline.value("Sandnes", "late") == 1
    assert deadline.value("Sandnes", "on_time") == 61


def test_the_deadline_is_a_milestone_on_the_due_list_with_the_sandnes_template() -> None:
    late = (
        e.Case.refer("01/20-SA", on=d(2020, 1, 31), municipality="Sandnes")
        .accept(on=d(2020, 2, 3))
        .complete("decision", on=d(2020, 2, 3))
    )
    rows = e.due_list([late], on=d(2020, 5, 1), template=e.pathway_template("sandnes"))
    plan = rows[rows["milestone"] == "treatment_plan"].iloc[0]
    assert plan["due"].date() == d(2020, 4, 30)  # 31 January + 3 calendar months
    assert plan["status"] == "overdue"
    assert "decision" not in set(rows["milestone"])


def test_a_case_not_done_by_the_end_of_the_period_is_not_done() -> None:
    case = e.Case.refer("01/20-SA", on=d(2020, 1, 6), municipality="Sandnes").accept(
        on=d(2020, 1, 7)
    )
    report = e.tables.deadline_report([case], team=None, period=YEAR, audience="internal")
    assert report.value("Sandnes", "not_done") == 1
    assert report.value("Total", "share_on_time") == 0


def test_a_referral_in_the_window_but_due_before_the_period_is_not_counted() -> None:
    # The deadline table reads referrals in a window 3 days wider than the period less the
    # months; 30 October 2019 is in February 2020's window, but + 3 months is 30 January.
    def referred(code: str, on: dt.date) -> e.Case:
        case = e.Case.refer(code, on=on, municipality="Sandnes").accept(on=on)
        return case.complete("decision", on=on).complete("treatment_plan", on=on)

    early, due = referred("01/19-SA", d(2019, 10, 30)), referred("02/19-SA", d(2019, 11, 29))
    report = e.tables.deadline_report(
        [early, due], team=None, period=(d(2020, 2, 1), d(2020, 2, 29)), audience="internal"
    )
    assert report.value("Sandnes", "due") == 1  # 29 November + 3 months: 29 February
    assert report.value("Sandnes", "on_time") == 1


def test_course_state_counts_withdrew_and_no_show_as_aborted() -> None:
    base = e.Case.refer("01/20-SA", on=d(2020, 1, 6), municipality="Sandnes").accept(
        on=d(2020, 1, 7)
    )
    states = {
        reason: e.tables.course_state(base.close(on=d(2020, 3, 1), reason=reason), d(2020, 12, 31))
        for reason in ("withdrew", "no_show", "aborted", "moved", "completed")
    }
    assert states == {
        "withdrew": "aborted",
        "no_show": "aborted",
        "aborted": "aborted",
        "moved": "ended_otherwise",
        "completed": "completed",
    }
    assert e.tables.course_state(base, d(2020, 12, 31)) == "ongoing"
    assert e.tables.course_state(base, d(2020, 1, 6)) is None


@settings(max_examples=40)
@given(st.lists(s.cases(), max_size=8))
def test_every_course_has_exactly_one_state(cases: list[e.Case]) -> None:
    period = (d(2020, 1, 1), d(2030, 12, 31))
    frame = e.tables.course_report(cases, team=None, period=period, audience="internal")
    frame = frame.to_frame(labels=False).fillna(0)
    states = ["completed", "aborted", "ended_otherwise", "ongoing"]
    if len(frame):
        assert (frame[states].sum(axis=1) == frame["courses"]).all()


_LOG = e.examples.salten_2020().log.to_frame()


_ABORTED = {"aborted", "withdrew", "no_show"}  # the note of the courses table


def _by_each_case(cases: list[e.Case], log: pd.DataFrame) -> dict[str, dict[str, float]]:
    """The course tables' counts by municipality, read by the test from each case through
    its public methods (the oracle): ``{table key: {"municipality column": value}}``, with
    the people in all municipalities under ``"Total people"``."""
    start, end = YEAR
    active = [c for c in cases if c.active_between(start, end)]
    out: dict[str, dict[str, float]] = {}

    def add(key: str, cell: str, value: float = 1.0) -> None:
        out.setdefault(key, {})
        out[key][cell] = out[key].get(cell, 0.0) + value

    logged = log[log["case"].notna()]
    logged = logged[(logged["date"] >= pd.Timestamp(start)) & (logged["date"] <= pd.Timestamp(end))]
    hours = logged.groupby(logged["case"].astype(str))["hours"].sum().to_dict()
    best: dict[tuple[str, str], tuple[int, bool]] = {}
    for case in active:
        place, person = case.municipality.name, case.person or f"case:{case.code}"
        closure = case.closure
        state = "ongoing"
        if closure is not None and closure.on <= end:
            reason = closure.reason.value
            state = "completed" if reason == "completed" else "ended_otherwise"
            state = "aborted" if reason in _ABORTED else state
        add("courses", f"{place} courses")
        add("courses", f"{place} {state}")
        add("hours_per_person", f"{place} hours", float(hours.get(str(case.code), 0.0)))
        plan_on = case.done_on("individual_plan")
        plan = 2 if plan_on is not None and plan_on <= end else 0
        if plan == 0 and case.as_of(end) is not None:
            plan = int(case.as_of(end).waived("individual_plan") == "declined")
        coordinated = any(
            a.coordinator and a.since <= end and (a.until is None or a.until >= start)
            for a in case.staff_assignments
        )
        had = best.get((place, person), (0, False))
        best[(place, person)] = (max(had[0], plan), had[1] or coordinated)
    for where in ("each", "all"):
        merged: dict[tuple[str, str], tuple[int, bool]] = {}
        for (place, person), (plan, coordinated) in best.items():
            at = (place if where == "each" else "Total", person)
            had = merged.get(at, (0, False))
            merged[at] = (max(had[0], plan), had[1] or coordinated)
        for (place, _), (plan, coordinated) in merged.items():
            add("hours_per_person", f"{place} people")
            add("plans_and_coordinators", f"{place} people")
            column = ("plan_missing", "plan_declined", "with_plan")[plan]
            add("plans_and_coordinators", f"{place} {column}")
            add("plans_and_coordinators", f"{place} with_coordinator", float(coordinated))
    for case in cases:
        closed = case.closed_on is not None and start <= case.closed_on <= end
        if closed and case.follow_up_length is not None:
            add("course_length", f"{case.municipality.name} closed")
    return out


def _counts_of(report: e.Report, cells: dict[str, float]) -> dict[str, float]:
    """The cells of ``report`` the oracle names (``_by_each_case``), a missing one as 0."""
    data = report.data
    shown = {
        f"{r} {c}": float(v)
        for r, c, v in zip(data["row"], data["column"], data["value"], strict=True)
    }
    shown |= {f"Total {c}": float(v) for c, v in report.total_values.items()}
    return {cell: shown.get(cell, 0.0) for cell in cells}


def _course_tables_read_once_equal_those_of_each_case(cases: list[e.Case]) -> None:
    # The course tables read the cases the annual report's walk found active once
    # (``_courses.Active``), their states from its facts, and the course lengths the walk
    # found; the public functions read the same from each case. Both are held to the test's
    # own reading of each case (the oracle), people shared, plans declined and coordinators
    # included.
    from ettervern._reports._cases import walk_cases
    from ettervern._reports._courses import (
        course_length_report,
        course_report,
        hours_per_person_report,
        plans_report,
    )
    from ettervern._reports._extra import people_and_course_reports

    team = e.teams.salten()
    walk = walk_cases(cases, YEAR)
    made = {r.key: r for r in people_and_course_reports(_LOG, cases, team, YEAR, walk)}
    oracle = _by_each_case(cases, _LOG)
    assert bool(made) == any(c.is_accepted for c in cases)
    public = {
        "courses": course_report(cases, team, YEAR),
        "course_length": course_length_report(cases, team, YEAR),
        "hours_per_person": hours_per_person_report(_LOG, cases, team, YEAR),
        "plans_and_coordinators": plans_report(cases, team, YEAR),
    }
    for key, report in public.items():
        expected = oracle.get(key, {})
        assert _counts_of(report, expected) == expected, key
        if key in made:
            assert _counts_of(made[key], expected) == expected, key
            pd.testing.assert_frame_equal(made[key].data, report.data)
            assert made[key].total_values == report.total_values
            assert made[key].row_order == report.row_order


@settings(max_examples=40)
@given(st.data())
def test_the_course_tables_of_the_annual_walk_equal_those_of_each_case(data: st.DataObject) -> None:
    cases = data.draw(s.small_case_sets(years=(2020,)))
    _course_tables_read_once_equal_those_of_each_case(data.draw(s.people_in_two_places(cases)))


def test_the_annual_walk_counts_a_person_once_with_the_best_plan() -> None:
    one, two = s.fake_pseudonym(1), s.fake_pseudonym(2)

    def case(code: str, place: str, person: str | None) -> e.Case:
        referred = e.Case.refer(code, on=d(2020, 2, 3), municipality=place, person=person)
        return referred.accept(on=d(2020, 2, 10))

    cases = [
        case("01/20-FA", "Fauske", one).complete("individual_plan", on=d(2020, 3, 1)),
        case("02/20-FA", "Fauske", one).waive(
            "individual_plan", on=d(2020, 3, 1), reason="declined"
        ),
        case("01/20-BO", "Bodø", one).assign_staff("k1", on=d(2020, 3, 1), coordinator=True),
        case("03/20-FA", "Fauske", None).close(on=d(2020, 6, 1), reason="completed"),
        case("04/20-FA", "Fauske", two)
        .waive("individual_plan", on=d(2020, 3, 1), reason="declined")
        .close(on=d(2020, 5, 1), reason="aborted"),
        case("05/20-FA", "Fauske", None),
    ]
    _course_tables_read_once_equal_those_of_each_case(cases)
    _course_tables_read_once_equal_those_of_each_case([attrs.evolve(c, person=None) for c in cases])
    # typed: Fauske has `one` (a plan, and a declined one: the plan), `two` (declined) and two
    # cases of no one (plans missing); Bodø `one` again, with a coordinator, no plan there
    plans = e.tables.plans_report(cases, team="salten", period=YEAR, audience="internal")
    cells = {
        (r, c): v
        for r, c, v in zip(
            plans.data["row"], plans.data["column"], plans.data["value"], strict=True
        )
    }
    assert [
        cells[("Fauske", c)] for c in ("people", "with_plan", "plan_declined", "plan_missing")
    ] == [4, 1, 1, 2]
    assert [cells[("Bodø", c)] for c in ("people", "plan_missing", "with_coordinator")] == [1, 1, 1]
    assert plans.total_values["people"] == 4  # `one` once


@given(
    start=st.dates(d(2000, 1, 1), d(2040, 12, 31)),
    days=st.integers(0, 800),
    referred=st.dates(d(1998, 1, 1), d(2043, 12, 31)),
    months=st.integers(1, 36),
)
def test_every_referral_due_in_the_period_is_in_the_window_the_deadline_table_reads(
    start: dt.date, days: int, referred: dt.date, months: int
) -> None:
    # The deadline table does month arithmetic only for referrals in this window. The oracle
    # is dateutil's own arithmetic on the one referral, month ends included (31 January + 1
    # month is 28 or 29 February).
    from dateutil.relativedelta import relativedelta

    from ettervern._reports._courses import referrals_due_within

    end = start + dt.timedelta(days=days)
    first, last = referrals_due_within((start, end), months)
    if start <= referred + relativedelta(months=months) <= end:
        assert first <= referred <= last
    # Not much wider than the period: 3 days each side, and months of unequal length moved
    # under it (1 August to 1 March, less a month each, is 1 July to 1 February: 3 days more).
    assert (last - first).days <= days + 9


def test_a_referral_on_a_months_last_days_is_due_in_the_period_at_the_window_s_edge() -> None:
    # 29 and 30 November 2019 + 3 months are 29 February 2020 (30 clamped): due on the
    # period's last day, so each is in the window of a period ending then.
    from ettervern._reports._courses import referrals_due_within

    first, last = referrals_due_within((d(2020, 2, 1), d(2020, 2, 29)), 3)
    assert first <= d(2019, 11, 1) and d(2019, 11, 30) <= last
