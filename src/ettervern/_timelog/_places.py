"""Old municipality names and numbers in a time log, mapped to the team's members of today.

A sheet from 2019 names *Tysfjord* or *Finnøy*; the team's members are the municipalities of the
current register (Hamarøy, Stavanger). ``historical_place`` finds the member that carries on
the old municipality, through the shipped changes of 2020 and 2024, so the row is kept and the
import summary can say how it was mapped.
"""

from __future__ import annotations

from ettervern._core import MunicipalityChange, Team, municipality_successor, text_cache
from ettervern.errors import EttervernError

__all__ = ["historical_place"]


@text_cache(maxsize=4096)
def historical_place(team: Team, text: str) -> tuple[str, tuple[MunicipalityChange, ...]] | None:
    """The member of ``team`` that carries on the old municipality ``text``, and the changes on
    the way; ``None`` when ``text`` names no old municipality, or one that none of the members
    (or more than one) carries on.

    >>> from ettervern import teams
    >>> name, changes = historical_place(teams.salten(), "Tysfjord")
    >>> name, [str(c.describe()) for c in changes]
    ('Hamarøy', ['Tysfjord (1850) → Hamarøy (1875): split 2020-01-01'])
    """
    try:
        found, changes = municipality_successor(text, among=[m.municipality for m in team.members])
    except EttervernError:
        return None
    return (found.name, changes) if changes else None
