"""Benchmark: importing and validating a large time sheet against plain ``pandas.read_csv``.

Run: python benchmarks/bench_import.py [--rows 1000000] [--repeat 3] [--no-rss]

It writes a synthetic Salten sheet as Norwegian Excel saves CSV (semicolons, dd.mm.yyyy dates,
decimal commas, Norwegian category names, a byte-order mark), then measures in the same run
- ``pandas.read_csv`` of the file (the baseline: reading only, no checks), and
- ``ettervern.read_timelog`` (reading, parsing every column, validating every rule),
and prints
- the best wall-clock time of each, and their ratio (target: at most 3x);
- memory traced by tracemalloc in a separate, untimed run of each: the peak during the call, and
  what the result still holds afterwards (the true size of ``read_csv``'s DataFrame; pandas'
  ``memory_usage(deep=True)`` counts a string shared by many rows once per row, so it is shown
  only for reference). Target: ``read_timelog``'s peak at most 2x ``read_csv``'s DataFrame;
- unless ``--no-rss``: the growth of peak resident memory (ru_maxrss) of a fresh process per
  measurement, after imports, which also sees memory that tracemalloc does not (the C parser's
  buffers).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
from pathlib import Path

import numpy as np
import pandas as pd
from common import MEMBERS, best_of, max_rss, traced_memory

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


def _child(which: str, path: Path) -> None:
    """Run one measurement in this fresh process; print the peak RSS before and after it."""
    team = e.teams.salten()
    before = max_rss()
    if which == "read_csv":
        pd.read_csv(path, sep=";", encoding="utf-8-sig")
    else:
        e.read_timelog(path, team=team)
    print(json.dumps({"before": before, "after": max_rss()}))


def rss_growth(which: str, path: Path) -> int:
    """Bytes by which a fresh process' peak resident memory grows while running ``which``."""
    done = subprocess.run(
        [sys.executable, __file__, "--child", which, str(path)],
        capture_output=True,
        text=True,
        check=True,
    )
    measured = json.loads(done.stdout.strip().splitlines()[-1])
    return int(measured["after"]) - int(measured["before"])


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--no-rss", action="store_true", help="skip the fresh-process measurement")
    parser.add_argument("--child", nargs=2, metavar=("WHICH", "FILE"), help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        _child(args.child[0], Path(args.child[1]))
        return
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
        assert len(result.accepted) == args.rows, str(result)
        deep_bytes = int(baseline().memory_usage(deep=True).sum())
        base_time = best_of(args.repeat, baseline)
        ours_time = best_of(args.repeat, ours)
        base_peak, frame_bytes = traced_memory(baseline)
        ours_peak, log_bytes = traced_memory(ours)
        rss = None if args.no_rss else (rss_growth("read_csv", path), rss_growth("ours", path))
    mib = 1024 * 1024
    print(f"rows: {args.rows:,}  file: {size / mib:.0f} MiB  ({result})")
    print("                     time      peak (traced)   result (traced)   peak RSS growth")
    for label, took, peak, kept, grown in (
        ("pandas.read_csv", base_time, base_peak, frame_bytes, rss and rss[0]),
        ("read_timelog", ours_time, ours_peak, log_bytes, rss and rss[1]),
    ):
        shown = "-" if grown is None else f"{grown / mib:7.1f} MiB"
        print(
            f"  {label:<16} {took:7.3f} s   {peak / mib:8.1f} MiB    {kept / mib:8.1f} MiB      {shown}"
        )
    print(f"  (read_csv's DataFrame by memory_usage(deep=True): {deep_bytes / mib:.1f} MiB)")
    print(f"  time ratio (read_timelog / read_csv): {ours_time / base_time:.2f}x  (target <= 3x)")
    print(
        f"  memory ratio (read_timelog's peak / read_csv's DataFrame): "
        f"{ours_peak / frame_bytes:.2f}x  (target <= 2x)"
    )
    print(f"  peak memory ratio (read_timelog / read_csv): {ours_peak / base_peak:.2f}x")
    if rss is not None:
        print(f"  peak RSS growth ratio (read_timelog / read_csv): {rss[1] / max(rss[0], 1):.2f}x")


if __name__ == "__main__":
    main()
