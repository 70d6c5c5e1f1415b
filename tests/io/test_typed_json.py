"""Case JSON decoded by msgspec into typed rows (``_io/_typed_json.py``): every case accepted
and every row rejected as the ``json`` path gives them, and the ``json`` path still there
without msgspec."""

from __future__ import annotations

import json
import sys

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern._io import _typed_json, cases_from_stored
from ettervern._pathway import EVENT_TYPES
from tests import strategies as s
from tests.io.test_fast_json import _spoiled


@pytest.fixture(autouse=True)
def _rows_for_any_text(monkeypatch: pytest.MonkeyPatch) -> None:
    """Every text decoded into rows, however short (the reader leaves a short one to json)."""
    monkeypatch.setattr("ettervern._io._convert.TYPED_FROM", 0)


def test_a_short_text_is_left_to_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.undo()  # the reader's own threshold
    monkeypatch.setattr("ettervern._io._convert.case_rows", pytest.fail)
    cases = e.examples.salten_2020().cases
    assert e.cases_from_json(e.cases_to_json(cases)).accepted == tuple(cases)


def _read(text: str, team: e.Team | None) -> tuple[tuple[e.Case, ...], list[object]] | str:
    """What a non-strict read of ``text`` gives: the cases accepted and each rejected row as a
    plain list, or the error's text."""
    try:
        found = e.cases_from_json(text, team=team)
    except e.errors.ConfigError as exc:
        return str(exc)
    return found.accepted, found.rejected.astype(str).to_numpy().tolist()


def _json_path(monkeypatch: pytest.MonkeyPatch) -> None:
    """The text parsed by ``json``, as before msgspec: the path the rows must agree with."""
    monkeypatch.setattr("ettervern._io._convert.case_rows", lambda text: None)


_TEAMS = {"none": None, "salten": e.teams.salten(), "integrated": e.teams.integrated()}


def test_each_kind_of_event_has_its_names() -> None:
    # Written apart from the event classes: a new kind or field must be added to the rows,
    # or every file that holds it would take the json path.
    names = {
        cls.tag: ("on", *(f.name for f in attrs.fields(cls) if f.name != "on"))
        for cls in EVENT_TYPES
    }
    assert {tag: set(found) for tag, found in _typed_json.EVENT_NAMES.items()} == {
        tag: set(found) for tag, found in names.items()
    }


@pytest.mark.parametrize("example", ["salten", "jaeren", "integrated"])
def test_the_examples_are_read_from_rows_with_shared_events(example: str) -> None:
    found = e.examples.example(example)
    text = e.cases_to_json(found.cases)
    assert _typed_json.case_rows(text) is not None  # the rows' path, not json's
    accepted = e.cases_from_json(text, team=found.team, strict=True).accepted
    assert accepted == tuple(found.cases)
    code = found.cases[0].code
    other = e.CaseCode(
        year=code.year, municipality=code.municipality, number=99, scheme=code.scheme
    )
    twin = json.loads(text)[0] | {"code": str(other)}  # the same history under another code
    both = json.dumps([json.loads(text)[0], twin])
    first, second = e.cases_from_json(both, team=found.team).accepted
    assert first.events[0] is second.events[0]


@settings(max_examples=120)
@given(_spoiled(), st.sampled_from(sorted(_TEAMS)))
def test_spoiled_cases_read_from_rows_as_json_reads_them(data: list[object], team: str) -> None:
    # The differential test of this path: the same cases, the same rows rejected with the same
    # paths and reasons, as the json path (itself held to the cattrs path in test_fast_json).
    text = json.dumps(data)
    rows = _read(text, _TEAMS[team])
    with pytest.MonkeyPatch.context() as monkeypatch:
        _json_path(monkeypatch)
        assert rows == _read(text, _TEAMS[team])


_TEXTS = {
    "not a number": '[{"schema_version": NaN}]',
    "out of range": '[{"schema_version": 6, "code": "01/20-BO", "birth_year": 1e400}]',
    "lone surrogate": None,
    "a lone surrogate itself": None,
    "a key twice": None,  # filled in below from a real case
    "a flag as a number": None,
    "not a list": '{"schema_version": 6}',
    "not json": "[{",
    "trailing text": "[] x",
    "byte order mark": "\ufeff[]",
    "an unknown kind": None,
    "a name too many": None,
}


def _texts() -> dict[str, str]:
    """Texts that the rows cannot hold, or that msgspec and json might read apart."""
    case = e.interchange.case_to_dict(e.examples.salten_2020().cases[0])
    good = json.dumps([case])
    found = dict(_TEXTS)
    # In a field that is not echoed: a code holding one breaks the table of rejected rows
    # (pyarrow cannot write it), on either path.
    found["lone surrogate"] = good.replace('"source": "', '"source": "\\ud800', 1)
    found["a lone surrogate itself"] = good.replace('"source": "', '"source": "\ud800', 1)
    found["a key twice"] = good.replace('"code": ', '"code": "01/19-XX", "code": ', 1)
    found["a flag as a number"] = good.replace('"report_delivered": true', '"report_delivered": 1')
    found["an unknown kind"] = good.replace('"event": "acceptance"', '"event": "welcome"', 1)
    found["a name too many"] = good.replace(
        '"event": "acceptance"', '"event": "acceptance", "x": 1', 1
    )
    assert good not in found.values()  # each one spoiled
    return found


@pytest.mark.parametrize("name", sorted(_TEXTS))
def test_a_text_the_rows_cannot_hold_reads_as_json_reads_it(
    name: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    text = _texts()[name]
    assert text is not None
    rows = _read(text, None)
    _json_path(monkeypatch)
    assert rows == _read(text, None)


def test_without_msgspec_the_text_is_parsed_by_json(monkeypatch: pytest.MonkeyPatch) -> None:
    cases = e.examples.salten_2020().cases
    monkeypatch.setitem(sys.modules, "msgspec", None)  # import msgspec raises ImportError
    _typed_json._decoder.cache_clear()
    try:
        assert _typed_json.case_rows(e.cases_to_json(cases)) is None
        assert e.cases_from_json(e.cases_to_json(cases), strict=True).accepted == tuple(cases)
    finally:
        monkeypatch.undo()
        _typed_json._decoder.cache_clear()
    assert _typed_json.case_rows(e.cases_to_json(cases)) is not None


@settings(max_examples=40)
@given(st.lists(s.cases(planning=True), max_size=4, unique_by=lambda case: str(case.code)))
def test_drawn_cases_come_back_from_rows(cases: list[e.Case]) -> None:
    assert e.cases_from_json(e.cases_to_json(cases, indent=None)).accepted == tuple(cases)


@pytest.mark.parametrize("rows", [True, False], ids=["rows", "json"])
@pytest.mark.parametrize(("first", "second"), [("02/20-ST", " 2/20-st"), ("2/20-ST", "002/20-ST")])
def test_a_code_given_twice_is_found_however_it_is_written(
    rows: bool, first: str, second: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The reader tells codes apart by the text it read when that is how the code is written
    # (parse_written); written otherwise, the second is still the code taken.
    if not rows:
        _json_path(monkeypatch)
    case = e.interchange.case_to_dict(e.examples.salten_2020().cases[0])
    text = json.dumps([case | {"code": first}, case | {"code": second}])
    found = e.cases_from_json(text)
    assert [str(c.code) for c in found.accepted] == ["02/20-ST"]
    assert found.rejected["position"].tolist() == [1]
    assert found.rejected["reason"].tolist() == [
        "the code '02/20-ST' is already used by case 0 of this input"
    ]


def _rewritten(item: object, order: list[int], spaced: bool) -> str:
    """An event's table written again: its names in another order, with or without spaces."""
    if not isinstance(item, dict):
        return json.dumps(item)
    names = list(item)
    names = [names[i % len(names)] for i in order if i < len(names)] + names
    ordered = {name: item[name] for name in dict.fromkeys(names)}
    return json.dumps(ordered, separators=(", ", ": ") if spaced else (",", ":"))


@settings(max_examples=60)
@given(_spoiled(), st.data())
def test_events_written_otherwise_read_from_rows_as_json_reads_them(
    data: list[object], draw: st.DataObject
) -> None:
    # Events are keyed by their text on the rows' path: the same event written two ways is
    # built twice, equal; and one case with an event the rows cannot decode goes to json alone.
    # Held to the json path's cases and rejected rows (the oracle, keyed by values).
    texts = []
    for case in data:
        events = case.get("events") if isinstance(case, dict) else None
        if not isinstance(events, list) or not events:
            texts.append(json.dumps(case))
            continue
        written = [
            _rewritten(
                event,
                draw.draw(st.lists(st.integers(min_value=0, max_value=6), max_size=3)),
                draw.draw(st.booleans()),
            )
            for event in events
        ]
        rest = json.dumps({k: v for k, v in case.items() if k != "events"})
        texts.append(
            rest[:-1] + (", " if len(rest) > 2 else "") + '"events": [' + ",".join(written) + "]}"
        )
    text = "[" + ", ".join(texts + texts) + "]"  # each case twice: the second a code taken
    assert json.loads(text) == data + data
    rows = _read(text, None)
    with pytest.MonkeyPatch.context() as monkeypatch:
        _json_path(monkeypatch)
        assert rows == _read(text, None)


# -- a register's cases: fields apart, each event its stored JSON text (issue 35) -------------


def _stored(data: list[object]) -> list[tuple[dict[str, object], list[str]]]:
    """Cases as a register keeps them: the fields, and each event as the text it stores."""
    return [
        ({k: v for k, v in case.items() if k != "events"}, [json.dumps(x) for x in case["events"]])
        for case in data
        if isinstance(case, dict) and isinstance(case.get("events"), list)
    ]


def _outcome(found: e.ImportResult[tuple[e.Case, ...]]) -> tuple[object, ...]:
    return found.accepted, found.rejected.astype(str).to_numpy().tolist(), found.read


@settings(max_examples=120)
@given(_spoiled())
def test_stored_cases_read_from_event_texts_as_from_their_tables(data: list[object]) -> None:
    # The register's reader held to cases_from_dicts, the path it took before: the same cases
    # accepted, the same rows rejected with the same paths and reasons; with and without msgspec.
    stored = _stored(data)
    tables = [fields | {"events": [json.loads(x) for x in texts]} for fields, texts in stored]
    expected = _outcome(e.interchange.cases_from_dicts(tables))
    assert _outcome(cases_from_stored(stored, source="register", strict=False)) == expected
    with pytest.MonkeyPatch.context() as monkeypatch:
        monkeypatch.setattr("ettervern._io._convert.typed", lambda: False)
        assert _outcome(cases_from_stored(stored, source="register", strict=False)) == expected


def test_an_event_stored_as_text_that_is_not_json_rejects_its_case_by_name() -> None:
    cases = e.examples.salten_2020().cases[:2]
    stored = _stored([e.interchange.case_to_dict(case) for case in cases])
    stored[1][1][1] = '{"event": '
    found = cases_from_stored(stored, source="register", strict=False)
    assert found.accepted == (cases[0],)
    assert found.rejected[["position", "code", "path"]].to_numpy().tolist() == [
        [1, str(cases[1].code), "$.events[1]"]
    ]
    assert found.rejected["reason"][0].startswith("not valid JSON: ")
    with pytest.raises(e.errors.ConfigError, match=r"register, case 1:\n.*JSON.*\$\.events\[1\]"):
        cases_from_stored(stored, source="register", strict=True)


def test_stored_cases_share_their_events_by_text() -> None:
    cases = e.examples.salten_2020().cases
    stored = _stored([e.interchange.case_to_dict(case) for case in cases])
    found = cases_from_stored(stored, source="register", strict=True).accepted
    assert found == tuple(cases)
    acceptances = {id(c.events[1]) for c in found if c.events[1] == cases[0].events[1]}
    assert len(acceptances) == 1
