"""The bundled example years: a synthetic Salten 2020 that reproduces the published tables, and
a year of each other shipped team (Jæren 2019, integrated aftercare 2025).

``salten_2020()`` gives the Salten team, its time log and its cases for 2020. The data is made up
(no real person, date or case) by ``examples/make_salten_2020.py``, built so that the tables of
the team's published annual report for 2020 come out exactly: 30 + 499 = 529 hours of user
follow-up, 137 hours of driving, 200 collaboration entries, 15 cases. Use it to try the library,
in tests, and as the default of ``python -m ettervern report``. ``jaeren_2019()`` and
``integrated_2025()`` are made up the same way by ``examples/make_team_years.py`` to show those
models: the six-week plan and the daily group offer, and the tasks before, during and after a
stay with user-controlled short admissions. ``example(name)`` gives a team's year by the team's
name (``"salten"``, ``"jaeren"``, ``"integrated"``).
"""

from __future__ import annotations

import functools
from importlib.resources.abc import Traversable
from pathlib import Path

import attrs
import pandas as pd

from ettervern._core import Team, enforce, shipped_key
from ettervern._data import data_path
from ettervern._io import cases_from_json, group_log_from_json
from ettervern._l10n import N_, Message
from ettervern._pathway import Case, GroupLog
from ettervern._timelog import TimeLog
from ettervern.teams import integrated, jaeren, salten

__all__ = [
    "Example",
    "example",
    "integrated_2025",
    "jaeren_2019",
    "salten_2020",
    "salten_2020_messy_path",
]


@attrs.frozen(eq=False)
class Example:
    """A team with a year of its time log and cases."""

    team: Team
    log: TimeLog
    cases: tuple[Case, ...]
    groups: GroupLog | None = attrs.field(default=None, kw_only=True)
    """The sessions of the team's group offer and who came, where the year has them (Jæren)."""


def _data(name: str) -> Traversable:
    return data_path("examples", name)


@functools.cache
def salten_2020() -> Example:
    """The Salten team's synthetic 2020: team, time log (618 entries) and 16 cases and referrals.

    >>> example = salten_2020()
    >>> len(example.cases), round(example.log.for_category("Kjøring").total_hours)
    (16, 137)
    """
    return _load(salten(), "salten_2020")


def _load(team: Team, name: str) -> Example:
    with _data(f"{name}_log.csv").open("rb") as handle:
        frame = pd.read_csv(handle, dtype={"case": "string"}, parse_dates=["date"])
    log = TimeLog.from_frame(frame, team=team)
    cases = cases_from_json(
        _data(f"{name}_cases.json").read_text(encoding="utf-8"),
        source=f"example cases {name!r}",
        team=team,
        strict=True,
    )
    groups = None
    path = _data(f"{name}_groups.json")
    if path.is_file():
        groups = group_log_from_json(path.read_text(encoding="utf-8"), source=f"example {name!r}")
    return Example(team=team, log=log, cases=cases.accepted, groups=groups)


@functools.cache
def jaeren_2019() -> Example:
    """The Jæren team's synthetic 2019: 20 participants on the six-week plan, and the group
    offer every working day with who came (``groups``).

    >>> example = jaeren_2019()
    >>> len(example.cases), str(example.cases[0].code), len(example.groups)
    (20, 'KL-2019-001', 253)
    """
    return _load(jaeren(), "jaeren_2019")


@functools.cache
def integrated_2025() -> Example:
    """The integrated-aftercare team's synthetic 2025: 16 patients with tasks before, during and
    after a stay, and user-controlled short admissions.

    >>> example = integrated_2025()
    >>> len(example.cases), str(example.cases[0].code)
    (16, '2025-ST-001')
    """
    return _load(integrated(), "integrated_2025")


_YEARS = {"salten": salten_2020, "jaeren": jaeren_2019, "integrated": integrated_2025}


def example(team: str) -> Example:
    """The example year of a shipped team: ``"salten"``, ``"jaeren"`` or ``"integrated"``.

    Raises:
        ConfigError: no example year for that name.
    """
    problem = N_("no example year for the team {name!r}; choose one of {known!r}")
    return _YEARS[shipped_key(team, sorted(_YEARS), problem, Message("team name"))]()


def salten_2020_messy_path() -> Path:
    """The path of the same year as a messy workbook, the way teams keep it (for ``read_timelog``)."""
    return Path(str(_data("salten_2020_messy.xlsx")))


# The one error contract (see ettervern._core.enforce): this module is imported on first use, so
# it puts the contract on its own public functions.
enforce(globals(), __all__)
