"""Cases to JSON-safe data and back: lossless, versioned, and strict about what it reads."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given

import ettervern as e
from tests import strategies as s

d = dt.date


@given(s.cases())
def test_round_trip(case: e.Case) -> None:
    data = e.case_to_dict(case)
    assert json.loads(json.dumps(data)) == data
    assert _plain(data)
    assert e.case_from_dict(data) == case
    assert e.cases_from_json(e.cases_to_json([case, case])) == [case, case]


def _plain(value: object) -> bool:
    """Only JSON's own types, not subclasses such as enum members."""
    if isinstance(value, dict):
        return all(type(k) is str and _plain(v) for k, v in value.items())
    if isinstance(value, list):
        return all(_plain(v) for v in value)
    return value is None or type(value) in (str, int, bool)


def _stored() -> dict[str, Any]:
    case = (
        e.Case.refer("02/20-FA", on=d(2020, 3, 2), municipality="Fauske", source="gp")
        .admit(on=d(2020, 3, 3), kind="treatment")
        .accept(on=d(2020, 3, 4))
        .discharge(on=d(2020, 4, 1))
        .close(on=d(2020, 6, 1), reason="completed", outcome=e.Outcome(housing=3))
    )
    return e.case_to_dict(case)


def test_the_stored_form() -> None:
    data = _stored()
    assert data["schema_version"] == e.CASE_SCHEMA_VERSION == 1
    assert (data["code"], data["municipality"]) == ("02/20-FA", "Fauske")
    assert data["events"][0] == {"event": "referral", "on": "2020-03-02", "source": "gp"}
    assert data["events"][1] == {"event": "admission", "on": "2020-03-03", "kind": "treatment"}
    assert data["events"][-1]["outcome"] == {"housing": 3}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda x: x.update(schema_version=2), "schema_version 2;.* @ \\$.schema_version"),
        (lambda x: x.pop("schema_version"), "schema_version None"),
        (lambda x: x.update(colour="red"), "colour"),
        (lambda x: x["events"][1].update(ward="A"), "ward.* @ \\$.events\\[1\\]"),
        (lambda x: x["events"][2].update(on="2020-13-01"), "@ \\$.events\\[2\\].on"),
        (lambda x: x["events"][1].update(kind="spa"), "'treatment'.* @ \\$.events\\[1\\].kind"),
        (lambda x: x["events"][3].update(event="party"), "party.* @ \\$.events\\[3\\]"),
        (lambda x: x["events"][4].update(on="2020-03-01"), "before_referral.* @ \\$.events\\[4\\]"),
        (lambda x: x.update(municipality="Atlantis"), "Atlantis"),
    ],
)
def test_bad_data_names_the_field(change: Any, expected: str) -> None:
    data = _stored()
    change(data)
    with pytest.raises(e.errors.ConfigError, match=expected) as info:
        e.case_from_dict(data, source="cases.json")
    assert info.value.source == "cases.json"


def test_files_and_lists(tmp_path: Path) -> None:
    case = e.case_from_dict(_stored())
    path = e.write_cases([case], tmp_path / "cases.json")
    assert e.read_cases(path) == [case]
    with pytest.raises(e.errors.ConfigError, match="list of cases"):
        e.cases_from_json("{}")
    with pytest.raises(e.errors.ConfigError, match=r"@ \$\[1\]"):
        e.cases_from_json(json.dumps([_stored(), 3]))
    with pytest.raises(e.errors.ConfigError, match="case 0"):
        e.cases_from_json(json.dumps([{**_stored(), "schema_version": 9}]))
    with pytest.raises(e.errors.ConfigError, match="not valid JSON"):
        e.cases_from_json("[")
    with pytest.raises(e.errors.ConfigError, match=r"\.json"):
        e.read_cases(tmp_path / "cases.toml")


def test_a_converter_of_your_own_handles_cases() -> None:
    converter = e.make_converter()
    case = e.case_from_dict(_stored())
    assert converter.structure(converter.unstructure(case), e.Case) == case
