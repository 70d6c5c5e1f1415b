"""The relations disclosure control knows are all the relations the count tables obey.

Written apart from ``_reports/_definitions.py``: this test does not read the definitions. Over
many random internal releases it searches every pair of count columns across all tables (and
sums of two columns of one table) for equalities and inequalities that hold in every row of
every release, then asks whether the model the library derives implies each (a linear
program: can the model make the relation fail?). A table added without its definitions, or a
definition that leaves a relation out, fails here with the relation named.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
from collections.abc import Iterable
from pathlib import Path

import attrs
import numpy as np
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern._reports._audit import _release_model  # the model under test
from ettervern._reports._definitions import (
    TABLES,
    Cell,
    Magnitude,
    _containing,
    _contains,
    define,
    define_magnitude,
    derive,
)
from tests import strategies as s

scipy_optimize = pytest.importorskip("scipy.optimize")

YEARS = {"salten_2020": 2020, "jaeren_2019": 2019, "integrated_2025": 2025}
Column = tuple[str, str]  # (table, column or "a+b")
MUNICIPALITY_TABLES = {
    "cases",
    "follow_up_summary",
    "three_month_checks",
    "courses",
    "course_length",
    "hours_per_person",
    "plans_and_coordinators",
    "outcome_flags",
    "group_attendance",  # rows are months: only its total row meets the others
}
COUNTS = {
    "group_attendance": {"people"},
    "follow_up_summary": {"cases", "beyond_target"},
    "courses": {"courses", "completed", "aborted", "ended_otherwise", "ongoing"},
    "course_length": {"closed"},
    "hours_per_person": {"people"},
    "plans_and_coordinators": {"people", "with_plan", "with_coordinator"},
}


WITNESSES = 4

PEOPLE = {("hours_per_person", "people"), ("plans_and_coordinators", "people")}
WITH_LENGTH = {("course_length", "closed"), ("follow_up_summary", "cases")}
ACTIVE = {("cases", "active"), ("courses", "courses")}
NEW_IN_PERIOD = {("cases", "accepted"), ("cases", "referrals")}


FLAGS = {"ordinary_work", "education", "residential_treatment", "relapse"}


def _by_chance(kind: str, a: Column, b: Column) -> bool:
    """Relations the samples obey that the definitions do not, and what would break them."""
    if FLAGS & {*a[1].split("+"), b[1]}:
        return True  # outcome flags are rare in the samples: their coincidences are many
    if b in PEOPLE or (kind == "eq" and a in PEOPLE):
        return True  # one case per person in the samples; two cases of one person: people < active
    if a[0] == "three_month_checks" and (b in ACTIVE or b[0] == "three_month_checks"):
        return True  # sample checks fall in the year of their closure: a January check does not
    if a[0] == "courses" and b[0] == "three_month_checks":
        return True  # sample cases closed early in the year have their check due in it
    if b in NEW_IN_PERIOD:
        return True  # few sample cases cross the new year: closed in 2021, referred in 2020
    # nobody in the samples is closed while still inside (then no follow-up length)
    return b in WITH_LENGTH or (kind == "eq" and a in WITH_LENGTH)


def _log() -> e.TimeLog:
    frame = pd.DataFrame(
        {
            "case": [None],
            "date": [pd.Timestamp("2021-03-02")],
            "municipality": ["Felles"],
            "category": ["supervision"],
            "hours": [1.0],
        }
    )
    return e.TimeLog.from_frame(frame, team=e.teams.salten())


def _groups(cases: list[e.Case]) -> e.events.GroupLog:
    """Sessions on the 1st and 15th of each month of 2021: of the cases open that day
    (accepted, not closed), those whose number and month allow it come."""
    sessions = []
    for month in range(1, 13):
        for day in (dt.date(2021, month, 1), dt.date(2021, month, 15)):
            came = [
                str(c.code)
                for c in cases
                if c.accepted_on is not None
                and c.accepted_on <= day
                and c.phase_on(day) in (e.Phase.FOLLOW_UP, e.Phase.IN_INSTITUTION)
                and (c.code.number + month) % 3 != 0
            ]
            sessions.append(e.events.GroupSession(day, "group_offer", came))
    return e.events.GroupLog(sessions)


def _release(cases: list[e.Case]) -> list[e.Report]:
    annual = e.annual_report(_log(), cases, year=2021, audience="internal", groups=_groups(cases))
    return [r for r in annual if r.key != "follow_up_length"]


def _edges() -> list[list[e.Case]]:
    """Case sets that break what thin random samples obey by chance, each seen in a few
    releases (``WITNESSES``), as the real pathways of the bundled years do.

    - a case closed in November 2020 has its three-month check due in 2021, the year of the
      report, with no closure in it: checks due > closed;
    - a course aborted after three weeks is not beyond the follow-up target: aborted >
      beyond target.
    """
    out = []
    for copy in range(WITNESSES):
        late = e.Case.refer(f"{copy + 1:02d}/20-FA", on=dt.date(2020, 9, 1), municipality="Fauske")
        late = late.accept(on=dt.date(2020, 9, 2)).close(
            on=dt.date(2020, 11, 20), reason=e.ClosureReason.COMPLETED
        )
        short = e.Case.refer(f"{copy + 1:02d}/21-FA", on=dt.date(2021, 2, 1), municipality="Fauske")
        short = short.accept(on=dt.date(2021, 2, 2)).close(
            on=dt.date(2021, 2, 23), reason=e.ClosureReason.ABORTED
        )
        out.append([late, short])
    return out


def _rows(release: Iterable[e.Report]) -> dict[str, dict[Column, float]]:
    """Per row key (a municipality, or ``Total``): every count column's value, sums of two."""
    out: dict[str, dict[Column, float]] = {}
    for report in release:
        if report.key not in MUNICIPALITY_TABLES:
            continue
        frame = report.to_frame(labels=False).fillna(0.0)
        wanted = COUNTS.get(report.key)
        columns = [str(c) for c in frame.columns if wanted is None or str(c) in wanted]
        for row in map(str, frame.index):
            line = out.setdefault(row, {})
            for column in columns:
                line[(report.key, column)] = float(frame.loc[row, column])
            for a, b in itertools.combinations(columns, 2):
                line[(report.key, f"{a}+{b}")] = float(frame.loc[row, a] + frame.loc[row, b])
    return out


def _always(examples: list[dict[str, dict[Column, float]]]) -> set[tuple[str, Column, Column]]:
    """Relations (``eq`` or ``le``) between columns that hold in every row of every example and
    are witnessed by a non-zero value at least once."""
    live = {c for ex in examples for line in ex.values() for c, v in line.items() if v > 0}
    # A column never above zero in the random data says nothing; a sum with one is a single.
    names = sorted(c for c in live if all((c[0], part) in live for part in c[1].split("+")))
    singles = [c for c in names if "+" not in c[1]]
    holds = {(k, a, b) for a in names for b in singles if a != b for k in ("eq", "le")}
    seen: dict[tuple[str, Column, Column], int] = {}
    for example in examples:
        witnessed = set()
        for line in example.values():
            for kind, a, b in list(holds):
                x, y = line.get(a, 0.0), line.get(b, 0.0)
                if (kind == "eq" and x != y) or (kind == "le" and x > y):
                    holds.discard((kind, a, b))
                elif x > 0:
                    witnessed.add((kind, a, b))
        for relation in witnessed:
            seen[relation] = seen.get(relation, 0) + 1
    # Seen in a few releases at least: a coincidence of one small sample is not a relation.
    return {r for r in holds if seen.get(r, 0) >= WITNESSES and not _by_chance(*r)}


def _terms(size: int, parts: Iterable[int], whole: int) -> np.ndarray:
    """The vector of sum(parts) - whole."""
    vector = np.zeros(size)
    vector[whole] -= 1
    for p in parts:
        vector[p] += 1
    return vector


def _implied(release: list[e.Report], row: str, kind: str, a: Column, b: Column) -> bool:
    """Whether the library's model of ``release`` forces ``a <= b`` (both ways for ``eq``)."""
    model = _release_model(release)
    n = len(model.keys)
    size = n + len(model.subsets)
    equal = [_terms(size, parts, whole) for whole, parts in model.lines]
    upper = [_terms(size, parts, whole) for whole, parts in model.subsets]
    # people: the total is at most the rows' sum
    upper += [-_terms(size, parts, whole) for whole, parts in model.covers]

    def vector(column: Column) -> np.ndarray:
        out = np.zeros(size)
        for name in column[1].split("+"):
            i = model.index.get((column[0], row, name))
            if i is not None:
                out[i] += 1
        return out

    directions = [(a, b)] if kind == "le" else [(a, b), (b, a)]
    for first, second in directions:
        objective = -(vector(first) - vector(second))  # maximise first - second
        result = scipy_optimize.linprog(
            objective,
            A_eq=np.array(equal) if equal else None,
            b_eq=np.zeros(len(equal)) if equal else None,
            A_ub=np.array(upper) if upper else None,
            b_ub=np.zeros(len(upper)) if upper else None,
            bounds=[(0, 10)] * size,
        )
        if result.status != 0 or -result.fun > 1e-7:
            return False
    return True


def test_every_relation_the_tables_obey_is_in_the_model() -> None:
    releases: list[list[e.Report]] = []

    # The same samples in every profile: which coincidences thin random data obeys is itself
    # random, and a search over them is a check only when its sample is fixed (the dev
    # profile's seed once found a chance relation here). The fixed releases of ``_edges``
    # break the coincidences such samples obey.
    @settings(
        max_examples=40,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
        derandomize=True,
        database=None,
    )
    @given(s.small_case_sets())  # 2020 and 2021; the report is of 2021
    def collect(cases: list[e.Case]) -> None:
        if any(c.is_accepted for c in cases):
            releases.append(_release(cases))

    collect()
    assert len(releases) >= 10
    releases += [_release(cases) for cases in _edges()]
    # The bundled years too: real pathways (pseudonyms, stays, checks) break relations that
    # only the random cases' simple lives obey.
    for name, year in YEARS.items():
        example = getattr(e.examples, name)()
        internal = e.annual_report(
            example.log,
            example.cases,
            team=example.team,
            year=year,
            audience="internal",
            groups=example.groups,
        )
        releases.append([r for r in internal if r.key != "follow_up_length"])
    examples = [_rows(release) for release in releases]
    relations = _always(examples)
    assert ("eq", ("courses", "courses"), ("cases", "active")) in relations  # the search works
    missing = []
    for kind, a, b in sorted(relations):
        for release, example in zip(releases, examples, strict=True):
            witness = next((r for r, line in example.items() if line.get(a, 0.0) > 0), None)
            if witness is not None:
                if not _implied(release, witness, kind, a, b):
                    missing.append(f"{a} {'==' if kind == 'eq' else '<='} {b} (row {witness})")
                break
    assert not missing, "relations the model does not imply:\n" + "\n".join(missing)


# -- today's suppression pattern, attacked with the derived model ----------------------------

MAIN_PATTERN = Path(__file__).parent / "data" / "main_pattern_2026-12.json"
"""The cells main hid (commit 98c8123) in the three bundled years, before the model was derived."""


def _with_pattern(name: str) -> list[e.Report]:
    example = getattr(e.examples, name)()
    internal = e.annual_report(
        example.log, example.cases, team=example.team, year=YEARS[name], audience="internal"
    )
    pattern = json.loads(MAIN_PATTERN.read_text(encoding="utf-8"))[name]
    return [
        attrs.evolve(r, suppressed=frozenset(map(tuple, pattern.get(r.key, []))), threshold=3)
        for r in internal
        if r.key != "follow_up_length"
    ]


def test_the_pattern_on_main_fails_the_derived_audit() -> None:
    """The four relations of issue 30 pin cells main hid: the new audit says so."""
    salten = e.tables.audit_release(_with_pattern("salten_2020"), threshold=3)
    assert not salten.ok
    pinned = {(b.table, b.row, b.column) for b in salten.determined}
    # courses = active, people <= active, closed in course length <= closed (issue 30)
    assert {("cases", "Gildeskål", "active"), ("cases", "Meløy", "active")} <= pinned
    assert ("cases", "Gildeskål", "closed") in pinned
    assert {"courses", "hours_per_person", "plans_and_coordinators", "course_length"} <= set(
        salten.definitions
    )
    integrated = e.tables.audit_release(_with_pattern("integrated_2025"), threshold=3)
    assert ("cases", "Randaberg", "active") in {
        (b.table, b.row, b.column) for b in integrated.determined
    }
    assert not e.tables.audit_release(_with_pattern("jaeren_2019"), threshold=3).ok


def test_a_period_function_returns_the_published_view() -> None:
    """people, courses, lengths, plans and deadlines: published unless asked otherwise."""
    example = e.examples.salten_2020()
    period = (dt.date(2020, 1, 1), dt.date(2020, 12, 31))
    counted = {
        e.tables.course_report: ["courses", "completed", "aborted", "ended_otherwise", "ongoing"],
        e.tables.course_length_report: ["closed"],
        e.tables.plans_report: ["people", "with_plan", "plan_missing", "with_coordinator"],
    }
    for function, columns in counted.items():
        published = function(example.cases, team=example.team, period=period)
        internal = function(example.cases, team=example.team, period=period, audience="internal")
        shown = published.to_frame(labels=False)[columns]
        assert not ((shown == 1) | (shown == 2)).any().any(), function.__name__
        raw = internal.to_frame(labels=False)[columns]
        assert ((raw == 1) | (raw == 2)).any().any(), function.__name__


@pytest.mark.parametrize("name", list(YEARS))
def test_no_hours_cell_shown_comes_from_one_or_two_cases(name: str) -> None:
    """Every hours or entries cell by municipality and category that is shown holds the time of
    no case (the team's own) or of three cases or more; the team's totals still show."""
    example = getattr(e.examples, name)()
    published = e.annual_report(example.log, example.cases, team=example.team, year=YEARS[name])
    assert e.tables.audit_release(published).ok
    log = example.log.to_frame()
    log = log[log["date"].dt.year == YEARS[name]]
    cases = log[log["case"].notna()].groupby(["municipality", "category"], observed=True)["case"]
    distinct = {(str(m), str(c)): n for (m, c), n in cases.nunique().items()}
    checked = 0
    for report in published:
        if report.unit not in ("hours", "entries") or report.rows != "municipality":
            continue
        if report.columns != "category":
            continue
        shown = report.to_frame(labels=False)
        for row in map(str, shown.index):
            for column in map(str, shown.columns):
                value = shown.loc[row, column]
                if row == "Total" or column == "Total" or value == ":" or pd.isna(value):
                    continue
                checked += 1
                assert distinct.get((row, column), 0) not in (1, 2), (report.key, row, column)
    assert checked > 0
    if name == "salten_2020":
        keys = ("user_follow_up", "driving", "collaboration_entries")
        totals = {k: published[k].to_frame(labels=False).loc["Total", "Total"] for k in keys}
        # user follow-up less one member's own hours is too few cases: hidden (issue 30)
        assert (totals["user_follow_up"], totals["driving"]) == (":", 137)
        assert totals["collaboration_entries"] == 200


# -- every relation the model claims holds on the true figures ---------------------------------


def _broken(release: list[e.Report]) -> list[str]:
    """The relations of the model of ``release``'s true figures that its figures break."""
    from ettervern._reports._disclosure import _build

    model, _ = _build(release)
    v = np.array(model.values, dtype="float64")

    def name(cells: Iterable[int]) -> str:
        return ", ".join(f"{model.keys[i]}={v[i]:g}" for i in cells)

    out = [f"== {name((w, *p))}" for w, p in model.lines if v[w] != v[list(p)].sum()]
    out += [f">= {name((w, *p))}" for w, p in model.subsets if v[w] < v[list(p)].sum()]
    out += [f"<= {name((w, *p))}" for w, p in model.covers if v[w] > v[list(p)].sum()]
    return out


@settings(
    max_examples=25,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(s.small_case_sets(), st.data())
def test_every_relation_holds_where_people_have_cases_in_two_municipalities(
    cases: list[e.Case], data: st.DataObject
) -> None:
    """People with two or three cases, in one municipality or in two, and plans made in some
    of them: each relation derived from the definitions holds on the tables' own figures
    (main said the people of a table by municipality add up to its total, and a person
    missing a plan in one row to be among those missing one in the total)."""
    cases = data.draw(s.people_in_two_places(cases))
    assert _broken(_release(cases)) == []


def test_a_person_in_two_municipalities_is_once_in_the_total_and_in_both_rows() -> None:
    """The oracle, from the cases: one person, a case in Beiarn without a plan and one in
    Meløy with a plan, counts in both rows and once in the total, with a plan there."""
    person = s.fake_pseudonym(1)
    made = []
    for code, place in (("01/21-BE", "Beiarn"), ("01/21-ME", "Meløy")):
        case = e.Case.refer(code, on=dt.date(2021, 2, 1), municipality=place, person=person)
        made.append(case.accept(on=dt.date(2021, 2, 2)))
    made[1] = made[1].complete("individual_plan", on=dt.date(2021, 3, 1))
    release = _release(made)
    plans = {r.key: r for r in release}["plans_and_coordinators"].to_frame(labels=False)
    assert plans.loc["Beiarn", "people"] == plans.loc["Meløy", "people"] == 1
    assert plans.loc["Total", "people"] == 1
    assert plans.loc["Beiarn", "plan_missing"] == 1
    assert plans.loc["Total", "plan_missing"] == 0
    assert plans.loc["Total", "with_plan"] == 1
    assert _broken(release) == []


def test_a_definition_that_does_not_match_its_report_stops_the_release(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """With how a person's facts are decided across cases forgotten (``ACROSS_CASES``: two
    episodes in two municipalities make a person with several episodes in the total and in
    neither row), the model claims the total is at most the rows' sum; the figures break it.
    Publishing refuses, naming the cause, instead of protecting with a false relation (which
    left the cells it touched unprotected, silently)."""
    from ettervern._reports import _definitions

    person = s.fake_pseudonym(2)
    made = []
    for code, place in (("01/21-BE", "Beiarn"), ("01/21-ME", "Meløy"), ("02/21-ME", "Meløy")):
        case = e.Case.refer(code, on=dt.date(2021, 2, 1), municipality=place)
        made.append(attrs.evolve(case.accept(on=dt.date(2021, 2, 2)), person=person))
    made[2] = attrs.evolve(made[2], person=s.fake_pseudonym(3))
    e.annual_report(_log(), made, year=2021)  # as the definitions stand: published
    monkeypatch.setattr(_definitions, "ACROSS_CASES", {})
    with pytest.raises(e.errors.InvalidValueError, match="does not match the report"):
        e.annual_report(_log(), made, year=2021)


def test_a_person_with_an_outcome_in_two_municipalities_is_one_in_the_total() -> None:
    """The oracle, from the cases: one person's two closures, in Beiarn and in Meløy, each
    with ordinary work: one person in each row and one in the total (main added the rows: 2)."""
    person = s.fake_pseudonym(4)
    made = []
    for code, place in (("01/21-BE", "Beiarn"), ("01/21-ME", "Meløy")):
        case = e.Case.refer(code, on=dt.date(2021, 2, 1), municipality=place, person=person)
        made.append(
            case.accept(on=dt.date(2021, 2, 2)).close(
                on=dt.date(2021, 5, 3),
                reason="completed",
                outcome=e.Outcome(flags=["ordinary_work"]),
            )
        )
    flags = {r.key: r for r in _release(made)}["outcome_flags"].to_frame(labels=False)
    assert flags.loc["Beiarn", "ordinary_work"] == flags.loc["Meløy", "ordinary_work"] == 1
    assert flags.loc["Total", "ordinary_work"] == 1
    assert pd.isna(flags.loc["Total", "education"])  # no one: blank, as the rows


# -- the containments of a release, found for every pair at once --------------------------


def _every_definition() -> list[Cell]:
    """A cell of each table's each column in two rows and the Total, in two periods, and
    hours cells: every kind of definition ``derive`` meets, persons and cases side by side."""
    rows = {"municipality": ["Beiarn", "Fauske"], "age": ["18-24"], "source": ["doctor"]}
    cells: list[Cell] = []
    for period in ("", "2020"):
        for key, spec in TABLES.items():
            wanted = rows.get(spec.row_dimension or "", ["Total", "2020-03"])
            columns = [c for c in spec.columns if c != "*"] or ["female", "Total"]
            for row, column in itertools.product([*wanted, "Total"], columns):
                cell = define(key, row, column, period)
                if cell is not None and cell not in cells:
                    cells.append(cell)
        hours = Magnitude("hours", "municipality", 2)
        for row in ("Beiarn", "Total"):
            found = define_magnitude(hours, row, "travel", period)
            assert found is not None
            cells.append(found)
    return cells


def test_the_containments_found_at_once_are_those_of_each_pair() -> None:
    """``_containing`` (every pair, as bits) says what ``_contains`` says of each pair."""
    cells = _every_definition()
    assert any(c.kind == "person" for c in cells) and len(cells) > 100
    at_once = _containing(cells)
    each = np.array([[_contains(w, p) for p in cells] for w in cells])
    assert each.any()  # the check compares something
    assert (at_once == each).all()


def test_a_release_without_count_cells_has_no_relations() -> None:
    relations = derive([])
    assert (relations.sums, relations.at_most, relations.covers) == ([], [], [])
    assert not _containing([]).size
