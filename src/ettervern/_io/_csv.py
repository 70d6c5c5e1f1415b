"""Reading a CSV file as Norwegian Excel writes it: its encoding, separator and width,
checked against the limits before pandas parses it in blocks."""

from __future__ import annotations

import codecs
import csv
import io
import re
from collections.abc import Callable, Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from ettervern._io._convert import unreadable
from ettervern._io._header import HEADER_SEARCH
from ettervern._io._limits import ImportLimits, over_limit
from ettervern._l10n import Message
from ettervern.errors import ConfigError, TimeLogError

__all__ = ["CSV_BLOCK_ROWS", "read_csv_blocks"]

CSV_BLOCK_ROWS = 250_000
"""Rows of a CSV file parsed and validated at a time: peak memory stays near the log's size."""


def read_csv_blocks(
    data: bytes, name: str, limits: ImportLimits, consume: Callable[[Iterable[pd.DataFrame]], None]
) -> str:
    """Read a CSV file, as Norwegian Excel writes it, handing its blocks of rows (every cell as
    text) to ``consume``; return the encoding it was read in.

    The encoding is decided from the whole file (``_decode``); the separator from the top
    lines; the width from the widest line. Lines, columns and rows are checked against
    ``limits`` before pandas sees the text, so that a hostile file costs time in proportion to
    its size, never more.
    """
    text, encoding = _decode(data, name)
    # Clean UTF-8 is measured on the file's own bytes (after a byte-order mark), not on the
    # text encoded again: 40 ms a million rows.
    clean = encoding in ("UTF-8", "UTF-8 with BOM")
    raw = memoryview(data)[len(codecs.BOM_UTF8) if encoding == "UTF-8 with BOM" else 0 :]
    breaks = _breaks(raw) if clean else text.count("\n")
    lines = breaks + (0 if text.endswith("\n") else 1)  # a final newline ends a row
    if lines > limits.max_rows:
        raise over_limit(name, "max_rows", lines, limits.max_rows)
    separator = _separator(text, limits)
    width = _width(text, separator, name, limits, raw if clean else None)
    try:
        reader = pd.read_csv(
            _source(data, text, encoding),
            encoding="utf-8" if clean else None,
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
            consume(reader)
    except (ConfigError, TimeLogError):
        raise
    except Exception as exc:  # any parser failure becomes one clear line
        raise ConfigError(name, [unreadable("CSV", exc)]) from None
    return encoding


def _breaks(utf8: memoryview) -> int:
    """How many line breaks UTF-8 bytes hold (as ``str.count("\\n")`` of their text: no other
    character's bytes hold a 10), counted a piece at a time with numpy: 4 ms a million rows,
    where counting them in the text took 18."""
    raw = np.frombuffer(utf8, dtype=np.uint8)
    return sum(
        int(np.count_nonzero(raw[at : at + _PIECE_BYTES] == ord("\n")))
        for at in range(0, len(raw), _PIECE_BYTES)
    )


def _source(data: bytes, text: str, encoding: str) -> io.BytesIO | io.StringIO:
    """What pandas parses: clean UTF-8 as the file's own bytes, after a byte-order mark, read
    as ``utf-8`` (its C parser reads such bytes as they are; ``utf-8-sig`` made pandas decode
    them through a text wrapper first, 70 ms a million rows); any other encoding as the text
    decoded from it."""
    if encoding not in ("UTF-8", "UTF-8 with BOM"):
        return io.StringIO(text)
    source = io.BytesIO(data)  # the bytes shared, not copied
    source.seek(len(codecs.BOM_UTF8) if encoding == "UTF-8 with BOM" else 0)
    return source


def _separator(text: str, limits: ImportLimits) -> str:
    """The separator most used on the top lines (where the header is looked for)."""
    head = text[: (HEADER_SEARCH + 5) * (limits.max_line_chars + 2)]  # the top lines, at most
    sample = "".join(head.splitlines(keepends=True)[: HEADER_SEARCH + 5])
    counts = {sep: sample.count(sep) for sep in (";", "\t", ",")}
    return max(counts, key=lambda k: counts[k]) if any(counts.values()) else ";"


def _width(
    text: str, separator: str, name: str, limits: ImportLimits, utf8: memoryview | None
) -> int:
    """The most fields on a line, once the longest line and the width are within ``limits``.

    The widest line, not the first line's width: a title line typed by hand has no separators.
    """
    try:
        longest, width = _shape(text, separator, limits.max_line_chars, utf8)
    except csv.Error as exc:
        raise ConfigError(name, [unreadable("CSV", exc)]) from None
    if longest > limits.max_line_chars:
        raise over_limit(name, "max_line_chars", longest, limits.max_line_chars)
    if width > limits.max_columns:
        raise over_limit(name, "max_columns", width, limits.max_columns)
    return width


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
    longest, width, measured = 0, 1, False
    for piece in _pieces(raw):
        found = _piece_shape(piece, separator, most, has_cr)
        if found is not None:
            longest, width, measured = max(longest, found[0]), max(width, found[1]), True
    return (longest, width) if measured else (0, 1)


_PIECE_BYTES = 1 << 22
"""Bytes of a file measured at a time (whole lines): the arrays of a piece stay in the
processor's cache, and none is the length of the whole file."""


def _pieces(raw: np.ndarray[Any, Any]) -> Iterator[np.ndarray[Any, Any]]:
    """``raw`` in pieces of whole lines, each ending just after a line break (the last one at
    the end of ``raw``), of about ``_PIECE_BYTES``."""
    start = 0
    while start < len(raw):
        end = min(start + _PIECE_BYTES, len(raw))
        if end < len(raw):
            tail = max(start, end - 4096)  # the last line break is most likely near the end
            breaks = np.flatnonzero(raw[tail:end] == ord("\n"))
            if not len(breaks):
                tail, breaks = start, np.flatnonzero(raw[start:end] == ord("\n"))
            if len(breaks):
                end = tail + int(breaks[-1]) + 1
            else:  # one line longer than a piece: to its end
                after = np.flatnonzero(raw[end:] == ord("\n"))
                end = end + int(after[0]) + 1 if len(after) else len(raw)
        yield raw[start:end]
        start = end


def _piece_shape(
    raw: np.ndarray[Any, Any], separator: str, most: int, has_cr: bool
) -> tuple[int, int] | None:
    """The longest line of a piece of whole lines (in characters when over ``most``) and its
    most fields; None for a piece without a line."""
    breaks = np.flatnonzero(raw == ord("\n"))
    starts = np.concatenate(([0], breaks + 1))
    ends = np.concatenate((breaks, [len(raw)]))
    if starts[-1] == len(raw):  # the empty tail after a final line break is no line
        starts, ends = starts[:-1], ends[:-1]
    if not len(starts):
        return None
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
    return longest, _most_fields(np.flatnonzero(raw == ord(separator)), starts, ends)


def _most_fields(separators: np.ndarray[Any, Any], starts: Any, ends: Any) -> int:
    """The most fields on a line (``starts``, ``ends``: its bounds) of a piece whose
    separators are at ``separators``.

    When there are ``k`` times as many separators as lines and the ``i``-th ``k`` of them all
    lie on line ``i``, every line has exactly ``k`` (each at least ``k``, and no more are left):
    a file as a spreadsheet writes it is measured so, in two comparisons a line. Otherwise each
    line's separators are counted by where its bounds fall among them."""
    lines = len(starts)
    each = len(separators) // lines
    if each and len(separators) == each * lines:
        grid = separators.reshape(lines, each)
        if (grid[:, 0] >= starts).all() and (grid[:, -1] < ends).all():
            return each + 1
    fields = np.diff(np.searchsorted(separators, np.append(starts, ends[-1] + 1))) + 1
    return int(fields.max())
