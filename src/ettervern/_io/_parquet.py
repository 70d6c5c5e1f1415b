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
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ettervern._core import MunicipalityChange, Team
from ettervern._io._convert import drops_input_when_refused, unreadable, wrong_suffix
from ettervern._io._frames import cases_from_frame, cases_to_frame
from ettervern._io._result import MAX_LISTED, REJECTED_COLUMNS, ImportResult, render_all
from ettervern._io._sheets import first_rejected, rejected_rows
from ettervern._l10n import N_, Message, normalise_name
from ettervern._pathway import Case
from ettervern._timelog import (
    BATCH_ROWS,
    COLUMNS,
    TimeLog,
    blank_cells,
    checked_arrow_batches,
    historical_place,
    join_frames,
    lean,
    validate_frame,
)
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
def read_parquet(
    path: str | Path, *, team: Team, strict: bool = False, drop_columns: Sequence[str] = ()
) -> ImportResult[TimeLog]:
    """Read a log written by [`write_parquet()`][ettervern.write_parquet] (or any Parquet file
    with the log's columns), each row checked as [`read_timelog()`][ettervern.read_timelog]
    checks it: the rows accepted, and each row rejected with its place in the file as pandas
    numbers it (``row``: the first row is 0, ``pd.read_parquet(path).iloc[row]``), its column,
    its value (hidden when it looks like personal data) and the reason.

    As with ``read_timelog``, entirely empty rows are left out and counted (``ignored``; ``read``
    counts the others), old municipality names read as today's members are named (``renamed``,
    ``changes``), and a column that is not the log's and holds a value is refused unless given
    in ``drop_columns`` (free text invites personal data; the index pandas may have stored
    is not a column of the file's data).

    A record batch of rows that all keep the rules is checked on its columns' codes; only a
    batch with a doubtful row is validated row by row, so one bad row in ten million costs
    little more than none. At most 10,000 rejected rows are listed; any beyond are counted
    (``unlisted``).

    [`ImportLimits`][ettervern.ImportLimits] does not apply: the reader is for national
    volumes (tens of millions of rows), and holds the file's columns in memory while it reads
    (about 40 bytes a row for a file ``write_parquet`` wrote: its Arrow columns and the log
    made of them). To bound what an untrusted file may cost, look at its rows first:
    ``pyarrow.parquet.ParquetFile(path).metadata.num_rows``.

    Args:
        path: a ``.parquet`` file with the columns ``case``, ``date``, ``municipality``,
            ``category``, ``hours`` and optionally ``staff``.
        team: whose log it is: its members, categories and code scheme decide what is valid.
        strict: raise [`TimeLogError`][ettervern.errors.TimeLogError] on the first bad row
            instead.
        drop_columns: other columns to leave out.

    Raises:
        ConfigError: the name does not end in ``.parquet``, the file does not exist or is not
            Parquet, a column of the log is missing or holds another type of value, another
            column holds a value and is not dropped.
        MissingDependencyError: pyarrow is not installed (``ettervern[fast]``).
        TimeLogError: with ``strict``, a row breaks a rule of the team's log.
    """
    path = _checked(path)
    _pyarrow()
    table = _read_table(path)
    table = _check_types(table, path)
    table = _log_columns(table, path, drop_columns)
    result = _import(table, team, path.name, strict)
    renamed = _renamed(table, team)
    if not renamed:
        return result
    return attrs.evolve(
        result,
        renamed=tuple((old, new) for old, (new, _) in renamed.items()),
        changes=tuple(c for _, changes in renamed.values() for c in changes),
    )


_TYPES = {
    "case": ("string", "null"),
    "date": ("date32", "timestamp"),
    "municipality": ("string",),
    "category": ("string",),
    "hours": ("int64", "double"),
    "staff": ("int64", "double", "null"),
}
"""The Arrow types each of the log's columns may hold (as Arrow names them; text may also be a
dictionary of text, a date any date or timestamp, a number any integer or float). A column of
nulls may be of type ``null`` too (or, on a row or more, of any type): see ``_nulls_as_missing``."""


def _kind(arrow_type: Any) -> str:
    """An Arrow type in the words of ``_TYPES`` (its own name when it is none of them)."""
    types = importlib.import_module("pyarrow").types
    if types.is_dictionary(arrow_type):
        arrow_type = arrow_type.value_type
    checks = {
        "string": lambda t: types.is_string(t) or types.is_large_string(t),
        "null": types.is_null,
        "date32": types.is_date,
        "timestamp": types.is_timestamp,
        "int64": types.is_integer,
        "double": types.is_floating,
    }
    return next((kind for kind, check in checks.items() if check(arrow_type)), str(arrow_type))


def _check_types(table: Any, path: Path) -> Any:
    """``table`` with each of the log's columns that holds nothing but nulls as a column of
    Arrow's type ``null`` (see ``_nulls_as_missing``); refused without the log's columns, or
    with one of another type.

    A column of nulls (of type ``null``, a dictionary of nulls, or, on a row or more, of any
    type) is a column missing from every row: each row is then checked as a row missing that
    cell (rejected, unless the log may miss it), as ``read_timelog`` checks an empty column,
    never the file refused for the column's type."""
    table = _nulls_as_missing(table)
    names = table.column_names
    missing = [c for c in COLUMNS[:5] if c not in names]
    if missing:
        problem = Message(
            "the time log needs the columns {needed!r}; missing: {missing!r}",
            needed=COLUMNS[:5],
            missing=missing,
        )
        raise ConfigError(str(path), [problem])
    problems: list[Message] = []
    for column, kinds in _TYPES.items():
        if column not in names:
            continue
        found = _kind(table.schema.field(column).type)
        if found not in (*kinds, "null"):
            problems.append(
                Message(
                    "column {column!r} of the Parquet file holds {found}; a time log holds "
                    "{expected} there",
                    column=column,
                    found=found,
                    expected=" | ".join(kinds),
                )
            )
    if problems:
        raise ConfigError(str(path), problems)
    return table


def _nulls_as_missing(table: Any) -> Any:
    """``table`` with each of the log's columns that holds nothing but nulls as a column of
    type ``null`` (what pandas reads as a column of ``None``) where it is of type ``null``
    already, a dictionary of nulls, or, on a row or more, of a type the log does not hold there
    (a typed column of nulls of the log's type is read as it is)."""
    pa = importlib.import_module("pyarrow")
    for column in COLUMNS:
        if column not in table.column_names:
            continue
        values = table.column(column)
        kind = _kind(values.type)
        missing = table.num_rows > 0 and values.null_count == len(values)
        if kind == "null" or (missing and kind not in _TYPES[column]):
            at = table.column_names.index(column)
            table = table.set_column(at, column, pa.nulls(table.num_rows))
    return table


def _log_columns(table: Any, path: Path, drop_columns: Sequence[str]) -> Any:
    """The log's columns of ``table``; any other that holds a value (not only nulls and
    spaces) is refused unless it is dropped or is the index pandas stored."""
    dropped = {normalise_name(c) for c in drop_columns}
    metadata = table.schema.pandas_metadata or {}
    index = {c for c in metadata.get("index_columns", ()) if isinstance(c, str)}
    for name in table.column_names:
        if name in COLUMNS or name in index or normalise_name(name) in dropped:
            continue
        if not _empty_column(table.column(name)):
            template = N_(
                "column {label!r} is not part of the time log; free text invites "
                "personal data, so it is refused. Pass {code} to leave it out."
            )
            problem = Message(template, label=name, code=f"drop_columns=[{name!r}]")
            raise ConfigError(str(path), [problem])
    return table.select([c for c in table.column_names if c in COLUMNS])


def _empty_column(column: Any) -> bool:
    """Whether an Arrow column holds nothing but nulls (and, for text, only spaces)."""
    pa = importlib.import_module("pyarrow")
    pc = importlib.import_module("pyarrow.compute")
    if column.null_count == len(column):
        return True
    kind = column.type.value_type if pa.types.is_dictionary(column.type) else column.type
    if not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        return False
    texts = pc.unique(column.drop_null()).to_pylist()
    return all(str(text).strip() == "" for text in texts)


def _renamed(table: Any, team: Team) -> dict[str, tuple[str, tuple[MunicipalityChange, ...]]]:
    """The old municipality names of the file that read as today's members (as
    ``read_timelog`` names them), with the member and the changes on the way."""
    pc = importlib.import_module("pyarrow.compute")
    found: dict[str, tuple[str, tuple[MunicipalityChange, ...]]] = {}
    column = table.column("municipality")
    if _no_old_names(column, team):  # the rows name only texts of the dictionaries
        return found
    for value in pc.unique(column).to_pylist():
        text = "" if value is None else str(value).strip()
        if text and text not in found:
            old = historical_place(team, text)
            if old is not None:
                found[text] = old
    return found


def _no_old_names(column: Any, team: Team) -> bool:
    """Whether ``column`` is a dictionary column none of whose dictionaries' texts is an old
    name (then no row's is, and its rows need not be read for one)."""
    pa = importlib.import_module("pyarrow")
    if not pa.types.is_dictionary(column.type):
        return False
    texts = {
        "" if value is None else str(value).strip()
        for chunk in column.chunks
        for value in chunk.dictionary.to_pylist()
    }
    return all(not text or historical_place(team, text) is None for text in texts)


def _import(table: Any, team: Team, source: str, strict: bool) -> ImportResult[TimeLog]:
    """The rows of ``table`` accepted and rejected: the batches that keep every rule on their
    codes, the others looked at again in smaller batches, whose doubtful ones are validated row
    by row, all put back in their places."""
    checked = checked_arrow_batches(table, team)
    if checked is not None and not checked[1]:  # every row good: the log as it was checked
        empty = pd.DataFrame(columns=list(REJECTED_COLUMNS))
        return ImportResult(accepted=checked[0], rejected=empty, read=table.num_rows, source=source)
    rows = _Rows(team, strict)
    pieces = _pieces(table, checked, rows, (0, BATCH_ROWS))
    return rows.result(pieces, table.num_rows, source)


SMALL_BATCH_ROWS = 4096
"""The rows of a doubtful batch checked again on codes at a time: one bad row in ten million
is validated row by row with at most this many others."""


def _pieces(
    table: Any,
    checked: tuple[TimeLog, list[tuple[int, int]]] | None,
    rows: _Rows,
    at: tuple[int, int],
) -> list[pd.DataFrame]:
    """The lean rows of ``table`` (whose first row is row ``at[0]`` of the file), in order:
    those ``checked`` on codes in batches of ``at[1]`` rows, and the doubtful batches'
    (checked again in small batches, or validated row by row when small already)."""
    first, batch = at
    if checked is None:  # nothing to read on codes: each batch row by row
        fast, spans = (
            None,
            [(a, min(a + batch, table.num_rows)) for a in range(0, table.num_rows, batch)],
        )
    else:
        fast, spans = checked
    pieces: list[pd.DataFrame] = []
    taken = 0
    for start, stop in spans:
        if fast is not None:  # the good batches before this one
            before = start - sum(b - a for a, b in spans if b <= start)
            pieces.append(fast._lean.iloc[taken:before])
            taken = before
        part = table.slice(start, stop - start)
        if batch > SMALL_BATCH_ROWS:
            again = checked_arrow_batches(part, rows.team, batch_rows=SMALL_BATCH_ROWS)
            pieces += _pieces(part, again, rows, (first + start, SMALL_BATCH_ROWS))
        else:
            pieces.append(rows.validate(part, first + start))
    if fast is not None:
        pieces.append(fast._lean.iloc[taken:])
    return pieces


@attrs.define
class _Rows:
    """The doubtful batches of a file, validated row by row: their rejected rows (at most
    ``MAX_LISTED`` listed, the rest counted), or, if strict, the first as an error naming how
    many rows were bad."""

    team: Team
    strict: bool
    rejected: list[pd.DataFrame] = attrs.Factory(list)
    listed: int = 0
    unlisted: int = 0
    ignored: int = 0
    """Rows left out because every cell of the log's was empty."""

    def validate(self, part: Any, start: int) -> pd.DataFrame:
        """The lean rows of ``part`` (a slice of the table from row ``start``) that keep every
        rule; the others noted with their row in the file (from 0, as pandas numbers them)."""
        frame = part.to_pandas()
        frame = frame[[c for c in COLUMNS if c in frame.columns]].reset_index(drop=True)
        rows = np.arange(start, start + len(frame))
        blank = np.logical_and.reduce([blank_cells(frame[c]) for c in frame.columns])
        if blank.any():  # entirely empty rows are left out and counted, as read_timelog does
            self.ignored += int(blank.sum())
            frame, rows = frame[~blank].reset_index(drop=True), rows[~blank]
        good, problems = validate_frame(frame, self.team)
        if len(problems):
            table = frame.astype({"date": object})
            table["date"] = table["date"].where(frame["date"].notna(), None)
            table.insert(0, "row", rows)
            table.insert(0, "sheet", "")
            rejected = rejected_rows(problems, table)
            room = max(MAX_LISTED - self.listed, 0)
            self.rejected.append(rejected.iloc[:room])
            self.listed += min(room, len(rejected))
            self.unlisted += max(len(rejected) - room, 0)
        return lean(good, self.team)

    def result(self, pieces: list[pd.DataFrame], read: int, source: str) -> ImportResult[TimeLog]:
        """The accepted log of ``pieces`` (lean rows in the file's order) and the rejections."""
        rejected = pd.concat(
            [pd.DataFrame(columns=list(REJECTED_COLUMNS)), *self.rejected], ignore_index=True
        )
        if self.strict and len(rejected):  # the first bad row, as the row path raised it
            raise first_rejected(rejected, count=len(rejected) + self.unlisted)
        reasons = tuple(rejected["reason"])
        rejected["reason"] = pd.Series(
            render_all(reasons, "en"), index=rejected.index, dtype=object
        )
        rejected["row"] = rejected["row"].astype("int64")
        if not pieces:  # a file without rows
            pieces = [TimeLog.empty(self.team)._lean]
        # The pieces' categories in one order (the first's), so that joined they stay codes.
        kinds = {c: pieces[0][c].dtype for c in ("municipality", "category")}
        same = [
            piece if all(piece[c].dtype == k for c, k in kinds.items()) else piece.astype(kinds)
            for piece in pieces
        ]
        joined = join_frames(same, self.team).reset_index(drop=True)
        return ImportResult(
            accepted=TimeLog._of_lean(joined, self.team),
            rejected=rejected,
            reasons=reasons,
            read=read - self.ignored,
            ignored=self.ignored,
            source=source,
            unlisted=self.unlisted,
        )


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
