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

import re
from typing import Any, Literal

import pandas as pd
from pandas.api.types import is_datetime64_any_dtype, is_numeric_dtype

from ettervern._core import check_one_of

__all__ = [
    "FORMULAS",
    "FORMULA_START",
    "Formulas",
    "csv_cell",
    "csv_safe",
    "csv_text",
    "from_csv_text",
    "no_formulas",
    "text_cell",
]

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


Formulas = Literal["escape", "keep"]
"""What a CSV writer does with text that a spreadsheet would read as a formula: ``"escape"`` it
with a leading ``'`` (the default, for people who open the file in Excel or LibreOffice), or
``"keep"`` it as it is (for a program that reads the file)."""
FORMULAS = ("escape", "keep")

_NUMBER = re.compile(r"[+-]?\d+(?:[.,]\d+)?(?:[eE][+-]?\d+)?")
"""Text that is a plain number (``-1,5``): a spreadsheet reads it as a number, never a formula."""


def csv_cell(value: object) -> object:
    """``value`` as a CSV cell, as ``csv_text`` writes it, except that text which is a plain
    number (``-3``, ``+1,5``) is left as it is: it is a number, not a formula.

    >>> csv_cell("=HYPERLINK(1)"), csv_cell("-3"), csv_cell(-3), csv_cell("-cmd")
    ("'=HYPERLINK(1)", '-3', -3, "'-cmd")
    """
    if isinstance(value, str) and _NUMBER.fullmatch(value) is not None:
        return value
    return csv_text(value)


def csv_safe(frame: pd.DataFrame, *, formulas: Formulas = "escape") -> pd.DataFrame:
    """``frame`` as every CSV file the library writes holds it: each text cell that a
    spreadsheet would read as a formula (``=``, ``+``, ``-``, ``@``, tab or carriage return at its
    start) gets a leading ``'``, following OWASP's advice on CSV injection; numbers, and text that
    is a plain number, stay as they are. ``formulas="keep"`` returns ``frame`` unchanged.

    Raises:
        InvalidValueError: ``formulas`` is neither ``"escape"`` nor ``"keep"``.
    """
    check_one_of("formulas", formulas, FORMULAS)
    if formulas == "keep":
        return frame
    columns = [frame.iloc[:, position] for position in range(frame.shape[1])]
    if not columns:
        return frame
    out = pd.concat(
        [
            values
            if is_numeric_dtype(values) or is_datetime64_any_dtype(values)
            else values.astype(object).map(csv_cell)
            for values in columns
        ],
        axis=1,
        ignore_index=True,
    )
    out.columns = frame.columns
    return out
