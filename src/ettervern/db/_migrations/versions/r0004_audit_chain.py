"""The audit trail becomes a hash chain, append-only, with the database's own login role.

Revision ID: 0004
Revises: 0003

Each record gets ``link``: a SHA-256 of the previous record's link and this record's fields
(HMAC-SHA256 under the register's key for records written once the register has one), so that
altering or deleting a record breaks the chain from there on. The records already there are
chained here, unkeyed. ``role`` holds PostgreSQL's ``session_user``, set by a trigger that the
application cannot bypass. Triggers refuse UPDATE, DELETE and TRUNCATE of audit rows on both
databases (only someone who may drop a trigger can get round them, and the chain shows it).
"""

from __future__ import annotations

import datetime as dt
import hashlib

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision: str | None = "0003"
branch_labels = None
depends_on = None

_REFUSE = "the audit trail is append-only"
_PG_FUNCTIONS = f"""
CREATE FUNCTION ettervern_audit_role() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN NEW.role := session_user; RETURN NEW; END $$;
CREATE FUNCTION ettervern_audit_refuse() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN RAISE EXCEPTION '{_REFUSE}'; END $$;
CREATE TRIGGER audit_role BEFORE INSERT ON audit
    FOR EACH ROW EXECUTE FUNCTION ettervern_audit_role();
CREATE TRIGGER audit_append_only BEFORE UPDATE OR DELETE ON audit
    FOR EACH ROW EXECUTE FUNCTION ettervern_audit_refuse();
CREATE TRIGGER audit_no_truncate BEFORE TRUNCATE ON audit
    FOR EACH STATEMENT EXECUTE FUNCTION ettervern_audit_refuse();
"""
_SQLITE_TRIGGERS = (
    f"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END",
    f"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit BEGIN SELECT RAISE(ABORT, '{_REFUSE}'); END",
)


def _link(previous: str, row: sa.Row[tuple[object, ...]]) -> str:
    """The unkeyed link of a record (as ``ettervern.db._audit`` makes it at this revision)."""
    at = row.at if row.at.tzinfo is not None else row.at.replace(tzinfo=dt.UTC)
    values = (row.team_id, row.case_id, row.events, row.entries, None)
    fields = [
        previous,
        at.astimezone(dt.UTC).isoformat(timespec="microseconds"),
        row.user_id,
        row.action,
        *("" if value is None else str(value) for value in values),
    ]
    return hashlib.sha256("\x1f".join(fields).encode()).hexdigest()


def upgrade() -> None:
    """Add ``role`` and ``link``, chain the records there are, and make the trail append-only."""
    op.add_column("audit", sa.Column("role", sa.String(128)))
    op.add_column("audit", sa.Column("link", sa.String(64)))
    audit = sa.table(
        "audit",
        *(sa.column(name) for name in ("id", "user_id", "action", "team_id", "case_id")),
        *(sa.column(name) for name in ("events", "entries", "link")),
        sa.column("at", sa.DateTime(timezone=True)),
    )
    connection = op.get_bind()
    previous = ""
    for row in connection.execute(sa.select(audit).order_by(audit.c.id)).all():
        previous = _link(previous, row)
        connection.execute(sa.update(audit).where(audit.c.id == row.id).values(link=previous))
    with op.batch_alter_table("audit") as batch:
        batch.alter_column("link", existing_type=sa.String(64), nullable=False)
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(_PG_FUNCTIONS)
    else:
        for trigger in _SQLITE_TRIGGERS:
            connection.exec_driver_sql(trigger)


def downgrade() -> None:
    """Drop the triggers, ``link`` and ``role``."""
    connection = op.get_bind()
    if connection.dialect.name == "postgresql":
        connection.exec_driver_sql(
            "DROP TRIGGER audit_role ON audit; DROP TRIGGER audit_append_only ON audit; "
            "DROP TRIGGER audit_no_truncate ON audit; DROP FUNCTION ettervern_audit_role(); "
            "DROP FUNCTION ettervern_audit_refuse()"
        )
    else:
        connection.exec_driver_sql("DROP TRIGGER audit_no_update")
        connection.exec_driver_sql("DROP TRIGGER audit_no_delete")
    with op.batch_alter_table("audit") as batch:
        batch.drop_column("link")
        batch.drop_column("role")
