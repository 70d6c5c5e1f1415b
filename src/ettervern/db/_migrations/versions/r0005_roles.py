"""Roles for reading, writing and erasing, and row-level security per team (PostgreSQL).

Revision ID: 0005
Revises: 0004

``team_roles`` maps a team to the database roles that may read and write its rows. On
PostgreSQL:

- three group roles are created when the migrating role may create roles (and granted when
  they exist): ``ettervern_reader`` (SELECT), ``ettervern_writer`` (a reader that may INSERT,
  and UPDATE the version of a case and the counts of an import) and ``ettervern_eraser`` (a
  writer that may DELETE cases, events and entries). None of them may UPDATE, DELETE or
  TRUNCATE the audit trail. Roles belong to the whole server, so every register database on
  one server shares them.
- row-level security on ``teams``, ``cases``, ``events``, ``imports``, ``entries`` and
  ``erased_keys``: a role sees and writes only the rows of teams that ``team_roles`` gives to a
  role it is a member of. The tables' owner (who migrates) is not subject to it.

On SQLite only the table is made: the file is the unit of access.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision: str | None = "0004"
branch_labels = None
depends_on = None

_TABLES = ("teams", "cases", "events", "imports", "entries", "erased_keys")
_SEQUENCES = ("teams_id_seq", "cases_id_seq", "events_id_seq", "imports_id_seq", "entries_id_seq")
_MINE = (
    "team_id IN (SELECT team_id FROM team_roles WHERE role IN "
    "(SELECT rolname FROM pg_roles WHERE pg_has_role(current_user, oid, 'MEMBER')))"
)
_POLICIES = {
    "teams": _MINE.replace("team_id IN", "id IN", 1),
    "cases": _MINE,
    "events": "case_id IN (SELECT id FROM cases)",
    "imports": _MINE,
    "entries": _MINE,
    "erased_keys": _MINE,
}
_CREATE_ROLES = """
DO $$ BEGIN
  IF EXISTS (SELECT 1 FROM pg_roles WHERE rolname = current_user AND (rolsuper OR rolcreaterole))
  THEN
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ettervern_reader') THEN
      CREATE ROLE ettervern_reader NOLOGIN;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ettervern_writer') THEN
      CREATE ROLE ettervern_writer NOLOGIN IN ROLE ettervern_reader;
    END IF;
    IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'ettervern_eraser') THEN
      CREATE ROLE ettervern_eraser NOLOGIN IN ROLE ettervern_writer;
    END IF;
  END IF;
END $$
"""
_GRANTS = {
    "ettervern_reader": [
        "GRANT SELECT ON teams, cases, events, imports, entries, erased_keys, audit, "
        "team_roles, register_meta, ettervern_schema TO {role}",
    ],
    "ettervern_writer": [
        "GRANT INSERT ON cases, events, imports, entries, audit TO {role}",
        "GRANT UPDATE (version, ended_on) ON cases TO {role}",
        "GRANT UPDATE (added, already) ON imports TO {role}",
        "GRANT USAGE ON SEQUENCE " + ", ".join((*_SEQUENCES, "audit_id_seq")) + " TO {role}",
    ],
    "ettervern_eraser": [
        "GRANT DELETE ON cases, events, entries TO {role}",
        "GRANT INSERT ON erased_keys TO {role}",
    ],
}


def _role_exists(connection: sa.Connection, role: str) -> bool:
    query = sa.text("SELECT 1 FROM pg_roles WHERE rolname = :role")
    return connection.execute(query, {"role": role}).first() is not None


def _postgres(connection: sa.Connection) -> None:
    connection.exec_driver_sql("REVOKE ALL ON audit FROM PUBLIC")
    connection.exec_driver_sql(_CREATE_ROLES)
    for role, grants in _GRANTS.items():
        if _role_exists(connection, role):
            for grant in grants:
                connection.exec_driver_sql(grant.format(role=role))
    for table in _TABLES:
        connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        condition = _POLICIES[table]
        connection.exec_driver_sql(
            f"CREATE POLICY team_rows ON {table} USING ({condition}) WITH CHECK ({condition})"
        )


def upgrade() -> None:
    """Create ``team_roles``; on PostgreSQL the roles, their grants and the policies."""
    op.create_table(
        "team_roles",
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), primary_key=True),
        sa.Column("role", sa.String(63), primary_key=True),
    )
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        _postgres(connection)


def downgrade() -> None:
    """Drop the policies and ``team_roles`` (the server's roles are left: others may use them)."""
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        for table in _TABLES:
            connection.exec_driver_sql(f"DROP POLICY team_rows ON {table}")
            connection.exec_driver_sql(f"ALTER TABLE {table} DISABLE ROW LEVEL SECURITY")
    op.drop_table("team_roles")
