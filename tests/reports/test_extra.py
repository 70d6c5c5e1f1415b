"""The new tables render in Bokmål, Nynorsk and English, as text, HTML, Excel and charts."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest

import ettervern as e
from tests import strategies as s

d = dt.date


@pytest.fixture(scope="module")
def annual() -> e.AnnualReport:
    example = e.examples.salten_2020()
    cases = [
        e.interchange.case_from_dict(
            {**e.interchange.case_to_dict(c), "person": s.fake_pseudonym(i % 12)}
        ).assign_staff("KB", on=max(c.events[-1].on, d(2020, 12, 1)))
        if not c.is_closed and c.is_accepted
        else e.interchange.case_from_dict(
            {**e.interchange.case_to_dict(c), "person": s.fake_pseudonym(i % 12)}
        )
        for i, c in enumerate(example.cases)
    ]
    roster = e.Roster(
        [e.StaffMember(i, [e.Employment(since=d(2020, 1, 1))]) for i in ("KB", "AH", "TO", "MS")]
    )
    return e.annual_report(example.log, cases, year=2020, roster=roster)


NEW = ("people", "courses", "course_length", "hours_per_person", "staff")


@pytest.mark.parametrize(
    ("locale", "titles"),
    [
        ("nb", ("Personer og episoder", "Oppfølgingsforløp og status", "Timeverk og kapasitet per ansatt")),
        ("nn", ("Personar og episodar", "Oppfølgingsforløp og status", "Timeverk og kapasitet per tilsett")),
        ("en", ("People and episodes", "Courses and their state", "Staff hours and capacity")),
    ],
)  # fmt: skip
def test_the_new_tables_speak_each_language(
    annual: e.AnnualReport, locale: str, titles: tuple[str, ...]
) -> None:
    keys = annual.keys()
    assert all(key in keys for key in NEW)
    text = "\n".join(annual[key].to_text(locale) for key in NEW)
    assert all(title in text for title in titles)
    html = annual["courses"].to_html(locale)
    assert "<caption>" in html


def test_the_new_tables_go_to_excel_and_charts(annual: e.AnnualReport, tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    path = annual.to_excel(tmp_path / "rapport.xlsx", locale="nn")
    assert len(openpyxl.load_workbook(path).sheetnames) > len(NEW)
    pytest.importorskip("matplotlib")
    assert annual["courses"].plot("en") is not None


def test_the_people_table_is_hidden_below_the_threshold(annual: e.AnnualReport) -> None:
    hidden = annual["people"].publishable(threshold=3)
    shown = hidden.to_frame(labels=False)
    numbers = shown.apply(lambda col: col.map(lambda v: v if isinstance(v, float) else None))
    assert not ((numbers > 0) & (numbers < 3)).any().any()


def test_the_layout_chooses_and_orders_the_new_tables() -> None:
    example = e.examples.salten_2020()
    salten = e.teams.salten()
    wanted = attrs.evolve(
        salten, report=attrs.evolve(salten.layout, extras=("course_length", "courses", "people"))
    )
    keys = e.annual_report(example.log, example.cases, team=wanted, year=2020).keys()
    # people is asked for but the cases carry no pseudonyms: the data does not allow it.
    assert [k for k in keys if k in e.tables.EXTRA_TABLES] == ["course_length", "courses"]
    everything = e.annual_report(example.log, example.cases, year=2020).keys()
    assert "hours_per_person" in everything
    with pytest.raises(e.errors.InvalidValueError, match="extras"):
        attrs.evolve(salten, report=attrs.evolve(salten.layout, extras=("coursez",)))
