"""The public release against each member municipality that knows its own rows (issue 30).

A member receives a closure report for each of its cases: it knows its own counts and hours.
The attackers here are written apart from the library. For counts, the integer program of
``test_disclosure`` (scipy's ``milp`` over the published frames and what the docs say the
tables obey), with the member's own rows fixed at their true values, read from the internal
release. For hours, a second one over each table of hours by municipality and category: rows
add up to the Total row, categories to the Total column, every hidden cell is at least one
half hour, and the member's own row is known.

Each member is one attacker: only the cells it can reach from its own hidden ones (by the
relations, through other hidden cells) are attacked again, as the rest is what any reader
gets, which ``test_disclosure`` checks.
"""

from __future__ import annotations

import datetime as dt
import math
from typing import Any

import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings

import ettervern as e
from ettervern._reports import _disclosure
from ettervern._reports._solver import have_solver
from tests import strategies as s
from tests.reports.test_disclosure import THRESHOLD, Attacker, attack

pytestmark = pytest.mark.skipif(not have_solver(), reason="the audit needs highspy")
scipy_optimize = pytest.importorskip("scipy.optimize")

YEARS = {"salten_2020": 2020, "jaeren_2019": 2019, "integrated_2025": 2025}
BUCKETS = {"Total", "Felles", "Andre kommuner", "Other members"}
HIDDEN = ":"


# -- counts: the attacker of test_disclosure, told one member's rows ---------------------------


def _reach(attacker: Attacker, start: set[int]) -> set[int]:
    """The unknowns tied to ``start`` by relations through other unknowns."""
    unknown = {
        i for i, (lo, hi) in enumerate(zip(attacker.low, attacker.high, strict=True)) if lo != hi
    }
    rows = attacker.equal + attacker.at_most
    found, todo = set(start), list(start)
    while todo:
        cell = todo.pop()
        for terms in rows:
            if cell in terms:
                for other in terms:
                    if other in unknown and other not in found:
                        found.add(other)
                        todo.append(other)
    return found - start


def count_leaks(
    published: list[e.Report], internal: list[e.Report], member: str, own: list[e.Report]
) -> list[str]:
    """What ``member``, knowing its own rows, learns of the others: a hidden cell whose other
    members' part (the cell less the member's own part, from ``own``, the internal release of
    its cases alone) it pins above 0 or proves from 1 to below the threshold."""
    attacker = attack(published)
    truth = attack(internal)
    values = dict(zip(truth.names, truth.low, strict=True))
    mine = attack(own)
    parts = dict(zip(mine.names, mine.low, strict=True))
    known = {
        i
        for i, (table, row, _) in enumerate(attacker.names)
        if row == member and attacker.low[i] != attacker.high[i]
    }
    for i in known:
        attacker.low[i] = attacker.high[i] = values[attacker.names[i]]
    out = []
    for i in sorted(_reach(attacker, known)):
        name = attacker.names[i]
        if name[0].endswith("@change") or name[1] == "Total":
            continue  # a total less the member's own is the others' sum, each checked below
        low, high = attacker.interval({i: 1.0})
        part = parts.get(name, 0.0)
        others = (low - part, high - part)
        if (others[0] == others[1] and others[0] >= 1) or (
            others[0] >= 1 and others[1] < THRESHOLD
        ):
            out.append(f"{name}: the others' part in [{others[0]}, {others[1]}]")
    return out


# -- hours: rows and categories add up ---------------------------------------------------------


def _hours_tables(release: list[e.Report]) -> dict[str, pd.DataFrame]:
    return {
        r.key: r.to_frame(labels=False)
        for r in release
        if r.unit == "hours" and r.rows == "municipality" and r.columns == "category"
    }


def hours_leaks(published: list[e.Report], internal: list[e.Report], member: str) -> list[str]:
    """Hidden hours cells of another member that ``member`` pins, knowing its own row."""
    truth = _hours_tables(internal)
    out = []
    for key, frame in _hours_tables(published).items():
        if member not in frame.index:
            continue
        names = [(str(r), str(c)) for r in frame.index for c in frame.columns]
        low, high = [], []
        for row, column in names:
            shown = frame.loc[row, column]
            if isinstance(shown, str) and shown == HIDDEN and row != member:
                low.append(1.0)  # half hours
                high.append(math.inf)
            else:
                source = truth[key] if row == member else frame
                value = pd.to_numeric(source.loc[row, column], errors="coerce")
                steps = 0.0 if pd.isna(value) else round(float(value) * 2)
                low.append(steps)
                high.append(steps)
        equal = _sums(frame, names)
        for i, (row, column) in enumerate(names):
            if low[i] == high[i] or row in BUCKETS:
                continue
            bounds = [_extreme(equal, low, high, i, sign) for sign in (1.0, -1.0)]
            if bounds[0] >= bounds[1]:
                out.append(f"{key}[{row}, {column}] = {bounds[0] / 2} h")
    return out


def _sums(frame: pd.DataFrame, names: list[tuple[str, str]]) -> list[dict[int, float]]:
    index = {name: i for i, name in enumerate(names)}
    rows = [str(r) for r in frame.index]
    columns = [str(c) for c in frame.columns]
    out = []
    if "Total" in rows:
        for column in columns:
            terms = {index[(r, column)]: 1.0 for r in rows if r != "Total"}
            out.append({**terms, index[("Total", column)]: -1.0})
    if "Total" in columns:
        for row in rows:
            terms = {index[(row, c)]: 1.0 for c in columns if c != "Total"}
            out.append({**terms, index[(row, "Total")]: -1.0})
    return out


def _extreme(
    equal: list[dict[int, float]], low: list[float], high: list[float], at: int, sign: float
) -> float:
    n = len(low)
    matrix = np.zeros((len(equal), n))
    for k, terms in enumerate(equal):
        for i, coef in terms.items():
            matrix[k, i] = coef
    objective = np.zeros(n)
    objective[at] = sign
    result = scipy_optimize.milp(
        objective,
        constraints=[scipy_optimize.LinearConstraint(matrix, 0.0, 0.0)],
        bounds=scipy_optimize.Bounds(low, high),
        integrality=np.ones(n),
    )
    if result.status != 0:
        return -sign * math.inf
    return sign * float(round(result.fun))


def members_of(release: list[e.Report]) -> list[str]:
    team = next(r.team for r in release if r.team is not None)
    return sorted(m.municipality.name for m in team.members)


def leaks(published: list[e.Report], internal: list[e.Report], make: Any) -> list[str]:
    """Every member's leaks; ``make(cases)`` is the internal release of those cases alone."""
    cases = make(None)
    out = []
    for member in members_of(internal):
        own = list(make([c for c in cases if c.municipality.name == member]))
        found = count_leaks(published, internal, member, own)
        found += hours_leaks(published, internal, member)
        out += [f"{member}: {leak}" for leak in found]
    return out


# -- the tests ---------------------------------------------------------------------------------


def test_the_steigen_example_leaked_on_main_and_holds_now(
    example: e.examples.Example, internal: e.AnnualReport, annual: e.AnnualReport
) -> None:
    """Salten 2020: the visible in-institution total (30 h) less Fauske's own 28 h gave
    Steigen's 2 h, from one case. The pattern as main made it (against a reader only) leaks to
    Fauske; the release as published now does not, and the audit names the member."""
    before, _ = _disclosure.publish_with_loss(
        list(internal),
        3,
        log=example.log.to_frame(),
        period=(dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
        dominance_p=example.team.dominance_p,
        against_members=False,
    )
    found = hours_leaks(list(before), list(internal), "Fauske")
    assert "user_follow_up[Steigen, in_institution] = 2.0 h" in found
    result = e.tables.audit_release(before, internal=internal)
    assert not result.ok
    steigen = next(
        b
        for b in result.determined
        if (b.table, b.row, b.column) == ("user_follow_up", "Steigen", "in_institution")
    )
    assert (steigen.low, steigen.member) == (2.0, "Fauske")
    assert e.tables.audit_release(before).ok  # a reader alone finds nothing: the old promise

    assert hours_leaks(list(annual), list(internal), "Fauske") == []
    assert e.tables.audit_release(annual, internal=internal).ok


def _check(example: e.examples.Example, year: int, published: Any, internal: Any) -> None:
    def make(cases: list[e.Case] | None) -> Any:
        if cases is None:
            return example.cases
        return e.annual_report(
            example.log, cases, team=example.team, year=year, audience="internal"
        )

    assert leaks(list(published), list(internal), make) == []
    result = e.tables.audit_release(published, internal=internal)
    assert result.ok, str(result)
    assert set(result.members) <= set(members_of(list(internal)))


def test_salten_2020_holds_against_every_member(
    example: e.examples.Example, internal: e.AnnualReport, annual: e.AnnualReport
) -> None:
    _check(example, 2020, annual, internal)


@pytest.mark.parametrize("name", ["integrated_2025", "jaeren_2019"])
def test_the_other_bundled_years_hold_against_every_member(name: str) -> None:
    example = getattr(e.examples, name)()
    year = YEARS[name]
    internal = e.annual_report(
        example.log, example.cases, team=example.team, year=year, audience="internal"
    )
    published = e.annual_report(example.log, example.cases, team=example.team, year=year)
    _check(example, year, published, internal)


@settings(
    max_examples=3,  # each example publishes a year with hours and attacks it per member
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(s.salten_logs, s.small_case_sets(years=(2020,)))
def test_random_teams_of_small_members_hold_against_every_member(
    rows: list[dict[str, object]], cases: list[e.Case]
) -> None:
    """Nine members of 0–2 cases each (Fauske up to 8), with hours: no member pins a hidden
    cell of another or proves a count of another below the threshold."""
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["date"])
    log = e.TimeLog.from_frame(frame, team=e.teams.salten())
    internal = list(e.annual_report(log, cases, year=2020, audience="internal"))
    published = list(e.annual_report(log, cases, year=2020))

    def make(chosen: list[e.Case] | None) -> Any:
        return (
            cases
            if chosen is None
            else e.annual_report(log, chosen, year=2020, audience="internal")
        )

    assert leaks(published, internal, make) == []
    result = e.tables.audit_release(published, internal=internal)
    assert result.ok, [b for b in result.bounds if b in result.determined + result.below_threshold]
