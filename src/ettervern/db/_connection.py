"""An open register's database: its engine, who writes through it, its key, and the
transactions that write."""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ettervern._l10n import HIDDEN, Message
from ettervern.db._engine import shown_url
from ettervern.errors import ConfigError, InvalidValueError
from ettervern.privacy import looks_like_national_id

__all__ = ["Store", "check_user"]

_REFUSED = "42501"
"""PostgreSQL's SQLSTATE for a privilege or a row-level security policy that refuses."""
_USER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")


def check_user(user: object) -> str:
    """``user`` as the pseudonymous id recorded with each write, or ``InvalidValueError``."""
    if not isinstance(user, str) or not _USER.fullmatch(user) or looks_like_national_id(user):
        shown = HIDDEN if isinstance(user, str) and looks_like_national_id(user) else user
        msg = Message(
            "{field} must be a pseudonymous id of letters, digits and '-_.:' (at most 128), "
            "never a name or an identity number; got {value!r}",
            field="user",
            value=shown,
        )
        raise InvalidValueError(msg, field="user", value=shown)
    return user


class Store:
    """The database of an open register, the pseudonymous user who writes to it, the
    register's key (``None`` when it has none) and, on PostgreSQL, the login role."""

    def __init__(
        self, engine: sa.Engine, user: str, key: bytes | None, role: str | None = None
    ) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.user = user
        self.key = key
        self.role = role

    @property
    def url(self) -> str:
        """The database URL, without its password."""
        return shown_url(self.engine.url)

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One transaction that writes: all of it is committed, or none of it.

        A write the database's privileges or row-level security refuse (PostgreSQL's
        SQLSTATE 42501) is a ``ConfigError``: the role is not set up for it.
        """
        try:
            with (
                self.engine.connect().execution_options(ettervern_write=True) as connection,
                connection.begin(),
            ):
                yield connection
        except sa.exc.ProgrammingError as exc:
            if getattr(exc.orig, "sqlstate", None) != _REFUSED:
                raise
            reason = str(exc.orig).splitlines()[0]
            problem = Message(
                "the database refused the write for this role: {reason}", reason=reason
            )
            raise ConfigError(self.url, [problem]) from None

    def read(self) -> sa.Connection:
        """A connection for reading (use it in a ``with`` block)."""
        return self.engine.connect()

    @contextmanager
    def snapshot(self) -> Iterator[sa.Connection]:
        """A connection whose reads all see one state of the register, so that what is read
        in several queries agrees: on PostgreSQL a read-only ``REPEATABLE READ`` transaction
        (one snapshot for all its statements; ``READ COMMITTED``, the default, takes one per
        statement), on SQLite one transaction (begun explicitly, see ``_engine``)."""
        with self.engine.connect() as connection:
            if self.dialect == "postgresql":
                connection.execution_options(
                    isolation_level="REPEATABLE READ", postgresql_readonly=True
                )
            with connection.begin():
                yield connection

    def insert(self, table: sa.Table) -> Any:
        """An INSERT of the database's dialect (with ``on_conflict_do_nothing``)."""
        return (postgresql if self.dialect == "postgresql" else sqlite).insert(table)
