from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from ettervern._pathway import DUE_LIST_COLUMNS
from tests import strategies as s

d = dt.date


def _closed_unchecked() -> e.Case:
    return (
        e.Case.refer("01/20-FA", on=d(2020, 8, 3), municipality="Fauske")
        .accept(on=d(2020, 8, 5))
        .complete("handover_meeting", on=d(2020, 11, 30))
        .close(on=d(2020, 11, 30), reason="completed", report_delivered=True, evaluation_given=True)
    )


def _beyond_target() -> e.Case:
    return (
        e.Case.refer("02/20-SA", on=d(2020, 10, 1), municipality="Saltdal")
        .admit(on=d(2020, 10, 1), kind="treatment")
        .accept(on=d(2020, 10, 5))
        .complete("individual_plan", on=d(2020, 12, 1))
        .discharge(on=d(2020, 12, 10))
    )


def test_due_list_shows_an_overdue_check_and_a_follow_up_past_target(salten: e.Team) -> None:
    cases = [_beyond_target(), _closed_unchecked()]
    frame = e.due_list(cases, on=d(2021, 3, 10), team=salten)
    assert list(frame.columns) == list(DUE_LIST_COLUMNS)
    rows = {(r.code, r.milestone): r for r in frame.itertuples()}
    check = rows[("01/20-FA", "three_month_check")]
    assert (check.due, check.days_left, check.status) == (
        pd.Timestamp(2021, 2, 28),
        -10,
        "overdue",
    )
    target = rows[("02/20-SA", "follow_up_target")]
    assert target.due.date() == d(2020, 12, 10) + dt.timedelta(weeks=8)
    assert str(frame["due"].dtype).startswith("datetime64")  # not object: .dt works
    assert frame["due"].dt.year.tolist() == [2021] * len(frame)
    assert target.status == "overdue"
    assert target.municipality == "Saltdal"
    # What is done is not listed: the plan, the report, the form, the handover.
    assert ("02/20-SA", "individual_plan") not in rows
    assert not {"closure_report", "evaluation_form"} & set(frame["milestone"])
    assert ("01/20-FA", "handover_meeting") not in rows
    assert list(frame["due"]) == sorted(frame["due"])


def test_statuses_and_the_horizon() -> None:
    case = _closed_unchecked()
    before = e.due_list([case], on=d(2021, 2, 1))
    assert before.loc[0, "status"] == "upcoming"
    assert before.loc[0, "days_left"] == 27
    assert e.due_list([case], on=d(2021, 2, 28)).loc[0, "status"] == "due_today"
    assert e.due_list([case], on=d(2021, 2, 1), within=dt.timedelta(days=7)).empty
    done = case.record_three_month_check(on=d(2021, 3, 2), reached=True)
    assert e.due_list([done], on=d(2021, 3, 10)).empty
    statuses = {m.key: m.status(d(2021, 3, 10)) for m in e.milestones(done)}
    assert statuses["three_month_check"] is e.MilestoneStatus.DONE_LATE
    assert statuses["closure_report"] is e.MilestoneStatus.DONE


def test_team_target_and_the_individual_plan() -> None:
    team = e.teams.salten()
    shorter = e.Team(
        name="t",
        host=team.host,
        members=team.members,
        categories=team.categories,
        follow_up_target=e.FollowUpTarget(2, 4),
    )
    case = _beyond_target()
    due = {m.key: m.due for m in e.milestones(case, target=shorter.follow_up_target)}
    assert due["follow_up_target"] == d(2021, 1, 7)
    assert due["individual_plan"] == d(2020, 12, 10)
    late_plan = (
        e.Case.refer("03/20-FA", on=d(2020, 1, 6), municipality="Fauske")
        .admit(on=d(2020, 1, 6), kind="prison")
        .accept(on=d(2020, 1, 7))
        .discharge(on=d(2020, 2, 3))
    )
    frame = e.due_list([late_plan], on=d(2020, 2, 4), team=shorter)
    assert frame.loc[0, "milestone"] == "individual_plan"
    assert frame.loc[0, "status"] == "overdue"


def test_handover_counts_when_a_service_takes_over() -> None:
    case = (
        e.Case.refer("01/20-ME", on=d(2020, 5, 4), municipality="Meløy")
        .accept(on=d(2020, 5, 4))
        .close(on=d(2020, 7, 1), reason="completed", taken_over_by="rus og psykisk helse")
    )
    done = {m.key: m.done_on for m in e.milestones(case)}
    assert done["handover_meeting"] == d(2020, 7, 1)
    assert done["closure_report"] is None
    withdrew = case.reopen(on=d(2020, 8, 1)).close(on=d(2020, 8, 2), reason="withdrew")
    assert "handover_meeting" not in {m.key for m in e.milestones(withdrew)}


def test_template_steps_become_milestones() -> None:
    case = (
        e.Case.refer("01/21-FA", on=d(2021, 1, 4), municipality="Fauske")
        .accept(on=d(2021, 1, 4))
        .begin_step("week_1_mapping_and_consent", on=d(2021, 1, 5))
    )
    jaeren = e.pathway_template("jaeren")
    due = {m.key: (m.due, m.done_on) for m in e.milestones(case, template=jaeren)}
    assert due["week_1_mapping_and_consent"] == (d(2021, 1, 10), d(2021, 1, 5))
    assert due["week_6_responsibility_group_meeting"] == (d(2021, 2, 14), None)
    frame = e.due_list([case], on=d(2021, 1, 20), template=jaeren)
    assert "week_1_mapping_and_consent" not in set(frame["milestone"])
    assert frame.loc[0, "milestone"] == "week_2_responsibility_group_and_crisis_plan"


def test_empty_and_declined() -> None:
    declined = e.Case.refer("01/20-BE", on=d(2020, 1, 6), municipality="Beiarn").decline(
        on=d(2020, 1, 8)
    )
    frame = e.due_list([declined], on=d(2020, 6, 1))
    assert frame.empty
    assert list(frame.columns) == list(DUE_LIST_COLUMNS)


@pytest.mark.parametrize("key", ["individual_plan", "crisis_plan"])
def test_integrated_template_anchors_at_discharge(key: str) -> None:
    case = (
        e.Case.refer("01/25-FA", on=d(2025, 1, 6), municipality="Fauske")
        .admit(on=d(2025, 1, 13), kind="treatment")
        .accept(on=d(2025, 1, 14))
        .discharge(on=d(2025, 3, 31))
    )
    found = [
        m for m in e.milestones(case, template=e.pathway_template("integrated")) if m.key == key
    ]
    assert [m.due for m in found] == [d(2025, 3, 31)]


def test_due_list_labels_in_the_meeting_language() -> None:
    import ettervern as e

    example = e.examples.salten_2020()
    nb = e.due_list(example.cases, on=dt.date(2020, 12, 1), locale="nb")
    en = e.due_list(example.cases, on=dt.date(2020, 12, 1), locale="en")
    assert set(nb["status_label"]) <= {"Forfalt", "Forfaller i dag", "Kommende"}
    assert "Tremånederskontakt" in set(nb["milestone_label"])
    assert "Three-month check" in set(en["milestone_label"])
    assert list(nb["milestone"]) == list(en["milestone"])
    assert "milestone_label" not in e.due_list(example.cases, on=dt.date(2020, 12, 1)).columns


def test_due_list_works_as_of_its_date(salten: e.Team) -> None:
    # A referral of 2023 is not known on 1 December 2020.
    later = (
        e.Case.refer("01/23-FA", on=d(2023, 1, 9), municipality="Fauske")
        .accept(on=d(2023, 1, 10))
        .close(on=d(2023, 11, 30), reason="completed")
    )
    assert e.due_list([later], on=d(2020, 12, 1), team=salten).empty
    assert e.milestones(later, on=d(2020, 12, 1)) == []
    # A closure recorded after the day is not used: on 1 October the case was still open.
    case = _closed_unchecked()
    frame = e.due_list([case], on=d(2020, 10, 1), team=salten)
    assert set(frame["milestone"]) == {"follow_up_target", "handover_meeting"}
    assert not {"closure_report", "three_month_check"} & set(frame["milestone"])
    keys = [m.key for m in e.milestones(case, on=d(2020, 10, 1), team=salten)]
    assert keys == ["follow_up_target", "handover_meeting"]


def test_templates_by_name_and_the_same_parameters(salten: e.Team) -> None:
    case = e.Case.refer("01/20-FA", on=d(2020, 8, 3), municipality="Fauske").accept(
        on=d(2020, 8, 3)
    )
    frame = e.due_list([case], on=d(2020, 8, 4), template="jaeren", locale="nb")
    week_1 = frame[frame["milestone"] == "week_1_mapping_and_consent"].iloc[0]
    assert week_1["due"].date() == d(2020, 8, 9)
    assert week_1["milestone_label"] == "Kartleggingsskjema og samtykkeskjema"
    by_name = e.milestones(case, on=d(2020, 8, 4), team=salten, template="jaeren")
    by_value = e.milestones(
        case, on=d(2020, 8, 4), team=salten, template=e.pathway_template("jaeren")
    )
    assert by_name == by_value
    assert len(by_name) == 2 + 6  # follow-up target, handover, six weeks
    # A team that names its pathway gets its steps without saying so.
    jaeren = e.teams.jaeren()
    participant = e.Case.refer(
        "KL-2019-001", on=d(2019, 3, 4), municipality="Klepp", team=jaeren
    ).accept(on=d(2019, 3, 4))
    keys = {m.key for m in e.milestones(participant, team=jaeren)}
    assert "week_6_responsibility_group_meeting" in keys
    with pytest.raises(e.errors.ConfigError, match="no built-in pathway template"):
        e.due_list([case], on=d(2020, 8, 4), template="nowhere")


def test_due_list_refuses_a_case_of_another_team() -> None:
    bergen = e.Case.refer("01/19-BG", on=d(2019, 3, 4), municipality="Bergen")
    with pytest.raises(e.errors.PathwayError) as info:
        e.due_list([bergen], on=d(2019, 4, 1), team=e.teams.jaeren())
    assert info.value.rule == "not_a_member"


@given(s.cases(), st.integers(min_value=1, max_value=12))
def test_later_events_never_change_the_due_list(case: e.Case, cut: int) -> None:
    # The case as it was before its later events, built on its own, against the whole case.
    if cut >= len(case.events) or case.events[cut].on == case.events[cut - 1].on:
        return
    before = e.Case(case.code, case.municipality, case.events[:cut])
    on = case.events[cut].on - dt.timedelta(days=1)
    assert e.milestones(case, on=on) == e.milestones(before, on=on)
    pd.testing.assert_frame_equal(e.due_list([case], on=on), e.due_list([before], on=on))
