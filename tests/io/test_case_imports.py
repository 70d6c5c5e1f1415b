"""Bulk case readers return what they accepted and what they rejected (issue 31, item 7), refuse
a code given twice in one input (issue 32, item 6), and say it all as plain JSON-safe data."""

from __future__ import annotations

import datetime as dt
import json
import warnings
from pathlib import Path
from typing import Any

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern.errors import ConfigError
from tests import strategies as s


def _salten() -> tuple[e.Team, list[e.Case]]:
    example = e.examples.salten_2020()
    return example.team, list(example.cases)


def _corrupt(stored: list[dict[str, Any]], positions: list[int]) -> list[dict[str, Any]]:
    """The stored cases with the date of the second event of each case at ``positions`` made
    impossible (the 31st of February)."""
    broken = json.loads(json.dumps(stored))
    for i in positions:
        broken[i]["events"][1]["on"] = "2020-02-31"
    return broken


def test_a_json_file_with_k_bad_cases_gives_the_others_and_names_the_bad(tmp_path: Path) -> None:
    team, cases = _salten()
    stored = [e.interchange.case_to_dict(c) for c in cases]
    bad = [1, 5, 9]
    path = tmp_path / "saker.json"
    path.write_text(json.dumps(_corrupt(stored, bad)), encoding="utf-8")

    result = e.read_cases(path, team=team)

    assert isinstance(result, e.ImportResult)
    assert result.read == len(cases)
    assert result.accepted == tuple(c for i, c in enumerate(cases) if i not in bad)
    assert list(result.rejected.columns) == ["position", "code", "path", "reason"]
    assert list(result.rejected["position"]) == bad
    assert list(result.rejected["code"]) == [str(cases[i].code) for i in bad]
    assert set(result.rejected["path"]) == {"$.events[1].on"}
    assert all("2020-02-31" in reason for reason in result.rejected["reason"])
    assert result.summary("en") == f"{path}: read 16 cases, accepted 13, rejected 3"
    nb = result.rejected_in("nb")
    assert list(nb.columns) == ["Plass", "Kode", "Felt", "Årsak"]
    with pytest.raises(ConfigError, match=r"case 1"):
        e.read_cases(path, team=team, strict=True)


def test_every_case_reader_takes_strict_and_gives_one_result_type() -> None:
    team, cases = _salten()
    stored = [e.interchange.case_to_dict(c) for c in cases]
    broken = _corrupt(stored, [2])
    frame = e.cases_to_frame(cases).astype({"on": object})
    frame.loc[frame["case"] == str(cases[2].code), "on"] = "2020-13-01"
    bundle = e.interchange.to_fhir(cases, team=team)
    episodes = [x for x in bundle["entry"] if x["resource"]["resourceType"] == "EpisodeOfCare"]
    episodes[2]["resource"]["extension"] = []  # no commissioning municipality, no events
    readers = {
        "cases_from_json": lambda strict: e.cases_from_json(json.dumps(broken), strict=strict),
        "cases_from_dicts": lambda strict: e.interchange.cases_from_dicts(broken, strict=strict),
        "cases_from_frame": lambda strict: e.cases_from_frame(frame, strict=strict),
        "from_fhir": lambda strict: e.interchange.from_fhir(bundle, strict=strict),
    }
    for name, read in readers.items():
        result = read(False)
        assert isinstance(result, e.ImportResult), name
        assert result.accepted == tuple(cases[:2] + cases[3:]), name
        assert list(result.rejected["position"]) == [
            2 if name != "cases_from_frame" else _first_row(frame, cases[2])
        ], name
        assert list(result.rejected["code"]) == [str(cases[2].code)], name
        with pytest.raises(ConfigError):
            read(True)


def _first_row(frame: pd.DataFrame, case: e.Case) -> int:
    return int((frame["case"] == str(case.code)).to_numpy().nonzero()[0][0])


def test_a_code_given_twice_is_refused_in_every_reader() -> None:
    team, cases = _salten()
    twice = [cases[0], cases[1], cases[0]]
    stored = [e.interchange.case_to_dict(c) for c in twice]
    readers = {
        "cases_from_json": lambda strict: e.cases_from_json(json.dumps(stored), strict=strict),
        "cases_from_dicts": lambda strict: e.interchange.cases_from_dicts(stored, strict=strict),
        "from_fhir": lambda strict: e.interchange.from_fhir(
            e.interchange.to_fhir(twice, team=team), strict=strict
        ),
    }
    for name, read in readers.items():
        result = read(False)
        assert result.accepted == (cases[0], cases[1]), name
        assert list(result.rejected["position"]) == [2], name
        assert list(result.rejected["code"]) == [str(cases[0].code)], name
        assert list(result.rejected["path"]) == ["$.code"], name
        assert "case 0" in result.rejected["reason"][0], name
        with pytest.raises(ConfigError, match="case 0"):
            read(True)
    # In a table of events the rows of one code are one case; a code written two ways is two.
    frame = e.cases_to_frame([cases[0], cases[1]])
    other = frame[frame["case"] == str(cases[0].code)].assign(case=lambda f: " " + f["case"])
    result = e.cases_from_frame(pd.concat([frame, other], ignore_index=True))
    assert result.accepted == (cases[0], cases[1])
    assert len(result.rejected) == 1


@settings(max_examples=20)
@given(s.national_ids())
def test_a_code_that_is_an_identity_number_is_never_repeated(number: str) -> None:
    team, cases = _salten()
    stored = [e.interchange.case_to_dict(c) for c in cases[:2]]
    stored[1]["code"] = number
    result = e.cases_from_json(json.dumps(stored), team=team)
    assert len(result.accepted) == 1
    assert list(result.rejected["code"]) == [e.privacy.HIDDEN]
    shown = json.dumps(result.to_dict("nn"), ensure_ascii=False)
    assert number not in shown and number not in repr(result)
    assert number not in result.to_html() and number not in result.summary()
    assert number not in result.rejected_in("en").to_string()


def test_to_dict_is_plain_json_for_cases_and_for_sheets() -> None:
    team, cases = _salten()
    stored = _corrupt([e.interchange.case_to_dict(c) for c in cases], [0])
    for result in (
        e.cases_from_json(json.dumps(stored), team=team, source="saker.json"),
        e.read_timelog(e.examples.salten_2020_messy_path(), team=team),
    ):
        data = result.to_dict("en")
        assert json.loads(json.dumps(data)) == data
        assert data["read"] == result.read
        assert data["accepted"] == len(result.accepted)
        assert data["rejected"] == len(result.rejected) == len(data["rows"])
        assert data["read"] == data["accepted"] + data["rejected"]
        assert data["summary"] == result.summary("en")
        assert {tuple(row) for row in data["rows"]} == {tuple(result.rejected.columns)}
    sheet = e.read_timelog(e.examples.salten_2020_messy_path(), team=team).to_dict("nb")
    assert (
        sheet["rows"][0]["reason"]
        == e.read_timelog(e.examples.salten_2020_messy_path(), team=team).rejected_in("nb")[
            "Årsak"
        ][0]
    )


@settings(max_examples=15)
@given(st.lists(st.integers(0, 15), unique=True, max_size=6))
def test_accepted_and_rejected_account_for_every_case(bad: list[int]) -> None:
    team, cases = _salten()
    stored = _corrupt([e.interchange.case_to_dict(c) for c in cases], bad)
    result = e.cases_from_json(json.dumps(stored), team=team)
    assert len(result.accepted) + len(result.rejected) == result.read == len(cases)
    assert sorted(result.rejected["position"]) == sorted(bad)


def test_the_old_list_use_still_works_with_a_warning() -> None:
    _, cases = _salten()
    text = e.cases_to_json(cases[:2])
    result = e.cases_from_json(text)
    with pytest.warns(DeprecationWarning, match=r"\.accepted"):
        assert result == cases[:2]
    with pytest.warns(DeprecationWarning, match=r"\.accepted"):
        first, second = result
    with pytest.warns(DeprecationWarning, match=r"\.accepted"):
        assert len(result) == 2 and result[0] == first and bool(result)
    assert second == cases[1]
    # Nothing dropped in silence: a result with a rejected case raises when used as the list.
    broken = _corrupt([e.interchange.case_to_dict(c) for c in cases[:2]], [1])
    partial = e.cases_from_json(json.dumps(broken))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", DeprecationWarning)
        with pytest.raises(ConfigError, match="2020-02-31"):
            list(partial)
    # A time sheet's result is no list, as before.
    sheet = e.read_timelog(e.examples.salten_2020_messy_path(), team="salten")
    with pytest.raises(TypeError):
        len(sheet)
    assert bool(sheet)


def test_rejected_cases_beyond_the_cap_are_counted_not_listed(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    from ettervern._io import _result

    monkeypatch.setattr(_result, "MAX_LISTED", 2)
    _, cases = _salten()
    stored = _corrupt([e.interchange.case_to_dict(c) for c in cases], [0, 1, 2, 3])
    result = e.cases_from_json(json.dumps(stored))
    assert len(result.rejected) == 2 and result.unlisted == 2
    assert result.summary("en").endswith("accepted 12, rejected 4")
    assert result.to_dict()["rejected"] == 4


def test_a_whole_input_that_is_not_cases_is_still_an_error() -> None:
    with pytest.raises(ConfigError):
        e.cases_from_json("{}")
    with pytest.raises(ConfigError):
        e.cases_from_json("[")
    with pytest.raises(ConfigError):
        e.cases_from_frame(pd.DataFrame({"nonsense": [1]}))
    assert e.cases_from_json("[]").accepted == ()
    assert e.cases_from_frame(e.cases_to_frame([])).accepted == ()


def test_a_table_of_events_names_rows_as_the_whole_table_numbers_them() -> None:
    _, cases = _salten()
    frame = e.cases_to_frame(cases).astype({"on": object})
    row = _first_row(frame, cases[7]) + 1
    frame.loc[row, "on"] = "not a date"
    result = e.cases_from_frame(frame)
    assert list(result.rejected["position"]) == [_first_row(frame, cases[7])]
    assert list(result.rejected["path"]) == ["on"]
    assert result.accepted == tuple(cases[:7] + cases[8:])
    with pytest.raises(ConfigError, match=f"row {row}, column on"):
        e.cases_from_frame(frame, strict=True)


def test_a_case_dated_in_the_readers_range_is_read_when_its_neighbour_is_not() -> None:
    case = e.Case.refer("01/20-FA", on=dt.date(2020, 1, 2), municipality="Fauske")
    stored = [e.interchange.case_to_dict(case), {"code": "02/20-FA"}, 7]
    result = e.cases_from_json(json.dumps(stored))
    assert result.accepted == (case,)
    assert list(result.rejected["position"]) == [1, 2]
    assert list(result.rejected["code"]) == ["02/20-FA", ""]


_NOT_A_FLAG = st.one_of(
    st.sampled_from(["false", "true", "no", "", "0"]),
    st.integers(),
    st.floats(allow_nan=False),
    st.none(),
    st.lists(st.booleans(), max_size=2),
)


@given(_NOT_A_FLAG, st.sampled_from(["JSON", "dicts"]))
def test_a_flag_that_is_not_true_or_false_is_rejected_not_read_as_true(
    value: object, reader: str
) -> None:
    """``"reached": "false"`` used to be read as a check that reached the person: cattrs' own
    hook for bool is ``bool(value)``."""
    team, cases = _salten()
    stored = [e.interchange.case_to_dict(c) for c in cases[:3]]
    changed = [
        (i, j)
        for i, case in enumerate(stored)
        for j, event in enumerate(case["events"])
        if "reached" in event
    ]
    i, j = changed[0]
    stored[i]["events"][j]["reached"] = value
    if reader == "JSON":
        result = e.cases_from_json(json.dumps(stored), team=team)
    else:
        result = e.interchange.cases_from_dicts(stored, team=team)
    assert len(result.accepted) == 2
    row = result.rejected.iloc[0]
    assert (row["position"], row["path"]) == (i, f"$.events[{j}].reached")
    assert "true or false" in row["reason"]


@pytest.mark.parametrize("value", [1980.7, True, "1980"])
def test_a_birth_year_that_is_not_a_whole_number_is_rejected_not_cut(value: object) -> None:
    team, cases = _salten()
    stored = [e.interchange.case_to_dict(c) for c in cases[:2]]
    stored[0]["birth_year"] = value
    result = e.cases_from_json(json.dumps(stored), team=team)
    assert [c.code for c in result.accepted] == [cases[1].code]
    assert "whole number" in result.rejected.iloc[0]["reason"]


def test_a_lone_surrogate_in_a_rejected_code_is_shown_escaped() -> None:
    """JSON's ``"\\ud800"`` reads as a lone surrogate, which pandas' text columns cannot hold:
    the reader used to crash with a UnicodeEncodeError building its table of rejections."""
    team, cases = _salten()
    stored = [e.interchange.case_to_dict(c) for c in cases[:2]]
    stored[0]["code"] = "\ud800" + stored[0]["code"]
    result = e.cases_from_json(json.dumps(stored), team=team)
    assert [c.code for c in result.accepted] == [cases[1].code]
    assert result.rejected.iloc[0]["code"].startswith("\\ud800")
