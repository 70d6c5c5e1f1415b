"""Benchmark: the case register on SQLite and PostgreSQL, against baselines in the same run.

Run: python benchmarks/bench_register.py [--rows 1000000] [--cases 100000] [--repeat 1]
     [--postgres URL | --no-postgres] [--quick] [--cases-only]

``--quick`` is ``--rows 100000 --cases 10000``. ``--cases-only`` measures the cases alone (storing,
reading, the due list), on SQLite and PostgreSQL, without the entries' import and reports. Without ``--postgres`` a throw-away server is
started from the system's packages (as the tests do), when one is installed.

For each database it measures
- importing ``--rows`` entries (``Register.add_entries``: keys, one transaction, insert-or-skip)
  against the baseline ``DataFrame.to_sql`` of the same rows into the same database (a bulk
  insert with no keys, no checks, no transaction of ours), and importing them again (nothing
  is added);
- the annual report from the register (read back, validated again, computed) against reading
  the same rows from the team's CSV sheet with ``read_timelog`` and computing the report;
- storing ``--cases`` cases against writing them as a case JSON file (``write_cases``), reading
  them back against ``read_cases`` of that file, and the due list from the register against
  reading that file and making the due list in memory (issue 35's goal: at most 1.3x, reading
  included), in CPU seconds of this process with the wall clock beside them;
- the annual report with the cases (and ``--rows`` entries) from the register against the
  same in memory.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

from bench_reports import synthetic_log
from common import MEMBERS, best_of, best_times

import ettervern as e
from ettervern.db import Register, connect

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from tests.db.postgres import (
    create_database,
    postgres_bin,
    running_postgres,
)

YEAR = 2020


def synthetic_cases(count: int) -> list[e.Case]:
    """``count`` cases of 2020 spread over the members; half of them closed."""
    cases = []
    members = list(MEMBERS.items())
    for index in range(count):
        name, letters = members[index % len(members)]
        number = index // len(members) + 1
        referred = dt.date(2020, 1, 1) + dt.timedelta(days=index % 200)
        case = e.Case.refer(f"{number:02d}/20-{letters}", on=referred, municipality=name)
        case = case.accept(on=referred + dt.timedelta(days=2))
        if index % 2:
            case = case.close(on=referred + dt.timedelta(days=60), reason="completed")
        cases.append(case)
    return cases


def timed(work: Callable[[], Any]) -> tuple[float, Any]:
    """(seconds, result) of one run: for writes, which cannot be repeated on the same data."""
    start = time.perf_counter()
    result = work()
    return time.perf_counter() - start, result


def ratio(name: str, ours: float, baseline: float, against: str) -> None:
    print(
        f"  {name:<34} {ours:8.2f} s   {against:<26} {baseline:8.2f} s   ratio {ours / baseline:5.2f}x"
    )


def run_import(kind: str, url: str, log: e.TimeLog, sheet: Path, repeat: int) -> None:
    """Import, import again, and the report from the register against the sheet."""
    team, rows = log.team, len(log)
    print(f"{kind}: {rows:,} entries")
    engine = connect(url)
    with engine.begin() as connection:
        frame = log.to_frame(copy=False)
        baseline_time, _ = timed(
            lambda: frame.to_sql("baseline", connection, index=False, chunksize=20_000)
        )
    engine.dispose()
    with Register(url, user="bench") as register:
        import_time, summary = timed(lambda: register.add_entries(log, source="sheet.csv"))
        assert summary.added == rows
        ratio("import into the register", import_time, baseline_time, "DataFrame.to_sql")
        again_time, summary = timed(lambda: register.add_entries(log, source="sheet.csv"))
        assert (summary.added, summary.already) == (0, rows)
        ratio("import the same sheet again", again_time, baseline_time, "DataFrame.to_sql")

        def from_register() -> object:
            return register.annual_report(team, year=YEAR)

        def from_sheet() -> object:
            accepted = e.read_timelog(sheet, team=team).accepted
            return e.annual_report(accepted, team=team, year=YEAR)

        ratio(
            "report from the register",
            best_of(repeat, from_register),
            best_of(repeat, from_sheet),
            "read_timelog + report",
        )


def cpu_timed(work: Callable[[], Any]) -> tuple[float, float, Any]:
    """(CPU seconds of this process, wall seconds, result) of one run: for writes, which cannot
    be repeated on the same data. A server's own CPU is not in the first: see the wall clock."""
    wall, cpu = time.perf_counter(), time.process_time()
    result = work()
    return time.process_time() - cpu, time.perf_counter() - wall, result


def cpu_ratio(
    name: str, ours: tuple[float, float], baseline: tuple[float, float], against: str
) -> None:
    """A line of the case goals: CPU (wall) of each side and the CPU ratio."""
    print(
        f"  {name:<30} {ours[0]:7.2f} s CPU ({ours[1]:6.2f} s wall)   {against:<36}"
        f" {baseline[0]:7.2f} s CPU ({baseline[1]:6.2f} s wall)   ratio {ours[0] / baseline[0]:5.2f}x"
        f" CPU, {ours[1] / baseline[1]:5.2f}x wall"
    )


def run_cases(
    kind: str, url: str, log: e.TimeLog, cases: list[e.Case], repeat: int, *, folder: Path
) -> None:
    """Store many cases against writing the case JSON file; read them back and make the due
    list, against reading the same file and making it in memory (issue 35: reading included).

    Method: CPU seconds of this process (``time.process_time``; a PostgreSQL server's work is
    in the wall clock only), best of ``repeat`` for reads, one run for writes, both sides in
    turn in the same process with the collector run before each."""
    team = log.team
    day = dt.date(YEAR, 6, 1)
    print(f"{kind}: {len(cases):,} cases, {len(log):,} entries")
    with Register(url, user="bench") as register:
        register.add_entries(log, source="sheet.csv")
        path = folder / f"cases-{kind}.json"
        gc.collect()
        written = cpu_timed(lambda: e.write_cases(cases, path))
        gc.collect()
        stored = cpu_timed(lambda: register.add_cases(cases, team=team))
        cpu_ratio("store the cases", stored[:2], written[:2], "write_cases (the JSON file)")

        def from_file() -> object:
            return e.due_list(e.read_cases(path).accepted, on=day, team=team)

        cpu_ratio(
            "read the cases",
            best_times_cpu(repeat, lambda: register.cases(team)),
            best_times_cpu(repeat, lambda: e.read_cases(path)),
            "read_cases (the JSON file)",
        )
        cpu_ratio(
            "due list from the register",
            best_times_cpu(repeat, lambda: register.due_list(team, on=day)),
            best_times_cpu(repeat, from_file),
            "read_cases + due_list in memory",
        )
        ratio(
            "due list, cases in memory",
            best_of(repeat, lambda: register.due_list(team, on=day)),
            best_of(repeat, lambda: e.due_list(cases, on=day, team=team)),
            "due_list (no reading)",
        )


def best_times_cpu(repeat: int, work: Callable[[], object]) -> tuple[float, float]:
    """(best CPU, best wall) of ``repeat`` runs, the collector run before each."""
    wall, cpu = best_times(repeat, work)
    return cpu, wall


def run_case_report(kind: str, url: str, log: e.TimeLog, cases: list[e.Case], repeat: int) -> None:
    """The annual report with the cases, from the register and in memory."""
    team = log.team
    with Register(url, user="bench") as register:
        register.add_entries(log, source="sheet.csv")
        register.add_cases(cases, team=team)
        ratio(
            f"report with {len(cases):,} cases",
            best_of(repeat, lambda: register.annual_report(team, year=YEAR)),
            best_of(repeat, lambda: e.annual_report(log, cases, team=team, year=YEAR)),
            "the same in memory",
        )


@contextlib.contextmanager
def postgres(url: str | None, disabled: bool) -> Iterator[str | None]:
    """The server to measure on: given, started here, or none."""
    if disabled:
        yield None
        return
    if url is not None:
        yield url
        return
    bindir = postgres_bin()
    if bindir is None:
        print("PostgreSQL: not installed, skipped (apt-get install postgresql)")
        yield None
        return
    with running_postgres(bindir, fsync=True) as server:
        yield server


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--cases", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=1)
    parser.add_argument("--postgres", help="a server URL (without the database name)")
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--quick", action="store_true", help="100,000 rows and 10,000 cases")
    parser.add_argument("--cases-only", action="store_true", help="storing, reading, due list")
    args = parser.parse_args()
    rows, count = (100_000, 10_000) if args.quick else (args.rows, args.cases)
    log = synthetic_log(rows)
    cases = synthetic_cases(count)
    small = e.TimeLog.from_frame(log.to_frame().iloc[:10_000], team=log.team)
    with tempfile.TemporaryDirectory(prefix="ettervern-bench-") as folder:
        sheet = e.write_timelog(log, Path(folder) / "sheet.csv")
        # The entries first on both databases, then the cases: the case tables take longest.
        with postgres(args.postgres, args.no_postgres) as server:
            stamp = int(time.time())
            if args.cases_only:
                only_cases(server, small, cases, args.repeat, folder=Path(folder))
                return
            run_import("sqlite", str(Path(folder) / "entries.db"), log, sheet, args.repeat)
            if server is not None:
                entries = create_database(server, f"bench_entries_{stamp}")
                run_import("postgresql", entries, log, sheet, args.repeat)
            run_cases(
                "sqlite",
                str(Path(folder) / "cases.db"),
                small,
                cases,
                args.repeat,
                folder=Path(folder),
            )
            run_case_report("sqlite", str(Path(folder) / "report.db"), small, cases, args.repeat)
            if server is not None:
                on_server = create_database(server, f"bench_cases_{stamp}")
                run_cases("postgresql", on_server, small, cases, args.repeat, folder=Path(folder))
                on_server = create_database(server, f"bench_report_{stamp}")
                run_case_report("postgresql", on_server, small, cases, args.repeat)


def only_cases(
    server: str | None, log: e.TimeLog, cases: list[e.Case], repeat: int, *, folder: Path
) -> None:
    """The case goals alone, on SQLite and (when there is a server) PostgreSQL."""
    run_cases("sqlite", str(folder / "cases.db"), log, cases, repeat, folder=folder)
    if server is not None:
        on_server = create_database(server, f"bench_cases_only_{int(time.time())}")
        run_cases("postgresql", on_server, log, cases, repeat, folder=folder)


if __name__ == "__main__":
    main()
