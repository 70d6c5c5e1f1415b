"""What the benchmarks share: the Salten members, and timing and memory measurement."""

from __future__ import annotations

import datetime as dt
import gc
import resource
import sys
import time
import tracemalloc
from collections.abc import Callable, Collection
from pathlib import Path

import pandas as pd

import ettervern as e

MEMBERS = {
    m.municipality.name: m.letters
    for m in e.teams.salten().members
    if m.since is None or m.since <= dt.date(2020, 1, 1)
}
"""The Salten members of all 2020 (Rødøy joined in September), with their code letters."""

PLACES = frozenset(
    [m.municipality.name for m in e.teams.salten().members]
    + [b.value for b in e.municipalities.Bucket]
)
"""Where an entry of the Salten log may be: a member (of some day of 2020) or a bucket."""


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The best wall-clock time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def best_times(repeat: int, work: Callable[[], object]) -> tuple[float, float]:
    """The best wall-clock and the best CPU time (this process) of ``repeat`` runs, in seconds.

    On a machine shared with other work, wall-clock time measures the neighbours too; the CPU
    time this process spent is what the work costs.
    """
    walls, cpus = [], []
    for _ in range(repeat):
        gc.collect()
        wall, cpu = time.perf_counter(), time.process_time()
        work()
        cpus.append(time.process_time() - cpu)
        walls.append(time.perf_counter() - wall)
    return min(walls), min(cpus)


def peak_memory(work: Callable[[], object]) -> int:
    """The peak of memory traced by tracemalloc during one run, in bytes (numpy included)."""
    gc.collect()
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak


def traced_memory(work: Callable[[], object]) -> tuple[int, int]:
    """(peak, retained) bytes traced by tracemalloc in one run of ``work``.

    ``retained`` is what the result still holds once ``work`` returns: the true size of a
    DataFrame, where ``memory_usage(deep=True)`` counts a string shared by many rows once per row.
    """
    gc.collect()
    tracemalloc.start()
    result = work()
    gc.collect()
    retained, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    del result
    return peak, retained


def max_rss() -> int:
    """The process' peak resident memory so far, in bytes.

    On Linux this is ``VmHWM`` from ``/proc/self/status``: ``ru_maxrss`` survives ``exec``, so a
    child started by a large parent would report the parent's peak. Elsewhere ``ru_maxrss``.
    """
    status = Path("/proc/self/status")
    if status.exists():
        for line in status.read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) * 1024
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    return peak if sys.platform == "darwin" else peak * 1024


def cpu_best(repeat: int, work: Callable[[], object], *, paused: bool = False) -> float:
    """The best CPU time (``time.process_time``, this process) of ``repeat`` runs, in seconds.

    The collector runs before each run; with ``paused`` it is also paused during the run, so
    that two sides compared (a reader that pauses it itself, and ``json.loads``) run in the
    same collector state.
    """
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        if paused:
            gc.disable()
        try:
            start = time.process_time()
            work()
            best = min(best, time.process_time() - start)
        finally:
            gc.enable()
    return best


def checked_by_hand(frame: pd.DataFrame, categories: Collection[str]) -> pd.DataFrame:
    """What a careful analyst writes in pandas after reading a team's sheet: the same checks
    ``read_timelog`` makes of each row (a date in the year, hours on the half hour between 0
    and 24, a member or bucket, a known category, a case code of the scheme's form), the good
    rows kept with the text columns as categories, the bad rows counted.

    The baseline of the CSV and ``.xlsx`` goals: pandas with the same checks."""
    dates = frame["Dato"]
    if not pd.api.types.is_datetime64_any_dtype(dates):
        dates = pd.to_datetime(dates, format="%d.%m.%Y", errors="coerce")
    hours = pd.to_numeric(frame["Tidsbruk"], errors="coerce")
    case = frame["Sak"].astype("string")
    good = (
        dates.between(pd.Timestamp("2020-01-01"), pd.Timestamp("2020-12-31"))
        & hours.gt(0)
        & hours.le(24)
        & (hours * 2).mod(1).eq(0)
        & frame["Kommune"].isin(PLACES)
        & frame["Hendelse"].isin(list(categories))
        & (case.isna() | case.str.fullmatch(r"\d{2}/\d{2}-[A-ZÆØÅ]{2}").fillna(False))
    )
    kept = pd.DataFrame(
        {
            "case": case[good].astype("category"),
            "date": dates[good],
            "municipality": frame["Kommune"][good].astype("category"),
            "category": frame["Hendelse"][good].astype("category"),
            "hours": hours[good],
        }
    )
    kept.attrs["rejected"] = int((~good).sum())
    return kept
