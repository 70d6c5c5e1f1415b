"""Reading the cells of an .xlsx workbook within the limits, with python-calamine where
installed and openpyxl otherwise (the same cells either way), and the openpyxl engine
for writing."""

from __future__ import annotations

import datetime as dt
import io
import re
import zipfile
from typing import Any

import pandas as pd

from ettervern._io._convert import unreadable
from ettervern._io._header import shown_name
from ettervern._io._limits import ImportLimits, over_limit
from ettervern._l10n import Message
from ettervern.errors import ConfigError, MissingDependencyError

__all__ = ["excel_engine", "read_xlsx"]


def excel_engine() -> Any:
    try:
        import openpyxl
    except ImportError:
        purpose = Message("read and write .xlsx sheets")
        raise MissingDependencyError("openpyxl", "excel", purpose) from None
    return openpyxl


def read_xlsx(data: bytes, name: str, limits: ImportLimits) -> list[tuple[str, pd.DataFrame]]:
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
        raise over_limit(name, "max_inflated_bytes", inflated, limits.max_inflated_bytes)
    ratio = inflated / max(len(data), 1)
    if ratio > limits.max_inflation_ratio:
        raise over_limit(name, "max_inflation_ratio", round(ratio, 1), limits.max_inflation_ratio)
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
            raise over_limit(name, "max_rows", height, limits.max_rows)
        if width > limits.max_columns:
            raise over_limit(name, "max_columns", width, limits.max_columns)
        # Text is most cells and stays as it is (a call per cell was a fifth of the read).
        rows = [
            [cell if type(cell) is str and cell else _as_openpyxl(cell) for cell in row]
            for row in book.get_sheet_by_name(sheet).to_python(skip_empty_area=False)
        ]
        if len(rows) > limits.max_rows:
            raise over_limit(name, "max_rows", len(rows), limits.max_rows)
        width = max([width, *(len(row) for row in rows)])
        if width > limits.max_columns:
            raise over_limit(name, "max_columns", width, limits.max_columns)
        rows += [[] for _ in range(height - len(rows))]
        rows = [row + [None] * (width - len(row)) for row in rows]
        sheets.append((shown_name(str(sheet)), pd.DataFrame(rows, dtype=object)))
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
    openpyxl = excel_engine()
    book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    try:
        sheets = []
        for sheet in book.worksheets:
            rows = []
            for row in sheet.iter_rows(values_only=True, max_col=limits.max_columns + 1):
                if len(row) > limits.max_columns and row[limits.max_columns] is not None:
                    raise over_limit(name, "max_columns", len(row), limits.max_columns)
                rows.append(row[: limits.max_columns])
                if len(rows) > limits.max_rows:
                    raise over_limit(name, "max_rows", len(rows), limits.max_rows)
            sheets.append((shown_name(str(sheet.title)), pd.DataFrame(rows, dtype=object)))
        return sheets
    finally:
        book.close()
