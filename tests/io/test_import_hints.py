"""Messages of the importer that point at the fix: a day that does not exist, a misspelt header,
a case code in the team's own format."""

from __future__ import annotations

from pathlib import Path

import pytest

import ettervern as e
from ettervern.errors import ConfigError


def _read(tmp_path: Path, text: str, team: e.Team | None = None) -> e.ImportResult:
    path = tmp_path / "ark.csv"
    path.write_text(text, encoding="utf-8")
    return e.read_timelog(path, team=team or e.teams.salten())


def test_a_day_that_does_not_exist_is_told_so(tmp_path: Path) -> None:
    result = _read(
        tmp_path, "Sak;Dato;Kommune;Hendelse;Tidsbruk\n01/25-FA;31.02.2025;Fauske;Kjøring;2\n"
    )
    reason = result.rejected_in("nb").iloc[0, -1]
    assert reason == "datoen finnes ikke: «31.02.2025»; den måneden har 28 dager"
    assert "21.01.2020" not in reason


def test_a_misspelt_header_is_named(tmp_path: Path) -> None:
    with pytest.raises(ConfigError) as caught:
        _read(tmp_path, "Sak;Dato;Kommune;Hendelse;Tidbruk\n01/20-FA;21.01.2020;Fauske;Kjøring;2\n")
    assert "overskriften «Tidbruk»: mente du «Tidsbruk»?" in caught.value.message_in("nb")


def test_a_name_in_the_case_column_is_advised_in_the_teams_own_codes(tmp_path: Path) -> None:
    result = _read(
        tmp_path,
        "Sak;Dato;Kommune;Hendelse;Tidsbruk\nOla Nordmann;02.01.2019;Hå;Gruppetilbud;2\n",
        team=e.teams.jaeren(),
    )
    reason = result.rejected_in("en").iloc[0, -1]
    assert "use codes like" in reason
    assert e.teams.jaeren().example_code in reason and "-ST" not in reason
