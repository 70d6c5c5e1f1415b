"""HTML: the same request gives the same HTML, text cells wrap, wide tables fit a printed page."""

from __future__ import annotations

import re
import subprocess
import sys

import ettervern as e
from ettervern._render._html import STYLE


def test_two_identical_requests_give_identical_html(annual_2020: e.AnnualReport) -> None:
    assert annual_2020["driving"].to_html() == annual_2020["driving"].to_html()
    assert annual_2020.to_html("nn") == annual_2020.to_html("nn")


def test_ids_are_the_same_in_another_process(annual_2020: e.AnnualReport) -> None:
    code = (
        "import ettervern as e; x = e.examples.salten_2020();"
        "print(e.annual_report(x.log, team=x.team, year=2020)['driving'].to_html())"
    )
    other = subprocess.run(
        [sys.executable, "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()
    example = e.examples.salten_2020()
    here = e.annual_report(example.log, team=example.team, year=2020)["driving"].to_html()
    assert other == here


def test_every_id_on_a_page_is_unique(annual_2020: e.AnnualReport) -> None:
    ids = re.findall(r'id="([^"]+)"', annual_2020.to_html())
    assert ids and len(ids) == len(set(ids))
    for target in re.findall(r'aria-describedby="([^"]+)"', annual_2020.to_html()):
        assert target in ids


def test_text_cells_are_left_aligned_and_wrap() -> None:
    # The rejected rows' reasons are sentences: left, top-aligned, wrapping; numbers stay right.
    assert re.search(r"\.ettervern td\{text-align:left;[^}]*white-space:normal", STYLE)
    assert ".ettervern table.ettervern-report td,.ettervern tbody th{white-space:nowrap" in STYLE


def test_wide_tables_wrap_and_shrink_in_print() -> None:
    print_css = STYLE[STYLE.index("@media print") :]
    assert "white-space:normal;hyphens:auto" in print_css and "font-size:7.5pt" in print_css
    assert "display:table-header-group" in print_css  # the header row repeats on each page
