"""The audit trail: who wrote what kind of thing when, and how much; never a code or a value.

The records form a hash chain: each holds ``link``, a hash of the link before it and of its own
fields — HMAC-SHA256 under the register's key once the register has one (from its ``set_key``
record on), SHA-256 before. Altering a record breaks its link; deleting one breaks the next.
Writers take the chain's head under a lock (SQLite's write lock, a PostgreSQL advisory lock), so
that the chain has no forks.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator, Sequence
from typing import Any

import sqlalchemy as sa

from ettervern.db._connection import Store
from ettervern.db._keys import digest
from ettervern.db._schema import AUDIT, TEAMS
from ettervern.db._values import AuditCheck, AuditRecord, now, utc

__all__ = ["SET_KEY", "check", "log", "log_many", "records"]

SET_KEY = "set_key"
"""The action of the record from which the chain is keyed."""
_CHAIN_LOCK = 0x65747472
"""The PostgreSQL advisory lock that serialises appends to the chain."""
_FIELDS = ("team_id", "case_id", "events", "entries", "role")


def _link(key: bytes | None, previous: str, row: Any) -> str:
    """The link of a record: a hash of the link before it and of its fields."""
    at: dt.datetime = utc(row["at"])
    fields = [
        previous,
        at.isoformat(timespec="microseconds"),
        row["user_id"],
        row["action"],
        *("" if row[name] is None else str(row[name]) for name in _FIELDS),
    ]
    text = "\x1f".join(fields)
    return hashlib.sha256(text.encode()).hexdigest() if key is None else digest(key, text)


def _head(store: Store, connection: sa.Connection) -> str:
    """The link of the newest record, taken under the chain's lock (held until commit)."""
    if store.dialect == "postgresql":
        connection.execute(sa.select(sa.func.pg_advisory_xact_lock(_CHAIN_LOCK)))
    query = sa.select(AUDIT.c.link).order_by(AUDIT.c.id.desc()).limit(1)
    return connection.scalar(query) or ""


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
    if not counts:
        return
    previous = _head(store, connection)
    at = now()
    rows = []
    for one in counts:
        row = {"at": at, "user_id": store.user, "action": action, "role": store.role, **one}
        previous = row["link"] = _link(store.key, previous, row)
        rows.append(row)
    connection.execute(sa.insert(AUDIT), rows)


def _walk(store: Store, rows: Iterator[Any]) -> Iterator[tuple[Any, bool]]:
    """Each stored record and whether the chain holds up to it."""
    previous, keyed, intact = "", False, True
    for row in rows:
        keyed = keyed or row.action == SET_KEY
        if keyed and store.key is None:
            intact = False  # a keyed record, and no key to check it: it cannot be trusted
        intact = intact and row.link == _link(store.key if keyed else None, previous, row._mapping)
        previous = row.link
        yield row, intact


def _rows(connection: sa.Connection) -> Iterator[Any]:
    query = sa.select(AUDIT, TEAMS.c.name).outerjoin(TEAMS, TEAMS.c.id == AUDIT.c.team_id)
    return iter(connection.execute(query.order_by(AUDIT.c.id)))


def records(store: Store) -> list[AuditRecord]:
    """The audit trail, oldest first; ``intact`` is false from the first broken link on."""
    with store.read() as connection:
        return [
            AuditRecord(
                at=utc(row.at),
                user=row.user_id,
                action=row.action,
                team=row.name,
                case_id=row.case_id,
                events=row.events,
                entries=row.entries,
                number=row.id,
                role=row.role,
                intact=intact,
            )
            for row, intact in _walk(store, _rows(connection))
        ]


def check(store: Store) -> AuditCheck:
    """Walk the chain: how many records, the first whose link does not hold, and the head."""
    count, broken, head = 0, None, ""
    with store.read() as connection:
        for row, intact in _walk(store, _rows(connection)):
            count += 1
            head = row.link
            if not intact and broken is None:
                broken = int(row.id)
    return AuditCheck(records=count, first_broken=broken, head=head)
