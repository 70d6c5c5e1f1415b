"""Render the charts, the table and the workbook page the docs show, from the bundled example year.

Run: python scripts/render_docs_assets.py   (writes docs/assets/charts/*.png, docs/assets/*.html
and, when LibreOffice and poppler are installed, docs/assets/workbook_cover.png,
workbook_page.png and workbook_cover_published.png)

Look at every image after running it: the chart regression tests compare against
tests/render/baseline/, these are what readers of the docs see.
"""

from __future__ import annotations

import shutil
import subprocess
import tempfile
from pathlib import Path

import ettervern as e

ASSETS = Path(__file__).resolve().parent.parent / "docs" / "assets"


PAGES = {1: "workbook_cover", 6: "workbook_page"}
"""The printed pages the docs show: the cover sheet and the wide table «Timer etter hendelse»."""


def workbook_page(annual: e.AnnualReport) -> None:
    """Print the example workbook to PDF with LibreOffice and keep two pages as PNGs."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        print("skipped the workbook page: needs LibreOffice (soffice) and pdftoppm")
        return
    with tempfile.TemporaryDirectory() as tmp:
        pdf = _printed(soffice, annual.to_excel(Path(tmp) / "arsrapport.xlsx"))
        for sheet_page, name in PAGES.items():
            _page_png(pdf, sheet_page, name)


def published_cover(example: e.examples.Example) -> None:
    """Print the published release's cover sheet, with its information loss, as a PNG."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        print("skipped the published cover: needs LibreOffice (soffice) and pdftoppm")
        return
    annual = e.annual_report(example.log, example.cases, team=example.team, year=2020)
    with tempfile.TemporaryDirectory() as tmp:
        pdf = _printed(soffice, annual.to_excel(Path(tmp) / "publisert.xlsx"))
        _page_png(pdf, 1, "workbook_cover_published")


def _printed(soffice: str, book: Path) -> Path:
    """The workbook printed to PDF by LibreOffice, beside it."""
    subprocess.run(
        [soffice, "--headless", "--convert-to", "pdf", "--outdir", str(book.parent), str(book)],
        check=True,
        capture_output=True,
    )
    return book.with_suffix(".pdf")


def _page_png(pdf: Path, sheet_page: int, name: str) -> None:
    subprocess.run(
        [
            "pdftoppm",
            "-png",
            "-r",
            "70",
            "-f",
            str(sheet_page),
            "-l",
            str(sheet_page),
            "-singlefile",
            str(pdf),
            str(ASSETS / name),
        ],
        check=True,
    )


def main() -> None:
    charts = ASSETS / "charts"
    charts.mkdir(parents=True, exist_ok=True)
    example = e.examples.salten_2020()
    # The team's internal view: the follow-up tables show case codes, so they are never published.
    annual = e.annual_report(
        example.log, example.cases, team=example.team, year=2020, audience="internal"
    )
    for report in annual:
        report.plot().savefig(charts / f"{report.key}.png", dpi=72, metadata={"Software": None})
    (ASSETS / "user_follow_up.html").write_text(
        annual["user_follow_up"].to_html() + "\n", encoding="utf-8"
    )
    workbook_page(annual)
    published_cover(example)
    print(f"wrote the docs assets to {ASSETS}")


if __name__ == "__main__":
    main()
