"""Registers on real databases: SQLite in a temporary file, and a PostgreSQL server from the
system's packages started in a temporary directory for the session (stopped after).

The PostgreSQL tests skip, with the reason shown in the summary, only when no server binaries
can be found (install them with ``apt-get install postgresql``).
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from pathlib import Path

import pytest

pytest.importorskip("sqlalchemy", reason="the register needs the db extra")

BACKENDS = ("sqlite", "postgresql")


def _postgres_bin() -> Path | None:
    found = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"))
    if found:
        return found[-1].parent
    initdb = shutil.which("initdb")
    return None if initdb is None else Path(initdb).parent


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """A PostgreSQL server of our own: initdb and pg_ctl in a temporary directory, on a free
    localhost port. As root the server refuses to run, so it runs as ``nobody``."""
    bindir = _postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found (apt-get install postgresql)")
    base = Path(tempfile.mkdtemp(prefix="ettervern-pg-"))
    as_user: list[str] = []
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(base, nobody.pw_uid, nobody.pw_gid)
        as_user = ["runuser", "-u", "nobody", "--"]
    data, port = base / "data", _free_port()
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1 -c fsync=off"

    def run(*command: str | Path) -> None:
        subprocess.run(
            [*as_user, *map(str, command)], check=True, capture_output=True, cwd=base, timeout=120
        )

    run(
        bindir / "initdb",
        "-D",
        data,
        "-U",
        "ettervern",
        "--auth=trust",
        "--no-locale",
        "-E",
        "UTF8",
    )
    run(bindir / "pg_ctl", "-D", data, "-l", base / "server.log", "-o", options, "-w", "start")
    try:
        yield f"postgresql://ettervern@127.0.0.1:{port}"
    finally:
        run(bindir / "pg_ctl", "-D", data, "-m", "fast", "-w", "stop")
        shutil.rmtree(base, ignore_errors=True)


_numbers = itertools.count()


@pytest.fixture
def postgres_url(postgres_server: str) -> Iterator[str]:
    """A new, empty database on the session's server, dropped after the test."""
    import psycopg

    name = f"register_{os.getpid()}_{next(_numbers)}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    yield f"{postgres_server}/{name}"
    with psycopg.connect(f"{postgres_server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")


@pytest.fixture(params=BACKENDS)
def url(request: pytest.FixtureRequest, tmp_path: Path) -> str:
    """Where to put a register: a SQLite file, or a database on the PostgreSQL server."""
    if request.param == "sqlite":
        return str(tmp_path / "register.db")
    url: str = request.getfixturevalue("postgres_url")
    return url
