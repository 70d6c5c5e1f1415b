"""Issue 32: hours logged after a move count for the member the person moved to; the totals
stay, and the case keeps its code. The oracle sums the log's own rows."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern._reports import moved_log


def _moved(case: e.Case, on: dt.date, to: str) -> e.Case:
    data = e.interchange.case_to_dict(case)
    events = data["events"]
    at = next((i for i, x in enumerate(events) if x["on"] > on.isoformat()), len(events))
    events.insert(at, {"event": "moved", "on": on.isoformat(), "municipality": to})
    return e.interchange.case_from_dict(data)


def _hours(report: e.AnnualReport) -> pd.Series:
    table = next(r for r in report.reports if r.key == "all_categories")
    return table.to_frame().iloc[:-1, :-1].sum(axis=1)  # the total row and column left out


EXAMPLE = e.examples.salten_2020()
FRAME = EXAMPLE.log.to_frame()
FAUSKE = [
    c
    for c in EXAMPLE.cases
    if c.municipality.name == "Fauske" and (FRAME["case"].astype("string") == str(c.code)).sum() > 5
]


@settings(max_examples=5)
@given(st.sampled_from(FAUSKE), st.integers(1, 9), st.sampled_from(["Sørfold", "Saltdal"]))
def test_hours_after_a_move_count_for_the_new_member(case: e.Case, tenth: int, to: str) -> None:
    end = case.closed_on or dt.date(2020, 12, 31)
    on = case.referred_on + (end - case.referred_on) * tenth // 10  # while the case is open
    moved = _moved(case, on, to)
    cases = [moved if c is case else c for c in EXAMPLE.cases]
    before = _hours(e.annual_report(EXAMPLE.log, EXAMPLE.cases, year=2020, audience="internal"))
    after = _hours(e.annual_report(EXAMPLE.log, cases, year=2020, audience="internal"))
    rows = FRAME[
        (FRAME["case"].astype("string") == str(case.code))
        & (FRAME["date"] >= pd.Timestamp(on))
        & (FRAME["municipality"] == "Fauske")
    ]
    shifted = float(rows["hours"].sum())
    assert after.sum() == before.sum()
    assert after["Fauske"] == before["Fauske"] - shifted
    assert after[to] == before.get(to, 0.0) + shifted
    others = [m for m in before.index if m not in ("Fauske", to)]
    assert (after[others] == before[others]).all()
    assert moved.code == case.code


def test_cost_sharing_follows_the_move() -> None:
    case = FAUSKE[0]
    moved = _moved(case, case.referred_on + dt.timedelta(days=1), "Sørfold")
    cases = [moved if c is case else c for c in EXAMPLE.cases]

    def shares(given: list[e.Case]) -> pd.Series:
        report = e.annual_report(EXAMPLE.log, given, year=2020, audience="internal")
        table = next(r for r in report.reports if r.key == "cost_sharing")
        return table.to_frame().iloc[:-1, 0]  # own hours, the total row left out

    before, after = shares(list(EXAMPLE.cases)), shares(cases)
    assert after["Sørfold"] > before["Sørfold"] and after["Fauske"] < before["Fauske"]
    assert abs(after.sum() - before.sum()) < 1e-9


def _by_hand(frame: pd.DataFrame, case: e.Case, on: dt.date, to: str) -> pd.DataFrame:
    """The oracle: the log's rows rewritten one by one, an entry of the case on or after the
    move logged to its old member counted for the new one."""
    rows = []
    for row in frame.to_dict("records"):
        after = row["date"] >= pd.Timestamp(on) and str(row["case"]) == str(case.code)
        moved = after and row["municipality"] == case.municipality.name
        rows.append({**row, "municipality": to} if moved else row)
    return pd.DataFrame(rows)


@settings(max_examples=3)
@given(st.sampled_from(FAUSKE), st.integers(1, 9))
def test_a_table_given_the_log_and_the_cases_counts_hours_after_a_move_for_the_new_member(
    case: e.Case, tenth: int
) -> None:
    end = case.closed_on or dt.date(2020, 12, 31)
    on = case.referred_on + (end - case.referred_on) * tenth // 10
    moved = _moved(case, on, "Sørfold")
    cases = [moved if c is case else c for c in EXAMPLE.cases]
    by_hand = _by_hand(FRAME, case, on, "Sørfold")
    expected = by_hand.groupby(by_hand["municipality"].astype(str))["hours"].sum()
    table = e.tables.fte_report(
        EXAMPLE.log, cases=cases, period=2020, team="salten", key="hours", audience="internal"
    )
    shares = table.to_frame(locale="en").iloc[:-1, 0]  # each member's share of the hours
    total = float(FRAME["hours"][FRAME["municipality"].isin(shares.index)].sum())
    for member in ("Fauske", "Sørfold"):
        assert abs(shares[member] - expected.get(member, 0.0) / total) < 1e-9
    # the same log without the cases: the hours stay where they were logged
    plain = e.tables.fte_report(EXAMPLE.log, period=2020, team="salten", audience="internal")
    assert plain.to_frame(locale="en").iloc[:-1, 0]["Sørfold"] < shares["Sørfold"]


def test_a_year_in_which_no_one_moved_reads_the_log_as_it_is(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Without the cases' event kinds, the cases are asked whether anyone moved: the log's
    frame (a copy of every entry) is not built for a year in which no one did."""
    log, cases = EXAMPLE.log, list(EXAMPLE.cases)
    assert not any(c.moves for c in cases)

    def refuse(*_: object, **__: object) -> None:
        raise AssertionError("the log's frame was built")

    monkeypatch.setattr(type(log), "to_frame", refuse)
    assert moved_log(log, cases) is log
    monkeypatch.undo()
    moved = [_moved(cases[0], dt.date(2020, 6, 1), "Saltdal"), *cases[1:]]
    assert (
        moved_log(log, moved) is not log
        or not (FRAME["case"].astype("string") == str(cases[0].code)).any()
    )
