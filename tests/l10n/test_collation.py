from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from tests import strategies as s


def test_issue_example() -> None:
    names = ["Sørfold", "Steigen", "Åfjord", "Ørland", "Aure"]
    assert sorted(names, key=e.language.norwegian_sort_key) == [
        "Aure",
        "Steigen",
        "Sørfold",
        "Ørland",
        "Åfjord",
    ]


def test_ae_oe_aa_come_after_z_in_that_order() -> None:
    assert e.language.norwegian_sorted(["Å", "Ø", "Æ", "Z", "A"]) == ["A", "Z", "Æ", "Ø", "Å"]
    # Plain Python order gets this wrong: it puts Å before Æ and Ø.
    assert sorted(["Ø", "Å", "Æ"]) != ["Æ", "Ø", "Å"]


def test_case_and_accents_do_not_split_the_alphabet() -> None:
    assert e.language.norwegian_sorted(["beiarn", "Hábmer", "Gildeskål", "Fauske"]) == [
        "beiarn",
        "Fauske",
        "Gildeskål",
        "Hábmer",
    ]
    # German and Swedish ä/ö sort with æ/ø; ü with y.
    assert e.language.norwegian_sorted(["Öxe", "Zed", "Yxe", "Üxa"]) == ["Üxa", "Yxe", "Zed", "Öxe"]


def test_the_salten_members_in_report_order() -> None:
    members = ["Fauske", "Sørfold", "Hamarøy", "Steigen", "Saltdal", "Meløy", "Gildeskål", "Beiarn"]
    assert e.language.norwegian_sorted([*members, "Felles"]) == [
        "Beiarn",
        "Fauske",
        "Felles",
        "Gildeskål",
        "Hamarøy",
        "Meløy",
        "Saltdal",
        "Steigen",
        "Sørfold",
    ]


@given(st.lists(s.names))
def test_sorting_is_a_total_order(names: list[str]) -> None:
    once = e.language.norwegian_sorted(names)
    assert e.language.norwegian_sorted(reversed(once)) == once
    assert sorted(once) == sorted(names)


@given(s.names, s.names)
def test_letters_after_z_outrank_every_plain_letter(stem: str, tail: str) -> None:
    for first in "zZ":
        for letter in "æøåÆØÅ":
            assert e.language.norwegian_sort_key(first + tail) < e.language.norwegian_sort_key(
                letter + stem
            )
