from __future__ import annotations

import datetime as dt
import math
from html.parser import HTMLParser

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern._reports._report import Report, label, measure_report


def driving_report(**options: object) -> Report:
    data = pd.DataFrame(
        {
            "row": ["Sørfold", "Steigen", "Beiarn", "Felles"],
            "column": ["driving", "driving", "driving", "collaboration"],
            "value": [1.0, 2.0, 9.0, 7.0],
        }
    )
    defaults: dict[str, object] = {
        "key": "driving",
        "title": "Driving",
        "title_texts": e.tables.Texts(nb="Kjøring", nn="Køyring", en="Driving"),
        "data": data,
        "rows": "municipality",
        "columns": "category",
        "unit": "hours",
        "aggregate": "sum",
        "period": (dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
        "row_order": ["Beiarn", "Felles", "Steigen", "Sørfold"],
        "column_order": ["driving", "collaboration"],
        "team": e.teams.salten(),
    }
    defaults.update(options)
    return Report(**defaults)  # type: ignore[arg-type]


def test_wide_frame_with_totals_and_labels() -> None:
    wide = driving_report().to_frame()
    assert list(wide.index) == ["Beiarn", "Felles", "Steigen", "Sørfold", "Totalsum"]
    assert list(wide.columns) == ["Kjøring", "Samarbeidspartnere", "Totalsum"]
    assert wide.loc["Totalsum", "Kjøring"] == 12.0
    assert wide.loc["Totalsum", "Totalsum"] == 19.0
    assert wide.loc["Felles", "Totalsum"] == 7.0
    assert pd.isna(wide.loc["Beiarn", "Samarbeidspartnere"])
    assert wide.index.name == "Kommune"
    assert wide.columns.name == "Hendelse"


def test_zero_fill_and_no_totals() -> None:
    wide = driving_report(empty="zero", total_row=False, total_column=False).to_frame(labels=False)
    assert list(wide.index) == ["Beiarn", "Felles", "Steigen", "Sørfold"]
    assert list(wide.columns) == ["driving", "collaboration"]
    assert wide.loc["Beiarn", "collaboration"] == 0.0


def test_english_and_nynorsk_labels() -> None:
    report = driving_report()
    english = report.to_frame("en")
    assert list(english.columns) == ["Driving", "Collaboration partners", "Total"]
    assert "Shared" in english.index
    assert report.title_in("en") == "Driving 2020"
    nynorsk = report.to_frame("nn")
    assert list(nynorsk.columns) == ["Køyring", "Samarbeidspartnarar", "Totalsum"]
    assert report.title_in("nn") == "Køyring 2020"


def test_cells_and_totals_by_key() -> None:
    report = driving_report()
    assert report.value("Beiarn", "driving") == 9.0
    assert report.value("Total", "driving") == 12.0
    assert report.value("Felles", "Total") == 7.0
    assert report.value("Nowhere", "driving") == 0.0
    assert report.total == 19.0


def test_tidy_has_keys_and_labels() -> None:
    tidy = driving_report().to_tidy("en")
    assert list(tidy.columns) == [
        "row",
        "column",
        "value",
        "row_label",
        "column_label",
        "kommunenummer",
    ]
    assert tidy.loc[tidy["row"] == "Felles", "row_label"].item() == "Shared"
    # The municipality number beside the name (SSB's kommunenummer); none for a bucket.
    assert tidy.loc[tidy["row"] == "Beiarn", "kommunenummer"].tolist() == ["1839"]
    assert tidy.loc[tidy["row"] == "Felles", "kommunenummer"].isna().all()


def test_text_rendering_formats_numbers_for_the_locale() -> None:
    data = pd.DataFrame({"row": ["Fauske"], "column": ["user_follow_up"], "value": [1234.5]})
    text = driving_report(data=data, row_order=[], column_order=[]).to_text()
    assert "Kjøring 2020 (timer)" in text
    assert "1\xa0234,5" in text
    assert text.splitlines()[-1].startswith("Totalsum")


def test_share_columns_and_total_values() -> None:
    data = pd.DataFrame(
        {
            "row": ["A", "A", "B", "B"],
            "column": ["hours", "share", "hours", "share"],
            "value": [1.0, 0.25, 3.0, 0.75],
        }
    )
    report = Report(
        key="x",
        title="Shares",
        data=data,
        rows="municipality",
        columns="measure",
        unit="mixed",
        share_columns=["share"],
        total_column=False,
        total_values={"share": 1.0},
    )
    wide = report.to_frame(labels=False)
    assert wide.loc["Total", "hours"] == 4.0
    assert wide.loc["Total", "share"] == 1.0
    assert "25,0 %" in report.to_text()
    assert report.format_cell("share", float("nan")) == ""


class _Cells(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_html_is_an_accessible_table() -> None:
    html = driving_report()._repr_html_()
    parser = _Cells()
    parser.feed(html)
    tags = [t for t, _ in parser.tags]
    assert tags[:4] == ["style", "div", "table", "caption"]
    assert '<caption>Kjøring 2020 <span class="unit">(timer)</span></caption>' in html
    headers = [a for t, a in parser.tags if t == "th"]
    assert all(a.get("scope") in ("col", "row") for a in headers)
    assert '<tr class="total"><th scope="row">Totalsum</th>' in html
    assert 'lang="en"' in driving_report().to_html("en")


def test_labels_of_each_dimension() -> None:
    assert label("month", "2020-03", "nb") == "mars 2020"
    assert label("quarter", "2020-Q2", "en") == "Q2 2020"
    assert label("quarter", "2020-Q2", "nb") == "2. kvartal 2020"
    assert label("group", "wasted", "en") == "Wasted time"
    assert label("case", "", "nb") == "(ingen sak)"
    assert label("case", "02/20-ST", "nb") == "02/20-ST"
    assert label("category+year", "driving\x1f2020", "en") == "Driving 2020"
    assert label("category+year", "driving\x1fchange", "nb") == "Kjøring endring"
    custom = e.Category("kaffe", "Kaffepause")
    other = e.Team(
        name="T",
        host=e.municipality("Bodø"),
        members=[],
        categories=e.CategoryCatalog("c", [custom]),
    )
    assert label("category", "kaffe", "nb", other) == "Kaffepause"
    assert label("category", "unknown", "nb", other) == "unknown"
    assert label("measure", "fte_used", "nn") == "Årsverk brukte"


@pytest.mark.parametrize("locale", ["nb", "nn", "en"])
def test_every_locale_renders(locale: str) -> None:
    report = driving_report()
    assert report.to_text(locale)
    assert report.to_html(locale)


def count_report(table: list[list[float]], rows: list[str], columns: list[str]) -> Report:
    records = [
        {"row": r, "column": c, "value": v}
        for r, line in zip(rows, table, strict=True)
        for c, v in zip(columns, line, strict=True)
        if v
    ]
    return Report(
        key="cases",
        title="Cases",
        data=pd.DataFrame(records, columns=["row", "column", "value"]),
        rows="municipality",
        columns="category",
        unit="cases",
        row_order=rows,
        column_order=columns,
    )


def test_publishable_hides_small_counts_and_their_giveaways() -> None:
    report = count_report(
        [[10, 1], [7, 5], [4, 6]], ["Beiarn", "Fauske", "Meløy"], ["driving", "collaboration"]
    )
    safe = report.publishable(threshold=3)
    wide = safe.to_frame(labels=False)
    assert wide.loc["Beiarn", "collaboration"] == ":"
    assert wide.loc["Total", "Total"] == 33.0
    # Beiarn's row and the collaboration column would give the 1 away: another cell in each hides.
    for line in [wide.loc["Beiarn"], wide["collaboration"]]:
        assert (line == ":").sum() >= 2
    assert ("Beiarn", "collaboration") in safe.suppressed
    assert safe.suppression is not None and "3" in safe.to_text()
    assert 1.0 not in set(safe.data["value"])  # the hidden value is not kept
    assert safe.to_frame().loc["Totalsum", "Totalsum"] == 33.0


def test_publishable_leaves_hours_and_rounds_them() -> None:
    data = pd.DataFrame({"row": ["A", "B"], "column": ["x", "x"], "value": [1.5, 2.25]})
    report = Report(
        key="h", title="H", data=data, rows="municipality", columns="category", unit="hours"
    )
    safe = report.publishable(threshold=3, round_hours=1)
    wide = safe.to_frame(labels=False)
    assert list(wide["x"]) == [2.0, 2.0, 4.0]
    assert safe.suppressed == frozenset()
    with pytest.raises(e.errors.InvalidValueError):
        report.publishable(threshold=0)


def test_json_safe_dict_for_front_ends() -> None:
    import json

    data = driving_report().to_dict("en")
    assert json.loads(json.dumps(data)) == data
    assert data["title"] == "Driving 2020"
    assert [c["label"] for c in data["columns"]] == ["Driving", "Collaboration partners", "Total"]
    assert data["rows"][-1] == {"key": "Total", "label": "Total", "values": [12.0, 7.0, 19.0]}
    assert data["rows"][0]["values"] == [9.0, None, 9.0]
    safe = (
        count_report([[10, 1], [7, 5]], ["a", "b"], ["x", "y"]).publishable(threshold=3).to_dict()
    )
    assert ":" in safe["rows"][0]["values"]
    assert safe["suppression"]


def test_value_of_a_total_is_what_the_total_row_shows() -> None:
    """A column whose total is not its sum (a mean, a share) answers ``value("Total", …)``
    with the total the table shows, not with the sum of its cells."""
    report = driving_report(total_values={"collaboration": 0.5})
    wide = report.to_frame()  # labelled in Bokmål: Totalsum, Samarbeidspartnere, Kjøring
    assert report.value("Total", "collaboration") == 0.5
    assert wide.loc["Totalsum", "Samarbeidspartnere"] == 0.5
    assert report.value("Total", "driving") == 12.0 == wide.loc["Totalsum", "Kjøring"]
    assert report.value("Beiarn", "driving") == 9.0


def test_a_hidden_cell_and_a_hidden_grand_total_are_nan_not_a_number_made_up() -> None:
    """``value()`` of a hidden cell is unknown (NaN), as the printed ``:`` says, not 0 (an
    empty cell); ``total`` of a table that hides its grand total is NaN, not the sum of the
    cells that show."""
    safe = count_report(
        [[10, 1], [7, 5], [4, 6]], ["Beiarn", "Fauske", "Meløy"], ["driving", "collaboration"]
    ).publishable(threshold=3)
    hidden = sorted(safe.suppressed)
    assert hidden and all(math.isnan(safe.value(row, column)) for row, column in hidden)
    truth = {
        (row, column): value
        for row, values in zip(
            ("Beiarn", "Fauske", "Meløy"), ((10, 1), (7, 5), (4, 6)), strict=True
        )
        for column, value in zip(("driving", "collaboration"), values, strict=True)
    }
    shown = [cell for cell in truth if cell not in safe.suppressed]
    assert all(safe.value(*cell) == truth[cell] for cell in shown)  # as it is
    assert ("Total", "Total") in safe.suppressed or safe.total == 33.0
    small = count_report([[1, 1], [1, 0]], ["Beiarn", "Meløy"], ["driving", "collaboration"])
    assert small.value("Meløy", "collaboration") == 0.0 and small.total == 3.0
    published = small.publishable(threshold=3)
    assert ("Total", "Total") in published.suppressed
    assert math.isnan(published.total)
    assert math.isnan(published.value("Total", "Total"))


# -- the grand total: one measure that adds up, or a clear refusal ------------------------------

_counts = st.lists(st.lists(st.integers(0, 9), min_size=2, max_size=2), min_size=1, max_size=4)


@settings(max_examples=40)
@given(_counts)
def test_the_grand_total_is_the_sum_of_the_counts_or_unknown(table: list[list[int]]) -> None:
    """Oracle: the plain sum of the generated counts. Internal, with its totals computed;
    published, with its Total row and column printed: that sum, or NaN where it is hidden.
    A one-column table whose published form has a Total row and no Total column: the same."""
    rows = ["Beiarn", "Fauske", "Meløy", "Steigen"][: len(table)]
    expected = sum(map(sum, table))
    report = count_report([[float(v) for v in line] for line in table], rows, ["a", "b"])
    assert report.total == expected
    published = report.publishable(threshold=3)
    assert math.isnan(published.total) or published.total == expected
    assert math.isnan(published.total) == (("Total", "Total") in published.suppressed)
    one = measure_report(
        pd.DataFrame({"people": [float(line[0]) for line in table]}, index=rows),
        key="people_one",
        title="People",
        rows="municipality",
        unit="people",
        period=None,
        team=None,
    )
    assert one.total == sum(line[0] for line in table)
    shown = one.publishable(threshold=3)
    assert "Total" not in set(shown.data["column"])
    assert math.isnan(shown.total) or shown.total == sum(line[0] for line in table)


def test_a_total_row_is_not_added_to_the_cells_it_adds_up() -> None:
    """Published, a one-column table prints its Total row as a row of its own and no Total
    column: 5 + 4 + 6 is 15, not 30 (the sum of every printed cell)."""
    one = measure_report(
        pd.DataFrame({"people": [5.0, 4.0, 6.0]}, index=["Beiarn", "Fauske", "Meløy"]),
        key="people_one",
        title="People",
        rows="municipality",
        unit="people",
        period=None,
        team=None,
    ).publishable(threshold=3)
    assert "Total" in set(one.data["row"]) and one.total == 15.0


def test_a_table_of_several_measures_has_no_grand_total() -> None:
    """Cases next to their shares or means add up to nothing: ``total`` refuses, naming the
    table and its columns, and a column's total still reads."""
    example = e.examples.salten_2020()
    courses = e.tables.course_report(example.cases, team="salten", period=2020)
    with pytest.raises(e.errors.InvalidValueError) as refused:
        courses.total  # noqa: B018
    assert refused.value.field == "total" and "courses, completed" in str(refused.value)
    assert "ikke ett mål som kan summeres" in refused.value.message_in("nb")
    assert courses.value("Total", "courses") >= 0 or math.isnan(courses.value("Total", "courses"))
    mean = measure_report(
        pd.DataFrame({"mean_weeks": [3.0, 5.0]}, index=["Beiarn", "Fauske"]),
        key="weeks",
        title="Weeks",
        rows="municipality",
        unit="weeks",
        period=None,
        team=None,
        total_values={"mean_weeks": 4.0},
    )
    with pytest.raises(e.errors.InvalidValueError):
        mean.total  # noqa: B018
    by_group = e.pivot(example.log, columns="group", period=2020)  # a category in two groups
    with pytest.raises(e.errors.InvalidValueError):
        by_group.total  # noqa: B018
    assert e.pivot(example.log, period=2020).total == pytest.approx(
        example.log.to_frame().query("date.dt.year == 2020")["hours"].sum()
    )
