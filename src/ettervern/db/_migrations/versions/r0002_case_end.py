"""Cases remember the day they ended (closed or declined), for the retention rule.

Revision ID: 0002
Revises: 0001

The day is filled in from each case's events: the last closure or decline, unless a reopening
came after it.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision: str | None = "0001"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``cases.ended_on``, fill it in, and index it."""
    op.add_column("cases", sa.Column("ended_on", sa.Date))
    op.create_index("ix_cases_team_ended", "cases", ["team_id", "ended_on"])
    events = sa.table(
        "events",
        sa.column("case_id", sa.Integer),
        sa.column("seq", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("on", sa.Date),
    )
    cases = sa.table("cases", sa.column("id", sa.Integer), sa.column("ended_on", sa.Date))
    connection = op.get_bind()
    ended: dict[int, object] = {}
    rows = connection.execute(
        sa.select(events.c.case_id, events.c.kind, events.c.on).order_by(
            events.c.case_id, events.c.seq
        )
    )
    for case_id, kind, on in rows:
        if kind in ("closure", "decline"):
            ended[case_id] = on
        elif kind == "reopening":
            ended.pop(case_id, None)
    for case_id, on in ended.items():
        connection.execute(sa.update(cases).where(cases.c.id == case_id).values(ended_on=on))


def downgrade() -> None:
    """Drop ``cases.ended_on``."""
    op.drop_index("ix_cases_team_ended", "cases")
    with op.batch_alter_table("cases") as batch:  # SQLite cannot drop a column in place
        batch.drop_column("ended_on")
