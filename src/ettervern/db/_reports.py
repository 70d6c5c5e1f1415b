"""Reports from the register: the library's own annual report and due list, run on what was
read, so that they equal the ones computed in memory."""

from __future__ import annotations

import datetime as dt
from typing import Any

import pandas as pd

from ettervern._core import Team
from ettervern._pathway import due_list
from ettervern._reports import AnnualReport, annual_report
from ettervern.db._cases import team_and_cases, team_and_cases_on
from ettervern.db._connection import Store
from ettervern.db._entries import timelog_on

__all__ = ["annual_report_of", "due_list_of"]


def annual_report_of(store: Store, team: Team | str, *, year: int, **options: Any) -> AnnualReport:
    """``annual_report()`` for ``year`` on the register's entries and cases, both read in one
    snapshot (``Store.snapshot``): a write between the two reads cannot make them disagree."""
    with store.snapshot() as connection:
        log = timelog_on(
            store, connection, team, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31)
        )
        _, cases = team_and_cases_on(store, connection, log.team)
    return annual_report(log, cases, team=log.team, year=year, **options)


def due_list_of(store: Store, team: Team | str, *, on: dt.date, **options: Any) -> pd.DataFrame:
    """``due_list()`` on the register's cases."""
    team_value, cases = team_and_cases(store, team)  # one connection: the team and its cases
    return due_list(cases, on=on, team=team_value, **options)
