"""Team presets: teams and category catalogs shipped with the library as data.

Each preset is a TOML file in the package (``ettervern/_data/teams/``) with its source cited, read
the same way as a team file of your own ([`read_team()`][ettervern.read_team]). Three models
ship: the Salten intermunicipal team (seed ``000_…``), a team on the Jæren model (seed ``002_…``)
and an integrated-aftercare team of a hospital trust and its municipalities (seed ``003_…``).
"""

from __future__ import annotations

import functools
from collections.abc import Iterable
from pathlib import Path

from ettervern._core import (
    CaseCode,
    CategoryCatalog,
    Municipality,
    StaffRole,
    Team,
    builtin_catalog,
    by_name,
    shipped_key,
)
from ettervern._core import next_case_code as _allocate
from ettervern._data import read_toml
from ettervern._io import read_team, team_from_dict
from ettervern._l10n import N_, Message
from ettervern.errors import UnknownMunicipalityError

__all__ = [
    "PRESETS",
    "StaffRole",
    "integrated",
    "jaeren",
    "next_case_code",
    "preset",
    "salten",
    "salten_categories",
    "team",
]

PRESETS = ("integrated", "jaeren", "salten")
"""The names of the shipped teams."""


def preset(name: str) -> Team:
    """A shipped team by name: ``"salten"``, ``"jaeren"`` (or ``"Jæren"``) or ``"integrated"``.

    Raises:
        ConfigError: there is no such preset.
    """
    problem = N_("no preset team {name!r}; choose one of {known!r}")
    return _preset(shipped_key(name, PRESETS, problem, Message("team name")))


# A parameter that takes a Team anywhere in the public API also takes a shipped team's name
# (team="jaeren"): the type contract looks it up here.
by_name(Team, preset)


@functools.cache
def _preset(key: str) -> Team:
    return team_from_dict(read_toml("teams", f"{key}.toml"), source=f"preset team {key!r}")


def team(name_or_path: str | Path) -> Team:
    """A shipped team by name (``"jaeren"``), or a team file (``.toml`` or ``.json``)."""
    text = str(name_or_path)
    if text.strip().casefold().replace("æ", "ae") in PRESETS:
        return preset(text)
    return read_team(name_or_path)


def salten() -> Team:
    """The intermunicipal ambulant aftercare team in Salten, hosted by Fauske.

    Members from 1 January 2020: Fauske (FA), Sørfold (SØ), Hamarøy (HA), Steigen (ST), Saltdal
    (SA), Meløy (ME), Gildeskål (GI), Beiarn (BE); Rødøy (RØ) from 1 September 2020. Four staff
    FTE, two staff on each case, a 6-8-week follow-up target, half-hour resolution, and the ten
    categories of [`salten_categories()`][ettervern.teams.salten_categories]; its report opens with
    the report's own tables.

    Source: *Årsrapport for interkommunalt ambulerende ettervernsteam 2020*.
    """
    return preset("salten")


def jaeren() -> Team:
    """An example team on the Jæren model: Gjesdal, Time, Hå and Klepp, hosted by Klepp.

    A six-week follow-up planned week by week (the ``"jaeren"`` pathway template), a group
    offer every weekday, quarter-hour resolution and codes such as ``HÅ-2019-001``. The host,
    staff and code letters are the example's own choices.

    Source: seed ``002_…``, *Fleksibelt interkommunalt ettervern på Jæren* (Ny Start Jæren).
    """
    return preset("jaeren")


def integrated() -> Team:
    """An example integrated-aftercare team: a hospital trust's TSB with Stavanger, Sandnes,
    Sola and (from March 2025) Randaberg.

    Tasks before admission, during the stay, at discharge and after (the ``"integrated"``
    pathway template), the individual plan due before discharge, a crisis plan and
    user-controlled short admissions of 5-7 days; six-minute resolution and codes such as
    ``2025-ST-001``. The members and staff are the example's own choices.

    Source: seed ``003_…``, *Integrert ettervern - Gode forløp* (national working group, 2025).
    """
    return preset("integrated")


def salten_categories() -> CategoryCatalog:
    """The Salten team's ten resource categories (hendelser), *Administrasjonsarbeid* until 2020.

    Source: *Årsrapport for interkommunalt ambulerende ettervernsteam 2020*, «Ressursbruk».
    """
    return builtin_catalog("salten")


def next_case_code(
    existing: Iterable[CaseCode | str],
    *,
    municipality: str | Municipality,
    year: int,
    team: Team | str | None = None,
) -> CaseCode:
    """Allocate the next free case code for ``municipality`` in ``year``, in a team's scheme.

    ``municipality`` is a member's name, number or code letters; by default the team is Salten
    (as for the command line), so

    >>> str(next_case_code([], municipality="Fauske", year=2020))
    '01/20-FA'
    >>> str(next_case_code(["HÅ-2019-001"], municipality="Hå", year=2019, team="jaeren"))
    'HÅ-2019-002'

    Letters that are no member's are used as they are (``municipality="XY"``).

    Raises:
        CaseCodeError: an existing code is malformed, or the letters or year are not valid.
    """
    if isinstance(team, str):
        team = preset(team)
    chosen = salten() if team is None else team
    try:
        letters = chosen.membership(municipality).letters
    except UnknownMunicipalityError:
        if team is not None:
            raise
        return _allocate(existing, municipality=municipality, year=year, scheme=chosen.code_scheme)
    return _allocate(existing, municipality=letters, year=year, scheme=chosen.code_scheme)
