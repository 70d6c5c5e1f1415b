"""A tamper-evident audit trail: records altered or deleted directly in the database break the
hash chain, and ``verify()`` (and ``audit()``) name the first broken link, on both databases.
On PostgreSQL the application's roles cannot UPDATE or DELETE audit rows at all."""

from __future__ import annotations

import itertools
from collections.abc import Iterator

import psycopg
import pytest
import sqlalchemy as sa

import ettervern as e
from ettervern.db import Register

EXAMPLE = e.examples.salten_2020()
TEAM = EXAMPLE.team
KEY = "tests-only-register-key-0123456789"
_roles = itertools.count()


@pytest.fixture
def register(url: str) -> Iterator[Register]:
    with Register(url, user="u-17", key=KEY) as opened:
        opened.add_entries(EXAMPLE.log, source="timer_2020.csv")
        opened.add_cases(EXAMPLE.cases[:4], team=TEAM)
        yield opened


def _tamper(register: Register, *statements: str) -> None:
    """Run SQL as someone who may get round the append-only triggers (the file's owner on
    SQLite, a superuser on PostgreSQL)."""
    with register.engine.begin() as connection:
        if register.engine.dialect.name == "postgresql":
            connection.exec_driver_sql("ALTER TABLE audit DISABLE TRIGGER USER")
        else:
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_no_update")
            connection.exec_driver_sql("DROP TRIGGER IF EXISTS audit_no_delete")
        for statement in statements:
            connection.exec_driver_sql(statement)


def _numbers(register: Register) -> list[int]:
    return [record.number for record in register.access_log()]


def test_an_untouched_chain_holds(register: Register) -> None:
    check = register.verify()
    assert check.ok
    assert (check.records, check.first_broken) == (len(register.access_log()), None)
    assert len(check.head) == 64
    assert all(record.intact for record in register.access_log())


def test_an_altered_record_is_named(register: Register) -> None:
    third = _numbers(register)[2]
    _tamper(register, f"UPDATE audit SET user_id = 'someone-else' WHERE id = {third}")
    assert register.verify().first_broken == third
    trail = register.access_log()
    assert [r.intact for r in trail] == [r.number < third for r in trail]


def test_a_deleted_record_breaks_the_next_link(register: Register) -> None:
    first, second = _numbers(register)[:2]
    _tamper(register, f"DELETE FROM audit WHERE id = {first}")
    assert register.verify().first_broken == second


def test_counts_changed_in_the_middle_are_named(register: Register) -> None:
    numbers = _numbers(register)
    _tamper(register, f"UPDATE audit SET entries = 1 WHERE id = {numbers[-2]}")
    assert register.verify().first_broken == numbers[-2]


def test_a_keyed_chain_cannot_be_rewritten_without_the_key(register: Register) -> None:
    # The attacker recomputes every link as an unkeyed chain would have them: in vain.
    import hashlib

    with register.engine.connect() as connection:
        rows = connection.exec_driver_sql(
            "SELECT id, at, user_id, action, team_id, case_id, events, entries, role FROM audit "
            "ORDER BY id"
        ).all()
    previous, updates = "", []
    for row in rows:
        fields = [previous, "x", row.user_id, "forged", *(str(v) for v in row[4:])]
        previous = hashlib.sha256("\x1f".join(fields).encode()).hexdigest()
        updates.append(
            f"UPDATE audit SET action = 'forged', link = '{previous}' WHERE id = {row.id}"
        )
    _tamper(register, *updates)
    assert register.verify().first_broken == rows[0].id


def test_the_triggers_refuse_update_and_delete(register: Register) -> None:
    for statement in ("UPDATE audit SET user_id = 'x'", "DELETE FROM audit"):
        with (
            pytest.raises(sa.exc.DatabaseError, match="append-only"),
            register.engine.begin() as connection,
        ):
            connection.exec_driver_sql(statement)
    assert register.verify().ok


def test_the_application_role_may_not_update_or_delete_audit_rows(postgres_url: str) -> None:
    role = f"app_{next(_roles)}_{id(postgres_url) % 10_000}"
    with Register(postgres_url, user="admin-1", key=KEY) as admin:
        admin.add_team(TEAM)
        admin.allow_role(TEAM, role)
        with admin.engine.begin() as connection:
            connection.exec_driver_sql(f"CREATE ROLE {role} LOGIN IN ROLE ettervern_writer")
    as_app = sa.make_url(postgres_url).set(username=role)
    with Register(as_app.render_as_string(hide_password=False), user="u-9", key=KEY) as app:
        app.add_cases(EXAMPLE.cases[:2], team=TEAM.name)
        trail = app.access_log()
        # The server records who connected; the application chooses only the pseudonymous id.
        assert (trail[-1].user, trail[-1].role) == ("u-9", role)
        assert trail[0].role == "ettervern"
        dsn = as_app.set(drivername="postgresql").render_as_string(hide_password=False)
        for statement in (
            "UPDATE audit SET user_id = 'x'",
            "DELETE FROM audit",
            "TRUNCATE audit",
            "ALTER TABLE audit DISABLE TRIGGER USER",
        ):
            with psycopg.connect(dsn) as raw, pytest.raises(psycopg.errors.InsufficientPrivilege):
                raw.execute(statement)
        assert app.verify().ok
