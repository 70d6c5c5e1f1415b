"""Team presets: teams and category catalogs shipped with the library as data.

Each preset is a TOML file in the package (``ettervern/data/teams/``) with its source cited, read
the same way as a team file of your own ([`load_team()`][ettervern.load_team]).
"""

from __future__ import annotations

import functools

from ettervern.core import CategoryCatalog, Team, builtin_catalog
from ettervern.data import read_toml
from ettervern.io import team_from_dict

__all__ = ["salten", "salten_categories"]


@functools.cache
def salten() -> Team:
    """The intermunicipal ambulant aftercare team in Salten, hosted by Fauske.

    Members from 1 January 2020: Fauske (FA), Sørfold (SØ), Hamarøy (HA), Steigen (ST), Saltdal
    (SA), Meløy (ME), Gildeskål (GI), Beiarn (BE); Rødøy (RØ) from 1 September 2020. Four staff
    FTE, two staff on each case, a 6-8-week follow-up target, half-hour resolution, and the ten
    categories of [`salten_categories()`][ettervern.teams.salten_categories].

    Source: *Årsrapport for interkommunalt ambulerende ettervernsteam 2020*.
    """
    return team_from_dict(read_toml("teams", "salten.toml"), source="preset team 'salten'")


def salten_categories() -> CategoryCatalog:
    """The Salten team's ten resource categories (hendelser), *Administrasjonsarbeid* until 2020.

    Source: *Årsrapport for interkommunalt ambulerende ettervernsteam 2020*, «Ressursbruk».
    """
    return builtin_catalog("salten")
