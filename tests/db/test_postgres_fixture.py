"""The PostgreSQL fixture runs without ``runuser`` on PATH (``/usr/sbin`` is often not on it)."""

from __future__ import annotations

import pytest

from tests.db.postgres import postgres_bin, running_postgres


def test_the_server_starts_without_runuser_on_path(monkeypatch: pytest.MonkeyPatch) -> None:
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip("PostgreSQL server binaries not found (apt-get install postgresql)")
    monkeypatch.setenv("PATH", "/usr/bin:/bin")  # no /usr/sbin, so no runuser
    with running_postgres(bindir) as server:
        assert server.startswith("postgresql://")
