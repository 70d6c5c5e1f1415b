"""The command line at the edges a new team meets first (issue 34)."""

from __future__ import annotations

from pathlib import Path

import pytest

from ettervern.__main__ import OLE2, main, program_name

HEADER = "Sak;Dato;Kommune;Hendelse;Tidsbruk"


def _sheet(tmp_path: Path, *rows: str, header: str = HEADER) -> Path:
    path = tmp_path / "ark.csv"
    path.write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")
    return path


def test_an_old_xls_workbook_is_told_to_be_saved_as_xlsx(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    old = tmp_path / "timer.xls"
    old.write_bytes(OLE2 + b"\0" * 512)
    assert main(["report", str(old)]) == 2
    err = capsys.readouterr().err
    assert "lagre den som .xlsx" in err and "new-line" not in err


def test_an_unknown_output_ending_is_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    target = tmp_path / "r.pdf"
    assert main(["report", "--out", str(target), "--locale", "en"]) == 2
    assert not target.exists()
    assert "cannot write .pdf files" in capsys.readouterr().err


def test_a_comment_column_can_be_dropped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = _sheet(
        tmp_path,
        "01/20-FA;21.01.2020;Fauske;Kjøring;2;ringte",
        header=HEADER + ";Kommentar",
    )
    assert main(["report", str(sheet), "--locale", "en"]) == 2
    assert "--drop-columns 'Kommentar'" in capsys.readouterr().err  # not Python's drop_columns=
    assert main(["report", str(sheet), "--drop-columns", "Kommentar", "--format", "csv"]) == 0


def test_nothing_accepted_names_the_commonest_reasons(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = _sheet(
        tmp_path,
        "01/20-FA;21.01.2020;Oslo;Kjøring;2",
        "02/20-FA;22.01.2020;Oslo;Kjøring;2",
        "03/20-FA;31.02.2020;Fauske;Kjøring;2",
    )
    assert main(["report", str(sheet), "--locale", "en"]) == 2
    err = capsys.readouterr().err
    assert "2 rows: not a member municipality" in err
    assert "1 row: no such date: '31.02.2020'; that month has 29 days" in err
    assert "--rejected FILE" in err


def test_a_partial_year_is_warned_about(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = _sheet(
        tmp_path, "01/20-FA;21.01.2020;Fauske;Kjøring;2", "01/20-FA;20.02.2020;Fauske;Kjøring;2"
    )
    assert main(["report", str(sheet)]) == 0
    err = capsys.readouterr().err
    # the whole months the sheet has dates in: the part of the year the FTE table counts
    assert "advarsel: timelisten dekker bare 01.01.2020 til 29.02.2020 av 2020" in err


def test_every_message_is_in_the_chosen_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", str(tmp_path / "nope.csv")]) == 2
    assert capsys.readouterr().err.startswith("ettervern: feil: ")
    for command in ("db", "import", "due"):
        with pytest.raises(SystemExit):
            main([command, "-h"])
        out = capsys.readouterr().out
        assert "vis denne hjelpen og avslutt" in out
        assert "show this help message" not in out


def test_the_program_is_named_as_invoked() -> None:
    assert program_name("/venv/bin/ettervern") == "ettervern"
    assert program_name("/site-packages/ettervern/__main__.py") == "python -m ettervern"


def test_the_due_list_has_headers_in_the_chosen_language(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("sqlalchemy", reason="the register needs the db extra")
    import ettervern as e

    db = str(tmp_path / "r.db")
    cases = e.write_cases(e.examples.salten_2020().cases, tmp_path / "cases.json")
    sheet = str(e.examples.salten_2020_messy_path())
    assert main(["import", sheet, "--db", db, "--cases", str(cases)]) == 0
    assert main(["due", "--db", db, "--on", "2020-06-01"]) == 0
    header = capsys.readouterr().out.splitlines()[2]
    assert "Frist" in header and "Milepæl" in header and "days_left" not in header
