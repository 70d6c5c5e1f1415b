"""The annual report for any period (issue 32): a month, a quarter, a year or a pair of dates,
with the same tables and the same disclosure control as the year.

The oracles count straight from the raw data: the log's rows dated in the period, the
referral and acceptance events dated in it, apart from the report code.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from tests import strategies as s

D = dt.date
SALTEN = e.examples.salten_2020()
PERIODS = [f"2020-{m:02d}" for m in range(1, 13)] + [f"2020-Q{q}" for q in range(1, 5)]


def _span(text: str) -> tuple[dt.date, dt.date]:
    """Oracle for a month or quarter, from pandas' calendar."""
    period = pd.Period(text.replace("-Q", "Q"), freq="Q" if "Q" in text else "M")
    return period.start_time.date(), period.end_time.date()


@given(period=st.sampled_from(PERIODS))
def test_the_hours_of_a_periods_report_are_the_logs_rows_in_it(period: str) -> None:
    start, end = _span(period)
    frame = SALTEN.log.to_frame()
    inside = frame[(frame["date"].dt.date >= start) & (frame["date"].dt.date <= end)]
    expected = inside.groupby(["municipality", "category"], observed=True)["hours"].sum()
    for audience in ("internal", "published"):
        report = e.annual_report(SALTEN.log, SALTEN.cases, period=period, audience=audience)
        table = report["all_categories"].to_frame(labels=False)
        for (place, category), hours in expected.items():
            shown = table.loc[str(place), str(category)]
            # the published view hides hours from fewer than three cases; what shows is exact
            if audience == "internal" or shown != ":":
                assert shown == pytest.approx(hours)
        if audience == "internal" or table.loc["Total", "Total"] != ":":
            assert table.loc["Total", "Total"] == pytest.approx(inside["hours"].sum())
        assert report.period == (start, end)


def _log() -> e.TimeLog:
    frame = pd.DataFrame(
        {
            "case": [None] * 12,
            "date": [pd.Timestamp(2020, month, 2) for month in range(1, 13)],
            "municipality": ["Felles"] * 12,
            "category": ["supervision"] * 12,
            "hours": [1.0] * 12,
        }
    )
    return e.TimeLog.from_frame(frame, team=e.teams.salten())


def _dated(cases: list[e.Case], kind: type, start: dt.date, end: dt.date) -> dict[str, int]:
    """Oracle: per municipality, the cases with an event of ``kind`` dated in the span."""
    out: dict[str, int] = {}
    for case in cases:
        if any(isinstance(ev, kind) and start <= ev.on <= end for ev in case.events):
            out[case.municipality.name] = out.get(case.municipality.name, 0) + 1
    return out


@settings(max_examples=25)
@given(cases=s.small_case_sets(years=(2020,)), period=st.sampled_from(PERIODS))
def test_the_case_tables_of_a_period_count_its_microdata_and_publish_safely(
    cases: list[e.Case], period: str
) -> None:
    start, end = _span(period)
    internal = e.annual_report(_log(), cases, period=period, audience="internal")
    published = e.annual_report(_log(), cases, period=period)
    if not any(report.key == "cases" for report in internal):
        return
    table = internal["cases"].to_frame(labels=False).fillna(0.0)  # an empty cell is 0
    shown = published["cases"].to_frame(labels=False).fillna(0.0)  # hidden: see the mask
    hidden = published["cases"].hidden_mask(labels=False)
    for column, kind in (("referrals", e.events.Referral), ("accepted", e.events.Acceptance)):
        counts = _dated(cases, kind, start, end)
        for place in table.index.drop("Total", errors="ignore"):
            value = float(table.loc[place, column]) if column in table else 0.0
            assert value == counts.get(str(place), 0)
            if column in shown and place in shown.index and not hidden.loc[place, column]:
                assert float(shown.loc[place, column]) == value
                assert value == 0 or value >= published.threshold  # type: ignore[operator]


def test_a_whole_year_given_as_a_period_is_the_years_report() -> None:
    by_year = e.annual_report(SALTEN.log, SALTEN.cases, year=2020)
    by_period = e.annual_report(SALTEN.log, SALTEN.cases, period=(D(2020, 1, 1), D(2020, 12, 31)))
    assert by_period.to_dict() == by_year.to_dict()
    assert by_period.period is None and by_period.title_in("nb") == "Årsrapport 2020 (publisert)"


def test_a_periods_report_says_the_period_in_words_and_apportions_fte_hours() -> None:
    quarter = e.annual_report(SALTEN.log, SALTEN.cases, period="2020-Q2")
    assert quarter.title_in("nb") == "Rapport 2. kvartal 2020 (publisert)"
    assert quarter.title_in("en") == "Report 2nd quarter 2020 (published)"
    assert quarter.to_dict()["period"] == ["2020-04-01", "2020-06-30"]
    assert quarter["fte"].title_in("nn").endswith("2. kvartal 2020")
    year = e.annual_report(SALTEN.log, SALTEN.cases, year=2020)
    assert year["fte"].value("Total", "fte_hours") == pytest.approx(6750.0)
    assert quarter["fte"].value("Total", "fte_hours") == pytest.approx(6750.0 * 91 / 366)
    assert quarter["fte"].value("Total", "fte") == pytest.approx(4.0)  # staff, not time
    march = e.annual_report(SALTEN.log, SALTEN.cases, period="2020-03")
    assert march.title_in("nb") == "Rapport mars 2020 (publisert)"


def test_a_span_is_given_once() -> None:
    with pytest.raises(e.EttervernError):
        e.annual_report(SALTEN.log, SALTEN.cases, year=2020, period="2020-Q2")
    with pytest.raises(e.EttervernError):
        e.annual_report(SALTEN.log, SALTEN.cases)
    with pytest.raises(e.EttervernError, match="2019-04-01"):
        e.annual_report(SALTEN.log, SALTEN.cases, period="2019-Q2")


def test_a_periods_workbook_and_capacity_say_what_they_cover(tmp_path: object) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    from pathlib import Path

    quarter = e.annual_report(SALTEN.log, SALTEN.cases, period="2020-Q2")
    path = quarter.to_excel(Path(str(tmp_path)) / "q2.xlsx", locale="nb")
    cover = openpyxl.load_workbook(path).worksheets[0]
    rows = {r[0]: r[1] for r in cover.iter_rows(values_only=True) if r[0]}
    assert rows["Periode"] == "2. kvartal 2020"
    assert not any("whole months" in n for n in quarter["capacity"].notes_in("en"))
    days = e.annual_report(SALTEN.log, SALTEN.cases, period=(D(2020, 3, 10), D(2020, 4, 20)))
    assert any("whole months" in n for n in days["capacity"].notes_in("en"))
    title = " ".join(days.title_in("en").split())  # babel's thin spaces read as spaces
    assert title.startswith("Report Mar 10") and title.endswith("Apr 20, 2020 (published)")
