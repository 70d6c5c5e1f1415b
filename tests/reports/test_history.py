"""A sheet from before the 2020 reform imports and compares with the year after it."""

from __future__ import annotations

import datetime as dt
import io

import ettervern as e

SHEET_2019 = """Sak;Dato;Kommune;Hendelse;Tidsbruk
01/19-HA;05.03.2019;Tysfjord;Brukeroppfølging;2
;06.03.2019;Finnøy;Kjøring;1,5
;07.03.2019;1849;Kjøring;1
"""
SHEET_2020 = """Sak;Dato;Kommune;Hendelse;Tidsbruk
01/20-HA;05.03.2020;Hamarøy;Brukeroppfølging;3
;06.03.2020;Stavanger;Kjøring;2
"""


def team() -> e.Team:
    """A team serving the successors of Tysfjord (in part) and Finnøy."""
    return e.Team(
        name="Testteam",
        host=e.municipality("Hamarøy"),
        members=[
            e.Membership(e.municipality("Hamarøy"), "HA"),
            e.Membership(e.municipality("Stavanger"), "SV"),
        ],
        categories=e.teams.salten().categories,
    )


def read(text: str, name: str) -> e.ImportResult:
    source = io.BytesIO(text.encode("utf-8"))
    source.name = name
    return e.read_timelog(source, team=team(), format="csv")


def test_a_2019_sheet_with_tysfjord_and_finnoy_imports_and_names_the_mapping() -> None:
    result = read(SHEET_2019, "timer_2019.csv")
    assert len(result.accepted) == 3
    assert result.rejected.empty
    assert dict(result.renamed) == {"Tysfjord": "Hamarøy", "Finnøy": "Stavanger", "1849": "Hamarøy"}
    frame = result.accepted.to_frame()
    assert list(frame["municipality"]) == ["Hamarøy", "Stavanger", "Hamarøy"]
    assert str(result) == (
        "timer_2019.csv: read 3 rows, accepted 3, rejected 0; old municipalities mapped to "
        "their successors: Hamarøy (1849) → Hamarøy (1875): merger 2020-01-01, "
        "Finnøy (1141) → Stavanger (1103): merger 2020-01-01, "
        "Tysfjord (1850) → Hamarøy (1875): split 2020-01-01; read as UTF-8"
    )
    assert "Finnøy (1141) → Stavanger (1103): sammenslåing 01.01.2020" in result.summary("nb")
    assert "Tysfjord (1850) → Hamarøy (1875): deling" in result.summary("nn")


def test_compare_years_across_the_reform_lines_rows_up_and_says_how() -> None:
    log = read(SHEET_2019, "2019.csv").accepted + read(SHEET_2020, "2020.csv").accepted
    compared = {
        r.key: r for r in e.compare_years(log, years=(2019, 2020), team=team(), audience="internal")
    }
    driving = compared["driving_compared"]
    frame = driving.to_frame("en")
    assert list(frame.index) == ["Hamarøy", "Stavanger", "Total"]
    assert frame.loc["Stavanger", "Driving 2019"] == 1.5
    assert frame.loc["Stavanger", "Driving 2020"] == 2.0
    assert frame.loc["Hamarøy", "Driving change"] == -1.0
    assert "counted under the municipality that carries them on" in driving.notes_in("en")[-1]
    assert (
        "Finnøy (1141) → Stavanger (1103): merger 2020-01-01"
        in (driving.filters["municipality_changes"])
    )
    follow_up = compared["user_follow_up_compared"].to_frame("en")
    assert follow_up.loc["Hamarøy", "User follow-up 2019"] == 2.0


def test_years_without_a_change_between_them_get_no_note() -> None:
    log = read(SHEET_2020, "2020.csv").accepted
    later = e.TimeLog.from_frame(
        log.to_frame().assign(date=lambda f: f["date"] + dt.timedelta(days=366)), team=team()
    )
    compared = e.compare_years(log + later, years=(2020, 2021), team=team())
    assert all("municipality_changes" not in r.filters for r in compared)
