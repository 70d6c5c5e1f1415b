"""What each published count cell counts, and the relations between cells that follow from it.

Every count cell of the release is a set of records that satisfy its **definition**: the kind of
record (a case, including referrals never accepted, or a distinct person), a conjunction of
facts about it in the period (``active``, ``ended``, ``course:completed``, …) and the values of
the dimensions its row and column stand for (``municipality=Fauske``, ``gender=female``). From
these definitions, and a short list of facts that imply others (closed ⇒ accepted), the
relations an attacker can use are derived instead of listed by hand:

- **equal**: two cells with the same definition (``courses`` in the courses table and ``active``
  in the cases table, per municipality);
- **sum**: a cell is the sum of the cells that split it by one more dimension or by an
  exhaustive set of mutually exclusive facts (a total row; the four states of a course);
- **cover**: a count of people split by a dimension of their cases is at most the sum of its
  parts (a person followed in two municipalities is in both rows and once in the total);
- **at most**: a cell whose records are among another's (``people`` ≤ ``active``;
  ``closed`` in course length ≤ ``closed`` in the cases table), or mutually exclusive cells
  within one (improved + worse ≤ cases).

This is SSB's model-matrix view of linked tables (GaussSuppression, ``yPublish =
crossprod(x, yInner)``, where each published cell is a sum of inner cells of the microdata),
reached through the definitions rather than through an enumerated cross-classification: the
facts here have too many combinations to enumerate, and the attacker never needs them all.
A new table brings its relations with it by declaring its columns in ``TABLES``.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any

import attrs
import numpy as np

__all__ = [
    "TABLES",
    "Cell",
    "Definition",
    "Magnitude",
    "Relations",
    "TableDefinition",
    "define",
    "define_magnitude",
    "derive",
    "magnitude_of",
]

TOTAL = "Total"


@attrs.frozen
class Definition:
    """What a count column counts: the kind of record and the facts it must satisfy."""

    facts: frozenset[str]
    kind: str = "case"
    """``case`` (every referral is a case record; accepted or not is a fact) or ``person``."""


def _case(*facts: str) -> Definition:
    return Definition(frozenset(facts))


def _person(*facts: str) -> Definition:
    return Definition(frozenset(facts), kind="person")


@attrs.frozen
class TableDefinition:
    """The definitions of one kind of table's count cells, by report key."""

    columns: Mapping[str, Definition]
    """Count column → definition; ``*``: every column (then ``column_dimension`` names it)."""
    row_dimension: str | None = "municipality"
    """The dimension the rows stand for (``Total`` is the row without it); None: see below."""
    row_fact: str | None = None
    """When rows are not a partition (a case counts in several life domains): each row adds
    the fact ``row_fact.format(row=…)`` and every column's facts are formatted with the row."""
    column_dimension: str | None = None
    """The dimension the columns stand for, when ``columns`` is ``*``."""
    source: str = ""
    """Where the definition is implemented (the report function), for the audit's account."""


_FLAGS = ("ordinary_work", "education", "residential_treatment", "relapse")

TABLES: dict[str, TableDefinition] = {
    "cases": TableDefinition(
        {
            "referrals": _case("referred"),
            "accepted": _case("accepted_in_period"),
            "active": _case("active"),
            "closed": _case("ended", "accepted"),
            "in_institution": _case("in_institution"),
        },
        source="cases_report",
    ),
    "age_and_gender": TableDefinition(
        {"*": _case("active")},
        row_dimension="age",
        column_dimension="gender",
        source="demographics_report",
    ),
    "follow_up_summary": TableDefinition(
        {"cases": _case("has_length"), "beyond_target": _case("beyond_target")},
        source="follow_up_report",
    ),
    "three_month_checks": TableDefinition(
        {
            "checks_due": _case("checks_due"),
            "checks_done": _case("checks_done"),
            "contact_reached": _case("contact_reached"),
            **{flag: _case(f"check_flag:{flag}") for flag in _FLAGS},
        },
        source="check_report",
    ),
    "life_domains": TableDefinition(
        {
            "cases": _case("scored:{row}"),
            "improved": _case("improved:{row}"),
            "worse": _case("worse:{row}"),
        },
        row_dimension=None,
        row_fact="scored:{row}",
        source="life_domain_report",
    ),
    "referral_sources": TableDefinition(
        {"referrals": _case("referred"), "accepted": _case("referred", "accepted")},
        row_dimension="source",
        source="source_report",
    ),
    "closure_reasons": TableDefinition(
        {"cases": _case("ended", "accepted"), "referrals": _case("ended", "not_accepted")},
        row_dimension="reason",
        source="reason_report",
    ),
    "courses": TableDefinition(
        {
            "courses": _case("active"),
            **{
                s: _case(f"course:{s}")
                for s in ("completed", "aborted", "ended_otherwise", "ongoing")
            },
        },
        source="course_report",
    ),
    "course_length": TableDefinition(
        {"closed": _case("has_length")}, source="course_length_report"
    ),
    "hours_per_person": TableDefinition(
        {"people": _person("active")}, source="hours_per_person_report"
    ),
    "plans_and_coordinators": TableDefinition(
        {
            "people": _person("active"),
            "with_plan": _person("active", "with_plan"),
            "plan_declined": _person("active", "plan_declined"),
            "plan_missing": _person("active", "plan_missing"),
            "with_coordinator": _person("active", "with_coordinator"),
        },
        source="plans_report",
    ),
    "outcome_flags": TableDefinition(
        {flag: _person(f"outcome:{flag}") for flag in _FLAGS}, source="outcome_flags_report"
    ),
    "consent_and_goals": TableDefinition(
        {
            "cases": _case("active"),
            "with_consent": _case("active", "with_consent"),
            "with_goal": _case("active", "with_goal"),
            "goal_met": _case("active", "goal_met"),
        },
        source="consent_goals_report",
    ),
    # people at a group offer in a month (a person comes in several months: rows are no
    # partition); the total row, "attended:Total", is those who came at all in the period
    "group_attendance": TableDefinition(
        {"people": _person("attended:{row}")},
        row_dimension=None,
        row_fact="attended:{row}",
        source="group_attendance_report",
    ),
    "people": TableDefinition(
        {
            "episodes": _case("active"),
            "people": _person("active"),
            "people_several_episodes": _person("active", "several_episodes"),
        },
        source="people_report",
    ),
    # a year's open cases and people (a case open in two years counts in each: no partition)
    "people_by_year": TableDefinition(
        {
            "episodes": _case("active_in:{row}"),
            "people": _person("active_in:{row}"),
            "people_several_episodes": _person("active_in:{row}", "several_episodes"),
        },
        row_dimension=None,
        row_fact="active_in:{row}",
        source="people_by_year",
    ),
    # the people a member of staff followed (two staff share a person: no partition)
    "staff": TableDefinition(
        {"people": _person("followed_by:{row}")},
        row_dimension=None,
        row_fact="followed_by:{row}",
        source="staff_report",
    ),
}
"""The count tables of the release and what each count column counts."""

IMPLIES: tuple[tuple[frozenset[str], frozenset[str]], ...] = tuple(
    (frozenset(a), frozenset(b))
    for a, b in (
        (("accepted_in_period",), ("active",)),  # accepted in the period: open that day
        (("active",), ("accepted",)),  # active_between() needs an acceptance
        (("ended", "accepted"), ("active",)),  # a case closed in the period was open that day
        (("in_institution",), ("active",)),
        *(
            ((f"course:{s}",), ("active",))
            for s in ("completed", "aborted", "ended_otherwise", "ongoing")
        ),
        # a course open in the period and closed at its end was closed in the period
        *(
            ((f"course:{s}",), ("ended", "accepted"))
            for s in ("completed", "aborted", "ended_otherwise")
        ),
        (("has_length",), ("ended", "accepted")),  # follow_up_start needs an acceptance
        (("beyond_target",), ("has_length",)),
        (("checks_due",), ("accepted",)),
        (("contact_reached",), ("checks_done",)),
        (("with_plan",), ("active",)),
        (("plan_declined",), ("active",)),
        (("plan_missing",), ("active",)),
        (("with_coordinator",), ("active",)),
        (("with_consent",), ("active",)),
        (("with_goal",), ("active",)),
        (("goal_met",), ("with_goal",)),  # a goal met in the period was set by its end
        (("attended:Total",), ("active",)),  # an attendee's case is open that day
    )
)
"""Facts that imply others (premises → conclusions), from the report functions' code."""

EXCLUSIVE: tuple[tuple[frozenset[str], frozenset[str] | None], ...] = (
    (
        frozenset(f"course:{s}" for s in ("completed", "aborted", "ended_otherwise", "ongoing")),
        frozenset({"active"}),
    ),
    (frozenset({"accepted", "not_accepted"}), frozenset()),
    # an individual plan: made, declined by the person (waived), or missing
    (frozenset({"with_plan", "plan_declined", "plan_missing"}), frozenset({"active"})),
)
"""Sets of mutually exclusive facts, and the facts under which one of them always holds (None:
not exhaustive). A course has one state at the end of the period; a referral is accepted or not."""

CONFLICTS: tuple[frozenset[str], ...] = (frozenset({"course:ongoing", "ended"}),)
"""Facts no record has together: a course still open at the end was not closed in the period."""

EXCLUSIVE_PATTERNS: tuple[tuple[str, ...], ...] = (("improved:{x}", "worse:{x}"),)
"""Exclusive fact families with a parameter (a score cannot both rise and fall): never exhaustive."""


PERSON: frozenset[str] = frozenset()
"""Dimensions that are the person's own, the same on each of a person's cases, so that people
split by them partition the people (none yet: a person's cases may be in two municipalities,
and a recorded age or gender is the case's). People split by any other dimension are in
every part one of their cases is in: the parts cover the whole (``Relations.covers``)."""

ACROSS_CASES: Mapping[str, str] = {
    "plan_declined": "best",
    "plan_missing": "best",
    "several_episodes": "count",
}
"""How a person's fact is decided from the cases a cell counts, where that is not «one of
them has it» (``active``, ``with_plan``, an outcome: a person with it in a row has it in
the total, and one with it in the total has it in some row).

- ``best``: the person's best state (``plans_report``: a plan made in a Meløy case makes a
  person whose Beiarn case lacks one a person *with* a plan in the total): a case outside
  the row can take the fact away, so the row's people are not among the total's
  (``_contains``);
- ``count``: the number of the person's cases (``people_report``: two episodes, one in each
  of two municipalities, make a person with several in the total and in no row): the
  total's people are not among the rows' (no cover, ``_split``).

A fact decided some other way and not listed here breaks a relation on data where a person
has cases in two rows; the solver then refuses the release (``_solver._Piece.verify``) and
the property tests over people with several cases find it."""

ROW_TOTALS = ("attended:", "active_in:", "followed_by:")
"""Row facts of tables whose rows are no partition: each implies its Total row's (a person
open in 2020 is open in the years; one a member of staff followed, the team followed)."""


def closure(facts: Iterable[str]) -> frozenset[str]:
    """``facts`` with every fact they imply (``IMPLIES``, ``improved:d`` ⇒ ``scored:d``, and
    ``attended:month`` ⇒ ``attended:Total`` as ``ROW_TOTALS`` say)."""
    found = set(facts)
    for fact in list(found):
        for prefix in ("improved:", "worse:"):
            if fact.startswith(prefix):
                found.add("scored:" + fact.removeprefix(prefix))
        for head in ROW_TOTALS:  # came in a month: came in the period
            if fact.startswith(head):
                found.add(head + "Total")
    changed = True
    while changed:
        changed = False
        for premises, conclusions in IMPLIES:
            if premises <= found and not conclusions <= found:
                found |= conclusions
                changed = True
    if any(f.startswith("scored:") for f in found):
        found.add("ended")
    return frozenset(found)


def _contradictory(facts: frozenset[str]) -> bool:
    """Whether no record can have all ``facts`` (two exclusive ones, or a conflict)."""
    if any(len(facts & group) > 1 for group, _ in EXCLUSIVE):
        return True
    return any(conflict <= facts for conflict in CONFLICTS)


@attrs.frozen
class Cell:
    """The definition of one published count cell: kind, facts (closed), dimension values."""

    kind: str
    facts: frozenset[str]
    by: frozenset[tuple[str, str]]
    period: str


def define(table: str, row: str, column: str, period: str = "") -> Cell | None:
    """The definition of cell ``(row, column)`` of a ``table`` (a report key), or None."""
    spec = TABLES.get(table)
    if spec is None:
        return None
    definition = spec.columns.get(column, spec.columns.get("*"))
    if definition is None or (column == TOTAL and spec.column_dimension is None):
        return None
    by: set[tuple[str, str]] = set()
    facts = set(definition.facts)
    if spec.row_fact is not None:
        facts = {f.format(row=row) for f in facts} | {spec.row_fact.format(row=row)}
    elif spec.row_dimension is not None and row != TOTAL:
        by.add((spec.row_dimension, row))
    if spec.column_dimension is not None and column != TOTAL:
        by.add((spec.column_dimension, column))
    return Cell(definition.kind, closure(facts), frozenset(by), period)


@attrs.frozen
class Magnitude:
    """A magnitude table: hours or log entries per (municipality or month) and category."""

    kind: str
    """``hours`` or ``entries``: the records are log entries, the value what they add up to."""
    rows: str
    """The dimension of the rows: ``municipality`` or ``month``."""
    scale: int
    """Steps per unit: 2 for hours logged in half hours, 1 for entries."""


MAGNITUDE_SCALE = {"hours": 2, "entries": 1}
"""Hours are logged in the team's step (Salten: whole and half hours, DOMAIN §3), so hours
times the steps per hour is a whole number; entries are whole already."""


def magnitude_of(report: object) -> Magnitude | None:
    """The magnitude table ``report`` is (hours or entries by municipality or month and
    category, as the annual report's hours tables are), or None."""
    unit = getattr(report, "unit", None)
    rows = getattr(report, "rows", None)
    columns = str(getattr(report, "columns", "")).removesuffix("+year")
    if unit in MAGNITUDE_SCALE and rows in ("municipality", "month") and columns == "category":
        return Magnitude(str(unit), str(rows), _steps(report) if unit == "hours" else 1)
    return None


def _steps(report: object) -> int:
    """Steps per hour: 2 for a team logging half hours; minutes when that is not whole."""
    resolution = getattr(getattr(report, "team", None), "time_resolution", 0.5)
    steps = 1 / resolution
    return round(steps) if abs(steps - round(steps)) < 1e-9 else 60


def define_magnitude(table: Magnitude, row: str, column: str, period: str = "") -> Cell | None:
    """A magnitude cell's definition: the log entries of its row and category. The Total
    column adds up the table's own columns and is related to them by the table alone."""
    if column == TOTAL:
        return None
    by = {("category", column)}
    if row != TOTAL:
        by.add((table.rows, row))
    return Cell(table.kind, frozenset(), frozenset(by), period)


@attrs.define
class Relations:
    """Relations between cells (by index) derived from their definitions."""

    sums: list[tuple[int, tuple[int, ...]]] = attrs.field(factory=list)
    """whole = sum(parts); an equality is a sum of one part."""
    at_most: list[tuple[int, tuple[int, ...]]] = attrs.field(factory=list)
    """sum(parts) <= whole."""
    covers: list[tuple[int, tuple[int, ...]]] = attrs.field(factory=list)
    """whole <= sum(parts): people split by a dimension of their cases (``_split``)."""
    used: set[str] = attrs.field(factory=set)
    """The tables whose definitions the relations rest on."""


def derive(cells: Sequence[tuple[int, str, Cell]]) -> Relations:
    """Every relation between ``cells`` (index, table, definition) that follows from the definitions."""
    out = Relations()
    classes: dict[Cell, list[int]] = {}
    tables: dict[int, str] = {}
    for index, table, cell in cells:
        classes.setdefault(cell, []).append(index)
        tables[index] = table
    reps = {cell: members[0] for cell, members in classes.items()}
    for members in classes.values():
        for other in members[1:]:
            out.sums.append((members[0], (other,)))
            out.used.update((tables[members[0]], tables[other]))
    summed = _sums(_Lookup.of(reps), out, tables)
    _at_most(reps, out, tables, summed)
    return out


@attrs.define
class _Lookup:
    """The distinct cells of a release (``reps``: each with its index) grouped as ``_split``
    looks for them, once for all the cells: by kind, period and facts (the splits by one more
    dimension) and by kind, period and dimension values (the splits by exclusive facts); and
    the closures it asks for, each computed once."""

    reps: Mapping[Cell, int]
    dims: frozenset[str]
    """Every dimension some cell is split by."""
    same_facts: dict[tuple[str, str, frozenset[str]], list[tuple[Cell, int]]]
    same_by: dict[tuple[str, str, frozenset[tuple[str, str]]], list[tuple[Cell, int]]]
    closed: dict[frozenset[str], frozenset[str]] = attrs.field(factory=dict)
    open: dict[tuple[frozenset[str], frozenset[str]], int] = attrs.field(factory=dict)

    @classmethod
    def of(cls, reps: Mapping[Cell, int]) -> _Lookup:
        same_facts: dict[tuple[str, str, frozenset[str]], list[tuple[Cell, int]]] = {}
        same_by: dict[tuple[str, str, frozenset[tuple[str, str]]], list[tuple[Cell, int]]] = {}
        for cell, i in reps.items():  # in the cells' order, kept in each group
            same_facts.setdefault((cell.kind, cell.period, cell.facts), []).append((cell, i))
            same_by.setdefault((cell.kind, cell.period, cell.by), []).append((cell, i))
        dims = frozenset(d for cell in reps for d, _ in cell.by)
        return cls(reps, dims, same_facts, same_by)

    def closure(self, facts: frozenset[str]) -> frozenset[str]:
        found = self.closed.get(facts)
        if found is None:
            found = self.closed[facts] = closure(facts)
        return found

    def possible(self, facts: frozenset[str], group: frozenset[str]) -> int:
        """How many facts of the exclusive ``group`` a record with ``facts`` may have."""
        count = self.open.get((facts, group))
        if count is None:
            count = sum(not _contradictory(self.closure(facts | {x})) for x in group)
            self.open[(facts, group)] = count
        return count


def _split(cell: Cell, look: _Lookup) -> Iterator[tuple[tuple[int, ...], bool]]:
    """The sets of cells that split ``cell``: by one more dimension, or by exclusive facts;
    each with whether it is a partition. A split of people by a dimension of their cases is
    not: a person with cases in two municipalities is in both rows (a cover, ``PERSON``)."""
    by_dim: dict[str, list[int]] = {}
    for other, i in look.same_facts[(cell.kind, cell.period, cell.facts)]:
        if cell.by < other.by:
            extra = {d for d, _ in other.by - cell.by}
            if len(extra) == 1:
                by_dim.setdefault(extra.pop(), []).append(i)
    for dim in sorted(look.dims - {d for d, _ in cell.by}):
        parts = by_dim.get(dim)
        if parts:
            if cell.kind != "person" or dim in PERSON:
                yield tuple(parts), True
            elif not _decided(cell.facts, "count"):
                yield tuple(parts), False
    yield from _exclusive_splits(cell, look)


def _exclusive_splits(cell: Cell, look: _Lookup) -> Iterator[tuple[tuple[int, ...], bool]]:
    """The sets of cells that split ``cell`` by an exhaustive set of exclusive facts."""
    for group, given in EXCLUSIVE:
        if given is None or not given <= cell.facts or group & cell.facts:
            continue
        parts = [
            i
            for other, i in look.same_by[(cell.kind, cell.period, cell.by)]
            if len(other.facts & group) == 1
            and look.closure(cell.facts | (other.facts & group)) == other.facts
        ]
        # one nobody publishes is not known to be 0
        if parts and len(parts) == look.possible(cell.facts, group):
            yield tuple(parts), True


def _decided(facts: Iterable[str], how: str) -> bool:
    """Whether one of a person's ``facts`` is decided from their cases ``how`` (``ACROSS_CASES``)."""
    return any(ACROSS_CASES.get(fact) == how for fact in facts)


def _sums(look: _Lookup, out: Relations, tables: Mapping[int, str]) -> set[tuple[int, int]]:
    """Add every sum relation; return the (part, whole) pairs they make."""
    summed: set[tuple[int, int]] = set()
    for cell, whole in look.reps.items():
        for parts, exact in _split(cell, look):
            out.used.update(tables[p] for p in (whole, *parts))
            if not exact:
                out.covers.append((whole, parts))
                continue
            out.sums.append((whole, parts))
            summed.update((p, whole) for p in parts)
    return summed


def _contains(whole: Cell, part: Cell) -> bool:
    """Whether every record of ``part`` has one counted by ``whole`` (a person has a case)."""
    if whole.period != part.period or whole == part:
        return False
    kinds = whole.kind == part.kind or (part.kind == "person" and whole.kind == "case")
    if part.kind == "person" and whole.by < part.by and _decided(whole.facts & part.facts, "best"):
        return False  # a case outside the part's rows may take the fact away in the whole
    return kinds and whole.by <= part.by and whole.facts <= part.facts


def _containing(cells: Sequence[Cell]) -> np.ndarray[Any, Any]:
    """``_contains(cells[w], cells[p])`` at ``[w, p]``, for every pair at once: each cell's
    facts and dimension values as bits, a whole holding no bit its part lacks."""

    def bits(sets: Sequence[frozenset[Any]]) -> np.ndarray[Any, Any]:
        vocabulary: dict[Any, int] = {}
        masks = [sum(1 << vocabulary.setdefault(x, len(vocabulary)) for x in s) for s in sets]
        words = range(max(1, -(-len(vocabulary) // 64)))
        low = (1 << 64) - 1
        found = [[m >> (64 * k) & low for k in words] for m in masks]
        return np.array(found, dtype=np.uint64).reshape(len(masks), len(words))  # none: 0 rows

    def subsets(held: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return np.asarray(((held[:, None, :] & ~held[None, :, :]) == 0).all(axis=2))

    by = bits([c.by for c in cells])
    by_within = subsets(by)
    kind = np.array([c.kind for c in cells], dtype=object)
    period = np.array([c.period for c in cells], dtype=object)
    person, case = kind == "person", kind == "case"
    sizes = np.array([len(c.by) for c in cells])
    best = np.array([_decided(c.facts, "best") for c in cells], dtype=bool)  # w's: within p's
    taken_away = person[None, :] & by_within & (sizes[:, None] < sizes[None, :]) & best[:, None]
    out: np.ndarray[Any, Any] = (
        (period[:, None] == period[None, :])
        & ((kind[:, None] == kind[None, :]) | (case[:, None] & person[None, :]))
        & by_within
        & subsets(bits([c.facts for c in cells]))
        & ~taken_away
    )
    np.fill_diagonal(out, False)  # the cells are distinct: a cell is not its own part
    return out


def _direct(inside: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """The transitive reduction of ``inside`` (``[w, p]``: p ⊂ w): p dropped from w when p ⊂
    q ⊂ w, each whole's parts' parts or-ed together as bits."""
    n = len(inside)
    packed = np.packbits(inside, axis=1)
    beneath = np.zeros_like(packed)
    for w in range(n):
        parts = np.flatnonzero(inside[w])
        if len(parts):
            beneath[w] = np.bitwise_or.reduce(packed[parts], axis=0)
    return np.asarray(inside & ~np.unpackbits(beneath, axis=1, count=n).astype(bool))


def _disjoint(a: Cell, b: Cell) -> bool:
    """Whether no record can be counted by both, by facts that exclude each other but need not
    cover the whole (an exhaustive set is a sum already, see ``_split``)."""
    if any(len((a.facts | b.facts) & group) > 1 for group, given in EXCLUSIVE if given is None):
        return True
    for pattern in EXCLUSIVE_PATTERNS:
        for fact in a.facts:
            for p in pattern:
                head = p.removesuffix("{x}")
                if fact.startswith(head):
                    x = fact.removeprefix(head)
                    if any(q.format(x=x) in b.facts for q in pattern if q != p):
                        return True
    return False


def _at_most(
    reps: Mapping[Cell, int],
    out: Relations,
    tables: Mapping[int, str],
    summed: set[tuple[int, int]],
) -> None:
    """Add the containments not already implied by a sum or by two other containments."""
    items = list(reps.items())
    direct = _direct(_containing([cell for cell, _ in items]))
    indices = [i for _, i in items]
    sums = {(whole, tuple(sorted(p))) for whole, p in out.sums}
    disjoint: dict[tuple[Cell, Cell], bool] = {}  # a part is under many wholes: asked once
    for at, (_, w) in enumerate(items):
        found = np.flatnonzero(direct[at])
        for p in sorted(indices[k] for k in found):
            if (p, w) not in summed:
                out.at_most.append((w, (p,)))
                out.used.update((tables[w], tables[p]))
        _exclusive_parts(w, [items[k][0] for k in found], reps, (out, sums, disjoint))


def _exclusive_parts(
    w: int,
    parts: list[Cell],
    reps: Mapping[Cell, int],
    found: tuple[Relations, set[tuple[int, tuple[int, ...]]], dict[tuple[Cell, Cell], bool]],
) -> None:
    """improved + worse <= cases: direct parts that exclude each other, summed under the whole
    (``found``: the relations, their sums with sorted parts, and ``_disjoint``'s answers)."""
    out, sums, answers = found

    def disjoint(a: Cell, b: Cell) -> bool:
        if (a, b) not in answers:
            answers[(a, b)] = _disjoint(a, b)
        return answers[(a, b)]

    for a_index, a in enumerate(parts):
        group = [a] + [b for b in parts[a_index + 1 :] if disjoint(a, b)]
        same_row = all(x.by == a.by for x in group)  # dimension splits are sums already
        if (
            len(group) > 1
            and same_row
            and all(disjoint(x, y) for x in group for y in group if x != y)
        ):
            indices = tuple(sorted(reps[x] for x in group))
            if (w, indices) not in sums:
                out.at_most.append((w, indices))


EVENTS: Mapping[str, frozenset[str]] = {
    "referred": frozenset(),
    "accepted_in_period": frozenset(),
    "ended": frozenset({"accepted", "not_accepted"}),
}
"""Facts that a record has in one period of any split of time, the day of an event falling in
one of them (referred, accepted or closed in the period; not "active", open on some day), and
the facts each event settles for good: a case was accepted or not before it closed. A
referral's acceptance is not settled by the referral: it may come in the next year."""


def once_in_time(cell: Cell) -> bool:
    """Whether each record ``cell`` counts falls in exactly one period of any split of time,
    so that the cell over two periods is the sum of the cell over each (years pooled): a
    case counted by an event (``EVENTS``), every other fact following from the event and
    what it settles. People are not: one person may have a case in each year."""
    events = {fact for fact in cell.facts if fact in EVENTS}
    settled = {fact for event in events for fact in EVENTS[event]}
    return (
        cell.kind == "case"
        and bool(events)
        and closure(events | (cell.facts & settled)) == cell.facts
    )
