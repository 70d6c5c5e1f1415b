"""Opening a register: check the user id and the key, connect, bring the schema up to date (or
refuse a schema that is not the newest), and make sure the key is the register's."""

from __future__ import annotations

from pathlib import Path

import alembic.util
import sqlalchemy as sa

from ettervern._l10n import Message
from ettervern.db._audit import SET_KEY
from ettervern.db._audit import log as audit
from ettervern.db._connection import Store, check_user
from ettervern.db._engine import connect, head_revision, revision, shown_url, upgrade
from ettervern.db._keys import check_key, key_check
from ettervern.db._schema import META
from ettervern.errors import ConfigError

__all__ = ["open_store"]


def _out_of_date(engine: sa.Engine, found: str | None, head: str) -> ConfigError:
    engine.dispose()
    problem = Message(
        "the register's schema is at revision {found}, this version of ettervern needs "
        "{needed}; run 'ettervern db init' to upgrade it",
        found=found or "-",
        needed=head,
    )
    return ConfigError(shown_url(engine.url), [problem])


def open_store(
    target: str | Path, *, user: str, key: bytes | str | None, upgrade_schema: bool
) -> Store:
    """Open the register at ``target`` as ``user``, its schema at the newest revision."""
    checked = check_user(user)
    secret = check_key(key)
    engine = connect(target)
    head = head_revision()
    try:
        found = revision(engine)
        if found != head and upgrade_schema:
            found = upgrade(engine)
    except sa.exc.DatabaseError as exc:  # OperationalError, or a file that is no database
        engine.dispose()
        problem = Message("cannot open the database: {reason}", reason=str(exc.orig))
        raise ConfigError(shown_url(engine.url), [problem]) from None
    except alembic.util.CommandError:
        # A revision this version does not ship: the register was written by a newer one.
        found = revision(engine)
    if found != head:
        raise _out_of_date(engine, found, head)
    role = None
    if engine.dialect.name == "postgresql":
        with engine.connect() as connection:
            role = str(connection.scalar(sa.text("SELECT session_user")))
    store = Store(engine, checked, secret, role)
    _settle_key(store)
    return store


def _key_problem(store: Store, problem: Message) -> ConfigError:
    store.engine.dispose()
    return ConfigError(store.url, [problem])


def _settle_key(store: Store) -> None:
    """Refuse a wrong key, or a missing one for a keyed register; key a register that has
    none yet when given one (its chain is keyed from that record on)."""
    with store.read() as connection:
        stored = connection.scalar(sa.select(META.c.value).where(META.c.name == "key_check"))
    if stored is None and store.key is not None:
        with store.write() as connection:
            connection.execute(sa.insert(META).values(name="key_check", value=key_check(store.key)))
            audit(store, connection, SET_KEY)
    elif stored is not None and store.key is None:
        raise _key_problem(
            store,
            Message(
                "the register is keyed: pass its key (key=, or the environment variable {name})",
                name="ETTERVERN_REGISTER_KEY",
            ),
        )
    elif stored is not None and store.key is not None and stored != key_check(store.key):
        raise _key_problem(store, Message("the key given is not this register's key"))
