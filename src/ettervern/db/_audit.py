"""The audit trail: who wrote what kind of thing when, and how much; never a code or a value."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import sqlalchemy as sa

from ettervern.db._connection import Store
from ettervern.db._schema import AUDIT, TEAMS
from ettervern.db._values import AuditRecord, now, utc

__all__ = ["log", "log_many", "records"]


def log(
    store: Store,
    connection: sa.Connection,
    action: str,
    *,
    team_id: int | None = None,
    case_id: int | None = None,
    events: int | None = None,
    entries: int | None = None,
) -> None:
    """Record one write in the audit trail, in the writing transaction."""
    one = {"team_id": team_id, "case_id": case_id, "events": events, "entries": entries}
    log_many(store, connection, action, [one])


def log_many(
    store: Store, connection: sa.Connection, action: str, counts: Sequence[dict[str, Any]]
) -> None:
    """Record writes of one kind (``counts``: team_id, case_id, events, entries each)."""
    at = now()
    rows = [{"at": at, "user_id": store.user, "action": action, **one} for one in counts]
    if rows:
        connection.execute(sa.insert(AUDIT), rows)


def records(store: Store) -> list[AuditRecord]:
    """The audit trail, oldest first."""
    with store.read() as connection:
        rows = connection.execute(
            sa.select(AUDIT, TEAMS.c.name)
            .outerjoin(TEAMS, TEAMS.c.id == AUDIT.c.team_id)
            .order_by(AUDIT.c.id)
        )
        return [
            AuditRecord(
                at=utc(row.at),
                user=row.user_id,
                action=row.action,
                team=row.name,
                case_id=row.case_id,
                events=row.events,
                entries=row.entries,
            )
            for row in rows
        ]
