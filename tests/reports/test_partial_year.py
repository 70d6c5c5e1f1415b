"""A report on part of a year says so on its cover, and its FTE table counts only that part."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

import ettervern as e


@pytest.fixture(scope="module")
def spring() -> e.AnnualReport:
    """Salten 2020 as if the sheet held only March and April."""
    example = e.examples.salten_2020()
    log = example.log.between(dt.date(2020, 3, 1), dt.date(2020, 4, 30))
    return e.annual_report(log, team=example.team, year=2020, audience="internal")


def test_the_report_warns_that_it_covers_part_of_the_year(spring: e.AnnualReport) -> None:
    (warning,) = spring.warnings_in("en")
    assert warning.startswith("the time log covers only 2020-03-01 to 2020-04-30 of 2020:")
    assert "Advarsel: timelisten dekker bare" in spring.to_text("nb")
    assert spring.to_text("nb").index("Advarsel") < spring.to_text("nb").index("Timer")
    assert '<p class="warning"><strong>Advarsel: timelisten' in spring.to_html("nb")
    assert spring.to_dict("en")["warnings"] == [warning]


def test_the_workbook_cover_carries_the_warning(spring: e.AnnualReport, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(spring.to_excel(tmp_path / "r.xlsx", "nb"))
    cells = [str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value]
    assert "Advarsel" in cells
    assert any(cell.startswith("timelisten dekker bare") for cell in cells)


def test_the_fte_table_counts_the_covered_part_of_the_year(spring: e.AnnualReport) -> None:
    team = e.teams.salten()
    covered = (31 + 30) / 366  # March and April of a leap year
    assert spring["fte"].value("Total", "fte") == pytest.approx(team.staff_fte * covered)
    hours = spring["fte"].value("Total", "fte_hours")
    assert hours == pytest.approx(team.staff_fte * covered * e.tables.HOURS_PER_FTE)
    assert "16.7 % of the year's days" in spring["fte"].to_text("en")


def test_a_whole_year_has_no_warning() -> None:
    example = e.examples.salten_2020()
    annual = e.annual_report(example.log, example.cases, team=example.team, year=2020)
    assert annual.warnings == ()
    assert annual["fte"].value("Total", "fte") == pytest.approx(example.team.staff_fte)


def test_the_fte_tables_hours_are_working_hours_not_hours_logged(spring: e.AnnualReport) -> None:
    tidy = spring.to_tidy("en")
    units = set(tidy.loc[tidy["table"] == "fte", "unit"].astype(str))
    assert "working hours" in units
    assert "hours" not in units
