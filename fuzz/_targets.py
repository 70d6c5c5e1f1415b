"""The fuzz targets: each feeds bytes to one importer and allows only ettervern's own errors.

Used by the atheris drivers in this folder (coverage-guided, ``python fuzz/run.py``) and by the
hypothesis fuzz tests in ``tests/test_fuzz.py``. A target returns normally or raises
:class:`ettervern.EttervernError`; anything else is a finding. A target also fails when an
error repeats the identity number planted in the fuzzer's dictionary.
"""

from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

import ettervern as e

TEAM = e.teams.salten()
PLANTED = "15038510190"
"""A valid fødselsnummer of no real person; the seeds carry it so that the fuzzer tries it."""


def _never_echo(error: e.EttervernError) -> None:
    for text in (str(error), error.message_in("nb")):
        if PLANTED in text:
            raise AssertionError(f"an error repeated the identity number: {text[:200]}")


def _guarded(function: Callable[[bytes], object]) -> Callable[[bytes], None]:
    def target(data: bytes) -> None:
        try:
            function(data)
        except e.EttervernError as error:
            _never_echo(error)

    target.__name__ = function.__name__
    return target


@_guarded
def timelog_csv(data: bytes) -> None:
    """CSV bytes into ``read_timelog``; an accepted result must also summarise and render."""
    result = e.read_timelog(io.BytesIO(data), team=TEAM, format="csv")
    result.summary("nn")
    result.rejected_in("en")


@_guarded
def timelog_xlsx(data: bytes) -> None:
    """Workbook bytes into ``read_timelog``."""
    result = e.read_timelog(io.BytesIO(data), team=TEAM, format="xlsx")
    result.summary("nb")


@_guarded
def case_json(data: bytes) -> None:
    """A JSON document of cases into ``cases_from_json``; what is read must write back, and
    what is rejected must be plain JSON."""
    text = data.decode("utf-8", errors="replace")
    result = e.cases_from_json(text, source="fuzz")
    e.cases_to_json(result.accepted)
    json.dumps(result.to_dict())


_TOML = Path(tempfile.gettempdir()) / f"ettervern-fuzz-{os.getpid()}.toml"


@_guarded
def team_toml(data: bytes) -> None:
    """A team file (TOML) into ``read_team``; what is read must save back."""
    _TOML.write_bytes(data)
    team = e.read_team(_TOML)
    e.interchange.team_to_dict(team)


@_guarded
def case_code(data: bytes) -> None:
    """Text into ``CaseCode.parse``; a code must never hold eleven digits in a row."""
    code = e.CaseCode.parse(data.decode("utf-8", errors="replace"))
    assert not any(run.isdigit() and len(run) >= 11 for run in str(code).split("/"))


TARGETS: dict[str, Callable[[bytes], None]] = {
    "timelog_csv": timelog_csv,
    "timelog_xlsx": timelog_xlsx,
    "case_json": case_json,
    "team_toml": team_toml,
    "case_code": case_code,
}
