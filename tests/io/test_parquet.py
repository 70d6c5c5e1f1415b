"""Parquet files of the time log, where pyarrow is installed."""

from __future__ import annotations

import datetime as dt
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path
from unittest import mock

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from tests.strategies import salten_logs

pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")


def test_a_log_round_trips_through_parquet(salten: e.Team, tmp_path: Path) -> None:
    log = e.examples.salten_2020().log
    path = e.write_parquet(log, tmp_path / "timer_2020.parquet")
    result = e.read_parquet(path, team=salten)
    back = result.accepted
    assert back == log
    assert (result.read, result.rejected_count) == (len(log), 0)
    assert back.total_hours == log.total_hours
    assert list(pd.read_parquet(path).columns) == [
        "case",
        "date",
        "municipality",
        "category",
        "hours",
        "staff",
    ]


def test_a_parquet_file_is_validated_like_a_frame(salten: e.Team, tmp_path: Path) -> None:
    frame = e.examples.salten_2020().log.to_frame()
    frame.loc[3, "hours"] = 0.3  # off the half-hour step
    path = tmp_path / "bad.parquet"
    frame.to_parquet(path, index=False)
    result = e.read_parquet(path, team=salten)
    assert len(result.accepted) == len(frame) - 1
    row = result.rejected.iloc[0]
    assert (row["row"], row["column"], row["value"]) == (3, "hours", 0.3)
    assert "steps of 0.5" in row["reason"]
    assert "0,5" in result.rejected_in("nb")["Årsak"].iloc[0]
    with pytest.raises(e.errors.TimeLogError, match=r"steps of 0\.5"):
        e.read_parquet(path, team=salten, strict=True)


def test_a_name_in_a_rejected_row_is_never_echoed(salten: e.Team, tmp_path: Path) -> None:
    frame = e.examples.salten_2020().log.to_frame()
    frame["case"] = frame["case"].astype(object)
    frame.loc[5, "case"] = "Kari Nordmann"
    frame.loc[6, "case"] = "01017012345"
    path = tmp_path / "named.parquet"
    frame.to_parquet(path, index=False)
    result = e.read_parquet(path, team=salten)
    assert list(result.rejected["row"]) == [5, 6]
    shown = str(result.to_dict("en")) + result.rejected.to_string() + repr(result)
    assert "Kari" not in shown and "01017012345" not in shown


def test_rejected_rows_are_listed_up_to_a_cap(
    salten: e.Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("ettervern._io._parquet.MAX_LISTED", 10)
    frame = e.examples.salten_2020().log.to_frame()
    frame.loc[:24, "hours"] = -1.0
    path = tmp_path / "many.parquet"
    frame.to_parquet(path, index=False)
    result = e.read_parquet(path, team=salten)
    assert (len(result.rejected), result.unlisted, result.rejected_count) == (10, 15, 25)
    assert len(result.accepted) == len(frame) - 25
    assert "rejected 25" in result.summary("en")


@pytest.mark.parametrize(
    ("column", "values", "found"),
    [
        ("hours", ["1,5"], "string"),
        ("municipality", [1841], "int64"),
        ("date", ["2020-03-01"], "string"),
        ("category", [1.0], "double"),
    ],
)
def test_a_column_of_another_type_is_a_clear_error(
    tmp_path: Path, column: str, values: list[object], found: str
) -> None:
    row: dict[str, list[object]] = {
        "case": ["01/20-FA"],
        "date": [dt.date(2020, 3, 1)],
        "municipality": ["Fauske"],
        "category": ["user_follow_up"],
        "hours": [1.5],
    }
    row[column] = values
    path = tmp_path / "typed.parquet"
    pd.DataFrame(row).to_parquet(path, index=False)
    with pytest.raises(e.errors.ConfigError, match=rf"column '{column}' .* holds {found}"):
        e.read_parquet(path, team=e.teams.salten())
    pd.DataFrame(row).drop(columns="hours").to_parquet(path, index=False)
    with pytest.raises(e.errors.ConfigError, match="missing: 'hours'"):
        e.read_parquet(path, team=e.teams.salten())


def test_parquet_needs_its_suffix_the_file_and_pyarrow(
    salten: e.Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = e.examples.salten_2020().log
    with pytest.raises(e.errors.ConfigError, match=r"\.parquet"):
        e.write_parquet(log, tmp_path / "timer.csv")
    with pytest.raises(e.errors.MissingFileError, match="does not exist"):
        e.read_parquet(tmp_path / "missing.parquet", team=salten)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(e.errors.MissingDependencyError, match=r"ettervern\[fast\]"):
        e.write_parquet(log, tmp_path / "timer.parquet")


@pytest.mark.parametrize("content", [b"not parquet at all", b"PAR1" + b"\x00" * 40 + b"PAR1", b""])
def test_a_file_that_is_not_parquet_gets_a_clear_error(tmp_path: Path, content: bytes) -> None:
    # pyarrow's own errors (ArrowInvalid) used to escape the error hierarchy.
    path = tmp_path / "broken.parquet"
    path.write_bytes(content)
    with pytest.raises(e.errors.ConfigError, match="Parquet"):
        e.read_parquet(path, team=e.teams.salten())
    with pytest.raises(e.errors.ConfigError, match="Parquet"):
        e.read_cases_parquet(path)


def test_a_truncated_file_gets_a_clear_error(tmp_path: Path) -> None:
    path = e.write_cases_parquet(e.examples.salten_2020().cases, tmp_path / "cases.parquet")
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with pytest.raises(e.errors.ConfigError, match="Parquet"):
        e.read_cases_parquet(path)


# -- read_parquet accepts and rejects as read_timelog does (issue 35) ---------------------------

BAD_CELLS = [
    ("municipality", "Oslo"),
    ("municipality", None),
    ("hours", -2.0),
    ("hours", 500.0),
    ("hours", None),
    ("date", dt.date(1985, 5, 1)),
    ("date", dt.date(2150, 1, 1)),
    ("date", None),
    ("category", "no_such_thing"),
    ("category", None),
]
"""Cells that break a rule of Salten's log: each makes its row rejected, by its own column."""


def _bad_frame(rows: list[dict[str, object]], bad: list[tuple[int, int]]) -> pd.DataFrame:
    frame = pd.DataFrame(rows).astype({"hours": "float64", "staff": "int64"})
    frame["date"] = pd.to_datetime(frame["date"])
    frame["case"] = frame["case"].astype(object)
    for row, which in bad:
        column, value = BAD_CELLS[which]
        if column == "date":
            frame.loc[row % len(frame), column] = pd.NaT if value is None else pd.Timestamp(value)
        elif column == "hours":
            frame.loc[row % len(frame), column] = np.nan if value is None else value
        else:
            frame.loc[row % len(frame), column] = value
    return frame


def _as_csv(frame: pd.DataFrame, path: Path) -> None:
    """The same rows as a team's CSV sheet, written here apart from ``write_timelog``."""
    lines = ["Sak;Dato;Kommune;Hendelse;Tidsbruk;Ansatte"]
    for row in frame.itertuples(index=False):
        cells = [
            "" if pd.isna(row.case) else row.case,
            "" if pd.isna(row.date) else row.date.strftime("%d.%m.%Y"),
            "" if pd.isna(row.municipality) else row.municipality,
            "" if pd.isna(row.category) else row.category,
            "" if pd.isna(row.hours) else f"{row.hours:g}".replace(".", ","),
            str(row.staff),
        ]
        lines.append(";".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def _plain_frame(log: e.TimeLog) -> pd.DataFrame:
    frame = log.to_frame()
    return frame.astype(dict.fromkeys(("case", "municipality", "category"), object))


@settings(max_examples=25)
@given(
    rows=salten_logs,
    bad=st.lists(st.tuples(st.integers(0, 59), st.integers(0, len(BAD_CELLS) - 1)), max_size=6),
    batch=st.sampled_from([3, 7, 1 << 18]),
    small=st.sampled_from([1, 2, 4096]),
)
def test_read_parquet_accepts_and_rejects_every_row(
    rows: list[dict[str, object]], bad: list[tuple[int, int]], batch: int, small: int
) -> None:
    team = e.teams.salten()
    frame = _bad_frame(rows, bad)
    broken: dict[int, set[str]] = {}
    for row, which in bad:
        broken.setdefault(row % len(frame), set()).add(BAD_CELLS[which][0])
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "timer.parquet"
        frame.to_parquet(path, index=False)
        with (
            mock.patch("ettervern._timelog._arrow.BATCH_ROWS", batch),
            mock.patch("ettervern._io._parquet.BATCH_ROWS", batch),
            mock.patch("ettervern._io._parquet.SMALL_BATCH_ROWS", small),
        ):
            result = e.read_parquet(path, team=team)
            strict = _raised(lambda: e.read_parquet(path, team=team, strict=True))
        csv = Path(folder) / "timer.csv"
        _as_csv(frame, csv)
        oracle = e.read_timelog(csv, team=team)
    # Every row accounted for: accepted, or rejected by one of its broken cells' columns.
    assert result.read == len(frame)
    assert len(result.accepted) + result.rejected_count == len(frame)
    assert set(result.rejected["row"]) == set(broken)
    for row, column, reason in result.rejected[["row", "column", "reason"]].itertuples(index=False):
        assert column in broken[row]
        assert reason
    assert len(result.reasons) == len(result.rejected)
    # The same rows as a CSV sheet: the same log accepted, the same rows rejected.
    pd.testing.assert_frame_equal(_plain_frame(result.accepted), _plain_frame(oracle.accepted))
    assert sorted(oracle.rejected["row"] - 2) == sorted(result.rejected["row"])
    assert list(oracle.rejected["column"]) == list(result.rejected["column"])
    # Strict: the first bad row in the file's order raised, with the count of all.
    assert strict == (None if not broken else (min(broken), len(broken)))


def test_a_file_without_rows_is_an_empty_log(salten: e.Team, tmp_path: Path) -> None:
    path = tmp_path / "empty.parquet"
    e.examples.salten_2020().log.to_frame().iloc[:0].to_parquet(path, index=False)
    result = e.read_parquet(path, team=salten)
    assert (len(result.accepted), result.read, result.rejected_count) == (0, 0, 0)


def _raised(read: Callable[[], object]) -> tuple[int, int] | None:
    try:
        read()
    except e.errors.TimeLogError as error:
        return error.row, error.count
    return None


def test_an_old_call_that_passes_the_result_on_is_told_where_the_log_went(
    salten: e.Team, tmp_path: Path
) -> None:
    # read_parquet returned a TimeLog; the result passed on is refused at once, with the way out.
    path = e.write_parquet(e.examples.salten_2020().log, tmp_path / "timer.parquet")
    with pytest.raises(e.errors.WrongTypeError, match=r"accepted is its \.accepted") as raised:
        e.annual_report(e.read_parquet(path, team=salten), year=2020)  # type: ignore[arg-type]
    assert ".accepted" in raised.value.message.render("nn")


# -- read_parquet agrees with read_timelog on empty rows, old names and other columns -----------


def _with_csv(frame: pd.DataFrame, folder: Path) -> tuple[Path, Path]:
    """``frame`` as a Parquet file and as the team's CSV sheet (the oracle's input)."""
    parquet = folder / "timer.parquet"
    frame.to_parquet(parquet, index=False)
    csv = folder / "timer.csv"
    _as_csv(frame, csv)
    return parquet, csv


def test_entirely_empty_rows_are_ignored_and_counted_as_read_timelog_does(
    salten: e.Team, tmp_path: Path
) -> None:
    frame = e.examples.salten_2020().log.to_frame().head(40)
    frame = frame.astype(dict.fromkeys(("case", "municipality", "category"), object))
    frame["staff"] = frame["staff"].astype("float64")
    for row in (0, 7, 39):  # every cell empty, the staff too
        frame.loc[row] = [None, pd.NaT, None, None, np.nan, np.nan]
    frame.loc[12, "hours"] = -1.0  # a bad row after an empty one keeps its place in the file
    parquet, _ = _with_csv(frame, tmp_path)
    result = e.read_parquet(parquet, team=salten)
    assert (result.ignored, result.read, len(result.accepted)) == (3, 37, 36)
    assert list(result.rejected["row"]) == [12]
    assert list(result.rejected["column"]) == ["hours"]
    # The oracle: read_timelog of the same rows with the empty ones left out of the sheet.
    csv = tmp_path / "kept.csv"
    _as_csv(frame.drop(index=[0, 7, 39]).astype({"staff": "int64"}), csv)
    oracle = e.read_timelog(csv, team=salten)
    pd.testing.assert_frame_equal(_plain_frame(result.accepted), _plain_frame(oracle.accepted))


def test_an_old_municipality_name_is_named_as_read_timelog_names_it(
    salten: e.Team, tmp_path: Path
) -> None:
    frame = e.examples.salten_2020().log.to_frame().head(30)
    frame = frame.astype(dict.fromkeys(("case", "municipality", "category"), object))
    hamaroy = frame.index[frame["municipality"] == "Hamarøy"]
    frame.loc[hamaroy[:2], "municipality"] = "Tysfjord"
    parquet, csv = _with_csv(frame, tmp_path)
    result, oracle = e.read_parquet(parquet, team=salten), e.read_timelog(csv, team=salten)
    assert result.renamed == oracle.renamed == (("Tysfjord", "Hamarøy"),)
    assert result.changes == oracle.changes
    assert result.changes
    pd.testing.assert_frame_equal(_plain_frame(result.accepted), _plain_frame(oracle.accepted))


@pytest.mark.parametrize("used", [True, False])
def test_an_old_name_in_a_dictionary_is_named_only_when_a_row_holds_it(
    salten: e.Team, tmp_path: Path, used: bool
) -> None:
    # A dictionary column is looked at on its dictionaries first: a dictionary without an old
    # name spares reading the rows for one, and one with an old name no row holds names none.
    frame = e.examples.salten_2020().log.to_frame().head(30)
    places = [*frame["municipality"].cat.categories, "Tysfjord"]
    frame["municipality"] = frame["municipality"].astype(object)
    if used:
        hamaroy = frame.index[frame["municipality"] == "Hamarøy"]
        frame.loc[hamaroy[:2], "municipality"] = "Tysfjord"
    frame["municipality"] = pd.Categorical(frame["municipality"], categories=places)
    parquet, csv = _with_csv(frame.astype({"municipality": object}), tmp_path)
    frame.to_parquet(parquet, index=False)  # the same rows, the old name in the dictionary
    result, oracle = e.read_parquet(parquet, team=salten), e.read_timelog(csv, team=salten)
    assert result.renamed == oracle.renamed == ((("Tysfjord", "Hamarøy"),) if used else ())
    assert result.changes == oracle.changes
    pd.testing.assert_frame_equal(_plain_frame(result.accepted), _plain_frame(oracle.accepted))


def test_another_column_with_values_is_refused_by_name_unless_dropped(
    salten: e.Team, tmp_path: Path
) -> None:
    frame = e.examples.salten_2020().log.to_frame().head(10)
    path = tmp_path / "timer.parquet"
    frame.assign(notat="ringte mor").to_parquet(path, index=False)
    with pytest.raises(e.errors.ConfigError, match=r"'notat' is not part of the time log"):
        e.read_parquet(path, team=salten)
    dropped = e.read_parquet(path, team=salten, drop_columns=["notat"]).accepted
    assert len(dropped) == 10
    # Only nulls or spaces: nothing to refuse, as read_timelog leaves an empty column be.
    frame.assign(notat=[None] * 9 + ["  "]).to_parquet(path, index=False)
    assert len(e.read_parquet(path, team=salten).accepted) == 10
    # The index pandas stored beside the data is not a column of the log's rows.
    frame.iloc[[0, 2, 3, 5, 7, 9]].to_parquet(path)
    assert "__index_level_0__" in pq.read_schema(path).names
    assert len(e.read_parquet(path, team=salten).accepted) == 6


# -- a column of nothing but nulls: each row is missing that cell ---------------------------


_NULL_FORMS = ["null", "dictionary", "text", "number", "date"]
"""How a column of nothing but nulls may come in a Parquet file: Arrow's type ``null`` (pandas
writes it for a column of ``None``), a dictionary of nulls (a categorical without categories),
or a typed column of nulls (of text, numbers or dates, whichever the log holds there or not)."""


def _all_null(rows: int, form: str) -> object:
    pa = pytest.importorskip("pyarrow")
    kind = {"text": pa.string(), "number": pa.float64(), "date": pa.date32()}.get(form)
    if form == "dictionary":
        return pa.DictionaryArray.from_arrays(pa.nulls(rows, pa.int8()), pa.nulls(0))
    return pa.nulls(rows, kind or pa.null())


def _csv_of(table: object, path: Path) -> None:
    """The rows of an Arrow table as the team's CSV sheet (a null is an empty cell)."""
    frame = table.to_pandas()  # type: ignore[attr-defined]
    lines = ["Sak;Dato;Kommune;Hendelse;Tidsbruk;Ansatte"]
    for row in frame.astype(object).itertuples(index=False):
        cells = [
            "" if pd.isna(row.case) else row.case,
            "" if pd.isna(row.date) else pd.Timestamp(row.date).strftime("%d.%m.%Y"),
            "" if pd.isna(row.municipality) else row.municipality,
            "" if pd.isna(row.category) else row.category,
            "" if pd.isna(row.hours) else f"{row.hours:g}".replace(".", ","),
            "" if pd.isna(row.staff) else f"{row.staff:g}",
        ]
        lines.append(";".join(cells))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@settings(max_examples=30)
@given(
    rows=st.one_of(salten_logs.map(lambda r: r[:1]), salten_logs),
    column=st.sampled_from(["case", "date", "municipality", "category", "hours", "staff"]),
    form=st.sampled_from(_NULL_FORMS),
)
def test_a_column_of_nulls_rejects_each_row_as_read_timelog_does(
    rows: list[dict[str, object]], column: str, form: str
) -> None:
    # A column whose every cell is null (of Arrow's type null, as pandas writes a column of
    # None, a dictionary of nulls, or a typed column of nulls) is a column missing from every
    # row: each row is rejected (or accepted, where the log may miss it) as read_timelog does
    # for the same rows, never the whole file refused for the column's type.
    pa = pytest.importorskip("pyarrow")
    team = e.teams.salten()
    frame = pd.DataFrame(rows).astype({"hours": "float64", "staff": "int64"})
    frame["date"] = pd.to_datetime(frame["date"])
    table = pa.Table.from_pandas(frame, preserve_index=False)
    at = table.column_names.index(column)
    table = table.set_column(at, column, _all_null(len(frame), form))
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "timer.parquet"
        pq.write_table(table, path)
        result = e.read_parquet(path, team=team)
        strict = _raised(lambda: e.read_parquet(path, team=team, strict=True))
        csv = Path(folder) / "timer.csv"
        _csv_of(table, csv)
        oracle = e.read_timelog(csv, team=team)
    assert (result.read, result.ignored) == (oracle.read, oracle.ignored) == (len(frame), 0)
    pd.testing.assert_frame_equal(_plain_frame(result.accepted), _plain_frame(oracle.accepted))
    assert sorted(oracle.rejected["row"] - 2) == list(result.rejected["row"])
    assert list(oracle.rejected["column"]) == list(result.rejected["column"])
    assert list(oracle.rejected["reason"]) == list(result.rejected["reason"])
    bad = list(result.rejected["row"])
    assert strict == (None if not bad else (bad[0], len(bad)))
    if column in ("date", "municipality", "category", "hours"):  # no row may miss these
        assert bad == list(range(len(frame)))


@pytest.mark.parametrize("form", ["null", "dictionary"])
def test_a_file_without_rows_whose_columns_are_nulls_is_an_empty_log(
    salten: e.Team, tmp_path: Path, form: str
) -> None:
    pa = pytest.importorskip("pyarrow")
    columns = list(e.TimeLog.empty(salten).to_frame().columns)
    pq.write_table(pa.table({c: _all_null(0, form) for c in columns}), tmp_path / "empty.parquet")
    result = e.read_parquet(tmp_path / "empty.parquet", team=salten)
    assert (len(result.accepted), result.read, result.rejected_count) == (0, 0, 0)
    pd.DataFrame(columns=columns).to_parquet(tmp_path / "object.parquet")  # pandas' columns
    assert len(e.read_parquet(tmp_path / "object.parquet", team=salten).accepted) == 0
    # A column of another type is still refused: no row says it holds nothing.
    table = pa.table({c: _all_null(0, "text" if c == "hours" else form) for c in columns})
    pq.write_table(table, tmp_path / "typed.parquet")
    with pytest.raises(e.errors.ConfigError, match=r"column 'hours' .* holds string"):
        e.read_parquet(tmp_path / "typed.parquet", team=salten)
