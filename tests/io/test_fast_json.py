"""orjson, where installed, parses stored cases; the result must be what ``json`` gives."""

from __future__ import annotations

import json
import sys

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from tests import strategies as s

pytest.importorskip("orjson")


def _without_orjson(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setitem(sys.modules, "orjson", None)  # import orjson now raises ImportError


def test_the_example_cases_are_the_same_with_and_without_orjson(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    text = e.cases_to_json(e.examples.salten_2020().cases)
    with_orjson = e.cases_from_json(text)
    _without_orjson(monkeypatch)
    assert e.cases_from_json(text) == with_orjson
    assert len(with_orjson) > 10


@settings(max_examples=50)
@given(st.lists(s.cases(), max_size=4))
def test_cases_round_trip_through_json_event_by_event(cases: list[e.Case]) -> None:
    back = e.cases_from_json(e.cases_to_json(cases))
    assert back == cases
    assert [c.stays for c in back] == [c.stays for c in cases]
    assert [c.open_spans for c in back] == [c.open_spans for c in cases]


@pytest.mark.parametrize(
    ("field", "value"),
    [("birth_year", "18446744073709551616"), ("birth_year", "NaN"), ("gender", "1e999")],
)
def test_values_orjson_reads_otherwise_get_the_same_error(
    field: str, value: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # orjson turns integers beyond 64 bits into floats and refuses NaN: the text is read again
    # by json, so the message is the same with and without orjson.
    case = e.case_to_dict(e.examples.salten_2020().cases[0])
    case[field] = "PLACEHOLDER"
    text = json.dumps([case]).replace('"PLACEHOLDER"', value)
    with pytest.raises(e.errors.ConfigError) as with_orjson:
        e.cases_from_json(text)
    _without_orjson(monkeypatch)
    with pytest.raises(e.errors.ConfigError) as without:
        e.cases_from_json(text)
    assert str(with_orjson.value) == str(without.value)
    assert field in str(without.value)


def test_a_bad_case_is_still_named_by_its_path_on_the_direct_path() -> None:
    text = e.cases_to_json(e.examples.salten_2020().cases[:2])
    data = json.loads(text)
    data[1]["events"][0]["on"] = "2020-02-30"
    with pytest.raises(e.errors.ConfigError, match=r"(?s)case 1.*\$\.events\[0\]\.on"):
        e.cases_from_json(json.dumps(data))
