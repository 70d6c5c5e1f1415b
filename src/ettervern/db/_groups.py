"""The group log in the register: sessions stored once per team, day and offer, and who came
by case code only; read back as a ``GroupLog``.

Before anything is written the sessions are checked against the register's cases of the team
(``GroupLog.check``: each person's case known and open that day), so the register never holds
an attendance the library would refuse. Adding the same session again adds only the people not
yet recorded at it. Erasing a case removes its attendance (``_erasure``).
"""

from __future__ import annotations

import sqlalchemy as sa

from ettervern._core import Team
from ettervern._pathway import GroupLog, GroupSession
from ettervern.db._audit import log as audit
from ettervern.db._cases import team_and_cases
from ettervern.db._connection import Store
from ettervern.db._schema import GROUP_ATTENDANCE, GROUP_SESSIONS
from ettervern.db._teams import team_id_of

__all__ = ["add_group_sessions", "group_log"]


def _session_id(
    store: Store, connection: sa.Connection, team_id: int, session: GroupSession
) -> int:
    """The stored session's id, adding it when new."""
    where = (
        GROUP_SESSIONS.c.team_id == team_id,
        GROUP_SESSIONS.c.on == session.on,
        GROUP_SESSIONS.c.offer == session.offer,
    )
    found = connection.scalar(sa.select(GROUP_SESSIONS.c.id).where(*where))
    if found is not None:
        return int(found)
    row = {"team_id": team_id, "on": session.on, "offer": session.offer}
    key = connection.execute(sa.insert(GROUP_SESSIONS).values(row)).inserted_primary_key
    assert key is not None  # an INSERT of one row has its key
    return int(key[0])


def add_group_sessions(store: Store, log: GroupLog, *, team: Team | str) -> int:
    """Store ``log``'s sessions for ``team``, checked against its cases in the register;
    return how many attendances were new.

    Raises:
        PathwayError: a person's case is unknown or was not open that day (the group log's
            rule, named).
    """
    team_value, cases = team_and_cases(store, team)  # one connection: the team and its cases
    log.check(cases, team=team_value)
    added = 0
    with store.write() as connection:
        team_id, _ = team_id_of(store, connection, team)
        for session in log:
            session_id = _session_id(store, connection, team_id, session)
            there = set(
                connection.scalars(
                    sa.select(GROUP_ATTENDANCE.c.case_code).where(
                        GROUP_ATTENDANCE.c.session_id == session_id
                    )
                )
            )
            rows = [
                {"session_id": session_id, "case_code": code}
                for code in session.attendees
                if code not in there
            ]
            if rows:  # one at a time: the ids keep the order the people were given in
                for row in rows:
                    connection.execute(sa.insert(GROUP_ATTENDANCE).values(row))
                added += len(rows)
        audit(store, connection, "add_groups", team_id=team_id, entries=added)
    return added


def group_log(store: Store, team: Team | str) -> GroupLog:
    """The team's group log as stored: its sessions by day and offer, each with who came."""
    with store.read() as connection:
        team_id, _ = team_id_of(store, connection, team)
        sessions = connection.execute(
            sa.select(GROUP_SESSIONS.c.id, GROUP_SESSIONS.c.on, GROUP_SESSIONS.c.offer)
            .where(GROUP_SESSIONS.c.team_id == team_id)
            .order_by(GROUP_SESSIONS.c.on, GROUP_SESSIONS.c.offer)
        ).all()
        came: dict[int, list[str]] = {row.id: [] for row in sessions}
        rows = connection.execute(
            sa.select(GROUP_ATTENDANCE.c.session_id, GROUP_ATTENDANCE.c.case_code)
            .where(GROUP_ATTENDANCE.c.session_id.in_(list(came)))
            .order_by(GROUP_ATTENDANCE.c.id)  # in the order the people were given
        )
        for session_id, code in rows:
            came[session_id].append(code)
    return GroupLog(
        [
            GroupSession(on=row.on, offer=row.offer, attendees=tuple(came[row.id]))
            for row in sessions
        ]
    )
