"""Issue 32: the team's daily casework (task keys, waivers, expected discharges, the working
list and the rules that keep stored histories possible)."""

from __future__ import annotations

import datetime as dt

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from tests import strategies as s

d = dt.date


def _inside() -> e.Case:
    """A case accepted while the person is in treatment (seed 003: IP before discharge)."""
    case = e.Case.refer("01/25-FA", on=d(2025, 11, 3), municipality="Fauske")
    return case.admit(on=d(2025, 11, 3), kind="treatment").accept(on=d(2025, 11, 5))


def _rule(call: object) -> str:
    with pytest.raises(e.errors.PathwayError) as refused:
        call()  # type: ignore[operator]
    return str(refused.value.rule)


# -- 1. task keys --------------------------------------------------------------------------------


def test_a_misspelt_task_is_refused_with_the_known_keys() -> None:
    case = _inside()
    with pytest.raises(e.errors.PathwayError) as refused:
        case.complete("individual_pln", on=d(2025, 11, 10))
    assert refused.value.rule == "unknown_task"
    assert "individual_plan" in str(refused.value) and "crisis_plan" in str(refused.value)
    assert case.complete("individual_plan", on=d(2025, 11, 10)).done_on("individual_plan")


def test_a_template_step_is_a_known_task_and_a_team_narrows_the_keys() -> None:
    case = _inside()
    assert case.complete("week_3_individual_talk", on=d(2025, 11, 10)).events[-1].task
    assert _rule(lambda: case.complete("decision", on=d(2025, 11, 10), template="jaeren")) == (
        "unknown_task"
    )
    assert "week_1_mapping_and_consent" in e.events.known_tasks(template="jaeren")
    assert "decision" not in e.events.known_tasks(team=e.teams.salten())


@given(
    st.from_regex(r"[a-z][a-z_]{0,20}", fullmatch=True) | st.sampled_from(e.events.known_tasks())
)
def test_only_known_keys_are_taken(key: str) -> None:
    case = _inside()
    known = key in e.events.known_tasks()
    try:
        case.complete(key, on=d(2025, 11, 10))
    except e.errors.PathwayError as refused:
        rule = refused.rule
        assert (rule == "unknown_task") is not known
    else:
        assert known


# -- 2. waive and reschedule ---------------------------------------------------------------------


def _closed_out() -> e.Case:
    return _inside().discharge(on=d(2025, 12, 1))


def test_a_declined_plan_leaves_the_due_list_and_is_counted_apart() -> None:
    case = _closed_out()
    on = d(2025, 12, 15)
    assert "individual_plan" in set(e.due_list([case], on=on)["milestone"])
    declined = case.waive("individual_plan", on=d(2025, 12, 2), reason="declined")
    assert "individual_plan" not in set(e.due_list([declined], on=on)["milestone"])
    plan = next(m for m in e.milestones(declined, on=on) if m.key == "individual_plan")
    assert plan.status(on) is e.MilestoneStatus.WAIVED
    assert plan.waived is e.events.WaiverReason.DECLINED
    period = (d(2025, 1, 1), d(2025, 12, 31))
    report = e.tables.plans_report([declined], period=period, audience="internal")
    assert report.value("Fauske", "plan_declined") == 1
    assert report.value("Fauske", "plan_missing") == 0
    assert (
        e.tables.plans_report([case], period=period, audience="internal").value(
            "Fauske", "plan_missing"
        )
        == 1
    )


def test_a_rescheduled_milestone_is_due_on_its_new_day() -> None:
    case = _closed_out().reschedule("individual_plan", on=d(2025, 12, 2), to=d(2025, 12, 20))
    plan = next(m for m in e.milestones(case) if m.key == "individual_plan")
    assert plan.due == d(2025, 12, 20)
    assert _rule(lambda: case.reschedule("crisis_plan", on=d(2025, 12, 3), to=d(2025, 12, 1))) == (
        "rescheduled_to_past"
    )
    assert _rule(lambda: case.waive("individual_pln", on=d(2025, 12, 3), reason="declined")) == (
        "unknown_task"
    )


@given(s.cases(), st.sampled_from(["individual_plan", "handover_meeting", "follow_up_target"]))
def test_a_waived_milestone_is_never_on_the_due_list(case: e.Case, key: str) -> None:
    on = case.events[-1].on
    try:
        waived = case.waive(key, on=on, reason="not_applicable")
    except e.errors.PathwayError:
        return
    frame = e.due_list([waived], on=on + dt.timedelta(days=400))
    assert key not in set(frame["milestone"])


# -- 3. expected discharge -----------------------------------------------------------------------


def test_the_plan_falls_due_before_an_expected_discharge() -> None:
    case = _inside()
    on = d(2025, 11, 20)
    assert "individual_plan" not in set(e.due_list([case], on=on)["milestone"])  # not yet known
    expected = case.expect_discharge(on=d(2025, 11, 10), expected=d(2025, 12, 5))
    assert expected.expected_discharge == d(2025, 12, 5)
    rows = e.due_list([expected], on=on, template="integrated")
    due = dict(zip(rows["milestone"], rows["due"].dt.date, strict=True))
    assert (
        due["individual_plan"] == due["crisis_plan"] == due["cooperation_meeting"] == d(2025, 12, 5)
    )
    revised = expected.expect_discharge(on=d(2025, 11, 25), expected=d(2025, 12, 12))
    assert e.milestones(revised)[0].due == d(2025, 12, 12)
    out = revised.discharge(on=d(2025, 12, 10))
    assert out.expected_discharge is None
    assert next(m.due for m in e.milestones(out) if m.key == "individual_plan") == d(2025, 12, 10)


def test_an_expected_discharge_needs_an_open_stay_and_a_later_day() -> None:
    case = e.Case.refer("01/25-FA", on=d(2025, 11, 3), municipality="Fauske")
    assert _rule(lambda: case.expect_discharge(on=d(2025, 11, 4), expected=d(2025, 12, 1))) == (
        "no_stay_to_expect"
    )
    inside = _inside()
    assert _rule(lambda: inside.expect_discharge(on=d(2025, 11, 9), expected=d(2025, 11, 8))) == (
        "expected_before_record"
    )


# -- 4. the working list -------------------------------------------------------------------------


def test_a_closed_case_keeps_only_its_closure_tasks_and_check() -> None:
    case = _closed_out().close(on=d(2026, 1, 10), reason="completed")
    frame = e.due_list([case], on=d(2026, 6, 1))
    assert set(frame["milestone"]) == {"closure_report", "evaluation_form", "three_month_check"}
    assert set(e.due_list([case], on=d(2026, 1, 9))["milestone"]) >= {"individual_plan"}


def test_the_working_list_names_the_staff_and_filters_by_them() -> None:
    case = _inside().assign_staff("KB", on=d(2025, 11, 5), coordinator=True)
    case = case.assign_staff("AH", on=d(2025, 11, 5)).discharge(on=d(2025, 12, 1))
    other = e.Case.refer("02/25-FA", on=d(2025, 11, 3), municipality="Fauske")
    other = other.accept(on=d(2025, 11, 4)).assign_staff("TO", on=d(2025, 11, 4))
    on = d(2025, 12, 15)
    frame = e.due_list([case, other], on=on)
    mine = e.due_list([case, other], on=on, staff="AH")
    assert set(mine["code"]) == {"01/25-FA"} and set(frame["code"]) == {"01/25-FA", "02/25-FA"}
    assert set(mine["staff"]) == {"AH, KB"} and set(mine["coordinator"]) == {"KB"}
    assert e.due_list([case, other], on=on, staff="nobody").empty


# -- 5. integrity --------------------------------------------------------------------------------


def test_impossible_histories_of_issue_32_are_refused_by_name() -> None:
    case = _inside()
    assert _rule(lambda: case.release_staff("KB", on=d(2025, 11, 6))) == "release_unassigned"
    kb = case.assign_staff("KB", on=d(2025, 11, 6))
    assert _rule(lambda: kb.assign_staff("KB", on=d(2025, 11, 7))) == "assigned_twice"
    assert kb.release_staff("KB", on=d(2025, 11, 8)).assign_staff("KB", on=d(2025, 11, 9))
    assert _rule(lambda: case.complete("closure_report", on=d(2025, 11, 7))) == (
        "report_before_closure"
    )
    referral = e.Case.refer("03/25-FA", on=d(2025, 11, 3), municipality="Fauske")
    withdrew = referral.close(on=d(2025, 11, 20), reason="withdrew")
    assert _rule(lambda: withdrew.complete("evaluation_form", on=d(2025, 11, 21))) == (
        "evaluation_without_acceptance"
    )
    assert (
        _rule(lambda: referral.close(on=d(2025, 11, 20), reason="withdrew", evaluation_given=True))
        == "evaluation_without_acceptance"
    )


@given(st.lists(st.tuples(st.booleans(), s.staff_ids), max_size=8))
def test_staff_events_are_refused_exactly_when_impossible(steps: list[tuple[bool, str]]) -> None:
    case = _inside()
    on = d(2025, 11, 6)
    assigned: set[str] = set()
    events = list(case.events)
    for assign, staff in steps:
        possible = (staff not in assigned) if assign else (staff in assigned)
        try:
            case = case.assign_staff(staff, on=on) if assign else case.release_staff(staff, on=on)
        except e.errors.PathwayError as refused:
            rule = refused.rule
            assert not possible
            assert rule == ("assigned_twice" if assign else "release_unassigned")
            continue
        assert possible
        assigned ^= {staff}
        events = list(case.events)
    assert e.Case(case.code, case.municipality, events) == case  # the one pass agrees


# -- 6. decline reasons --------------------------------------------------------------------------


def test_a_decline_records_its_reason() -> None:
    case = e.Case.refer("04/25-FA", on=d(2025, 11, 3), municipality="Fauske")
    declined = case.decline(on=d(2025, 11, 4), reason="no_capacity")
    assert declined.decline_reason is e.events.DeclineReason.NO_CAPACITY
    assert e.interchange.case_from_dict(e.interchange.case_to_dict(declined)) == declined
    assert case.decline(on=d(2025, 11, 4)).decline_reason is None


# -- 4. caseload and the calendar ----------------------------------------------------------------


def _roster(*ids: str, fte: float = 1.0) -> e.Roster:
    return e.Roster([e.StaffMember(i, [e.Employment(since=d(2020, 1, 1), fte=fte)]) for i in ids])


def test_caseload_counts_open_cases_per_staff_against_the_yardstick() -> None:
    on = d(2025, 12, 15)
    case = _inside().assign_staff("KB", on=d(2025, 11, 5), coordinator=True)
    case = case.assign_staff("AH", on=d(2025, 11, 5))
    closed = _inside().discharge(on=d(2025, 11, 20)).close(on=d(2025, 12, 1), reason="completed")
    frame = e.tables.caseload([case, closed], _roster("KB", "AH", "TO"), on=on, audience="internal")
    assert list(frame.columns) == list(e.tables.CASELOAD_COLUMNS)
    assert frame.loc["KB", "cases"] == frame.loc["AH", "cases"] == 1
    assert frame.loc["TO", "cases"] == 0 and frame.loc["KB", "coordinator"] == 1
    assert frame.loc["KB", "yardstick"] == 12.0  # 6 people per FTE, two staff on each case
    assert frame.loc["Total", "cases"] == 1 and frame.loc["Total", "yardstick"] == 18.0


@given(st.lists(s.cases(max_events=8), max_size=6), st.dates(d(2020, 1, 1), d(2031, 12, 31)))
def test_caseload_totals_bound_the_assignments(cases: list[e.Case], on: dt.date) -> None:
    frame = e.tables.caseload(cases, _roster("KB", "AH", "m3", "TO-2"), on=on, audience="internal")
    staff = frame.drop(index="Total")
    assert staff["cases"].sum() <= 4 * frame.loc["Total", "cases"]
    assert (staff["coordinator"] <= staff["cases"]).all()


def test_a_due_list_becomes_a_calendar_with_codes_only() -> None:
    icalendar = pytest.importorskip("icalendar")
    case = _closed_out().assign_staff("KB", on=d(2025, 12, 2))
    frame = e.due_list([case], on=d(2025, 12, 15), staff="KB", locale="nb")
    text = e.interchange.due_list_to_ics(
        frame, stamp=dt.datetime(2025, 12, 15, 7, 0, tzinfo=dt.UTC)
    )
    assert text.endswith("\r\n") and all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    events = list(icalendar.Calendar.from_ical(text).walk("VEVENT"))
    assert len(events) == len(frame)
    assert {str(v["SUMMARY"]).split(": ")[0] for v in events} == {"01/25-FA"}
    assert {v["DTSTART"].dt for v in events} == set(frame["due"].dt.date)


@given(st.text(min_size=1, max_size=200))
def test_any_label_survives_the_calendar(label: str) -> None:
    icalendar = pytest.importorskip("icalendar")
    frame = e.due_list([_closed_out()], on=d(2025, 12, 15))
    frame["milestone_label"] = label.replace("\r", " ")
    text = e.interchange.due_list_to_ics(
        frame, stamp=dt.datetime(2025, 12, 15, 7, 0, tzinfo=dt.UTC)
    )
    event = next(iter(icalendar.Calendar.from_ical(text).walk("VEVENT")))
    assert str(event["SUMMARY"]) == f"01/25-FA: {label.replace(chr(13), ' ')}"


# -- 6. waiting times ----------------------------------------------------------------------------


def test_waiting_times_from_referral_to_decision_and_first_contact() -> None:
    first = _inside().complete("first_contact", on=d(2025, 11, 13))  # referred 3 Nov
    declined = e.Case.refer("05/25-BE", on=d(2025, 11, 1), municipality="Beiarn")
    declined = declined.decline(on=d(2025, 11, 21), reason="not_a_member")
    frame = e.tables.waiting_times([first, declined], audience="internal")
    assert frame.loc["decision", "count"] == 2
    assert frame.loc["decision", "median_days"] == 11.0  # 2 and 20 days
    assert frame.loc["decision", "max_days"] == 20
    assert frame.loc["first_contact", "max_days"] == 10
    by = e.tables.waiting_times([first, declined], by="municipality")
    assert list(by.index.get_level_values(0).unique()) == ["Beiarn", "Fauske"]


# -- 5. records dated ahead ----------------------------------------------------------------------


@given(st.integers(min_value=0, max_value=30), st.integers(min_value=-5, max_value=60))
def test_a_team_refuses_records_dated_after_today_and_its_tolerance(
    tolerance: int, ahead: int
) -> None:
    team = attrs.evolve(e.teams.salten(), future_days=tolerance)
    today = e.Team.plausible_dates.fget(attrs.evolve(team, future_days=0))[1]  # type: ignore[attr-defined]
    case = e.Case.refer(
        "01/26-FA", on=today - dt.timedelta(days=10), municipality="Fauske", team=team
    )
    day = today + dt.timedelta(days=ahead)
    if ahead <= tolerance:
        assert case.accept(on=day).accepted_on == day
    else:
        assert _rule(lambda: case.accept(on=day)) == "implausible_date"
    # Without a tolerance, ten years ahead stay plausible (the default window).
    assert e.teams.salten().plausible_dates[1] > today + dt.timedelta(days=3000)


def test_the_new_events_are_stored_and_read_straight_back() -> None:
    from ettervern._io._convert import StoredValues, direct_case

    case = _inside().expect_discharge(on=d(2025, 11, 10), expected=d(2025, 12, 5))
    case = case.reschedule("crisis_plan", on=d(2025, 11, 11), to=d(2025, 12, 1))
    case = case.waive("cooperation_meeting", on=d(2025, 11, 12), reason="not_applicable")
    declined = e.Case.refer("06/25-FA", on=d(2025, 11, 3), municipality="Fauske")
    declined = declined.decline(on=d(2025, 11, 4))
    for one in (case, declined):
        assert e.interchange.case_from_dict(e.interchange.case_to_dict(one)) == one
        assert direct_case(e.interchange.case_to_dict(one), StoredValues()) == one  # the fast path
    assert e.cases_from_frame(e.cases_to_frame([case, declined])).accepted == (case, declined)
