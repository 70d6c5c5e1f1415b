"""The register's tables as the current schema has them (the migrations build them).

Nothing here holds a name or an identity number: cases are stored by their code, events and time
entries as the library's own values, and the audit trail by pseudonymous user id, action and
counts only.
"""

from __future__ import annotations

import sqlalchemy as sa

__all__ = [
    "AUDIT",
    "CASES",
    "ENTRIES",
    "ERASED",
    "EVENTS",
    "GROUP_ATTENDANCE",
    "GROUP_SESSIONS",
    "IMPORTS",
    "META",
    "METADATA",
    "TEAMS",
    "TEAM_ROLES",
]

METADATA = sa.MetaData()
_ID = sa.BigInteger().with_variant(sa.Integer(), "sqlite")

TEAMS = sa.Table(
    "teams",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("name", sa.String(200), nullable=False, unique=True),
    sa.Column("definition", sa.JSON, nullable=False),
)
CASES = sa.Table(
    "cases",
    METADATA,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("code", sa.String(40), nullable=False),
    sa.Column("municipality", sa.String(100), nullable=False),
    sa.Column("birth_year", sa.Integer),
    sa.Column("gender", sa.String(20)),
    sa.Column("details", sa.JSON, nullable=False),
    sa.Column("version", sa.Integer, nullable=False),
    sa.Column("ended_on", sa.Date),
    sa.Column("lives_in", sa.String(100)),
    sa.UniqueConstraint("team_id", "code", name="uq_cases_team_code"),
)
EVENTS = sa.Table(
    "events",
    METADATA,
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
IMPORTS = sa.Table(
    "imports",
    METADATA,
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
ENTRIES = sa.Table(
    "entries",
    METADATA,
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
ERASED = sa.Table(
    "erased_keys",
    METADATA,
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), primary_key=True),
    sa.Column("digest", sa.String(64), primary_key=True),
)
"""Keyed digests (HMAC-SHA256 under the register's key) of the row keys of entries erased with
their case, so that importing the same sheet again does not bring them back. Without the key
nobody can test a candidate row against them; a register opened without a key keeps none."""
META = sa.Table(
    "register_meta",
    METADATA,
    sa.Column("name", sa.String(40), primary_key=True),
    sa.Column("value", sa.String(200), nullable=False),
)
"""Settings of the register itself: ``key_check``, a keyed digest that tells the register's
key from another (it reveals nothing of the key)."""
TEAM_ROLES = sa.Table(
    "team_roles",
    METADATA,
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), primary_key=True),
    sa.Column("role", sa.String(63), primary_key=True),
)
"""PostgreSQL roles that may read and write a team's rows (row-level security)."""
GROUP_SESSIONS = sa.Table(
    "group_sessions",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), nullable=False),
    sa.Column("on", sa.Date, nullable=False),
    sa.Column("offer", sa.String(100), nullable=False),
    sa.UniqueConstraint("team_id", "on", "offer", name="uq_group_sessions_team_on_offer"),
)
GROUP_ATTENDANCE = sa.Table(
    "group_attendance",
    METADATA,
    sa.Column("id", sa.Integer, primary_key=True),
    sa.Column(
        "session_id",
        sa.Integer,
        sa.ForeignKey("group_sessions.id", ondelete="CASCADE"),
        nullable=False,
    ),
    sa.Column("case_code", sa.String(40), nullable=False),
    sa.UniqueConstraint("session_id", "case_code", name="uq_group_attendance_session_code"),
)
AUDIT = sa.Table(
    "audit",
    METADATA,
    sa.Column("id", _ID, primary_key=True),
    sa.Column("at", sa.DateTime(timezone=True), nullable=False),
    sa.Column("user_id", sa.String(128), nullable=False),
    sa.Column("action", sa.String(40), nullable=False),
    sa.Column("team_id", sa.Integer),
    sa.Column("case_id", _ID),
    sa.Column("events", sa.Integer),
    sa.Column("entries", sa.Integer),
    sa.Column("role", sa.String(128)),
    sa.Column("link", sa.String(64), nullable=False),
)
"""Who wrote what kind of thing when, and how much: never a code, a date of care or a value.

``role`` is the database's own login role (PostgreSQL's ``session_user``, set by a trigger);
``link`` chains each record to the one before (a hash chain, keyed when the register is)."""
