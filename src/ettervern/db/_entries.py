"""Time entries in the register: imported in one transaction, keyed by content and source so
that a sheet imported again adds only its new rows, and read back as a validated `TimeLog`."""

from __future__ import annotations

import datetime as dt
import hashlib
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

import pandas as pd
import sqlalchemy as sa

from ettervern._core import BETWEEN, Team, check_field
from ettervern._io import read_timelog
from ettervern._l10n import HIDDEN, Message, redact
from ettervern._timelog import COLUMNS, TimeLog
from ettervern.db._audit import log as audit
from ettervern.db._connection import Store
from ettervern.db._keys import digest
from ettervern.db._schema import ENTRIES, ERASED, IMPORTS
from ettervern.db._teams import team_id_of
from ettervern.db._values import ImportSummary, now
from ettervern.errors import InvalidValueError

__all__ = [
    "MOST_ROWS",
    "add_entries",
    "import_sheet",
    "row_keys",
    "stored_source",
    "timelog",
    "timelog_on",
]

_CHUNK = 20_000
"""Entries sent to the database per statement batch (memory stays flat for large sheets)."""
_ENTRY_COLUMNS = (
    "team_id",
    "import_id",
    "source",
    "row_key",
    "case_code",
    "date",
    "municipality",
    "category",
    "hours",
    "staff",
)
_ENTRY_KEY = "team_id, row_key"
_INCOMING = """
CREATE TEMPORARY TABLE ettervern_incoming (
    position bigint, team_id integer, import_id bigint, source varchar(300), row_key varchar(32),
    case_code varchar(40), date date, municipality varchar(100), category varchar(60),
    hours double precision, staff integer
) ON COMMIT DROP
"""
"""Where PostgreSQL imports are copied first, in the importing transaction only."""

MOST_ROWS = 2**53
"""The most rows an import may count as read or rejected (a count the database and a float
both hold exactly)."""

_KEYED_COLUMNS = ("case", "date", "municipality", "category", "hours", "staff")


def row_keys(frame: pd.DataFrame, source: str) -> pd.Series[str]:
    """A key per time-log row from its ``source`` and its content (a 128-bit hash): equal rows
    of one source get their occurrence number too.

    Two identical rows in one sheet (two visits on one day) keep two keys, ``…#0`` and ``…#1``,
    so importing the sheet again finds both and adds neither; a row added at the end of the
    sheet gets a new key.

    Raises:
        InvalidValueError: ``frame`` is not in the schema of ``TimeLog.to_frame()``.
    """
    missing = [c for c in _KEYED_COLUMNS if c not in frame.columns]
    if missing or not pd.api.types.is_datetime64_any_dtype(frame["date"]):
        msg = Message(
            "expected a time log's frame (TimeLog.to_frame()) with dated rows; missing: {missing}",
            missing=", ".join(missing) or "-",
        )
        raise InvalidValueError(msg, field="frame", value=None)
    case = frame["case"].astype(object).where(frame["case"].notna(), "")
    content = (
        case.astype(str)
        + "|"
        + frame["date"].dt.strftime("%Y-%m-%d")
        + "|"
        + frame["municipality"].astype(str)
        + "|"
        + frame["category"].astype(str)
        + "|"
        + frame["hours"].map(repr)
        + "|"
        + frame["staff"].astype(str)
    )
    occurrence = content.groupby(content, sort=False).cumcount().astype(str)
    texts = source + "\x1f" + content + "#" + occurrence
    keys: pd.Series[str] = texts.map(
        lambda text: hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    )
    return keys


def _new_id(result: sa.CursorResult[Any]) -> int:
    """The primary key of the row an INSERT just wrote."""
    key = result.inserted_primary_key
    assert key is not None  # every table here has a generated integer key
    return int(key[0])


def import_sheet(
    store: Store,
    sheet: str | Path | IO[bytes],
    *,
    team: Team,
    source: str | None,
    strict: bool,
) -> ImportSummary:
    """Read a time sheet with ``read_timelog`` and add its accepted rows."""
    result = read_timelog(sheet, team=team, strict=strict)
    return add_entries(
        store,
        result.accepted,
        source=source or result.source,
        read=result.read,
        rejected=len(result.rejected),
    )


def _check_counts(read: int | None, rejected: int) -> None:
    for field, count in (("read", read), ("rejected", rejected)):
        if count is not None:
            check_field(
                0 <= count <= MOST_ROWS, BETWEEN, field=field, value=count, low=0, high=MOST_ROWS
            )


def stored_source(source: str) -> str:
    """The source as the register keeps, keys and reports it: every run of digits shaped like
    a national identity number replaced (``timer_(hidden: looks like personal data).csv``).

    Two sources that differ only in such a run are then one source: their equal rows are
    counted as already imported.
    """
    return redact(source, str(HIDDEN))


def _erased(
    store: Store, connection: sa.Connection, team_id: int, keys: pd.Series[str]
) -> pd.Series[bool]:
    """Which rows belong to entries erased with their case: their keyed digest is remembered.
    The digests are worked out only when the team has erased entries."""
    remembered = sa.select(ERASED.c.digest).where(ERASED.c.team_id == team_id)
    if store.key is None or connection.scalar(remembered.limit(1)) is None:
        return pd.Series(False, index=keys.index)
    key = store.key
    erased = set(connection.scalars(remembered))
    return keys.map(lambda row_key: digest(key, row_key) in erased).astype(bool)


def add_entries(
    store: Store, log: TimeLog, *, source: str, read: int | None, rejected: int
) -> ImportSummary:
    """Add a validated log's entries, in one transaction, keyed by content and ``source``."""
    _check_counts(read, rejected)
    source = stored_source(source)
    frame = log.to_frame(copy=False)
    keys = row_keys(frame, source)
    read_rows = len(frame) + rejected if read is None else read
    with store.write() as connection:
        team_id, _ = team_id_of(store, connection, log.team, write=True)
        import_id = _new_id(
            connection.execute(
                sa.insert(IMPORTS).values(
                    team_id=team_id,
                    source=source,
                    read=read_rows,
                    added=0,
                    already=0,
                    rejected=rejected,
                    recorded_by=store.user,
                    recorded_at=now(),
                )
            )
        )
        keep = ~_erased(store, connection, team_id, keys).to_numpy()
        rows = frame[keep]
        batches = _entry_rows(rows, keys.to_numpy()[keep], (team_id, import_id, source))
        _write_entries(store, connection, batches)
        added = int(
            connection.scalar(sa.select(sa.func.count()).where(ENTRIES.c.import_id == import_id))
            or 0
        )
        summary = ImportSummary(
            source=source,
            read=read_rows,
            accepted=len(frame),
            added=added,
            already=len(rows) - added,
            rejected=rejected,
            erased=len(frame) - len(rows),
        )
        connection.execute(
            sa.update(IMPORTS)
            .where(IMPORTS.c.id == import_id)
            .values(added=summary.added, already=summary.already + summary.erased)
        )
        audit(store, connection, "import", team_id=team_id, entries=summary.added)
    return summary


def _entry_rows(
    frame: pd.DataFrame, keys: Any, prefix: tuple[int, int, str]
) -> Iterator[list[tuple[Any, ...]]]:
    """The rows of ``entries`` (in `_ENTRY_COLUMNS` order), in batches, as plain
    Python values: dates as ISO text, which both databases read as dates."""
    for start in range(0, len(frame), _CHUNK):
        chunk = frame.iloc[start : start + _CHUNK]
        cases = chunk["case"].astype(object).where(chunk["case"].notna(), None)
        yield [
            (*prefix, *row)
            for row in zip(
                keys[start : start + _CHUNK].tolist(),
                cases.tolist(),
                chunk["date"].dt.strftime("%Y-%m-%d").tolist(),
                chunk["municipality"].astype(str).tolist(),
                chunk["category"].astype(str).tolist(),
                chunk["hours"].astype(float).tolist(),
                chunk["staff"].astype(int).tolist(),
                strict=True,
            )
        ]


def _write_entries(
    store: Store, connection: sa.Connection, batches: Iterator[list[tuple[Any, ...]]]
) -> None:
    """Insert entries, skipping those whose key the register holds (``ON CONFLICT DO
    NOTHING``): straight through the driver, since a million rows are the common case.

    On PostgreSQL the rows are streamed with ``COPY`` into a temporary table and inserted
    from there in their order; on SQLite they go in batches of prepared inserts.
    """
    columns = ", ".join(f'"{name}"' for name in _ENTRY_COLUMNS)
    insert = f"INSERT INTO entries ({columns}) {{rows}} ON CONFLICT ({_ENTRY_KEY}) DO NOTHING"
    if store.dialect != "postgresql":
        values = f"VALUES ({', '.join('?' for _ in _ENTRY_COLUMNS)})"
        for batch in batches:
            connection.exec_driver_sql(insert.format(rows=values), batch)
        return
    driver = connection.connection.driver_connection
    assert driver is not None  # an open connection
    with driver.cursor() as cursor:
        cursor.execute(_INCOMING)
        with cursor.copy("COPY ettervern_incoming FROM STDIN") as copy:
            position = 0
            for batch in batches:
                for row in batch:
                    copy.write_row((position, *row))
                    position += 1
        select = f"SELECT {columns} FROM ettervern_incoming ORDER BY position"
        cursor.execute(insert.format(rows=select))
        cursor.execute("DROP TABLE ettervern_incoming")


def timelog(
    store: Store, team: Team | str, *, start: dt.date | None, end: dt.date | None
) -> TimeLog:
    """The team's time log (entries dated ``start`` to ``end``, when given), validated again."""
    with store.read() as connection:
        return timelog_on(store, connection, team, start=start, end=end)


def timelog_on(
    store: Store,
    connection: sa.Connection,
    team: Team | str,
    *,
    start: dt.date | None,
    end: dt.date | None,
) -> TimeLog:
    """``timelog`` read on ``connection`` (a snapshot shared with other reads)."""
    team_id, team_value = team_id_of(store, connection, team)
    query = (
        sa.select(
            ENTRIES.c.case_code,
            sa.cast(ENTRIES.c.date, sa.String(10)),
            ENTRIES.c.municipality,
            ENTRIES.c.category,
            ENTRIES.c.hours,
            ENTRIES.c.staff,
        )
        .where(ENTRIES.c.team_id == team_id)
        .order_by(ENTRIES.c.id)
    )
    if start is not None:
        query = query.where(ENTRIES.c.date >= start)
    if end is not None:
        query = query.where(ENTRIES.c.date <= end)
    # Plain tuples straight from the driver: a million SQLAlchemy rows (and pandas
    # probing each for attributes) cost more than the query.
    rows = connection.execute(query).cursor.fetchall()
    frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
    frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
    return TimeLog.from_frame(frame, team=team_value)
