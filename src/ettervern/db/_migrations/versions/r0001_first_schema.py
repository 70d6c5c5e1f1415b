"""The first schema: teams, cases with append-only events, imports, time entries and the audit.

Revision ID: 0001
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision: str | None = None
branch_labels = None
depends_on = None

_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")
"""Row ids: 64-bit on servers; SQLite's INTEGER PRIMARY KEY is its 64-bit rowid."""


def upgrade() -> None:
    """Create the tables."""
    _create_case_tables()
    _create_entry_tables()


def _create_case_tables() -> None:
    """Teams, cases and their events."""
    op.create_table(
        "teams",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("name", sa.String(200), nullable=False, unique=True),
        sa.Column("definition", sa.JSON, nullable=False),
    )
    op.create_table(
        "cases",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("code", sa.String(40), nullable=False),
        sa.Column("municipality", sa.String(100), nullable=False),
        sa.Column("birth_year", sa.Integer),
        sa.Column("gender", sa.String(20)),
        sa.Column("details", sa.JSON, nullable=False),
        sa.Column("version", sa.Integer, nullable=False),
        sa.UniqueConstraint("team_id", "code", name="uq_cases_team_code"),
    )
    op.create_table(
        "events",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("case_id", _ID, sa.ForeignKey("cases.id", ondelete="CASCADE"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("on", sa.Date, nullable=False),
        sa.Column("body", sa.JSON, nullable=False),
        sa.Column("recorded_by", sa.String(128), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
        sa.UniqueConstraint("case_id", "seq", name="uq_events_case_seq"),
    )


def _create_entry_tables() -> None:
    """Imports, time entries, the keys of erased entries, and the audit trail."""
    op.create_table(
        "imports",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("read", sa.Integer, nullable=False),
        sa.Column("added", sa.Integer, nullable=False),
        sa.Column("already", sa.Integer, nullable=False),
        sa.Column("rejected", sa.Integer, nullable=False),
        sa.Column("recorded_by", sa.String(128), nullable=False),
        sa.Column("recorded_at", sa.DateTime(timezone=True), nullable=False),
    )
    op.create_table(
        "entries",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
        sa.Column("import_id", _ID, sa.ForeignKey("imports.id"), nullable=False),
        sa.Column("source", sa.String(300), nullable=False),
        sa.Column("row_key", sa.String(32), nullable=False),
        sa.Column("case_code", sa.String(40)),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("municipality", sa.String(100), nullable=False),
        sa.Column("category", sa.String(60), nullable=False),
        sa.Column("hours", sa.Float, nullable=False),
        sa.Column("staff", sa.Integer, nullable=False),
        sa.UniqueConstraint("team_id", "row_key", name="uq_entries_row"),
    )
    op.create_index("ix_entries_team_date", "entries", ["team_id", "date"])
    op.create_index("ix_entries_team_case", "entries", ["team_id", "case_code"])
    op.create_table(
        "erased_entries",
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), primary_key=True),
        sa.Column("row_key", sa.String(32), primary_key=True),
        sa.Column("source", sa.String(300), nullable=False),
    )
    op.create_table(
        "audit",
        sa.Column("id", _ID, primary_key=True),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.String(128), nullable=False),
        sa.Column("action", sa.String(40), nullable=False),
        sa.Column("team_id", sa.Integer),
        sa.Column("case_id", _ID),
        sa.Column("events", sa.Integer),
        sa.Column("entries", sa.Integer),
    )


def downgrade() -> None:
    """Drop the tables."""
    for table in ("audit", "erased_entries", "entries", "imports", "events", "cases", "teams"):
        op.drop_table(table)
