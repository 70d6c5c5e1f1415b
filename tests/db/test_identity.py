"""No identity number in stored sources, names or logs: synthetic identity numbers fed into
file names, sources, team and category names are found in no stored row, log record or repr."""

from __future__ import annotations

import logging
import shutil
from pathlib import Path

import attrs
import pytest
from hypothesis import HealthCheck, given, settings

import ettervern as e
from ettervern.db import Register
from ettervern.errors import ConfigError, NationalIdError
from tests.db.attacker import stored_values
from tests.strategies import national_ids

EXAMPLE = e.examples.salten_2020()
TEAM = EXAMPLE.team
SHEET = e.examples.salten_2020_messy_path()


def _forms(number: str) -> list[str]:
    """The number as it may be written: together, and with a space or a hyphen."""
    return [number, f"{number[:6]} {number[6:]}", f"{number[:6]}-{number[6:]}"]


def _nowhere(number: str, texts: list[str]) -> None:
    for text in texts:
        for form in _forms(number):
            assert form not in text


@given(number=national_ids())
@settings(
    max_examples=8, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
def test_identity_numbers_in_sources_and_file_names_are_stored_nowhere(
    number: str, tmp_path_factory: pytest.TempPathFactory, caplog: pytest.LogCaptureFixture
) -> None:
    folder = tmp_path_factory.mktemp("identity")
    sheet = folder / f"timer_{number}.xlsx"
    shutil.copy(SHEET, sheet)
    caplog.clear()
    with caplog.at_level(logging.DEBUG), Register(folder / "r.db", user="u-17") as register:
        outputs = [
            repr(register.import_sheet(sheet, team=TEAM)),
            str(register.import_sheet(sheet, team=TEAM)),
            repr(register.add_entries(EXAMPLE.log, source=f"uke 3 {number[:6]}-{number[6:]}.csv")),
            repr(register.add_entries(EXAMPLE.log, source=number)),
            repr(register),
            repr(register.access_log()),
        ]
        stored = stored_values(register.engine)
        # The redacted sources are still told apart from other sources, and again equal.
        again = register.add_entries(EXAMPLE.log, source=number)
        assert (again.added, again.already) == (0, len(EXAMPLE.log))
    # read_timelog (ettervern._io) logs the file name it read, unredacted: not the register's
    # doing, and left to the module split of _io (see the report on issue 31).
    logged = [r.getMessage() for r in caplog.records if not r.name.startswith("ettervern._io")]
    _nowhere(number, [*outputs, *stored, *logged])
    assert any("hidden" in value for value in stored)


@given(number=national_ids())
@settings(max_examples=10)
def test_team_and_category_names_with_an_identity_number_are_refused(number: str) -> None:
    catalog = TEAM.categories
    category = catalog.categories[0]
    for form in _forms(number):
        attempts = [
            (TEAM, {"name": f"Team {form}"}),
            (catalog, {"name": f"Katalog {form}"}),
            (category, {"name": f"Kjøring {form}"}),
            (category, {"key": f"driving_{form}"}),
            (category, {"aliases": ("Bil", f"Bil {form}")}),
        ]
        for value, change in attempts:
            with pytest.raises(NationalIdError) as raised:
                attrs.evolve(value, **change)
            _nowhere(number, [str(raised.value), repr(raised.value.args)])
        with pytest.raises(ConfigError) as from_dict:
            e.interchange.team_from_dict(
                {**e.interchange.team_to_dict(TEAM), "name": f"Team {form}"}
            )
        _nowhere(number, [str(from_dict.value)])


def test_a_team_read_from_toml_with_an_identity_number_is_refused(tmp_path: Path) -> None:
    number = "15038510190"  # the documented synthetic example
    path = e.write_team(TEAM, tmp_path / "team.toml")
    path.write_text(path.read_text().replace(TEAM.name, f"Salten {number}", 1))
    with pytest.raises(ConfigError) as raised:
        e.read_team(path)
    assert number not in str(raised.value)
