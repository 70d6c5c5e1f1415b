"""The staff roster: FTE and periods by pseudonymous id, staff hours and capacity per person.

Salten (seed 000_…) could not show that four FTE work in the team and that two staff follow
every case; Sandnes (seed 004_…) gives the yardstick of 10 FTE for about 60 people.
"""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e

d = dt.date
YEAR = (d(2020, 1, 1), d(2020, 12, 31))


def full_time(*ids: str) -> list[e.StaffMember]:
    return [e.StaffMember(i, [e.Employment(since=d(2020, 1, 1), fte=1.0)]) for i in ids]


def test_fte_and_periods_of_employment() -> None:
    roster = e.interchange.roster_from_dict(
        {
            "staff": [
                {"id": "KB", "periods": [{"since": "2020-01-01", "fte": 1.0}]},
                {
                    "id": "AH",
                    "periods": [
                        {"since": "2020-01-01", "until": "2020-06-30", "fte": 0.5},
                        {"since": "2020-07-01", "fte": 1.0},
                    ],
                },
            ]
        }
    )
    assert roster.fte_on(d(2020, 3, 1)) == 1.5
    assert roster.fte_on(d(2020, 9, 1)) == 2.0
    assert roster.member("AH").fte_in(*YEAR) == pytest.approx((182 * 0.5 + 184) / 366)
    with pytest.raises(e.errors.InvalidValueError, match="no staff"):
        roster.member("XY")
    with pytest.raises(e.errors.ConfigError):
        e.interchange.roster_from_dict({"staff": [{"id": "Kari Nordmann", "periods": []}]})
    with pytest.raises(e.errors.InvalidValueError, match="more than once"):
        e.Roster(full_time("KB", "KB"))
    with pytest.raises(e.errors.InvalidValueError, match="at most 1"):
        e.Employment(since=d(2020, 1, 1), fte=1.5)
    with pytest.raises(e.errors.InvalidValueError, match="before since"):
        e.Employment(since=d(2020, 1, 1), until=d(2019, 1, 1))


@given(st.lists(st.sampled_from([0.2, 0.5, 0.8, 1.0]), min_size=1, max_size=6))
def test_the_team_fte_is_the_sum_of_its_members(ftes: list[float]) -> None:
    roster = e.Roster(
        [
            e.StaffMember(f"s{i}", [e.Employment(since=d(2020, 1, 1), fte=f)])
            for i, f in enumerate(ftes)
        ]
    )
    assert roster.fte_in(*YEAR) == pytest.approx(sum(ftes))


def salten_year() -> tuple[list[e.Case], e.TimeLog, e.Roster]:
    """Two cases, each followed by two of four staff; one entry with two present but one assigned,
    one shared entry."""
    one = (
        e.Case.refer("01/20-FA", on=d(2020, 2, 3), municipality="Fauske")
        .accept(on=d(2020, 2, 3))
        .assign_staff("KB", on=d(2020, 2, 3), coordinator=True)
        .assign_staff("AH", on=d(2020, 2, 3))
    )
    two = (
        e.Case.refer("01/20-ME", on=d(2020, 3, 2), municipality="Meløy")
        .accept(on=d(2020, 3, 2))
        .assign_staff("TO", on=d(2020, 3, 2))
    )
    rows = [
        ("01/20-FA", d(2020, 2, 4), "Fauske", "user_follow_up", 3.0, 2),  # KB 3, AH 3
        ("01/20-FA", d(2020, 2, 5), "Fauske", "driving", 2.0, 2),  # KB 2, AH 2
        ("01/20-ME", d(2020, 3, 3), "Meløy", "user_follow_up", 1.5, 2),  # TO 1.5, 1.5 unattributed
        (None, d(2020, 3, 4), "Felles", "supervision", 1.0, 4),  # 4 unattributed
    ]
    frame = pd.DataFrame(
        rows, columns=["case", "date", "municipality", "category", "hours", "staff"]
    )
    roster = e.Roster(full_time("KB", "AH", "TO", "MS"))
    return [one, two], e.TimeLog.from_frame(frame, team=e.teams.salten()), roster


def test_staff_hours_and_capacity_per_person() -> None:
    cases, log, roster = salten_year()
    annual = e.annual_report(log, cases, year=2020, roster=roster, audience="internal")
    staff = annual["staff"].to_frame(labels=False)
    assert staff.loc["KB", "staff_hours"] == 5
    assert staff.loc["AH", "staff_hours"] == 5
    assert staff.loc["TO", "staff_hours"] == 1.5
    assert staff.loc["unattributed", "staff_hours"] == 5.5
    assert pd.isna(staff.loc["MS", "staff_hours"]) or staff.loc["MS", "staff_hours"] == 0
    assert staff.loc["KB", "fte"] == 1
    assert staff.loc["KB", "available_hours"] == pytest.approx(
        e.tables.HOURS_PER_FTE * 366 / 365.25
    )
    assert staff.loc["KB", "people"] == 1
    assert staff.loc["Total", "fte"] == 4
    assert staff.loc["Total", "staff_hours"] == 17  # 3 × 2 + 2 × 2 + 1.5 × 2 + 1 × 4
    assert staff.loc["Total", "people"] == 2
    assert "24" in annual["staff"].notes_in("en")[1]  # 4 FTE × 6 people per FTE


def test_the_sandnes_yardstick_ten_fte_for_sixty_people() -> None:
    roster = e.Roster(full_time(*(f"s{i}" for i in range(10))))
    cases = [
        e.Case.refer(f"{i + 1:02d}/20-FA", on=d(2020, 1, 6), municipality="Fauske")
        .accept(on=d(2020, 1, 6))
        .assign_staff(f"s{i % 10}", on=d(2020, 1, 6))
        for i in range(60)
    ]
    table = e.tables.staff_report(
        e.TimeLog.empty(e.teams.salten()).to_frame(),
        cases,
        roster,
        team=None,
        period=YEAR,
        hours_per_fte=e.tables.HOURS_PER_FTE,
    )
    assert (
        table.to_frame(labels=False).loc["Total", "people_per_fte"] == e.tables.PEOPLE_PER_FTE == 6
    )
    assert table.value("s0", "people_per_fte") == 6


def test_the_two_staff_rule_is_a_warning_on_the_due_list() -> None:
    cases, _, _ = salten_year()
    rows = e.due_list(cases, on=d(2020, 3, 10), team=e.teams.salten(), locale="nb")
    warnings = rows[rows["status"] == "warning"]
    assert list(warnings["code"]) == ["01/20-ME"]
    assert list(warnings["milestone"]) == ["staff_per_case"]
    assert warnings.iloc[0]["days_left"] == 0
    # Without a team there is no rule to break.
    assert "warning" not in set(e.due_list(cases, on=d(2020, 3, 10))["status"])
