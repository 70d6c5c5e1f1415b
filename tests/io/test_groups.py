"""Attendance sheets read as teams keep them (issue 32): every line accepted or rejected with
its rule, nothing dropped, no identity number echoed; the group log as JSON and CSV and back."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from ettervern.events import GroupLog, GroupSession
from ettervern.interchange import (
    group_log_from_json,
    group_log_to_json,
    read_group_sessions,
    write_group_sessions,
)

D = dt.date
TEAM = attrs.evolve(e.teams.salten(), future_days=7)


def _cases() -> list[e.Case]:
    open_case = e.Case.refer("01/20-FA", on=D(2020, 3, 2), municipality="Fauske").accept(
        on=D(2020, 3, 3)
    )
    closed = (
        e.Case.refer("02/20-FA", on=D(2020, 3, 2), municipality="Fauske")
        .accept(on=D(2020, 3, 3))
        .close(on=D(2020, 3, 10), reason="completed")
    )
    return [open_case, closed]


def test_a_sheet_gives_sessions_and_every_bad_line_with_its_rule(tmp_path: Path) -> None:
    sheet = tmp_path / "oppmøte.csv"
    sheet.write_text(
        "Dato;Tilbud;Sak\n"
        "04.03.2020;group_offer;01/20-FA, 02/20-FA\n"  # two people, one line
        "11.03.2020;group_offer;01/20-FA\n"
        "11.03.2020;group_offer;02/20-FA\n"  # closed the day before
        "11.03.2020;group_offer;01/20-FA\n"  # the same person twice
        "12.03.2020;group_offer;03/20-FA\n"  # no such case
        "31.02.2020;group_offer;01/20-FA\n"  # no such day
        "13.03.2020;group_offer;\n"  # nobody named
        "13.03.2020;group_offer;12345678901\n"  # an identity number
        "13.03.2020;group_offer;FA-1\n",  # not a code
        encoding="utf-8",
    )
    result = read_group_sessions(sheet, team=TEAM, cases=_cases())
    assert [(s.on, s.attendees) for s in result.accepted] == [
        (D(2020, 3, 4), ("01/20-FA", "02/20-FA")),
        (D(2020, 3, 11), ("01/20-FA",)),
    ]
    rejected = result.rejected_in("en")
    assert rejected[["row", "rule"]].values.tolist() == [
        [4, "attendee_not_open"],
        [5, "twice"],
        [6, "unknown_case"],
        [7, "date"],
        [8, "case_missing"],
        [9, "identity"],
        [10, "code_scheme"],
    ]
    assert "12345678901" not in rejected.to_string()
    assert "3 attendances accepted; 7 lines rejected" in result.summary("en")


def test_a_sheet_without_a_case_column_is_refused(tmp_path: Path) -> None:
    sheet = tmp_path / "g.csv"
    sheet.write_text("Dato;Tilbud\n04.03.2020;group_offer\n", encoding="utf-8")
    with pytest.raises(e.errors.ConfigError):
        read_group_sessions(sheet, team=TEAM, cases=_cases())


@given(
    attend=st.lists(
        st.tuples(st.integers(min_value=0, max_value=5), st.booleans(), st.booleans()),
        max_size=6,
    ),
    locale=st.sampled_from(["nb", "nn", "en"]),
)
def test_a_log_written_reads_back_the_same(
    attend: list[tuple[int, bool, bool]], locale: str, tmp_path_factory: pytest.TempPathFactory
) -> None:
    codes = ["01/20-FA", "02/20-FA"]
    sessions = {}
    for offset, first, second in attend:
        day = D(2020, 3, 4) + dt.timedelta(days=offset)
        came = [c for c, yes in zip(codes, (first, second), strict=True) if yes]
        if came and (day, "group_offer") not in sessions:
            sessions[(day, "group_offer")] = came
    cases = [c.reopen(on=D(2020, 3, 11)) if c.closed_on else c for c in _cases()]
    log = GroupLog(GroupSession(day, offer, came) for (day, offer), came in sessions.items())
    assert group_log_from_json(group_log_to_json(log)) == log
    path = write_group_sessions(log, tmp_path_factory.mktemp("g") / "g.csv", locale=locale)
    back = read_group_sessions(path, team=TEAM, cases=cases)
    if any(day >= D(2020, 3, 10) for day, _ in sessions):
        return  # the closed case is not open between its closure and reopening
    assert not back.rejected
    assert back.accepted == log


def test_json_that_is_no_group_log_is_refused() -> None:
    with pytest.raises(e.errors.ConfigError):
        group_log_from_json('{"format": "other"}')
    with pytest.raises(e.errors.ConfigError):
        group_log_from_json("[1, 2]")


def test_an_offer_that_looks_like_a_formula_is_written_safely_and_read_back(
    tmp_path: Path,
) -> None:
    log = GroupLog([GroupSession(D(2020, 3, 4), "=1+1", ["01/20-FA"])])
    path = write_group_sessions(log, tmp_path / "g.csv")
    assert "'=1+1" in path.read_text(encoding="utf-8-sig")
    assert read_group_sessions(path, team=TEAM, cases=_cases()).accepted == log


# -- the same sheet as .xlsx, and a group log as JSON, through the one reader -----------------

LINES = [
    ["Dato", "Tilbud", "Sak"],
    ["04.03.2020", "group_offer", "01/20-FA, 02/20-FA"],
    ["11.03.2020", "group_offer", "02/20-FA"],  # closed the day before
    ["12.03.2020", "group_offer", "03/20-FA"],  # no such case
    ["13.03.2020", "group_offer", "12345678901"],  # an identity number
]


def test_an_xlsx_sheet_reads_as_its_csv(tmp_path: Path) -> None:
    pytest.importorskip("openpyxl")
    import openpyxl

    workbook = openpyxl.Workbook()
    sheet = workbook.active
    assert sheet is not None
    for line in LINES:
        sheet.append(line)
    sheet["A2"] = D(2020, 3, 4)  # a real date cell, as Excel keeps a typed date
    workbook.save(tmp_path / "oppmøte.xlsx")
    (tmp_path / "oppmøte.csv").write_text(
        "\n".join(";".join(line) for line in LINES) + "\n", encoding="utf-8"
    )
    from_xlsx = read_group_sessions(tmp_path / "oppmøte.xlsx", team=TEAM, cases=_cases())
    from_csv = read_group_sessions(tmp_path / "oppmøte.csv", team=TEAM, cases=_cases())
    assert from_xlsx.accepted == from_csv.accepted
    assert len(from_xlsx.accepted) == 1
    assert from_xlsx.rejected_in("en").equals(from_csv.rejected_in("en"))
    assert len(from_xlsx.rejected) == 3
    assert "12345678901" not in from_xlsx.rejected_in("en").to_string()


def test_a_group_log_as_json_reads_through_the_sheet_reader(tmp_path: Path) -> None:
    log = GroupLog(
        [
            GroupSession(on=D(2020, 3, 4), offer="group_offer", attendees=("01/20-FA", "02/20-FA")),
            GroupSession(
                on=D(2020, 3, 11), offer="group_offer", attendees=("01/20-FA", "02/20-FA")
            ),
        ]
    )
    path = tmp_path / "grupper.json"
    path.write_text(group_log_to_json(log), encoding="utf-8")
    read = read_group_sessions(path, team=TEAM, cases=_cases())
    assert [(s.on, s.attendees) for s in read.accepted] == [
        (D(2020, 3, 4), ("01/20-FA", "02/20-FA")),
        (D(2020, 3, 11), ("01/20-FA",)),
    ]
    assert [r.rule for r in read.rejected] == ["attendee_not_open"]
