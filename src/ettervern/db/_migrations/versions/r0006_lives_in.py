"""Cases remember the member municipality the person lives in now, after any move.

Revision ID: 0006
Revises: 0005

A case keeps its code and its commissioning municipality (``cases.municipality``) when the person
moves to another member during follow-up (issue 32); the hours after the move count for the new
member. ``cases.lives_in`` holds where the person lives after the case's last move (the case's
own municipality when it has none), so a register can list a member's cases without reading
every event. It is filled in from each case's ``moved`` events.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision: str | None = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Add ``cases.lives_in``, fill it in, and index it."""
    op.add_column("cases", sa.Column("lives_in", sa.String(100)))
    cases = sa.table(
        "cases",
        sa.column("id", sa.Integer),
        sa.column("municipality", sa.String),
        sa.column("lives_in", sa.String),
    )
    events = sa.table(
        "events",
        sa.column("case_id", sa.Integer),
        sa.column("seq", sa.Integer),
        sa.column("kind", sa.String),
        sa.column("body", sa.JSON),
    )
    connection = op.get_bind()
    connection.execute(sa.update(cases).values(lives_in=cases.c.municipality))
    moved: dict[int, str] = {}
    rows = connection.execute(
        sa.select(events.c.case_id, events.c.body)
        .where(events.c.kind == "moved")
        .order_by(events.c.case_id, events.c.seq)
    )
    for case_id, body in rows:
        moved[case_id] = str(body["municipality"])
    for case_id, place in moved.items():
        connection.execute(sa.update(cases).where(cases.c.id == case_id).values(lives_in=place))
    op.create_index("ix_cases_team_lives_in", "cases", ["team_id", "lives_in"])


def downgrade() -> None:
    """Drop ``cases.lives_in``."""
    op.drop_index("ix_cases_team_lives_in", "cases")
    with op.batch_alter_table("cases") as batch:  # SQLite cannot drop a column in place
        batch.drop_column("lives_in")
