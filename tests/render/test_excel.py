"""Workbooks: readable unique sheet names, print set-up, exact values with formats, rejected rows."""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from ettervern._render import sheet_name

openpyxl = pytest.importorskip("openpyxl")


@pytest.fixture(scope="module")
def annual(annual_2020: e.AnnualReport) -> e.AnnualReport:
    return annual_2020


@pytest.fixture(scope="module")
def book(annual: e.AnnualReport, tmp_path_factory: pytest.TempPathFactory) -> object:
    result = e.read_timelog(e.examples.salten_2020_messy_path(), team=annual.team)
    path = annual.to_excel(tmp_path_factory.mktemp("book") / "r.xlsx", rejected=result)
    return openpyxl.load_workbook(path)


titles = st.text(
    alphabet=st.sampled_from(list("abcæøå ABC:/?*[]\\' -,.0123")), min_size=0, max_size=60
)


@given(st.lists(titles, max_size=25))
def test_sheet_names_are_unique_and_readable(given_titles: list[str]) -> None:
    taken: set[str] = set()
    names = [sheet_name(t, taken) for t in given_titles]
    assert len({n.casefold() for n in names}) == len(names)
    for name in names:
        assert 0 < len(name) <= 31
        assert not re.search(r"[\[\]:*?/\\]", name)
        assert name == name.strip() and "  " not in name
        assert not name.startswith("'") and not name.endswith("'")


def test_the_example_workbook_has_readable_sheet_names(book: object) -> None:
    names = book.sheetnames  # type: ignore[attr-defined]
    assert names[1] == "Oppfølging i og etter opphold"
    assert "Ikke møtt – timer og andel" in names
    assert "Aktive saker, alder og kjønn" in names  # not "… alder og"
    assert names[-1] == "Avviste rader"
    assert all(n == n.strip() and "  " not in n for n in names)


def test_every_sheet_is_set_up_to_print(book: object) -> None:
    for sheet in book.worksheets:  # type: ignore[attr-defined]
        setup = sheet.page_setup
        assert int(setup.paperSize) == int(sheet.PAPERSIZE_A4)
        assert setup.fitToWidth == 1 and setup.fitToHeight == 0
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        # one header part, so that nothing prints over the title; the team beside the year
        assert sheet.oddHeader.right.text is None and sheet.oddHeader.center.text is None
        team = "Interkommunalt ambulerende ettervernsteam i Salten"
        assert sheet.oddFooter.left.text == f"{team} · 2020"
        assert sheet.oddFooter.right.text == "Side &P av &N"
    wide = book["Timer etter hendelse"]  # type: ignore[index]
    assert wide.page_setup.orientation == "landscape"
    assert wide.print_title_rows == "$4:$4"
    assert wide.oddHeader.left.text == "Timer etter hendelse 2020"
    narrow = book["Kjøring"]  # type: ignore[index]
    assert narrow.page_setup.orientation == "portrait"
    assert "A1:C1" in {str(r) for r in narrow.merged_cells.ranges}  # the title is not cut off


def test_values_are_exact_with_a_format_per_unit(book: object, annual: e.AnnualReport) -> None:
    capacity = book["Timeverk og kapasitet"]  # type: ignore[index]
    header = [c.value for c in capacity[4]]
    january = dict(zip(header, capacity[5], strict=True))
    fte = annual["capacity"].value("2020-01", "fte_used")
    assert round(fte, 4) != round(fte, 1)  # the figure has more decimals than are shown
    assert january["Årsverk brukt"].value == pytest.approx(fte, rel=1e-12)  # exact, not 0.5
    assert january["Årsverk brukt"].number_format == "#,##0.0"
    assert january["Utnyttelse"].number_format == "0.0%"
    share = annual["capacity"].value("2020-01", "utilisation")
    assert january["Utnyttelse"].value == pytest.approx(share, rel=1e-12)
    cases = book["Henvisninger og saker"]  # type: ignore[index]
    assert {c.number_format for c in cases[5][1:]} == {"#,##0"}


def test_a_sheet_of_the_rejected_rows(book: object) -> None:
    rejected = book["Avviste rader"]  # type: ignore[index]
    rows = list(rejected.iter_rows(min_row=4, values_only=True))
    assert rows[0] == ("Ark", "Rad", "Kolonne", "Verdi", "Årsak")
    assert len(rows) == 1 + 18  # the messy example rejects 18 rows
    assert rejected.auto_filter.ref == "A4:E22"
    cover = book.worksheets[0]  # type: ignore[attr-defined]
    assert "Avviste rader" in [c.value for row in cover.iter_rows() for c in row]


def test_no_rejected_rows_says_so(annual: e.AnnualReport, tmp_path: Path) -> None:
    example = e.examples.salten_2020()
    sheet = e.write_timelog(example.log, tmp_path / "t.csv")
    result = e.read_timelog(sheet, team=example.team)
    book = openpyxl.load_workbook(annual.to_excel(tmp_path / "r.xlsx", "en", rejected=result))
    assert book["Rejected rows"]["A5"].value == "No rows were rejected."
    assert book.sheetnames[1] == "Follow-up in and after stay"


def test_hidden_cells_are_written_as_the_marker(annual: e.AnnualReport, tmp_path: Path) -> None:
    published = attrs.evolve(annual, reports=(annual["cases"].publishable(threshold=3),))
    book = openpyxl.load_workbook(published.to_excel(tmp_path / "p.xlsx"))
    sheet = book["Henvisninger og saker"]
    values = [c.value for row in sheet.iter_rows(min_row=5) for c in row[1:]]
    assert ":" in values
    notes = [row[0] for row in sheet.iter_rows(values_only=True) if row[0]]
    assert any("Antall under 3" in str(n) or "3" in str(n) for n in notes)


@pytest.mark.skipif(
    shutil.which("soffice") is None or shutil.which("pdfinfo") is None,
    reason="needs LibreOffice and poppler",
)
def test_the_workbook_prints_one_page_per_table(annual: e.AnnualReport, tmp_path: Path) -> None:
    path = annual.to_excel(tmp_path / "r.xlsx")
    subprocess.run(
        ["soffice", "--headless", "--convert-to", "pdf", "--outdir", str(tmp_path), str(path)],
        check=True,
        capture_output=True,
        timeout=120,
    )
    info = subprocess.run(
        ["pdfinfo", str(tmp_path / "r.pdf")], check=True, capture_output=True, text=True
    ).stdout
    pages = int(re.search(r"Pages:\s+(\d+)", info).group(1))  # type: ignore[union-attr]
    assert pages == len(annual) + 1  # was 31 pages before print set-up
    # The page header is one part: the title alone on its line, nothing printed over it.
    page_2 = subprocess.run(
        ["pdftotext", "-f", "2", "-l", "2", "-layout", str(tmp_path / "r.pdf"), "-"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    assert page_2.split("\n")[0].strip() == annual.reports[0].title_in()


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_every_table_has_a_sheet_name_that_fits_without_a_cut(
    annual: e.AnnualReport, locale: str
) -> None:
    from ettervern._render._excel import _short_title

    for report in annual:
        name = _short_title(report, annual.year, locale)
        assert len(name) <= 31, (locale, report.key, name)
        assert name.split()[-1].casefold() not in {"the", "og", "and", "at", "of", "til"}


def test_a_long_cover_note_gets_a_row_tall_enough(book: object) -> None:
    cover = book.worksheets[0]  # type: ignore[attr-defined]
    for row in cover.iter_rows(min_row=3):
        for cell in row:
            if isinstance(cell.value, str) and len(cell.value) > 80:
                assert (cover.row_dimensions[cell.row].height or 0) >= 30, cell.value
