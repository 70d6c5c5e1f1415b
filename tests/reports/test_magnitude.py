"""Who contributes to a cell of hours (``_reports/_magnitude.py``), against a plain oracle: the
entries of the cell picked one by one and added up per case."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

import attrs
import numpy as np
import pandas as pd
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern._reports._definitions import TOTAL, Magnitude
from ettervern._reports._magnitude import Contributions
from tests.strategies import salten_logs


def _oracle(
    rows: list[dict[str, object]], period: tuple[dt.date, dt.date], kind: str, dim: str, row: str
) -> tuple[list[float], float]:
    by_case: dict[str, float] = defaultdict(float)
    untied = 0.0
    for entry in rows:
        day = entry["date"]
        assert isinstance(day, dt.date)
        if not period[0] <= day <= period[1]:
            continue
        value = float(entry["hours"]) if kind == "hours" else 1.0  # type: ignore[arg-type]
        here = f"{day:%Y-%m}" if dim == "month" else str(entry["municipality"])
        if row not in (TOTAL, here):
            continue
        if entry["case"] is None:
            untied += value
        else:
            by_case[str(entry["case"])] += value
    return sorted((v for v in by_case.values() if v > 0), reverse=True), untied


@settings(max_examples=30)
@given(
    rows=salten_logs,
    start=st.dates(dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
    days=st.integers(0, 200),
    kind=st.sampled_from(["hours", "entries"]),
    dim=st.sampled_from(["municipality", "month"]),
)
def test_a_cell_adds_up_its_cases_as_the_entries_do(
    rows: list[dict[str, object]], start: dt.date, days: int, kind: str, dim: str
) -> None:
    team = e.teams.salten()
    frame = e.TimeLog.from_frame(pd.DataFrame(rows), team=team).to_frame()
    period = (start, min(start + dt.timedelta(days=days), dt.date(2020, 12, 31)))
    contributions = Contributions(frame, period)
    table = Magnitude(kind, dim, 2 if kind == "hours" else 1)
    categories = [c.key for c in team.categories]
    candidates = {f"{r['date']:%Y-%m}" if dim == "month" else str(r["municipality"]) for r in rows}
    for row in [TOTAL, *sorted(candidates)]:
        amounts, untied = contributions.of_cell(table, row, categories)
        expected, expected_untied = _oracle(rows, period, kind, dim, row)
        assert amounts == expected
        assert untied == expected_untied


@settings(max_examples=30)
@given(
    rows=salten_logs,
    start=st.dates(dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
    days=st.integers(0, 200),
)
def test_the_log_codes_give_the_cells_the_entries_give(
    rows: list[dict[str, object]], start: dt.date, days: int
) -> None:
    """Read from the log's codes (``log_codes``, as the annual report gives them), each cell's
    contributors are those of the oracle, entry by entry."""
    from ettervern._timelog import log_codes

    team = e.teams.salten()
    codes = log_codes(e.TimeLog.from_frame(pd.DataFrame(rows), team=team))
    period = (start, min(start + dt.timedelta(days=days), dt.date(2020, 12, 31)))
    contributions = Contributions(codes, period)
    categories = [c.key for c in team.categories]
    for kind, dim in [("hours", "municipality"), ("entries", "month")]:
        table = Magnitude(kind, dim, 2 if kind == "hours" else 1)
        found = {f"{r['date']:%Y-%m}" if dim == "month" else str(r["municipality"]) for r in rows}
        for row in [TOTAL, *sorted(found)]:
            expected = _oracle(rows, period, kind, dim, row)
            assert contributions.of_cell(table, row, categories) == expected


def _every_case_at_once(
    contributions: Contributions,
    table: Magnitude,
    row: str,
    categories: list[str],
    without: str | None,
) -> tuple[list[float], float]:
    """The cell as the first version found it: masks over every part, one ``bincount`` over
    every case (each case's sum in the parts' order), the positive sums sorted."""
    parts, dim, kind = contributions.parts, table.rows, table.kind
    chosen = parts["category"].isin(categories).to_numpy()
    if row != TOTAL:
        chosen = chosen & (parts[dim] == row).to_numpy()
    if without is not None:
        chosen = chosen & (parts["municipality"] != without).to_numpy()
    cases = pd.factorize(parts["case"].to_numpy(dtype=object))[0]  # None is -1
    values = parts[kind].to_numpy(dtype="float64")
    tied = chosen & (cases >= 0)
    sums = np.bincount(cases[tied], weights=values[tied], minlength=max(cases.max() + 1, 0))
    return sorted((float(v) for v in sums if v > 0), reverse=True), float(
        values[chosen & (cases < 0)].sum()
    )


_tenths_logs = settings(max_examples=40)(
    given(
        rows=salten_logs,
        tenths=st.lists(st.integers(1, 9_999), min_size=60, max_size=60),
        kind=st.sampled_from(["hours", "entries"]),
        dim=st.sampled_from(["municipality", "month"]),
    )
)
"""A Salten log with hours in tenths (not exact in binary), read by one kind of table."""


@attrs.frozen
class _Drawn:
    frame: pd.DataFrame
    table: Magnitude
    keys: list[str]  # the team's categories
    members: list[str]  # those who logged, and one who did not
    found: list[str]  # the rows of the table


def _drawn(rows: list[dict[str, object]], tenths: list[int], kind: str, dim: str) -> _Drawn:
    """The drawn log as a frame with the hours in tenths, and what the tests ask of it."""
    team = e.teams.salten()
    frame = e.TimeLog.from_frame(pd.DataFrame(rows), team=team).to_frame()
    frame["hours"] = [t / 10 for t in tenths[: len(frame)]]
    found = {f"{r['date']:%Y-%m}" if dim == "month" else str(r["municipality"]) for r in rows}
    return _Drawn(
        frame,
        Magnitude(kind, dim, 2 if kind == "hours" else 1),
        [c.key for c in team.categories],
        [*sorted({str(r["municipality"]) for r in rows}), "Bodø-not-logged"],
        sorted(found),
    )


_YEAR = (dt.date(2020, 1, 1), dt.date(2020, 12, 31))


@_tenths_logs
def test_each_cell_is_the_same_floats_as_one_bincount_over_every_case(
    rows: list[dict[str, object]], tenths: list[int], kind: str, dim: str
) -> None:
    """Hours in tenths (as the integrated team logs them, not exact in binary) give each cell,
    whole and less each member, the very floats the sums over every case gave: the order of
    the additions is kept, so the p % rule decides the same at its edge. Asked twice (the
    second answer comes from the cache), and with the cells asked in another order."""
    drawn = _drawn(rows, tenths, kind, dim)
    frame, table, keys = drawn.frame, drawn.table, drawn.keys
    # Two cases share the entries tied to one: each case's sum adds many parts.
    tied = frame["case"].dropna().unique()[:2].tolist()
    if tied:
        frame["case"] = pd.Categorical(
            [
                None if c is None or pd.isna(c) else tied[i % len(tied)]
                for i, c in enumerate(frame["case"])
            ]
        )
    contributions = Contributions(frame, _YEAR)
    asked = [
        (row, categories, without)
        for row in [TOTAL, *drawn.found]
        for categories in (keys, keys[:1], keys[1:3])
        for without in (None, *drawn.members)
    ]
    for row, categories, without in [*asked, *reversed(asked)]:
        expected = _every_case_at_once(contributions, table, row, categories, without)
        assert contributions.of_cell(table, row, categories, without=without) == expected


@_tenths_logs
def test_a_column_made_at_once_is_each_of_its_cells_made_alone(
    rows: list[dict[str, object]], tenths: list[int], kind: str, dim: str
) -> None:
    """``prefill`` (each column's rows added up at once, for the primary suppression) gives
    every row, whole and less each member, the very amounts and untied time that ``of_cell``
    gives it asked alone: hours in tenths (not exact in binary), time tied to no case, a row
    nobody logged, the Total left to ``of_cell``."""
    drawn = _drawn(rows, tenths, kind, dim)
    table, keys = drawn.table, drawn.keys
    alone, at_once = Contributions(drawn.frame, _YEAR), Contributions(drawn.frame, _YEAR)
    asked = [*drawn.found, "nobody's row", TOTAL]
    for categories in (keys, keys[:1], keys[1:3]):
        for without in (None, *drawn.members):
            at_once.prefill(table, asked, categories, without=without)
            for row in asked:
                expected = alone.of_cell(table, row, categories, without=without)
                assert at_once.of_cell(table, row, categories, without=without) == expected
