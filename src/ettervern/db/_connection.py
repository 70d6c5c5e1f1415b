"""An open register: its engine, who writes through it, and the transactions that write.

Opening checks the user id, connects, and creates the schema or brings it up to date (or
refuses a schema that is not the newest, when asked not to upgrade).
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import alembic.util
import sqlalchemy as sa
from sqlalchemy.dialects import postgresql, sqlite

from ettervern._l10n import HIDDEN, Message
from ettervern.db._engine import connect, head_revision, revision, shown_url, upgrade
from ettervern.errors import ConfigError, InvalidValueError
from ettervern.privacy import looks_like_national_id

__all__ = ["Store", "check_user", "open_store"]

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
    """The database of an open register and the pseudonymous user who writes to it."""

    def __init__(self, engine: sa.Engine, user: str) -> None:
        self.engine = engine
        self.dialect = engine.dialect.name
        self.user = user

    @property
    def url(self) -> str:
        """The database URL, without its password."""
        return shown_url(self.engine.url)

    @contextmanager
    def write(self) -> Iterator[sa.Connection]:
        """One transaction that writes: all of it is committed, or none of it."""
        with (
            self.engine.connect().execution_options(ettervern_write=True) as connection,
            connection.begin(),
        ):
            yield connection

    def read(self) -> sa.Connection:
        """A connection for reading (use it in a ``with`` block)."""
        return self.engine.connect()

    def insert(self, table: sa.Table) -> Any:
        """An INSERT of the database's dialect (with ``on_conflict_do_nothing``)."""
        return (postgresql if self.dialect == "postgresql" else sqlite).insert(table)


def _out_of_date(engine: sa.Engine, found: str | None, head: str) -> ConfigError:
    engine.dispose()
    problem = Message(
        "the register's schema is at revision {found}, this version of ettervern needs "
        "{needed}; run 'ettervern db init' to upgrade it",
        found=found or "-",
        needed=head,
    )
    return ConfigError(shown_url(engine.url), [problem])


def open_store(target: str | Path, *, user: str, upgrade_schema: bool) -> Store:
    """Open the register at ``target`` as ``user``, its schema at the newest revision."""
    checked = check_user(user)
    engine = connect(target)
    head = head_revision()
    try:
        found = revision(engine)
        if found != head and upgrade_schema:
            found = upgrade(engine)
    except sa.exc.OperationalError as exc:
        engine.dispose()
        problem = Message("cannot open the database: {reason}", reason=str(exc.orig))
        raise ConfigError(shown_url(engine.url), [problem]) from None
    except alembic.util.CommandError:
        # A revision this version does not ship: the register was written by a newer one.
        found = revision(engine)
    if found != head:
        raise _out_of_date(engine, found, head)
    return Store(engine, checked)
