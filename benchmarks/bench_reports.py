"""Benchmark: the full annual report against a hand-written pandas baseline of the same tables.

Run: python benchmarks/bench_reports.py [--rows 1000000 10000000] [--repeat 3]

For each size it builds a synthetic Salten time log, then times
- ``ettervern.annual_report`` (the time-log tables: user follow-up, driving, collaboration as
  entries and hours, all categories, capacity, no-shows, hours per month, cost sharing), and
- a plain-pandas baseline that computes the same tables with ``groupby``/``pivot_table`` straight
  from the DataFrame, as an analyst would write them,
and prints the best time of each, their ratio, and the peak memory of each (tracemalloc, in a
separate untimed run) against the size of the log's DataFrame.
"""

from __future__ import annotations

import argparse
import time
from typing import Any

import numpy as np
import pandas as pd
from common import MEMBERS, best_of, peak_memory

import ettervern as e

CATEGORIES = [
    "user_follow_up",
    "driving",
    "collaboration",
    "in_institution",
    "no_show",
    "overnight",
]


def synthetic_log(rows: int, seed: int = 2020) -> e.TimeLog:
    """A valid Salten 2020 log of ``rows`` entries (members all year, cases per member)."""
    return e.TimeLog.from_frame(synthetic_frame(rows, seed), team=e.teams.salten())


def synthetic_frame(rows: int, seed: int = 2020) -> pd.DataFrame:
    """The random draws of ``synthetic_log``, as a frame in the log's schema (unvalidated)."""
    rng = np.random.default_rng(seed)
    names = list(MEMBERS)
    place = rng.integers(0, len(names), rows)
    number = rng.integers(1, 40, rows)
    codes = [f"{n:02d}/20-{MEMBERS[m]}" for m in names for n in range(1, 40)]
    case_index = place * 39 + (number - 1)
    case = pd.Categorical.from_codes(case_index.astype("int32"), categories=codes)
    municipality = pd.Categorical.from_codes(place.astype("int8"), categories=names)
    category = pd.Categorical.from_codes(
        rng.integers(0, len(CATEGORIES), rows).astype("int8"), categories=CATEGORIES
    )
    days = rng.integers(0, 366, rows)
    return pd.DataFrame(
        {
            "case": case,
            "date": pd.Timestamp("2020-01-01") + pd.to_timedelta(days, unit="D"),
            "municipality": municipality,
            "category": category,
            "hours": rng.integers(1, 9, rows) / 2,
            "staff": np.full(rows, 2, dtype="int64"),
        }
    )


def baseline(frame: pd.DataFrame, team: e.Team, year: int) -> dict[str, Any]:
    """The same tables with plain pandas, straight from the DataFrame."""
    frame = frame[frame["date"].dt.year == year]
    out: dict[str, Any] = {}

    def table(rows: pd.DataFrame, agg: str) -> pd.DataFrame:
        return rows.pivot_table(
            index="municipality",
            columns="category",
            values="hours",
            aggfunc=agg,
            observed=True,
            margins=True,
        )

    category = frame["category"]
    out["user_follow_up"] = table(frame[category.isin(["user_follow_up", "in_institution"])], "sum")
    out["driving"] = table(frame[category == "driving"], "sum")
    collaboration = frame[category == "collaboration"]
    out["collaboration_entries"] = table(collaboration, "count")
    out["collaboration_hours"] = table(collaboration, "sum")
    out["all_categories"] = table(frame, "sum")
    staff_hours = frame["hours"] * frame["staff"]
    monthly = staff_hours.groupby(frame["date"].dt.month).sum()
    out["capacity"] = monthly / (e.tables.HOURS_PER_FTE / 12) / team.staff_fte
    by_cat = frame.pivot_table(
        index="municipality", columns="category", values="hours", aggfunc="sum", observed=True
    )
    out["no_show"] = by_cat.get("no_show", 0) / by_cat.sum(axis=1)
    out["monthly"] = frame.pivot_table(
        index=frame["date"].dt.month,
        columns="category",
        values="hours",
        aggfunc="sum",
        observed=True,
    )
    own = frame.groupby("municipality", observed=True)["hours"].sum()
    out["cost_sharing"] = own / own.sum()
    return out


def run(rows: int, repeat: int) -> None:
    started = time.perf_counter()
    log = synthetic_log(rows)
    built = time.perf_counter() - started
    frame = log.to_frame(copy=False)
    team = log.team
    frame_bytes = int(frame.memory_usage(deep=True).sum())

    def ours() -> object:
        return e.annual_report(log, year=2020)

    def theirs() -> object:
        return baseline(frame, team, 2020)

    ours()  # warm caches (catalog loading, imports) outside the timing
    ours_time = best_of(repeat, ours)
    base_time = best_of(repeat, theirs)
    ours_peak = peak_memory(ours)
    base_peak = peak_memory(theirs)
    mib = 1024 * 1024
    print(
        f"rows: {rows:,}  (log built and validated in {built:.2f} s; DataFrame {frame_bytes / mib:.0f} MiB)"
    )
    print(f"  annual_report     {ours_time:8.3f} s   peak {ours_peak / mib:8.1f} MiB")
    print(f"  pandas baseline   {base_time:8.3f} s   peak {base_peak / mib:8.1f} MiB")
    print(f"  time ratio (ours / baseline): {ours_time / base_time:.2f}x  (target <= 1.5x)")
    print(f"  peak memory ratio (ours / baseline): {ours_peak / base_peak:.2f}x")
    print(f"  peak memory / DataFrame size: {ours_peak / frame_bytes:.2f}x")


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    for rows in args.rows:
        run(rows, args.repeat)


if __name__ == "__main__":
    main()
