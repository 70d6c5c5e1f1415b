"""Who may read what: two teams in one PostgreSQL register, each with its own database role
under row-level security; neither role reads or writes the other team's rows."""

from __future__ import annotations

import itertools
import os

import attrs
import psycopg
import pytest
import sqlalchemy as sa

import ettervern as e
from ettervern.db import Register
from ettervern.errors import ConfigError, InvalidValueError, UnknownCaseError, UnknownTeamError

EXAMPLE = e.examples.salten_2020()
SALTEN = EXAMPLE.team
OTHER = attrs.evolve(SALTEN, name="Ettervernsteam i Ofoten")
KEY = "tests-only-register-key-0123456789"
_numbers = itertools.count()


def _as(url: str, role: str, *, driver: bool = False) -> str:
    changed = sa.make_url(url).set(username=role)
    if driver:
        changed = changed.set(drivername="postgresql")
    return changed.render_as_string(hide_password=False)


def _count(dsn: str, table: str) -> int:
    with psycopg.connect(dsn) as connection:
        row = connection.execute(f"SELECT count(*) FROM {table}").fetchone()
        assert row is not None
        return int(row[0])


def test_two_teams_roles_read_only_their_own_rows(postgres_url: str) -> None:
    suffix = f"{os.getpid()}_{next(_numbers)}"
    salten, ofoten = f"salten_{suffix}", f"ofoten_{suffix}"
    with Register(postgres_url, user="admin-1", key=KEY) as admin:
        with admin.engine.begin() as connection:
            for role in (salten, ofoten):
                connection.exec_driver_sql(f"CREATE ROLE {role} LOGIN IN ROLE ettervern_eraser")
        for team, role in ((SALTEN, salten), (OTHER, ofoten)):
            admin.add_team(team)
            admin.allow_role(team, role)
    cases = EXAMPLE.cases
    with Register(_as(postgres_url, salten), user="u-1", key=KEY) as mine:
        mine.add_entries(EXAMPLE.log, source="timer_2020.csv")
        mine.add_cases(cases, team=SALTEN.name)
    other_log = e.TimeLog.from_frame(EXAMPLE.log.to_frame().iloc[:100], team=OTHER)
    with Register(_as(postgres_url, ofoten), user="u-2", key=KEY) as theirs:
        theirs.add_entries(other_log, source="timer.csv")
        theirs.add_cases(cases[:3], team=OTHER.name)
        # Through the library: the other team does not exist for this role.
        assert theirs.teams() == [OTHER.name]
        with pytest.raises(UnknownTeamError):
            theirs.cases(SALTEN.name)
        assert len(theirs.cases(OTHER)) == 3
        assert len(theirs.timelog(OTHER)) == 100
        # Writing for the other team is refused by the policy, and so is erasing its case.
        with pytest.raises(ConfigError, match="refused the write for this role"):
            theirs.add_cases(cases[3:4], team=SALTEN)
        with pytest.raises(UnknownCaseError):
            theirs.erase_case(str(cases[5].code), team=OTHER)
    # Straight SQL as the other team's role: it can neither change nor add Salten's rows.
    with psycopg.connect(_as(postgres_url, ofoten, driver=True)) as raw:
        salten_id = 1  # the first team added
        assert raw.execute(f"DELETE FROM entries WHERE team_id = {salten_id}").rowcount == 0
        assert (
            raw.execute(f"UPDATE cases SET version = 0 WHERE team_id = {salten_id}").rowcount == 0
        )
        with pytest.raises(psycopg.errors.InsufficientPrivilege, match="row-level security"):
            raw.execute(
                "INSERT INTO imports (team_id, source, read, added, already, rejected, "
                f"recorded_by, recorded_at) VALUES ({salten_id}, 'x', 0, 0, 0, 0, 'u-2', now())"
            )
    # Straight SQL as each role: only its own rows, in every table that holds a team's data.
    expected = {
        salten: {"teams": 1, "cases": len(cases), "entries": len(EXAMPLE.log), "imports": 1},
        ofoten: {"teams": 1, "cases": 3, "entries": 100, "imports": 1},
    }
    for role, counts in expected.items():
        dsn = _as(postgres_url, role, driver=True)
        assert {table: _count(dsn, table) for table in counts} == counts
        events = sum(len(c.events) for c in (cases if role == salten else cases[:3]))
        assert _count(dsn, "events") == events
    # The owner sees both teams.
    with Register(postgres_url, user="admin-1", key=KEY) as admin:
        assert admin.teams() == sorted([SALTEN.name, OTHER.name])
        assert len(admin.cases(SALTEN)) == len(cases)
        assert admin.verify().ok


def test_roles_are_for_postgresql_only(tmp_path: object) -> None:
    with Register(":memory:", user="u-1") as register:
        register.add_team(SALTEN)
        with pytest.raises(ConfigError, match="the file is the unit of access"):
            register.allow_role(SALTEN, "salten")


def test_a_role_name_is_checked(postgres_url: str) -> None:
    with Register(postgres_url, user="u-1") as register:
        register.add_team(SALTEN)
        with pytest.raises(InvalidValueError, match="role name"):
            register.allow_role(SALTEN, "Robert'); DROP TABLE cases;--")
