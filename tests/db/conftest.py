"""Registers on real databases: SQLite in a temporary file, and a PostgreSQL server from the
system's packages started in a temporary directory for the session (stopped after).

The PostgreSQL tests skip, with the reason shown in the summary, only when no server binaries
can be found (install them with ``apt-get install postgresql``).
"""

from __future__ import annotations

import itertools
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy", reason="the register needs the db extra")

from tests.db.postgres import (
    create_database,
    drop_database,
    postgres_bin,
    running_postgres,
)

BACKENDS = ("sqlite", "postgresql")


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server of our own for the session (see ``tests.db.postgres``)."""
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found (apt-get install postgresql)")
    with running_postgres(bindir) as server:
        yield server


_numbers = itertools.count()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A new, empty database on the session's server, dropped after the test."""
    name = f"register_{os.getpid()}_{next(_numbers)}"
    yield create_database(postgres_server, name)
    drop_database(postgres_server, name)


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where to put a register: a SQLite file, or a database on the PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "register.db")
    url: str = request.getfixturevalue("postgres_url")
    return url
