"""Erasure that erases: after ``erase_case`` nothing stored lets anyone rebuild or confirm the
erased entries (the attacker of ``tests.db.attacker``, written apart from the library), and the
SQLite files hold no trace of the code, before ``close()`` too."""

from __future__ import annotations

from pathlib import Path

import pytest

import ettervern as e
from ettervern.db import Register
from tests.db.attacker import CODE, checkpoint, enumerate_erased, occurrences, stored_values

EXAMPLE = e.examples.salten_2020()
TEAM = EXAMPLE.team
KEY = "tests-only-register-key-0123456789"


def _filled(url: str, key: str | None) -> Register:
    register = Register(url, user="u-17", key=key)
    register.add_entries(EXAMPLE.log, source="timer_2020.csv")
    register.add_cases(EXAMPLE.cases, team=TEAM)
    return register


@pytest.mark.parametrize("key", [KEY, None])
def test_no_erased_entry_is_rebuilt_by_enumeration(url: str, key: str | None) -> None:
    with _filled(url, key) as register:
        # The attacker works: it finds every entry while the entries are there.
        before, _ = enumerate_erased(register.engine)
        erased = register.erase_case(CODE, team=TEAM)
        assert erased.entries == 27
        after, _ = enumerate_erased(register.engine)
        assert (before, after) == (27, 0)
        assert not any(CODE in value for value in stored_values(register.engine))
        # Re-import protection holds with the key, and only with it.
        again = register.add_entries(EXAMPLE.log, source="timer_2020.csv")
        assert (again.added, again.erased) == ((0, 27) if key else (27, 0))


def test_the_sqlite_files_hold_no_trace_of_the_code_before_close(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    with _filled(str(path), KEY) as register:
        checkpoint(register.engine)  # rows in the file itself, as SQLite's own checkpoints do
        register.add_entries(EXAMPLE.log, source="timer_2020_copy.csv")  # and in the -wal
        found = occurrences(path)
        assert found["db"] > 0 and found["-wal"] > 0
        register.erase_case(CODE, team=TEAM)
        assert occurrences(path) == {"db": 0, "-wal": 0, "-shm": 0}
        register.add_cases([], team=TEAM)  # the register goes on working
    assert occurrences(path) == {"db": 0, "-wal": 0, "-shm": 0}


def test_retention_scrubs_the_files_too(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    with _filled(str(path), KEY) as register:
        checkpoint(register.engine)
        import datetime as dt

        removed = register.apply_retention(TEAM, years=0, today=dt.date(2021, 1, 1))
        gone = {str(c.code) for c in EXAMPLE.cases} - {str(c.code) for c in register.cases(TEAM)}
        assert removed.cases == len(gone) > 0
        for code in gone:
            assert occurrences(path, code) == {"db": 0, "-wal": 0, "-shm": 0}


def test_a_keyed_register_refuses_a_missing_or_wrong_key(tmp_path: Path) -> None:
    path = tmp_path / "register.db"
    Register(path, user="u-1", key=KEY).close()
    with pytest.raises(e.errors.ConfigError, match="register is keyed"):
        Register(path, user="u-1")
    with pytest.raises(e.errors.ConfigError, match="not this register's key") as raised:
        Register(path, user="u-1", key="another-key-of-enough-bytes")
    assert "another-key" not in str(raised.value)
    with pytest.raises(e.errors.InvalidValueError, match="at least 16 bytes") as short:
        Register(path, user="u-1", key="short")
    assert "short" not in str(short.value).replace("shorter", "")


def test_the_key_may_come_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ETTERVERN_REGISTER_KEY", KEY)
    Register(tmp_path / "register.db", user="u-1").close()
    monkeypatch.delenv("ETTERVERN_REGISTER_KEY")
    Register(tmp_path / "register.db", user="u-1", key=KEY).close()
