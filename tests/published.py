"""The figures of the Salten team's published annual report for 2020 (seed ``000``).

Typed once, with their source, in ``ettervern/_data/published/salten_2020.toml``; the example
generator reads the same file. They are copied from the report, not computed by the library:
the tests compare the library's output against these. ``tests/data/test_published.py`` checks
that each table adds up to its published «Totalsum», which catches a mistyped figure.
"""

from __future__ import annotations

from typing import Any

from ettervern._data import read_toml

TOTAL = "Totalsum"
"""The row (and column) the report adds its tables up in."""

FIGURES: dict[str, Any] = read_toml("published", "salten_2020.toml")
"""The whole file: every table as ``{municipality: figure}``, with its ``Totalsum`` row."""

USER_FOLLOW_UP = {  # municipality: (Institusjon bruker, Bruker oppfølging, Totalsum)
    place: (
        FIGURES["user_follow_up"]["in_institution"].get(place),
        FIGURES["user_follow_up"]["user_follow_up"].get(place),
        total,
    )
    for place, total in FIGURES["user_follow_up"]["total"].items()
}
DRIVING: dict[str, int] = FIGURES["driving"]
COLLABORATION_ENTRIES: dict[str, int] = FIGURES["collaboration_entries"]
CASES = {k: v for k, v in FIGURES["cases"].items() if k != TOTAL}


def without_total(table: dict[str, int]) -> dict[str, int]:
    """The rows of a published table, without its ``Totalsum``."""
    return {k: v for k, v in table.items() if k != TOTAL}


def hours(category: str) -> dict[str, float]:
    """Published hours per municipality of one category key, without the total."""
    if category == "driving":
        return without_total(DRIVING)
    return without_total(FIGURES["user_follow_up"][category])
