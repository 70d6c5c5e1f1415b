"""Each column's text read as the team's values: a member's or bucket's name, a category key,
a case code in its canonical form (or the reason it is refused)."""

from __future__ import annotations

import re
from typing import Any

import pandas as pd

from ettervern._core import Bucket, Team, text_cache
from ettervern._l10n import N_, Message
from ettervern._timelog._columns import blank_cells, map_unique
from ettervern._timelog._places import historical_place
from ettervern.errors import EttervernError
from ettervern.privacy import looks_like_national_id

__all__ = [
    "ID_IN_CASE",
    "NAME_IN_CASE",
    "PERSONAL",
    "code_parts",
    "normalise_cases",
    "normalise_categories",
    "normalise_places",
]


_PARTS = re.compile(r"\s+[-–—/]\s+|\s*/\s*")


@text_cache(maxsize=4096)
def _place(team: Team, text: str) -> str | None:
    bucket = Bucket.parse(text)
    if bucket is not None:
        return bucket.value
    try:
        return team.membership(text).municipality.name
    except EttervernError:
        pass
    # Both names in the other order (``Hamarøy - Hábmer`` for the register's ``Hábmer -
    # Hamarøy``): accept it when every part names the same member.
    found = {_place(team, part) for part in _PARTS.split(text) if part and part != text}
    if len(found) == 1 and None not in found:
        return found.pop()
    old = historical_place(team, text)  # Tysfjord, Finnøy: mapped to today's member
    return None if old is None else old[0]


def normalise_places(values: pd.Series[Any], team: Team) -> tuple[pd.Series[Any], pd.Series[bool]]:
    """Canonical municipality names or bucket labels, and where the text named nothing known."""
    names = map_unique(values, lambda text: _place(team, text) if text else None)
    return names, names.isna() & ~blank_cells(values)


def normalise_categories(
    values: pd.Series[Any], team: Team
) -> tuple[pd.Series[Any], pd.Series[bool]]:
    def key(text: str) -> str | None:
        if re.fullmatch(r"\d+\.0+", text):  # a category number written by a spreadsheet
            text = text.split(".", maxsplit=1)[0]
        found = team.categories.find(text) if text else None
        return found.key if found is not None else None

    keys = map_unique(values, key)
    return keys, keys.isna() & ~blank_cells(values)


ID_IN_CASE = Message(
    "looks like a national identity number: personal data is not allowed in the case column"
)
NAME_IN_CASE = N_("looks like a name, not a case code; use codes like {example!r}")
PERSONAL = frozenset({ID_IN_CASE.template, NAME_IN_CASE})
"""The reasons whose value is personal data and is never shown."""


@text_cache(maxsize=65536)
def _case(team: Team, text: str) -> tuple[str | None, Message | None]:
    """(canonical code, reason it is refused) for one case cell."""
    if not text:
        return (None, None)
    if looks_like_national_id(text):
        return (None, ID_IN_CASE)
    try:
        return (str(team.code_scheme.parse(text)), None)
    except EttervernError:
        if any(ch.isdigit() for ch in text):
            expected = team.code_scheme.describe()
            return (None, Message("not a case code; expected {expected}", expected=expected))
        return (None, Message(NAME_IN_CASE, example=team.example_code))


@text_cache(maxsize=65536)
def code_parts(team: Team, text: str) -> tuple[str, int]:
    """The municipality letters and the year of a valid case code."""
    code = team.code_scheme.parse(text)
    return code.municipality, code.year


def normalise_cases(
    values: pd.Series[Any], team: Team
) -> tuple[pd.Series[Any], pd.Series[Any], dict[str, str]]:
    """Canonical code texts (missing for none), a reason per bad value, and letters per code."""
    canonical = map_unique(values, lambda text: _case(team, text)[0])
    reasons = map_unique(values, lambda text: _case(team, text)[1])
    letters = {code: code_parts(team, code)[0] for code in canonical.cat.categories}
    return canonical, reasons, letters
