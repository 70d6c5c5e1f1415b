"""The figures of the Salten team's published annual report for 2020 (seed ``000``).

Copied by hand from the report's tables («Statistikk av ressursbruk») and its text on cases, not
computed by the library: the tests compare the library's output against these.
"""

from __future__ import annotations

USER_FOLLOW_UP = {  # municipality: (Institusjon bruker, Bruker oppfølging, Totalsum)
    "Beiarn": (None, 23, 23),
    "Fauske": (28, 306, 334),
    "Gildeskål": (None, 73, 73),
    "Meløy": (None, 79, 79),
    "Saltdal": (None, 16, 16),
    "Steigen": (2, 2, 4),
    "Totalsum": (30, 499, 529),
}
DRIVING = {
    "Beiarn": 9,
    "Fauske": 69,
    "Gildeskål": 32,
    "Hamarøy": 1,
    "Meløy": 14,
    "Saltdal": 9,
    "Steigen": 2,
    "Sørfold": 1,
    "Totalsum": 137,
}
COLLABORATION_ENTRIES = {
    "Beiarn": 14,
    "Fauske": 111,
    "Felles": 7,
    "Gildeskål": 24,
    "Hamarøy": 3,
    "Meløy": 30,
    "Saltdal": 4,
    "Steigen": 5,
    "Sørfold": 2,
    "Totalsum": 200,
}
CASES = {"Fauske": 10, "Saltdal": 2, "Beiarn": 1, "Meløy": 1, "Gildeskål": 1}


def hours(category: str) -> dict[str, float]:
    """Published hours per municipality of one category key, without the total."""
    if category == "driving":
        return {k: v for k, v in DRIVING.items() if k != "Totalsum"}
    column = {"in_institution": 0, "user_follow_up": 1}[category]
    rows = {k: v[column] for k, v in USER_FOLLOW_UP.items() if k != "Totalsum"}
    return {k: v for k, v in rows.items() if v is not None}
