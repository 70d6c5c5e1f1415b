"""Hours and entries pooled over two years (``compare_years(pool_years=True)``, issue 30 item 5).

The attacker (scipy's ``milp``), written apart from the library, reads the published
comparison's hours and entries tables by member (each year's columns) and the pooled tables
in steps (half hours; entries are whole), and knows what the docs say: the rows add up to
the Total row and the categories to the Total column, one member's category is the same
figure in every table of the same year and unit (*All categories*, a table of one category),
and a pooled cell is the first year's plus the second's.

What must be protected is the oracle's own, counted from the log's entries: a cell's
contributors are its cases, each case's entries in the cell over the cell's years added (a
case with time in both years is one contributor). A hidden cell is sensitive when it comes
from one or two cases, or when all but its two largest cases make less than 10 % of the
largest (Salten's ``dominance_p``); it must then not be known to within 10 % of it (one
step at least). Against a member, the same for the other members' part: the member knows
its own rows, so its part of the Total row, and attacks the rest.
"""

from __future__ import annotations

import math
from collections.abc import Iterable

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings

import ettervern as e
from ettervern._reports._solver import have_solver
from tests import strategies as s
from tests.reports.test_disclosure import two_year_log
from tests.reports.test_years import _two_years

pytestmark = pytest.mark.skipif(not have_solver(), reason="the audit needs highspy")
scipy_optimize = pytest.importorskip("scipy.optimize")

YEARS = (2020, 2021)
POOLED = "pooled"
HIDDEN = ":"
P = 10.0
STEPS = {"hours": 2, "entries": 1}
BY_MEMBER = {"user_follow_up", "driving", "collaboration_entries", "collaboration_hours"}
BY_MEMBER |= {"all_categories"}
"""The hours and entries tables by member of Salten's annual report (its layout)."""

Name = tuple[str, str, str, str]
"""(table, year or ``pooled``, row, category)."""


def _number(value: object) -> float | None:
    """A printed figure, None where hidden, 0 where empty."""
    if isinstance(value, str):
        return None if value == HIDDEN else float(value)
    return 0.0 if pd.isna(value) else float(value)  # type: ignore[arg-type]


Tables = list[tuple[str, e.Report]]
"""Published (or internal) tables with their period: a year, or ``pooled``."""


def read(release: Tables) -> dict[Name, float | None]:
    """Every hours and entries cell by member the tables print, in steps (None: hidden)."""
    out: dict[Name, float | None] = {}
    for period, report in release:
        key = report.key.removesuffix("_years")
        if key not in BY_MEMBER:
            continue
        steps = STEPS[report.unit]
        frame = report.to_frame(labels=False)
        for column in map(str, frame.columns):
            for row in map(str, frame.index):
                value = _number(frame.loc[row, column])
                out[(key, period, row, column)] = None if value is None else value * steps
    return out


def releases(
    log: e.TimeLog, cases: list[e.Case], pooled: e.YearComparison | None, audience: str
) -> Tables:
    """Both years' annual reports for the ``audience``, and the ``pooled`` tables."""
    out = [
        (str(year), report)
        for year in YEARS
        for report in e.annual_report(log, cases, year=year, audience=audience)
    ]
    if pooled is not None:
        out += [(POOLED, r) for r in pooled if r.key.endswith("_years")]
    return out


def pooled_tables(pooled: e.YearComparison) -> Tables:
    return [(POOLED, r) for r in pooled if r.key.endswith("_years")]


def units(release: Tables) -> dict[str, str]:
    return {r.key.removesuffix("_years"): str(r.unit) for _, r in release if r.unit in STEPS}


@attrs.define
class Problem:
    """The attacker's integer program over the cells (``names``), in steps."""

    names: list[Name]
    low: np.ndarray
    high: np.ndarray
    equal: list[dict[int, float]]

    def interval(self, at: int) -> tuple[float, float]:
        return self._extreme(at, 1.0), self._extreme(at, -1.0)

    def _extreme(self, at: int, sign: float) -> float:
        n = len(self.names)
        matrix = np.zeros((len(self.equal), n))
        for k, terms in enumerate(self.equal):
            for i, coef in terms.items():
                matrix[k, i] += coef
        objective = np.zeros(n)
        objective[at] = sign
        result = scipy_optimize.milp(
            objective,
            constraints=[scipy_optimize.LinearConstraint(matrix, 0.0, 0.0)],
            bounds=scipy_optimize.Bounds(self.low, self.high),
            integrality=np.ones(n),
        )
        if result.status != 0:
            return -sign * math.inf
        return sign * float(round(result.fun))


def relations(names: list[Name], unit: dict[str, str]) -> list[dict[int, float]]:
    """Rows add up to the Total row, categories to the Total column, one member's category is
    one figure in every table of its year and unit, and pooled = first year + second."""
    index = {name: i for i, name in enumerate(names)}
    out: list[dict[int, float]] = []
    groups: dict[tuple[str, ...], list[int]] = {}
    for i, (table, period, row, column) in enumerate(names):
        if row != "Total":
            groups.setdefault(("row", table, period, column), []).append(i)
        if column != "Total":
            groups.setdefault(("column", table, period, row), []).append(i)
            groups.setdefault(("same", unit[table], period, row, column), []).append(i)
    for (kind, *rest), members in groups.items():
        if kind == "same":
            out += [{members[0]: 1.0, other: -1.0} for other in members[1:]]
            continue
        table, period, fixed = rest
        whole = (
            (table, period, "Total", fixed) if kind == "row" else (table, period, fixed, "Total")
        )
        if whole in index:
            out.append({**dict.fromkeys(members, 1.0), index[whole]: -1.0})
    return out + _pooled_sums(names, index)


def _pooled_sums(names: list[Name], index: dict[Name, int]) -> list[dict[int, float]]:
    """Each pooled cell is the first year's plus the second's (a year without it: 0)."""
    out = []
    for i, (table, period, row, column) in enumerate(names):
        if period == POOLED:
            terms = {i: -1.0}
            for year in YEARS:
                half = index.get((table, str(year), row, column))
                if half is not None:
                    terms[half] = 1.0
            out.append(terms)
    return out


def problem(
    shown: dict[Name, float | None], unit: dict[str, str], part: dict[Name, float]
) -> Problem:
    """The program of an attacker who knows ``part`` of every cell (a member: its part; a
    reader: nothing), on the rest of each cell."""
    names = sorted(shown)
    low, high = [], []
    for name in names:
        mine = part.get(name, 0.0)
        value = shown[name]
        if value is None:
            low.append(0.0 if mine > 0 else 1.0)
            high.append(math.inf)
        else:
            low.append(value - mine)
            high.append(value - mine)
    return Problem(names, np.array(low), np.array(high), relations(names, unit))


def contributors(entries: pd.DataFrame, name: Name, unit: str, without: str | None) -> list[float]:
    """Each case's amount in the cell ``name``, largest first (``without`` one member's)."""
    table, period, row, column = name
    years = list(YEARS) if period == POOLED else [int(period)]
    chosen = entries[entries["date"].dt.year.isin(years) & entries["case"].notna()]
    if row != "Total":
        chosen = chosen[chosen["municipality"] == row]
    if without is not None:
        chosen = chosen[chosen["municipality"] != without]
    if column != "Total":
        chosen = chosen[chosen["category"] == column]
    else:
        chosen = chosen[chosen["category"].isin(CATEGORIES[table])]
    by_case = chosen.groupby(chosen["case"].astype(str))["hours"]
    amounts = by_case.sum() if unit == "hours" else by_case.size()
    return sorted((float(a) for a in amounts if a > 0), reverse=True)


CATEGORIES: dict[str, list[str]] = {}
"""Each table's categories (its columns but the Total), read with the tables."""


def is_sensitive(amounts: list[float]) -> bool:
    if not amounts:
        return False
    if len(amounts) < 3:
        return True
    return sum(amounts[2:]) < P / 100 * amounts[0]


def truth_of(internal: Tables) -> dict[Name, float]:
    """Every cell's true value in steps, the pooled ones the two years added."""
    true = {k: v or 0.0 for k, v in read(internal).items()}
    for table, period, row, column in list(true):
        pooled = (table, POOLED, row, column)
        true[pooled] = true.get(pooled, 0.0) + true[(table, period, row, column)]
    return true


def leaks(
    release: Tables,
    internal: Tables,
    log: e.TimeLog,
    member: str | None = None,
) -> set[Name]:
    """The hidden cells, sensitive for the attacker, that it knows to within 10 % (one step
    at least): a reader (``member`` None), or a member knowing its part of every cell."""
    shown = read(release)
    unit = units(release)
    for table in unit:
        CATEGORIES[table] = sorted({n[3] for n in shown if n[0] == table and n[3] != "Total"})
    true = truth_of(internal)
    part: dict[Name, float] = {}
    if member is not None:
        for table, period, row, column in shown:
            if row in (member, "Total"):
                part[(table, period, row, column)] = true.get((table, period, member, column), 0.0)
    if member is not None:  # its own rows it knows, hidden or not
        shown = {n: true.get(n, 0.0) if n[2] == member else v for n, v in shown.items()}
    attack = problem(shown, unit, part)
    entries = log.to_frame()
    out = set()
    for i, name in enumerate(attack.names):
        if shown[name] is not None or name[2] == member:
            continue
        others = true.get(name, 0.0) - part.get(name, 0.0)
        if others <= 0 or not is_sensitive(contributors(entries, name, unit[name[0]], member)):
            continue
        low, high = attack.interval(i)
        if high - low < max(1.0, P / 100 * others):
            out.add(name)
    return out


@attrs.frozen
class Example:
    """Two years of a team, their pooled comparison, and both years' annual reports (internal,
    and published with the pooled tables)."""

    log: e.TimeLog
    pooled: e.YearComparison
    internal: Tables
    published: Tables

    @classmethod
    def of(cls, log: e.TimeLog, cases: list[e.Case]) -> Example:
        pooled = e.compare_years(log, cases, years=YEARS, pool_years=True)
        internal = releases(log, cases, None, "internal")
        return cls(log, pooled, internal, releases(log, cases, pooled, "published"))


def new_leaks(example: Example, members: Iterable[str]) -> list[str]:
    """What the pooled tables let a reader or a member know that both years' published
    annual reports alone do not (each year's pattern is given; only pooled cells are for the
    pooling to protect)."""
    release, internal, log = example.published, example.internal, example.log
    alone = [(period, r) for period, r in release if period != POOLED]
    out = []
    for member in [None, *members]:
        found = leaks(release, internal, log, member)
        if found:
            found -= leaks(alone, internal, log, member)
        out += [f"{member or 'reader'}: {name}" for name in sorted(found)]
    return out


@pytest.fixture(scope="module")
def salten() -> Example:
    return Example.of(*_two_years())


def _members(log: e.TimeLog) -> list[str]:
    logged = set(log.to_frame()["municipality"].astype(str))
    return sorted(m.municipality.name for m in log.team.members if m.municipality.name in logged)


def test_the_hours_tables_by_member_are_pooled_not_the_months(
    salten: Example,
) -> None:
    pooled = salten.pooled
    keys = {r.key.removesuffix("_years") for r in pooled if r.key.endswith("_years")}
    assert keys >= BY_MEMBER
    assert "monthly" not in keys  # a month lies in one year: nothing to pool


def test_the_pooled_hours_are_both_years_added(
    salten: Example,
) -> None:
    true = truth_of(salten.internal)
    shown = [(n, v) for n, v in read(salten.published).items() if n[1] == POOLED and v is not None]
    assert shown
    for name, value in shown:
        assert value == true[name], name


def test_the_pooled_hours_hold_against_a_reader_and_every_member(
    salten: Example,
) -> None:
    assert new_leaks(salten, _members(salten.log)) == []


def test_a_case_in_both_years_is_one_contributor(
    salten: Example,
) -> None:
    """The second year logs the first's cases again: a member's hours from one or two cases
    in each year are still one or two cases pooled, and stay hidden."""
    log, pooled = salten.log, salten.pooled
    entries = log.to_frame()
    unit = units(pooled_tables(pooled))
    for table in unit:
        CATEGORIES[table] = sorted(
            {n[3] for n in read(pooled_tables(pooled)) if n[0] == table and n[3] != "Total"}
        )
    printed = read(pooled_tables(pooled))
    few = [
        name
        for name, value in printed.items()
        if name[1] == POOLED
        and name[2] != "Total"
        and 0 < len(contributors(entries, name, unit[name[0]], None)) < 3
    ]
    assert few
    assert all(printed[name] is None for name in few)


def test_mostly_hidden_hours_propose_the_years_measured(
    salten: Example,
) -> None:
    pooled = salten.pooled
    hours = [p for p in pooled.proposals if p.table.removesuffix("_compared") in BY_MEMBER]
    assert hours
    for proposal in hours:
        assert proposal.kind == "years" and proposal.hidden_share > 0.5
        key = proposal.table.removesuffix("_compared")
        inner = [
            v
            for (table, period, row, column), v in read(pooled_tables(pooled)).items()
            if table == key and period == POOLED and "Total" not in (row, column)
        ]
        assert proposal.cells == sum(1 for v in inner if v is not None and v > 0)


def _new_cases_in_beiarn() -> e.TimeLog:
    """Beiarn's follow-up from two cases in 2020 (hidden) and three others in 2021 (shown):
    five cases pooled, so the pooled cell breaks no rule, yet it less 2021 is 2020."""
    rows = []
    for year, member, letters, cases, hours in [
        (2020, "Beiarn", "BE", 2, 10.0),
        (2021, "Beiarn", "BE", 3, 10.0),
        *((y, "Fauske", "FA", 6, 8.0) for y in YEARS),
        *((y, "Meløy", "ME", 4, 6.0) for y in YEARS),
    ]:
        first = 1 if year == YEARS[0] else 11  # other cases in the second year
        rows += [
            {
                "date": pd.Timestamp(year, 3, n + 1),
                "municipality": member,
                "category": "user_follow_up",
                "case": f"{first + n:02d}/{year % 100}-{letters}",
                "hours": hours,
                "staff": 1,
            }
            for n in range(cases)
        ]
    return e.TimeLog.from_frame(pd.DataFrame(rows), team=e.teams.salten())


def _naive(pooled: e.YearComparison, log: e.TimeLog, internal: Tables) -> Tables:
    """The pooled hours tables with only the cells hidden that break the rules (the oracle's,
    over both years), each printing its true figure otherwise."""
    true = truth_of(internal)
    entries = log.to_frame()
    unit = units(pooled_tables(pooled))
    out = []
    for _, report in pooled_tables(pooled):
        key = report.key.removesuffix("_years")
        if key not in BY_MEMBER:
            continue
        steps = STEPS[report.unit]
        frame = report.to_frame(labels=False).copy().astype(object)
        CATEGORIES[key] = [str(c) for c in frame.columns if str(c) != "Total"]
        for row in map(str, frame.index):
            for column in map(str, frame.columns):
                name = (key, POOLED, row, column)
                value = true.get(name, 0.0)
                hide = is_sensitive(contributors(entries, name, unit[key], None))
                frame.loc[row, column] = HIDDEN if hide and value else (value / steps or np.nan)
        out.append((POOLED, _printing(report, frame)))
    return out


def test_hiding_the_pooled_hours_by_the_primary_rule_alone_gives_yearly_hours_back() -> None:
    """The attacker has teeth: the pooled tables with only the cells that break the rules
    hidden, beside both years' published tables, give back Beiarn's hidden 2020 hours (the
    pooled 50 h less 2021's 30 h); the library's pooled tables do not."""
    beiarn = Example.of(_new_cases_in_beiarn(), [])
    log, internal = beiarn.log, beiarn.internal
    alone = [(period, r) for period, r in beiarn.published if period != POOLED]
    naive = alone + _naive(beiarn.pooled, log, internal)
    found = leaks(naive, internal, log) - leaks(alone, internal, log)
    assert ("user_follow_up", "2020", "Beiarn", "user_follow_up") in found
    assert new_leaks(beiarn, _members(log)) == []


def _printing(report: e.Report, frame: pd.DataFrame) -> e.Report:
    """``report`` printing ``frame`` (its ``:`` cells hidden)."""
    hidden = {
        (str(r), str(c))
        for r in frame.index
        for c in frame.columns
        if isinstance(frame.loc[r, c], str)
    }
    tidy = frame.reset_index(names="row").melt(id_vars="row", var_name="column")
    tidy = tidy[[not isinstance(v, str) and not pd.isna(v) for v in tidy["value"]]]
    tidy = tidy.assign(value=tidy["value"].astype(float)).reset_index(drop=True)
    return attrs.evolve(report, data=tidy, suppressed=frozenset(hidden))


NO_SHRINKING = [Phase.explicit, Phase.reuse, Phase.generate]


@given(s.salten_logs, s.small_case_sets())
@settings(max_examples=3, phases=NO_SHRINKING, suppress_health_check=list(HealthCheck))
def test_random_teams_pooled_hours_hold(rows: list[dict[str, object]], cases: list[e.Case]) -> None:
    """Random logs over 2020 and 2021 (many members of one or two cases): the pooled hours
    give a reader or a member nothing both years' annual reports do not."""
    example = Example.of(two_year_log(rows), cases)
    assert new_leaks(example, _members(example.log)) == []
