"""Benchmark: where the annual report's time goes beyond its case tables, at several volumes.

Run: python benchmarks/bench_annual_parts.py [--cases 25000 50000 100000 200000] [--repeat 3]

Issue 35's goal is ``annual_report(log, cases)`` of 100,000 cases <= 1.2x its case tables alone
(``case_reports``, the baseline). This prints, for the first N of one draw of
``synthetic_plans`` (the largest N) and the 10,000 entries of ``synthetic_log``:

- ``case_reports`` of the year, and the published ``annual_report`` of it (``--audience``), in
  turn, each the best of ``--repeat`` runs in CPU seconds, the collector run before each;
- the CPU time of each step of the report, timed in place: the report's own functions are
  wrapped (in this process only) to add up their time, each step's best over the same runs;
- the ratio at each volume. (What the report adds a case, taken as a difference of the
  differences at two volumes, moved from 0.5 to 3.5 us between runs on a shared machine, so
  it is not printed: read the steps that grow with the cases instead.)

The steps come in the report's order: the checked walk, all the tables (the case tables and
the people and course tables among them), the members' parts and the protection.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import time
from collections.abc import Callable
from typing import Any, Literal

from bench_cases import build_cases, synthetic_plans
from bench_reports import synthetic_log

import ettervern as e
from ettervern._reports import _annual, case_reports

YEAR = (dt.date(2020, 1, 1), dt.date(2020, 12, 31))

STEPS = {
    "walk_cases": "checked walk",
    "case_reports": "case tables",
    "people_and_course_reports": "people and courses",
    "_annual_tables": "all tables",
    "_parts_of_members": "members' parts",
    "_released": "protection",
}
"""The report's steps timed in place (functions of ``_reports._annual``), as printed."""


def timed_steps(spent: dict[str, float]) -> None:
    """Wrap each of ``STEPS`` in ``_reports._annual`` so that its CPU time adds to ``spent``."""

    def timed(name: str, function: Callable[..., Any]) -> Callable[..., Any]:
        def step(*args: Any, **kwargs: Any) -> Any:
            start = time.process_time()
            try:
                return function(*args, **kwargs)
            finally:
                spent[name] = spent.get(name, 0.0) + time.process_time() - start

        return step

    for name in STEPS:
        setattr(_annual, name, timed(name, getattr(_annual, name)))


def measure(
    cases: list[e.Case],
    log: e.TimeLog,
    repeat: int,
    spent: dict[str, float],
    audience: Literal["published", "internal"],
) -> dict[str, float]:
    """The best CPU time of ``case_reports`` and of the report for ``audience`` over
    ``repeat`` turns, and of each step of the report (``spent``, filled by ``timed_steps``)."""
    team = e.teams.salten()
    best: dict[str, float] = {}
    for _ in range(repeat):
        gc.collect()
        start = time.process_time()
        case_reports(cases, team, YEAR)
        best["baseline"] = min(best.get("baseline", 1e9), time.process_time() - start)
        gc.collect()
        spent.clear()
        start = time.process_time()
        e.annual_report(log, cases, year=2020, audience=audience)
        best["report"] = min(best.get("report", 1e9), time.process_time() - start)
        for name, seconds in spent.items():
            best[name] = min(best.get(name, 1e9), seconds)
    return best


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cases", type=int, nargs="+", default=[25_000, 50_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument(
        "--audience",
        choices=["published", "internal"],
        default="published",
        help="the report's audience (internal: no members' parts and no protection)",
    )
    args = parser.parse_args()
    sizes = sorted(args.cases)
    drawn = build_cases(synthetic_plans(sizes[-1]))
    log = synthetic_log(10_000)
    print(
        "method: CPU seconds, best of",
        args.repeat,
        "turns of case_reports (baseline) and the",
        args.audience,
        "annual_report, the collector run before each; steps timed in place",
    )
    print("| cases | case_reports | annual_report | ratio | " + " | ".join(STEPS.values()) + " |")
    spent: dict[str, float] = {}
    timed_steps(spent)
    for size in sizes:
        best = measure(drawn[:size], log, args.repeat, spent, args.audience)
        steps = " | ".join(f"{best.get(name, 0.0):.3f} s" for name in STEPS)
        ratio = best["report"] / best["baseline"]
        print(
            f"| {size:,} | {best['baseline']:.3f} s | {best['report']:.3f} s | {ratio:.2f}x "
            f"(<= 1.2x) | {steps} |"
        )


if __name__ == "__main__":
    main()
