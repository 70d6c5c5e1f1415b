"""An attacker with read access to a register's database, written apart from the library: it
knows the old row-key formula and the example's vocabulary, reads every value stored, and tries
to rebuild or confirm erased entries by enumeration. It imports nothing from ``ettervern.db``.

Also runnable on its own against a copy of another version of the library, to measure before
and after (``python tests/db/attacker.py``): it prints entries recovered, seconds, and how often
the erased code's bytes occur in the SQLite files before ``close()``.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import itertools
import time
from collections.abc import Iterable
from pathlib import Path

import sqlalchemy as sa

CODE = "05/20-FA"
"""The case the attacks look for: 27 entries in the Salten example, all in Fauske."""


def stored_values(engine: sa.Engine) -> set[str]:
    """Every value of every row of every table, as text."""
    found: set[str] = set()
    with engine.connect() as connection:
        for table in sa.inspect(connection).get_table_names():
            for row in connection.exec_driver_sql(f'SELECT * FROM "{table}"'):
                found.update(str(value) for value in row if value is not None)
    return found


def _distinct(engine: sa.Engine, query: str) -> list[str]:
    with engine.connect() as connection:
        return [str(v) for v in connection.exec_driver_sql(query).scalars()]


def candidates(
    sources: Iterable[str], categories: Iterable[str], staff: Iterable[int]
) -> Iterable[tuple[str, str]]:
    """(row text, entry) for every entry of ``CODE`` that could have been logged in 2020 in
    Fauske: each day, category, half hour up to 24, staff count and occurrence (0-1)."""
    days = [dt.date(2020, 1, 1) + dt.timedelta(days=n) for n in range(366)]
    hours = [repr(step / 2) for step in range(1, 49)]
    for source, day, category, hour, people in itertools.product(
        sources, days, categories, hours, staff
    ):
        entry = f"{CODE}|{day:%Y-%m-%d}|Fauske|{category}|{hour}|{people}"
        for occurrence in (0, 1):
            yield f"{source}\x1f{entry}#{occurrence}", entry


def enumerate_erased(engine: sa.Engine) -> tuple[int, float]:
    """How many distinct entries of ``CODE`` the stored values confirm, and the seconds it took.

    Each candidate is hashed as the old row keys were (BLAKE2b-128) and as a plain SHA-256, and
    looked up among all stored values.
    """
    start = time.perf_counter()
    stored = stored_values(engine)
    sources = _distinct(engine, "SELECT DISTINCT source FROM imports")
    categories = _distinct(engine, "SELECT DISTINCT category FROM entries")
    staff = [int(s) for s in _distinct(engine, "SELECT DISTINCT staff FROM entries")]
    recovered = set()
    for text, _ in candidates(sources, categories, staff):
        data = text.encode()
        if (
            hashlib.blake2b(data, digest_size=16).hexdigest() in stored
            or hashlib.sha256(data).hexdigest() in stored
        ):
            recovered.add(text)
    return len(recovered), time.perf_counter() - start


def occurrences(database: Path, code: str = CODE) -> dict[str, int]:
    """How often ``code``'s bytes occur in the SQLite file and its ``-wal`` and ``-shm``."""
    needle = code.encode()
    found = {}
    for suffix in ("", "-wal", "-shm"):
        path = Path(f"{database}{suffix}")
        found[suffix or "db"] = path.read_bytes().count(needle) if path.exists() else 0
    return found


def checkpoint(engine: sa.Engine) -> None:
    """Copy the -wal into the file, as SQLite does by itself every 1,000 pages."""
    raw = engine.raw_connection()
    try:
        raw.cursor().execute("PRAGMA wal_checkpoint(TRUNCATE)").fetchall()
    finally:
        raw.close()


def _measure() -> None:  # pragma: no cover - run by hand for the numbers
    import tempfile

    import ettervern as e
    from ettervern.db import Register

    example = e.examples.salten_2020()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "register.db"
        try:
            register = Register(path, user="u-17", key="measure-only-key-0123456789")  # type: ignore[call-arg]
        except TypeError:  # a version without keys
            register = Register(path, user="u-17")
        register.add_entries(example.log, source="timer_2020.csv")
        register.add_cases(example.cases, team=example.team)
        checkpoint(register.engine)  # the rows in the file itself, as after SQLite's own
        register.add_entries(example.log, source="timer_2020_copy.csv")  # and in the -wal
        print("before erasure, occurrences:", occurrences(path))
        register.erase_case(CODE, team=example.team)
        print("after erasure, before close():", occurrences(path))
        recovered, seconds = enumerate_erased(register.engine)
        print(f"enumeration: {recovered} entries confirmed in {seconds:.1f} s")
        register.close()
        print("after close():", occurrences(path))


if __name__ == "__main__":  # pragma: no cover
    _measure()
