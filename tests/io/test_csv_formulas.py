"""Every CSV file the library writes neutralises formulas (OWASP CSV injection; issue 31)."""

from __future__ import annotations

import ast
import csv
import datetime as dt
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest

import ettervern as e
from ettervern.__main__ import main

SRC = Path(e.__file__).parent

PAYLOADS = ('=HYPERLINK("http://example.com","x")', "@SUM(1+1)", "+cmd|' /C calc'!A0")
DANGEROUS = ("=", "+", "-", "@", "\t", "\r")


def _hostile_team() -> e.Team:
    """Salten with a formula for a name and for three category names."""
    team = e.teams.salten()
    names = dict(zip(("driving", "user_follow_up", "collaboration"), PAYLOADS, strict=True))
    categories = [
        attrs.evolve(c, name=names[c.key]) if c.key in names else c
        for c in team.categories.categories
    ]
    return attrs.evolve(
        team, name=PAYLOADS[2], categories=e.CategoryCatalog(team.categories.name, categories)
    )


def _log(team: e.Team) -> e.TimeLog:
    entries = [
        e.TimeEntry(
            case=None,
            date=dt.date(2020, 1, 2 + i),
            municipality=team.municipality("FA"),
            category=team.categories.get(key),
            hours=1.5,
            staff=2,
        )
        for i, key in enumerate(("driving", "user_follow_up", "collaboration"))
    ]
    return e.TimeLog.from_entries(entries, team=team)


def _rejected_sheet(directory: Path) -> Path:
    rows = ["Sak;Dato;Kommune;Hendelse;Tidsbruk", "01/20-FA;02.01.2020;Fauske;Kjøring;-3"]
    rows += [f'"{p.replace(chr(34), chr(34) * 2)}";02.01.2020;Fauske;Kjøring;1' for p in PAYLOADS]
    path = directory / "sheet.csv"
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    return path


def _write_timelog(directory: Path, formulas: str) -> list[Path]:
    return [e.write_timelog(_log(_hostile_team()), directory / "log.csv", formulas=formulas)]  # type: ignore[arg-type]


def _write_fte_csv(directory: Path, formulas: str) -> list[Path]:
    table = e.tables.fte_report(
        _log(_hostile_team()), period=2020, hours_per_fte=1695.0, audience="internal"
    )
    return e.tables.write_fte_csv(table, directory / "fte", formulas=formulas)  # type: ignore[arg-type]


def _cli_rejected(directory: Path, formulas: str) -> list[Path]:
    out = directory / "rejected.csv"
    sheet = str(_rejected_sheet(directory))
    main(["report", sheet, "--year", "2020", "--rejected", str(out), "--csv-formulas", formulas])
    return [out]


def _cli_report(directory: Path, formulas: str) -> list[Path]:
    team = e.write_team(_hostile_team(), directory / "team.toml")
    sheet = e.write_timelog(_log(_hostile_team()), directory / "log.csv")
    out = directory / "report.csv"
    options = ["--format", "csv", "--out", str(out), "--csv-formulas", formulas]
    main(["report", str(sheet), "--team", str(team), "--year", "2020", *options])
    return [out]


def _write_group_sessions(directory: Path, formulas: str) -> list[Path]:
    sessions = [
        e.events.GroupSession(dt.date(2020, 1, 2 + i), offer, ["01/20-FA"])
        for i, offer in enumerate(PAYLOADS)
    ]
    log = e.events.GroupLog(sessions)
    path = directory / "groups.csv"
    return [e.interchange.write_group_sessions(log, path, formulas=formulas)]  # type: ignore[arg-type]


WRITERS: dict[str, Callable[[Path, str], list[Path]]] = {
    "_io/_groups.py:write_group_sessions": _write_group_sessions,
    "_io/_sheets.py:write_timelog": _write_timelog,
    "_reports/_fte.py:write_fte_csv": _write_fte_csv,
    "__main__.py:_read_sheets": _cli_rejected,
    "__main__.py:_write": _cli_report,
}
"""Each function of the library that writes CSV, and how to make it write the payloads."""


def _csv_writers() -> set[str]:
    """Every function in src/ that calls ``to_csv`` or ``csv.writer``, found by reading it."""
    found = set()
    for path in SRC.rglob("*.py"):
        for function in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            if not isinstance(function, ast.FunctionDef):
                continue
            for node in ast.walk(function):
                called = getattr(node, "func", None)
                if getattr(called, "attr", None) in ("to_csv", "writer", "DictWriter"):
                    found.add(f"{path.relative_to(SRC).as_posix()}:{function.name}")
    return found


def test_every_csv_writer_is_tested() -> None:
    assert _csv_writers() == set(WRITERS)


def _cells(paths: list[Path]) -> list[str]:
    cells = []
    for path in paths:
        text = path.read_text(encoding="utf-8-sig")
        separator = ";" if text.count(";") > text.count(",") else ","
        cells += [
            cell for row in csv.reader(text.splitlines(), delimiter=separator) for cell in row
        ]
    return cells


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_no_csv_writer_writes_a_formula(writer: str, tmp_path: Path) -> None:
    cells = _cells(WRITERS[writer](tmp_path, "escape"))
    escaped = [cell for cell in cells if cell.startswith("'") and cell[1:] in PAYLOADS]
    assert escaped, "the payloads reach the file"
    formulas = [cell for cell in cells if cell.startswith(DANGEROUS)]
    numbers = [
        cell for cell in formulas if cell.lstrip("+-").replace(",", "").replace(".", "").isdigit()
    ]
    assert formulas == numbers  # a negative number is a number, not a formula


@pytest.mark.parametrize("writer", sorted(WRITERS))
def test_formulas_keep_writes_the_text_as_it_is(writer: str, tmp_path: Path) -> None:
    cells = _cells(WRITERS[writer](tmp_path, "keep"))
    assert {cell for cell in cells if cell in PAYLOADS}
    assert not [cell for cell in cells if cell.startswith("'") and cell[1:] in PAYLOADS]
