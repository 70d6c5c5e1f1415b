"""Cells that are text stay text: no formula injection through a sheet the library writes.

A category, a team name or a cell typed by a user may begin with ``=``, ``+``, ``-`` or ``@``
(or a tab or carriage return), which Excel and LibreOffice read as the start of a formula:
``=HYPERLINK(...)`` or ``=cmd|' /C calc'!A0``. Following OWASP's advice on CSV injection, the
library writes such text so that it is shown as text and never evaluated:

- in .xlsx, the cell is stored as a text cell (never as a formula), exactly as typed;
- in CSV, which has no cell types, the text is prefixed with a single quote, which spreadsheet
  programs take as "this is text" and ``ettervern.read_timelog`` removes again.

Either way, reading the file back with ``ettervern.read_timelog`` gives the text unchanged.
"""

from __future__ import annotations

from typing import Any

__all__ = ["FORMULA_START", "csv_text", "from_csv_text", "no_formulas", "text_cell"]

FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
"""The characters that make a spreadsheet read a cell as a formula (OWASP)."""


def csv_text(value: object) -> object:
    """``value`` as a CSV cell: text that could start a formula gets a leading ``'``.

    >>> csv_text("=1+1"), csv_text("Fauske"), csv_text(1.5)
    ("'=1+1", 'Fauske', 1.5)
    """
    if isinstance(value, str) and value.startswith(FORMULA_START):
        return "'" + value
    return value


def from_csv_text(value: str) -> str:
    """The text ``csv_text`` wrote: the protective ``'`` removed.

    >>> from_csv_text("'=1+1"), from_csv_text("'Fauske")
    ('=1+1', "'Fauske")
    """
    if value.startswith("'") and value[1:].startswith(FORMULA_START):
        return value[1:]
    return value


def text_cell(cell: Any) -> Any:
    """Keep a text cell of openpyxl as text (openpyxl makes any text beginning with ``=`` a
    formula); returns the cell."""
    if isinstance(cell.value, str):
        cell.data_type = "s"
    return cell


def no_formulas(workbook: Any) -> None:
    """Turn every formula cell of an openpyxl workbook (in normal mode) back into the text it
    was given as: the library writes values, never formulas."""
    for sheet in workbook.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if cell.data_type == "f":
                    cell.data_type = "s"
