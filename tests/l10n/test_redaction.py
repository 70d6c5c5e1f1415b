"""Identity numbers are found wherever they are written, and never in text too short to hold one."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ettervern._l10n import contains_identity
from ettervern._l10n._redaction import IDENTITY_RUN
from tests import strategies as s

DIGITY = st.text(alphabet="0123456789 .-/ab", max_size=30)
"""Text made mostly of digits and the separators an identity number is written with."""


@given(DIGITY)
def test_the_short_cut_for_short_text_gives_what_the_search_gives(text: str) -> None:
    assert contains_identity(text) == (IDENTITY_RUN.search(text) is not None)


@given(s.national_ids(), st.sampled_from(["", " ", ".", "-", "/"]), DIGITY, DIGITY)
def test_an_identity_number_is_found_however_it_is_written_and_wherever(
    number: str, separator: str, before: str, after: str
) -> None:
    written = number[:6] + separator + number[6:]
    assert contains_identity(written)  # eleven characters alone: the shortest it can be
    assert contains_identity(f"{before}x{written}x{after}")


def test_a_case_code_is_no_identity_number() -> None:
    assert not contains_identity("02/20-ST")
    assert not contains_identity("1503851019")  # ten digits
