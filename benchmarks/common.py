"""What the benchmarks share: the Salten members, and timing and memory measurement."""

from __future__ import annotations

import gc
import time
import tracemalloc
from collections.abc import Callable

MEMBERS = {
    "Fauske": "FA",
    "Sørfold": "SØ",
    "Hamarøy": "HA",
    "Steigen": "ST",
    "Saltdal": "SA",
    "Meløy": "ME",
    "Gildeskål": "GI",
    "Beiarn": "BE",
}
"""The Salten members of all 2020, with their code letters."""


def best_of(repeat: int, work: Callable[[], object]) -> float:
    """The best wall-clock time of ``repeat`` runs, in seconds."""
    times = []
    for _ in range(repeat):
        gc.collect()
        start = time.perf_counter()
        work()
        times.append(time.perf_counter() - start)
    return min(times)


def peak_memory(work: Callable[[], object]) -> int:
    """The peak of memory traced by tracemalloc during one run, in bytes (numpy included)."""
    gc.collect()
    tracemalloc.start()
    work()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return peak
