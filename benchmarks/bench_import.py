"""Benchmark: importing and validating a large time sheet against plain ``pandas.read_csv``.

Run: python benchmarks/bench_import.py [--rows 1000000] [--repeat 3]

It writes a synthetic Salten sheet as Norwegian Excel saves CSV (semicolons, dd.mm.yyyy dates,
decimal commas, Norwegian category names, a byte-order mark), then measures in the same run
- ``pandas.read_csv`` of the file (the baseline: reading only, no checks), and
- ``ettervern.read_timelog`` (reading, parsing every column, validating every rule),
printing the best time of each and their ratio, and the peak memory (tracemalloc, in a separate
untimed run) of ``read_timelog`` against the size of the DataFrame ``read_csv`` returns.
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from common import MEMBERS, best_of, peak_memory

import ettervern as e

CATEGORIES = [
    "Brukeroppfølging",
    "Kjøring",
    "Samarbeidspartnere",
    "Institusjon bruker",
    "Ikke møtt",
]


def write_sheet(path: Path, rows: int, seed: int = 2020) -> None:
    """A valid synthetic sheet of ``rows`` entries for 2020."""
    rng = np.random.default_rng(seed)
    names = list(MEMBERS)
    place = rng.integers(0, len(names), rows)
    number = rng.integers(1, 40, rows)
    codes = np.array([f"{n:02d}/20-{MEMBERS[m]}" for m in names for n in range(1, 40)])
    days = pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 366, rows), unit="D")
    frame = pd.DataFrame(
        {
            "Sak": codes[place * 39 + number - 1],
            "Dato": days.strftime("%d.%m.%Y"),
            "Kommune": np.array(names)[place],
            "Hendelse": np.array(CATEGORIES)[rng.integers(0, len(CATEGORIES), rows)],
            "Tidsbruk": rng.integers(1, 9, rows) / 2,
        }
    )
    text = frame.to_csv(sep=";", decimal=",", index=False)
    path.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    team = e.teams.salten()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "timer.csv"
        write_sheet(path, args.rows)
        size = path.stat().st_size

        def baseline() -> pd.DataFrame:
            return pd.read_csv(path, sep=";", encoding="utf-8-sig")

        def ours() -> e.ImportResult:
            return e.read_timelog(path, team=team)

        result = ours()
        assert len(result.accepted) == args.rows, result.summary()
        frame_bytes = int(baseline().memory_usage(deep=True).sum())
        log_bytes = int(result.accepted.to_frame(copy=False).memory_usage(deep=True).sum())
        base_time = best_of(args.repeat, baseline)
        ours_time = best_of(args.repeat, ours)
        base_peak = peak_memory(baseline)
        ours_peak = peak_memory(ours)
    mib = 1024 * 1024
    print(f"rows: {args.rows:,}  file: {size / mib:.0f} MiB  ({result.summary()})")
    print(
        f"  pandas.read_csv     {base_time:7.3f} s   peak {base_peak / mib:7.1f} MiB   DataFrame {frame_bytes / mib:6.1f} MiB"
    )
    print(
        f"  read_timelog        {ours_time:7.3f} s   peak {ours_peak / mib:7.1f} MiB   TimeLog   {log_bytes / mib:6.1f} MiB"
    )
    print(f"  time ratio (read_timelog / read_csv): {ours_time / base_time:.2f}x  (target <= 3x)")
    print(f"  peak memory / read_csv's DataFrame: {ours_peak / frame_bytes:.2f}x  (target <= 2x)")
    print(f"  peak memory ratio (read_timelog / read_csv): {ours_peak / base_peak:.2f}x")


if __name__ == "__main__":
    main()
