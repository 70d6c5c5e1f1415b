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
    monkeypatch.setattr("ettervern._io._convert.case_rows", lambda text: None)


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


def _result(data: list[object], team: e.Team | None) -> tuple[tuple[e.Case, ...], list[object]]:
    """What a non-strict read of ``data`` gives: the cases accepted, and each rejected row
    (position, code, path and reason) as a plain list."""
    found = e.cases_from_json(json.dumps(data), team=team)
    rows = found.rejected.astype(str).to_numpy().tolist()
    return found.accepted, rows


_BAD = [None, "", "2020-02-30", "not a date", 7, 0, 2.5, True, [], {}, {"x": 1}, "ZZ", "01/20-XX"]
_BAD_VALUES = st.sampled_from(_BAD)
"""Values put where they do not belong: wrong types, impossible dates, unknown codes."""


@st.composite
def _spoiled(draw: st.DrawFn) -> list[object]:
    """Stored cases, some spoiled the way a hand-edited or foreign file is: a field of a case
    or of one of its events given a bad value, removed or added, events swapped or dropped, or
    a case that is not a table."""
    cases = draw(st.lists(s.cases(max_events=6), min_size=1, max_size=3))
    data: list[object] = [e.interchange.case_to_dict(c) for c in cases]
    for _ in range(draw(st.integers(min_value=1, max_value=3))):
        index = draw(st.integers(min_value=0, max_value=len(data) - 1))
        item = data[index]
        if not isinstance(item, dict):
            continue
        events = item.get("events")
        events = events if isinstance(events, list) else []
        spoil = draw(st.sampled_from(["case", "event", "drop", "swap", "extra", "not_a_table"]))
        if spoil == "case" and item:  # not an empty table (a bad value put before)
            item[draw(st.sampled_from(sorted(item)))] = draw(_BAD_VALUES)
        elif spoil == "event" and events:
            fields = [(event, name) for event in events for name in sorted(event) if name != "on"]
            event, name = draw(st.sampled_from(fields or [(events[0], "on")]))
            event[name] = draw(_BAD_VALUES)
        elif spoil == "drop" and events:
            del events[draw(st.integers(min_value=0, max_value=len(events) - 1))]
        elif spoil == "swap" and len(events) > 1:
            events[0], events[-1] = events[-1], events[0]
        elif spoil == "extra":
            target = draw(st.sampled_from([item, *[x for x in events if isinstance(x, dict)]]))
            target["unexpected"] = draw(_BAD_VALUES)
        elif spoil == "not_a_table":
            data[index] = draw(_BAD_VALUES)
    return data


@settings(max_examples=150)
@given(_spoiled(), st.sampled_from(sorted(_TEAMS)))
def test_the_direct_path_accepts_and_rejects_spoiled_cases_as_cattrs_does(
    data: list[object], team: str
) -> None:
    # The differential test of the fast reader on bad input: the same cases accepted and the
    # same rows rejected, with the same paths and reasons, as the cattrs path gives.
    direct = _result(data, _TEAMS[team])
    with pytest.MonkeyPatch.context() as monkeypatch:
        _cattrs_only(monkeypatch)
        assert direct == _result(data, _TEAMS[team])


def _each_field_spoiled() -> list[tuple[str, str, object]]:
    """Every (kind of event, field) of the bundled examples, with every bad value."""
    seen: dict[tuple[str, str], None] = {}
    for example in ("salten", "jaeren", "integrated"):
        for case in e.examples.example(example).cases:
            for item in e.interchange.case_to_dict(case)["events"]:
                seen.update(dict.fromkeys((item["event"], name) for name in item))
    return [(tag, name, bad) for tag, name in seen for bad in _BAD]


def test_every_field_of_every_kind_of_event_spoiled_reads_as_cattrs_reads_it(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # Exhaustive where the drawn test above samples: the first event of each kind in the
    # integrated example (the one with every kind) has each of its fields given each bad
    # value, one at a time. A direct path that took a number for a flag failed here.
    found = e.examples.example("integrated")
    data = [e.interchange.case_to_dict(c) for c in found.cases]
    spoiled = []
    for tag, name, bad in _each_field_spoiled():
        where = [
            (i, j)
            for i, case in enumerate(data)
            for j, item in enumerate(case["events"])
            if item["event"] == tag and name in item
        ]
        if where:
            (i, j), copy = where[0], json.loads(json.dumps(data))
            copy[i]["events"][j][name] = bad
            spoiled.append(copy)
    direct = [_result(copy, found.team) for copy in spoiled]
    _cattrs_only(monkeypatch)
    assert direct == [_result(copy, found.team) for copy in spoiled]
    assert len(spoiled) > 100
