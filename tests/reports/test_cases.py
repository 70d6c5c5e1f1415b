"""The one pass over the cases (``walk_cases``) and a member's part of it (``restricted_to``):
a member's walk read from the team's must equal walking the member's cases afresh."""

from __future__ import annotations

import datetime as dt

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from ettervern._reports._cases import CaseWalk, walk_cases
from tests.strategies import cases, small_case_sets

YEAR = (dt.date(2020, 1, 1), dt.date(2020, 12, 31))


def _same(got: CaseWalk, expected: CaseWalk) -> None:
    pd.testing.assert_frame_equal(got.facts, expected.facts)
    assert [id(c) for c in got.active] == [id(c) for c in expected.active]
    assert [id(c) for c in got.ended] == [id(c) for c in expected.ended]
    assert [id(c) for c in got.checked] == [id(c) for c in expected.checked]
    assert got.kinds == expected.kinds
    assert got.period == expected.period


@given(small_case_sets(), st.data())
def test_a_members_walk_read_from_the_teams_equals_walking_its_cases(
    team_cases: list[e.Case], data: st.DataObject
) -> None:
    walk = walk_cases(team_cases, YEAR)
    names = sorted({c.municipality.name for c in team_cases}) or ["Fauske"]
    member = data.draw(st.sampled_from(names))
    chosen = [c for c in team_cases if c.municipality.name == member]
    _same(walk.restricted_to(chosen), walk_cases(chosen, YEAR))
    # Any subset, in any order, is walked the same way.
    shuffled = data.draw(st.permutations(team_cases))
    subset = shuffled[: data.draw(st.integers(min_value=0, max_value=len(shuffled)))]
    _same(walk.restricted_to(subset), walk_cases(subset, YEAR))


@given(small_case_sets(), cases())
def test_a_case_the_walk_has_not_seen_is_walked(team_cases: list[e.Case], other: e.Case) -> None:
    walk = walk_cases(team_cases, YEAR)
    chosen = [*team_cases[:1], other]
    _same(walk.restricted_to(chosen), walk_cases(chosen, YEAR))
