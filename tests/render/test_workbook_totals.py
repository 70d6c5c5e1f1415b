"""The example workbooks add up in the spreadsheet itself: every additive column of every sheet
sums to its total row, and every row's parts sum to its total column (exact stored values)."""

from __future__ import annotations

import math
from pathlib import Path

import pytest

import ettervern as e
from ettervern._render._units import column_unit

openpyxl = pytest.importorskip("openpyxl")

ADDITIVE_UNITS = {"hours", "staff hours", "entries", "cases", "people", "amount"}
"""Units whose figures add up; means, medians, shares and rates do not."""
YEARS = {"salten": 2020, "jaeren": 2019, "integrated": 2025}


def _additive(key: str, unit: str) -> bool:
    not_a_rate = not key.startswith(("mean", "median", "share")) and "_per_" not in key
    return unit in ADDITIVE_UNITS and not_a_rate


@pytest.mark.parametrize("team", sorted(YEARS))
def test_every_column_of_every_sheet_sums_to_its_total(team: str, tmp_path: Path) -> None:
    example = e.examples.example(team)
    annual = e.annual_report(
        example.log, example.cases, team=example.team, year=YEARS[team], audience="internal"
    )
    book = openpyxl.load_workbook(annual.to_excel(tmp_path / f"{team}.xlsx"))
    checked = 0
    for report, sheet in zip(annual, book.worksheets[1:], strict=False):
        wide = report.to_frame(labels=False)
        rows = list(sheet.iter_rows(min_row=5, max_row=4 + len(wide), values_only=True))
        keys = [str(c) for c in wide.columns]
        if "Total" in wide.index:
            total = rows[list(wide.index).index("Total")]
            parts = [r for k, r in zip(wide.index, rows, strict=True) if k != "Total"]
            for j, key in enumerate(keys, start=1):
                if _additive(key, column_unit(report, key)) and isinstance(total[j], int | float):
                    summed = sum(r[j] for r in parts if isinstance(r[j], int | float))
                    assert math.isclose(summed, total[j], abs_tol=1e-9), (sheet.title, key)
                    checked += 1
        if "Total" in keys and report.unit in ADDITIVE_UNITS:
            for row in rows:
                values = [v for v in row[1:-1] if isinstance(v, int | float)]
                assert math.isclose(sum(values), row[-1] or 0, abs_tol=1e-9), sheet.title
                checked += 1
    assert checked > 50


def test_quarter_hours_are_stored_exactly(tmp_path: Path) -> None:
    example = e.examples.jaeren_2019()
    annual = e.annual_report(example.log, team=example.team, year=2019)
    book = openpyxl.load_workbook(annual.to_excel(tmp_path / "j.xlsx"))
    stored = [
        cell.value
        for sheet in book.worksheets[1:]
        for row in sheet.iter_rows(min_row=5)
        for cell in row[1:]
        if isinstance(cell.value, float)
    ]
    assert any(round(v * 4) == v * 4 and round(v, 1) != v for v in stored)  # 5.25 stays 5.25
