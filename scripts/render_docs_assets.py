"""Render the charts, the table and the workbook page the docs show, from the bundled example year.

Run: python scripts/render_docs_assets.py   (writes docs/assets/charts/*.png, docs/assets/*.html
and, when LibreOffice and poppler are installed, docs/assets/workbook_page.png)

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


def workbook_page(annual: e.AnnualReport, sheet_page: int = 6) -> None:
    """Print the example workbook to PDF with LibreOffice and keep one page as a PNG."""
    soffice = shutil.which("soffice") or shutil.which("libreoffice")
    if soffice is None or shutil.which("pdftoppm") is None:
        print("skipped the workbook page: needs LibreOffice (soffice) and pdftoppm")
        return
    with tempfile.TemporaryDirectory() as tmp:
        book = annual.to_excel(Path(tmp) / "arsrapport.xlsx")
        subprocess.run(
            [soffice, "--headless", "--convert-to", "pdf", "--outdir", tmp, str(book)],
            check=True,
            capture_output=True,
        )
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
                str(Path(tmp) / "arsrapport.pdf"),
                str(ASSETS / "workbook_page"),
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
    print(f"wrote the docs assets to {ASSETS}")


if __name__ == "__main__":
    main()
