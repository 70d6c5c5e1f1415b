"""Parquet files of the time log and of cases: the way past one machine's memory, read by any
engine.

A log of a county or a country over many years is best kept as Parquet files (one a year, or a
municipality) in the documented schema of [`TimeLog.to_frame()`][ettervern.TimeLog.to_frame]:
columnar, compressed, typed, and read by pandas, DuckDB, Polars or Spark alike. Cases go as their
table of events ([`cases_to_frame()`][ettervern.cases_to_frame]). Needs pyarrow (the ``fast``
extra).
"""

from __future__ import annotations

import importlib
from collections.abc import Iterable
from pathlib import Path
from typing import Any

import pandas as pd

from ettervern._core import Team
from ettervern._io._convert import drops_input_when_refused, unreadable, wrong_suffix
from ettervern._io._frames import cases_from_frame, cases_to_frame
from ettervern._io._result import ImportResult
from ettervern._l10n import Message
from ettervern._pathway import Case
from ettervern._timelog import TimeLog, checked_arrow_log
from ettervern.errors import ConfigError, MissingDependencyError, MissingFileError

__all__ = ["read_cases_parquet", "read_parquet", "write_cases_parquet", "write_parquet"]


def _pyarrow() -> None:
    try:
        importlib.import_module("pyarrow")
    except ImportError:
        purpose = Message("read and write Parquet files")
        raise MissingDependencyError("pyarrow", "fast", purpose) from None


def _checked(path: str | Path) -> Path:
    path = Path(path)
    if path.suffix.lower() != ".parquet":
        raise ConfigError(str(path), [wrong_suffix(path.suffix, ".parquet")])
    return path


def write_parquet(log: TimeLog, path: str | Path) -> Path:
    """Write the log's entries to a ``.parquet`` file in the schema of
    [`TimeLog.to_frame()`][ettervern.TimeLog.to_frame] (categorical codes stay codes).

    Raises:
        ConfigError: the name does not end in ``.parquet``.
        MissingDependencyError: pyarrow is not installed (``ettervern[fast]``).
    """
    path = _checked(path)
    _pyarrow()
    log.to_frame().to_parquet(path, index=False)
    return path


@drops_input_when_refused
def read_parquet(path: str | Path, *, team: Team) -> TimeLog:
    """Read a log written by [`write_parquet()`][ettervern.write_parquet] (or any Parquet file
    with the log's columns), validated as [`TimeLog.from_frame()`][ettervern.TimeLog.from_frame]
    validates.

    Raises:
        ConfigError: the name does not end in ``.parquet``, or the file does not exist.
        MissingDependencyError: pyarrow is not installed (``ettervern[fast]``).
        TimeLogError: a row breaks a rule of the team's log.
    """
    path = _checked(path)
    _pyarrow()
    log = checked_arrow_log(_read_table(path), team)
    return TimeLog.from_frame(_read(path), team=team) if log is None else log


def write_cases_parquet(cases: Iterable[Case], path: str | Path) -> Path:
    """Write cases to a ``.parquet`` file as a table of events, one row per event (see
    [`cases_to_frame()`][ettervern.cases_to_frame]).

    Raises:
        ConfigError: the name does not end in ``.parquet``.
        MissingDependencyError: pyarrow is not installed (``ettervern[fast]``).
    """
    path = _checked(path)
    _pyarrow()
    cases_to_frame(cases).to_parquet(path, index=False)
    return path


@drops_input_when_refused
def read_cases_parquet(
    path: str | Path, *, team: Team | None = None, strict: bool = False
) -> ImportResult[tuple[Case, ...]]:
    """Read cases from a ``.parquet`` table of events written by
    [`write_cases_parquet()`][ettervern.write_cases_parquet] or by any engine with its columns,
    checked, accepted and rejected as [`cases_from_frame()`][ettervern.cases_from_frame] does.

    Raises:
        ConfigError: the name does not end in ``.parquet``, the file does not exist, or its
            columns are not a table of events; with ``strict``, a value, event or case is bad
            (named by its row or case).
        MissingDependencyError: pyarrow is not installed (``ettervern[fast]``).
    """
    path = _checked(path)
    _pyarrow()
    return cases_from_frame(_read(path), team=team, source=str(path), strict=strict)


def _read_table(path: Path) -> Any:
    """The Arrow table of a Parquet file, as ``_read`` reads it (the same errors)."""
    if not path.is_file():
        raise MissingFileError(str(path))
    try:
        return importlib.import_module("pyarrow.parquet").read_table(path)
    except Exception as exc:  # pyarrow's errors (ArrowInvalid, ArrowIOError, …) and OSError
        raise ConfigError(str(path), [unreadable("Parquet", exc)]) from None


def _read(path: Path) -> pd.DataFrame:
    """The table of a Parquet file; a file pyarrow cannot read is named with pyarrow's reason.

    Raises:
        ConfigError: the file does not exist or is not a Parquet file pyarrow can read.
    """
    if not path.is_file():
        raise MissingFileError(str(path))
    try:
        return pd.read_parquet(path)
    except Exception as exc:  # pyarrow's errors (ArrowInvalid, ArrowIOError, …) and OSError
        raise ConfigError(str(path), [unreadable("Parquet", exc)]) from None
