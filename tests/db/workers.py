"""What the concurrency tests run in other processes (importable, so ``spawn`` can start it)."""

from __future__ import annotations

import datetime as dt
from typing import Any

import ettervern as e
from ettervern.db import Register
from ettervern.errors import StaleVersionError

CASE = "08/20-FA"
"""An open case of the example year: tasks can be recorded on it."""


def task_key(user: str, number: int) -> str:
    """The task a writer records: a key, as task names are (``u_a_3``)."""
    return f"{user.replace('-', '_')}_{number}"


def record_tasks(job: tuple[str, str, int, dt.date], start: Any, results: Any) -> None:
    """Record ``count`` tasks on ``CASE``, reading again and retrying after each stale
    version; put (user, retries) on ``results``."""
    url, user, count, day = job
    team = e.teams.salten()
    retries = 0
    with Register(url, user=user) as register:
        start.wait()
        for number in range(count):
            while True:
                stored = register.get_case(CASE, team=team)
                event = e.events.TaskDone(on=day, task=task_key(user, number))
                try:
                    register.record(CASE, event, team=team, version=stored.version)
                    break
                except StaleVersionError:
                    retries += 1
    results.put((user, retries))


def import_rows(job: tuple[str, str, str, int], start: Any, results: Any) -> None:
    """Import the first ``rows`` entries of the example log as ``source``; put the summary."""
    url, user, source, rows = job
    log = e.examples.salten_2020().log
    part = e.TimeLog.from_frame(log.to_frame().iloc[:rows], team=log.team)
    with Register(url, user=user) as register:
        start.wait()
        summary = register.add_entries(part, source=source)
    results.put((user, source, summary.added, summary.already))
