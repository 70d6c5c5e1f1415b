"""Benchmark: growth curves of the case side and the time-log side, for docs/performance.md.

Run: python benchmarks/bench_growth.py [--cases 10000 100000 1000000]
                                       [--entries 100000 1000000 10000000]
                                       [--out growth.json] [--chart docs/assets/performance.png]

For each number of cases: building them event by event, the case tables of one year,
``cases_from_json`` and ``json.loads`` of the same text, ``cases_from_frame`` of their table of
events, and the due list of one day. For each
number of entries: building a validated ``TimeLog``, the annual report, and the log's bytes an
entry, with the peak resident memory of the process so far. One run each (the sizes are the
point, not the last ten per cent). Writes the numbers as JSON and, with ``--chart``, a log-log
chart (needs matplotlib).
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import json
import os
import platform
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_cases import build_cases, synthetic_cases, synthetic_plans
from bench_reports import synthetic_frame, synthetic_log
from common import max_rss

import ettervern as e
from ettervern._reports import case_reports

PERIOD = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))


WALL: dict[str, float] = {}
"""The wall-clock seconds of the last measurements, by name (the curves use CPU time)."""


def timed(work: Callable[[], Any], name: str = "") -> tuple[float, Any]:
    """The CPU seconds this process spent on ``work``, and its result (wall clock in WALL).

    On a shared machine the wall clock also measures the neighbours; CPU time is the cost.
    """
    gc.collect()
    start, wall = time.process_time(), time.perf_counter()
    result = work()
    WALL[name] = time.perf_counter() - wall
    return time.process_time() - start, result


def case_curve(count: int) -> dict[str, Any]:
    WALL.clear()
    team = e.teams.salten()
    plans = synthetic_plans(count)  # drawn before the clock starts: the curve is the building
    build, cases = timed(lambda: build_cases(plans), "build")
    plans.clear()  # the cases hold what they need
    tables, _ = timed(lambda: case_reports(cases, team, PERIOD), "case_tables")
    text = e.cases_to_json(cases, indent=None)
    loads, _ = timed(lambda: json.loads(text), "json_loads")
    from_json, _ = timed(lambda: e.cases_from_json(text), "cases_from_json")
    frame = e.cases_to_frame(cases)
    from_frame, _ = timed(lambda: e.cases_from_frame(frame), "cases_from_frame")
    due, _ = timed(lambda: e.due_list(cases, on=dt.date(2024, 6, 1), team=team), "due_list")
    point: dict[str, Any] = {
        "cases": count,
        "events": sum(len(c.events) for c in cases),
        "build": build,
        "case_tables": tables,
        "cases_from_json": from_json,
        "cases_from_frame": from_frame,
        "json_loads": loads,
        "due_list": due,
        "peak_rss_mib": max_rss() / 2**20,
        "wall": dict(WALL),
    }
    print(json.dumps(point), flush=True)
    return point


def entry_curve(entries: int) -> dict[str, Any]:
    WALL.clear()
    frame = synthetic_frame(entries)  # drawn before the clock starts: the curve is the log
    team = e.teams.salten()
    build, log = timed(lambda: e.TimeLog.from_frame(frame, team=team), "build")
    frame = frame.iloc[:0]  # the log holds what it needs
    report, _ = timed(lambda: e.annual_report(log, year=2020), "annual_report")
    point: dict[str, Any] = {
        "entries": entries,
        "build": build,
        "annual_report": report,
        "bytes_per_entry": log.nbytes / entries,
        "peak_rss_mib": max_rss() / 2**20,
        "wall": dict(WALL),
    }
    print(json.dumps(point), flush=True)
    return point


def chart(data: dict[str, Any], path: Path) -> None:
    import matplotlib
    import matplotlib.ticker

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    fig, (left, right) = plt.subplots(1, 2, figsize=(10, 5.4))
    cases = data["cases"]
    xs = [p["cases"] for p in cases]
    for key, label in (
        ("build", "build, event by event"),
        ("case_tables", "case tables of a year"),
        ("cases_from_json", "cases_from_json"),
        ("cases_from_frame", "cases_from_frame (table of events)"),
        ("json_loads", "json.loads (baseline)"),
        ("due_list", "due list of a day"),
    ):
        if all(key in p for p in cases):  # a file of an earlier round has fewer curves
            left.plot(xs, [p[key] for p in cases], marker="o", label=label)
    left.set(xscale="log", yscale="log", xlabel="cases", ylabel="CPU seconds", title="Cases")
    entries = data["entries"]
    xs = [p["entries"] for p in entries]
    for key, label in (("build", "validated TimeLog"), ("annual_report", "annual report")):
        right.plot(xs, [p[key] for p in entries], marker="o", label=label)
    right.set(xscale="log", yscale="log", xlabel="time-log entries", title="Time log")
    right.set(ylabel="CPU seconds")
    plain = matplotlib.ticker.FuncFormatter(lambda value, _: f"{value:,.4g}")
    whole = matplotlib.ticker.FuncFormatter(lambda value, _: f"{value:,.0f}")
    curves = {"cases": ("build", "cases_from_json"), "entries": ("build", "annual_report")}
    for axis, points, key in ((left, cases, "cases"), (right, entries, "entries")):
        if points:  # a straight line from the first point: what linear growth looks like
            slowest = max(points[0][name] for name in curves[key])
            sizes = [p[key] for p in points]
            axis.plot(
                sizes,
                [slowest * size / sizes[0] for size in sizes],
                linestyle="--",
                color="grey",
                label="linear growth",
            )
        axis.grid(True, which="major", alpha=0.3)
        axis.xaxis.set_major_formatter(whole)
        axis.yaxis.set_major_formatter(plain)
        # Below the axes: inside, the box hid a curve wherever it stood.
        axis.legend(fontsize=8, loc="upper center", bbox_to_anchor=(0.5, -0.16), ncol=2)
    fig.suptitle(f"ettervern growth curves, CPU seconds ({data['machine']})", fontsize=9)
    fig.tight_layout()
    fig.savefig(path, dpi=100)
    plt.close(fig)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, nargs="*", default=[10_000, 100_000, 1_000_000])
    parser.add_argument("--entries", type=int, nargs="*", default=[100_000, 1_000_000, 10_000_000])
    parser.add_argument("--out", type=Path, default=Path("growth.json"))
    parser.add_argument("--chart", type=Path, default=None)
    parser.add_argument(
        "--replot", action="store_true", help="only draw the chart from the --out file"
    )
    args = parser.parse_args()
    if args.replot:
        chart(json.loads(args.out.read_text(encoding="utf-8")), args.chart)
        return
    machine = f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}"
    data: dict[str, Any] = {"machine": machine, "cases": [], "entries": []}
    # Once on a small log and a few cases first: the first report loads the message catalogs
    # and the first case the municipality register, which is not what the curves are about.
    e.annual_report(synthetic_log(1_000), year=2020)
    e.due_list(synthetic_cases(100), on=dt.date(2024, 6, 1), team=e.teams.salten())
    # Each point is saved as soon as it is measured, so a long run that is stopped keeps them.
    for kind, sizes, curve in (
        ("entries", args.entries, entry_curve),
        ("cases", args.cases, case_curve),
    ):
        for size in sizes:
            data[kind].append(curve(size))
            args.out.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")
    print(f"growth ratio table written to {args.out}")
    if args.chart is not None:
        chart(data, args.chart)


if __name__ == "__main__":
    main()
