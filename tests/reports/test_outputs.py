"""What an analyst and a notebook get: frames, one long frame, HTML, and the comparison of years."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path

import attrs
import pandas as pd
import pytest

import ettervern as e


@pytest.fixture(scope="module")
def compared(example: e.examples.Example) -> e.YearComparison:
    frame = example.log.to_frame()
    shifted = frame.assign(date=frame["date"] + pd.DateOffset(years=1))
    shifted = shifted[shifted["category"] != "administration"]
    both = e.TimeLog.from_frame(pd.concat([frame, shifted], ignore_index=True), team=example.team)
    return e.compare_years(both, years=(2020, 2021))


def test_to_frame_gives_every_table_by_key(annual: e.AnnualReport) -> None:
    frames = annual.to_frame("en")
    assert list(frames) == annual.keys()
    assert frames["driving"].loc["Total", "Total"] == 137
    keyed = annual.to_frame(labels=False)
    assert keyed["user_follow_up"].loc["Total", "Total"] == ":"  # against each member (issue 30)


def test_to_tidy_is_one_long_frame_of_every_cell(internal: e.AnnualReport) -> None:
    # Internal: a published table whose counts are all hidden has no cell to list.
    annual = internal
    tidy = annual.to_tidy("nb")
    assert list(tidy.columns) == list(e._reports.TIDY_COLUMNS)
    assert set(tidy["table"]) == set(annual.keys())
    driving = tidy[tidy["table"] == "driving"]
    assert driving["value"].sum() == 137  # the cells, without the totals
    assert set(driving["unit"]) == {"hours"}
    fauske = driving[driving["row"] == "Fauske"]
    assert fauske["kommunenummer"].tolist() == ["1841"]
    assert str(tidy["kommunenummer"].dtype) == "string"
    assert tidy.loc[tidy["row"] == "Felles", "kommunenummer"].isna().all()
    cost = tidy[tidy["table"] == "cost_sharing"]
    assert dict(zip(cost["column"], cost["unit"], strict=False))["share"] == "share"
    # Months are periods, not strings.
    assert isinstance(tidy["month"].dtype, pd.PeriodDtype)
    monthly = tidy[tidy["table"] == "monthly"]
    assert monthly["month"].min() == pd.Period("2020-01", freq="M")
    assert monthly["month"].max() == pd.Period("2020-12", freq="M")
    assert tidy.loc[tidy["table"] == "driving", "month"].isna().all()


def test_the_comparison_of_years_has_the_outputs_of_a_report(
    compared: e.YearComparison, tmp_path: Path
) -> None:
    assert isinstance(compared, e.AnnualReport)
    assert compared.years == (2020, 2021)
    driving = compared["driving_compared"].to_frame(labels=False)
    assert driving.loc["Total", "driving\x1f2021"] == 137
    assert compared[0].key == compared.keys()[0]
    with pytest.raises(e.errors.UnknownReportError):
        compared["nope"]
    assert compared.to_dict()["years"] == [2020, 2021]
    assert "Årsrapport 2020–2021 (publisert)" in compared._repr_html_()
    assert not compared.to_tidy().empty
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(compared.to_excel(tmp_path / "c.xlsx"))
    assert len(book.sheetnames) == len(compared) + 1


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(html: str) -> _Tags:
    parser = _Tags()
    parser.feed(html)
    return parser


def test_the_annual_report_in_a_notebook_names_team_and_year(annual: e.AnnualReport) -> None:
    page = parsed(annual._repr_html_())
    headings = [t for t, _ in page.tags if t == "h2"]
    assert headings == ["h2"]
    assert (
        "Årsrapport 2020 (publisert) – Interkommunalt ambulerende ettervernsteam i Salten"
        in page.text
    )
    assert sum(1 for t, _ in page.tags if t == "style") == 1  # one style sheet for all tables
    assert sum(1 for t, _ in page.tags if t == "table") == len(annual)
    english = parsed(attrs.evolve(annual, locale="en")._repr_html_())
    assert any(t.startswith("Annual report 2020") for t in english.text)
    assert ("div", {"class": "ettervern", "lang": "en"}) in english.tags
    assert "Driving 2020" in [t.strip() for t in english.text]


def test_html_shows_unit_notes_and_rule_and_aligns_numbers(annual: e.AnnualReport) -> None:
    published = annual["cases"].publishable(threshold=3)
    html = published.to_html("nb")
    page = parsed(html)
    assert "(saker)" in page.text  # the unit in the caption
    hidden = [a for t, a in page.tags if t == "td" and a.get("class") == "hidden"]
    assert hidden and all(a.get("aria-label") == "skjult" for a in hidden)
    table = next(a for t, a in page.tags if t == "table")
    notes = next(a for t, a in page.tags if t == "ul")
    assert table["aria-describedby"] == notes["id"]
    assert any(text.startswith(": ") and "3" in text for text in page.text)  # the rule
    assert ".ettervern thead th,.ettervern table.ettervern-report td{text-align:right}" in html
    capacity = parsed(annual["capacity"].to_html("en"))
    assert any("One FTE is counted as 1,687.5" in t for t in capacity.text)


def test_html_takes_its_colours_from_the_page(annual: e.AnnualReport) -> None:
    """Light and dark notebooks: no fixed text or background colour, only translucent greys."""
    from ettervern._render import STYLE

    assert "color:inherit" in STYLE
    assert "background:transparent" in STYLE
    for fixed in ("#fff", "#000", ":white", ":black", "background:#", "color:#"):
        assert fixed not in STYLE


def test_import_results_and_time_logs_show_in_a_notebook(example: e.examples.Example) -> None:
    result = e.read_timelog(e.examples.salten_2020_messy_path(), team=example.team)
    page = parsed(result._repr_html_())
    assert "leste 636 rader, godtok 618, avviste 18" in " ".join(page.text)
    assert sum(1 for t, _ in page.tags if t == "tr") == 1 + 18
    log = parsed(example.log._repr_html_())
    joined = " ".join(log.text)
    assert "Interkommunalt ambulerende ettervernsteam i Salten" in joined
    assert "618 føringer fra " in joined and "1 080,5 timer" in joined.replace("\xa0", " ")
    assert sum(1 for t, _ in log.tags if t == "tr") == 6  # a summary and a preview, not 618 rows
    english = " ".join(parsed(example.log.in_year(2020).to_html("en")).text)
    assert "618 entries from 2020-" in english
