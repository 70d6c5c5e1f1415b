"""Issue 32: consent by scope, goals per life domain, a move to another member and the risk
assessment before start, each with its rules; the oracles are small models written here."""

from __future__ import annotations

import datetime as dt
import json

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from ettervern._data import data_path
from ettervern.events import ConsentScope, GoalStatus

d = dt.date
START = d(2020, 3, 2)


def _accepted() -> e.Case:
    case = e.Case.refer("01/20-FA", on=START, municipality="Fauske")
    return case.accept(on=START)


def _rule(call: object) -> str:
    with pytest.raises(e.errors.PathwayError) as refused:
        call()  # type: ignore[operator]
    return str(refused.value.rule)


scopes = st.sampled_from(list(ConsentScope))
domains = st.sampled_from(list(e.LifeDomain))


# -- consent -----------------------------------------------------------------------------------


@given(st.lists(st.tuples(st.integers(0, 3), scopes, st.booleans()), max_size=20))
def test_consent_in_force_is_what_was_given_and_not_withdrawn_since(
    steps: list[tuple[int, ConsentScope, bool]],
) -> None:
    case, day = _accepted(), START
    model: set[ConsentScope] = set()
    in_force: dict[dt.date, frozenset[ConsentScope]] = {}
    for gap, scope, give in steps:
        day += dt.timedelta(days=gap)
        allowed = (scope not in model) if give else (scope in model)
        verb = case.give_consent if give else case.withdraw_consent
        if allowed:
            case = verb(scope, on=day)
            (model.add if give else model.discard)(scope)
        else:
            rule = _rule(lambda: verb(scope, on=day))  # noqa: B023 - called at once
            assert rule == ("consent_in_force" if give else "consent_not_given")
        in_force[day] = frozenset(model)
    for when, expected in in_force.items():
        assert case.consent_on(when) == expected
    assert case.consent_on(START - dt.timedelta(days=1)) == frozenset()
    assert _read_back(case) == case  # the fast read of a stored history keeps the same rules


def test_consent_can_be_withdrawn_after_closure_but_not_given() -> None:
    case = (
        _accepted().give_consent("gp", on=d(2020, 3, 3)).close(on=d(2020, 5, 1), reason="completed")
    )
    withdrawn = case.withdraw_consent("gp", on=d(2020, 6, 1))
    assert withdrawn.consent_on(d(2020, 5, 31)) == {ConsentScope.GP}
    assert withdrawn.consent_on(d(2020, 6, 1)) == frozenset()
    assert _rule(lambda: case.give_consent("nav", on=d(2020, 6, 1))) == "after_closure"


def test_a_scope_outside_the_four_is_refused_naming_them() -> None:
    with pytest.raises(e.errors.InvalidValueError) as refused:
        _accepted().give_consent("neighbours", on=START)
    assert "specialist_service" in str(refused.value)


# -- goals -------------------------------------------------------------------------------------


@given(
    st.lists(
        st.tuples(st.integers(0, 5), domains, st.sampled_from(["set", "met", "dropped"])),
        max_size=16,
    ),
    st.integers(-3, 30),
)
def test_goals_follow_their_rules_and_keep_their_status(
    steps: list[tuple[int, e.LifeDomain, str]], due_in: int
) -> None:
    case, day = _accepted(), START
    model: list[list[object]] = []  # [domain, status] in the order set
    for gap, domain, action in steps:
        day += dt.timedelta(days=gap)
        open_ = any(g[0] is domain and g[1] == "open" for g in model)
        if action == "set":
            due = day + dt.timedelta(days=due_in)
            expected = "goal_open" if open_ else ("goal_due_before_set" if due_in < 0 else None)
            call = lambda: case.set_goal(domain, on=day, target=3, due=due)  # noqa: B023, E731
            if expected is None:
                case = call()
                model.append([domain, "open"])
            else:
                assert _rule(call) == expected
        elif open_:
            case = case.review_goal(domain, on=day, status=action)
            last = max(i for i, g in enumerate(model) if g[0] is domain)
            model[last][1] = action
        else:
            assert _rule(lambda: case.review_goal(domain, on=day, status=action)) == "goal_not_set"  # noqa: B023
    assert [(g.domain, g.status.value) for g in case.goals] == [tuple(g) for g in model]
    assert _read_back(case) == case


def _read_back(case: e.Case) -> e.Case:
    (read,) = e.cases_from_json(e.cases_to_json([case])).accepted
    return read


def test_a_stored_history_that_breaks_a_rule_of_the_facts_is_refused_when_read() -> None:
    data = e.interchange.case_to_dict(_accepted())
    data["events"].append({"event": "consent_withdrawn", "on": "2020-03-03", "scope": "nav"})
    with pytest.raises(e.errors.ConfigError) as refused:
        e.interchange.case_from_dict(data)
    assert "consent_not_given" in str(refused.value)
    with pytest.raises(e.errors.ConfigError):
        e.cases_from_json(e.cases_to_json([]).replace("[]", f"[{_json(data)}]"), strict=True)


def test_a_goal_is_not_reviewed_as_open_and_its_target_is_a_score() -> None:
    case = _accepted().set_goal("housing", on=START, target=2, due=d(2020, 5, 1))
    with pytest.raises(e.errors.InvalidValueError):
        case.review_goal("housing", on=START, status="open")
    with pytest.raises(e.errors.InvalidValueError):
        _accepted().set_goal("housing", on=START, target=4, due=d(2020, 5, 1))
    (goal,) = case.goals
    assert goal.overdue_on(d(2020, 5, 2)) and not goal.overdue_on(d(2020, 5, 1))
    met = case.review_goal("housing", on=d(2020, 4, 1), status="met").goals[0]
    assert met.status is GoalStatus.MET and not met.overdue_on(d(2020, 6, 1))


# -- moves -------------------------------------------------------------------------------------


def test_a_move_changes_the_municipality_from_its_day_and_keeps_the_code() -> None:
    case = _accepted().move("Sørfold", on=d(2020, 4, 1)).move("Saltdal", on=d(2020, 5, 1))
    assert str(case.code) == "01/20-FA" and case.municipality.name == "Fauske"
    days = {d(2020, 3, 31): "Fauske", d(2020, 4, 1): "Sørfold", d(2020, 5, 1): "Saltdal"}
    assert {day: case.municipality_on(day).name for day in days} == days
    assert _rule(lambda: case.move("Saltdal", on=d(2020, 6, 1))) == "move_to_same"
    assert _rule(lambda: _accepted().move("Fauske", on=d(2020, 4, 1))) == "move_to_same"
    e.check_case(case, e.teams.salten())


def test_the_team_refuses_a_move_to_a_municipality_that_is_no_member_then() -> None:
    salten = e.teams.salten()
    assert _rule(lambda: e.check_case(_accepted().move("Bodø", on=d(2020, 4, 1)), salten)) == (
        "moved_to_non_member"
    )
    # Rødøy joined on 1 September 2020
    early = _accepted().move("Rødøy", on=d(2020, 8, 31))
    assert _rule(lambda: e.check_case(early, salten)) == "moved_to_non_member"
    e.check_case(_accepted().move("Rødøy", on=d(2020, 9, 1)), salten)


# -- the risk assessment before start ------------------------------------------------------------


def test_the_first_home_visit_waits_for_the_risk_assessment_when_the_team_says_so() -> None:
    salten = e.teams.salten()
    ruled = attrs.evolve(salten, risk_assessment_before="start_conversation")
    visit = d(2020, 3, 4)
    early = _accepted().begin_step("start_conversation", on=visit)
    e.check_case(early, salten)  # no rule without the setting
    assert _rule(lambda: e.check_case(early, ruled)) == "visit_before_risk_assessment"
    late = (
        _accepted()
        .begin_step("start_conversation", on=visit)
        .begin_step("risk_assessment", on=d(2020, 3, 5))
    )
    assert _rule(lambda: e.check_case(late, ruled)) == "visit_before_risk_assessment"
    assessed = _accepted().begin_step("risk_assessment", on=visit)
    e.check_case(assessed.begin_step("start_conversation", on=visit), ruled)
    waived = _accepted().waive("risk_assessment", on=visit, reason="not_applicable", team=ruled)
    e.check_case(waived.begin_step("start_conversation", on=visit), ruled)
    assert "risk_assessment" in e.events.known_tasks(template="salten")


def test_the_salten_example_records_risk_assessments_before_start() -> None:
    cases = e.examples.salten_2020().cases
    assessed = [c for c in cases if c.done_on("risk_assessment") is not None]
    assert len(assessed) == 5
    assert all(c.done_on("risk_assessment") == c.accepted_on for c in assessed)


# -- stored forms --------------------------------------------------------------------------------


def _full() -> e.Case:
    return (
        _accepted()
        .give_consent("relatives", on=d(2020, 3, 3))
        .set_goal("housing", on=d(2020, 3, 4), target=3, due=d(2020, 5, 1))
        .move("Sørfold", on=d(2020, 4, 1))
        .review_goal("housing", on=d(2020, 4, 20), status="met")
        .close(on=d(2020, 5, 4), reason="completed")
        .withdraw_consent("relatives", on=d(2020, 5, 6))
    )


def test_the_new_events_travel_through_json_the_table_and_fhir() -> None:
    case = _full()
    data = e.interchange.case_to_dict(case)
    assert data["schema_version"] == 6
    assert e.interchange.case_from_dict(data) == case
    assert e.cases_from_frame(e.cases_to_frame([case])).accepted == (case,)
    bundle = e.interchange.to_fhir([case], team=e.teams.salten())
    assert e.interchange.from_fhir(bundle).accepted == (case,)
    kinds = [x["resource"]["resourceType"] for x in bundle["entry"]]
    assert kinds.count("Consent") == 1 and kinds.count("Goal") == 1
    (consent,) = [
        x["resource"] for x in bundle["entry"] if x["resource"]["resourceType"] == "Consent"
    ]
    assert consent["status"] == "inactive" and consent["provision"]["period"]["end"] == "2020-05-05"
    (goal,) = [x["resource"] for x in bundle["entry"] if x["resource"]["resourceType"] == "Goal"]
    assert goal["lifecycleStatus"] == "completed" and goal["target"][0]["detailInteger"] == 3


def test_a_version_5_document_still_reads() -> None:
    data = e.interchange.case_to_dict(_accepted())
    data["schema_version"] = 5
    assert e.interchange.case_from_dict(data) == _accepted()


# -- roles on the roster -------------------------------------------------------------------------


def test_caseload_by_role_counts_a_case_once_per_role() -> None:
    since = [e.Employment(since=START)]
    roster = e.Roster(
        [
            e.StaffMember("AA", since, role="peer_worker"),
            e.StaffMember("BB", since, role="peer_worker"),
            e.StaffMember("CC", since, role=e.teams.StaffRole.MILIEU_THERAPIST),
            e.StaffMember("DD", since),
        ]
    )
    one = _accepted().assign_staff("AA", on=START).assign_staff("BB", on=START)
    two = e.Case.refer("02/20-FA", on=START, municipality="Fauske").accept(on=START)
    two = two.assign_staff("AA", on=START).assign_staff("CC", on=START)
    table = e.tables.caseload_by_role([one, two], roster, on=d(2020, 3, 3), audience="internal")
    assert table["cases"].to_dict() == {
        "peer_worker": 2,
        "milieu_therapist": 1,
        "none": 0,
        "Total": 2,
    }
    assert table.loc["peer_worker", "fte"] == 2.0
    by_staff = e.tables.caseload([one, two], roster, on=d(2020, 3, 3), audience="internal")
    assert by_staff.loc["Total"].equals(table.loc["Total"])


def test_a_role_is_one_of_the_roles_and_reads_from_plain_data() -> None:
    with pytest.raises(e.errors.InvalidValueError) as refused:
        e.StaffMember("AA", [e.Employment(since=START)], role="boss")
    assert "peer_worker" in str(refused.value)
    roster = e.interchange.roster_from_dict(
        {"staff": [{"id": "KB", "periods": [{"since": "2020-01-01"}], "role": "project_leader"}]}
    )
    assert roster.member("KB").role is e.teams.StaffRole.PROJECT_LEADER


# -- DHIS2 -----------------------------------------------------------------------------------------


def test_dhis2_sends_a_waived_milestone_as_skipped_and_the_risk_assessment_as_a_stage() -> None:
    mapping = e.interchange.read_dhis2_mapping(_mapping_path())
    case = (
        e.Case.refer("01/20-FA", on=START, municipality="Fauske")
        .admit(on=START, kind="treatment")
        .accept(on=START)
        .begin_step("risk_assessment", on=d(2020, 3, 3))
        .discharge(on=d(2020, 3, 10))
        .waive("individual_plan", on=d(2020, 3, 11), reason="declined")
    )
    payload = e.interchange.to_dhis2(
        [case], mapping=mapping, team=e.teams.salten(), template="salten"
    )
    e.interchange.validate_dhis2_payload(payload)
    (entity,) = payload["trackedEntities"]
    status = {x["programStage"]: x["status"] for x in entity["enrollments"][0]["events"]}
    assert status[mapping.stages["individual_plan"]] == "SKIPPED"
    assert status[mapping.stages["risk_assessment"]] == "COMPLETED"


def _mapping_path() -> str:
    return str(data_path("dhis2", "salten.example.toml"))


def _json(data: object) -> str:
    return json.dumps(data, ensure_ascii=False)


# -- the rules' words: each says what is wrong, not "does not belong to the team" --------------

_WORDS = {
    "moved_to_non_member": {
        "en": "moved outside the team",
        "nb": "flyttet ut av teamet",
        "nn": "flytta ut av teamet",
    },
    "visit_before_risk_assessment": {
        "en": "recorded before the risk assessment",
        "nb": "registrert før farlighetsvurderingen",
        "nn": "registrert før farlegheitsvurderinga",
    },
}
_BELONG = {"en": "does not belong", "nb": "hører ikke til", "nn": "høyrer ikkje til"}


def _refusal(call: object) -> e.errors.PathwayError:
    with pytest.raises(e.errors.PathwayError) as refused:
        call()  # type: ignore[operator]
    return refused.value


@pytest.mark.parametrize("locale", ["en", "nb", "nn"])
def test_the_move_and_risk_rules_name_what_is_wrong(locale: str) -> None:
    salten = e.teams.salten()
    ruled = attrs.evolve(salten, risk_assessment_before="start_conversation")
    moved = _accepted().move("Bodø", on=d(2020, 4, 1))
    early = _accepted().begin_step("start_conversation", on=d(2020, 3, 4))
    for rule, call in (
        ("moved_to_non_member", lambda: e.check_case(moved, salten)),
        ("visit_before_risk_assessment", lambda: e.check_case(early, ruled)),
    ):
        error = _refusal(call)
        text = error.message_in(locale)
        assert error.rule == rule
        assert _WORDS[rule][locale] in text and _BELONG[locale] not in text
    # the membership rules keep their words
    stranger = e.Case.refer("01/20-BO", on=START, municipality="Bodø")
    assert _BELONG[locale] in _refusal(lambda: e.check_case(stranger, salten)).message_in(locale)
