"""The published 2020 figures are typed once (``data/published/salten_2020.toml``), so the
example year and the tests read the same numbers; these checks stand in for a second copy. The
report's own totals work as check sums: a figure mistyped in the file breaks one of them.
"""

from __future__ import annotations

import pytest

from tests import published
from tests.published import FIGURES, TOTAL


def _tables() -> dict[str, dict[str, int]]:
    tables = {f"user_follow_up.{k}": v for k, v in FIGURES["user_follow_up"].items()}
    for key in ("driving", "collaboration_entries", "cases", "cases_followed_in_institution"):
        tables[key] = FIGURES[key]
    return tables


@pytest.mark.parametrize(("key", "table"), list(_tables().items()))
def test_each_table_adds_up_to_its_published_total(key: str, table: dict[str, int]) -> None:
    assert sum(published.without_total(table).values()) == table[TOTAL], key


def test_the_first_table_adds_its_two_columns_row_by_row() -> None:
    for place, (inside, after, total) in published.USER_FOLLOW_UP.items():
        assert (inside or 0) + (after or 0) == total, place


def test_the_figures_quoted_in_the_domain_brief() -> None:
    """The headline figures, typed here a second time from the report's own «Totalsum» cells."""
    assert published.USER_FOLLOW_UP[TOTAL] == (30, 499, 529)
    assert published.DRIVING[TOTAL] == 137
    assert published.COLLABORATION_ENTRIES[TOTAL] == 200
    assert FIGURES["cases"][TOTAL] == 15
    assert FIGURES["cases_followed_in_institution"] == {"Fauske": 2, TOTAL: 2}
    assert FIGURES["year"] == 2020
