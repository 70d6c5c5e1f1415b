"""Benchmark: the case side at county and national volumes, side by side in one run.

Run: python benchmarks/bench_cases.py [--cases 25000 50000 100000] [--repeat 3]

For each size it draws synthetic Salten cases (about seven events each: referral, acceptance,
admission, discharge, a step, the individual plan, closure and most with a three-month check,
spread over ten years and the members), then measures in the same run
- building them with the recording methods (``Case.refer(...).accept(...)...``), each event
  checked against the history (target for 100,000 cases: at most 3 s);
- the case tables of the annual report (``case_reports`` for one year; target: at most 2 s,
  and doubling the cases at most 2.3x the time);
- ``cases_from_json`` of ``cases_to_json``'s text against ``json.loads`` of the same text, and
  ``orjson.loads`` where installed, in CPU time with the collector paused on both sides
  (target: at most 3x ``json.loads``);
- the due list of the weekly meeting on one day (target: at most 1 s),
and prints the best time of each and the ratios.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import random

from common import MEMBERS, best_of, cpu_best

import ettervern as e
from ettervern._reports import case_reports

YEARS = range(2020, 2030)
"""Ten years of cases (the Salten members of 2020 are members from its first day)."""

STAYS = ["treatment", "mental_health", "prison"]


Plan = tuple[str, str, dt.date, str, dt.date, dt.date, dt.date | None, bool]
"""One case to build: code, municipality, referral day, stay kind, discharge day, closure day,
and the day of the three-month check (None: not recorded) and whether it reached the person."""


def synthetic_plans(count: int, seed: int = 2020) -> list[Plan]:
    """What ``count`` valid cases hold, drawn at random over the members and ten years: the
    inputs of ``build_cases``, drawn before any clock starts."""
    rng = random.Random(seed)
    names = list(MEMBERS)
    numbers: dict[tuple[str, int], int] = {}
    plans: list[Plan] = []
    for _ in range(count):
        name = rng.choice(names)
        year = rng.choice(YEARS)
        number = numbers[name, year] = numbers.get((name, year), 0) + 1
        code = f"{number:02d}/{year % 100:02d}-{MEMBERS[name]}"
        day = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(300))
        kind = rng.choice(STAYS)
        out = day + dt.timedelta(days=3 + rng.randrange(10, 90))
        closed = out + dt.timedelta(weeks=rng.randrange(4, 12))
        checked = rng.random() < 0.8
        check = closed + dt.timedelta(days=91) if checked else None
        reached = checked and rng.random() < 0.7
        plans.append((code, name, day, kind, out, closed, check, reached))
    return plans


_TWO_DAYS, _THREE_DAYS, _ONE_DAY = (dt.timedelta(days=n) for n in (2, 3, 1))


def build_cases(plans: list[Plan]) -> list[e.Case]:
    """The cases ``plans`` hold, built event by event with the recording methods."""
    cases = []
    for code, name, day, kind, out, closed, check, reached in plans:
        case = e.Case.refer(code, on=day, municipality=name, source="institution")
        case = case.accept(on=day + _TWO_DAYS)
        case = case.admit(on=day + _THREE_DAYS, kind=kind)
        case = case.complete("individual_plan", on=out - _ONE_DAY)
        case = case.discharge(on=out).begin_step("mapping", on=out)
        case = case.close(on=closed, reason="completed", report_delivered=True)
        if check is not None:
            case = case.record_three_month_check(on=check, reached=reached)
        cases.append(case)
    return cases


def synthetic_cases(count: int, seed: int = 2020) -> list[e.Case]:
    """``count`` valid cases spread over the members and ten years, built event by event."""
    return build_cases(synthetic_plans(count, seed))


def run(count: int, repeat: int, previous: float | None) -> float:
    team = e.teams.salten()
    period = (dt.date(2024, 1, 1), dt.date(2024, 12, 31))
    cases: list[e.Case] = []

    def build() -> None:
        cases[:] = synthetic_cases(count)

    build_time = best_of(repeat, build)
    events = sum(len(c.events) for c in cases)
    tables_time = best_of(repeat, lambda: case_reports(cases, team, period))
    text = e.cases_to_json(cases, indent=None)
    # CPU, the collector paused on both sides (the reader pauses it itself).
    loads_time = cpu_best(repeat, lambda: json.loads(text), paused=True)
    from_json_time = cpu_best(repeat, lambda: e.cases_from_json(text), paused=True)
    try:
        import orjson
    except ImportError:
        orjson_time = None
    else:
        orjson_time = cpu_best(repeat, lambda: orjson.loads(text), paused=True)
    due_time = best_of(repeat, lambda: e.due_list(cases, on=dt.date(2024, 6, 1), team=team))
    print(f"cases: {count:,}  events: {events:,}  JSON: {len(text) / 2**20:.0f} MiB")
    print(f"  build, event by event   {build_time:8.3f} s")
    print(f"  case tables (one year)  {tables_time:8.3f} s")
    if previous is not None:
        print(f"    time ratio (these cases / half as many): {tables_time / previous:.2f}x")
    print(f"  cases_from_json         {from_json_time:8.3f} s CPU, collector paused")
    print(f"  json.loads              {loads_time:8.3f} s")
    if orjson_time is not None:
        print(f"  orjson.loads            {orjson_time:8.3f} s")
    print(f"  due list (one day)      {due_time:8.3f} s")
    print(f"  time ratio (cases_from_json / json.loads): {from_json_time / loads_time:.2f}x")
    return tables_time


def main() -> None:
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--cases", type=int, nargs="+", default=[25_000, 50_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args()
    previous: float | None = None
    last: int | None = None
    for count in args.cases:
        tables = run(count, args.repeat, previous if last and count == 2 * last else None)
        previous, last = tables, count


if __name__ == "__main__":
    main()
