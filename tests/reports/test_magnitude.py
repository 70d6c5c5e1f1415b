"""Who contributes to a cell of hours (``_reports/_magnitude.py``), against a plain oracle: the
entries of the cell picked one by one and added up per case."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict

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
