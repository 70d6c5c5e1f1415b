"""Benchmark: the optimal secondary suppression against today's greedy heuristic.

Run: python benchmarks/bench_suppression.py [--cases 1000]

In one run, on the same internal releases (the three bundled years and a synthetic year of a
ten-member team with ``--cases`` cases), each protected with counts only (``protect_hours``
off, the default) and with hours and entries too, it publishes with both secondary
suppression methods of ``_reports._secondary`` (``METHODS``):

- ``greedy``: today's heuristic (hide the smallest tied cell around each cell at risk, then
  the exact attack's refinement and giving back), the baseline;
- ``optimal``: least hidden value by an integer program with cuts from the exact attack
  (HiGHS), falling back to the better of its last pattern finished greedily and ``greedy``
  when it is not proved optimal within its rounds.

Each is run three times: against a reader who knows only what is published (``reader``, the
release as main made it before issue 30's coalition of one); against each member
municipality knowing its own rows (``rows``: last round's attacker, the members' part of
the other tables not given); and against each member knowing its part of every cell
(``members``, the default now: ``parts``, the internal tables of its cases and entries
alone).

For each it prints the method, the attacker protected against, the CPU time
(``time.process_time``), the cells hidden and the share hidden of each unit's inner cells,
counts, hours and log entries (``InformationLoss.shares``), and — attacked with the library's audit, as each member in turn
(``internal=`` and ``parts=``, each member knowing its part of every cell) — how many hidden
cells are pinned and how many counts proved below 3.
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import tempfile
import time
from pathlib import Path
from typing import Any

import numpy as np
from bench_disclosure import synthetic_cases, ten_member_team

import ettervern as e
from ettervern._reports._disclosure import publish_with_loss
from ettervern._reports._solver import have_solver

YEARS = {"salten_2020": 2020, "jaeren_2019": 2019, "integrated_2025": 2025}


def attacked(
    published: list[Any], threshold: int, internal: Any, parts: dict[str, Any]
) -> tuple[int, int]:
    """Hidden cells the audit pins, and hidden counts it proves below the threshold, by a
    reader or by any one member knowing its part of every cell (``parts``)."""
    result = e.tables.audit_release(published, threshold=threshold, internal=internal, parts=parts)
    return len(result.determined), len(result.below_threshold)


def compare(
    name: str, log: e.TimeLog, cases: list[e.Case], team: e.Team, *, year: int
) -> list[tuple[Any, ...]]:
    """Publish one year with each method, counts only and with hours: one row each."""
    period = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    annual = list(e.annual_report(log, cases, team=team, year=year, audience="internal"))
    parts = own_parts(log, cases, team, year)
    rows = []
    for scope, frame in (("counts", None), ("+hours", log.to_frame())):
        for against, method in itertools.product(
            ("reader", "rows", "members"), ("greedy", "optimal")
        ):
            start = time.process_time()
            published, loss = publish_with_loss(
                annual,
                3,
                log=frame,
                period=period,
                dominance_p=team.dominance_p,
                method=method,
                against_members=against != "reader",
                parts=parts if against == "members" else None,
            )
            seconds = time.process_time() - start
            pinned, small = attacked(list(published), 3, annual, parts)
            rows.append((name, scope, against, loss.method, seconds, loss, pinned, small))
            print(
                f"{name:24} {scope:7} {against:8} {loss.method:8} {seconds:6.2f} s CPU   "
                f"{loss.hidden:4}/{loss.cells:<4} cells hidden ({loss.primary:3} primary), "
                f"{_shares(loss)}   pinned {pinned}, proved < 3 {small}",
                flush=True,
            )
    return rows


def _shares(loss: Any) -> str:
    """The share hidden of each unit's inner cells (``InformationLoss.shares``): counts,
    hours, log entries; the old one figure added counts to half hours."""
    return "  ".join(f"{unit} {share:5.1%}" for unit, share in loss.shares.items()) + " hidden"


def own_parts(log: e.TimeLog, cases: list[e.Case], team: e.Team, year: int) -> dict[str, Any]:
    """Each member's internal tables of its own cases and entries alone (its part of every
    cell), by member; none for a member with neither in the year."""
    out = {}
    for member in sorted(m.municipality.name for m in team.members):
        chosen = [c for c in cases if c.municipality.name == member]
        try:
            out[member] = list(
                e.annual_report(
                    log.for_municipality(member),
                    chosen,
                    team=team,
                    year=year,
                    audience="internal",
                )
            )
        except e.errors.InvalidValueError:
            continue
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--cases", type=int, default=1000)
    parser.add_argument("--rows", type=int, default=20000)
    args = parser.parse_args()
    print(f"HiGHS installed: {have_solver()}")
    for name, year in YEARS.items():
        example = getattr(e.examples, name)()
        compare(name, example.log, list(example.cases), example.team, year=year)
    with tempfile.TemporaryDirectory() as folder:
        team = ten_member_team(Path(folder))
        cases = synthetic_cases(team, args.cases)
        log = _log_for(team, cases, args.rows)
        compare(f"ten members, {args.cases:,} cases", log, cases, team, year=2020)


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
