"""A PostgreSQL server of our own, from the system's packages, in a temporary directory.

Used by the tests (a session fixture) and by ``benchmarks/bench_register.py``. As root the
server refuses to run, so it then runs as ``nobody``: Python switches the user itself
(``subprocess``'s ``user=`` and ``group=``), so no ``runuser`` or ``su`` is needed on ``PATH``
(``runuser`` lives in ``/usr/sbin``, which a user's ``PATH`` often lacks). It listens on a free
localhost port.
"""

from __future__ import annotations

import os
import pwd
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path


def postgres_bin() -> Path | None:
    """The directory of ``initdb`` and ``pg_ctl`` (Debian's layout first), or ``None``."""
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


@contextmanager
def running_postgres(bindir: Path, *, fsync: bool = False) -> Iterator[str]:
    """Start a server with ``initdb`` and ``pg_ctl``, yield its URL, stop and remove it after.

    ``fsync=False`` is for tests (a crash of the machine is not what they test); benchmarks
    keep it on, as a real server has it.
    """
    base = Path(tempfile.mkdtemp(prefix="ettervern-pg-"))
    as_user: dict[str, object] = {}
    if os.geteuid() == 0:
        nobody = pwd.getpwnam("nobody")
        os.chown(base, nobody.pw_uid, nobody.pw_gid)
        as_user = {"user": nobody.pw_uid, "group": nobody.pw_gid, "extra_groups": []}
    data, port = base / "data", _free_port()
    options = f"-p {port} -k {base} -c listen_addresses=127.0.0.1"
    if not fsync:
        options += " -c fsync=off"

    def run(*command: str | Path) -> None:
        subprocess.run(  # type: ignore[call-overload]
            list(map(str, command)),
            check=True,
            capture_output=True,
            cwd=base,
            timeout=120,
            env={**os.environ, "HOME": str(base)},
            **as_user,
        )

    try:
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
    finally:
        shutil.rmtree(base, ignore_errors=True)


def create_database(server: str, name: str) -> str:
    """Create database ``name`` on ``server``; its URL."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"CREATE DATABASE {name}")
    return f"{server}/{name}"


def drop_database(server: str, name: str) -> None:
    """Drop database ``name``, closing any connection still open to it."""
    import psycopg

    with psycopg.connect(f"{server}/postgres", autocommit=True) as admin:
        admin.execute(f"DROP DATABASE {name} WITH (FORCE)")
