"""Cases to JSON-safe data and back: lossless, versioned, and strict about what it reads."""

from __future__ import annotations

import datetime as dt
import json
import re
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from tests import strategies as s

d = dt.date


@given(s.cases())
def test_round_trip(case: e.Case) -> None:
    data = e.interchange.case_to_dict(case)
    assert json.loads(json.dumps(data)) == data
    assert _plain(data)
    assert e.interchange.case_from_dict(data) == case
    assert e.cases_from_json(e.cases_to_json([case])).accepted == (case,)


@given(s.cases(max_events=6), s.schemes, st.data())
def test_round_trip_in_any_scheme(case: e.Case, scheme: e.CodeScheme, data: st.DataObject) -> None:
    code = attrs.evolve(data.draw(s.case_codes(scheme)), year=case.referred_on.year)
    mine = attrs.evolve(case, code=code)  # a code is given in the referral's year
    stored = e.interchange.case_to_dict(mine)
    assert stored["code"] == str(code)
    again = e.interchange.case_from_dict(json.loads(json.dumps(stored)))
    assert again == mine
    assert str(again.code) == str(code)


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
    return e.interchange.case_to_dict(case)


def test_the_stored_form() -> None:
    data = _stored()
    assert data["schema_version"] == e.interchange.CASE_SCHEMA_VERSION == 6
    assert (data["code"], data["municipality"]) == ("02/20-FA", "Fauske")
    assert data["events"][0] == {"event": "referral", "on": "2020-03-02", "source": "gp"}
    assert data["events"][1] == {"event": "admission", "on": "2020-03-03", "kind": "treatment"}
    assert data["events"][-1]["outcome"] == {"housing": 3}


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        (lambda x: x.update(schema_version=7), "schema_version 7;.* @ \\$.schema_version"),
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
        e.interchange.case_from_dict(data, source="cases.json")
    assert info.value.source == "cases.json"


def test_files_and_lists(tmp_path: Path) -> None:
    case = e.interchange.case_from_dict(_stored())
    path = e.write_cases([case], tmp_path / "cases.json")
    assert e.read_cases(path).accepted == (case,)
    with pytest.raises(e.errors.ConfigError, match="list of cases"):
        e.cases_from_json("{}")
    with pytest.raises(e.errors.ConfigError, match=r"@ \$\[1\]"):
        e.cases_from_json(json.dumps([_stored(), 3]), strict=True)
    with pytest.raises(e.errors.ConfigError, match="case 0"):
        e.cases_from_json(json.dumps([{**_stored(), "schema_version": 9}]), strict=True)
    with pytest.raises(e.errors.ConfigError, match="not valid JSON"):
        e.cases_from_json("[")
    with pytest.raises(e.errors.ConfigError, match=r"\.json"):
        e.read_cases(tmp_path / "cases.toml")


def test_a_converter_of_your_own_handles_cases() -> None:
    converter = e.interchange.make_converter()
    case = e.interchange.case_from_dict(_stored())
    assert converter.structure(converter.unstructure(case), e.Case) == case


def test_a_teams_own_code_scheme_is_kept_end_to_end(tmp_path: Path) -> None:
    jaeren = e.teams.jaeren()
    case = e.Case.refer("HÅ-2026-001", on=dt.date(2026, 1, 5), municipality="Hå", team=jaeren)
    data = e.interchange.case_to_dict(case)
    assert data["code"] == "HÅ-2026-001"
    assert data["code_scheme"] == {"pattern": "{letters}-{yyyy}-{number}", "number_width": 3}
    again = e.interchange.case_from_dict(data)
    assert again == case
    assert str(again.code) == "HÅ-2026-001"
    # Stored without its scheme, the team's scheme reads it.
    del data["code_scheme"]
    assert str(e.interchange.case_from_dict(data, team=jaeren).code) == "HÅ-2026-001"
    with pytest.raises(e.errors.ConfigError, match=r"\$\.code"):
        e.interchange.case_from_dict(data)
    # The default scheme is not written: files of Salten cases do not change.
    assert "code_scheme" not in e.interchange.case_to_dict(e.examples.salten_2020().cases[0])
    path = e.write_cases([case], tmp_path / "cases.json")
    assert e.read_cases(path, team=jaeren).accepted == (case,)
    # The time log reads the same code for the same team.
    log = e.TimeLog.from_frame(
        pd.DataFrame(
            {
                "case": ["HÅ-2026-001"],
                "date": [dt.date(2026, 1, 6)],
                "municipality": ["Hå"],
                "category": ["individual_plan_work"],
                "hours": [0.75],
            }
        ),
        team=jaeren,
    )
    assert len(log.for_case(str(case.code))) == 1


def test_reading_with_a_team_checks_each_case() -> None:
    jaeren = e.teams.jaeren()
    salten_case = e.examples.salten_2020().cases[0]
    with pytest.raises(e.errors.ConfigError, match=r"'01/20-FA' is not valid.*\$\.code"):
        e.cases_from_json(e.cases_to_json([salten_case]), team=jaeren, strict=True)
    bergen = e.Case.refer(
        jaeren.parse_code("BG-2019-001"), on=dt.date(2019, 3, 4), municipality="Bergen"
    )
    with pytest.raises(e.errors.ConfigError, match="not_a_member"):
        e.cases_from_json(e.cases_to_json([bergen]), team=jaeren, strict=True)


def test_a_version_1_document_still_reads_and_is_written_as_the_current_version() -> None:
    old = {
        "schema_version": 1,
        "code": "02/20-ST",
        "municipality": "Steigen",
        "events": [{"event": "referral", "on": "2020-03-02", "source": "person"}],
    }
    case = e.interchange.case_from_dict(old)
    assert str(case.code) == "02/20-ST"
    assert (
        e.interchange.case_to_dict(case)["schema_version"] == 6 == e.interchange.CASE_SCHEMA_VERSION
    )


def test_an_assessment_without_scores_is_refused() -> None:
    # Found by fuzzing case_json: "outcome": null was read into an Assessment, and writing the
    # case back then raised AttributeError.
    stored = {
        "schema_version": e.interchange.CASE_SCHEMA_VERSION,
        "code": "02/20-FA",
        "municipality": "Fauske",
        "events": [
            {"event": "referral", "on": "2020-03-02"},
            {"event": "assessment", "on": "2020-03-05", "outcome": None},
        ],
    }
    with pytest.raises(
        e.errors.ConfigError, match=re.escape("expected Outcome @ $.events[1].outcome")
    ):
        e.cases_from_json(json.dumps([stored]), strict=True)
    with pytest.raises(e.errors.WrongTypeError, match="outcome"):
        e.events.Assessment(on=dt.date(2020, 3, 5), outcome=None)  # type: ignore[arg-type]
