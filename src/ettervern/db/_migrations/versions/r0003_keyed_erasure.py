"""Erased entries are remembered only by keyed digests; a table for the register's settings.

Revision ID: 0003
Revises: 0002

The unkeyed digests of ``erased_entries`` let anyone with read access enumerate the erased rows
(27 of 27 of an erased case of the Salten example in about two seconds), so they are dropped,
not carried over: re-import protection for cases erased before this revision is lost. The new
``erased_keys`` holds HMAC-SHA256 digests under the register's key, which is kept apart from
the database; ``register_meta`` holds a digest that tells the right key from a wrong one.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision: str | None = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    """Drop ``erased_entries``; create ``erased_keys`` and ``register_meta``."""
    op.drop_table("erased_entries")
    op.create_table(
        "erased_keys",
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), primary_key=True),
        sa.Column("digest", sa.String(64), primary_key=True),
    )
    op.create_table(
        "register_meta",
        sa.Column("name", sa.String(40), primary_key=True),
        sa.Column("value", sa.String(200), nullable=False),
    )


def downgrade() -> None:
    """Back to unkeyed tombstones, empty (the keyed digests cannot be turned back)."""
    op.drop_table("register_meta")
    op.drop_table("erased_keys")
    op.create_table(
        "erased_entries",
        sa.Column("team_id", sa.Integer, sa.ForeignKey("teams.id"), primary_key=True),
        sa.Column("row_key", sa.String(32), primary_key=True),
        sa.Column("source", sa.String(300), nullable=False),
    )
