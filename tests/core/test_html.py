"""Notebook views of a team, a case and a time log: escaped, translated, no identity."""

from __future__ import annotations

import datetime as dt
import re
from html.parser import HTMLParser

import attrs
import pandas as pd
import pytest

import ettervern as e

_VOID = {"br", "hr", "img", "meta", "link", "input", "col"}


class _Cells(HTMLParser):
    """The text of each header and data cell, and whether every element was closed."""

    def __init__(self) -> None:
        super().__init__()
        self.open: list[str] = []
        self.cells: list[tuple[str, str]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag not in _VOID:
            self.open.append(tag)

    def handle_endtag(self, tag: str) -> None:
        assert self.open.pop() == tag  # well nested
        if tag in ("th", "td"):
            self.cells.append((tag, "".join(self.text).strip()))
        self.text = []

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def parsed(markup: str) -> _Cells:
    cells = _Cells()
    cells.feed(markup)
    cells.close()
    assert not cells.open, cells.open
    assert not re.search(r"0x[0-9a-f]{4,}|\bid=", markup)  # no addresses, no counter ids
    return cells


def _headers(cells: _Cells) -> list[str]:
    return [text for tag, text in cells.cells if tag == "th"]


def test_a_teams_view_escapes_its_name_and_speaks_the_readers_language() -> None:
    team = attrs.evolve(e.teams.salten(), name="<b>Salten & co</b>")
    cells = parsed(team._repr_html_())
    assert "<b>Salten" not in team._repr_html_()  # the name is text, not markup
    assert "&lt;b&gt;Salten &amp; co&lt;/b&gt;" in team._repr_html_()
    assert _headers(cells) == [
        "Vertskommune",
        "Medlemskommuner",
        "Hendelser",
        "Bemanning (årsverk)",
    ]
    english = parsed(team.to_html("en"))
    assert _headers(english)[:2] == ["Host municipality", "Member municipalities"]
    assert ("td", "Fauske") in cells.cells


def test_a_cases_view_shows_its_key_dates_not_its_events() -> None:
    case = e.Case.refer("01/20-FA", on=dt.date(2020, 8, 3), municipality="Fauske")
    case = case.accept(on=dt.date(2020, 8, 5)).close(on=dt.date(2020, 11, 30), reason="completed")
    cells = parsed(case._repr_html_())
    assert ("th", "Henvist") in cells.cells
    assert ("td", "03.08.2020") in cells.cells
    assert ("td", "Avsluttet") in cells.cells
    assert "Sak 01/20-FA" in case._repr_html_()
    assert ("th", "Referred") in parsed(case.to_html("en")).cells


def test_a_cases_text_repr_is_short() -> None:
    case = e.Case.refer("01/20-FA", on=dt.date(2020, 8, 3), municipality="Fauske")
    for day in range(10, 28):
        case = case.assign_staff(f"s{day}", on=dt.date(2020, 8, day))
    assert repr(case) == "<Case 01/20-FA Fauske: referred, referred 2020-08-03, 19 events>"
    closed = case.accept(on=dt.date(2020, 9, 1)).close(on=dt.date(2020, 9, 30), reason="completed")
    assert repr(closed) == (
        "<Case 01/20-FA Fauske: closed, referred 2020-08-03, accepted 2020-09-01, "
        "closed 2020-09-30, 21 events>"
    )
    assert len(closed.events) == 21  # the full form is still there


@pytest.mark.parametrize("locale", ["nb", "en"])
def test_a_time_logs_view_labels_its_columns(locale: str) -> None:
    log = e.examples.salten_2020().log
    cells = parsed(log.to_html(locale))
    expected = {"nb": ["Sak", "Dato"], "en": ["case", "date"]}[locale]
    assert _headers(cells)[:2] == expected


def test_a_time_logs_view_writes_its_cells_as_the_reader_does() -> None:
    """The preview's dates, hours, places and categories in the reader's language: a
    Norwegian reader meets ``08.01.2020``, ``0,5`` and *Nettverksarbeid*, not ``2020-01-08``,
    ``0.5`` and the key ``networking``."""
    team = e.teams.salten()
    rows = [
        {
            "case": None,
            "date": dt.date(2020, 1, 8),
            "municipality": "Felles",
            "category": "networking",
            "hours": 0.5,
            "staff": 2,
        },
        {
            "case": "02/20-ST",
            "date": dt.date(2020, 1, 9),
            "municipality": "Steigen",
            "category": "user_follow_up",
            "hours": 12.5,
            "staff": 1,
        },
    ]
    log = e.TimeLog.from_frame(pd.DataFrame(rows), team=team)
    data = {
        locale: [text for tag, text in parsed(log.to_html(locale)).cells if tag == "td"]
        for locale in ("nb", "nn", "en")
    }
    assert data["nb"][:6] == ["", "08.01.2020", "Felles", "Nettverksarbeid", "0,5", "2"]
    assert data["nb"][7] == "09.01.2020" and data["nb"][10] == "12,5"
    assert data["en"][:6] == ["", "2020-01-08", "Shared", "Networking", "0.5", "2"]
    assert data["en"][10] == "12.5"
    assert data["nn"][:6] == ["", "08.01.2020", "Felles", "Nettverksarbeid", "0,5", "2"]
    assert data["nb"][6] == "02/20-ST"
