"""Connecting to a register's database, and bringing its schema up to date with Alembic.

SQLite is the default: a file path is enough. Any other database is named by a SQLAlchemy URL;
``postgresql://`` uses psycopg 3. The migrations ship inside the package and run
programmatically, so an integrator needs no ``alembic.ini``.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlalchemy as sa
from alembic.operations import Operations
from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory

from ettervern._l10n import Message
from ettervern.errors import ConfigError

__all__ = [
    "VERSION_TABLE",
    "connect",
    "head_revision",
    "make_url",
    "revision",
    "shown_url",
    "upgrade",
]

MIGRATIONS = Path(__file__).parent / "_migrations"
VERSION_TABLE = "ettervern_schema"
"""The table where Alembic keeps the register's schema revision (not ``alembic_version``, so
that a database shared with an application's own migrations keeps both apart)."""
SQLITE_TIMEOUT = 60.0
"""Seconds a writer waits for another writer's transaction on SQLite before giving up."""


def make_url(target: str | Path) -> sa.URL:
    """A SQLAlchemy URL from a file path (SQLite) or a URL; ``postgresql://`` gets psycopg 3."""
    text = str(target)
    if text == ":memory:":
        return sa.make_url("sqlite://")
    if "://" not in text:
        return sa.make_url(f"sqlite:///{Path(text).expanduser().resolve()}")
    try:
        url = sa.make_url(text)
    except sa.exc.ArgumentError:
        raise ConfigError(text, [Message("not a database URL or file path")]) from None
    if url.drivername in ("postgresql", "postgres"):
        url = url.set(drivername="postgresql+psycopg")
    if url.get_backend_name() not in ("sqlite", "postgresql"):
        problem = Message(
            "a register runs on SQLite or PostgreSQL, not {backend}", backend=url.get_backend_name()
        )
        raise ConfigError(shown_url(url), [problem])
    return url


def shown_url(url: sa.URL) -> str:
    """The URL as it may be shown and logged: without its password."""
    return url.render_as_string(hide_password=True)


def _sqlite_setup(engine: sa.Engine, *, in_memory: bool) -> None:
    """SQLite as a careful multi-process store: foreign keys on, deleted content overwritten
    (``secure_delete``), WAL so that readers never wait for a writer, and writers that take
    the write lock when they begin (``BEGIN IMMEDIATE``) instead of failing half-way when
    another writer got there first."""

    @sa.event.listens_for(engine, "connect")
    def on_connect(dbapi_connection: Any, _: object) -> None:
        dbapi_connection.isolation_level = None  # transactions are begun below, explicitly
        cursor = dbapi_connection.cursor()
        cursor.execute("PRAGMA foreign_keys = ON")
        # Deleted content is overwritten with zeros, not left in free space: an erased case
        # must not be readable from the file (docs/register.md, Erasure).
        cursor.execute("PRAGMA secure_delete = ON")
        cursor.execute(f"PRAGMA busy_timeout = {int(SQLITE_TIMEOUT * 1000)}")
        if not in_memory:
            cursor.execute("PRAGMA journal_mode = WAL")
            cursor.execute("PRAGMA synchronous = NORMAL")
            cursor.execute("PRAGMA cache_size = -65536")  # 64 MiB: large imports touch much index
        cursor.close()

    @sa.event.listens_for(engine, "begin")
    def on_begin(connection: sa.Connection) -> None:
        write = connection.get_execution_options().get("ettervern_write", False)
        connection.exec_driver_sql("BEGIN IMMEDIATE" if write else "BEGIN")


def connect(target: str | Path) -> sa.Engine:
    """An engine for the register at ``target`` (a file path or a URL)."""
    url = make_url(target)
    if url.get_backend_name() == "sqlite":
        in_memory = url.database in (None, "", ":memory:")
        engine = sa.create_engine(
            url,
            connect_args={"timeout": SQLITE_TIMEOUT},
            poolclass=sa.StaticPool if in_memory else None,
        )
        _sqlite_setup(engine, in_memory=in_memory)
        return engine
    return sa.create_engine(url)


def _script() -> ScriptDirectory:
    return ScriptDirectory(str(MIGRATIONS), version_locations=[str(MIGRATIONS / "versions")])


def head_revision() -> str:
    """The newest schema revision this version of ettervern ships."""
    head = _script().get_current_head()
    assert head is not None  # the package ships its migrations
    return head


def revision(engine: sa.Engine) -> str | None:
    """The schema revision of the register, or ``None`` when it has no schema yet."""
    with engine.connect() as connection:
        context = MigrationContext.configure(connection, opts={"version_table": VERSION_TABLE})
        return context.get_current_revision()


def upgrade(engine: sa.Engine, target: str = "head") -> str | None:
    """Bring the register's schema up to ``target`` (the newest by default), in one transaction.

    Returns the revision it is at afterwards. Upgrading a register that is up to date does
    nothing.
    """
    script = _script()

    def steps(current: Any, _: MigrationContext) -> Any:
        return script._upgrade_revs(target, current)

    with engine.connect().execution_options(ettervern_write=True) as connection:
        with connection.begin():
            context = MigrationContext.configure(
                connection,
                opts={"script": script, "fn": steps, "version_table": VERSION_TABLE},
            )
            with Operations.context(context):
                context.run_migrations()
        return MigrationContext.configure(
            connection, opts={"version_table": VERSION_TABLE}
        ).get_current_revision()
