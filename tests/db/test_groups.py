"""The group log in the register (issue 32), on SQLite and the real PostgreSQL server: stored
once, read back as it was given, refused by the group log's rules, erased with the case."""

from __future__ import annotations

import datetime as dt

import pytest

import ettervern as e
from ettervern.db import Register
from ettervern.events import GroupLog, GroupSession

JAEREN = e.examples.jaeren_2019()


def test_the_group_log_is_stored_and_read_back(url: str) -> None:
    march = JAEREN.groups.between(dt.date(2019, 3, 1), dt.date(2019, 3, 31))
    attendances = sum(len(s.attendees) for s in march)
    with Register(url, user="u-1") as register:
        register.add_cases(JAEREN.cases, team=JAEREN.team)
        assert register.add_group_sessions(march, team=JAEREN.team) == attendances
        assert register.add_group_sessions(march, team=JAEREN.team) == 0  # stored once
        back = register.group_log(JAEREN.team.name)
        assert back == march  # the oracle: the log given, sessions by day and offer
        assert {r.action for r in register.access_log()} >= {"add_groups"}


def test_a_session_the_rules_refuse_is_not_stored(url: str) -> None:
    stranger = GroupLog(
        [GroupSession(on=dt.date(2019, 3, 4), offer="x", attendees=("KL-2019-099",))]
    )
    with Register(url, user="u-1") as register:
        register.add_cases(JAEREN.cases, team=JAEREN.team)
        with pytest.raises(e.errors.PathwayError) as refused:
            register.add_group_sessions(stranger, team=JAEREN.team)
        assert refused.value.rule == "unknown_case"
        assert len(register.group_log(JAEREN.team)) == 0


def test_erasing_a_case_erases_its_attendance(url: str) -> None:
    with Register(url, user="u-1") as register:
        register.add_cases(JAEREN.cases, team=JAEREN.team)
        register.add_group_sessions(JAEREN.groups, team=JAEREN.team)
        code = next(s.attendees[0] for s in JAEREN.groups if s.attendees)
        register.erase_case(code, team=JAEREN.team)
        left = register.group_log(JAEREN.team)
        assert all(code not in s.attendees for s in left)
        assert len(left) == len(JAEREN.groups)  # the sessions themselves stay
        others = sum(len(s.attendees) for s in JAEREN.groups) - sum(
            code in s.attendees for s in JAEREN.groups
        )
        assert sum(len(s.attendees) for s in left) == others
