"""python-calamine, where installed, reads .xlsx sheets; the results must be openpyxl's."""

from __future__ import annotations

import io
import sys
from pathlib import Path

import pandas as pd
import pytest

import ettervern as e
from ettervern._data import data_path

pytest.importorskip("python_calamine")
pytest.importorskip("openpyxl")


def _both(
    source: Path | bytes, team: e.Team, monkeypatch: pytest.MonkeyPatch
) -> list[e.ImportResult]:
    def read() -> e.ImportResult:
        return e.read_timelog(
            io.BytesIO(source) if isinstance(source, bytes) else source, team=team, format="xlsx"
        )

    with_calamine = read()
    monkeypatch.setitem(sys.modules, "python_calamine", None)  # import now raises ImportError
    with_openpyxl = read()
    return [with_calamine, with_openpyxl]


def _same(first: e.ImportResult, second: e.ImportResult) -> None:
    assert first.accepted == second.accepted
    pd.testing.assert_frame_equal(first.rejected, second.rejected)
    assert first.reasons == second.reasons
    assert (first.read, first.ignored, first.skipped) == (
        second.read,
        second.ignored,
        second.skipped,
    )
    assert str(first) == str(second)


def test_the_messy_example_workbook_reads_the_same_with_both_engines(
    salten: e.Team, monkeypatch: pytest.MonkeyPatch
) -> None:
    calamine, openpyxl = _both(data_path("examples/salten_2020_messy.xlsx"), salten, monkeypatch)
    _same(calamine, openpyxl)
    assert calamine.ignored == 24  # the two empty trailing rows of each sheet's dimension
    assert len(calamine.rejected) > 0


def test_a_written_workbook_without_a_dimension_reads_the_same(
    salten: e.Team, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    path = e.write_timelog(e.examples.salten_2020().log, tmp_path / "timer.xlsx")
    calamine, openpyxl = _both(path.read_bytes(), salten, monkeypatch)
    _same(calamine, openpyxl)
    assert calamine.accepted == e.examples.salten_2020().log
