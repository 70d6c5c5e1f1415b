"""Benchmark: the derived-model suppression against the hand-listed heuristic it replaced.

Run: python benchmarks/bench_suppression.py [--cases 1000] [--baseline 98c8123]

In one run, on the same internal releases (the three bundled years and a synthetic year of a
ten-member team with ``--cases`` cases), it publishes with:

- the **baseline**: ``_reports/_disclosure.py`` as it was at ``--baseline`` (read from git; hand
  lists of relations, counts only, hours published as they are);
- the **new** suppression (definitions → derived model, hours and entries protected).

For each it reports the time, the count cells hidden and the share of the counts' total they
hold, the hours cells published that come from 1 or 2 cases, and — attacked with the new,
derived model — how many hidden count cells an attacker pins. Ratios are new / baseline,
measured in the same run.
"""

from __future__ import annotations

import argparse
import datetime as dt
import subprocess
import sys
import tempfile
import time
import types
from pathlib import Path
from typing import Any

import attrs
import numpy as np
from bench_disclosure import synthetic_cases, ten_member_team

import ettervern as e
from ettervern._reports import _disclosure as new
from ettervern._reports._magnitude import Contributions

ROOT = Path(__file__).parent.parent
YEARS = {"salten_2020": 2020, "jaeren_2019": 2019, "integrated_2025": 2025}


def baseline_module(commit: str) -> types.ModuleType:
    """The disclosure module as it was at ``commit``, loaded beside the current one."""
    path = "src/ettervern/_reports/_disclosure.py"
    source = subprocess.run(
        ["git", "show", f"{commit}:{path}"], cwd=ROOT, check=True, capture_output=True, text=True
    ).stdout
    module = types.ModuleType("ettervern._reports._baseline_disclosure")
    module.__dict__["__file__"] = f"{commit}:{path}"
    sys.modules[module.__name__] = module
    exec(compile(source, module.__file__, "exec"), module.__dict__)
    return module


def small_hours_cells(published: Any, log: e.TimeLog, period: tuple[dt.date, dt.date]) -> int:
    """Published hours or entries cells tied to cases that come from 1 or 2 of them."""
    contributions = Contributions(log.to_frame(), period)
    found = 0
    for report in published:
        shape = new.magnitude_of(report)
        if shape is None:
            continue
        frame = report.to_frame(labels=False)
        for row in map(str, frame.index):
            for column in map(str, frame.columns):
                if (row, column) in report.suppressed or column == "Total":
                    continue
                amounts, _ = contributions.of_cell(shape, row, [column])
                found += 1 <= len(amounts) < 3
    return found


def count_loss(internal: list[Any], published: list[Any]) -> tuple[int, int, float]:
    """Count cells non-zero, hidden, and the share of their total hidden."""
    truth = new._build(internal)[0]
    shown = {r.key: r for r in published}
    cells = hidden = 0
    total = lost = 0.0
    for i, (table, row, column) in enumerate(truth.keys):
        value = truth.values[i]
        if truth.magnitude[i] or value <= 0:
            continue
        cells += 1
        total += value
        if (row, column) in shown[table].suppressed:
            hidden += 1
            lost += value
    return cells, hidden, lost / total if total else 0.0


def pinned(published: list[Any], threshold: int) -> int:
    """Hidden count cells the derived model's attacker pins or proves below the threshold."""
    result = e.tables.audit_release(published, threshold=threshold)
    failed = {
        (b.table, b.row, b.column)
        for b in result.determined + result.below_threshold
        if not (b.magnitude or b.implied)
    }
    return len(failed)


def compare(
    name: str, log: e.TimeLog, cases: list[e.Case], team: e.Team, *, year: int, old: Any
) -> None:
    period = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    annual = e.annual_report(log, cases, team=team, year=year, audience="internal")
    internal = [r for r in annual if r.key != "follow_up_length"]
    start = time.perf_counter()
    before = [attrs.evolve(r) for r in old.publish(list(annual), 3)]
    old_time = time.perf_counter() - start
    start = time.perf_counter()
    after, loss = new.publish_with_loss(
        list(annual), 3, log=log.to_frame(), period=period, dominance_p=team.dominance_p
    )
    new_time = time.perf_counter() - start
    rows = []
    for label, published, seconds in (
        ("baseline", before, old_time),
        ("new", list(after), new_time),
    ):
        cells, hidden, share = count_loss(internal, published)
        rows.append(
            (
                label,
                seconds,
                hidden,
                cells,
                share,
                small_hours_cells(published, log, period),
                pinned(published, 3),
            )
        )
    print(f"{name}: {len(cases):,} cases, {len(log):,} log entries")
    for label, seconds, hidden, cells, share, small, bad in rows:
        print(
            f"  {label:9} {seconds:7.2f} s   counts hidden {hidden:4}/{cells:<4} ({share:5.1%} of the"
            f" total)   hours cells from 1-2 cases shown {small:3}   counts pinned/proved small {bad:3}"
        )
    (_, t0, h0, _, s0, _, _), (_, t1, h1, _, s1, _, _) = rows
    print(
        f"  new/baseline: time x{t1 / t0:.1f}, count cells hidden x{h1 / max(h0, 1):.2f}, share x{s1 / max(s0, 1e-9):.2f}"
    )
    print(f"  new release: {loss}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=20000)
    parser.add_argument("--baseline", default="98c8123")
    args = parser.parse_args()
    old = baseline_module(args.baseline)
    for name, year in YEARS.items():
        example = getattr(e.examples, name)()
        compare(name, example.log, list(example.cases), example.team, year=year, old=old)
    with tempfile.TemporaryDirectory() as folder:
        team = ten_member_team(Path(folder))
        cases = synthetic_cases(team, args.cases)
        log = _log_for(team, cases, args.rows)
        compare(f"ten members, {args.cases:,} cases", log, cases, team, year=2020, old=old)


def _log_for(team: e.Team, cases: list[e.Case], rows: int) -> e.TimeLog:
    """A log of ``rows`` entries on the cases (and some shared time) of 2020."""
    import pandas as pd

    rng = np.random.default_rng(7)
    codes = [str(c.code) for c in cases]
    places = {str(c.code): c.municipality.name for c in cases}
    categories = ["user_follow_up", "driving", "collaboration", "in_institution"]
    picked = rng.integers(0, len(codes), rows)
    shared = rng.random(rows) < 0.1
    frame = pd.DataFrame(
        {
            "case": [None if s else codes[i] for i, s in zip(picked, shared, strict=True)],
            "date": pd.Timestamp("2020-01-01") + pd.to_timedelta(rng.integers(0, 365, rows), "D"),
            "municipality": [
                "Felles" if s else places[codes[i]] for i, s in zip(picked, shared, strict=True)
            ],
            "category": [categories[k] for k in rng.integers(0, len(categories), rows)],
            "hours": rng.integers(1, 9, rows) / 2,
        }
    )
    return e.TimeLog.from_frame(frame, team=team)


if __name__ == "__main__":
    main()
