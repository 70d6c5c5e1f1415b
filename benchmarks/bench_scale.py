"""Benchmark: the national-volume goals of issue 17, each against its baseline, in one run.

Run: python benchmarks/bench_scale.py [--cases 100000] [--entries 10000000] [--csv-rows 1000000]
                                      [--xlsx-rows 100000] [--repeat 3] [--quick]

It measures, side by side in the same process (the CLI in fresh interpreters):

| goal | measured against |
|---|---|
| building N cases (about 7 events each) <= 3 s, event by event and from their table of events; the random inputs are drawn before the clock starts | - |
| the case tables of one year <= 2 s, doubling the cases <= 2.3x the time | N/2 cases |
| ``annual_report(log, cases)`` of N cases and a team's year of entries <= 1.2x | its case tables alone (``case_reports``) |
| ``cases_from_json`` <= 3x ``json.loads`` of the same text, the collector paused on both sides (the reader pauses it itself) | ``json.loads``, and the peak memory of each (tracemalloc) |
| the due list of one day <= 1 s | - |
| ``TimeLog`` <= 16 bytes an entry | the schema's frame (``to_frame()``) |
| ``read_timelog`` of a CSV <= 1.5x ``read_csv`` doing the same parsing | ``read_csv`` with ``;``, decimal commas, dates and categories; and ``read_csv`` plus the same checks by hand (``common.checked_by_hand``) |
| ``.xlsx`` with calamine | ``pandas.read_excel(engine="calamine")`` plus the same checks; ``read_timelog`` with openpyxl |
| ``python -m ettervern report`` <= 1.0 s | ``python -c "import pandas"`` |

and prints one line per goal: the measured value, the baseline, the ratio and whether the goal
is met. ``--quick`` shrinks every size for a smoke run (the tests use it); timings of a quick run
say nothing. Times are the best of ``--repeat`` runs, the CLI the median of ``--repeat`` runs.
Goals and ratios use CPU time (of this process, or of the CLI's): on a shared machine the wall
clock also measures the neighbours. Both are printed.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

import numpy as np
import pandas as pd
from bench_cases import build_cases, synthetic_plans
from bench_import import CATEGORIES, write_sheet
from bench_reports import synthetic_log
from bench_xlsx import write_workbook
from common import best_times, checked_by_hand, cpu_best, peak_memory

import ettervern as e
from ettervern._reports import case_reports

PERIOD = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
YEAR = (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
"""The year of the synthetic log: the annual report's goal compares the report of that year."""

Row = tuple[str, str, str, str, str]
"""(goal, measured, baseline, ratio, met) as printed."""


def _line(goal: str, measured: str, baseline: str, ratio: str, met: bool | None) -> Row:
    return (goal, measured, baseline, ratio, "-" if met is None else ("yes" if met else "NO"))


def _shown(times: tuple[float, float]) -> str:
    wall, cpu = times
    return f"{cpu:.2f} s CPU ({wall:.2f} s wall)"


def cases_goals(count: int, repeat: int) -> list[Row]:
    team = e.teams.salten()
    built: list[list[e.Case]] = []
    plans = synthetic_plans(count)  # drawn before the clock starts: the goal is the building
    build = best_times(repeat, lambda: built.append(build_cases(plans)))
    cases = built[-1]
    del built[:-1]
    half = cases[: count // 2]
    events = sum(len(c.events) for c in cases)
    tables = best_times(repeat, lambda: case_reports(cases, team, PERIOD))
    tables_half = best_times(repeat, lambda: case_reports(half, team, PERIOD))
    year = synthetic_log(10_000)  # a team's year of entries, for the whole annual report
    year_tables = cpu_best(repeat, lambda: case_reports(cases, team, YEAR))
    annual = cpu_best(repeat, lambda: e.annual_report(year, cases, year=2020))
    frame = e.cases_to_frame(cases)
    from_frame = best_times(repeat, lambda: e.cases_from_frame(frame))
    doubling = tables[1] / tables_half[1]
    due = best_times(repeat, lambda: e.due_list(cases, on=dt.date(2024, 6, 1), team=team))
    return [
        _line(f"build {count:,} cases ({events:,} events)", _shown(build), "", "", build[1] <= 3),
        _line(
            "  from their table of events",
            _shown(from_frame),
            "cases_from_frame",
            "",
            from_frame[1] <= 3,
        ),
        _line("case tables, one year", _shown(tables), "", "", tables[1] <= 2),
        _line(
            "  doubling the cases",
            f"{tables[1]:.2f} s",
            f"{tables_half[1]:.2f} s at {len(half):,}",
            f"{doubling:.2f}x",
            doubling <= 2.3,
        ),
        _line(
            f"annual_report(log, cases), {count:,} cases, 10,000 entries",
            f"{annual:.2f} s CPU",
            f"its case tables alone {year_tables:.2f} s",
            f"{annual / year_tables:.2f}x (<= 1.2x)",
            annual <= 1.2 * year_tables,
        ),
        *json_goals(cases, repeat),
        _line("due list, one day", _shown(due), "", "", due[1] <= 1),
    ]


def json_goals(cases: list[e.Case], repeat: int) -> list[Row]:
    """``cases_from_json`` against ``json.loads``, both with the collector paused (the reader
    pauses it itself), and the peak memory of each (tracemalloc)."""
    text = e.cases_to_json(cases, indent=None)
    loads = cpu_best(repeat, lambda: json.loads(text), paused=True)
    ours = cpu_best(repeat, lambda: e.cases_from_json(text), paused=True)
    unpaused = cpu_best(repeat, lambda: json.loads(text))
    ours_peak = peak_memory(lambda: e.cases_from_json(text)) / len(cases)
    loads_peak = peak_memory(lambda: json.loads(text)) / len(cases)
    return [
        _line(
            f"cases_from_json, {len(cases):,} cases",
            f"{ours:.2f} s CPU, peak {ours_peak / 1e3:.1f} kB a case",
            f"json.loads {loads:.2f} s, collector paused both sides ({unpaused:.2f} s running),"
            f" peak {loads_peak / 1e3:.1f} kB a case",
            f"{ours / loads:.2f}x (<= 3x)",
            ours <= 3 * loads,
        )
    ]


def timelog_goal(entries: int) -> list[Row]:
    log = synthetic_log(entries)
    lean = log.nbytes / entries
    frame = log.to_frame()
    schema = int(frame.memory_usage(index=False, deep=True).sum()) / entries
    return [
        _line(
            f"TimeLog bytes an entry, {entries:,} entries",
            f"{lean:.1f} B",
            f"to_frame() {schema:.1f} B",
            f"{lean / schema:.2f}x",
            lean <= 16,
        )
    ]


def csv_goal(rows: int, repeat: int) -> list[Row]:
    team = e.teams.salten()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "timer.csv"
        write_sheet(path, rows)

        def parsed() -> pd.DataFrame:
            # What read_timelog must do at least: the separator, decimal commas, the dates
            # and the text columns as categories.
            return pd.read_csv(
                path,
                sep=";",
                decimal=",",
                encoding="utf-8-sig",
                dtype={"Sak": "category", "Kommune": "category", "Hendelse": "category"},
                parse_dates=["Dato"],
                date_format="%d.%m.%Y",
            )

        def by_hand() -> pd.DataFrame:
            text = pd.read_csv(path, sep=";", decimal=",", encoding="utf-8-sig")
            return checked_by_hand(text, CATEGORIES)

        limits = e.ImportLimits(max_rows=rows + 1)  # a national file is larger than the default
        ours = cpu_best(repeat, lambda: e.read_timelog(path, team=team, limits=limits))
        checked = cpu_best(repeat, by_hand)
        base = cpu_best(repeat, parsed)
    return [
        _line(
            f"read_timelog, {rows:,} CSV rows",
            f"{ours:.2f} s CPU",
            f"read_csv + the same checks {checked:.2f} s",
            f"{ours / checked:.2f}x",
            None,
        ),
        _line(
            "",
            f"{ours:.2f} s CPU",
            f"read_csv parsing only {base:.2f} s",
            f"{ours / base:.2f}x (<= 1.5x)",
            ours <= 1.5 * base,
        ),
    ]


def xlsx_goal(rows: int, repeat: int) -> list[Row]:
    try:
        import python_calamine  # noqa: F401
    except ImportError:
        return [_line("xlsx calamine against openpyxl", "calamine not installed", "", "", None)]
    team = e.teams.salten()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "timer.xlsx"
        write_workbook(path, rows)
        calamine = cpu_best(repeat, lambda: e.read_timelog(path, team=team))

        def by_hand() -> pd.DataFrame:
            sheet = pd.read_excel(path, engine="calamine")
            return checked_by_hand(sheet, CATEGORIES)

        pandas = cpu_best(repeat, by_hand)
        hidden = sys.modules.get("python_calamine")
        sys.modules["python_calamine"] = None  # type: ignore[assignment]
        try:
            openpyxl = cpu_best(max(1, repeat - 1), lambda: e.read_timelog(path, team=team))
        finally:
            sys.modules["python_calamine"] = hidden  # type: ignore[assignment]
    return [
        _line(
            f"read_timelog, {rows:,} xlsx rows",
            f"{calamine:.2f} s CPU",
            f"read_excel(engine='calamine') + the same checks {pandas:.2f} s",
            f"{calamine / pandas:.2f}x",
            None,
        ),
        _line(
            "",
            f"{calamine:.2f} s CPU",
            f"read_timelog with openpyxl {openpyxl:.2f} s",
            f"{openpyxl / calamine:.1f}x faster",
            None,
        ),
    ]


def _median_run(command: list[str], repeat: int) -> tuple[float, float]:
    """The median wall-clock and CPU time (the child's, user and system) of a command.

    The child may write bytecode, as an installed package has it: with PYTHONDONTWRITEBYTECODE
    (set on some CI machines) every run would compile the library's modules again, 0.12 s.
    """
    env = {k: v for k, v in os.environ.items() if k != "PYTHONDONTWRITEBYTECODE"}
    walls, cpus = [], []
    for _ in range(repeat):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, capture_output=True, env=env)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return statistics.median(walls), statistics.median(cpus)


def cli_goal(repeat: int) -> list[Row]:
    python = sys.executable
    _median_run([python, "-m", "ettervern", "report"], 1)  # warm the bytecode and file cache
    report = _median_run([python, "-m", "ettervern", "report"], repeat)
    pandas = _median_run([python, "-c", "import pandas"], repeat)
    return [
        _line(
            "python -m ettervern report",
            _shown(report),
            f"import pandas {pandas[1]:.2f} s",
            f"{report[1] / pandas[1]:.2f}x",
            report[1] <= 1.0,
        )
    ]


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--entries", type=int, default=10_000_000)
    parser.add_argument("--csv-rows", type=int, default=1_000_000)
    parser.add_argument("--xlsx-rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--quick", action="store_true", help="small sizes, one run each")
    args = parser.parse_args()
    if args.quick:
        args.cases, args.entries, args.csv_rows, args.xlsx_rows, args.repeat = (
            400,
            5_000,
            2_000,
            500,
            1,
        )
    steps: list[Callable[[], list[Row]]] = [
        lambda: cases_goals(args.cases, args.repeat),
        lambda: timelog_goal(args.entries),
        lambda: csv_goal(args.csv_rows, args.repeat),
        lambda: xlsx_goal(args.xlsx_rows, args.repeat),
        lambda: cli_goal(args.repeat if args.quick else max(args.repeat, 3)),
    ]
    rows: list[Row] = [("goal", "measured", "baseline", "ratio", "met")]
    for step in steps:
        rows += step()
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    print(
        f"goals of issues 17 and 35; method: CPU seconds of this process (time.process_time),"
        f" best of {args.repeat}, both sides in turn in the same process, the collector run"
        f" before each (CLI: the child's CPU, median); wall clock in brackets where shown;"
        f" numpy {np.__version__}"
    )
    for row in rows:
        print("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
