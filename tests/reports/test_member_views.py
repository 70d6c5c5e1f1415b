"""A member's view of a year and of two years compared (issue 30 item 4, "Audiences").

``compare_years(audience="member", member="Fauske")`` is what Fauske reads: its own rows exact
in both years and in their change, everything else protected against Fauske, which knows its
part of every cell (it receives a closure report for each of its cases), not only its rows.

The oracles are written apart from the library: Fauske's counts are read from the raw case JSON
of the bundled Salten year (the two-year data adds no case of Fauske's in 2021), and the
attacker is ``test_years``' integer program over the printed frames (scipy), turned into
Fauske's attack on the other members' part of every cell (``member_leaks``).
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path
from typing import Any

import pandas as pd
import pytest

import ettervern as e
from ettervern._reports._solver import have_solver
from tests.reports.test_disclosure import THRESHOLD
from tests.reports.test_years import _two_years, member_leaks

pytestmark = pytest.mark.skipif(not have_solver(), reason="the audit needs highspy")
pytest.importorskip("scipy.optimize")

MEMBER = "Fauske"
YEARS = (2020, 2021)
RAW = Path(e.__file__).parent / "_data" / "examples" / "salten_2020_cases.json"
HIDDEN = ":"


def _day(case: dict[str, Any], event: str) -> dt.date | None:
    days = [dt.date.fromisoformat(ev["on"]) for ev in case["events"] if ev["event"] == event]
    return min(days) if days else None


def _raw_counts(member: str, year: int) -> dict[str, int]:
    """The member's referrals, acceptances and closures in ``year``, and its accepted cases
    open on some day of it, counted from the raw case JSON."""
    first, last = dt.date(year, 1, 1), dt.date(year, 12, 31)
    counts = {"referrals": 0, "accepted": 0, "closed": 0, "active": 0}
    for case in json.loads(RAW.read_text(encoding="utf-8")):
        if case["municipality"] != member:
            continue
        referred, accepted, closed = (_day(case, k) for k in ("referral", "acceptance", "closure"))
        counts["referrals"] += referred is not None and first <= referred <= last
        counts["accepted"] += accepted is not None and first <= accepted <= last
        counts["closed"] += closed is not None and first <= closed <= last
        counts["active"] += (
            accepted is not None and accepted <= last and (closed is None or closed >= first)
        )
    return counts


@pytest.fixture(scope="module")
def two_years() -> tuple[e.TimeLog, list[e.Case]]:
    return _two_years()


@pytest.fixture(scope="module")
def fauske(two_years: tuple[e.TimeLog, list[e.Case]]) -> e.YearComparison:
    log, cases = two_years
    return e.compare_years(log, cases, years=YEARS, audience="member", member="FA", pool_years=True)


def _number(value: object) -> float:
    """A printed figure (an empty cell is 0); never a hidden one."""
    assert value != HIDDEN
    return 0.0 if pd.isna(value) else float(value)  # type: ignore[arg-type]


def test_the_member_sees_its_own_counts_of_both_years_and_their_change(
    fauske: e.YearComparison,
) -> None:
    assert (fauske.audience, fauske.member, fauske.years) == ("member", MEMBER, YEARS)
    table = fauske["cases_compared"].to_frame(labels=False)
    pooled = fauske["cases_years"].to_frame(labels=False)
    raw = {year: _raw_counts(MEMBER, year) for year in YEARS}
    assert raw[2020]["accepted"] == 10  # the figure, read from the raw data
    for column in ("referrals", "accepted", "closed", "active"):
        shown = [_number(table.loc[MEMBER, f"{column}\x1f{y}"]) for y in YEARS]
        assert shown == [raw[y][column] for y in YEARS], column
        change = _number(table.loc[MEMBER, f"{column}\x1fchange"])
        assert change == raw[2021][column] - raw[2020][column], column
        if column != "active":  # counted once in time: pooled over both years
            assert _number(pooled.loc[MEMBER, column]) == raw[2020][column] + raw[2021][column]


def test_the_members_rows_are_exact_in_every_table(
    fauske: e.YearComparison, two_years: tuple[e.TimeLog, list[e.Case]]
) -> None:
    """Every table by municipality shows the member's row as the internal comparison has it."""
    log, cases = two_years
    internal = e.compare_years(log, cases, years=YEARS, audience="internal")
    checked = 0
    for report in fauske:
        if report.rows != "municipality" or report.key.endswith("_years"):
            continue
        mine = report.to_frame(labels=False)
        if MEMBER not in mine.index:
            continue
        truth = internal[report.key].to_frame(labels=False)
        for column in mine.columns:
            value = mine.loc[MEMBER, column]
            expected = truth.loc[MEMBER, column] if column in truth.columns else None
            assert value != HIDDEN, (report.key, column)
            assert _number(value) == pytest.approx(_number(expected)), (report.key, column)
            checked += 1
    assert checked > 50


def test_the_member_learns_nothing_of_the_other_members(
    fauske: e.YearComparison, two_years: tuple[e.TimeLog, list[e.Case]]
) -> None:
    """Fauske, knowing its part of every cell of both years (so its own rows), pins no hidden
    count of the others and proves none from 1 to below the threshold, in the compared
    tables or the tables of both years together."""
    log, cases = two_years
    assert member_leaks(list(fauske), log, cases, MEMBER) == []


def _others_part(shown: pd.DataFrame, own: pd.DataFrame) -> list[tuple[str, str, float]]:
    """Each count the member's view prints, less the member's own part of it."""
    out = []
    for row in map(str, shown.index):
        for column in map(str, shown.columns):
            value = shown.loc[row, column]
            if isinstance(value, str) or pd.isna(value):
                continue
            mine = own.loc[row, column] if row in own.index and column in own.columns else 0
            out.append((row, column, float(value) - (0.0 if pd.isna(mine) else float(mine))))
    return out


def test_a_members_view_of_a_year_shows_no_small_count_of_the_others() -> None:
    """Salten 2020: the view printed «institution: 6 referrals»; Fauske has 4 of them (raw
    data), so it read that the others had 2. Every count a table not by municipality prints
    is now the member's own, or the others' part of it is 0 or at least the threshold."""
    example = e.examples.salten_2020()
    raw = json.loads(RAW.read_text(encoding="utf-8"))
    mine = [c for c in raw if c["municipality"] == MEMBER]
    assert sum(c["events"][0].get("source") == "institution" for c in mine) == 4
    view = e.annual_report(example.log, example.cases, year=2020, audience="member", member=MEMBER)
    own = e.annual_report(
        example.log.for_municipality(MEMBER),
        [c for c in example.cases if c.municipality.name == MEMBER],
        team=example.team,
        year=2020,
        audience="internal",
    )
    keys = {r.key for r in own}
    found = []
    for report in view:
        if report.rows == "municipality" or report.unit != "cases" or report.key not in keys:
            continue
        shown = report.to_frame(labels=False)
        parts = own[report.key].to_frame(labels=False).apply(pd.to_numeric, errors="coerce")
        found += [
            (report.key, *cell) for cell in _others_part(shown, parts) if 1 <= cell[2] < THRESHOLD
        ]
    assert found == []
    sources = view["referral_sources"].to_frame(labels=False)
    assert sources.loc["institution", "referrals"] == HIDDEN


TITLES = {
    "nb": "Årsrapport 2020–2021 (til Fauske kommune)",
    "nn": "Årsrapport 2020–2021 (til Fauske kommune)",
    "en": "Annual report 2020–2021 (for Fauske municipality)",
}


@pytest.mark.parametrize("locale", list(TITLES))
def test_every_output_names_the_audience_and_the_member(
    fauske: e.YearComparison, locale: str, tmp_path: Path
) -> None:
    title = TITLES[locale]
    assert fauske.to_text(locale).splitlines()[0].startswith(title)
    assert title in fauske.to_html(locale)
    data = fauske.to_dict(locale)
    assert (data["audience"], data["member"], data["years"]) == ("member", MEMBER, list(YEARS))
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(fauske.to_excel(tmp_path / "fauske.xlsx", locale))
    words = {str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value}
    assert any(title in w for w in words)


def test_the_comparison_reports_its_loss_and_proposals(fauske: e.YearComparison) -> None:
    loss = fauske.loss
    assert loss is not None and 0 < loss.hidden < loss.cells
    assert loss.proposals == fauske.proposals
    assert {p.kind for p in fauske.proposals} == {"years"}


def test_an_unknown_member_is_refused_naming_the_members(
    two_years: tuple[e.TimeLog, list[e.Case]],
) -> None:
    log, cases = two_years
    with pytest.raises(e.errors.UnknownMunicipalityError, match="Fauske") as caught:
        e.compare_years(log, cases, years=YEARS, audience="member", member="Bodø")
    assert "Gildeskål" in str(caught.value)
    with pytest.raises(e.errors.InvalidValueError, match="member"):
        e.compare_years(log, cases, years=YEARS, member=MEMBER)
    with pytest.raises(e.errors.InvalidValueError, match="member"):
        e.compare_years(log, cases, years=YEARS, audience="member")
