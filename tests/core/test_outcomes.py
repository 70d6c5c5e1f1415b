from __future__ import annotations

import pytest
from hypothesis import given

import ettervern as e
from tests import strategies as s


def test_eight_brukerplan_domains_and_a_three_step_scale() -> None:
    assert [d.value for d in e.LifeDomain] == [
        "substance_use",
        "finances",
        "mental_health",
        "physical_health",
        "housing",
        "social_functioning",
        "network",
        "work_activity",
    ]
    assert [int(x) for x in e.Score] == [1, 2, 3]
    assert {f.value for f in e.OutcomeFlag} == {
        "ordinary_work",
        "education",
        "residential_treatment",
        "relapse",
    }


def test_scores_and_flags_are_checked() -> None:
    outcome = e.Outcome(housing=3, network=e.Score.SOME_PROBLEMS, flags="ordinary_work")
    assert outcome.scores == {e.LifeDomain.HOUSING: 3, e.LifeDomain.NETWORK: 2}
    assert outcome.flags == frozenset({e.OutcomeFlag.ORDINARY_WORK})
    for bad in (0, 4, True, "3"):
        with pytest.raises(e.errors.InvalidValueError, match="score"):
            e.Outcome(housing=bad)
    with pytest.raises(e.errors.InvalidValueError, match="flag"):
        e.Outcome(flags=["rich"])
    with pytest.raises(e.errors.InvalidValueError, match="domain"):
        e.Outcome.from_scores({"happiness": 3})


def test_change_per_domain() -> None:
    before = e.Outcome.from_scores({"housing": 1, "finances": 3, "network": 2})
    after = e.Outcome.from_scores({e.LifeDomain.HOUSING: 3, "finances": 2, "substance_use": 1})
    assert e.domain_change(before, after) == {e.LifeDomain.FINANCES: -1, e.LifeDomain.HOUSING: 2}


@given(s.outcomes, s.outcomes)
def test_change_is_antisymmetric_and_zero_on_itself(a: e.Outcome, b: e.Outcome) -> None:
    forward, backward = e.domain_change(a, b), e.domain_change(b, a)
    assert forward == {k: -v for k, v in backward.items()}
    assert set(forward) == set(a.scores) & set(b.scores)
    assert set(e.domain_change(a, a).values()) <= {0}
