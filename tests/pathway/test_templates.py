from __future__ import annotations

import pytest

import ettervern as e

SEEDS = {"salten": "000_", "jaeren": "002_", "integrated": "003_", "sandnes": "004_"}


@pytest.mark.parametrize("key", e.PATHWAY_TEMPLATES)
def test_shipped_templates_load_and_cite_their_seed(key: str) -> None:
    template = e.pathway_template(key)
    assert template.key == key
    assert SEEDS[key] in template.source
    assert template.steps
    assert all(step.key.isascii() for step in template.steps)


def test_salten_inner_phases_in_order() -> None:
    phases = [step.key for step in e.pathway_template("salten").phases]
    assert phases[:2] == ["risk_assessment", "relationship_in_institution"]
    assert phases[2:] == [
        "start_conversation",
        "mapping",
        "plan_and_goals",
        "close_follow_up",
        "handover",
    ]


def test_jaeren_six_weeks_and_integrated_stages() -> None:
    jaeren = e.pathway_template("jaeren")
    assert [(s.anchor, s.weeks, s.days) for s in jaeren.steps] == [
        (e.Anchor.FOLLOW_UP_START, week, -1) for week in range(1, 7)
    ]
    stages = {s.stage for s in e.pathway_template("integrated").steps}
    assert {e.Stage.BEFORE_ADMISSION, e.Stage.DURING_STAY, e.Stage.AT_DISCHARGE} <= stages
    assert e.pathway_template("integrated").step("individual_plan").anchor is e.Anchor.DISCHARGE


def test_own_template_from_data_and_its_errors() -> None:
    data = {
        "key": "own",
        "name": "Vårt forløp",
        "steps": [
            {"key": "first_talk", "name": "Første samtale", "stage": "follow_up"},
            {
                "key": "review",
                "name": "Gjennomgang",
                "stage": "closure",
                "anchor": "closure",
                "months": 1,
            },
        ],
    }
    template = e.interchange.template_from_dict(data)
    assert template.step("review").months == 1
    with pytest.raises(e.errors.InvalidValueError, match="no step 'x'"):
        template.step("x")
    bad = {**data, "steps": [{**data["steps"][0], "stage": "someday", "colour": "red"}]}
    with pytest.raises(e.errors.ConfigError) as info:
        e.interchange.template_from_dict(bad, source="own.toml")
    problems = "\n".join(f"{p['message']} @ {p['path']}" for p in info.value.problems)
    assert "$.steps[0]" in problems
    assert "colour" in problems
    assert "stage" in problems
    twice = {**data, "steps": [data["steps"][0], data["steps"][0]]}
    with pytest.raises(e.errors.ConfigError, match="more than once"):
        e.interchange.template_from_dict(twice)


def test_unknown_template() -> None:
    with pytest.raises(e.errors.ConfigError, match="choose one of"):
        e.pathway_template("oslo")
