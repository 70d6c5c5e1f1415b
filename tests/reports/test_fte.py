"""The FTE table for IS-24/8 and KOSTRA 243: the team's FTE apportioned per member municipality."""

from __future__ import annotations

import csv
import math
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from tests import strategies as s

SALTEN_LETTERS = ("FA", "SØ", "HA", "ST", "SA", "ME", "GI", "BE", "RØ")


def _log(rows: list[dict[str, object]], team: e.Team) -> e.TimeLog:
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["date"])
    return e.TimeLog.from_frame(frame, team=team)


def test_the_annual_report_has_the_fte_table_summing_to_the_team() -> None:
    example = e.examples.salten_2020()
    annual = e.annual_report(
        example.log, example.cases, team=example.team, year=2020, audience="internal"
    )
    table = annual["fte"]
    # Four staff FTE (the Salten preset) of 37.5 × 47 − 75 = 1687.5 hours each.
    assert table.value("Total", "fte") == pytest.approx(4.0)
    assert table.value("Total", "fte_hours") == pytest.approx(6750.0)
    assert table.value("Total", "share") == pytest.approx(1.0)
    assert len(table.row_order) == 9  # the nine members of 2020


@settings(max_examples=25)
@given(
    s.salten_logs,
    st.none() | st.dictionaries(st.sampled_from(SALTEN_LETTERS), st.integers(1, 20)),
    st.sampled_from([1687.5, 1695.0, 1950.0]),
)
def test_the_table_sums_to_the_teams_fte(
    rows: list[dict[str, object]], weights: dict[str, int] | None, hours_per_fte: float
) -> None:
    team = e.teams.salten()
    key: e._reports.FteKey = "hours"
    if weights is not None:
        key = {letters: float(weights.get(letters, 1)) for letters in SALTEN_LETTERS}
    table = e.tables.fte_report(
        _log(rows, team), period=2020, key=key, hours_per_fte=hours_per_fte, audience="internal"
    )
    wide = table.to_frame(labels=False).drop(index="Total")
    assert math.isclose(wide["fte"].sum(), team.staff_fte, rel_tol=1e-9)
    assert (wide["fte"] >= 0).all()
    assert wide["fte_hours"].to_list() == pytest.approx((wide["fte"] * hours_per_fte).to_list())


def test_a_declared_key_is_weighted_by_months_of_membership() -> None:
    example = e.examples.salten_2020()
    key = dict.fromkeys(SALTEN_LETTERS, 1.0)
    table = e.tables.fte_report(example.log, period=2020, key=key, audience="internal")
    # Rødøy joined on 1 September 2020: 122 of 366 days, a third of a member's weight, so eight
    # members and a third share the 4 FTE: 0.48 each and 0.16 for Rødøy.
    assert table.value("Fauske", "fte") == pytest.approx(0.48)
    assert table.value("Rødøy", "fte") == pytest.approx(0.16)
    assert table.value("Rødøy", "share") == pytest.approx(0.04)


@pytest.mark.parametrize(
    ("key", "expected"),
    [
        ("population", "must be one of"),
        ({"FA": 1.0}, "missing"),
        (dict.fromkeys(SALTEN_LETTERS, 0.0), "missing"),
    ],
)
def test_bad_keys_are_refused(key: object, expected: str) -> None:
    example = e.examples.salten_2020()
    with pytest.raises(e.errors.InvalidValueError, match=expected):
        e.tables.fte_report(example.log, period=2020, key=key)  # type: ignore[arg-type]


def test_one_csv_per_member(tmp_path: Path) -> None:
    example = e.examples.salten_2020()
    table = e.tables.fte_report(example.log, period=2020, hours_per_fte=1695.0, audience="internal")
    paths = e.tables.write_fte_csv(table, tmp_path / "fte")
    assert len(paths) == 9
    assert paths[0].name == "fte-2020-1839.csv"  # Beiarn comes first in Norwegian order
    rows = []
    for path in paths:
        with path.open(encoding="utf-8", newline="") as handle:
            (row,) = list(csv.DictReader(handle))
        rows.append(row)
    assert list(rows[0]) == list(e._reports.FTE_CSV_COLUMNS)
    assert {r["survey"] for r in rows} == {"IS-24/8"}
    assert {r["kostra_function"] for r in rows} == {"243"}
    assert {r["hours_per_fte"] for r in rows} == {"1695"}
    assert sum(float(r["fte"]) for r in rows) == pytest.approx(4.0, abs=0.005)
    fauske = next(r for r in rows if r["municipality"] == "Fauske")
    assert fauske["municipality_number"] == "1841"
    assert float(fauske["fte"]) == pytest.approx(table.value("Fauske", "fte"), abs=0.0005)


def test_only_an_fte_table_is_written_as_fte_csv(tmp_path: Path) -> None:
    example = e.examples.salten_2020()
    annual = e.annual_report(example.log, team=example.team, year=2020, audience="internal")
    with pytest.raises(e.errors.InvalidValueError, match="FTE table"):
        e.tables.write_fte_csv(annual["driving"], tmp_path)
