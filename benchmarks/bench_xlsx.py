"""Benchmark: importing and validating a large .xlsx time sheet against ``pandas.read_excel``.

Run: python benchmarks/bench_xlsx.py [--rows 100000] [--repeat 3]

It writes the same synthetic Salten sheet as ``bench_import.py``, but as a workbook the way Excel
keeps it (real date cells, number cells for the hours; openpyxl's write-only mode), then measures
in the same run
- ``pandas.read_excel(engine="openpyxl")`` of the file (the baseline: reading only, no checks), and
- ``ettervern.read_timelog`` (reading, parsing every column, validating every rule),
and prints
- the best wall-clock time of each, and their ratio;
- memory traced by tracemalloc in a separate, untimed run of each: the peak during the call, and
  what the result still holds afterwards, and the ratio of the peaks.
Both sides spend most of their time in openpyxl's XML parsing, so the ratio shows what reading,
parsing and validating add on top of reading the cells at all. openpyxl writes strings inline and,
in write-only mode, no ``<dimension>``, so read-only mode scans the sheet once more for its size:
both sides read this file slower than one Excel saved (shared strings, a dimension).
"""

from __future__ import annotations

import argparse
import tempfile
from pathlib import Path

import openpyxl
import pandas as pd
from bench_import import write_sheet
from common import best_of, traced_memory

import ettervern as e


def write_workbook(path: Path, rows: int, seed: int = 2020) -> None:
    """``bench_import``'s valid synthetic sheet of ``rows`` entries, as an .xlsx workbook."""
    text = path.with_suffix(".csv")
    write_sheet(text, rows, seed)
    frame = pd.read_csv(text, sep=";", decimal=",", encoding="utf-8-sig")
    text.unlink()
    frame["Dato"] = pd.to_datetime(frame["Dato"], format="%d.%m.%Y")
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Timer")
    sheet.append(list(frame.columns))
    for case, day, place, category, hours in frame.itertuples(index=False):
        sheet.append([case, day.to_pydatetime(), place, category, float(hours)])
    book.save(path)


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--rows", type=int, default=100_000)
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    team = e.teams.salten()
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "timer.xlsx"
        write_workbook(path, args.rows)
        size = path.stat().st_size

        def baseline() -> pd.DataFrame:
            return pd.read_excel(path, engine="openpyxl")

        def ours() -> e.ImportResult:
            return e.read_timelog(path, team=team)

        result = ours()
        assert len(result.accepted) == args.rows, str(result)
        base_time = best_of(args.repeat, baseline)
        ours_time = best_of(args.repeat, ours)
        base_peak, frame_bytes = traced_memory(baseline)
        ours_peak, log_bytes = traced_memory(ours)
    mib = 1024 * 1024
    print(f"rows: {args.rows:,}  file: {size / mib:.1f} MiB  ({result})")
    print("                     time      peak (traced)   result (traced)")
    for label, took, peak, kept in (
        ("pandas.read_excel", base_time, base_peak, frame_bytes),
        ("read_timelog", ours_time, ours_peak, log_bytes),
    ):
        print(f"  {label:<17} {took:7.3f} s  {peak / mib:8.1f} MiB    {kept / mib:8.1f} MiB")
    print(f"  time ratio (read_timelog / read_excel): {ours_time / base_time:.2f}x")
    print(f"  peak memory ratio (read_timelog / read_excel): {ours_peak / base_peak:.2f}x")


if __name__ == "__main__":
    main()
