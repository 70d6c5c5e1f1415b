"""The team's group sessions and who came: the group log (``events.GroupLog``) in the register.

Revision ID: 0007
Revises: 0006

``group_sessions`` holds one row per session of a team's group offer (its day and offer, once
per team), ``group_attendance`` one row per person at a session, by case code only (issue 32:
Jæren's daily group, seed ``002_…``). On PostgreSQL both get the team's row-level security of
revision 0005 and the grants of its roles (a writer adds, an eraser removes a case's
attendance with the case); on SQLite the file is the unit of access.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0007"
down_revision: str | None = "0006"
branch_labels = None
depends_on = None

_MINE = (
    "team_id IN (SELECT team_id FROM team_roles WHERE role IN "
    "(SELECT rolname FROM pg_roles WHERE pg_has_role(current_user, oid, 'MEMBER')))"
)
_POLICIES = {
    "group_sessions": _MINE,
    "group_attendance": "session_id IN (SELECT id FROM group_sessions)",
}
_GRANTS = {
    "ettervern_reader": ["GRANT SELECT ON group_sessions, group_attendance TO {role}"],
    "ettervern_writer": [
        "GRANT INSERT ON group_sessions, group_attendance TO {role}",
        "GRANT USAGE ON SEQUENCE group_sessions_id_seq, group_attendance_id_seq TO {role}",
    ],
    "ettervern_eraser": ["GRANT DELETE ON group_attendance TO {role}"],
}


def _postgres(connection: sa.Connection) -> None:
    for role, grants in _GRANTS.items():
        query = sa.text("SELECT 1 FROM pg_roles WHERE rolname = :role")
        if connection.execute(query, {"role": role}).first() is not None:
            for grant in grants:
                connection.exec_driver_sql(grant.format(role=role))
    for table, condition in _POLICIES.items():
        connection.exec_driver_sql(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        connection.exec_driver_sql(
            f"CREATE POLICY team_rows ON {table} USING ({condition}) WITH CHECK ({condition})"
        )


def upgrade() -> None:
    """Create ``group_sessions`` and ``group_attendance``; on PostgreSQL their policies."""
    op.create_table(
        "group_sessions",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("offer", sa.String(100), nullable=False),
        sa.UniqueConstraint("team_id", "on", "offer", name="uq_group_sessions_team_on_offer"),
    )
    op.create_table(
        "group_attendance",
        sa.Column("id", sa.Integer, primary_key=True),  # the order the people were given in
        sa.Column(
            "session_id",
            sa.Integer,
            sa.ForeignKey("group_sessions.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("case_code", sa.String(40), nullable=False),
        sa.UniqueConstraint("session_id", "case_code", name="uq_group_attendance_session_code"),
    )
    op.create_index("ix_group_attendance_code", "group_attendance", ["case_code"])
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        _postgres(connection)


def downgrade() -> None:
    """Drop both tables (their policies go with them)."""
    op.drop_index("ix_group_attendance_code", "group_attendance")
    op.drop_table("group_attendance")
    op.drop_table("group_sessions")
