"""The shape of a CSV file, measured before pandas reads it (``_io/_csv.py``)."""

from __future__ import annotations

import csv
import io
from unittest import mock

import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from ettervern._io import _csv
from ettervern._io._csv import _shape

_PLAIN_LINES = st.lists(st.text(alphabet="aø;,\tX9 ", max_size=30), max_size=12)


@given(
    lines=_PLAIN_LINES,
    crlf=st.booleans(),
    final=st.booleans(),
    separator=st.sampled_from(";,\t"),
    most=st.integers(0, 40),
    piece=st.sampled_from([1, 2, 7, 64, 1 << 22]),
)
def test_the_shape_of_plain_text_is_the_csv_modules(
    lines: list[str], crlf: bool, final: bool, separator: str, most: int, *, piece: int
) -> None:
    """The fast measure of a CSV file (longest line, most fields) agrees with the csv module
    and ``str.splitlines`` on text without quotes, whatever the line ends and letters: the
    length exactly when it is over the limit, and never under the truth; in pieces of any
    size (a large file is measured piece by piece); its line breaks counted on its bytes as
    in its text."""
    end = "\r\n" if crlf else "\n"
    text = end.join(lines) + (end if final and lines else "")
    longest = max((len(line) for line in text.splitlines()), default=0)
    rows = list(csv.reader(io.StringIO(text), delimiter=separator))
    width = max((len(row) for row in rows), default=1)
    with mock.patch.object(_csv, "_PIECE_BYTES", piece):
        found_longest, found_width = _shape(text, separator, most)
        assert _csv._breaks(memoryview(text.encode("utf-8"))) == text.count("\n")
    if longest > most:
        assert found_longest == longest
    else:
        assert longest <= found_longest <= most
    assert found_width == max(width, 1)


def test_a_long_line_of_letters_is_measured_in_characters() -> None:
    text = "Sak;Dato\n" + "ø" * 8 + "\n"  # 16 bytes, 8 characters
    assert _shape(text, ";", 4) == (8, 2)
    assert _shape(text, ";", 100)[1] == 2
    # A line of few wide letters does not hide a longer line of narrow ones.
    assert _shape("aaaa\nøøø\n", ";", 4)[0] == 4


_SHEET = (
    "Sak;Dato;Kommune;Hendelse;Tidsbruk\n"
    "01/20-BO;02.03.2020;Bodø;Brukeroppfølging;1,5\n"
    "02/20-FA;03.03.2020;Fauske;Brukeroppfølging;2\n"
    ";;;;\n"
    "03/20-BO;04.03.2020;Bodø;Brukeroppfølging;0,3\n"
)


@pytest.mark.parametrize("marks", [0, 1, 2])
def test_utf8_bytes_are_read_as_the_text_they_are(marks: int) -> None:
    # Clean UTF-8 goes to pandas as the file's bytes past a byte-order mark; UTF-16 as the
    # text decoded. The same rows read alike either way, a second mark kept as text in both.
    text = "\ufeff" * max(marks - 1, 0) + _SHEET
    team = e.teams.salten()
    utf8 = ("\ufeff" if marks else "").encode() + text.encode("utf-8")
    read = e.read_timelog(io.BytesIO(utf8), team=team, format="csv")
    oracle = e.read_timelog(io.BytesIO(text.encode("utf-16")), team=team, format="csv")
    assert read.encoding == ("UTF-8 with BOM" if marks else "UTF-8")
    assert oracle.encoding == "UTF-16"
    pd.testing.assert_frame_equal(read.accepted.to_frame(), oracle.accepted.to_frame())
    pd.testing.assert_frame_equal(read.rejected, oracle.rejected)
    assert (read.read, read.ignored) == (oracle.read, oracle.ignored)
