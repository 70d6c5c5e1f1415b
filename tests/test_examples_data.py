"""The bundled example year: its sums are the published 2020 figures, and it can be rebuilt.

The expected figures are copied from the Salten team's published annual report for 2020.
"""

from __future__ import annotations

import json
import runpy
import sys
import zipfile
from pathlib import Path

import pandas as pd
import pytest

import ettervern as e
from tests import published

DATA = Path(e.__file__).parent / "_data" / "examples"


@pytest.mark.parametrize("category", ["driving", "in_institution", "user_follow_up"])
def test_hours_per_municipality_are_the_published_ones(category: str) -> None:
    frame = e.examples.salten_2020().log.to_frame()
    rows = frame[frame["category"] == category]
    sums = rows.groupby("municipality", observed=True)["hours"].sum()
    assert sums.to_dict() == published.hours(category)


def test_collaboration_entries_are_the_published_ones() -> None:
    frame = e.examples.salten_2020().log.to_frame()
    counts = (
        frame[frame["category"] == "collaboration"].groupby("municipality", observed=True).size()
    )
    assert counts.to_dict() == {
        k: v for k, v in published.COLLABORATION_ENTRIES.items() if k != "Totalsum"
    }


def test_the_cases_of_2020() -> None:
    example = e.examples.salten_2020()
    accepted = [c for c in example.cases if c.is_accepted]
    per_place: dict[str, int] = {}
    for case in accepted:
        per_place[case.municipality.name] = per_place.get(case.municipality.name, 0) + 1
    assert per_place == published.CASES
    inside = [str(c.code) for c in accepted if c.followed_in_institution()]
    assert inside == ["01/20-FA", "07/20-FA"]
    steigen = next(c for c in example.cases if c.municipality.name == "Steigen")
    assert not steigen.is_accepted
    assert steigen.closure_reason == e.ClosureReason.WITHDREW
    frame = example.log.to_frame()
    for place in ("Hamarøy", "Sørfold", "Felles"):
        assert frame.loc[frame["municipality"] == place, "case"].isna().all()
    # Every Steigen hour belongs to the one referral, in institution and just after.
    assert set(frame.loc[frame["municipality"] == "Steigen", "case"]) == {"01/20-ST"}
    assert str(steigen.code) == "01/20-ST"
    assert steigen.stays[0].discharged is not None
    assert (frame["date"].dt.year == 2020).all()
    assert (frame["date"].dt.day_of_week < 5).all()  # working days


def test_codes_are_running_numbers_in_the_order_referrals_came() -> None:
    cases = e.examples.salten_2020().cases
    for letters in {c.code.municipality for c in cases}:
        mine = sorted(
            (c for c in cases if c.code.municipality == letters), key=lambda c: c.referred_on
        )
        assert [c.code.number for c in mine] == list(range(1, len(mine) + 1)), letters
    assert sorted(str(c.code) for c in cases if c.code.municipality == "FA") == [
        f"{n:02d}/20-FA" for n in range(1, 11)
    ]


def test_dates_are_working_days_and_some_cases_are_open_at_year_end() -> None:
    example = e.examples.salten_2020()
    dates = example.log.to_frame()["date"]
    holidays = pd.to_datetime(["2020-01-01", "2020-04-09", "2020-04-10", "2020-04-13",
                               "2020-05-01", "2020-05-21", "2020-06-01", "2020-12-25"])  # fmt: skip
    assert not dates.isin(holidays).any()
    assert (dates.dt.day_of_week < 5).all()
    assert dates.dt.month.nunique() == 12
    for case in example.cases:
        for day in (case.referred_on, case.closed_on):
            assert day is None or day.weekday() < 5, case.code
    assert sum(c.closed_on is None for c in example.cases) >= 3
    steps = example.log.to_frame()["hours"] * 2
    assert (steps == steps.round()).all()


def test_no_other_municipalities_in_the_published_categories() -> None:
    frame = e.examples.salten_2020().log.to_frame()
    published_categories = ["in_institution", "user_follow_up", "driving", "collaboration"]
    rows = frame[frame["category"].isin(published_categories)]
    assert not (rows["municipality"] == "Andre kommuner").any()
    assert frame.loc[frame["category"] == "administration", "date"].max() <= pd.Timestamp(
        "2020-12-31"
    )
    shared = frame[frame["municipality"] == "Felles"]
    assert shared["case"].isna().all()
    assert set(shared["category"]) >= {"supervision", "networking", "administration"}


def test_case_entries_fall_within_their_case() -> None:
    example = e.examples.salten_2020()
    frame = example.log.to_frame()
    for case in example.cases:
        dates = frame.loc[frame["case"] == str(case.code), "date"].dt.date
        assert dates.min() >= case.referred_on
        if case.closed_on is not None:
            assert dates.max() <= case.closed_on
        inside = frame.loc[
            (frame["case"] == str(case.code)) & (frame["category"] == "in_institution"), "date"
        ]
        if len(inside):
            assert inside.dt.date.max() < case.stays[0].discharged  # type: ignore[operator]


def test_the_messy_workbook_reads_as_expected() -> None:
    pytest.importorskip("openpyxl")
    expected = json.loads((DATA / "salten_2020_messy_expected.json").read_text(encoding="utf-8"))
    result = e.read_timelog(e.examples.salten_2020_messy_path(), team=e.teams.salten())
    assert len(result.accepted) == expected["accepted"]
    got = result.rejected[["sheet", "row", "column"]].to_dict("records")
    assert got == [{k: r[k] for k in ("sheet", "row", "column")} for r in expected["rejected"]]
    for reason, wanted in zip(result.rejected["reason"], expected["rejected"], strict=True):
        assert wanted["reason"] in reason
    assert len(result.rejected) >= 12
    kinds = [r["reason"] for r in expected["rejected"]]
    assert len(set(kinds)) == len(kinds)  # every bad row is a different kind of mistake
    assert len(result.accepted) + len(result.rejected) == result.read
    assert result.ignored == 24  # two empty trailing rows on each of twelve sheets
    # The good rows, however they were typed, are exactly the clean year.
    assert result.accepted == e.examples.salten_2020().log
    text = result.rejected.to_string()
    assert "Ola Nordmann" not in text
    assert not any(len(w) == 11 and w.isdigit() for w in text.split())


def test_the_generator_rebuilds_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    script = Path(__file__).parent.parent / "examples" / "make_salten_2020.py"
    monkeypatch.setattr(sys, "argv", [str(script), str(tmp_path)])
    runpy.run_path(str(script), run_name="__main__")
    for name in (
        "salten_2020_log.csv",
        "salten_2020_cases.json",
        "salten_2020_messy_expected.json",
    ):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
    # The workbook: the same members with the same content (timestamps are fixed by the script;
    # the compressed bytes could differ between zlib builds, so the members are compared).
    with (
        zipfile.ZipFile(tmp_path / "salten_2020_messy.xlsx") as made,
        zipfile.ZipFile(DATA / "salten_2020_messy.xlsx") as committed,
    ):
        assert made.namelist() == committed.namelist()
        for member in committed.namelist():
            assert made.read(member) == committed.read(member), member


def test_the_other_teams_years_rebuild_the_same_files(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    script = Path(__file__).parent.parent / "examples" / "make_team_years.py"
    monkeypatch.setattr(sys, "argv", [str(script), str(tmp_path)])
    runpy.run_path(str(script), run_name="__main__")
    assert "jaeren_2019: 20 cases" in capsys.readouterr().out
    for name in (
        "jaeren_2019_log.csv",
        "jaeren_2019_cases.json",
        "jaeren_2019_groups.json",
        "integrated_2025_log.csv",
        "integrated_2025_cases.json",
    ):
        assert (tmp_path / name).read_bytes() == (DATA / name).read_bytes(), name
