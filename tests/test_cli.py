"""The main command: ``python -m ettervern report``."""

from __future__ import annotations

import datetime as dt
import gc
import re
import subprocess
import sys
import tomllib
from pathlib import Path

import pandas as pd
import pytest

import ettervern as e
from ettervern.__main__ import main


def test_report_on_the_bundled_year(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report"]) == 0
    out = capsys.readouterr().out
    lines = out.splitlines()
    totals = [line for line in lines if line.startswith("Totalsum")]
    # user follow-up (529 h) less one member's own is too few cases: hidden (issue 30)
    assert any(line.split()[-1] == ":" for line in totals)
    assert any(line.split()[-1] == "137" for line in totals)
    assert any(line.split()[-1] == "200" for line in totals)
    names = [line.split()[0] for line in lines if line.strip()]
    assert names.index("Steigen") < names.index("Sørfold")


def test_report_in_english(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--locale", "en"]) == 0
    assert "Driving 2020" in capsys.readouterr().out


def test_workbook_out(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    target = tmp_path / "r.xlsx"
    assert main(["report", "--out", str(target), "--budget", "1000000"]) == 0
    assert "skrev" in capsys.readouterr().out  # "wrote", in the default Bokmål
    book = openpyxl.load_workbook(target)
    assert len(book.sheetnames) > 5


def test_a_sheet_with_cases_and_a_team(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = e.examples.salten_2020()
    sheet = e.write_timelog(example.log, tmp_path / "timer.csv")
    cases = e.write_cases(example.cases, tmp_path / "saker.json")
    team = e.write_team(example.team, tmp_path / "team.toml")
    code = main(
        ["report", str(sheet), "--cases", str(cases), "--team", str(team), "--year", "2020"]
    )
    captured = capsys.readouterr()
    assert code == 0
    assert "avviste 0" in captured.err  # the summary in the report's language
    assert "Totalsum" in captured.out


@pytest.mark.parametrize(
    ("args", "fragment"),
    [
        (["report", "nowhere.csv"], "filen finnes ikke"),  # Bokmål by default
        (["report", "--cases", "nowhere.json", "--locale", "en"], "does not exist"),
        (["report", "--team", "nowhere.toml", "x.csv", "--locale", "nn"], "fila finst ikkje"),
    ],
)
def test_bad_paths_give_one_line(
    args: list[str], fragment: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(args) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith(("ettervern: feil:", "ettervern: error:"))  # in the user's language
    assert fragment in err
    assert "\n" not in err
    assert "Traceback" not in err


def test_empty_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    sheet = tmp_path / "empty.csv"
    sheet.write_text("Sak;Dato;Kommune;Hendelse;Tidsbruk\n", encoding="utf-8")
    assert main(["report", str(sheet), "--locale", "en"]) == 2
    assert "was accepted: nothing to report" in capsys.readouterr().err
    assert main(["report", str(sheet)]) == 2
    assert "ble godtatt: ingenting å rapportere" in capsys.readouterr().err


def test_runs_as_a_module() -> None:
    done = subprocess.run(
        [sys.executable, "-m", "ettervern", "report", "--locale", "nn"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0
    assert "Køyring 2020" in done.stdout


@pytest.mark.parametrize(
    ("team", "title", "absent"),
    [
        ("jaeren", "Gruppetilbudet per måned 2019", "Kjøring"),
        ("integrated", "Tid før, under og etter oppholdet 2025", "Samarbeidspartnere"),
    ],
)
def test_each_shipped_team_runs(
    team: str, title: str, absent: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["report", "--team", team]) == 0
    out = capsys.readouterr().out
    assert title in out
    assert absent not in out


def test_a_team_file_with_its_sheet(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    example = e.examples.jaeren_2019()
    team = e.write_team(example.team, tmp_path / "jaeren.toml")
    sheet = e.write_timelog(example.log, tmp_path / "timer.csv")
    cases = e.write_cases(example.cases, tmp_path / "saker.json")
    assert main(["report", str(sheet), "--team", str(team), "--cases", str(cases)]) == 0
    out = capsys.readouterr().out
    assert "Gruppetilbudet per måned 2019" in out
    assert "HÅ-2019-001" not in out  # case codes are for internal use only
    command = ["report", str(sheet), "--team", str(team), "--cases", str(cases), "--internal"]
    assert main(command) == 0
    assert "HÅ-2019-001" in capsys.readouterr().out


def test_a_stray_row_makes_the_year_ambiguous(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "timer.csv"
    sheet.write_text(
        "Sak;Dato;Kommune;Hendelse;Tidsbruk\n"
        ";02.03.2020;Fauske;2;1\n"
        ";03.03.2020;Fauske;2;1,5\n"
        ";04.03.2025;Fauske;2;1\n",
        encoding="utf-8",
    )
    assert main(["report", str(sheet), "--locale", "en"]) == 2
    err = capsys.readouterr().err
    assert "several years (2020, 2025); choose one with --year" in err
    assert main(["report", str(sheet), "--year", "2020"]) == 0
    assert "2,5" in capsys.readouterr().out
    assert main(["report", str(sheet), "--year", "1999", "--locale", "en"]) == 2
    assert "nothing to report for 1999" in capsys.readouterr().err


def test_nothing_accepted_fails_and_the_rejected_rows_are_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    sheet = tmp_path / "timer.csv"
    sheet.write_text(
        "Sak;Dato;Kommune;Hendelse;Tidsbruk\n;02.03.2020;Bergen;2;1\n;31.02.2020;Fauske;2;1\n",
        encoding="utf-8",
    )
    rejected = tmp_path / "avviste.csv"
    code = main(["report", str(sheet), "--year", "2020", "--rejected", str(rejected)])
    assert code == 2
    err = capsys.readouterr().err
    assert "avviste 2" in err
    assert "ble godtatt: ingenting å rapportere" in err
    table = pd.read_csv(rejected)
    assert list(table.columns) == ["Ark", "Rad", "Kolonne", "Verdi", "Årsak"]
    assert list(table["Rad"]) == [2, 3]


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as stopped:
        main(["--version"])
    assert stopped.value.code == 0
    assert capsys.readouterr().out.strip() == f"ettervern {e.__version__}"


def test_the_example_year_says_it_is_example_data(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report"]) == 0
    captured = capsys.readouterr()
    assert "eksempeldata" in captured.err
    assert "eksempeldata" not in captured.out  # standard output stays the tables alone
    assert main(["report", "--locale", "en"]) == 0
    assert "example data" in capsys.readouterr().err


def test_tables_fit_100_columns(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 100  # was 209
    # The wide table is split into blocks that each repeat the municipality column.
    municipality_tables = 10
    assert sum(1 for line in lines if line.startswith("Kommune ")) > municipality_tables
    assert "Timeverk" in "\n".join(lines) and "to timeverk" in "\n".join(lines)


def test_csv_and_json_formats(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import io
    import json

    import pandas as pd

    assert main(["report", "--format", "csv", "--internal"]) == 0  # the figures as logged
    tidy = pd.read_csv(io.StringIO(capsys.readouterr().out), dtype={"kommunenummer": str})
    assert list(tidy.columns) == list(e._reports.TIDY_COLUMNS)
    driving = tidy[(tidy["table"] == "driving") & (tidy["row"] == "Fauske")]
    assert driving["value"].tolist() == [69.0]
    assert driving["kommunenummer"].tolist() == ["1841"]
    target = tmp_path / "r.json"
    assert main(["report", "--out", str(target), "--locale", "en"]) == 0  # format from the ending
    assert "wrote" in capsys.readouterr().out
    data = json.loads(target.read_text(encoding="utf-8"))
    assert data["year"] == 2020 and data["locale"] == "en"
    assert [r["key"] for r in data["reports"]][:2] == ["user_follow_up", "driving"]


def test_xlsx_needs_a_file(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--format", "xlsx"]) == 2
    assert "--out" in capsys.readouterr().err


def test_rejected_rows_to_a_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    import pandas as pd

    pytest.importorskip("openpyxl")
    rejected = tmp_path / "avvist.csv"
    sheet = e.examples.salten_2020_messy_path()
    assert main(["report", str(sheet), "--rejected", str(rejected), "--year", "2020"]) == 0
    assert "avviste 18" in capsys.readouterr().err
    table = pd.read_csv(rejected)
    assert list(table.columns) == ["Ark", "Rad", "Kolonne", "Verdi", "Årsak"]
    assert len(table) == 18


@pytest.mark.parametrize(
    ("args", "environment", "fragments"),
    [
        (["report", "-h"], {}, ["bruk:", "vis denne hjelpen", "Avslutningskode"]),
        (["report", "-h", "--locale", "nn"], {}, ["bruk:", "vis denne hjelpa", "argument"]),
        (["-h"], {"ETTERVERN_LOCALE": "en"}, ["usage:", "show this help", "Exit status"]),
    ],
)
def test_help_follows_the_locale(
    args: list[str],
    environment: dict[str, str],
    fragments: list[str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("ETTERVERN_LOCALE", raising=False)
    for name, value in environment.items():
        monkeypatch.setenv(name, value)
    with pytest.raises(SystemExit):
        main(args)
    out = capsys.readouterr().out
    for fragment in fragments:
        assert fragment in out


def test_a_closed_pipe_ends_quietly() -> None:
    reader = subprocess.Popen(
        [sys.executable, "-m", "ettervern", "report"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert reader.stdout is not None and reader.stderr is not None
    first = reader.stdout.readline()
    reader.stdout.close()  # what `| head -1` does
    err = reader.stderr.read()
    reader.stderr.close()
    assert reader.wait(timeout=60) == 0
    assert first.startswith("Årsrapport 2020 (publisert). Prikking:")  # names audience and rule
    assert "Broken pipe" not in err and "Errno 32" not in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("args", "locale", "expected"),
    [
        (["report", "--bogus"], "nb", "feil: ukjente argumenter: --bogus"),
        (["report", "--bogus"], "en", "error: unrecognized arguments: --bogus"),
        (["due"], "nn", "feil: desse argumenta må vere med: --on"),
        (["due", "--on", "x"], "nb", "feil: argument --on: ugyldig verdi: 'x'"),
        (["rapport"], "en", "error: argument COMMAND: invalid choice: 'rapport'"),
    ],
)
def test_usage_errors_follow_the_locale(
    args: list[str],
    locale: str,
    expected: str,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("ETTERVERN_LOCALE", locale)
    with pytest.raises(SystemExit) as info:
        main(args)
    assert info.value.code == 2
    assert expected in capsys.readouterr().err


def test_a_usage_error_never_repeats_an_identity_number(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ETTERVERN_LOCALE", "en")
    for args in (
        ["15038510190"],
        ["report", "--x", "150385-10190"],
        ["due", "--on", "15038510190"],
    ):
        with pytest.raises(SystemExit):
            main(args)
        err = capsys.readouterr().err
        assert "error:" in err
        assert "10190" not in err


def test_the_command_freezes_what_its_imports_made_and_main_does_not(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # gc.freeze() spares the collector's full passes the imported objects (a tenth of the
    # command's CPU); main(), which tests call in one long-lived process, must not freeze.
    from ettervern import __main__ as command

    frozen: list[bool] = []
    monkeypatch.setattr(gc, "freeze", lambda: frozen.append(True))
    assert command.main(["report", "--format", "csv"]) == 0
    assert frozen == []
    monkeypatch.setattr(command, "main", lambda: 7)
    assert command.run() == 7
    assert frozen == [True]
    pyproject = Path(__file__).resolve().parents[1] / "pyproject.toml"
    scripts = tomllib.loads(pyproject.read_text(encoding="utf-8"))["project"]["scripts"]
    assert scripts["ettervern"] == "ettervern.__main__:run"


def test_report_for_a_quarter(capsys: pytest.CaptureFixture[str]) -> None:
    """``--period``: the same tables for a quarter, titled with it in words (issue 32)."""
    command = ["report", "--period", "2020-Q3", "--locale", "en", "--format", "json"]
    assert main([*command, "--internal"]) == 0  # published, the quarter's total may be hidden
    import json

    report = json.loads(capsys.readouterr().out)
    assert report["period"] == ["2020-07-01", "2020-09-30"]
    frame = e.examples.salten_2020().log.to_frame()
    third = frame[(frame["date"] >= "2020-07-01") & (frame["date"] <= "2020-09-30")]
    driving = next(r for r in report["reports"] if r["key"] == "driving")
    assert driving["title"].endswith("3rd quarter 2020")
    hours = third[third["category"].astype(str) == "driving"]["hours"].sum()
    total = next(row for row in driving["rows"] if row["key"] == "Total")
    assert total["values"][-1] == pytest.approx(hours)
    assert main(["report", "--period", "2020-Q3", "--year", "2020"]) != 0


def test_pooling_the_small_members_publishes_the_teams_totals(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """Fauske has 10 of Salten's 16 referrals and the five others 1 or 2 each: the published
    total would give those away to Fauske, so it is hidden. Pooled as the cover proposes, the
    five are one row of 6 and the total of 16 is published."""
    small = ["Beiarn", "Gildeskål", "Meløy", "Saltdal", "Steigen"]
    assert main(["report", "--locale", "en"]) == 0
    plain = _table(capsys.readouterr().out, "Referrals and cases 2020")
    assert plain["Total"][0] == ":"
    assert main(["report", "--locale", "en", "--pool", *small]) == 0
    pooled = _table(capsys.readouterr().out, "Referrals and cases 2020")
    # Referrals: Fauske 10, the five pooled 6, the team 16. (The accepted cases of Fauske and
    # of the pool stay hidden: each pooled member knows its part of the pooled row.)
    assert pooled["Fauske"][0] == "10"
    assert pooled["Other members"][0] == "6"
    assert pooled["Total"][0] == "16"
    assert not set(small) & set(pooled)


def test_pooling_categories_publishes_the_follow_up_total(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """The cover proposes pooling the in-institution and follow-up hours: with them pooled,
    the user follow-up table's total of 529 h is published."""
    small = ["Beiarn", "Gildeskål", "Meløy", "Saltdal", "Steigen"]
    pooled = ["--pool", *small, "--pool-categories", "in_institution", "user_follow_up"]
    assert main(["report", "--locale", "en", *pooled]) == 0
    out = capsys.readouterr().out
    assert "pooling the categories" not in out  # applied: no longer proposed
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if "Other categories" in line)
    total = next(line for line in lines[start:] if line.startswith("Total"))
    assert total.split()[-1] == "529"


def test_the_internal_report_pools_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["report", "--internal", "--pool", "Beiarn", "--locale", "en"]) == 2
    assert "--internal and --pool cannot be used together" in capsys.readouterr().err


def _table(out: str, title: str) -> dict[str, list[str]]:
    """The rows of the text table headed ``title (unit)``: the row label (which may hold spaces) and
    its cells, split on runs of two or more spaces."""
    lines = out.splitlines()
    start = next(i for i, line in enumerate(lines) if line.startswith(f"{title} ("))
    rows: dict[str, list[str]] = {}
    for line in lines[start + 4 :]:
        if not line.strip() or line.startswith(("*", ":")):
            break
        label, *cells = re.split(r"\s{2,}", line.strip())
        rows[label] = cells
    return rows


def _two_sheets(tmp_path: Path) -> list[str]:
    """Salten's example year as two sheets: 2020 as bundled, and the same entries a year later
    (but administration, a category used until 2020)."""
    example = e.examples.salten_2020()
    frame = example.log.to_frame()
    frame = frame[frame["category"] != "administration"]
    later = frame.assign(date=frame["date"] + pd.DateOffset(years=1))
    second = e.TimeLog.from_frame(later, team=example.team)
    return [
        str(e.write_timelog(example.log, tmp_path / "timer-2020.csv")),
        str(e.write_timelog(second, tmp_path / "timer-2021.csv")),
    ]


def test_compare_two_sheets_internal(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """The sheets are read as one log; the same entries in both years: the change is 0."""
    sheets = _two_sheets(tmp_path)
    assert main(["compare", "2020", "2021", *sheets, "--internal", "--locale", "en"]) == 0
    captured = capsys.readouterr()
    assert captured.err.count("rejected 0") == 2  # each sheet's summary
    out = captured.out
    assert out.startswith("Annual report 2020–2021 (internal, not for publication).")
    driving = _table(out, "Driving 2020-2021")
    assert driving["Total"] == ["137", "137", "0"]
    assert driving["Beiarn"][0] == driving["Beiarn"][1] != ":"


def test_compare_published_with_its_loss_and_the_years_pooled(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Published by default, saying so; the loss and the proposal on the cover, and with
    ``--pool-years`` the referrals and cases of both years together as a table of its own."""
    example = e.examples.salten_2020()
    new = [
        e.Case.refer(f"0{n}/21-{letters}", on=dt.date(2021, 3, n), municipality=name)
        for n, (name, letters) in enumerate(
            [("Gildeskål", "GI"), ("Beiarn", "BE"), ("Meløy", "ME"), ("Saltdal", "SA")], start=1
        )
    ]
    accepted = [c.accept(on=dt.date(2021, 4, 1)) for c in new[:3]] + new[3:]
    cases = e.write_cases([*accepted, *example.cases], tmp_path / "saker.json")
    sheets = _two_sheets(tmp_path)
    argv = ["compare", "2020", "2021", *sheets, "--cases", str(cases), "--pool-years"]
    assert main(argv) == 0
    out = capsys.readouterr().out
    assert out.startswith("Årsrapport 2020–2021 (publisert). Prikking: Antall under 3 er skjult")
    assert "\nInformasjonstap: " in out
    words = " ".join(out.split())  # the cover is wrapped at 100 characters
    assert "Forslag: Henvisninger og saker 2020-2021: 85,3 % skjult; et tall for 2020–2021" in words
    assert "samlet ville publisere 3 celler" in words
    driving = _table(out, "Kjøring 2020-2021")
    assert driving["Beiarn"] == [":", ":", ":"]  # one person's driving: hidden in both years
    assert driving["Totalsum"] == ["137", "137", "0"]
    # the compared table, and the one of both years together
    assert out.count("\nHenvisninger og saker 2020-2021 (") == 2


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ([], "ingenting å rapportere for 2019: ingen timer ført og ingen sak åpen det året"),
        (["--member", "Bodø"], "Fauske"),  # an unknown member: the team's members named
        (["--pool-years", "--pool", "Beiarn", "Meløy", "--locale", "en"], "pool_years: years"),
        (["--internal", "--pool", "Beiarn"], "--internal og --pool kan ikke brukes sammen"),
    ],
)
def test_compare_refuses_with_one_line(
    args: list[str], message: str, capsys: pytest.CaptureFixture[str]
) -> None:
    """The bundled example is one year (2020): the year it lacks is named."""
    assert main(["compare", "2019", "2020", *args]) == 2
    err = capsys.readouterr().err
    assert message in err and "Traceback" not in err


def test_compare_for_one_member(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """``--member`` as for ``report``: the cover names the member, its own rows are exact in
    both years and their change (Fauske's 10 accepted cases of 2020, none in 2021)."""
    example = e.examples.salten_2020()
    cases = e.write_cases(example.cases, tmp_path / "saker.json")
    sheets = _two_sheets(tmp_path)
    argv = ["compare", "2020", "2021", *sheets, "--cases", str(cases), "--member", "Fauske"]
    assert main([*argv, "--pool-years"]) == 0
    out = capsys.readouterr().out
    assert out.startswith("Årsrapport 2020–2021 (til Fauske kommune). Prikking: ")
    title = "Henvisninger og saker 2020-2021"
    assert _table(out, title)["Fauske"][:2] == ["10", "-10"]  # 2021's 0 prints empty
    both = out[out.rindex(f"\n{title} (") :]  # the table of both years together
    assert _table(both, title)["Fauske"] == ["10", "10", "6"]
    assert all(_table(both, title)[m][0] == ":" for m in ("Beiarn", "Meløy", "Totalsum"))


def test_compare_help_follows_the_locale(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit):
        main(["compare", "--help", "--locale", "nn"])
    out = capsys.readouterr().out
    assert "dei to åra, det tidlegaste først" in out and "--pool-years" in out
