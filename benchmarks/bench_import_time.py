"""Benchmark: the time ``import ettervern`` takes, against ``import pandas``.

Run: python benchmarks/bench_import_time.py [--repeat 15]

``ettervern`` stands on pandas, so importing pandas is the floor: what a user pays for any
pandas-based library. In the same run it starts fresh interpreters, alternately
- ``python -c "import pandas"`` (the baseline), and
- ``python -c "import ettervern"``,
``--repeat`` times each, and prints
- the median CPU time of each (the child's user and system time: the whole process,
  interpreter start-up included, as a user or a front-end that shells out pays it), the wall
  clock beside it (on a shared machine it also measures the neighbours), and an empty
  ``python -c pass`` for reference;
- their ratio in CPU time (target: at most 1.3x);
- which of the modules ``import ettervern`` must not load are loaded: matplotlib and openpyxl
  (optional extras, imported when a chart or a workbook is asked for) and the example year
  (``ettervern.examples``, imported on first use). The tests check the same without timing.
"""

from __future__ import annotations

import argparse
import json
import resource
import statistics
import subprocess
import sys
import time

TARGET = 1.3
"""The most ``import ettervern`` may take, as a multiple of ``import pandas``."""

HEAVY = ("matplotlib", "openpyxl", "ettervern.examples")
"""Modules ``import ettervern`` must leave unloaded."""


def run_once(code: str) -> tuple[float, float]:
    """CPU seconds (user and system) and wall-clock seconds of a fresh interpreter running
    ``code``."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run([sys.executable, "-c", code], check=True)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime, wall


def loaded_by_import() -> list[str]:
    """Which of ``HEAVY`` a fresh ``import ettervern`` loads."""
    code = f"import json, sys, ettervern; print(json.dumps([m for m in {HEAVY!r} if m in sys.modules]))"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    return list(json.loads(done.stdout))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--repeat", type=int, default=15)
    args = parser.parse_args()
    commands = {"python -c pass": "pass", "import pandas": "import pandas"}
    commands["import ettervern"] = "import ettervern"
    for code in commands.values():  # warm the file cache and the bytecode once, untimed
        run_once(code)
    times: dict[str, list[tuple[float, float]]] = {label: [] for label in commands}
    for _ in range(args.repeat):  # alternate, so a busy moment hits both sides alike
        for label, code in commands.items():
            times[label].append(run_once(code))
    cpu = {label: statistics.median(c for c, _ in taken) for label, taken in times.items()}
    wall = {label: statistics.median(w for _, w in taken) for label, taken in times.items()}
    print(
        f"fresh interpreters, median of {args.repeat} runs each, alternating; method: CPU time"
        " of the child (user + system, getrusage), wall clock in brackets"
    )
    for label in commands:
        print(f"  {label:<16} {cpu[label] * 1000:7.0f} ms CPU ({wall[label] * 1000:.0f} ms wall)")
    ratio = cpu["import ettervern"] / cpu["import pandas"]
    print(f"  CPU ratio (import ettervern / import pandas): {ratio:.2f}x  (target <= {TARGET}x)")
    loaded = loaded_by_import()
    print(f"  loaded by import ettervern, of {', '.join(HEAVY)}: {', '.join(loaded) or 'none'}")


if __name__ == "__main__":
    main()
