"""Erasure of a case (GDPR art. 17) and the retention rule: a case, its events and its time
entries are removed in one transaction, and the audit trail keeps only that it happened.

What stays must not let anyone rebuild or confirm what was erased:

- re-import protection is kept only as keyed digests (HMAC-SHA256 under the register's key,
  which the database does not hold) of the erased entries' row keys; a register without a key
  keeps none, and importing the same rows again brings them back;
- on SQLite every connection runs with ``secure_delete`` (deleted content is overwritten with
  zeros), and after the erasure the write-ahead log is checkpointed and truncated, so neither
  the database file nor its ``-wal`` holds the erased rows, before ``close()`` too;
- on PostgreSQL the touched tables are vacuumed after the erasure when the role owns them, so
  the dead rows leave the tables' pages for reuse; the server's WAL, its archive and backups
  keep them until they expire (docs/register.md says what that means).
"""

from __future__ import annotations

import datetime as dt

import sqlalchemy as sa
from dateutil.relativedelta import relativedelta

from ettervern._core import BETWEEN, CaseCode, Team, check_field
from ettervern.db._audit import log as audit
from ettervern.db._cases import code_text
from ettervern.db._connection import Store
from ettervern.db._keys import digest
from ettervern.db._schema import CASES, ENTRIES, ERASED, EVENTS, GROUP_ATTENDANCE, GROUP_SESSIONS
from ettervern.db._teams import team_id_of
from ettervern.db._values import Erasure
from ettervern.errors import UnknownCaseError

__all__ = ["apply_retention", "erase_case", "scrub"]


def _erase(
    store: Store,
    connection: sa.Connection,
    team_id: int,
    code: str,
    *,
    case_id: int | None,
    action: str,
) -> Erasure:
    entries = ENTRIES.c.team_id == team_id, ENTRIES.c.case_code == code
    if store.key is not None:
        keys = connection.scalars(sa.select(ENTRIES.c.row_key).where(*entries))
        tombstones = [{"team_id": team_id, "digest": digest(store.key, k)} for k in keys]
        if tombstones:
            connection.execute(store.insert(ERASED).on_conflict_do_nothing(), tombstones)
    removed_entries = connection.execute(sa.delete(ENTRIES).where(*entries)).rowcount
    sessions = sa.select(GROUP_SESSIONS.c.id).where(GROUP_SESSIONS.c.team_id == team_id)
    connection.execute(  # the person's attendance at the group goes with the case
        sa.delete(GROUP_ATTENDANCE).where(
            GROUP_ATTENDANCE.c.case_code == code, GROUP_ATTENDANCE.c.session_id.in_(sessions)
        )
    )
    removed_events = 0
    if case_id is not None:
        removed_events = connection.execute(
            sa.delete(EVENTS).where(EVENTS.c.case_id == case_id)
        ).rowcount
        connection.execute(sa.delete(CASES).where(CASES.c.id == case_id))
    audit(
        store,
        connection,
        action,
        team_id=team_id,
        case_id=case_id,
        events=removed_events,
        entries=removed_entries,
    )
    return Erasure(cases=int(case_id is not None), events=removed_events, entries=removed_entries)


def erase_case(store: Store, code: CaseCode | str, *, team: Team | str) -> Erasure:
    """Remove a case, its events and its time entries, in one transaction."""
    with store.write() as connection:
        team_id, team_value = team_id_of(store, connection, team)
        text = code_text(team_value, code)
        case_id = connection.scalar(
            sa.select(CASES.c.id).where(CASES.c.team_id == team_id, CASES.c.code == text)
        )
        erasure = _erase(store, connection, team_id, text, case_id=case_id, action="erase")
        if not erasure.cases and not erasure.entries:
            raise UnknownCaseError(text, where=team_value.name)
    scrub(store)
    return erasure


def apply_retention(store: Store, team: Team | str, *, years: int, today: dt.date) -> Erasure:
    """Erase every case that ended more than ``years`` years before ``today``."""
    check_field(0 <= years <= 200, BETWEEN, field="years", value=years, low=0, high=200)
    cutoff = today - relativedelta(years=years)
    total = Erasure(cases=0, events=0, entries=0)
    with store.write() as connection:
        team_id, _ = team_id_of(store, connection, team)
        old = connection.execute(
            sa.select(CASES.c.id, CASES.c.code).where(
                CASES.c.team_id == team_id, CASES.c.ended_on < cutoff
            )
        ).all()
        for case_id, code in old:
            total += _erase(store, connection, team_id, code, case_id=case_id, action="retention")
    if total.cases:
        scrub(store)
    return total


_VACUUMED = ("entries", "events", "cases", "group_attendance")


def scrub(store: Store) -> None:
    """After an erasure: leave no copy of the erased rows in the database's files where the
    database lets us (see the module's docstring for what stays)."""
    if store.dialect == "sqlite":
        # Copies the zeroed pages into the file and empties the -wal, whose older frames still
        # hold the rows; waits (busy_timeout) for readers of an older snapshot. Outside any
        # transaction, straight on the driver's connection.
        raw = store.engine.raw_connection()
        try:
            raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
        finally:
            raw.close()
        return
    with store.engine.connect().execution_options(isolation_level="AUTOCOMMIT") as connection:
        owned = connection.execute(
            sa.text(
                "SELECT count(*) FROM pg_class WHERE relname IN "
                "('entries', 'events', 'cases', 'group_attendance') "
                "AND relkind = 'r' AND pg_has_role(current_user, relowner, 'USAGE')"
            )
        ).scalar_one()
        if owned == len(_VACUUMED):  # VACUUM of a table is for its owner (or a superuser)
            connection.exec_driver_sql("VACUUM " + ", ".join(_VACUUMED))
