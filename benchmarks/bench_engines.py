"""Benchmark: the annual report of a national time log against DuckDB and polars (issue 35).

Run: python benchmarks/bench_engines.py [--entries 1000000 10000000]
                                        [--files 1000000 10000000] [--repeat 3]

What a user with ten million entries would pick instead of ettervern is a columnar engine. For
each size it builds a synthetic Salten 2020 log (the random draws and the files are made before
any clock starts) and times, in CPU seconds of this process (``time.process_time``), best of
``--repeat``, each side run in turn in the same process state (the collector run before each):

| goal | ettervern (the public calls) | baseline |
|---|---|---|
| in memory <= 2x | ``annual_report(log, year=2020)`` | the same grouping (municipality x category x month: hours, staff hours, entries; hours per case) in DuckDB over the Arrow table and in polars over its frame, both built before the clock |
| Parquet <= 3x DuckDB | ``annual_report(read_parquet(path).accepted, ...)`` (and ``read_parquet`` alone, of the good file and of the same with one bad row, and the report for the team itself: no protection) | DuckDB's query over ``read_parquet(path)`` |
| CSV <= 2x the faster | ``annual_report(read_timelog(path), ...)`` | DuckDB's ``read_csv`` and polars' ``read_csv`` with the same grouping |

and the cost per entry of ``annual_report`` at each size (goal: within 1.2x from the smallest
to the largest size). The engines check nothing: ettervern validates every row (dates, hours on
the team's unit, members, categories, case codes) and protects the published tables.
"""

from __future__ import annotations

import argparse
import gc
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from bench_import import write_sheet
from bench_reports import synthetic_log

import ettervern as e

QUERY = """
SELECT municipality, category, date_trunc('month', date) AS month,
       sum(hours) AS hours, sum(hours * staff) AS staff_hours, count(*) AS entries
FROM {source} WHERE date BETWEEN DATE '2020-01-01' AND DATE '2020-12-31'
GROUP BY ALL
"""
"""What the annual report's hours tables group, as DuckDB writes it."""

CASES = 'SELECT "case", sum(hours) AS hours FROM {source} GROUP BY ALL'
"""Hours per case (the hours-per-person and cost-sharing tables)."""

CSV_SOURCE = (
    "(SELECT Sak AS \"case\", strptime(Dato, '%d.%m.%Y')::DATE AS date, Kommune AS municipality,"
    " Hendelse AS category, Tidsbruk AS hours, 2 AS staff FROM read_csv('{path}', delim=';',"
    " decimal_separator=',', header=true, all_varchar=false, types={{'Dato': 'VARCHAR'}}))"
)

METHOD = (
    "CPU seconds of this process (time.process_time), best of {repeat}, each side run in turn in"
    " the same process, the collector run before each; inputs and files made before the clock"
)


def cpu_best(repeat: int, work: Callable[[], object]) -> float:
    """The best CPU time of ``repeat`` runs of ``work``, in seconds."""
    best = float("inf")
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        work()
        best = min(best, time.process_time() - start)
    return best


def _polars_grouping(frame: Any) -> Any:
    import polars as pl

    year = frame.filter(pl.col("date").dt.year() == 2020)
    months = year.group_by(
        "municipality", "category", pl.col("date").dt.truncate("1mo").alias("month")
    ).agg(
        pl.col("hours").sum(),
        (pl.col("hours") * pl.col("staff")).sum().alias("staff_hours"),
        pl.len().alias("entries"),
    )
    return months, year.group_by("case").agg(pl.col("hours").sum())


def _duckdb_grouping(connection: Any, source: str) -> Any:
    months = connection.sql(QUERY.format(source=source)).to_arrow_table()
    return months, connection.sql(CASES.format(source=source)).to_arrow_table()


def in_memory(entries: int, repeat: int) -> tuple[list[tuple[str, ...]], float]:
    """The in-memory goal at ``entries``, and the library's CPU seconds."""
    import duckdb
    import polars as pl
    import pyarrow as pa

    log = synthetic_log(entries)
    frame = log.to_frame()
    table = pa.Table.from_pandas(frame, preserve_index=False)
    polars_frame = pl.from_arrow(table)
    connection = duckdb.connect()
    connection.register("log", table)
    ours = cpu_best(repeat, lambda: e.annual_report(log, year=2020))
    duck = cpu_best(repeat, lambda: _duckdb_grouping(connection, "log"))
    polar = cpu_best(repeat, lambda: _polars_grouping(polars_frame))
    # The same report for the team itself (no protection): what grouping costs the library.
    internal = cpu_best(repeat, lambda: e.annual_report(log, year=2020, audience="internal"))
    connection.close()
    worst = max(ours / duck, ours / polar)
    return [
        _row(f"annual_report, {entries:,} entries in memory", ours, ("DuckDB", duck), 2.0),
        _row("", ours, ("polars", polar), 2.0),
        _row("  the same, audience='internal'", internal, ("DuckDB", duck), None),
        ("  per entry", f"{ours / entries * 1e9:.0f} ns", "", f"worst {worst:.2f}x", ""),
    ], ours


def from_files(entries: int, repeat: int) -> list[tuple[str, ...]]:
    """The Parquet and CSV goals at ``entries`` rows."""
    import duckdb
    import polars as pl

    team = e.teams.salten()
    limits = e.ImportLimits(max_rows=entries + 1, max_bytes=100 * entries + 1_000_000)
    with tempfile.TemporaryDirectory() as folder:
        parquet = Path(folder) / "timer.parquet"
        e.write_parquet(synthetic_log(entries), parquet)
        csv = Path(folder) / "timer.csv"
        write_sheet(csv, entries)
        connection = duckdb.connect()
        ours = cpu_best(
            repeat, lambda: e.annual_report(e.read_parquet(parquet, team=team).accepted, year=2020)
        )
        duck = cpu_best(repeat, lambda: _duckdb_grouping(connection, f"read_parquet('{parquet}')"))
        alone = cpu_best(repeat, lambda: e.read_parquet(parquet, team=team))
        bad = _one_bad_row(parquet, Path(folder) / "timer_one_bad_row.parquet")
        one_bad = cpu_best(repeat, lambda: e.read_parquet(bad, team=team))
        internal = cpu_best(
            repeat,
            lambda: e.annual_report(
                e.read_parquet(parquet, team=team).accepted, year=2020, audience="internal"
            ),
        )
        rows = [
            _row(f"Parquet, {entries:,} rows", ours, ("DuckDB", duck), 3.0),
            _row("  read_parquet alone", alone, ("DuckDB", duck), None),
            _row("  read_parquet, one bad row in the middle", one_bad, ("DuckDB", duck), None),
            _row("  the same, audience='internal'", internal, ("DuckDB", duck), None),
        ]
        ours = cpu_best(
            repeat,
            lambda: e.annual_report(
                e.read_timelog(csv, team=team, limits=limits).accepted, year=2020
            ),
        )
        duck = cpu_best(repeat, lambda: _duckdb_grouping(connection, CSV_SOURCE.format(path=csv)))

        def polars_csv() -> Any:
            frame = pl.read_csv(csv, separator=";", decimal_comma=True).select(
                pl.col("Sak").alias("case"),
                pl.col("Dato").str.to_date("%d.%m.%Y").alias("date"),
                pl.col("Kommune").alias("municipality"),
                pl.col("Hendelse").alias("category"),
                pl.col("Tidsbruk").alias("hours"),
                pl.lit(2).alias("staff"),
            )
            return _polars_grouping(frame)

        polar = cpu_best(repeat, polars_csv)
        connection.close()
    faster = ("DuckDB", duck) if duck <= polar else ("polars", polar)
    rows.append(_row(f"CSV, {entries:,} rows", ours, faster, 2.0))
    other = ("polars", polar) if faster[0] == "DuckDB" else ("DuckDB", duck)
    rows.append(_row("", ours, other, None))
    return rows


def _one_bad_row(good: Path, path: Path) -> Path:
    """The file ``good`` with the hours of its middle row negative (rejected, the rest kept)."""
    import pandas as pd

    frame = pd.read_parquet(good)
    frame.loc[len(frame) // 2, "hours"] = -1.0
    frame.to_parquet(path, index=False)
    return path


def _row(
    goal: str, ours: float, baseline: tuple[str, float], limit: float | None
) -> tuple[str, ...]:
    name, seconds = baseline
    ratio = ours / seconds
    met = "-" if limit is None else ("yes" if ratio <= limit else "NO")
    bound = "" if limit is None else f" (goal <= {limit:g}x)"
    return (goal, f"{ours:.2f} s", f"{name} {seconds:.2f} s", f"{ratio:.2f}x{bound}", met)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--entries", type=int, nargs="+", default=[1_000_000, 10_000_000])
    parser.add_argument(
        "--files", type=int, nargs="+", default=[1_000_000], help="rows of the files"
    )
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    rows: list[tuple[str, ...]] = [("goal", "ettervern", "baseline", "ratio", "met")]
    per_entry = []
    for entries in sorted(args.entries):
        found, seconds = in_memory(entries, args.repeat)
        rows += found
        per_entry.append((entries, seconds / entries))
    (small, first), (large, last) = per_entry[0], per_entry[-1]
    growth = last / first
    rows.append(
        (
            f"cost per entry, {small:,} to {large:,}",
            f"{last * 1e9:.0f} ns",
            f"{first * 1e9:.0f} ns",
            f"{growth:.2f}x (goal <= 1.2x)",
            "yes" if growth <= 1.2 else "NO",
        )
    )
    for entries in sorted(args.files):
        rows += from_files(entries, args.repeat)
    widths = [max(len(r[i]) for r in rows) for i in range(5)]
    print("annual report against columnar engines; method: " + METHOD.format(repeat=args.repeat))
    for row in rows:
        print("  " + "  ".join(cell.ljust(w) for cell, w in zip(row, widths, strict=True)))


if __name__ == "__main__":
    main()
