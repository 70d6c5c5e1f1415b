"""Reading the teams' time sheets as they really are, and writing them back.

Teams keep their time in Excel: five columns (*Sak, Dato, Kommune, Hendelse, Tidsbruk*), often one
sheet per month, a title above the header, dates and hours typed in several ways, and CSV files as
Norwegian Excel saves them (semicolons, decimal commas, a byte-order mark or Windows-1252).
[`read_timelog()`][ettervern.read_timelog] takes all of that, keeps every row accounted for —
accepted, rejected with a reason, or ignored because it is empty — and never loops in Python over
the rows: each column's distinct values are parsed once.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import html
import io
import logging
import re
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any, ClassVar

import attrs
import numpy as np
import pandas as pd

from ettervern.core import MunicipalityChange, Team
from ettervern.errors import ConfigError, MissingDependencyError, TimeLogError
from ettervern.io._convert import wrong_suffix
from ettervern.io._progress import Progress
from ettervern.l10n import N_, Label, Message, normalise_locale, normalise_name, translate
from ettervern.privacy import HIDDEN
from ettervern.render import html_block
from ettervern.timelog import (
    NOT_A_DATE,
    TimeLog,
    blank_cells,
    factorize,
    historical_place,
    join_frames,
    rule_of,
    validate_frame,
)

__all__ = ["HEADERS", "ImportResult", "read_timelog", "write_timelog"]

HEADERS: dict[str, tuple[str, ...]] = {
    "case": ("sak", "case", "kode", "saksnummer", "case code"),
    "date": ("dato", "date"),
    "municipality": ("kommune", "municipality"),
    "category": ("hendelse", "category", "kategori"),
    "hours": ("tidsbruk", "hours", "timer", "tid", "time"),
    "staff": ("ansatte", "staff", "antall ansatte"),
}
"""The header each column is recognised by: the Norwegian sheet's and English aliases."""

_REQUIRED = ("case", "date", "municipality", "category", "hours")
_HEADER_SEARCH = 20
_EXCEL_EPOCH = pd.Timestamp("1899-12-30")
_DATE_FORMATS = (
    "%d.%m.%Y",
    "%Y-%m-%d",
    "%d/%m-%Y",
    "%d/%m/%Y",
    "%d-%m-%Y",
    "%d.%m.%y",
    "%Y-%m-%d %H:%M:%S",
)
_HOURS = re.compile(r"^\s*(\d+(?:[.,]\d+)?)\s*(?:t|timer|time|h|hours?)?\.?\s*$", re.IGNORECASE)
REJECTED_COLUMNS = ("sheet", "row", "column", "value", "reason")
logger = logging.getLogger(__name__)
"""Under ``logging.getLogger("ettervern")``: what was read, skipped and rejected (counts and
reasons, never a value from the sheet)."""


@attrs.frozen(eq=False)
class ImportResult:
    """What [`read_timelog()`][ettervern.read_timelog] made of a sheet: the accepted log and the
    rejected rows.

    ``rejected`` has one line per rejected row: ``sheet``, ``row`` (the row number as the sheet
    shows it), ``column``, ``value`` (as typed; hidden if it looks like personal data) and
    ``reason`` in plain English words. ``reasons`` holds the same reasons as
    [`Message`][ettervern.Message] values, and [`rejected_in()`][ettervern.ImportResult.rejected_in]
    gives the whole table in the user's language. ``read`` counts the non-empty rows below the
    header; every one of them is either accepted or rejected.
    """

    accepted: TimeLog
    rejected: pd.DataFrame = attrs.field(repr=False)
    read: int
    ignored: int = 0
    """Rows left out because they were entirely empty (trailing rows, spacer rows)."""
    source: str = ""
    skipped: tuple[str, ...] = ()
    """Sheets of a workbook left out because they have no time-log header (pivot tables,
    notes); named in the summary so that a misspelt header does not go unnoticed."""
    reasons: tuple[Message, ...] = attrs.field(default=(), repr=False)
    """The reason of each rejected row, in the order of ``rejected``, ready to be rendered in
    any shipped language."""
    renamed: tuple[tuple[str, str], ...] = ()
    """Old municipalities the sheet names (*Tysfjord*, *Finnøy*) and the member each was mapped
    to, through the changes of 2020 and 2024; named in the summary."""
    changes: tuple[MunicipalityChange, ...] = attrs.field(default=(), repr=False)
    """The municipality changes behind [`renamed`][ettervern.ImportResult.renamed], with their dates and sources."""

    def summary(self, locale: str | None = None) -> str:
        """One line: rows read, accepted and rejected (and sheets skipped, if any), in
        ``locale`` (Bokmål by default; ``str(result)`` is the English line)."""
        counts = Message.plural_of(
            "{source}: read {read} row, accepted {accepted}, rejected {rejected}",
            "{source}: read {read} rows, accepted {accepted}, rejected {rejected}",
            by="read",
            source=self.source or Message("sheet"),
            read=self.read,
            accepted=len(self.accepted),
            rejected=len(self.rejected),
        )
        if self.skipped:
            counts = Message(
                "{counts}; skipped sheets without a time-log header: {sheets}",
                counts=counts,
                sheets=self.skipped,
            )
        if self.changes:
            counts = Message(
                "{counts}; old municipalities mapped to their successors: {changes}",
                counts=counts,
                changes=[c.describe() for c in self.changes],
            )
        return counts.render(locale)

    def rejected_in(self, locale: str | None = None) -> pd.DataFrame:
        """``rejected`` for the person who typed the sheet: headers, column names and reasons
        in ``locale`` (Bokmål by default), such as *Ark, Rad, Kolonne, Verdi, Årsak*."""
        table = self.rejected.copy()
        columns = {key: Label(key, "column").render(locale) for key in HEADERS}
        table["column"] = table["column"].map(lambda key: columns.get(key, key))
        table["reason"] = _render_all(self.reasons, locale)
        table["value"] = table["value"].map(
            lambda value: translate(HIDDEN, locale) if value == HIDDEN else value
        )
        headers = {key: translate(key, locale, context="rejected") for key in REJECTED_COLUMNS}
        return table.rename(columns=headers)

    def __str__(self) -> str:
        return self.summary("en")

    PREVIEW_ROWS: ClassVar[int] = 50
    """Rejected rows shown in a notebook; [`rejected_in()`][ettervern.ImportResult.rejected_in] has them all."""

    def to_html(self, locale: str | None = None) -> str:
        """The summary and the rejected rows (the first 50) as styled HTML, in ``locale``."""
        code = normalise_locale(locale)
        table = self.rejected_in(code)
        body = f"<p>{html.escape(self.summary(code))}</p>"
        if len(table):
            caption = html.escape(translate(N_("Rejected rows"), code))
            shown = table.head(self.PREVIEW_ROWS).to_html(index=False, border=0, na_rep="")
            body += shown.replace(">\n", ">", 1).replace(
                '<table class="dataframe">',
                f'<table class="dataframe"><caption>{caption}</caption>',
                1,
            )
        return html_block(body, locale=code)

    def _repr_html_(self) -> str:
        return self.to_html()


def _named(source: object) -> bool:
    """Whether a sheet was given by path or as a file with a name (not a bare buffer)."""
    return isinstance(source, str | Path) or bool(getattr(source, "name", None))


def _render_all(messages: Sequence[Message], locale: str | None) -> list[str]:
    """Each message in ``locale``; a message shared by many rows is rendered once."""
    done: dict[int, str] = {}
    return [
        done[id(m)] if id(m) in done else done.setdefault(id(m), m.render(locale)) for m in messages
    ]


def _excel_engine() -> Any:
    try:
        import openpyxl
    except ImportError:
        purpose = Message("read and write .xlsx sheets")
        raise MissingDependencyError("openpyxl", "excel", purpose) from None
    return openpyxl


CSV_BLOCK_ROWS = 250_000
"""Rows of a CSV file parsed and validated at a time: peak memory stays near the log's size."""


def _collect_csv(collected: _Collected, source: Path | io.BytesIO, reading: _Reading) -> None:
    """Read a CSV file in blocks, as Norwegian Excel writes it.

    The encoding (a byte-order mark, else UTF-8, else Windows-1252), the separator and the width
    are told from the top of the file. A file that turns out not to be UTF-8, or to have a wider
    row further down, is read again from the start (the slow path, never taken by a clean file).
    """
    name = reading.name
    top = _head_bytes(source)
    encoding = "utf-8-sig" if top.startswith(b"\xef\xbb\xbf") else "utf-8"
    width: int | None = None
    for _attempt in range(4):
        text = top.decode(encoding, errors="ignore")
        sample = "\n".join(text.splitlines()[: _HEADER_SEARCH + 5])
        counts = {sep: sample.count(sep) for sep in (";", "\t", ",")}
        separator = max(counts, key=lambda k: counts[k]) if any(counts.values()) else ";"
        # The widest of the first lines, not the first line's width: a title line typed by
        # hand has no separators at all.
        fields = width or _widest(sample, separator)
        attempt = _Collected()
        try:
            with _csv_reader(source, encoding, separator, fields) as reader:
                _collect(attempt, "", reader, reading)
        except UnicodeDecodeError:
            if encoding == "cp1252":
                problem = Message("cannot read it as CSV: unknown text encoding")
                raise ConfigError(name, [problem]) from None
            encoding = "cp1252"
            continue
        except pd.errors.ParserError as exc:
            if width is not None:
                raise ConfigError(name, [_unreadable("CSV", exc)]) from None
            width = _widest(_whole_text(source, encoding), separator)
            continue
        except (ConfigError, TimeLogError):
            raise
        except Exception as exc:  # any other parser failure becomes one clear line
            raise ConfigError(name, [_unreadable("CSV", exc)]) from None
        for field in attrs.fields(_Collected):
            setattr(collected, field.name, getattr(attempt, field.name))
        return
    problem = Message("cannot read it as CSV")
    raise ConfigError(name, [problem])  # pragma: no cover - four attempts suffice


def _unreadable(kind: str, exc: Exception) -> Message:
    return Message("cannot read it as {kind}: {detail}", kind=kind, detail=str(exc))


def _csv_reader(source: Path | io.BytesIO, encoding: str, separator: str, width: int) -> Any:
    if isinstance(source, io.BytesIO):
        source.seek(0)
    # Every column as a category of text: each distinct value is parsed once, later.
    return pd.read_csv(
        source,
        encoding=encoding,
        sep=separator,
        header=None,
        names=range(width),
        dtype="category",
        keep_default_na=False,
        skip_blank_lines=False,
        quoting=csv.QUOTE_MINIMAL,
        engine="c",
        chunksize=CSV_BLOCK_ROWS,
    )


def _head_bytes(source: Path | io.BytesIO) -> bytes:
    if isinstance(source, io.BytesIO):
        return source.getvalue()[:65536]
    with source.open("rb") as handle:
        return handle.read(65536)


def _whole_text(source: Path | io.BytesIO, encoding: str) -> str:
    data = source.getvalue() if isinstance(source, io.BytesIO) else source.read_bytes()
    return data.decode(encoding, errors="replace")


def _widest(text: str, separator: str) -> int:
    """The largest number of fields on any line of ``text``."""
    return max((len(row) for row in csv.reader(io.StringIO(text), delimiter=separator)), default=1)


def _read_xlsx(source: Any) -> list[tuple[str, pd.DataFrame]]:
    """Every sheet's cells: with python-calamine where installed (the ``fast`` extra, about ten
    times faster), else openpyxl; the cells, and so the results, are the same."""
    try:
        import python_calamine
    except ImportError:
        return _read_xlsx_openpyxl(source)
    return _read_xlsx_calamine(source, python_calamine)


def _read_xlsx_calamine(source: Any, calamine: Any) -> list[tuple[str, pd.DataFrame]]:
    """Every sheet's cells as openpyxl gives them: ``None`` for an empty cell, whole numbers as
    ``int``, dates as ``datetime``, and the rows and columns the sheet's dimension declares
    (openpyxl's read-only mode reads that far, so trailing empty rows count as ignored)."""
    if isinstance(source, io.BytesIO):
        source.seek(0)
    book = calamine.CalamineWorkbook.from_object(
        source if isinstance(source, io.BytesIO) else str(source)
    )
    declared = _declared_sizes(source)
    sheets = []
    for name in book.sheet_names:
        rows = [
            [_as_openpyxl(cell) for cell in row]
            for row in book.get_sheet_by_name(name).to_python(skip_empty_area=False)
        ]
        height, width = declared.get(name, (0, 0))
        width = max([width, *(len(row) for row in rows)])
        rows += [[] for _ in range(height - len(rows))]
        rows = [row + [None] * (width - len(row)) for row in rows]
        sheets.append((str(name), pd.DataFrame(rows, dtype=object)))
    return sheets


def _as_openpyxl(cell: object) -> object:
    """A calamine cell as openpyxl gives it."""
    if cell == "":
        return None
    if isinstance(cell, float) and cell.is_integer():
        return int(cell)
    if isinstance(cell, dt.date) and not isinstance(cell, dt.datetime):
        return dt.datetime(cell.year, cell.month, cell.day)  # noqa: DTZ001 - cells have no zone
    return cell


_DIMENSION = re.compile(rb'<(?:\w+:)?dimension ref="(?:[A-Z]+\d+:)?([A-Z]+)(\d+)"')


def _declared_sizes(source: Any) -> dict[str, tuple[int, int]]:
    """(rows, columns) each sheet's ``<dimension>`` declares, by sheet name; empty when unknown."""
    import xml.etree.ElementTree as ET
    import zipfile

    main = "{http://schemas.openxmlformats.org/spreadsheetml/2006/main}"
    relation = "{http://schemas.openxmlformats.org/officeDocument/2006/relationships}id"
    sizes: dict[str, tuple[int, int]] = {}
    try:
        with zipfile.ZipFile(source) as archive:
            targets = {
                link.get("Id"): str(link.get("Target", "")).lstrip("/")
                for link in ET.fromstring(archive.read("xl/_rels/workbook.xml.rels"))
            }
            for sheet in ET.fromstring(archive.read("xl/workbook.xml")).iter(f"{main}sheet"):
                target = targets.get(sheet.get(relation), "")
                path = target if target.startswith("xl/") else f"xl/{target}"
                with archive.open(path) as handle:
                    found = _DIMENSION.search(handle.read(4096))
                if found:
                    columns = 0
                    for letter in found.group(1).decode():
                        columns = columns * 26 + ord(letter) - ord("A") + 1
                    sizes[str(sheet.get("name"))] = (int(found.group(2)), columns)
    except (KeyError, OSError, ET.ParseError, zipfile.BadZipFile):
        return {}
    return sizes


def _read_xlsx_openpyxl(source: Any) -> list[tuple[str, pd.DataFrame]]:
    openpyxl = _excel_engine()
    book = openpyxl.load_workbook(source, read_only=True, data_only=True)
    try:
        sheets = []
        for sheet in book.worksheets:
            rows = list(sheet.iter_rows(values_only=True))
            sheets.append((str(sheet.title), pd.DataFrame(rows, dtype=object)))
        return sheets
    finally:
        book.close()


def _column_letters(position: int) -> str:
    """The column's letters as Excel shows them: 0 is ``A``, 26 is ``AA``."""
    letters = ""
    position += 1
    while position:
        position, rest = divmod(position - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def _header_map(cells: Iterable[object]) -> dict[str, int]:
    found: dict[str, int] = {}
    for position, cell in enumerate(cells):
        if cell is None or (isinstance(cell, float) and np.isnan(cell)):
            continue
        name = normalise_name(str(cell)).rstrip(":")
        for column, aliases in HEADERS.items():
            if name in aliases and column not in found:
                found[column] = position
    return found


def _locate_header(sheet: str, frame: pd.DataFrame, source: str) -> tuple[int, dict[str, int]]:
    head = frame.head(_HEADER_SEARCH).astype(object)
    for index, row in enumerate(head.itertuples(index=False)):
        found = _header_map(row)
        if all(c in found for c in _REQUIRED):
            return index, found
    wanted = [HEADERS[c][0].capitalize() for c in _REQUIRED]
    problem = Message(
        "no header row with {wanted} in the first {rows} rows", wanted=wanted, rows=_HEADER_SEARCH
    )
    raise _NoHeaderError(_where(sheet, source), [problem])


def _where(sheet: str, source: str) -> str | Message:
    """The file, or the sheet of the file, a problem was found in."""
    return Message("sheet {sheet!r} of {source}", sheet=sheet, source=source) if sheet else source


class _NoHeaderError(ConfigError):
    """A sheet has no time-log header (in a workbook, other sheets may have one)."""


@functools.lru_cache(maxsize=65536)
def _date_from_text(text: str) -> pd.Timestamp | None:
    """A date typed as text, in any of the forms teams use; None if it is not one."""
    if not text or text in ("None", "nan", "NaT"):
        return None
    if re.fullmatch(r"\d{5}(\.0+)?", text):  # an Excel serial day number
        return _EXCEL_EPOCH + pd.Timedelta(days=int(float(text)))
    for form in _DATE_FORMATS:
        try:
            return pd.Timestamp(dt.datetime.strptime(text, form))  # noqa: DTZ007 - dates have no zone
        except ValueError:
            continue
    return None


def _parse_dates(values: pd.Series[Any]) -> pd.Series[Any]:
    """Dates as datetime64: Excel dates and serials, ``21.01.2020``, ``21/01-2020``, ISO …"""

    codes, uniques = factorize(values)
    parsed = np.empty(len(uniques) + 1, dtype="datetime64[ns]")
    for i, unique in enumerate(uniques):
        if isinstance(unique, dt.datetime | pd.Timestamp):
            parsed[i] = np.datetime64(pd.Timestamp(unique).normalize(), "ns")
        elif isinstance(unique, dt.date):
            parsed[i] = np.datetime64(unique, "ns")
        elif isinstance(unique, int | float) and not isinstance(unique, bool):
            parsed[i] = np.datetime64(_EXCEL_EPOCH + pd.Timedelta(days=int(unique)), "ns")
        else:
            stamp = _date_from_text(str(unique).strip())
            parsed[i] = np.datetime64("NaT") if stamp is None else np.datetime64(stamp, "ns")
    parsed[-1] = np.datetime64("NaT")
    return pd.Series(parsed[codes], index=values.index)


def _parse_hours(values: pd.Series[Any]) -> pd.Series[float]:
    """Hours as numbers: ``1,5``, ``1.5``, ``0,5``, ``1 t``, ``2 timer`` or a number cell."""

    def one(value: object) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value)
        match = _HOURS.match(str(value))
        return float(match.group(1).replace(",", ".")) if match else np.nan

    codes, uniques = factorize(values)
    parsed = np.array([one(u) for u in uniques] + [np.nan], dtype="float64")
    return pd.Series(parsed[codes], index=values.index)


def _date_reason(raw: object) -> Message:
    return Message(
        "not a date that can be read: {value!r}; write it like {example} or {iso}",
        value=raw,
        example="21.01.2020",
        iso="2020-01-21",
    )


def read_timelog(
    path_or_buffer: str | Path | IO[bytes],
    *,
    team: Team,
    strict: bool = False,
    drop_columns: Sequence[str] = (),
    format: str | None = None,
    progress: bool | None = None,
) -> ImportResult:
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

    What was read, skipped and rejected is logged to ``logging.getLogger("ettervern")`` (counts
    and column names, never a value from the sheet).

    Raises:
        ConfigError: the file is missing, unreadable, or has no header row.
        MissingDependencyError: an .xlsx file and openpyxl is not installed (``ettervern[excel]``).
    """
    name = (
        str(path_or_buffer)
        if isinstance(path_or_buffer, str | Path)
        else getattr(path_or_buffer, "name", "sheet")
    )
    source, kind = _open(path_or_buffer, name, format)
    dropped = {normalise_name(c) for c in drop_columns}
    collected = _Collected()
    skipped: list[str] = []
    bar = Progress(enabled=progress, description=Path(name).name)
    try:
        _read_into(collected, skipped, source, kind, _Reading(team, strict, dropped, name, bar))
    finally:
        bar.close()
    if not collected.seen_header:
        raise ConfigError(name, [Message("no sheet with a time-log header")])
    rejected = (
        pd.concat(collected.rejected, ignore_index=True)
        if collected.rejected
        else pd.DataFrame(columns=list(REJECTED_COLUMNS))
    )
    reasons = tuple(rejected["reason"])
    rejected["reason"] = pd.Series(_render_all(reasons, "en"), index=rejected.index, dtype=object)
    result = ImportResult(
        accepted=TimeLog(join_frames(collected.good, team), team),
        rejected=rejected,
        reasons=reasons,
        read=collected.read,
        ignored=collected.ignored,
        # A buffer without a name is called "sheet" in the summary, in the user's language.
        source=Path(name).name if _named(path_or_buffer) else "",
        skipped=tuple(skipped),
        renamed=tuple((old, new) for old, (new, _) in collected.renamed.items()),
        changes=tuple(c for _, changes in collected.renamed.values() for c in changes),
    )
    logger.info(
        "read %s: %d rows, accepted %d, rejected %d, %d empty rows ignored",
        result.source or "a sheet",
        result.read,
        len(result.accepted),
        len(result.rejected),
        result.ignored,
    )
    for sheet in skipped:
        logger.info("skipped sheet %r of %s: no time-log header", sheet, result.source)
    if len(result.rejected):
        # By column only: a reason can quote what was typed, and a log is kept for long.
        for column, count in result.rejected["column"].value_counts().items():
            logger.debug("rejected %d rows over the column %r", count, column)
    return result


def _read_into(
    collected: _Collected, skipped: list[str], source: Any, kind: str, reading: _Reading
) -> None:
    """Read every sheet (or the CSV file) into ``collected``."""
    name = reading.name
    if kind == "xlsx":
        try:
            sheets = _read_xlsx(source)
        except (MissingDependencyError, ConfigError):
            raise
        except Exception as exc:  # any parser failure becomes one clear line
            raise ConfigError(name, [_unreadable("XLSX", exc)]) from None
        for sheet, frame in sheets:
            try:
                _collect(collected, sheet, [frame], reading)
            except _NoHeaderError:
                if len(sheets) == 1:
                    raise
                skipped.append(sheet)  # a pivot table or notes: named in the summary
    else:
        _collect_csv(collected, source, reading)


@attrs.frozen
class _Reading:
    """What every part of one import needs: the team, the rules, the file's name, the bar."""

    team: Team
    strict: bool
    dropped: set[str]
    name: str
    bar: Progress


@attrs.define
class _Collected:
    """What the parts of a file (sheets, or blocks of a large CSV) gave so far."""

    good: list[pd.DataFrame] = attrs.Factory(list)
    rejected: list[pd.DataFrame] = attrs.Factory(list)
    read: int = 0
    ignored: int = 0
    seen_header: bool = False
    renamed: dict[str, tuple[str, tuple[MunicipalityChange, ...]]] = attrs.Factory(dict)


def _collect(
    collected: _Collected, sheet: str, blocks: Iterable[pd.DataFrame], reading: _Reading
) -> None:
    """Read one sheet given as blocks of rows (one block, or many for a large CSV).

    The header is looked for in the first block; each block is then parsed and validated on its
    own, so memory stays at the size of the accepted log plus one block.
    """
    team, strict, dropped, name = reading.team, reading.strict, reading.dropped, reading.name
    header_at: int | None = None
    columns: dict[str, int] = {}
    labels: dict[int, str] = {}
    for block in blocks:
        reading.bar.advance(len(block))
        if header_at is None:
            if block.empty:
                return
            header_at, columns = _locate_header(sheet, block, name)
            collected.seen_header = True
            labels = _other_columns(block.iloc[header_at].astype(object).tolist(), columns)
        body = block[block.index > header_at]
        for position, label in labels.items():
            if position >= body.shape[1] or normalise_name(label) in dropped:
                continue
            if not blank_cells(body.iloc[:, position]).all():
                template = (
                    N_(
                        "column {label!r} is not part of the time log; free text invites "
                        "personal data, so it is refused. Pass {code} to leave it out."
                    )
                    if label != _column_letters(position)
                    else N_(
                        "column {label} has values but no header: it is not part of the time "
                        "log; free text invites personal data, so it is refused. Pass {code} "
                        "to leave it out."
                    )
                )
                problem = Message(template, label=label, code=f"drop_columns=[{label!r}]")
                raise ConfigError(_where(sheet, name), [problem])
        picked = pd.DataFrame(
            {column: body.iloc[:, position] for column, position in columns.items()}
        )
        blank = np.logical_and.reduce([blank_cells(picked[c]) for c in picked.columns])
        collected.ignored += int(blank.sum())
        table = picked[~blank]
        table.insert(0, "row", table.index.to_numpy() + 1)  # the row number Excel shows
        table.insert(0, "sheet", sheet)
        table = table.reset_index(drop=True)
        if not len(table):
            continue
        parsed = pd.DataFrame(
            {
                "case": table["case"],
                "date": _parse_dates(table["date"]),
                "municipality": table["municipality"],
                "category": table["category"],
                "hours": _parse_hours(table["hours"]),
            }
        )
        if "staff" in table:
            parsed["staff"] = _parse_hours(table["staff"])
        good, problems = validate_frame(parsed, team)
        _note_renamed(collected, table["municipality"], team)
        rejected = _rejected(problems, table)
        if strict and len(rejected):
            first = rejected.iloc[0]
            raise TimeLogError(
                sheet=str(first["sheet"]) or None,
                row=int(first["row"]),
                column=str(first["column"]),
                value=first["value"],
                reason=first["reason"],
                count=len(rejected),
                rule=rule_of(first["reason"], str(first["column"])),
            )
        collected.read += len(table)
        collected.good.append(good)
        if len(rejected):
            collected.rejected.append(rejected)


def _note_renamed(collected: _Collected, values: pd.Series[Any], team: Team) -> None:
    """Remember the old municipality names among ``values`` and the members they map to."""
    _, uniques = factorize(values)
    for value in uniques:
        text = str(value).strip()
        if text and text not in collected.renamed:
            old = historical_place(team, text)
            if old is not None:
                collected.renamed[text] = old


def _other_columns(header_cells: list[object], columns: dict[str, int]) -> dict[int, str]:
    """The columns that are not the log's, by position: their header, or their letters."""
    labels = {}
    for position, cell in enumerate(header_cells):
        if position in columns.values():
            continue
        label = _column_letters(position)
        if cell is not None and str(cell).strip() not in ("", "nan", "None"):
            label = str(cell).strip()
        labels[position] = label
    return labels


def _rejected(problems: pd.DataFrame, table: pd.DataFrame) -> pd.DataFrame:
    """The problems in the user's terms: sheet, row number, column, the value as typed."""
    if not len(problems):
        return pd.DataFrame(columns=list(REJECTED_COLUMNS))
    rows = problems["row"].to_numpy(dtype="int64")
    raw_values = [
        value if value == HIDDEN else table[column].iloc[row] if column in table else value
        for row, column, value in zip(rows, problems["column"], problems["value"], strict=True)
    ]
    reasons = [
        _date_reason(raw)
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
                None if v is None or (isinstance(v, float) and np.isnan(v)) else v
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


def _open(
    source: str | Path | IO[bytes], name: str, format: str | None
) -> tuple[Path | io.BytesIO, str]:
    """The file to read (a path is read where it lies; a file object is copied) and its kind."""
    kind = (format or Path(name).suffix.lstrip(".")).lower()
    opened: Path | io.BytesIO
    if isinstance(source, str | Path):
        opened = Path(source)
        if not opened.exists():
            raise ConfigError(name, [Message("the file does not exist")])
        if opened.is_dir():
            raise ConfigError(name, [Message("this is a folder, not a file")])
    else:
        opened = io.BytesIO(source.read())
    if kind not in ("csv", "txt", "xlsx", "xlsm"):
        kind = "xlsx" if _head_bytes(opened)[:2] == b"PK" else "csv"
    return opened, "xlsx" if kind in ("xlsx", "xlsm") else "csv"


def write_timelog(log: TimeLog, path: str | Path, *, locale: str | None = None) -> Path:
    """Write ``log`` in the sheet's layout: *Sak, Dato, Kommune, Hendelse, Tidsbruk*.

    A sixth column, *Ansatte*, is written when an entry's staff differs from the team's staff per
    case, so that reading the file back gives the same log. ``.csv`` is written as Norwegian
    Excel does (semicolons, decimal commas, dd.mm.yyyy, UTF-8 with a byte-order mark); ``.xlsx``
    with real dates and numbers. Category names are the team's own.
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
        text = out.assign(Dato=out["Dato"].dt.strftime("%d.%m.%Y")).to_csv(
            sep=";", decimal=",", index=False, lineterminator="\r\n"
        )
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    elif suffix in (".xlsx", ".xlsm"):
        openpyxl = _excel_engine()
        book = openpyxl.Workbook(write_only=True)
        sheet = book.create_sheet(translate("Time log", locale))
        sheet.append(list(out.columns))
        for row in out.itertuples(index=False):
            values = list(row)
            values[1] = values[1].date()
            sheet.append(values)
        book.save(path)
    else:
        raise ConfigError(str(path), [wrong_suffix(suffix, ".csv", ".xlsx")])
    return path
