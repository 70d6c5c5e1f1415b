"""Reading the teams' time sheets as they really are, and writing them back.

Teams keep their time in Excel: five columns (*Sak, Dato, Kommune, Hendelse, Tidsbruk*), often one
sheet per month, a title above the header, dates and hours typed in several ways, and CSV files as
Norwegian Excel saves them (semicolons, decimal commas, a byte-order mark or Windows-1252).
[`read_timelog()`][ettervern.read_timelog] takes all of that, keeps every row accounted for —
accepted, rejected with a reason, or ignored because it is empty — and never loops in Python over
the rows: each column's distinct values are parsed once.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any

import attrs
import numpy as np
import pandas as pd

from ettervern._core import MunicipalityChange, Team
from ettervern._io._cells import as_typed, date_reason, parse_dates, parse_hours
from ettervern._io._coded import coded_block
from ettervern._io._convert import (
    collector_paused,
    drops_input_when_refused,
    unreadable,
    wrong_suffix,
)
from ettervern._io._csv import read_csv_blocks
from ettervern._io._header import (
    NoHeaderError,
    column_letters,
    locate_header,
    other_columns,
    shown_name,
    where,
)
from ettervern._io._limits import DEFAULT_LIMITS, ImportLimits, open_within_limits
from ettervern._io._progress import Progress
from ettervern._io._result import REJECTED_COLUMNS, ImportResult, render_all
from ettervern._io._xlsx import excel_engine, read_xlsx
from ettervern._l10n import N_, Message, normalise_name, redact_value, translate
from ettervern._render import Formulas, csv_safe, text_cell
from ettervern._timelog import (
    COLUMNS,
    NOT_A_DATE,
    TimeLog,
    blank_cells,
    factorize,
    historical_place,
    in_schema,
    join_frames,
    lean,
    rule_of,
    validate_frame,
)
from ettervern.errors import ConfigError, MissingDependencyError, TimeLogError
from ettervern.privacy import HIDDEN

__all__ = ["first_rejected", "read_timelog", "rejected_rows", "write_timelog"]

logger = logging.getLogger(__name__)
"""Under ``logging.getLogger("ettervern")``: what was read, skipped and rejected (counts and
reasons, never a value from the sheet)."""


@drops_input_when_refused
def read_timelog(
    path_or_buffer: str | Path | IO[bytes],
    *,
    team: Team,
    strict: bool = False,
    drop_columns: Sequence[str] = (),
    format: str | None = None,
    progress: bool | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
) -> ImportResult[TimeLog]:
    """Read a time sheet (.xlsx or .csv) as the team keeps it.

    Accepts the Norwegian headers (*Sak, Dato, Kommune, Hendelse, Tidsbruk*, and *Ansatte* for
    the staff present) or English ones, a title or blank rows above the header, several sheets
    (one per month), CSV with semicolons or commas, decimal commas, a byte-order mark or
    Windows-1252. Entirely empty rows are ignored and counted; every other row is accepted or
    rejected with a reason.

    Args:
        path_or_buffer: a path or a binary file object.
        team: whose sheet it is: its members, categories and code scheme decide what is valid.
        strict: raise [`TimeLogError`][ettervern.errors.TimeLogError] on the first bad row instead.
        drop_columns: extra columns to leave out. Any other column with content is refused,
            because free text invites personal data.
        format: ``"csv"`` or ``"xlsx"`` when it cannot be told from the file name.
        progress: a progress bar on standard error once more than 100,000 rows are read (needs
            ``tqdm``: ``pip install "ettervern[progress]"``). ``None`` shows it on a terminal.
        limits: the largest file, line, number of columns and rows, and unzipped workbook to
            read (``ImportLimits``); a file beyond them is refused before it is parsed.

    What was read, skipped and rejected is logged to ``logging.getLogger("ettervern")`` (counts
    and column names, never a value from the sheet).

    Raises:
        ConfigError: the file is missing, unreadable, or has no header row.
        MissingDependencyError: an .xlsx file and openpyxl is not installed (``ettervern[excel]``).
        ImportLimitError: the file exceeds one of ``limits`` (a subclass of ConfigError).
    """
    name = _name_of(path_or_buffer)
    source, kind = open_within_limits(path_or_buffer, name, format, limits)
    dropped = {normalise_name(c) for c in drop_columns}
    bar = Progress(enabled=progress, description=Path(name).name)
    collected = _Collected()
    try:
        reading = _Reading(team, strict, dropped, name, bar, limits)
        with collector_paused():  # a sheet's cells are many containers and no cycles
            collected.encoding = _read_into(collected, collected.skipped, source, kind, reading)
    finally:
        bar.close()
    if not collected.seen_header:
        raise ConfigError(name, [Message("no sheet with a time-log header")])
    # A buffer without a name is called "sheet" in the summary, in the user's language.
    result = _result(collected, team, Path(name).name if _named(path_or_buffer) else "")
    _log_result(result)
    return result


def _name_of(source: object) -> str:
    """The name a file is called by in messages: its path, or the file object's name (hidden
    when it holds an identity number)."""
    name = source if isinstance(source, str | Path) else getattr(source, "name", "sheet")
    return shown_name(str(name))


def _named(source: object) -> bool:
    """Whether a sheet was given by path or as a file with a name (not a bare buffer)."""
    return isinstance(source, str | Path) or bool(getattr(source, "name", None))


def _read_into(
    collected: _Collected, skipped: list[str], source: bytes, kind: str, reading: _Reading
) -> str:
    """Read every sheet (or the CSV file) into ``collected``; the CSV file's encoding."""
    name = reading.name
    if kind != "xlsx":
        return read_csv_blocks(
            source, name, reading.limits, lambda blocks: _collect(collected, "", blocks, reading)
        )
    try:
        sheets = read_xlsx(source, name, reading.limits)
    except (MissingDependencyError, ConfigError):
        raise
    except Exception as exc:  # any parser failure becomes one clear line
        raise ConfigError(name, [unreadable("XLSX", exc)]) from None
    for sheet, frame in sheets:
        try:
            _collect(collected, sheet, [frame], reading)
        except NoHeaderError:
            if len(sheets) == 1:
                raise
            skipped.append(sheet)  # a pivot table or notes: named in the summary
    return ""


def _result(collected: _Collected, team: Team, source: str) -> ImportResult[TimeLog]:
    """What the parts of a file gave, as one result: the joined log and the rejected rows."""
    rejected = (
        pd.concat(collected.rejected, ignore_index=True)
        if collected.rejected
        else pd.DataFrame(columns=list(REJECTED_COLUMNS))
    )
    reasons = tuple(rejected["reason"])
    rejected["reason"] = pd.Series(render_all(reasons, "en"), index=rejected.index, dtype=object)
    return ImportResult(
        # Every block was validated as it was read, into lean rows: joined, they are the log.
        accepted=TimeLog._of_lean(join_frames(collected.good or [_no_rows(team)], team), team),
        rejected=rejected,
        reasons=reasons,
        read=collected.read,
        ignored=collected.ignored,
        source=source,
        skipped=tuple(collected.skipped),
        renamed=tuple((old, new) for old, (new, _) in collected.renamed.items()),
        changes=tuple(c for _, changes in collected.renamed.values() for c in changes),
        encoding=collected.encoding,
    )


def _no_rows(team: Team) -> pd.DataFrame:
    """The lean rows of a sheet without any."""
    return lean(in_schema(pd.DataFrame(columns=list(COLUMNS)), team), team)


def _log_result(result: ImportResult[TimeLog]) -> None:
    """Log what was read, skipped and rejected: counts and column names, never a value."""
    logger.info(
        "read %s: %d rows, accepted %d, rejected %d, %d empty rows ignored",
        result.source or "a sheet",
        result.read,
        len(result.accepted),
        len(result.rejected),
        result.ignored,
    )
    for sheet in result.skipped:
        logger.info("skipped sheet %r of %s: no time-log header", sheet, result.source)
    if len(result.rejected):
        # By column only: a reason can quote what was typed, and a log is kept for long.
        for column, count in result.rejected["column"].value_counts().items():
            logger.debug("rejected %d rows over the column %r", count, column)


@attrs.frozen
class _Reading:
    """What every part of one import needs: the team, the rules, the file's name, the bar."""

    team: Team
    strict: bool
    dropped: set[str]
    name: str
    bar: Progress
    limits: ImportLimits = DEFAULT_LIMITS


@attrs.define
class _Collected:
    """What the parts of a file (sheets, or blocks of a large CSV) gave so far."""

    good: list[pd.DataFrame] = attrs.Factory(list)
    rejected: list[pd.DataFrame] = attrs.Factory(list)
    read: int = 0
    ignored: int = 0
    seen_header: bool = False
    renamed: dict[str, tuple[str, tuple[MunicipalityChange, ...]]] = attrs.Factory(dict)
    skipped: list[str] = attrs.Factory(list)
    """Sheets of a workbook without a time-log header."""
    encoding: str = ""
    """The encoding a CSV file was read in."""


def _collect(
    collected: _Collected, sheet: str, blocks: Iterable[pd.DataFrame], reading: _Reading
) -> None:
    """Read one sheet given as blocks of rows (one block, or many for a large CSV).

    The header is looked for in the first block; each block is then parsed and validated on its
    own, so memory stays at the size of the accepted log plus one block.
    """
    header_at: int | None = None
    columns: dict[str, int] = {}
    labels: dict[int, str] = {}
    for block in blocks:
        reading.bar.advance(len(block))
        if header_at is None:
            if block.empty:
                return
            header_at, columns = locate_header(sheet, block, reading.name)
            collected.seen_header = True
            labels = other_columns(block.iloc[header_at].astype(object).tolist(), columns)
        body = block[block.index > header_at]
        _refuse_other_columns(body, labels, sheet, reading)
        coded = coded_block(body, columns, reading.team)
        if coded is not None:  # every row good: read on the codes, as the row checks read it
            _note_renamed(collected, body.iloc[:, columns["municipality"]], reading.team)
            collected.good.append(coded[0])
            collected.read += len(coded[0])
            collected.ignored += coded[1]
            continue
        table = _table(collected, body, columns, sheet)
        if len(table):
            _validate(collected, table, reading)


def _refuse_other_columns(
    body: pd.DataFrame, labels: dict[int, str], sheet: str, reading: _Reading
) -> None:
    """Refuse a column that is not the log's and holds something, unless it is dropped."""
    for position, label in labels.items():
        if position >= body.shape[1] or normalise_name(label) in reading.dropped:
            continue
        if not blank_cells(body.iloc[:, position]).all():
            template = (
                N_(
                    "column {label!r} is not part of the time log; free text invites "
                    "personal data, so it is refused. Pass {code} to leave it out."
                )
                if label != column_letters(position)
                else N_(
                    "column {label} has values but no header: it is not part of the time "
                    "log; free text invites personal data, so it is refused. Pass {code} "
                    "to leave it out."
                )
            )
            problem = Message(template, label=label, code=f"drop_columns=[{label!r}]")
            raise ConfigError(where(sheet, reading.name), [problem])


def _table(
    collected: _Collected, body: pd.DataFrame, columns: dict[str, int], sheet: str
) -> pd.DataFrame:
    """The log's columns of the rows below the header, entirely empty rows counted and left
    out, with the sheet and the row number Excel shows."""
    picked = pd.DataFrame({column: body.iloc[:, position] for column, position in columns.items()})
    blank = np.logical_and.reduce([blank_cells(picked[c]) for c in picked.columns])
    collected.ignored += int(blank.sum())
    table: pd.DataFrame = picked[~blank]
    table.insert(0, "row", table.index.to_numpy() + 1)  # the row number Excel shows
    table.insert(0, "sheet", sheet)
    return table.reset_index(drop=True)


def _validate(collected: _Collected, table: pd.DataFrame, reading: _Reading) -> None:
    """Parse and validate a block's rows into ``collected``; in strict mode, raise on the first
    bad row."""
    parsed = pd.DataFrame(
        {
            "case": as_typed(table["case"]),
            "date": parse_dates(table["date"]),
            "municipality": as_typed(table["municipality"]),
            "category": as_typed(table["category"]),
            "hours": parse_hours(table["hours"]),
        }
    )
    if "staff" in table:
        parsed["staff"] = parse_hours(table["staff"])
    good, problems = validate_frame(parsed, reading.team)
    _note_renamed(collected, table["municipality"], reading.team)
    rejected = rejected_rows(problems, table)
    if reading.strict and len(rejected):
        raise first_rejected(rejected)
    collected.read += len(table)
    collected.good.append(lean(good, reading.team))
    if len(rejected):
        collected.rejected.append(rejected)


def first_rejected(rejected: pd.DataFrame, count: int | None = None) -> TimeLogError:
    """The error of a strict read: the first of the rows ``rejected_rows`` gives (``count``
    bad rows in all; by default as many as ``rejected`` holds)."""
    first = rejected.iloc[0]
    return TimeLogError(
        sheet=str(first["sheet"]) or None,
        row=int(first["row"]),
        column=str(first["column"]),
        value=first["value"],
        reason=first["reason"],
        count=len(rejected) if count is None else count,
        rule=rule_of(first["reason"], str(first["column"])),
    )


def _note_renamed(collected: _Collected, values: pd.Series[Any], team: Team) -> None:
    """Remember the old municipality names among ``values`` and the members they map to."""
    _, uniques = factorize(values)
    for value in uniques:
        text = str(value).strip()
        if text and text not in collected.renamed:
            old = historical_place(team, text)
            if old is not None:
                collected.renamed[text] = old


def rejected_rows(problems: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The problems in the user's terms: sheet, row number, column, the value as typed."""
    if not len(problems):
        return pd.DataFrame(columns=list(REJECTED_COLUMNS))
    rows = problems["row"].to_numpy(dtype="int64")
    raw_values = [
        value if value == HIDDEN else table[column].iloc[row] if column in table else value
        for row, column, value in zip(rows, problems["column"], problems["value"], strict=True)
    ]
    reasons = [
        date_reason(raw)
        if column == "date" and raw not in (None, "") and reason == NOT_A_DATE
        else reason
        for column, raw, reason in zip(
            problems["column"], raw_values, problems["reason"], strict=True
        )
    ]
    out = pd.DataFrame(
        {
            "sheet": table["sheet"].to_numpy()[rows],
            "row": table["row"].to_numpy()[rows],
            "column": problems["column"].to_numpy(),
            "value": [
                None
                if v is None or (isinstance(v, float) and np.isnan(v))
                else redact_value(v, HIDDEN)
                for v in raw_values
            ],
            "reason": reasons,
        }
    )
    # An empty cell shows as None, whatever the reader made of it (NaN, NA, None).
    values = out["value"].astype(object)
    out["value"] = values.where(values.notna(), None)
    # In the order the rows stand in the file: sheet by sheet as the workbook has them.
    return out.iloc[np.argsort(rows, kind="stable")].reset_index(drop=True)


def write_timelog(
    log: TimeLog,
    path: str | Path,
    *,
    locale: str | None = None,
    formulas: Formulas = "escape",
) -> Path:
    """Write ``log`` in the sheet's layout: *Sak, Dato, Kommune, Hendelse, Tidsbruk*.

    A sixth column, *Ansatte*, is written when an entry's staff differs from the team's staff per
    case, so that reading the file back gives the same log. ``.csv`` is written as Norwegian
    Excel does (semicolons, decimal commas, dd.mm.yyyy, UTF-8 with a byte-order mark); ``.xlsx``
    with real dates and numbers. Category names are the team's own. In CSV, text that a
    spreadsheet would read as a formula gets a leading ``'`` (``formulas="keep"``: as it is).
    """
    path = Path(path)
    frame = log.to_frame(copy=False)
    team = log.team
    names = {c.key: c.name for c in team.categories}
    out = pd.DataFrame(
        {
            "Sak": frame["case"].astype(object).where(frame["case"].notna(), ""),
            "Dato": frame["date"],
            "Kommune": frame["municipality"].astype(object),
            "Hendelse": frame["category"].map(names).astype(object),
            "Tidsbruk": frame["hours"],
        }
    )
    if (frame["staff"] != team.staff_per_case).any():
        out["Ansatte"] = frame["staff"]
    suffix = path.suffix.lower()
    if suffix == ".csv":
        dated = out.assign(Dato=out["Dato"].dt.strftime("%d.%m.%Y"))
        text = csv_safe(dated, formulas=formulas).to_csv(
            sep=";", decimal=",", index=False, lineterminator="\r\n"
        )
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    elif suffix in (".xlsx", ".xlsm"):
        openpyxl = excel_engine()
        from openpyxl.cell import WriteOnlyCell

        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet(translate("Time log", locale))
        sheet.append(list(out.columns))
        for row in out.itertuples(index=False):
            values: list[Any] = list(row)
            values[1] = values[1].date()
            # Text is written as text: a name beginning with "=" never becomes a formula.
            sheet.append([text_cell(WriteOnlyCell(sheet, value=v)) for v in values])
        book.save(path)
    else:
        raise ConfigError(str(path), [wrong_suffix(suffix, ".csv", ".xlsx")])
    return path
