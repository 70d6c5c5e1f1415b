from __future__ import annotations

import datetime as dt
import gc
import io
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern._io import _sheets as sheets
from ettervern.privacy import HIDDEN as REDACTED
from tests import strategies as s

MESSY = """Timeliste for ettervernsteamet 2020;;;;
;;;;
Sak;Dato;Kommune;Hendelse;Tidsbruk
01/20-FA;21.01.2020;Fauske;Bruker oppfølging;1,5
01/20-FA;21/01-2020; fauske ;brukeroppfølging ;1.5
01/20-FA;2020-01-22;FAUSKE;1;0,5
;22.01.2020;Hábmer - Hamarøy;Kjøring;1 t
;43853;Felles;Veiledning fra prosjektleder;2
02/20-FA;23.01.2020;Andre kommuner;Samarbeidspartnere;1
02/20-FA;23.01.2020;Fauske;Ikke møtt;2 timer
01/20-FA;31.02.2020;Fauske;1;1
01/20-FA;24.01.2020;Bodø;1;1
01/20-FA;24.01.2020;Fauske;Kaffepause;1
01/20-FA;24.01.2020;Fauske;1;0
01/20-FA;24.01.2020;Fauske;1;0,3
01/20-FA;;Fauske;1;1
01/20-FA;24.01.2020;Felles;Nettverksarbeid;1
01/20-ST;24.01.2020;Fauske;1;1
{national_id};24.01.2020;Fauske;1;1
Ola Nordmann;24.01.2020;Fauske;1;1
01/21-FA;24.01.2020;Fauske;1;1
01/20-FA;24.01.2020;Andre kommuner;Brukeroppfølging;1
;24.01.2020;Rødøy;Kjøring;1
01/20-FA;24.01.2020;Fauske;1;mye
;;;;
;;;;
"""
BAD_ROWS = {  # row number in the sheet: the column at fault
    11: "date",
    12: "municipality",
    13: "category",
    14: "hours",
    15: "hours",
    16: "date",
    17: "case",
    18: "case",
    19: "case",
    20: "case",
    21: "case",
    22: "municipality",
    23: "municipality",
    24: "hours",
}


def messy_bytes(national_id: str, encoding: str = "utf-8-sig") -> bytes:
    return MESSY.format(national_id=national_id).encode(encoding)


@settings(max_examples=5)
@given(s.national_ids())
def test_messy_csv_keeps_every_row_accounted_for(national_id: str) -> None:
    team = e.teams.salten()
    result = e.read_timelog(io.BytesIO(messy_bytes(national_id)), team=team, format="csv")
    assert result.read == 21
    assert result.ignored == 2  # the two empty trailing rows (rows above the header are not data)
    assert len(result.accepted) == 7
    assert len(result.accepted) + len(result.rejected) == result.read
    assert dict(zip(result.rejected["row"], result.rejected["column"], strict=True)) == BAD_ROWS
    assert result.rejected["reason"].map(bool).all()
    assert national_id not in result.rejected.to_string()
    assert "Ola Nordmann" not in result.rejected.to_string()
    assert (result.rejected["value"] == REDACTED).sum() == 2
    frame = result.accepted.to_frame()
    assert frame["hours"].sum() == 9.5
    assert frame["date"].iloc[4] == pd.Timestamp("2020-01-23")  # Excel serial 43853
    assert list(frame["municipality"])[:4] == ["Fauske", "Fauske", "Fauske", "Hamarøy"]
    assert "read 21 rows, accepted 7, rejected 14" in str(result)
    assert "leste 21 rader, godtok 7, avviste 14" in result.summary()
    assert len(result.reasons) == len(result.rejected)
    assert [str(reason) for reason in result.reasons] == list(result.rejected["reason"])
    for locale in ("nb", "nn"):
        shown = result.rejected_in(locale)
        assert list(shown.columns) == ["Ark", "Rad", "Kolonne", "Verdi", "Årsak"]
        assert list(shown["Rad"]) == list(result.rejected["row"])
        assert national_id not in shown.to_string()
        assert "Ola Nordmann" not in shown.to_string()
        assert (
            shown["Kolonne"]
            .isin(["Sak", "Dato", "Kommune", "Hendelse", "Hending", "Tidsbruk"])
            .all()
        )
        # every reason is in the language asked for: none is left as the English text
        assert not (shown["Årsak"] == result.rejected["reason"]).any()
    assert result.rejected_in("en")["Reason"].tolist() == result.rejected["reason"].tolist()


def test_windows_1252_and_commas(tmp_path: Path) -> None:
    text = 'Case,Date,Municipality,Category,Hours\n01/20-SØ,2020-02-03,Sørfold,Kjøring,"1,5"\n'
    path = tmp_path / "sheet.csv"
    path.write_bytes(text.encode("cp1252"))
    result = e.read_timelog(path, team=e.teams.salten())
    assert len(result.accepted) == 1
    assert result.accepted.to_frame()["municipality"].iloc[0] == "Sørfold"


def test_workbook_with_monthly_sheets(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    january = book.active
    january.title = "Januar"
    january.append(["Ressursregistrering januar"])
    january.append([])
    january.append(["Sak", "Dato", "Kommune", "Hendelse", "Tidsbruk"])
    january.append(["01/20-FA", dt.date(2020, 1, 21), "Fauske", "Brukeroppfølging", 1.5])
    january.append([None, "22.01.2020", "Felles", 8, "2"])
    february = book.create_sheet("Februar")
    february.append(["Sak", "Dato", "Kommune", "Hendelse", "Tidsbruk"])
    february.append(["01/20-FA", dt.date(2020, 2, 3), "Fauske", 1, 1])
    february.append(["01/20-FA", dt.date(2020, 2, 4), "Narvik", 1, 1])
    february.append([None, None, None, None, None])
    path = tmp_path / "timer.xlsx"
    book.save(path)
    result = e.read_timelog(path, team=e.teams.salten())
    assert len(result.accepted) == 3
    assert result.rejected[["sheet", "row", "column"]].values.tolist() == [
        ["Februar", 3, "municipality"]
    ]
    assert result.ignored == 1


def test_free_text_columns_are_refused_unless_dropped(tmp_path: Path) -> None:
    path = tmp_path / "sheet.csv"
    path.write_text(
        "Sak;Dato;Kommune;Hendelse;Tidsbruk;Kommentar\n;03.02.2020;Sørfold;2;1;ringte mor\n",
        encoding="utf-8",
    )
    team = e.teams.salten()
    with pytest.raises(e.errors.ConfigError, match="drop_columns=\\['Kommentar'\\]"):
        e.read_timelog(path, team=team)
    assert len(e.read_timelog(path, team=team, drop_columns=["kommentar"]).accepted) == 1


def test_strict_raises_on_the_first_bad_row() -> None:
    data = messy_bytes("00000000000")  # synthetic: all zeros, no valid birth date
    with pytest.raises(e.errors.TimeLogError) as info:
        e.read_timelog(io.BytesIO(data), team=e.teams.salten(), strict=True, format="csv")
    assert info.value.row == 11
    assert info.value.column == "date"
    assert info.value.count == 14
    assert info.value.rule == "date"
    assert "row 11" in str(info.value)


@pytest.mark.parametrize(
    ("row", "rule"),
    [
        ("01/20-FA;21.01.2020;Fauske;1;0,3", "hours_step"),
        ("01/20-FA;21.01.2020;Fauske;1;0", "hours_not_positive"),
        (";21.01.2020;Bergen;1;1", "not_a_member"),
        (";21.01.2020;Rødøy;1;1", "membership_period"),
        ("01/20-ST;21.01.2020;Fauske;1;1", "code_letters_mismatch"),
        ("01/20-FA;21.01.2020;Fauske;Reise;1", "unknown_category"),
        ("01/20-FA;21.01.2021;Fauske;5;1", "category_not_in_use"),
        ("01/20-FA;21.01.2020;Felles;1;1", "shared_with_case"),
    ],
)
def test_strict_names_the_rule(row: str, rule: str) -> None:
    data = f"Sak;Dato;Kommune;Hendelse;Tidsbruk\n{row}\n".encode()
    with pytest.raises(e.errors.TimeLogError) as info:
        e.read_timelog(io.BytesIO(data), team=e.teams.salten(), strict=True, format="csv")
    assert info.value.rule == rule
    frame = pd.DataFrame(
        [row.split(";")], columns=["case", "date", "municipality", "category", "hours"]
    )
    frame["date"] = pd.to_datetime(frame["date"], format="%d.%m.%Y")
    frame["hours"] = pd.to_numeric(frame["hours"].str.replace(",", "."))
    frame["case"] = frame["case"].replace("", None)
    with pytest.raises(e.errors.TimeLogError) as built:
        e.TimeLog.from_frame(frame, team=e.teams.salten())
    assert built.value.rule == rule


@pytest.mark.parametrize(
    ("name", "content", "fragment"),
    [
        ("missing.csv", None, "does not exist"),
        ("noheader.csv", b"a;b;c\n1;2;3\n", "no header row"),
        ("broken.xlsx", b"PK\x03\x04 not really a zip", "cannot read it as XLSX"),
    ],
)
def test_file_errors(tmp_path: Path, name: str, content: bytes | None, fragment: str) -> None:
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises((e.errors.ConfigError, e.errors.FileError), match=fragment):
        e.read_timelog(path, team=e.teams.salten())


def test_write_refuses_unknown_suffix(tmp_path: Path) -> None:
    log = e.TimeLog.empty(e.teams.salten())
    with pytest.raises(e.errors.ConfigError, match=r"\.csv or \.xlsx"):
        e.write_timelog(log, tmp_path / "log.txt")


@settings(max_examples=15)
@given(s.salten_logs, st.sampled_from([".csv", ".xlsx"]))
def test_write_then_read_gives_the_same_log(rows: list[dict[str, object]], suffix: str) -> None:
    import tempfile

    team = e.teams.salten()
    log = e.TimeLog.from_frame(pd.DataFrame(rows), team=team)
    with tempfile.TemporaryDirectory() as folder:
        path = e.write_timelog(log, Path(folder) / f"log{suffix}")
        back = e.read_timelog(path, team=team)
    assert back.rejected.empty
    assert back.accepted == log


def test_a_title_typed_without_separators_and_a_category_number_as_decimal() -> None:
    text = (
        "Timeliste 2020\n\nSak;Dato;Kommune;Hendelse;Tidsbruk\n01/20-FA;21.1.2020;Fauske;4.0;1,5\n"
    )
    result = e.read_timelog(io.BytesIO(text.encode()), team=e.teams.salten(), format="csv")
    # One row is "1 row", in each language's plural form.
    assert str(result) == "sheet: read 1 row, accepted 1, rejected 0; read as UTF-8"
    assert result.summary("nb") == "ark: leste 1 rad, godtok 1, avviste 0; lest som UTF-8"
    assert result.summary("nn") == "ark: las 1 rad, godtok 1, avviste 0; lese som UTF-8"
    assert (
        result.summary() == "ark: leste 1 rad, godtok 1, avviste 0; lest som UTF-8"
    )  # Bokmål by default
    assert list(result.accepted.to_frame()["category"]) == ["in_institution"]


def test_values_without_a_header_are_refused_unless_dropped_by_column_letter() -> None:
    rows = ["Sak;Dato;Kommune;Hendelse;Tidsbruk"]
    rows += [";03.02.2020;Sørfold;2;1"] * 40  # wider than the top only further down
    rows += [";03.02.2020;Sørfold;2;1;;ringte mor"]
    data = ("\n".join(rows) + "\n").encode()
    team = e.teams.salten()
    with pytest.raises(e.errors.ConfigError, match=r"column G has values but no header"):
        e.read_timelog(io.BytesIO(data), team=team, format="csv")
    result = e.read_timelog(io.BytesIO(data), team=team, format="csv", drop_columns=["G"])
    assert len(result.accepted) == 41


@pytest.mark.parametrize("block_rows", [3, 7, 1000])
def test_large_csv_files_are_read_in_blocks_with_the_same_result(
    block_rows: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    import ettervern._io._csv

    team = e.teams.salten()
    data = messy_bytes("00000000000")  # synthetic: all zeros, no valid birth date
    whole = e.read_timelog(io.BytesIO(data), team=team, format="csv")
    monkeypatch.setattr(ettervern._io._csv, "CSV_BLOCK_ROWS", block_rows)
    blocks = e.read_timelog(io.BytesIO(data), team=team, format="csv")
    assert blocks.accepted == whole.accepted
    pd.testing.assert_frame_equal(blocks.rejected, whole.rejected)
    assert (blocks.read, blocks.ignored) == (whole.read, whole.ignored)
    assert dict(zip(blocks.rejected["row"], blocks.rejected["column"], strict=True)) == BAD_ROWS


def test_sheets_without_a_header_are_skipped_and_named(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    data = book.active
    data.title = "Januar"
    data.append(["Sak", "Dato", "Kommune", "Hendelse", "Tidsbruk"])
    data.append([None, dt.date(2020, 1, 21), "Felles", 8, 1.5])
    pivot = book.create_sheet("Pivot")
    pivot.append(["Radetiketter", "Summer av Tidsbruk"])
    pivot.append(["Felles", 1.5])
    book.save(tmp_path / "timer.xlsx")
    result = e.read_timelog(tmp_path / "timer.xlsx", team=e.teams.salten())
    assert len(result.accepted) == 1
    assert result.skipped == ("Pivot",)
    assert result.summary("en").endswith("skipped sheets without a time-log header: Pivot")
    assert result.summary("nn").endswith("hoppa over ark utan timelisteoverskrift: Pivot")
    only_pivot = openpyxl.Workbook()
    only_pivot.active.append(["Radetiketter", "Summer av Tidsbruk"])
    only_pivot.save(tmp_path / "pivot.xlsx")
    with pytest.raises(e.errors.ConfigError, match="no header row"):
        e.read_timelog(tmp_path / "pivot.xlsx", team=e.teams.salten())


def test_empty_cells_in_rejected_rows_show_as_none() -> None:
    pytest.importorskip("openpyxl")
    result = e.read_timelog(e.examples.salten_2020_messy_path(), team=e.teams.salten())
    missing = result.rejected[result.rejected["reason"].str.startswith("missing")]
    # "mye" is a value that is not a number; the three empty cells come back as None, not NaN.
    assert [v for v in missing["value"] if not isinstance(v, str)] == [None, None, None]


def test_a_read_pauses_the_collector_only_while_it_reads(tmp_path: Path) -> None:
    # The cells of a sheet are many containers and no cycles: the collector is paused while
    # they are read (a quarter of an .xlsx read went to it) and left as it was afterwards,
    # after an error too.

    team = e.teams.salten()
    seen: list[bool] = []
    real = sheets._read_into

    def spy(*args: object) -> object:
        seen.append(gc.isenabled())
        return real(*args)

    bad = tmp_path / "bad.csv"
    bad.write_text("no header here\n", encoding="utf-8")
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(sheets, "_read_into", spy)
        assert gc.isenabled()
        e.read_timelog(e.examples.salten_2020_messy_path(), team=team)
        assert gc.isenabled()
        with pytest.raises(e.errors.ConfigError):
            e.read_timelog(bad, team=team)
        assert gc.isenabled()
        gc.disable()
        try:
            e.read_timelog(e.examples.salten_2020_messy_path(), team=team)
            assert not gc.isenabled()  # a caller's own pause is kept
        finally:
            gc.enable()
    assert seen == [False, False, False]
