"""Teams in the register: stored the first time something is written for them, their
definition replaced when it changes, read back by name."""

from __future__ import annotations

import json
import re
from typing import Any

import sqlalchemy as sa

from ettervern._core import Team
from ettervern._io import team_from_dict, team_to_dict
from ettervern._l10n import Message
from ettervern.db._audit import log as audit
from ettervern.db._connection import Store
from ettervern.db._schema import TEAM_ROLES, TEAMS
from ettervern.errors import ConfigError, InvalidValueError, UnknownTeamError

__all__ = ["allow_role", "team_id_of", "team_names"]


def team_names(store: Store) -> list[str]:
    """The names of the teams in the register."""
    with store.read() as connection:
        return list(connection.scalars(sa.select(TEAMS.c.name).order_by(TEAMS.c.name)))


def _store_team(store: Store, connection: sa.Connection, team: Team, row: Any) -> int:
    """Add ``team``, or replace its stored definition when it changed; its id."""
    definition = json.loads(json.dumps(team_to_dict(team)))
    if row is None:
        statement = store.insert(TEAMS).values(name=team.name, definition=definition)
        connection.execute(statement.on_conflict_do_nothing(index_elements=["name"]))
        query = sa.select(TEAMS.c.id).where(TEAMS.c.name == team.name)
        team_id = int(connection.execute(query).scalar_one())
        audit(store, connection, "add_team", team_id=team_id)
        return team_id
    if row.definition != definition:
        connection.execute(
            sa.update(TEAMS).where(TEAMS.c.id == row.id).values(definition=definition)
        )
        audit(store, connection, "change_team", team_id=row.id)
    return int(row.id)


def team_id_of(
    store: Store, connection: sa.Connection, team: Team | str, *, write: bool = False
) -> tuple[int, Team]:
    """The team's id and value; a `Team` not yet stored is added when writing, and
    a changed definition (a new member, say) replaces the stored one."""
    name = team if isinstance(team, str) else team.name
    query = sa.select(TEAMS.c.id, TEAMS.c.definition).where(TEAMS.c.name == name)
    row = connection.execute(query).first()
    if isinstance(team, str):
        if row is None:
            raise UnknownTeamError(name, known=team_names(store))
        return int(row.id), team_from_dict(row.definition, source=f"register team {name!r}")
    if write:
        return _store_team(store, connection, team, row), team
    if row is None:
        raise UnknownTeamError(name, known=team_names(store))
    return int(row.id), team


_ROLE = re.compile(r"[a-z_][a-z0-9_]{0,62}")


def allow_role(store: Store, team: Team | str, role: str) -> None:
    """Let the PostgreSQL ``role`` (and its members) read and write the team's rows."""
    if store.dialect != "postgresql":
        problem = Message(
            "roles per team need PostgreSQL's row-level security; on SQLite the file is the "
            "unit of access"
        )
        raise ConfigError(store.url, [problem])
    if not _ROLE.fullmatch(role):
        msg = Message(
            "{field} must be a PostgreSQL role name of lower-case letters, digits and '_' (at "
            "most 63), got {value!r}",
            field="role",
            value=role,
        )
        raise InvalidValueError(msg, field="role", value=role)
    with store.write() as connection:
        team_id, _ = team_id_of(store, connection, team)
        statement = store.insert(TEAM_ROLES).values(team_id=team_id, role=role)
        connection.execute(statement.on_conflict_do_nothing())
        audit(store, connection, "allow_role", team_id=team_id)
