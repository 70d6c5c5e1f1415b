"""Hypothesis strategies shared by the test modules."""

from __future__ import annotations

import datetime as dt

from hypothesis import strategies as st

import ettervern as e

NORWEGIAN_CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ"

letters = st.text(alphabet=NORWEGIAN_CAPITALS, min_size=1, max_size=4)
"""Code letters as a team may choose them (``ST``, ``SØ``, ``RØD``)."""

years = st.integers(min_value=2000, max_value=2099)
numbers = st.integers(min_value=1, max_value=99_999)


@st.composite
def case_codes(draw: st.DrawFn, scheme: e.CodeScheme = e.DEFAULT_SCHEME) -> e.CaseCode:
    """Any valid case code in ``scheme``."""
    return e.CaseCode(
        year=draw(years), municipality=draw(letters), number=draw(numbers), scheme=scheme
    )


schemes = st.builds(
    e.CodeScheme,
    pattern=st.sampled_from(
        [
            "{number}/{yy}-{letters}",
            "{letters}-{yyyy}-{number}",
            "SAK {number}.{yy} {letters}",
            "{yyyy}{letters}{number}",
        ]
    ),
    number_width=st.integers(min_value=1, max_value=4),
)

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))

_name_chars = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅéá -")
)
names = st.text(_name_chars, min_size=1, max_size=12)
"""Place-like names in the Norwegian alphabet, with accents, spaces and hyphens."""
