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
from unittest import mock

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern._reports import _disclosure
from ettervern._reports._solver import have_solver
from tests import strategies as s
from tests.reports.test_annual import assert_parts_add_up
from tests.reports.test_disclosure import THRESHOLD, Attacker, attack, counted_twice, implied
from tests.reports.test_moves import _moved

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


def _as_others(attacker: Attacker, parts: dict[Any, float], member: str) -> set[int]:
    """Turn ``attacker`` into ``member``'s attacker of the others' parts; the cells to attack
    from: its own hidden rows (now known) and the hidden cells it has a part of."""
    start = set()
    for i, name in enumerate(attacker.names):
        part = parts.get(name, 0.0)
        if name[0].endswith("@change"):
            part = _change_part(attacker, parts, name)
            if attacker.low[i] == attacker.high[i]:  # shown: exactly what it says, less its own
                attacker.low[i] = attacker.high[i] = (
                    0.0 if name[1] == member else attacker.low[i] - part
                )
            continue  # hidden: a difference, any value (``test_disclosure.attack``)
        if name[1] == member:
            if attacker.low[i] != attacker.high[i]:
                start.add(i)  # known now: what it is tied to is attacked again
            attacker.low[i] = attacker.high[i] = 0.0
        elif attacker.low[i] == attacker.high[i]:
            attacker.low[i] = attacker.high[i] = attacker.low[i] - part
        elif part > 0:
            attacker.low[i] = 0.0
            start.add(i)
    return start


def _change_part(attacker: Attacker, parts: dict[Any, float], name: tuple[str, str, str]) -> float:
    """The member's part of a change between two years: its part of the later year's cell
    less its part of the earlier's (the change of its own cases)."""
    key = name[0].removesuffix("@change")
    base = name[2].split("\x1f")[0]
    years = sorted({n[0] for n in attacker.names if n[0].removeprefix(f"{key}@").isdigit()})
    if len(years) < 2:
        return 0.0
    return parts.get((years[-1], name[1], base), 0.0) - parts.get((years[0], name[1], base), 0.0)


def reached_leaks(attacker: Attacker, reach: set[int], parts: dict[Any, float]) -> list[str]:
    """The member's attack on the cells it reaches (``_reach``, after ``_as_others``): each
    one's interval of the others' part; a leak where it is pinned above 0 in another
    member's row (the member having no part of it), or proved from 1 to below the threshold
    anywhere. Changes between years are differences, attacked through the years' cells."""
    out = []
    for i in sorted(reach):
        name = attacker.names[i]
        if name[0].endswith("@change"):
            continue
        low, high = attacker.interval({i: 1.0})
        pinned = low == high >= 1 and name[1] not in BUCKETS and parts.get(name, 0.0) == 0
        if pinned or (low >= 1 and high < THRESHOLD):
            out.append(f"{name}: the others' part in [{low}, {high}]")
    return out


# What the attacker knows of the answer sheets and group tables (from their docs): the rows of
# an instrument's table add up to its Total row; a person measured (two sheets or more)
# answered, one with an effect was measured, completed and dropped out are closure reasons of
# people who answered, and every one who answered gave a sheet. A month's people came to a
# group that year; the year's people came in some month, and each had a case open then.
INSTRUMENT_COUNTS = ("people_answering", "answers", "people_measured", "effect", "completed")
INSTRUMENT_AT_MOST = [
    (["people_measured"], "people_answering"),
    (["effect"], "people_measured"),
    (["completed", "drop_out"], "people_answering"),
    (["people_answering"], "answers"),
]


def _read_more(attacker: Attacker, release: list[e.Report]) -> None:
    """Add the instrument tables and the group table's people to ``attacker``."""
    for report in release:
        if report.key.startswith("instrument_") and report.rows == "municipality":
            frame = report.to_frame(labels=False)
            columns = [c for c in (*INSTRUMENT_COUNTS, "drop_out") if c in frame.columns]
            attacker.read(report.key, frame, columns)
            attacker.relate(report.key, report.key, frame, columns)
            for parts, whole in INSTRUMENT_AT_MOST:
                for row in map(str, frame.index):
                    terms = {attacker.names.index((report.key, row, p)): 1.0 for p in parts}
                    terms[attacker.names.index((report.key, row, whole))] = -1.0
                    attacker.at_most.append(terms)
        elif report.key == "group_attendance":
            frame = report.to_frame(labels=False)
            attacker.read(report.key, frame, ["people"])
            months = [str(m) for m in frame.index if str(m) != "Total"]
            total = attacker.names.index((report.key, "Total", "people"))
            cells = [attacker.names.index((report.key, m, "people")) for m in months]
            for cell in cells:
                attacker.at_most.append({cell: 1.0, total: -1.0})
            attacker.at_most.append({total: 1.0, **dict.fromkeys(cells, -1.0)})
            active = attacker.cell(("cases", "Total", "active"))
            if active is not None:
                attacker.at_most.append({total: 1.0, active: -1.0})


def attack_all(release: list[e.Report], *, people_once: bool | None = None) -> Attacker:
    """``attack``, with the answer sheets' and group sessions' tables."""
    attacker = attack(release, people_once=people_once)
    _read_more(attacker, release)
    return attacker


def count_leaks(
    published: list[e.Report], internal: list[e.Report], member: str, own: list[e.Report]
) -> list[str]:
    """What ``member`` learns of the others, knowing its part of every cell: a hidden cell
    (or a count implied by two) whose other members' part it pins above 0 in another member's
    row, or proves from 1 to below the threshold anywhere. Its part of every cell is read
    from ``own``, the internal release of its cases and entries alone, so the tables not
    split by member (age and gender, sources, reasons, courses …) count too.

    The attack is the reader's, on the others' parts: every relation the docs give holds for
    the others' part of the cells as for the cells (they are sums and subsets of the same
    records), a published cell's others' part is the cell less the member's, the member's own
    row is 0 for the others, and a hidden cell's others' part is at least 1 unless the member
    has a part of it itself."""
    twice = counted_twice(internal)  # told whether a person is in two members' rows
    attacker = attack_all(published, people_once=twice)
    mine = attack_all(own, people_once=twice)
    parts = dict(zip(mine.names, mine.low, strict=True))
    _unrecorded_ages(parts, attacker)
    shown = [low == high for low, high in zip(attacker.low, attacker.high, strict=True)]
    start = _as_others(attacker, parts, member)
    reach = _reach(attacker, start) | {i for i in start if attacker.low[i] != attacker.high[i]}
    out = []
    for i, name in enumerate(attacker.names):  # a published cell less its part: the others'
        rest = attacker.low[i]
        if name[0].endswith("@change"):
            continue
        if shown[i] and parts.get(name, 0.0) > 0 and name[1] != member and 1 <= rest < THRESHOLD:
            out.append(f"{name}: the others' part is {rest} (published)")
    out += reached_leaks(attacker, reach, parts)
    for text, terms in implied(attacker):
        if not reach & set(terms):
            continue
        low, high = attacker.interval(terms)
        if low >= 1 and high < THRESHOLD:
            out.append(f"{text}: the others' part in [{low}, {high}]")
    return out


def _unrecorded_ages(parts: dict[Any, float], attacker: Attacker) -> None:
    """A member whose active cases record neither age nor gender has no age and gender table
    of its own, yet the team's counts each of them as «unknown» in both (its docs): its part
    there is its active cases, every one it knows, a case that moved to it included."""
    table = "age_and_gender"
    if any(name[0] == table for name in parts) or attacker.cell((table, "Total", "Total")) is None:
        return
    active = parts.get(("cases", "Total", "active"), 0.0)
    for row in ("unknown", "Total"):
        for column in ("unknown", "Total"):
            parts[(table, row, column)] = active


# -- hours: rows and categories add up ---------------------------------------------------------


def _hours_tables(release: list[e.Report]) -> dict[str, pd.DataFrame]:
    """Tables of hours by municipality or by month, and category."""
    return {
        r.key: r.to_frame(labels=False)
        for r in release
        if r.unit == "hours" and r.rows in ("municipality", "month") and r.columns == "category"
    }


def hours_leaks(
    published: list[e.Report],
    own: list[e.Report],
    member: str,
    others: pd.DataFrame | None = None,
) -> list[str]:
    """Hidden hours cells whose other members' part ``member`` pins, knowing its part of
    every cell (``own``: the internal release of its cases and entries alone): another
    member's row, or a month (the team's, of which the member has a part). With ``others``
    (the other members' entries, ``placed``), a cell whose others' part holds no case's
    hours is no leak: time logged without a case is the team's own, not a person's (the
    hours rule of docs/privacy.md; ``test_years_hours``' attacker says the same)."""
    parts = _hours_tables(own)
    rows_of = {r.key: (r.rows, r.period) for r in published}
    out = []
    for key, frame in _hours_tables(published).items():
        names = [(str(r), str(c)) for r in frame.index for c in frame.columns]
        low, high = [], []
        for row, column in names:
            part = _steps(parts[key], row, column) if key in parts else 0.0
            shown = frame.loc[row, column]
            if row == member:
                low.append(0.0)
                high.append(0.0)
            elif isinstance(shown, str) and shown == HIDDEN:
                low.append(0.0 if part > 0 else 1.0)  # half hours
                high.append(math.inf)
            else:
                low.append(_steps(frame, row, column) - part)
                high.append(low[-1])
        equal = _sums(frame, names)
        for i, (row, column) in enumerate(names):
            if low[i] == high[i] or row in BUCKETS:
                continue
            if others is not None and not _case_hours(others, rows_of[key], frame, (row, column)):
                continue
            bounds = [_extreme(equal, low, high, i, sign) for sign in (1.0, -1.0)]
            if bounds[1] > 0 and bounds[0] >= bounds[1]:
                out.append(f"{key}[{row}, {column}] = {bounds[0] / 2} h")
    return out


def _case_hours(
    others: pd.DataFrame,
    dimension: tuple[str | None, Any],
    frame: pd.DataFrame,
    cell: tuple[str, str],
) -> float:
    """The hours of cases among ``others``' entries in ``cell`` of a table of hours by
    ``dimension`` (``municipality`` or ``month``, and the table's period) and category (the
    Total column: every category of ``frame``)."""
    rows, period = dimension
    row, column = cell
    chosen = others[others["case"].notna()]
    if period is not None:
        days = chosen["date"].dt.date
        chosen = chosen[(days >= period[0]).to_numpy() & (days <= period[1]).to_numpy()]
    if row != "Total":
        at = chosen["date"].dt.strftime("%Y-%m") if rows == "month" else chosen["place"]
        chosen = chosen[(at == row).to_numpy()]
    wanted = [column] if column != "Total" else [str(c) for c in frame.columns if c != "Total"]
    return float(chosen.loc[chosen["category"].astype(str).isin(wanted), "hours"].sum())


def _steps(frame: pd.DataFrame, row: str, column: str) -> float:
    """A cell in half hours (0 where the table has none)."""
    if row not in map(str, frame.index) or column not in map(str, frame.columns):
        return 0.0
    value = pd.to_numeric(frame.loc[row, column], errors="coerce")
    return 0.0 if pd.isna(value) else round(float(value) * 2)


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


def leaks(
    published: list[e.Report],
    internal: list[e.Report],
    make: Any,
    logged: tuple[e.TimeLog, list[e.Case]] | None = None,
) -> list[str]:
    """Every member's leaks; ``make(member)`` is the internal release of its cases and
    entries alone (None where it has neither); ``logged``: the log and cases released, to
    tell the hours of cases from the team's own time (``hours_leaks``)."""
    entries = None if logged is None else placed(*logged)
    out = []
    for member in members_of(internal):
        made = make(member)
        own = [] if made is None else list(made)
        found = count_leaks(published, internal, member, own)
        others = None if entries is None else entries[entries["place"] != member]
        found += hours_leaks(published, own, member, others)
        out += [f"{member}: {leak}" for leak in found]
    return out


def belonged(case: e.Case, member: str) -> bool:
    """Whether ``case`` was ever ``member``'s: its municipality, or one it moved to. Each
    member it belonged to got its reports while it did: it knows the case."""
    places = {case.municipality.name, *(move.municipality.name for move in case.moves)}
    return member in places


def own_entries(log: e.TimeLog, cases: list[e.Case], member: str) -> e.TimeLog:
    """The entries logged to ``member`` (``placed``)."""
    frame = placed(log, cases)
    return e.TimeLog.from_frame(
        frame[frame["place"] == member].drop(columns="place"), team=log.team
    )


def placed(log: e.TimeLog, cases: list[e.Case]) -> pd.DataFrame:
    """The entries of ``log``, each with the member it is logged to (``place``): an entry of a
    case on or after the person moved away counts for the member moved to (written here from
    the docs, not by the library)."""
    frame = log.to_frame()
    place = frame["municipality"].astype(str).to_numpy().copy()
    codes = frame["case"].astype("string").fillna("").to_numpy()
    for case in cases:
        left = case.municipality.name
        for move in case.moves:
            rows = (codes == str(case.code)) & (frame["date"] >= pd.Timestamp(move.on)).to_numpy()
            rows &= place == left
            place[rows] = move.municipality.name
            left = move.municipality.name
    return frame.assign(place=place)


def own_release(
    log: e.TimeLog,
    cases: list[e.Case],
    member: str,
    *,
    responses: Any = (),
    groups: e.events.GroupLog | None = None,
    **options: Any,
) -> Any:
    """The internal annual report of ``member``'s cases and entries alone: what its closure
    reports tell it, answer sheets and group attendance of its cases included (None: it has
    neither in the year)."""
    chosen = [c for c in cases if belonged(c, member)]
    codes = {str(c.code) for c in chosen}
    mine = [r for r in responses if str(r.case) in codes]
    if groups is not None:
        sessions = [
            e.events.GroupSession(s.on, s.offer, [c for c in s.attendees if c in codes])
            for s in groups
        ]
        groups = e.events.GroupLog([s for s in sessions if s.attendees])
    try:
        return e.annual_report(
            own_entries(log, cases, member),
            chosen,
            audience="internal",
            responses=mine,
            groups=groups,
            **options,
        )
    except e.errors.InvalidValueError:
        return None


def salten_log(rows: list[dict[str, object]]) -> e.TimeLog:
    """Salten's time log of ``rows`` (``s.salten_logs``), dates read as dates."""
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["date"])
    return e.TimeLog.from_frame(frame, team=e.teams.salten())


def holds_for_every_member(log: e.TimeLog, cases: list[e.Case]) -> None:
    """The year 2020's release of ``log`` and ``cases`` holds against every member told its
    own part (``holds``); the audit reads the release as it was protected."""
    internal = list(e.annual_report(log, cases, year=2020, audience="internal"))
    release = e.annual_report(log, cases, year=2020)
    parts = own_releases(log, cases, members_of(internal), year=2020)
    holds(release, internal, parts, (log, cases))


def own_releases(log: e.TimeLog, cases: list[e.Case], members: list[str], **options: Any) -> Any:
    """``own_release`` of each member that has one, by member (for the audit's ``parts``)."""
    made = {m: own_release(log, cases, m, **options) for m in members}
    return {m: r for m, r in made.items() if r is not None}


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
    fauske = list(own_release(example.log, list(example.cases), "Fauske", year=2020))
    found = hours_leaks(list(before), fauske, "Fauske")
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

    assert hours_leaks(list(annual), fauske, "Fauske") == []
    assert e.tables.audit_release(annual, internal=internal).ok


def test_a_team_wide_cell_leaked_to_a_member_knowing_its_rows_and_holds_now(
    example: e.examples.Example, internal: e.AnnualReport, annual: e.AnnualReport
) -> None:
    """Salten 2020: protected against members knowing their rows only (last round's
    attacker), the age and gender table let Fauske, subtracting its own cases, prove that the
    other members have one or two men of 18-25 among their cases. Knowing its part of every
    cell, the release protects it; the audit given the members' parts names the member."""
    cases = list(example.cases)
    fauske = list(own_release(example.log, cases, "Fauske", year=2020))
    rows_only, _ = _disclosure.publish_with_loss(
        list(internal),
        3,
        log=example.log.to_frame(),
        period=(dt.date(2020, 1, 1), dt.date(2020, 12, 31)),
        dominance_p=example.team.dominance_p,
    )
    cell = "('age_and_gender', '18-25', 'male')"
    before = count_leaks(list(rows_only), list(internal), "Fauske", fauske)
    assert any(leak.startswith(f"{cell}: the others' part in [1.0, ") for leak in before)
    parts = own_releases(example.log, cases, members_of(list(internal)), year=2020)
    result = e.tables.audit_release(rows_only, internal=internal, parts=parts)
    found = {(b.table, b.row, b.column): b for b in result.below_threshold}
    assert found[("age_and_gender", "18-25", "male")].member == "Fauske"

    after = count_leaks(list(annual), list(internal), "Fauske", fauske)
    assert not any(leak.startswith(cell) for leak in after)


def holds(
    release: Any,
    internal: Any,
    parts: dict[str, Any],
    logged: tuple[e.TimeLog, list[e.Case]] | None = None,
) -> None:
    """No member leaks to the attacker here, and the audit told the members' parts agrees
    (``logged``: as for ``leaks``)."""
    assert leaks(list(release), list(internal), parts.get, logged) == []
    result = e.tables.audit_release(release, internal=internal, parts=parts)
    assert result.ok, [b for b in result.bounds if b in result.determined + result.below_threshold]


def _check(example: e.examples.Example, year: int, published: Any, internal: Any) -> None:
    cases = list(example.cases)
    parts = own_releases(example.log, cases, members_of(list(internal)), year=year)
    assert leaks(list(published), list(internal), parts.get) == []
    result = e.tables.audit_release(published, internal=internal, parts=parts)
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
    holds_for_every_member(salten_log(rows), cases)


@settings(
    max_examples=3,  # each example publishes a year with hours and attacks it per member
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(s.salten_logs, s.small_case_sets(years=(2020,)), st.data())
def test_random_teams_with_answer_sheets_and_group_sessions_hold_against_every_member(
    rows: list[dict[str, object]], cases: list[e.Case], data: st.DataObject
) -> None:
    """The same teams with ORS sheets and group sessions of their cases: each member knows
    its cases' sheets and attendance, and still learns nothing of the others below the
    threshold."""
    log = salten_log(rows)
    options = data.draw(sheets_and_groups(cases))
    internal = list(e.annual_report(log, cases, year=2020, audience="internal", **options))
    published = list(e.annual_report(log, cases, year=2020, **options))

    parts = own_releases(log, cases, members_of(internal), year=2020, **options)
    assert leaks(published, internal, parts.get, (log, cases)) == []


@st.composite
def sheets_and_groups(draw: st.DrawFn, cases: list[e.Case]) -> dict[str, Any]:
    """ORS sheets (0–3 per accepted case) and group sessions (0–3 days per accepted case,
    while it is open: a day it was closed before a reopening is left out) for ``cases``."""
    sheets, days = [], {}
    open_phases = {e.Phase.FOLLOW_UP, e.Phase.IN_INSTITUTION}
    for case in cases:
        if case.accepted_on is None:
            continue
        last = min(case.closed_on or dt.date(2020, 12, 31), dt.date(2020, 12, 31))
        if case.closed_on is not None:
            last -= dt.timedelta(days=1)  # the day it closed it is no longer open
        if last < case.accepted_on:
            continue
        on = st.dates(min_value=case.accepted_on, max_value=last)
        for day in draw(st.lists(on, max_size=3)):
            score = draw(st.integers(min_value=0, max_value=10))
            answers = dict.fromkeys(
                ("individually", "interpersonally", "socially", "overall"), score
            )
            sheets.append(
                e.instruments.Response.record("ors", case=case.code, on=day, answers=answers)
            )
        for day in draw(st.lists(on, max_size=3, unique=True)):
            if case.phase_on(day) in open_phases:
                days.setdefault(day, []).append(str(case.code))
    sessions = [e.events.GroupSession(day, "group", codes) for day, codes in sorted(days.items())]
    return {"responses": sheets, "groups": e.events.GroupLog(sessions) if sessions else None}


def test_a_members_part_that_breaks_a_relation_is_kept_and_the_relation_taken_as_cells_obey_it() -> (
    None
):
    """A member's part that does not obey a relation (its own tables do not hold a
    team-wide table) is kept, not forgotten: the member's attack takes the relation as the
    cells obey it, its part moved to the known side, so it pins what the member can."""
    from ettervern._reports import _secondary
    from ettervern._reports._model import Model
    from ettervern._reports._solver import member_parts, member_view, solve, unlike

    model = Model()
    cells = [model.add(("t", row, "c"), value, False) for row, value in [("A", 4), ("B", 3)]]
    total = model.add(("t", "Total", "c"), 7, False)
    other = model.add(("u", "x", "c"), 7, False)  # a team-wide table with the same count
    model.lines += [(total, tuple(cells)), (other, (total,))]
    model.knows = {"B": frozenset({cells[1]})}
    values = np.array(model.values, dtype="float64")

    measured = member_parts(model, values, "B", np.array([0.0, 3.0, 3.0, 3.0]))
    assert measured.tolist() == [0.0, 3.0, 3.0, 3.0]  # its row, the total's and u's: 3
    unmeasured = member_parts(model, values, "B", np.zeros(4))  # u not read: 0 ≠ 3
    assert unmeasured.tolist() == [0.0, 3.0, 3.0, 0.0]  # kept as the member knows it
    model.parts = {"B": unmeasured}
    odd = unlike(model, values, "B")
    assert odd.lines.tolist() == [False, True]  # u = Total holds for cells, not for parts

    # A and the total hidden, u published (7): u = Total is taken as the cells obey it, B's
    # part of u (0) and of the total (3) known, so the others' total is 7 less 3 and their
    # A (B has none of it) is that: 4, pinned, as a reader pins A. Taken as the parts obey
    # it (others' total = others' u, 7), the attack would not hold the truth (the solver
    # refuses a problem its true figures break).
    hidden = np.array([True, False, True, False])
    view = member_view(model, values, hidden, "B")
    assert view.unlike is odd
    solved = solve(model, view.values, view.seen, floor=view.floor, unlike=view.unlike)
    assert solved[cells[0]] == (4.0, 4.0)
    assert solved[total] == (4.0, 4.0)
    # the propagated bounds (the greedy method's attack) take it the same way
    low, high = _secondary._bounds(view.values, view.seen, model, view.floor, view.unlike)
    assert (low[cells[0]], high[cells[0]]) == (4.0, 4.0)
    assert (low[total], high[total]) == (4.0, 4.0)


def _with_sheets(name: str) -> tuple[e.examples.Example, dict[str, Any]]:
    """A bundled year with the answer sheets its cases hold (intake, closure and the
    three-month check) and its group sessions, where it has them."""
    example = getattr(e.examples, name)()
    options = {
        "responses": e.instruments.brukerplan_responses(example.cases),
        "groups": example.groups,
    }
    return example, options


@pytest.mark.parametrize("name", ["jaeren_2019", "integrated_2025"])
def test_answer_sheets_and_group_sessions_hold_against_every_member(name: str) -> None:
    """A member knows its own cases' answer sheets and group attendance: its part of the
    instrument and group tables, read by the attacker from its own cases, tells it nothing
    of the others below the threshold."""
    example, options = _with_sheets(name)
    year = YEARS[name]
    cases = list(example.cases)
    internal = list(e.annual_report(example.log, cases, year=year, audience="internal", **options))
    published = list(e.annual_report(example.log, cases, year=year, **options))
    assert {"group_attendance", "instrument_brukerplan"} & {r.key for r in published}
    parts = own_releases(example.log, cases, members_of(internal), year=year, **options)
    assert leaks(published, internal, parts.get) == []


@pytest.mark.parametrize(("home", "to"), [("Beiarn", "Meløy"), ("Meløy", "Fauske")])
def test_a_case_that_moved_is_known_to_both_members(
    example: e.examples.Example, home: str, to: str
) -> None:
    """Salten 2020 with one person moving between members halfway: the member moved from and
    the one moved to both had the case's reports, so each knows it (the attacker counts it in
    full in both, and the hours where they were logged after the move)."""
    case = next(c for c in example.cases if c.municipality.name == home and c.is_accepted)
    assert case.closed_on is not None
    on = case.referred_on + (case.closed_on - case.referred_on) / 2
    cases = [_moved(c, on, to) if c is case else c for c in example.cases]
    internal = list(e.annual_report(example.log, cases, year=2020, audience="internal"))
    published = list(e.annual_report(example.log, cases, year=2020))
    parts = own_releases(example.log, cases, members_of(internal), year=2020)
    assert leaks(published, internal, parts.get) == []


@pytest.mark.parametrize("name", ["salten_2020", "jaeren_2019"])
def test_members_parts_are_their_own_reports(name: str) -> None:
    """The member's part the release is protected with (``_member_tables``, made from the
    release's log codes split by member) is the internal report of its own cases, entries,
    answer sheets and group sessions, made here from its own log."""
    from ettervern._pathway import event_kinds
    from ettervern._reports import _annual
    from ettervern._timelog import log_codes, month_summary

    example, options = _with_sheets(name)
    year = YEARS[name]
    cases = list(example.cases)
    span = (dt.date(year, 1, 1), dt.date(year, 12, 31))
    made = _annual._Options(
        _annual.HOURS_PER_FTE, "pro_rata", None, options["responses"], (), None, options["groups"]
    )
    entries = (log_codes(example.log), month_summary(example.log, span))
    walk = _annual.walk_cases(cases, span, event_kinds(cases))
    every = _annual._parts_of_members(entries, cases, example.team, span, options=made, walk=walk)
    for member in members_of(list(e.annual_report(example.log, cases, year=year))):
        own = own_release(example.log, cases, member, year=year, **options)
        if own is None:
            continue
        parts = every[member]
        # no case moved: its part of the tables by municipality is its row of the release's
        # (``test_members_rows_are_not_built_again``), only the others are made
        made_here = [
            r for r in own if r.rows != "municipality" and not _disclosure._internal_only(r)
        ]
        expected = {r.key: r.to_frame(labels=False) for r in made_here}
        assert [r.key for r in parts if not _disclosure._internal_only(r)] == list(expected)
        for report in parts:
            if report.key == "fte":  # the team's FTE over the months the team's log covers
                continue
            pd.testing.assert_frame_equal(report.to_frame(labels=False), expected[report.key])


# -- a member pinning the team's own time ------------------------------------------------------

BEIARN_CASE = {
    "case": "01/20-BE",
    "date": dt.date(2020, 4, 6),
    "municipality": "Beiarn",
    "category": "user_follow_up",
    "hours": 5.0,
    "staff": 1,
}
TEAM_TIME = {  # the team's own: no case
    "case": None,
    "date": dt.date(2020, 4, 3),
    "municipality": "Felles",
    "category": "administration",
    "hours": 4.0,
    "staff": 1,
}
STEIGEN_CASE = {  # one case of another member
    "case": "01/20-ST",
    "date": dt.date(2020, 4, 3),
    "municipality": "Steigen",
    "category": "collaboration",
    "hours": 4.0,
    "staff": 1,
}


def _april(first: dict[str, object]) -> tuple[e.TimeLog, list[e.Case]]:
    """April 2020: ``first`` and Beiarn's 5 h of user follow-up for its one case; Beiarn and
    Steigen have one accepted case each."""
    frame = pd.DataFrame([first, BEIARN_CASE])
    frame["date"] = pd.to_datetime(frame["date"])
    log = e.TimeLog.from_frame(frame, team=e.teams.salten())
    cases = [
        e.Case.refer(f"01/20-{letters}", on=dt.date(2020, 1, 10), municipality=name).accept(
            on=dt.date(2020, 1, 20)
        )
        for name, letters in (("Beiarn", "BE"), ("Steigen", "ST"))
    ]
    return log, cases


def others_cases_in_april(log: e.TimeLog, member: str) -> set[str]:
    """The oracle, from the raw log: the cases whose April entries make up the other members'
    part of the month's hours for ``member`` (its own entries left out; time tied to no case
    is the team's own). One or two such cases: that part is sensitive for the member."""
    frame = log.to_frame()
    april = frame[(frame["date"].dt.month == 4) & (frame["municipality"].astype(str) != member)]
    return {str(c) for c in april["case"].dropna()}


def test_a_member_that_pins_only_the_teams_own_time_learns_nothing_hidden() -> None:
    """The month's total (9 h) is hidden from a reader: one case's hours are in it. Beiarn
    knows its 5 h, so it reads the others' part, 4 h: the team's administration, which the
    release publishes anyway. The suppression and the audit agree that this is no leak (on
    main the audit flagged it, and the suppression could not cure it); the administration
    cell stays published."""
    log, cases = _april(TEAM_TIME)
    assert others_cases_in_april(log, "Beiarn") == set()  # the oracle: not sensitive
    internal = e.annual_report(log, cases, year=2020, audience="internal")
    published = e.annual_report(log, cases, year=2020)
    monthly = published["monthly"].to_frame(labels=False)
    assert monthly.loc["2020-04", "administration"] == 4.0
    assert monthly.loc["2020-04", "Total"] == HIDDEN
    parts = own_releases(log, cases, members_of(list(internal)), year=2020)
    result = e.tables.audit_release(published, internal=internal, parts=parts)
    assert result.ok, str(result)
    assert leaks(list(published), list(internal), parts.get) == []


def test_a_member_that_pins_another_members_case_is_flagged_and_prevented() -> None:
    """The same month with the 4 h one case of Steigen's: Beiarn, knowing its 5 h, would read
    Steigen's case from the month's total. The release hides it (the audit is ok); a release
    that shows the month's total is flagged, the member named."""
    log, cases = _april(STEIGEN_CASE)
    assert others_cases_in_april(log, "Beiarn") == {"01/20-ST"}  # the oracle: sensitive
    internal = e.annual_report(log, cases, year=2020, audience="internal")
    published = e.annual_report(log, cases, year=2020)
    monthly = published["monthly"].to_frame(labels=False)
    assert (monthly.loc["2020-04"] == HIDDEN).all()
    parts = own_releases(log, cases, members_of(list(internal)), year=2020)
    assert e.tables.audit_release(published, internal=internal, parts=parts).ok
    assert leaks(list(published), list(internal), parts.get) == []

    inside = internal["monthly"]
    hide = {(row, c) for row in ("2020-04", "Total") for c in ("user_follow_up", "collaboration")}
    total_shown = _disclosure._masked(inside, inside.to_frame(labels=False), hide, 3, None)
    shown = attrs.evolve(
        published,
        reports=tuple(total_shown if r.key == "monthly" else r for r in published),
    )
    result = e.tables.audit_release(shown, internal=internal, parts=parts)
    pinned = {(b.table, b.row, b.member) for b in result.determined}
    assert ("collaboration_hours", "Steigen", "Beiarn") in pinned


def _every_table_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """Each member's part read from every table of its own (the way before issue 35's
    fifth round: the tables by municipality built for it too), none of them counted for all
    members at once (``_grouped_parts``)."""
    from ettervern._reports import _annual

    made = _annual._member_tables
    monkeypatch.setattr(_annual, "_GROUPED", frozenset())
    monkeypatch.setattr(
        _annual, "_grouped_parts", lambda _summary, _walked, names, *a, **k: {n: [] for n in names}
    )
    monkeypatch.setattr(
        _annual,
        "_member_tables",
        lambda *args, **kwargs: made(*args, **{**kwargs, "by_rows": True}),
    )


@pytest.mark.parametrize(
    ("name", "asked"),
    [
        ("salten_2020", {}),
        ("salten_2020", {"threshold": 5}),
        ("salten_2020", {"pool": ["Beiarn", "Gildeskål"]}),
        ("jaeren_2019", {"pool_categories": ["individual_plan_work", "work_preparation"]}),
        ("jaeren_2019", {"pool": ["Hå", "Time"]}),
        ("integrated_2025", {}),
        ("salten_2020", {"moved": ("Beiarn", "Meløy")}),
    ],
)
def test_members_rows_are_not_built_again(
    monkeypatch: pytest.MonkeyPatch, name: str, asked: dict[str, Any]
) -> None:
    """A member's part of a table by municipality is its own row of the release (and the
    Total's part that row): the release published without building those tables for each
    member is, cell for cell, the one published from every table of each member, pooled,
    with categories pooled, and with a case that moved (those members built in full)."""
    example, options = _with_sheets(name)
    year = YEARS[name]
    cases = list(example.cases)
    asked = dict(asked)
    if "moved" in asked:
        home, to = asked.pop("moved")
        case = next(c for c in cases if c.municipality.name == home and c.is_accepted)
        assert case.closed_on is not None
        on = case.referred_on + (case.closed_on - case.referred_on) / 2
        cases = [_moved(c, on, to) if c is case else c for c in cases]
    fast = e.annual_report(example.log, cases, year=year, **options, **asked)
    _every_table_built(monkeypatch)
    slow = e.annual_report(example.log, cases, year=year, **options, **asked)
    assert fast.to_dict() == slow.to_dict()
    assert fast.loss == slow.loss


def _unrecorded_at_fauske() -> tuple[e.TimeLog, list[e.Case]]:
    """Seed 3030 of the property above, shrunk: Fauske's one active case records neither age
    nor gender, so its own release has no age and gender table; Steigen's active case records
    a birth year, so the team's has one. Two of the four referrals of unknown source are
    Fauske's, two are Gildeskål's and Meløy's."""
    d = dt.date
    cases = [
        e.Case.refer("04/20-FA", on=d(2020, 8, 28), municipality="Fauske")
        .accept(on=d(2020, 11, 17))
        .close(on=d(2020, 11, 30), reason="completed"),
        e.Case.refer(
            "08/20-FA", on=d(2020, 12, 12), municipality="Fauske", gender="other", birth_year=1998
        ),
        e.Case.refer("02/20-GI", on=d(2020, 2, 5), municipality="Gildeskål"),
        e.Case.refer(
            "01/20-ME", on=d(2020, 10, 19), municipality="Meløy", gender="male", birth_year=1964
        ),
        e.Case.refer(
            "01/20-ST",
            on=d(2020, 8, 4),
            municipality="Steigen",
            source="relatives",
            birth_year=1973,
        ).accept(on=d(2020, 11, 6)),
    ]
    entry = {"case": None, "date": d(2020, 11, 24), "municipality": "Gildeskål"}
    frame = pd.DataFrame([{**entry, "category": "driving", "hours": 8.0, "staff": 3}])
    frame["date"] = pd.to_datetime(frame["date"])
    return e.TimeLog.from_frame(frame, team=e.teams.salten()), cases


def test_a_member_whose_cases_record_no_age_or_gender_keeps_its_part_of_every_table() -> None:
    """On main the release published 4 referrals of unknown source: less Fauske's own 2, the
    other members' 2. Fauske's part of the age and gender table, missing from its own tables,
    was read as 0; that broke the relation to its active cases, and its part of every table
    tied to them (sources, closures, courses, follow-up) was dropped, so the suppression took
    it to know only its rows. The audit, misled the same way, pinned a count at 1 that Fauske
    does not see. Its part is its active cases, all unknown: nothing leaks, the audit is ok.

    The library's parts now hold the table (a member's build makes every table the team's
    cases give, ``_Options.part``; no table is named): the audit is given those. The test's
    own attacker keeps the member's own internal report, which has none."""
    log, cases = _unrecorded_at_fauske()
    internal = list(e.annual_report(log, cases, year=2020, audience="internal"))
    parts = own_releases(log, cases, members_of(internal), year=2020)
    assert "age_and_gender" in {r.key for r in internal}
    assert "age_and_gender" not in {r.key for r in parts["Fauske"]}
    # the oracle, from the cases: the other members' referrals of unknown source are 2
    others = [c for c in cases if c.municipality.name != "Fauske" and c.referral.source is None]
    assert len(others) == 2
    built = e.tables.member_parts(
        log, cases, team=e.teams.salten(), period=2020, audience="internal"
    )
    ages = next(r for r in built["Fauske"] if r.key == "age_and_gender").to_frame(labels=False)
    assert ages.loc["unknown", "unknown"] == 1  # 04/20-FA, accepted and open: nothing recorded
    assert_parts_add_up(log, cases)  # and every other count table's parts

    release = e.annual_report(log, cases, year=2020)
    assert leaks(list(release), internal, parts.get) == []
    result = e.tables.audit_release(release, internal=internal, parts=built)
    assert result.ok, [b for b in result.bounds if b in result.determined + result.below_threshold]


def _one_person_in_two_members() -> tuple[e.TimeLog, list[e.Case]]:
    """Sixteen referrals of 2020 in seven members, eight people (pseudonyms) among them; one
    person with cases in Fauske and Meløy (and others in two members each), so the people
    table's Total is less than its members' rows add up to (found by hypothesis)."""
    d = dt.date.fromisoformat
    members = {"BE": "Beiarn", "FA": "Fauske", "GI": "Gildeskål", "ME": "Meløy"}
    members |= {"SA": "Saltdal", "ST": "Steigen", "SØ": "Sørfold"}
    spec: list[tuple[str, str, str | None, list[tuple[str, str]]]] = [
        ("01/20-BE", "p1", "correctional_service", [("close", "2020-03-27")]),
        ("01/20-FA", "p2", "person", [("accept", "2020-09-09"), ("close", "2020-11-06")]),
        ("02/20-FA", "p3", "person", [("accept", "2021-02-16")]),
        ("03/20-FA", "p4", "person", [("accept", "2020-03-07")]),
        ("04/20-FA", "p5", None, [("accept", "2021-02-22")]),
        ("05/20-FA", "p6", None, [("decline", "2020-10-29")]),
        ("06/20-FA", "p2", None, []),
        ("07/20-FA", "p7", "correctional_service", [("decline", "2020-10-09")]),
        ("01/20-GI", "p8", "person", [("decline", "2021-02-08")]),
        ("02/20-GI", "p6", "institution", [("decline", "2020-09-14")]),
        ("01/20-ME", "p2", None, [("accept", "2020-04-24"), ("close", "2020-06-23")]),
        ("01/20-SA", "p6", "correctional_service", [("close", "2020-09-22")]),
        ("02/20-SA", "p5", "institution", []),
        ("01/20-ST", "p8", None, [("decline", "2020-08-16")]),
        ("02/20-ST", "p4", "other", [("decline", "2021-01-05")]),
        ("01/20-SØ", "p3", "relatives", [("decline", "2020-10-15")]),
    ]
    referred = {
        "01/20-BE": "2020-02-02", "01/20-FA": "2020-07-29", "02/20-FA": "2020-11-23",
        "03/20-FA": "2020-03-04", "04/20-FA": "2020-11-10", "05/20-FA": "2020-06-28",
        "06/20-FA": "2020-01-20", "07/20-FA": "2020-07-16", "01/20-GI": "2020-10-11",
        "02/20-GI": "2020-05-20", "01/20-ME": "2020-01-14", "01/20-SA": "2020-07-29",
        "02/20-SA": "2020-12-01", "01/20-ST": "2020-05-20", "02/20-ST": "2020-11-09",
        "01/20-SØ": "2020-05-05",
    }  # fmt: skip
    cases = []
    for code, person, source, steps in spec:
        case = e.Case.refer(
            code,
            on=d(referred[code]),
            municipality=members[code[-2:]],
            source=source,
            person=("p" + "abcdefghi"[int(person[1])]) * 13,  # 26 characters of a-z
        )
        for kind, on in steps:
            if kind == "close":
                case = case.close(on=d(on), reason="withdrew")
            else:
                case = getattr(case, kind)(on=d(on))
        cases.append(case)
    entry = {"case": "03/20-GI", "date": dt.date(2020, 11, 20), "municipality": "Gildeskål"}
    rows = [{**entry, "category": "driving", "hours": 7.0, "staff": 1}]
    return salten_log(rows), cases


def test_a_person_in_two_members_leaves_each_member_its_part_of_every_table() -> None:
    """On main the release published 4 referrals by the person themself: Fauske, knowing 3
    are its own, read the other members' 1. A person with cases in Fauske and Meløy made
    Fauske's part of the people table break a relation (the Total less Meløy's row), and its
    part of every table tied to it, through the cases table to the sources, was dropped: the
    suppression took Fauske to know its rows only. The part is kept, the relation taken as
    the cells obey it (``_solver.Unlike``): nothing leaks, and the audit told the parts
    agrees."""
    log, cases = _one_person_in_two_members()
    internal = list(e.annual_report(log, cases, year=2020, audience="internal"))
    sources = next(r for r in internal if r.key == "referral_sources").to_frame(labels=False)
    assert sources.loc["person", "referrals"] == 4  # the oracle, from the spec: 3 at Fauske
    fauske = [c for c in cases if c.municipality.name == "Fauske"]
    assert sum(c.referral.source == "person" for c in fauske) == 3
    parts = own_releases(log, cases, members_of(internal), year=2020)

    release = e.annual_report(log, cases, year=2020)
    assert leaks(list(release), internal, parts.get, (log, cases)) == []
    holds(release, internal, parts, (log, cases))


# -- cases that moved between members ----------------------------------------------------------

MEMBERS = sorted(s.SALTEN_MEMBERS)


@st.composite
def moved(draw: st.DrawFn, cases: list[e.Case]) -> list[e.Case]:
    """``cases`` with one or two moves drawn for some of them, to any member, on or after the
    referral (the history refuses a move to where the person lives)."""
    out = []
    for case in cases:
        now = case
        for _ in range(draw(st.sampled_from([0, 0, 1, 2]))):
            on = case.referred_on + dt.timedelta(days=draw(st.integers(0, 240)))
            try:
                now = now.move(draw(st.sampled_from(MEMBERS)), on=on)
            except e.errors.PathwayError:
                continue
        out.append(now)
    return out


def _moved_in_at_steigen() -> tuple[e.TimeLog, list[e.Case]]:
    """Fauske's twelve accepted cases, three from each of four sources; the first, referred
    by relatives and recording neither age nor gender, moved to Steigen in June. Steigen has
    no case of its own: it knows the moved one, all of it."""
    d = dt.date
    sources = ["relatives", "gp", "nav", "person"]
    cases = []
    for number in range(1, 13):
        known = {"birth_year": 1960 + 3 * number, "gender": ("male", "female")[number % 2]}
        case = e.Case.refer(
            f"{number:02d}/20-FA",
            on=d(2020, 1, 5) + dt.timedelta(days=7 * number),
            municipality="Fauske",
            source=sources[(number - 1) // 3],
            **({} if number == 1 else known),
        ).accept(on=d(2020, 3, 1) + dt.timedelta(days=3 * number))
        cases.append(case.move("Steigen", on=d(2020, 6, 1)) if number == 1 else case)
    entry = {"case": None, "date": d(2020, 11, 24), "municipality": "Fauske"}
    frame = pd.DataFrame([{**entry, "category": "driving", "hours": 8.0, "staff": 1}])
    frame["date"] = pd.to_datetime(frame["date"])
    return e.TimeLog.from_frame(frame, team=e.teams.salten()), cases


def test_a_member_a_case_moved_to_keeps_its_part_of_every_table() -> None:
    """On main the release published 3 referrals by relatives: Steigen, knowing that its one
    case (moved from Fauske) is one of them, read the other members' 2. Its case records no
    age or gender, so its own release has no age and gender table, and its part there was
    taken from its row of the cases table, where the moved case is not (it is Fauske's row):
    0, against its 1 active case; that broke the relation to the active cases, and its part
    of every table tied to them was dropped. Its part is its active cases, the moved one
    among them: the suppression hides the relatives' count, the audit is ok."""
    log, cases = _moved_in_at_steigen()
    internal = list(e.annual_report(log, cases, year=2020, audience="internal"))
    parts = own_releases(log, cases, members_of(internal), year=2020)
    # the oracle, from the cases: Steigen knows one referral by relatives; the others have 2
    mine = [c for c in cases if belonged(c, "Steigen")]
    assert [str(c.referral.source) for c in mine] == ["relatives"]
    others = [
        c for c in cases if not belonged(c, "Steigen") and str(c.referral.source) == "relatives"
    ]
    assert len(others) == 2

    release = e.annual_report(log, cases, year=2020)
    sources = release["referral_sources"].to_frame(labels=False)
    assert sources.loc["relatives", "referrals"] == HIDDEN
    holds(release, internal, parts, (log, cases))


@settings(
    max_examples=4,  # each example publishes a year with hours and attacks it per member
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(s.salten_logs, s.small_case_sets(years=(2020,)), st.data())
@seed(3032)
def test_random_teams_whose_cases_move_hold_against_every_member(
    rows: list[dict[str, object]], cases: list[e.Case], data: st.DataObject
) -> None:
    """Nine members of 0–2 cases each (Fauske up to 8), some of the cases moving once or
    twice between members: each member the case lived in knows it in full (its closure
    reports) and the hours logged to it, and learns nothing of the others below the
    threshold; the audit, told the members' parts, agrees. No member's part breaks a
    relation: where a case moves, each member's part is its cases' (``_solver.Unlike``)."""
    from ettervern._reports import _solver

    cases = data.draw(moved(cases))
    log = salten_log(rows)
    internal = list(e.annual_report(log, cases, year=2020, audience="internal"))
    failed: list[Any] = []
    measure = _solver._unlike

    def failing(*args: Any) -> Any:
        failed.append(measure(*args))
        return failed[-1]

    with mock.patch.object(_solver, "_unlike", failing):
        release = e.annual_report(log, cases, year=2020)
    assert not any(u.any() for u in failed), failed

    parts = own_releases(log, cases, members_of(internal), year=2020)
    holds(release, internal, parts, (log, cases))


# Salten 2020 passes too (run once; 3–4 min under the shared load): its single moves are
# checked by ``test_a_case_that_moved_is_known_to_both_members``.
@pytest.mark.parametrize("name", ["jaeren_2019"])
def test_a_bundled_year_with_moves_to_small_members_holds_against_every_member(name: str) -> None:
    """The bundled year with two closed cases of its largest member moving, halfway through
    their follow-up, one to each of the two smallest members of the whole year (by cases),
    and one of theirs to the largest: every member a case lived in knows it in full; no
    member pins or narrows another's part, and the audit told the parts agrees."""
    example = getattr(e.examples, name)()
    year = YEARS[name]
    cases = list(example.cases)
    whole_year = [
        m.municipality.name
        for m in example.team.members
        if m.active_on(dt.date(year, 1, 1)) and m.active_on(dt.date(year, 12, 31))
    ]
    count = dict.fromkeys(sorted(whole_year), 0)
    for case in cases:
        if case.municipality.name in count:
            count[case.municipality.name] += 1
    largest, *_, second, smallest = sorted(count, key=lambda m: (-count[m], m))
    accepted = [c for c in cases if c.is_accepted and c.closed_on is not None]
    chosen = {
        str(c.code): to
        for c, to in zip(
            [c for c in accepted if c.municipality.name == largest][:2]
            + [c for c in accepted if c.municipality.name in (second, smallest)][:1],
            [second, smallest, largest],
            strict=False,
        )
        if c.municipality.name != to
    }
    for i, case in enumerate(cases):
        if str(case.code) in chosen:
            assert case.closed_on is not None
            on = case.referred_on + (case.closed_on - case.referred_on) / 2
            cases[i] = _moved(case, on, chosen[str(case.code)])
    assert chosen
    internal = e.annual_report(example.log, cases, year=year, audience="internal")
    published = e.annual_report(example.log, cases, year=year)
    parts = own_releases(example.log, cases, members_of(list(internal)), year=year)
    holds(published, internal, parts, (example.log, cases))


# -- a person with cases in two members ---------------------------------------------------------


def _one_person_in_beiarn_and_meloy(example: e.examples.Example) -> list[e.Case]:
    """Salten 2020 with its Beiarn case and its Meløy case one person's."""
    cases = list(example.cases)
    at = [
        next(i for i, c in enumerate(cases) if c.municipality.name == m)
        for m in ("Beiarn", "Meløy")
    ]
    for i in at:
        cases[i] = attrs.evolve(cases[i], person=s.fake_pseudonym(7))
    return cases


def test_a_person_in_two_members_is_protected_in_both(example: e.examples.Example) -> None:
    """On main the published release of this year raised («the published tables contradict
    each other») when audited, and the protection had solved with a relation its own figures
    broke (people by municipality adding up to the total): the tables of people are in two
    rows for this person and in the total once. Both members know the person's case of
    their own; no member learns anything of the others below the threshold, and the audit,
    told the members' parts, agrees."""
    cases = _one_person_in_beiarn_and_meloy(example)
    internal = list(
        e.annual_report(example.log, cases, team=example.team, year=2020, audience="internal")
    )
    assert counted_twice(internal)  # the oracle: rows of people add up to more than the total
    release = e.annual_report(example.log, cases, team=example.team, year=2020)
    parts = own_releases(example.log, cases, members_of(internal), year=2020)
    holds(release, internal, parts, (example.log, cases))


@settings(
    max_examples=3,  # each example publishes a year with hours and attacks it per member
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(s.salten_logs, s.small_case_sets(years=(2020,)), st.data())
def test_random_teams_with_people_in_two_members_hold_against_every_member(
    rows: list[dict[str, object]], cases: list[e.Case], data: st.DataObject
) -> None:
    """Nine members of 0–2 cases each, some people with two or three cases in one member or
    in two, some with plans: no member learns anything of the others below the threshold."""
    cases = data.draw(s.people_in_two_places(cases))
    holds_for_every_member(salten_log(rows), cases)
