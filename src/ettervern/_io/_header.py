"""Finding the header row of a sheet (*Sak, Dato, Kommune, Hendelse, Tidsbruk* or English
aliases) and naming the columns that are not the log's."""

from __future__ import annotations

from collections.abc import Iterable

import numpy as np
import pandas as pd

from ettervern._l10n import HIDDEN, Message, closest, normalise_name, redact_value
from ettervern.errors import ConfigError

__all__ = [
    "HEADERS",
    "HEADER_SEARCH",
    "NoHeaderError",
    "column_letters",
    "locate_header",
    "other_columns",
    "shown_name",
    "where",
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
HEADER_SEARCH = 20


def column_letters(position: int) -> str:
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


def locate_header(sheet: str, frame: pd.DataFrame, source: str) -> tuple[int, dict[str, int]]:
    head = frame.head(HEADER_SEARCH).astype(object)
    best: tuple[int, list[object]] = (0, [])
    for index, row in enumerate(head.itertuples(index=False)):
        found = _header_map(row)
        if all(c in found for c in _REQUIRED):
            return index, found
        best = max(best, (len(found), list(row)), key=lambda b: b[0])
    wanted = [HEADERS[c][0].capitalize() for c in _REQUIRED]
    problem = Message(
        "no header row with {wanted} in the first {rows} rows", wanted=wanted, rows=HEADER_SEARCH
    )
    raise NoHeaderError(where(sheet, source), [problem, *_misspelt_headers(best[1])])


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


def shown_name(name: str) -> str:
    """A file or sheet name as the library may echo it: the placeholder when it holds a run of
    digits shaped like an identity number (``Ark 15076500565``), otherwise itself. Used for
    sources and sheet names in results, rejected rows, log records and errors."""
    return str(redact_value(name, HIDDEN))


def where(sheet: str, source: str) -> str | Message:
    """The file, or the sheet of the file, a problem was found in."""
    return Message("sheet {sheet!r} of {source}", sheet=sheet, source=source) if sheet else source


class NoHeaderError(ConfigError):
    """A sheet has no time-log header (in a workbook, other sheets may have one)."""


def other_columns(header_cells: list[object], columns: dict[str, int]) -> dict[int, str]:
    """The columns that are not the log's, by position: their header, or their letters."""
    labels = {}
    for position, cell in enumerate(header_cells):
        if position in columns.values():
            continue
        label = column_letters(position)
        if cell is not None and str(cell).strip() not in ("", "nan", "None"):
            label = str(cell).strip()
        labels[position] = label
    return labels
