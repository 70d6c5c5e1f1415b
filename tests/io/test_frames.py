"""Cases as a table of events: written and read back as they were, and checked as JSON is."""

from __future__ import annotations

import datetime as dt
import io
import json
import math
from collections.abc import Callable
from pathlib import Path
from typing import Any

import attrs
import pandas as pd
import pytest
from hypothesis import given, reject, settings
from hypothesis import strategies as st

import ettervern as e
from tests import strategies as s

EXAMPLES = ["salten", "jaeren", "integrated"]


def _example_frame(name: str = "salten") -> pd.DataFrame:
    return e.cases_to_frame(e.examples.example(name).cases)


def _code(case: e.Case) -> str:
    """What holds a case's rows together: a table holds one case per code."""
    return str(case.code)


def _error(frame: pd.DataFrame, team: e.Team | None = None) -> str:
    with pytest.raises(e.errors.ConfigError) as caught:
        e.cases_from_frame(frame, team=team, strict=True)
    return str(caught.value)


# -- the table ---------------------------------------------------------------------------------


def test_one_row_per_event_in_the_documented_columns() -> None:
    cases = e.examples.salten_2020().cases
    frame = e.cases_to_frame(cases)
    assert list(frame.columns) == [*e.CASE_COLUMNS, *e.EVENT_COLUMNS]
    assert len(frame) == sum(len(c.events) for c in cases)
    first = frame[frame["case"] == str(cases[0].code)]
    assert first["seq"].tolist() == list(range(len(cases[0].events)))
    assert first["event"].tolist() == [type(ev).tag for ev in cases[0].events]
    assert [d.date() for d in first["on"]] == [ev.on for ev in cases[0].events]
    assert first["municipality"].unique().tolist() == [cases[0].municipality.name]
    assert str(frame["on"].dtype).startswith("datetime64")
    assert str(frame["reached"].dtype) == "boolean"
    # A value an event does not have is empty: an acceptance has no kind.
    acceptance = frame[frame["event"] == "acceptance"].iloc[0]
    assert pd.isna(acceptance["kind"]) and pd.isna(acceptance["reason"])


def test_a_closure_s_take_over_and_outcome_are_columns_of_its_row() -> None:
    frame = _example_frame()
    closures = frame[frame["event"] == "closure"]
    taken = closures[closures["taken_over_service"].notna()].iloc[0]
    assert taken["taken_over_service"] == "mental_health_and_substance_use"
    scored = closures[closures["outcome"].notna()].iloc[0]
    assert set(json.loads(scored["outcome"])) <= {d.value for d in e.LifeDomain} | {"flags"}


@pytest.mark.parametrize("example", EXAMPLES)
def test_each_example_year_reads_back_as_it_was_with_and_without_its_team(example: str) -> None:
    found = e.examples.example(example)
    frame = e.cases_to_frame(found.cases)
    assert e.cases_from_frame(frame).accepted == tuple(found.cases)
    assert e.cases_from_frame(frame, team=found.team).accepted == tuple(found.cases)


@settings(max_examples=60)
@given(st.lists(s.cases(max_events=8), max_size=5, unique_by=_code), st.none() | s.schemes)
def test_any_cases_read_back_as_they_were(cases: list[e.Case], scheme: e.CodeScheme | None) -> None:
    if scheme is not None:  # codes in another scheme are stored with it
        cases = [
            e.Case(
                e.CaseCode(
                    year=c.code.year,
                    municipality=c.code.municipality,
                    number=c.code.number,
                    scheme=scheme,
                ),
                c.municipality,
                c.events,
                birth_year=c.birth_year,
                gender=c.gender,
                person=c.person,
            )
            for c in cases
        ]
    back = list(e.cases_from_frame(e.cases_to_frame(cases)).accepted)
    assert back == cases
    assert [c.code.scheme for c in back] == [c.code.scheme for c in cases]
    assert [c.stays for c in back] == [c.stays for c in cases]


def _from_one_day(case: e.Case, day: dt.date) -> e.Case:
    """``case`` moved in time to be referred on ``day``."""
    shift = case.referred_on - day
    events = tuple(attrs.evolve(event, on=event.on - shift) for event in case.events)
    return e.Case(case.code, case.municipality, events, person=case.person)


_DAY = dt.date(2024, 3, 1)
_LATER = dt.date(2024, 6, 3)
_TWINS: dict[str, tuple[dict[str, object], dict[str, object]]] = {
    # A column, and two ways of one event that differ only in it.
    "source": ({"source": "gp"}, {"source": "institution"}),
    "kind": ({"kind": "prison"}, {"kind": "treatment"}),
    "step": ({"step": "mapping"}, {"step": "follow_up"}),
    "task": ({"task": "individual_plan"}, {"task": "crisis_plan"}),
    "reason": ({"reason": "completed"}, {"reason": "long_term_treatment"}),
    "report_delivered": ({"report_delivered": True}, {"report_delivered": False}),
    "evaluation_given": ({"evaluation_given": True}, {"evaluation_given": False}),
    "taken_over_service": ({"taken_over_by": "nav"}, {"taken_over_by": "housing"}),
    "taken_over_municipality": (
        {"taken_over_by": e.events.TakeOver(service="nav", municipality="Bodø")},
        {"taken_over_by": e.events.TakeOver(service="nav", municipality="Fauske")},
    ),
    "reached": ({"reached": True}, {"reached": False}),
    "staff": ({"staff": "s1"}, {"staff": "s2"}),
    "coordinator": ({"staff": "s1", "coordinator": True}, {"staff": "s1", "coordinator": False}),
    "outcome": ({"outcome": e.Outcome(housing=1)}, {"outcome": e.Outcome(housing=3)}),
}


def _twin(number: int, column: str, way: dict[str, Any]) -> e.Case:
    """A case whose one event is written ``way`` (the field of ``column``), all else fixed."""
    code = f"{number:02d}/24-FA"
    refer = {"source": way["source"]} if column == "source" else {}
    case = e.Case.refer(code, on=_DAY, municipality="Fauske", **refer).accept(on=_DAY)
    record: dict[str, Callable[[], e.Case]] = {
        "source": lambda: case,
        "kind": lambda: case.admit(on=_DAY, kind=way["kind"]),
        "step": lambda: case.begin_step(way["step"], on=_DAY),
        "task": lambda: case.complete(way["task"], on=_DAY),
        "staff": lambda: case.assign_staff(on=_DAY, **way),
        "coordinator": lambda: case.assign_staff(on=_DAY, **way),
        "reached": lambda: case.close(on=_DAY, reason="completed").record_three_month_check(
            on=_LATER, reached=way["reached"]
        ),
    }
    closing = {"reason": "completed"} | way
    return record.get(column, lambda: case.close(on=_DAY, **closing))()


@pytest.mark.parametrize("column", sorted(_TWINS))
def test_events_that_differ_in_one_column_stay_apart(column: str) -> None:
    # The table tells events apart column by column: two events on one day that differ only in
    # this column must each keep their own value.
    one, other = _TWINS[column]
    cases = [_twin(1, column, one), _twin(2, column, other)]
    back = list(e.cases_from_frame(e.cases_to_frame(cases)).accepted)
    assert back == cases
    assert back[0].events != back[1].events


@settings(max_examples=80)
@given(st.lists(s.cases(max_events=8), min_size=2, max_size=8, unique_by=_code))
def test_events_that_differ_in_one_field_stay_apart(cases: list[e.Case]) -> None:
    # Cases referred on one day have many events on the same days that differ in one field
    # only (the source, the kind of stay, the reason, a flag): each must keep its own.
    try:
        cases = [_from_one_day(c, dt.date(2024, 1, 1)) for c in cases]
    except e.errors.PathwayError:  # a month is not a fixed number of days: the move broke it
        reject()
    assert e.cases_from_frame(e.cases_to_frame(cases)).accepted == tuple(cases)


@settings(max_examples=30)
@given(
    st.lists(s.cases(max_events=8), min_size=1, max_size=5, unique_by=_code),
    st.randoms(use_true_random=False),
)
def test_rows_may_come_in_any_order(cases: list[e.Case], random: object) -> None:
    frame = e.cases_to_frame(cases)
    order = list(range(len(frame)))
    random.shuffle(order)  # type: ignore[attr-defined]
    shuffled = frame.iloc[order]
    back = list(e.cases_from_frame(shuffled).accepted)
    # Each case's events by seq; the cases in the order of their first row.
    firsts = list(dict.fromkeys(shuffled["case"]))
    by_code = {str(c.code): c for c in cases}
    assert [str(c.code) for c in back] == firsts
    assert back == [by_code[code] for code in firsts]


def test_dates_may_be_text_or_dates_as_other_engines_write_them() -> None:
    frame = _example_frame()
    cases = e.cases_from_frame(frame).accepted
    as_text = frame.assign(on=frame["on"].dt.strftime("%Y-%m-%d"))
    as_dates = frame.assign(on=[d.date() for d in frame["on"]])
    assert e.cases_from_frame(as_text).accepted == cases
    assert e.cases_from_frame(as_dates).accepted == cases


def test_columns_no_event_has_may_be_left_out() -> None:
    frame = _example_frame()
    empty = [c for c in frame.columns if frame[c].isna().all()]
    assert "staff" in empty
    assert (
        e.cases_from_frame(frame.drop(columns=empty)).accepted == e.cases_from_frame(frame).accepted
    )


def test_two_cases_with_one_code_are_refused() -> None:
    case = e.examples.salten_2020().cases[0]
    with pytest.raises(e.errors.InvalidValueError, match=str(case.code).replace("/", ".")):
        e.cases_to_frame([case, case])


def test_an_empty_table_holds_no_cases() -> None:
    assert e.cases_from_frame(e.cases_to_frame([])).accepted == ()


def test_shared_events_are_one_value() -> None:
    # Two cases accepted on the same day share the acceptance: built and checked once.
    day = dt.date(2024, 3, 1)
    one = e.Case.refer("01/24-FA", on=day, municipality="Fauske").accept(on=day)
    two = e.Case.refer("02/24-FA", on=day, municipality="Fauske").accept(on=day)
    first, second = e.cases_from_frame(e.cases_to_frame([one, two])).accepted
    assert first.events[1] is second.events[1]


# -- Parquet -----------------------------------------------------------------------------------


@pytest.mark.parametrize("example", EXAMPLES)
def test_cases_through_parquet(example: str, tmp_path: Path) -> None:
    pytest.importorskip("pyarrow")
    found = e.examples.example(example)
    path = e.write_cases_parquet(found.cases, tmp_path / "cases.parquet")
    assert e.read_cases_parquet(path, team=found.team).accepted == tuple(found.cases)
    assert list(pd.read_parquet(path).columns) == [*e.CASE_COLUMNS, *e.EVENT_COLUMNS]


def test_parquet_names_and_missing_files(tmp_path: Path) -> None:
    cases = e.examples.salten_2020().cases
    with pytest.raises(e.errors.ConfigError, match=r"\.parquet"):
        e.write_cases_parquet(cases, tmp_path / "cases.json")
    with pytest.raises(e.errors.MissingFileError, match="does not exist"):
        e.read_cases_parquet(tmp_path / "missing.parquet")


# -- what is refused ---------------------------------------------------------------------------


def test_unknown_and_missing_columns_are_named() -> None:
    frame = _example_frame()
    text = _error(frame.assign(name="x").drop(columns=["on"]))
    assert "unknown: name" in text and "missing: on" in text


def test_a_bad_date_names_its_row() -> None:
    frame = _example_frame().assign(on=lambda f: f["on"].dt.strftime("%Y-%m-%d"))
    frame.loc[7, "on"] = "2020-02-30"
    assert "row 7, column on" in _error(frame)


def test_two_events_at_one_seq_are_refused() -> None:
    frame = _example_frame()
    frame.loc[1, "seq"] = 0
    assert "column seq" in _error(frame)


def test_a_case_whose_rows_differ_is_refused() -> None:
    frame = _example_frame()
    frame["municipality"] = frame["municipality"].astype(str)
    frame.loc[3, "municipality"] = "Bodø"
    assert "row 3, column municipality" in _error(frame)


def test_a_bad_value_of_an_event_names_its_row_and_field() -> None:
    frame = _example_frame()
    frame["kind"] = frame["kind"].astype(object)
    row = int(frame.index[frame["event"] == "admission"][0])
    frame.loc[row, "kind"] = "hotel"
    text = _error(frame)
    assert f"row {row}" in text and "kind" in text and "treatment" in text  # the keys listed


def test_a_value_on_an_event_that_has_no_such_field_is_refused() -> None:
    frame = _example_frame()
    frame["kind"] = frame["kind"].astype(object)
    row = int(frame.index[frame["event"] == "acceptance"][0])
    frame.loc[row, "kind"] = "treatment"
    assert f"row {row}" in _error(frame)


def test_an_impossible_history_names_the_case_and_the_rule() -> None:
    frame = _example_frame()
    code = frame.loc[0, "case"]
    rows = frame.index[(frame["case"] == code) & (frame["event"] == "referral")]
    later = frame.loc[frame["case"] == code, "seq"].max() + 1
    frame.loc[rows[0], "seq"] = later  # the referral after every other event
    text = _error(frame)
    assert f"case {code}" in text and "rule" in text


def test_a_case_of_another_team_is_refused_with_the_team() -> None:
    text = _error(_example_frame("jaeren"), team=e.teams.salten())
    assert "does not belong to the team" in text


def test_bad_outcome_text_names_its_row() -> None:
    frame = _example_frame()
    row = int(frame.index[frame["outcome"].notna()][0])
    frame.loc[row, "outcome"] = "{not json"
    assert f"row {row}, column outcome" in _error(frame)


def test_an_identity_number_in_a_cell_is_not_repeated() -> None:
    frame = _example_frame()
    frame["task"] = frame["task"].astype(object)
    row = int(frame.index[frame["event"] == "task"][0])
    frame.loc[row, "task"] = "15038510190"  # of no real person
    text = _error(frame)
    assert "15038510190" not in text and f"row {row}" in text


@settings(max_examples=40)
@given(st.lists(s.cases(max_events=8), min_size=1, max_size=4, unique_by=_code), st.data())
def test_the_table_refuses_what_json_refuses(cases: list[e.Case], data: st.DataObject) -> None:
    # A random event moved to another place in its case's order: both readers take the same
    # histories and refuse the same ones.
    frame = e.cases_to_frame(cases)
    row = data.draw(st.integers(0, len(frame) - 1))
    code = frame.loc[row, "case"]
    frame.loc[row, "seq"] = data.draw(st.sampled_from([-1, 1000]))
    stored = [e.interchange.case_to_dict(c) for c in cases]
    for item in stored:
        if item["code"] == code:
            events = item["events"]
            moved = events.pop(int(frame.loc[frame["case"] == code].index.get_loc(row)))
            if frame.loc[row, "seq"] == -1:
                events.insert(0, moved)
            else:
                events.append(moved)
    try:
        from_json: tuple[e.Case, ...] | None = e.cases_from_json(
            json.dumps(stored), strict=True
        ).accepted
    except e.errors.ConfigError:
        from_json = None
    try:
        from_frame: tuple[e.Case, ...] | None = e.cases_from_frame(frame, strict=True).accepted
    except e.errors.ConfigError:
        from_frame = None
    assert from_frame == from_json


_HOSTILE = [
    None,
    "",
    "xxx",
    b"\x00\xff",
    -1,
    10**30,
    math.nan,
    math.inf,
    dt.date(1, 1, 1),
    dt.datetime(2020, 1, 1, 12),  # noqa: DTZ001 - a naive one on purpose
    "15038510190",  # of no real person
    [],
    {},
    True,
    1.5,
    "9" * 400,
]


@pytest.mark.parametrize("column", [*e.CASE_COLUMNS, *e.EVENT_COLUMNS])
def test_whatever_a_cell_holds_the_answer_is_cases_or_an_ettervern_error(column: str) -> None:
    frame = _example_frame()
    echoes = []
    for bad in _HOSTILE:
        hostile = frame.assign(**{column: frame[column].astype(object)})
        hostile.at[3, column] = bad  # noqa: PD008 - .loc would spread a list over cells
        try:
            e.cases_from_frame(hostile, strict=True)
        except e.errors.EttervernError as error:  # anything else fails the test
            echoes += [repr(bad)] if "15038510190" in str(error) else []
    assert echoes == []


def test_dates_with_a_time_zone_are_read_as_the_day_they_were_written() -> None:
    frame = _example_frame()
    oslo = frame.assign(on=(frame["on"] + pd.Timedelta(hours=23)).dt.tz_localize("Europe/Oslo"))
    assert e.cases_from_frame(oslo).accepted == e.cases_from_frame(frame).accepted


@pytest.mark.parametrize("example", EXAMPLES)
def test_a_table_through_csv_reads_back(example: str) -> None:
    # Another engine's export as text: numbers as floats beside empty cells, flags as text.
    found = e.examples.example(example)
    text = e.cases_to_frame(found.cases).to_csv(index=False)
    assert e.cases_from_frame(pd.read_csv(io.StringIO(text))).accepted == tuple(found.cases)
