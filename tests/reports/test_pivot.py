from __future__ import annotations

import datetime as dt

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from tests import strategies as s

DIMENSIONS = ["municipality", "category", "group", "case", "month", "quarter"]


def make_log(rows: list[dict[str, object]], team: e.Team) -> e.TimeLog:
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["date"])
    return e.TimeLog.from_frame(frame, team=team)


def independent(rows: list[dict[str, object]], index: str, columns: str, agg: str) -> pd.DataFrame:
    """The same pivot by plain pandas on the raw rows, without the library."""
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["date"])
    frame["case"] = frame["case"].fillna("")
    frame["month"] = frame["date"].dt.strftime("%Y-%m")
    frame["quarter"] = (
        frame["date"].dt.year.astype(str) + "-Q" + frame["date"].dt.quarter.astype(str)
    )
    frame["staff_hours"] = frame["hours"] * frame["staff"]
    frame["one"] = 1.0
    value = {"sum": "hours", "count": "one", "staff_hours": "staff_hours"}[agg]
    return frame.pivot_table(index=index, columns=columns, values=value, aggfunc="sum")


@settings(max_examples=60)
@given(
    s.salten_logs,
    st.sampled_from(["municipality", "category", "case", "month", "quarter"]),
    st.sampled_from(["municipality", "category", "case", "month", "quarter"]),
    st.sampled_from(["sum", "count", "staff_hours"]),
)
def test_pivot_agrees_cell_by_cell_with_pandas(
    rows: list[dict[str, object]], index: str, columns: str, agg: str
) -> None:
    team = e.teams.salten()
    log = make_log(rows, team)
    if index == columns:
        return
    report = e.pivot(log, rows=index, columns=columns, agg=agg)  # type: ignore[arg-type]
    ours = report.to_frame(labels=False)
    theirs = independent(rows, index, columns, agg)
    body = ours.drop(index="Total").drop(columns="Total")
    assert sorted(body.index) == sorted(map(str, theirs.index))
    assert sorted(body.columns) == sorted(map(str, theirs.columns))
    aligned = theirs.rename(index=str, columns=str).reindex(index=body.index, columns=body.columns)
    np.testing.assert_allclose(body.to_numpy(dtype=float), aligned.to_numpy(dtype=float))


@settings(max_examples=60)
@given(s.salten_logs, st.sampled_from(["sum", "count", "staff_hours"]))
def test_totals_are_sums_of_rows_columns_and_the_log(
    rows: list[dict[str, object]], agg: str
) -> None:
    team = e.teams.salten()
    log = make_log(rows, team)
    wide = e.pivot(log, agg=agg, empty="zero").to_frame(labels=False)  # type: ignore[arg-type]
    body = wide.drop(index="Total").drop(columns="Total")
    expected = {
        "sum": sum(float(r["hours"]) for r in rows),  # type: ignore[arg-type]
        "count": float(len(rows)),
        "staff_hours": sum(float(r["hours"]) * int(r["staff"]) for r in rows),  # type: ignore[arg-type, call-overload]
    }[agg]
    assert wide.loc["Total", "Total"] == pytest.approx(expected)
    np.testing.assert_allclose(wide.loc["Total"].drop("Total"), body.sum(axis=0))
    np.testing.assert_allclose(wide["Total"].drop("Total"), body.sum(axis=1))


@settings(max_examples=40)
@given(s.salten_logs)
def test_rows_are_in_norwegian_order(rows: list[dict[str, object]]) -> None:
    log = make_log(rows, e.teams.salten())
    names = list(e.pivot(log).to_frame().index[:-1])
    assert names == e.language.norwegian_sorted(names)


@settings(max_examples=40)
@given(s.salten_logs, s.dates, s.dates)
def test_period_filter_total_equals_the_filtered_log(
    rows: list[dict[str, object]], a: dt.date, b: dt.date
) -> None:
    start, end = min(a, b), max(a, b)
    log = make_log(rows, e.teams.salten())
    kept = [r for r in rows if start <= r["date"] <= end]  # type: ignore[operator]
    report = e.pivot(log, period=(start, end), agg="count")
    assert report.total == len(kept)


def test_group_dimension_maps_categories_without_double_totals() -> None:
    team = e.teams.salten()
    rows = [
        {
            "case": "01/20-FA",
            "date": dt.date(2020, 3, 2),
            "municipality": "Fauske",
            "category": "in_institution",
            "hours": 2.0,
            "staff": 2,
        },
        {
            "case": "01/20-FA",
            "date": dt.date(2020, 3, 9),
            "municipality": "Fauske",
            "category": "user_follow_up",
            "hours": 3.0,
            "staff": 2,
        },
        {
            "case": None,
            "date": dt.date(2020, 3, 9),
            "municipality": "Felles",
            "category": "networking",
            "hours": 1.5,
            "staff": 2,
        },
    ]
    report = e.pivot(make_log(rows, team), columns="group")
    wide = report.to_frame(labels=False)
    assert wide.loc["Fauske", "user_follow_up"] == 5.0
    assert wide.loc["Fauske", "in_institution"] == 2.0
    assert wide.loc["Felles", "overhead"] == 1.5
    assert "Total" not in wide.columns  # groups overlap: a row total would double count
    assert wide.loc["Total", "case_work"] == 5.0


AUTUMN_ROWS = [
    {
        "case": None,
        "date": dt.date(2020, 10, 5),
        "municipality": "Sørfold",
        "category": "driving",
        "hours": 1.0,
        "staff": 2,
    },
    {
        "case": "02/20-ST",
        "date": dt.date(2020, 10, 6),
        "municipality": "Steigen",
        "category": "user_follow_up",
        "hours": 0.5,
        "staff": 2,
    },
]
"""Two entries of October 2020: driving in Sørfold without a case, follow-up for a Steigen case."""


def test_options_members_zero_labels_and_errors() -> None:
    team = e.teams.salten()
    log = make_log(AUTUMN_ROWS, team)
    present = e.pivot(log).to_frame()
    assert list(present.index) == ["Steigen", "Sørfold", "Totalsum"]
    assert pd.isna(present.loc["Steigen", "Kjøring"])
    members = e.pivot(log, show="members", empty="zero", period=2020).to_frame()
    assert "Rødøy" in members.index and "Beiarn" in members.index
    assert members.loc["Beiarn", "Totalsum"] == 0
    before_rodoy = e.pivot(log, show="members", period=(dt.date(2020, 1, 1), dt.date(2020, 8, 31)))
    assert "Rødøy" not in before_rodoy.to_frame().index
    english = e.pivot(log).to_frame(locale="en")
    assert english.index[-1] == "Total"
    assert english.index.name == "Municipality"
    nynorsk = e.pivot(log).to_frame(locale="nn")
    assert nynorsk.index.name == "Kommune"
    by_case = e.pivot(log, rows="case", columns="month").to_frame(locale="nb")
    assert list(by_case.index) == ["02/20-ST", "(ingen sak)", "Totalsum"]
    assert list(by_case.columns) == ["oktober 2020", "Totalsum"]
    for bad in ({"rows": "person"}, {"agg": "mean"}, {"show": "all"}, {"empty": "dash"}):
        with pytest.raises(e.errors.InvalidValueError):
            e.pivot(log, **bad)  # type: ignore[arg-type]
    with pytest.raises(e.errors.InvalidValueError, match="at least"):
        e.pivot(log, period=(dt.date(2020, 2, 1), dt.date(2020, 1, 1)))
    # year= (until 0.2) is read as period=, with a warning that names it
    with pytest.warns(DeprecationWarning, match=r"pivot\(period="):
        old = e.pivot(log, year=2020)
    assert old.total == e.pivot(log, period=2020).total == e.pivot(log, period="2020").total


def test_filters_and_metadata() -> None:
    team = e.teams.salten()
    rows = [
        *AUTUMN_ROWS,
        {
            "case": None,
            "date": dt.date(2020, 11, 6),
            "municipality": "Felles",
            "category": "supervision",
            "hours": 2.0,
            "staff": 4,
        },
    ]
    log = make_log(rows, team)
    report = e.pivot(
        log,
        categories=["Kjøring", 1],
        municipalities=["SØ", "Steigen", "Felles"],
        agg="staff_hours",
    )
    assert report.total == 3.0
    assert report.filters["categories"] == ("driving", "user_follow_up")
    assert report.filters["municipalities"] == ("Sørfold", "Steigen", "Felles")
    assert report.unit == "staff hours"
    assert report.period == (dt.date(2020, 10, 5), dt.date(2020, 10, 6))  # of the kept entries
    overhead = e.pivot(log, group="overhead")
    assert overhead.total == 2.0
    assert overhead.value("Felles", "supervision") == 2.0
    assert overhead.value("Total", "Total") == 2.0
    assert "Sum av timer" in report.title_in("nb") or "Timeverk" in report.title_in("nb")


@pytest.mark.parametrize("agg", ["sum", "count", "staff_hours"])
def test_each_pair_of_keys_is_summed_once_whatever_the_dimensions(agg: str) -> None:
    # pivot_frame sums its pairs of keys a second time only where several values share a key
    # (report groups, quarters); for every pair of dimensions its rows are the pairs, each
    # once, with the sums that second grouping would give, in the same order.
    from ettervern._reports._pivot import PIVOT_DIMENSIONS, pivot_frame
    from ettervern._timelog import month_summary

    log = e.examples.salten_2020().log
    summary = month_summary(log, (dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
    for frame in (log.to_frame(), summary):
        for rows in PIVOT_DIMENSIONS:
            for columns in PIVOT_DIMENSIONS:
                if "case" in (rows, columns) and "case" not in frame:
                    continue
                tidy = pivot_frame(frame, log.team, rows, columns, agg)  # type: ignore[arg-type]
                again = tidy.groupby(["row", "column"], sort=False, as_index=False).agg(
                    value=("value", "sum")
                )
                assert not tidy.duplicated(["row", "column"]).any()
                pd.testing.assert_frame_equal(tidy, again, check_exact=True)
