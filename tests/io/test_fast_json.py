"""The direct path of stored cases (``cases_from_json``): the result must be what ``json`` and
the cattrs path give, and a bad case is named as they name it."""

from __future__ import annotations

import json

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from tests import strategies as s


@settings(max_examples=50)
@given(st.lists(s.cases(), max_size=4, unique_by=lambda case: str(case.code)))
def test_cases_round_trip_through_json_event_by_event(cases: list[e.Case]) -> None:
    back = e.cases_from_json(e.cases_to_json(cases)).accepted
    assert back == tuple(cases)
    assert [c.stays for c in back] == [c.stays for c in cases]
    assert [c.open_spans for c in back] == [c.open_spans for c in cases]


def test_a_bad_case_is_still_named_by_its_path_on_the_direct_path() -> None:
    text = e.cases_to_json(e.examples.salten_2020().cases[:2])
    data = json.loads(text)
    data[1]["events"][0]["on"] = "2020-02-30"
    with pytest.raises(e.errors.ConfigError, match=r"(?s)case 1.*\$\.events\[0\]\.on"):
        e.cases_from_json(json.dumps(data), strict=True)


def _read(data: list[dict[str, object]], team: e.Team | None) -> list[e.Case] | str:
    """The cases ``data`` holds, read with ``team``, or the error's text."""
    try:
        return list(e.cases_from_json(json.dumps(data), team=team, strict=True).accepted)
    except e.errors.ConfigError as exc:
        return str(exc)


def _cattrs_only(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every case goes the cattrs path: the one the direct path must agree with."""
    monkeypatch.setattr("ettervern._io._convert.direct_case", lambda data, seen: None)


_TEAMS = {"none": None, "salten": e.teams.salten(), "jaeren": e.teams.jaeren()}


@pytest.mark.parametrize("example", ["salten", "jaeren", "integrated"])
@pytest.mark.parametrize("team", sorted(_TEAMS))
def test_the_direct_path_reads_each_example_as_cattrs_does_for_any_team(
    example: str, team: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Each example's cases belong to its own team (codes in its scheme, with its letters, and
    # pseudonyms in Jæren's): read for another team they are refused, as cattrs refuses them.
    data = [e.interchange.case_to_dict(c) for c in e.examples.example(example).cases]
    direct = _read(data, _TEAMS[team])
    _cattrs_only(monkeypatch)
    assert direct == _read(data, _TEAMS[team])
    assert isinstance(direct, list) == (team in ("none", example))


@pytest.mark.parametrize("example", ["salten", "jaeren", "integrated"])
def test_a_team_s_own_cases_take_the_direct_path(example: str) -> None:
    # Reading with the team used to send every case down the cattrs path, at twice the cost.
    from ettervern._io._convert import StoredValues, direct_case

    found = e.examples.example(example)
    seen = StoredValues(found.team)
    with e.plausible_dates_of(found.team):
        direct = [direct_case(e.interchange.case_to_dict(c), seen) for c in found.cases]
    assert direct == list(found.cases)


@settings(max_examples=60)
@given(
    st.lists(s.cases(max_events=6), min_size=1, max_size=3),
    st.none() | s.schemes,
    st.sampled_from(sorted(_TEAMS)),
)
def test_the_direct_path_reads_any_case_as_cattrs_does(
    cases: list[e.Case], scheme: e.CodeScheme | None, team: str
) -> None:
    data = [e.interchange.case_to_dict(c) for c in cases]
    if scheme is not None:  # the codes written in another scheme, which is stored with them
        for item, case in zip(data, cases, strict=True):
            code = case.code
            recoded = e.CaseCode(
                year=code.year, municipality=code.municipality, number=code.number, scheme=scheme
            )
            item["code"] = str(recoded)
            if scheme != e.DEFAULT_SCHEME:
                item["code_scheme"] = e.interchange.make_converter().unstructure(scheme)
    direct = _read(data, _TEAMS[team])
    with pytest.MonkeyPatch.context() as monkeypatch:
        _cattrs_only(monkeypatch)
        assert direct == _read(data, _TEAMS[team])


@pytest.mark.parametrize("example", ["salten", "jaeren", "integrated"])
def test_cases_from_dicts_reads_what_json_reads(example: str) -> None:
    found = e.examples.example(example)
    data = [e.interchange.case_to_dict(c) for c in found.cases]
    assert e.interchange.cases_from_dicts(data).accepted == tuple(found.cases)
    assert (
        e.interchange.cases_from_dicts(data, team=found.team).accepted
        == e.cases_from_json(json.dumps(data), team=found.team).accepted
    )


def test_cases_from_dicts_builds_a_shared_event_once_and_names_a_bad_case() -> None:
    data = [e.interchange.case_to_dict(c) for c in e.examples.salten_2020().cases]
    twin = {**data[0], "code": "99/20-FA"}  # the same history under another code
    first, second = e.interchange.cases_from_dicts([data[0], twin]).accepted
    assert first.events[0] is second.events[0]
    data[2]["events"][0]["on"] = "2020-02-30"
    with pytest.raises(e.errors.ConfigError, match=r"(?s)register.*case 2.*\$\.events\[0\]\.on"):
        e.interchange.cases_from_dicts(data, source="register", strict=True)
