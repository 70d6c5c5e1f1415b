"""Parquet files of the time log, where pyarrow is installed."""

from __future__ import annotations

import sys
from pathlib import Path

import pandas as pd
import pytest

import ettervern as e

pytest.importorskip("pyarrow")


def test_a_log_round_trips_through_parquet(salten: e.Team, tmp_path: Path) -> None:
    log = e.examples.salten_2020().log
    path = e.write_parquet(log, tmp_path / "timer_2020.parquet")
    back = e.read_parquet(path, team=salten)
    assert back == log
    assert back.total_hours == log.total_hours
    assert list(pd.read_parquet(path).columns) == [
        "case",
        "date",
        "municipality",
        "category",
        "hours",
        "staff",
    ]


def test_a_parquet_file_is_validated_like_a_frame(salten: e.Team, tmp_path: Path) -> None:
    frame = e.examples.salten_2020().log.to_frame()
    frame.loc[3, "hours"] = 0.3  # off the half-hour step
    path = tmp_path / "bad.parquet"
    frame.to_parquet(path, index=False)
    with pytest.raises(e.errors.TimeLogError, match=r"steps of 0\.5"):
        e.read_parquet(path, team=salten)


def test_parquet_needs_its_suffix_the_file_and_pyarrow(
    salten: e.Team, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    log = e.examples.salten_2020().log
    with pytest.raises(e.errors.ConfigError, match=r"\.parquet"):
        e.write_parquet(log, tmp_path / "timer.csv")
    with pytest.raises(e.errors.MissingFileError, match="does not exist"):
        e.read_parquet(tmp_path / "missing.parquet", team=salten)
    monkeypatch.setitem(sys.modules, "pyarrow", None)
    with pytest.raises(e.errors.MissingDependencyError, match=r"ettervern\[fast\]"):
        e.write_parquet(log, tmp_path / "timer.parquet")


@pytest.mark.parametrize("content", [b"not parquet at all", b"PAR1" + b"\x00" * 40 + b"PAR1", b""])
def test_a_file_that_is_not_parquet_gets_a_clear_error(tmp_path: Path, content: bytes) -> None:
    # pyarrow's own errors (ArrowInvalid) used to escape the error hierarchy.
    path = tmp_path / "broken.parquet"
    path.write_bytes(content)
    with pytest.raises(e.errors.ConfigError, match="Parquet"):
        e.read_parquet(path, team=e.teams.salten())
    with pytest.raises(e.errors.ConfigError, match="Parquet"):
        e.read_cases_parquet(path)


def test_a_truncated_file_gets_a_clear_error(tmp_path: Path) -> None:
    path = e.write_cases_parquet(e.examples.salten_2020().cases, tmp_path / "cases.parquet")
    path.write_bytes(path.read_bytes()[: len(path.read_bytes()) // 2])
    with pytest.raises(e.errors.ConfigError, match="Parquet"):
        e.read_cases_parquet(path)
