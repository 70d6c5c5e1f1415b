"""The bundled example year: a synthetic Salten 2020 that reproduces the published tables.

``salten_2020()`` gives the Salten team, its time log and its cases for 2020. The data is made up
(no real person, date or case) by ``examples/make_salten_2020.py``, built so that the tables of
the team's published annual report for 2020 come out exactly: 30 + 499 = 529 hours of user
follow-up, 137 hours of driving, 200 collaboration entries, 15 cases. Use it to try the library,
in tests, and as the default of ``python -m ettervern report``.
"""

from __future__ import annotations

import functools
from importlib.resources.abc import Traversable
from pathlib import Path

import attrs
import pandas as pd

from ettervern.core import Team
from ettervern.data import data_path
from ettervern.io import cases_from_json
from ettervern.pathway import Case
from ettervern.teams import salten
from ettervern.timelog import TimeLog

__all__ = ["Example", "salten_2020", "salten_2020_messy_path"]


@attrs.frozen(eq=False)
class Example:
    """A team with a year of its time log and cases."""

    team: Team
    log: TimeLog
    cases: tuple[Case, ...]


def _data(name: str) -> Traversable:
    return data_path("examples", name)


@functools.cache
def salten_2020() -> Example:
    """The Salten team's synthetic 2020: team, time log (618 entries) and 16 cases and referrals.

    >>> example = salten_2020()
    >>> len(example.cases), round(example.log.for_category("Kjøring").total_hours)
    (16, 137)
    """
    team = salten()
    with _data("salten_2020_log.csv").open("rb") as handle:
        frame = pd.read_csv(handle, dtype={"case": "string"}, parse_dates=["date"])
    log = TimeLog.from_frame(frame, team=team)
    cases = cases_from_json(
        _data("salten_2020_cases.json").read_text(encoding="utf-8"), source="example cases"
    )
    return Example(team=team, log=log, cases=tuple(cases))


def salten_2020_messy_path() -> Path:
    """The path of the same year as a messy workbook, the way teams keep it (for ``read_timelog``)."""
    return Path(str(_data("salten_2020_messy.xlsx")))
