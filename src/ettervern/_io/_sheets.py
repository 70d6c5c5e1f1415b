"""Reading the teams' time sheets as they really are, and writing them back.

Teams keep their time in Excel: five columns (*Sak, Dato, Kommune, Hendelse, Tidsbruk*), often one
sheet per month, a title above the header, dates and hours typed in several ways, and CSV files as
Norwegian Excel saves them (semicolons, decimal commas, a byte-order mark or Windows-1252).
[`read_timelog()`][ettervern.read_timelog] takes all of that, keeps every row accounted for —
accepted, rejected with a reason, or ignored because it is empty — and never loops in Python over
the rows: each column's distinct values are parsed once.
"""

from __future__ import annotations

import calendar
import codecs
import csv
import datetime as dt
import html
import io
import logging
import math
import re
import zipfile
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import IO, Any, ClassVar

import attrs
import numpy as np
import pandas as pd
from babel.numbers import parse_decimal

from ettervern._core import EARLIEST, LATEST, MunicipalityChange, Team, at_least, text_cache
from ettervern._io._convert import collector_paused, unreadable, unusable_file, wrong_suffix
from ettervern._io._progress import Progress
from ettervern._l10n import (
    N_,
    Label,
    Message,
    closest,
    normalise_locale,
    normalise_name,
    redact_value,
    translate,
)
from ettervern._render import csv_text, from_csv_text, html_block, text_cell
from ettervern._timelog import (
    NOT_A_DATE,
    TimeLog,
    blank_cells,
    factorize,
    historical_place,
    join_frames,
    rule_of,
    validate_frame,
)
from ettervern.errors import ConfigError, ImportLimitError, MissingDependencyError, TimeLogError
from ettervern.privacy import HIDDEN

__all__ = [
    "DEFAULT_LIMITS",
    "HEADERS",
    "ImportLimits",
    "ImportResult",
    "read_timelog",
    "write_timelog",
]

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


_MB = 2**20


@attrs.frozen
class ImportLimits:
    """How much ``read_timelog`` reads before it refuses a file, so that a hostile or broken
    file cannot take unbounded time or memory. Every limit can be raised for a genuine file:
    ``read_timelog(path, team=team, limits=ImportLimits(max_rows=5_000_000))``.
    """

    max_bytes: int = attrs.field(default=50 * _MB, validator=at_least(1))
    """The largest file, in bytes (50 MB: years of a team's log)."""
    max_line_chars: int = attrs.field(default=10_000, validator=at_least(1))
    """The longest line of a CSV file, in characters."""
    max_columns: int = attrs.field(default=100, validator=at_least(1))
    """The most columns a sheet may have."""
    max_rows: int = attrs.field(default=1_000_000, validator=at_least(1))
    """The most rows a sheet may have, title and header included."""
    max_inflated_bytes: int = attrs.field(default=500 * _MB, validator=at_least(1))
    """The largest an .xlsx file may become when unzipped."""
    max_inflation_ratio: float = attrs.field(default=200.0, validator=at_least(1))
    """How many times larger an .xlsx may become when unzipped (a zip bomb is thousands)."""


DEFAULT_LIMITS = ImportLimits()
"""The limits ``read_timelog`` uses unless it is given others."""


def _over(name: str, limit: str, found: float, allowed: float) -> ImportLimitError:
    return ImportLimitError(name, limit=limit, found=found, allowed=allowed)


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
    encoding: str = ""
    """The text encoding a CSV file was read in (``"UTF-8"``, ``"UTF-8 with BOM"``,
    ``"UTF-16"`` or ``"Windows-1252"``), decided from the whole file; empty for a workbook."""

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
        if self.encoding:
            encoding = Label(self.encoding, "encoding", fallback=self.encoding)
            counts = Message("{counts}; read as {encoding}", counts=counts, encoding=encoding)
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


def _collect_csv(collected: _Collected, data: bytes, reading: _Reading) -> str:
    """Read a CSV file, as Norwegian Excel writes it, and return the encoding it was read in.

    The encoding is decided from the whole file (``_decode``); the separator from the top
    lines; the width from the widest line. Lines, columns and rows are checked against
    ``limits`` before pandas sees the text, so that a hostile file costs time in proportion to
    its size, never more.
    """
    name, limits = reading.name, reading.limits
    text, encoding = _decode(data, name)
    lines = text.count("\n") + (0 if text.endswith("\n") else 1)  # a final newline ends a row
    if lines > limits.max_rows:
        raise _over(name, "max_rows", lines, limits.max_rows)
    head = text[: (_HEADER_SEARCH + 5) * (limits.max_line_chars + 2)]  # the top lines, at most
    sample = "".join(head.splitlines(keepends=True)[: _HEADER_SEARCH + 5])
    counts = {sep: sample.count(sep) for sep in (";", "\t", ",")}
    separator = max(counts, key=lambda k: counts[k]) if any(counts.values()) else ";"
    # The widest line, not the first line's width: a title line typed by hand has no separators.
    # Clean UTF-8 is measured on the file's own bytes (after a byte-order mark), not on the
    # text encoded again: 40 ms a million rows.
    clean = encoding in ("UTF-8", "UTF-8 with BOM")
    raw = memoryview(data)[len(codecs.BOM_UTF8) if encoding == "UTF-8 with BOM" else 0 :]
    try:
        longest, width = _shape(text, separator, limits.max_line_chars, raw if clean else None)
    except csv.Error as exc:
        raise ConfigError(name, [unreadable("CSV", exc)]) from None
    if longest > limits.max_line_chars:
        raise _over(name, "max_line_chars", longest, limits.max_line_chars)
    if width > limits.max_columns:
        raise _over(name, "max_columns", width, limits.max_columns)
    try:
        # Clean UTF-8 goes to pandas as the bytes it is (its C parser decodes them faster than
        # it reads back a text); any other encoding as the text decoded above.
        reader = pd.read_csv(
            io.BytesIO(data) if clean else io.StringIO(text),
            encoding="utf-8-sig" if clean else None,
            sep=separator,
            header=None,
            names=range(width),
            dtype="category",  # every column as text: each distinct value is parsed once, later
            keep_default_na=False,
            skip_blank_lines=False,
            quoting=csv.QUOTE_MINIMAL,
            engine="c",
            chunksize=CSV_BLOCK_ROWS,
        )
        with reader:
            _collect(collected, "", reader, reading)
    except (ConfigError, TimeLogError):
        raise
    except Exception as exc:  # any parser failure becomes one clear line
        raise ConfigError(name, [unreadable("CSV", exc)]) from None
    return encoding


_ENCODINGS = (
    (codecs.BOM_UTF8, "utf-8-sig", "UTF-8 with BOM"),
    (codecs.BOM_UTF16_LE, "utf-16", "UTF-16"),
    (codecs.BOM_UTF16_BE, "utf-16", "UTF-16"),
)


def _decode(data: bytes, name: str) -> tuple[str, str]:
    """The text of a whole file and the name of its encoding.

    A byte-order mark decides (UTF-8 or UTF-16). Without one, the whole file is UTF-8 if it
    decodes as UTF-8; UTF-8 with a few damaged bytes if it holds letters written as UTF-8 (only
    the damaged rows are then rejected, instead of every *ø* turning into *Ã¸*); else
    Windows-1252, what Norwegian Excel writes.
    """
    for mark, codec, label in _ENCODINGS:
        if data.startswith(mark):
            try:
                return data.decode(codec), label
            except UnicodeDecodeError:
                problem = Message(
                    "it starts with a {encoding} byte-order mark but is not {encoding} text",
                    encoding=label,
                )
                raise ConfigError(name, [problem]) from None
    try:
        return data.decode("utf-8"), "UTF-8"
    except UnicodeDecodeError:
        pass
    if _UTF8_LETTER.search(data):
        # Norwegian letters written as UTF-8 (ø is C3 B8) and a few stray bytes: a UTF-8 file
        # with a damaged spot. The stray bytes become U+FFFD, so only their rows are rejected.
        return data.decode("utf-8", errors="replace"), "UTF-8 (bytes that are not UTF-8 replaced)"
    try:
        return data.decode("cp1252"), "Windows-1252"
    except UnicodeDecodeError:
        problem = Message("cannot read it as CSV: unknown text encoding")
        raise ConfigError(name, [problem]) from None


_UTF8_LETTER = re.compile(rb"[\xc2-\xf4][\x80-\xbf]")
"""A letter beyond ASCII as UTF-8 writes it; in Windows-1252 text it would read as ``Ã¸``."""


def _shape(
    text: str, separator: str, most: int, utf8: bytes | memoryview | None = None
) -> tuple[int, int]:
    """The longest line of ``text`` in characters, and the most fields on a line; ``utf8``, if
    given, is ``text`` as UTF-8 (the file's own bytes), which spares encoding it again.

    The length is exact when it is over ``most`` (it is then reported); at or under ``most`` it
    may be counted in UTF-8 bytes, which is never less. Plain text (no quotes, lines ending in
    LF or CRLF), which is what spreadsheets write for a time log, is measured in a few passes
    over its bytes with numpy; quoted fields, which may hold a separator or a line break, and
    old Mac line ends go through the csv module. Either way the cost grows with the file.
    """
    has_cr = "\r" in text
    if '"' in text or (has_cr and text.count("\r") != text.count("\r\n")):
        longest = max((len(line) for line in text.splitlines()), default=0)
        width = max(
            (len(row) for row in csv.reader(io.StringIO(text), delimiter=separator)), default=1
        )
        return longest, width
    raw = np.frombuffer(text.encode("utf-8") if utf8 is None else utf8, dtype=np.uint8)
    breaks = np.flatnonzero(raw == ord("\n"))
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(raw)]))
    keep = starts < len(raw)  # the empty tail after a final line break is no line
    starts, ends = starts[keep], ends[keep]
    if not len(starts):
        return 0, 1
    separators = np.flatnonzero(raw == ord(separator))
    bounds = np.append(starts, len(raw))
    fields = np.diff(np.searchsorted(separators, bounds)) + 1
    lengths = ends - starts
    if has_cr:
        lengths -= (lengths > 0) & (raw[np.maximum(ends - 1, 0)] == ord("\r"))  # CRLF's CR
    longest = int(lengths.max())
    if longest > most:  # bytes so far; a long line of æøå may be short in characters
        over = lengths > most
        exact = max(
            len(raw[starts[i] : starts[i] + lengths[i]].tobytes().decode())
            for i in np.flatnonzero(over)
        )
        longest = max(exact, int(lengths[~over].max(initial=0)))
    return longest, int(fields.max())


def _read_xlsx(data: bytes, name: str, limits: ImportLimits) -> list[tuple[str, pd.DataFrame]]:
    """Every sheet's cells, each sheet no larger than ``limits`` allow: with python-calamine where
    installed (the ``fast`` extra, about ten times faster), else openpyxl; the cells, and so the
    results, are the same.

    Before anything is unzipped, the sizes the zip declares are checked: in all and as a ratio to
    the file's size (a zip bomb inflates a thousandfold). Python's zip reader stops at the
    declared size, so a lying entry cannot grow past it.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as archive:
            inflated = sum(entry.file_size for entry in archive.infolist())
    except (zipfile.BadZipFile, ValueError, OSError) as exc:
        raise ConfigError(name, [unreadable("XLSX", exc)]) from None
    if inflated > limits.max_inflated_bytes:
        raise _over(name, "max_inflated_bytes", inflated, limits.max_inflated_bytes)
    ratio = inflated / max(len(data), 1)
    if ratio > limits.max_inflation_ratio:
        raise _over(name, "max_inflation_ratio", round(ratio, 1), limits.max_inflation_ratio)
    try:
        import python_calamine
    except ImportError:
        return _read_xlsx_openpyxl(data, name, limits)
    return _read_xlsx_calamine(io.BytesIO(data), python_calamine, name, limits)


def _read_xlsx_calamine(
    source: Any, calamine: Any, name: str, limits: ImportLimits
) -> list[tuple[str, pd.DataFrame]]:
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
    for sheet in book.sheet_names:
        height, width = declared.get(sheet, (0, 0))
        # A declared dimension is padded to below: it must fit the limits first.
        if height > limits.max_rows:
            raise _over(name, "max_rows", height, limits.max_rows)
        if width > limits.max_columns:
            raise _over(name, "max_columns", width, limits.max_columns)
        # Text is most cells and stays as it is (a call per cell was a fifth of the read).
        rows = [
            [cell if type(cell) is str and cell else _as_openpyxl(cell) for cell in row]
            for row in book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        ]
        if len(rows) > limits.max_rows:
            raise _over(name, "max_rows", len(rows), limits.max_rows)
        width = max([width, *(len(row) for row in rows)])
        if width > limits.max_columns:
            raise _over(name, "max_columns", width, limits.max_columns)
        rows += [[] for _ in range(height - len(rows))]
        rows = [row + [None] * (width - len(row)) for row in rows]
        sheets.append((str(sheet), pd.DataFrame(rows, dtype=object)))
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


def _read_xlsx_openpyxl(
    data: bytes, name: str, limits: ImportLimits
) -> list[tuple[str, pd.DataFrame]]:
    """Every sheet's cells with openpyxl, reading no further than ``limits`` allow."""
    openpyxl = _excel_engine()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = []
        for sheet in book.worksheets:
            rows = []
            for row in sheet.iter_rows(values_only=True, max_col=limits.max_columns + 1):
                if len(row) > limits.max_columns and row[limits.max_columns] is not None:
                    raise _over(name, "max_columns", len(row), limits.max_columns)
                rows.append(row[: limits.max_columns])
                if len(rows) > limits.max_rows:
                    raise _over(name, "max_rows", len(rows), limits.max_rows)
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
    best: tuple[int, list[object]] = (0, [])
    for index, row in enumerate(head.itertuples(index=False)):
        found = _header_map(row)
        if all(c in found for c in _REQUIRED):
            return index, found
        best = max(best, (len(found), list(row)), key=lambda b: b[0])
    wanted = [HEADERS[c][0].capitalize() for c in _REQUIRED]
    problem = Message(
        "no header row with {wanted} in the first {rows} rows", wanted=wanted, rows=_HEADER_SEARCH
    )
    raise _NoHeaderError(_where(sheet, source), [problem, *_misspelt_headers(best[1])])


def _misspelt_headers(row: list[object]) -> list[Message]:
    """For the row nearest to a header, each cell that is nearly a missing header's name."""
    found = _header_map(row)
    if len(found) < 2:  # not a header row at all: no guesses
        return []
    hints = []
    for column in (c for c in _REQUIRED if c not in found):
        cells = [str(c) for c in row if isinstance(c, str) and not _header_map([c])]
        name = HEADERS[column][0].capitalize()
        for cell in closest(name, cells, n=1, cutoff=0.7):
            hints.append(Message("header {cell!r}: did you mean {name!r}?", cell=cell, name=name))
    return hints


def _where(sheet: str, source: str) -> str | Message:
    """The file, or the sheet of the file, a problem was found in."""
    return Message("sheet {sheet!r} of {source}", sheet=sheet, source=source) if sheet else source


class _NoHeaderError(ConfigError):
    """A sheet has no time-log header (in a workbook, other sheets may have one)."""


@text_cache(maxsize=65536)
def _date_from_text(text: str) -> pd.Timestamp | None:
    """A date typed as text, in any of the forms teams use; None if it is not one."""
    if not text or text in ("None", "nan", "NaT"):
        return None
    if re.fullmatch(r"\d{5}(\.0+)?", text):  # an Excel serial day number
        return _from_serial(float(text))
    for form in _DATE_FORMATS:
        try:
            return pd.Timestamp(dt.datetime.strptime(text, form))  # noqa: DTZ007 - dates have no zone
        except ValueError:
            continue
    return None


_LAST_SERIAL = 2_958_465
"""Excel's serial number of 9999-12-31, the last day it can show."""


def _from_serial(serial: float) -> pd.Timestamp | None:
    """The day of an Excel serial number (days since 1899-12-30), or None if it is none."""
    if not (math.isfinite(serial) and 1 <= serial <= _LAST_SERIAL):
        return None
    day = _EXCEL_EPOCH + pd.Timedelta(days=int(serial))
    return day if EARLIEST <= day.date() <= LATEST else None


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
            stamp = _from_serial(unique)
            parsed[i] = np.datetime64("NaT") if stamp is None else np.datetime64(stamp, "ns")
        else:
            stamp = _date_from_text(str(unique).strip())
            parsed[i] = np.datetime64("NaT") if stamp is None else np.datetime64(stamp, "ns")
    parsed[-1] = np.datetime64("NaT")
    return pd.Series(parsed[codes], index=values.index)


def _parse_hours(values: pd.Series[Any]) -> pd.Series[float]:
    """Hours as numbers: ``1,5``, ``1.5``, ``0,5``, ``1 t``, ``2 timer`` or a number cell."""

    def one(value: object) -> float:
        if isinstance(value, int | float) and not isinstance(value, bool):
            return float(value) if math.isfinite(value) else np.nan
        match = _HOURS.match(str(value))
        if match is None:
            return np.nan
        # Babel reads the number as Norwegian writes it (a decimal comma; a point is accepted).
        number = parse_decimal(match.group(1), locale="nb", strict=True)
        return float(number) if number.is_finite() else np.nan

    codes, uniques = factorize(values)
    parsed = np.array([one(u) for u in uniques] + [np.nan], dtype="float64")
    return pd.Series(parsed[codes], index=values.index)


def _as_typed(values: pd.Series[Any]) -> pd.Series[Any]:
    """Text as the user typed it: the ``'`` that protects ``=…`` from formula injection in CSV
    (see ``csv_text``) is removed."""
    return values.map(lambda v: from_csv_text(v) if isinstance(v, str) else v)


def _date_reason(raw: object) -> Message:
    impossible = _impossible_day(raw)
    if impossible is not None:
        return impossible
    return Message(
        "not a date that can be read: {value!r}; write it like {example} or {iso}",
        value=raw,
        example="21.01.2020",
        iso="2020-01-21",
    )


_DAY_MONTH_YEAR = re.compile(r"^\s*(\d{1,2})[./-](\d{1,2})[./-](\d{4})\s*$")
_YEAR_MONTH_DAY = re.compile(r"^\s*(\d{4})-(\d{1,2})-(\d{1,2})\s*$")


def _impossible_day(raw: object) -> Message | None:
    """Why a well-formed date does not exist (``31.02.2025``: February has 28 days), or None."""
    text = str(raw)
    if match := _DAY_MONTH_YEAR.match(text):
        day, month, year = map(int, match.groups())
    elif match := _YEAR_MONTH_DAY.match(text):
        year, month, day = map(int, match.groups())
    else:
        return None
    if not 1 <= month <= 12:
        return Message("no such date: {value!r} has no month {month}", value=raw, month=month)
    days = calendar.monthrange(year, month)[1]
    if 1 <= day <= days:
        return None
    return Message("no such date: {value!r}; that month has {days} days", value=raw, days=days)


def read_timelog(
    path_or_buffer: str | Path | IO[bytes],
    *,
    team: Team,
    strict: bool = False,
    drop_columns: Sequence[str] = (),
    format: str | None = None,
    progress: bool | None = None,
    limits: ImportLimits = DEFAULT_LIMITS,
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
        limits: the largest file, line, number of columns and rows, and unzipped workbook to
            read (``ImportLimits``); a file beyond them is refused before it is parsed.

    What was read, skipped and rejected is logged to ``logging.getLogger("ettervern")`` (counts
    and column names, never a value from the sheet).

    Raises:
        ConfigError: the file is missing, unreadable, or has no header row.
        MissingDependencyError: an .xlsx file and openpyxl is not installed (``ettervern[excel]``).
        ImportLimitError: the file exceeds one of ``limits`` (a subclass of ConfigError).
    """
    name = (
        str(path_or_buffer)
        if isinstance(path_or_buffer, str | Path)
        else getattr(path_or_buffer, "name", "sheet")
    )
    source, kind = _open(path_or_buffer, name, format, limits)
    dropped = {normalise_name(c) for c in drop_columns}
    collected = _Collected()
    skipped: list[str] = []
    bar = Progress(enabled=progress, description=Path(name).name)
    try:
        reading = _Reading(team, strict, dropped, name, bar, limits)
        with collector_paused():  # a sheet's cells are many containers and no cycles
            encoding = _read_into(collected, skipped, source, kind, reading)
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
        encoding=encoding,
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
    collected: _Collected, skipped: list[str], source: bytes, kind: str, reading: _Reading
) -> str:
    """Read every sheet (or the CSV file) into ``collected``; the CSV file's encoding."""
    name = reading.name
    if kind == "xlsx":
        try:
            sheets = _read_xlsx(source, name, reading.limits)
        except (MissingDependencyError, ConfigError):
            raise
        except Exception as exc:  # any parser failure becomes one clear line
            raise ConfigError(name, [unreadable("XLSX", exc)]) from None
        for sheet, frame in sheets:
            try:
                _collect(collected, sheet, [frame], reading)
            except _NoHeaderError:
                if len(sheets) == 1:
                    raise
                skipped.append(sheet)  # a pivot table or notes: named in the summary
        return ""
    return _collect_csv(collected, source, reading)


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
                "case": _as_typed(table["case"]),
                "date": _parse_dates(table["date"]),
                "municipality": _as_typed(table["municipality"]),
                "category": _as_typed(table["category"]),
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


def _open(
    source: str | Path | IO[bytes], name: str, format: str | None, limits: ImportLimits
) -> tuple[bytes, str]:
    """The bytes of the file to read (no more than ``limits.max_bytes``) and its kind."""
    kind = (format or Path(name).suffix.lstrip(".")).lower()
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            if path.is_dir():
                raise ConfigError(name, [Message("this is a folder, not a file")])
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise _over(name, "max_bytes", size, limits.max_bytes)
            data = path.read_bytes()
        except FileNotFoundError:
            raise ConfigError(name, [Message("the file does not exist")]) from None
        except OSError as exc:
            raise ConfigError(name, [unusable_file(exc)]) from None
    else:
        data = source.read(limits.max_bytes + 1)
        if not isinstance(data, bytes):
            problem = Message("expected a file opened in binary mode ('rb')")
            raise ConfigError(name, [problem])
        if len(data) > limits.max_bytes:
            raise _over(name, "max_bytes", len(data), limits.max_bytes)
    if kind not in ("csv", "txt", "xlsx", "xlsm"):
        kind = "xlsx" if data[:2] == b"PK" else "csv"
    return data, "xlsx" if kind in ("xlsx", "xlsm") else "csv"


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
        texts = {c: out[c].map(csv_text) for c in ("Sak", "Kommune", "Hendelse")}
        text = out.assign(Dato=out["Dato"].dt.strftime("%d.%m.%Y"), **texts).to_csv(
            sep=";", decimal=",", index=False, lineterminator="\r\n"
        )
        path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    elif suffix in (".xlsx", ".xlsm"):
        openpyxl = _excel_engine()
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
