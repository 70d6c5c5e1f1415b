"""The attacker's integer program: each hidden cell's least and greatest value (HiGHS)."""

from __future__ import annotations

import contextlib
import contextvars
import math
from collections.abc import Callable, Collection, Iterator, Sequence
from typing import Any

import attrs
import numpy as np

from ettervern._l10n import Message
from ettervern._reports._model import Model
from ettervern.errors import InvalidValueError, MissingDependencyError


def have_solver() -> bool:
    try:
        import highspy  # noqa: F401
    except ImportError:  # pragma: no cover - the tests run with the audit extra
        return False
    return True


BUCKETS = frozenset({"Total", "Felles", "Andre kommuner", "Other members"})
"""Rows of a table by municipality that are no member's own: the total, the team's shared
time, other municipalities, and members pooled."""


def own_cells(
    keys: Sequence[tuple[str, str, str]],
    tables: Collection[str],
    members: Collection[str] | None = None,
) -> dict[str, frozenset[int]]:
    """Each member's own cells: its row in every table by municipality (``tables``, keys as
    in the model), by member name; ``members`` the team's (None: every row but the buckets).

    A member receives a closure report for each of its cases, so it knows its own counts and
    hours: the attacker of the public release is each member in turn, with these cells known
    (GaussSuppression's singletons, with a member as the contributor; see docs/privacy.md)."""
    out: dict[str, set[int]] = {}
    for i, (table, row, _) in enumerate(keys):
        if table in tables and row not in BUCKETS and (members is None or row in members):
            out.setdefault(row, set()).add(i)
    return {member: frozenset(cells) for member, cells in sorted(out.items())}


def member_parts(
    model: Model, values: np.ndarray[Any, Any], member: str, read: np.ndarray[Any, Any]
) -> np.ndarray[Any, Any]:
    """The ``member``'s part of every cell (``Model.parts``): ``read`` from its own tables,
    its rows (``Model.knows``) wholly its own, and its part of a Total row of a table by
    member its own row's where none was read.

    The part is kept as the member knows it, whether or not it obeys the relations: where
    it does not (a table the member's own tables do not hold, a person counted under two
    members), the member's attack takes those relations as the cells obey them, its part
    moved to the known side (``unlike``, ``member_view``). A part forgotten would make the
    protection's attacker weaker than the member it stands for."""
    part = np.array(read, dtype="float64")
    own = sorted(model.knows.get(member, frozenset()))
    part[own] = values[own]
    tables = {model.keys[i][0] for i in own}
    for i, (table, row, column) in enumerate(model.keys):
        mine = model.index.get((table, member, column))
        if row == "Total" and table in tables and mine is not None and part[i] == 0:
            part[i] = values[mine]
    return part


@attrs.frozen
class Unlike:
    """A member's part of every cell (``Model.parts``) and the relations it does not obey
    with the others' part, by kind: a mask over ``Model.lines``, ``subsets``, ``covers`` and
    ``changes`` (``Relations.unlike``).

    The cells obey every relation; a member's part and the others' part (the cell less it)
    obey one where it is a relation of sets restricted to the member's cases. Where they do
    not, the member's attack (``member_view``) takes the relation as the cells obey it, its
    part of each term known: ``sum(coef * others) = -sum(coef * part)``; a subset's or a
    cover's rest is then the cells' (at least 0), not the others'. The attack stays as strong
    as the member and its true answer stays a solution."""

    part: np.ndarray[Any, Any]
    lines: np.ndarray[Any, Any]
    subsets: np.ndarray[Any, Any]
    covers: np.ndarray[Any, Any]
    changes: np.ndarray[Any, Any]
    cells: np.ndarray[Any, Any]
    """The cells of the unlike relations: a piece holding one is the member's to solve."""

    def any(self) -> bool:
        """Whether any relation is unlike."""
        return any(m.any() for m in (self.lines, self.subsets, self.covers, self.changes))


def unlike(model: Model, values: np.ndarray[Any, Any], member: str) -> Unlike:
    """The relations ``member``'s part (``Model.parts``, which has it) does not obey
    (``Unlike``), made once a part (kept on ``Model.unlike``)."""
    part = model.parts[member]
    made = model.unlike.get(member)
    if made is None or made.part is not part:
        made = _unlike(model, values, part)
        model.unlike[member] = made
    return made


def _unlike(model: Model, values: np.ndarray[Any, Any], part: np.ndarray[Any, Any]) -> Unlike:
    """``Relations.unlike`` of the model's relations (its own name: a test counts them)."""
    return Relations.of(model).unlike(values, part)


@attrs.frozen
class _Sums:
    """Relations ``whole`` ~ sum(``parts``) as arrays: each relation's whole, and its parts
    flattened with the relation each belongs to, to add up every relation's parts at once."""

    wholes: np.ndarray[Any, Any]
    parts: np.ndarray[Any, Any]
    of: np.ndarray[Any, Any]

    @classmethod
    def of_relations(cls, relations: Sequence[tuple[int, tuple[int, ...]]]) -> _Sums:
        wholes = np.array([whole for whole, _ in relations], dtype=np.intp)
        parts = np.array([p for _, parts in relations for p in parts], dtype=np.intp)
        of = np.repeat(np.arange(len(relations)), [len(parts) for _, parts in relations])
        return cls(wholes, parts, of.astype(np.intp))

    def summed(self, x: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """Each relation's sum of its parts of ``x`` (cells of whole numbers: exact in any
        order, as ``x[parts].sum()``)."""
        return np.bincount(self.of, weights=x[self.parts], minlength=len(self.wholes))

    def terms(self, odd: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """The wholes and the parts of the ``odd`` relations."""
        return np.concatenate([self.wholes[odd], self.parts[odd[self.of]]])


@attrs.frozen
class Relations:
    """A model's relations as arrays, made once for all its members (``member_parts``)."""

    lines: _Sums
    subsets: _Sums
    covers: _Sums
    changes: np.ndarray[Any, Any]

    @classmethod
    def of(cls, model: Model) -> Relations:
        changes = np.array(model.changes, dtype=np.intp).reshape(-1, 3)
        return cls(
            _Sums.of_relations(model.lines),
            _Sums.of_relations(model.subsets),
            _Sums.of_relations(model.covers),
            changes,
        )

    def unlike(self, values: np.ndarray[Any, Any], part: np.ndarray[Any, Any]) -> Unlike:
        """The relations ``part`` (a member's) or the others' rest of the cells does not obey
        (``Unlike``): a sum or a change off by more than rounding, a subset's or a cover's
        rest below 0 for either (the least of the two compared as Python's ``min`` does)."""
        others = values - part
        lines, subsets, covers = self.lines, self.subsets, self.covers
        odd_lines = np.abs(part[lines.wholes] - lines.summed(part)) > 1e-9
        mine = part[subsets.wholes] - subsets.summed(part)
        theirs = others[subsets.wholes] - subsets.summed(others)
        odd_subsets = np.where(theirs < mine, theirs, mine) < 0
        mine = covers.summed(part) - part[covers.wholes]
        theirs = covers.summed(others) - others[covers.wholes]
        odd_covers = np.where(theirs < mine, theirs, mine) < 0
        first, second, change = self.changes.T
        odd_changes = np.abs(part[change] - (part[second] - part[first])) > 1e-9
        cells = np.concatenate(
            [
                lines.terms(odd_lines),
                subsets.terms(odd_subsets),
                covers.terms(odd_covers),
                self.changes[odd_changes].ravel(),
            ]
        )
        odd = (odd_lines, odd_subsets, odd_covers, odd_changes)
        return Unlike(part, *odd, np.unique(cells))


def shared_cells(model: Model, tables: Collection[str]) -> frozenset[int]:
    """The Total rows of the ``tables`` by member, and the cells equal to them by definition
    (a sum of one part: the monthly table's Total row is the same hours): pinned by a member,
    such a cell gives it the other members' sum, whose every cell is checked on its own
    (``Model.shared``)."""
    found = {
        i for i, (table, row, _) in enumerate(model.keys) if table in tables and row == "Total"
    }
    pairs = [(whole, parts[0]) for whole, parts in model.lines if len(parts) == 1]
    grew = True
    while grew:
        grew = False
        for a, b in pairs:
            if (a in found) != (b in found):
                found |= {a, b}
                grew = True
    return frozenset(found)


@attrs.frozen
class View:
    """One attacker's view of a pattern: who (``""`` a reader, else a member), the values it
    attacks (a member: the other members' part of every cell), the cells hidden from it,
    each hidden cell's least value (``None``: 1, a hidden count is not 0), and the relations
    the member's part does not obey (``Unlike``; None: it obeys every one)."""

    member: str
    values: np.ndarray[Any, Any]
    seen: np.ndarray[Any, Any]
    floor: np.ndarray[Any, Any] | None = None
    unlike: Unlike | None = None


def member_view(
    model: Model, values: np.ndarray[Any, Any], hidden: np.ndarray[Any, Any], member: str
) -> View:
    """The pattern ``hidden`` as ``member`` attacks it: on the other members' part of every
    cell (the cell less the member's own, ``Model.parts``), with its own cells (its rows, of
    which the others have no part) known to be 0 there, and a hidden cell's others' part at
    least 0 where the member has a part of it itself (at least 1 elsewhere; where the part
    is more than the cell, at least the cell's least, 0, less the part).

    Every relation the model derives is a relation of sets (sums of a partition, containment,
    equality), so it holds for the other members' part of every cell as it does for the
    cells where the member's part is the cell's definition restricted to its cases: the
    member's attack is the reader's attack on the others' parts. The relations its part does
    not obey (``Unlike``) are taken as the cells obey them, its part moved to the known side."""
    if not member:
        return View("", values, hidden)
    part = model.parts.get(member)
    known = sorted(model.knows.get(member, frozenset()))
    others = values.astype("float64") - (0.0 if part is None else part)
    seen = hidden.copy()
    seen[known] = False
    if part is None:
        return View(member, others, seen, np.ones(len(values)))
    floor = np.where(others < 0, -part, np.where(part > 0, 0.0, 1.0))
    odd = unlike(model, values, member)
    return View(member, others, seen, floor, odd if odd.any() else None)


def views(model: Model, values: np.ndarray[Any, Any], hidden: np.ndarray[Any, Any]) -> list[View]:
    """Each attacker's view of the pattern ``hidden``: the reader who knows only what is
    published, then each member with a part of its own in the problem (``member_view``).

    A member's view keeps hidden only the pieces of the reader's problem that hold a hidden
    cell the member has a part of (its own cells among them): in the others, every hidden
    cell is wholly the others', the member's parts of the published cells cancel out of each
    relation (they obey it too), and the problem is the reader's. So the attack per member
    re-solves only the pieces its own part touches; the rest comes from the solver's cache.
    The view of a member whose part touches no piece is still given: its part of the
    published cells tells it the others' part of their implied counts."""
    out = [View("", values, hidden)]
    members = sorted(set(model.parts) | set(model.knows))
    if not members:
        return out
    n = len(values)
    held: dict[int, list[int]] = {}  # piece → its hidden cells
    for number, part in enumerate(_problem(model, values, hidden, None)):
        held[number] = [v for v in part.members if v < n]
    cells = {number: np.array(found, dtype=int) for number, found in held.items() if found}
    for member in members:
        view = member_view(model, values, hidden, member)
        mine = np.zeros(n, dtype=bool)
        mine[sorted(model.knows.get(member, frozenset()))] = True
        if member in model.parts:
            mine |= model.parts[member] != 0
        if view.unlike is not None:
            mine[view.unlike.cells] = True  # the member's equations differ there
        seen = np.zeros(n, dtype=bool)
        for found in cells.values():
            if mine[found].any():
                seen[found] = True
        out.append(attrs.evolve(view, seen=seen & view.seen))
    return out


@attrs.define
class _Scope:
    """What a ``shared_answers()`` scope keeps."""

    answers: dict[Any, dict[int, tuple[float, float]]] = attrs.field(factory=dict)
    """Each piece's answers by everything that decides them (``_answers``), by position in
    the piece."""
    problems: dict[Any, Any] = attrs.field(factory=dict)
    """The pieces of the last ``RECENT`` attacks (``_problem``), the most recent last."""
    names: dict[int, Any] = attrs.field(factory=dict)
    """Each model's unknowns' names, by the model's id (``_names``)."""
    numbers: dict[Any, int] = attrs.field(factory=dict)
    """A number for each name of an unknown (``_names``)."""


_SHARED: contextvars.ContextVar[_Scope | None] = contextvars.ContextVar("_SHARED", default=None)
"""The current ``shared_answers()`` scope, if any."""


@contextlib.contextmanager
def shared_answers() -> Iterator[None]:
    """A scope in which ``solve`` reuses the answers of any piece it solved before in it.

    A piece's answers are decided by its unknowns, equations, bounds, ``only``, ``threshold``
    and the true values that start its search (HiGHS is deterministic): with all of them the
    same, solving it again gives the same answers, so they are kept by all of them. Unlike
    ``cache=`` (a piece's answers by its equations alone, for the calls of one search), the
    scope changes no answer; it saves solving again what the release's protection, its
    greedy fallback and the proposals' protection ask alike. Scopes nest: the outermost one
    keeps the answers."""
    token = _SHARED.set(_Scope()) if _SHARED.get() is None else None
    try:
        yield
    finally:
        if token is not None:
            _SHARED.reset(token)


def solve(
    model: Model,
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    *,
    threshold: int | None = None,
    only: int | None = None,
    truth: np.ndarray[Any, Any] | None = None,
    cache: dict[Any, dict[int, tuple[float, float]]] | None = None,
    floor: np.ndarray[Any, Any] | None = None,
    unlike: Unlike | None = None,
) -> dict[int, tuple[float, float]]:
    """Min and max of every hidden cell and every implied count, by integer programming.

    Variables are the hidden cells, then one per implied count (``whole - parts``); the problem
    is split into independent pieces first, so each solve is small. With ``threshold``, only
    safety is decided: an interval is then as wide as the solutions found so far prove, which
    is enough to show it is at least ``threshold`` wide. With ``only``, just that unknown.
    ``truth`` (the true values, when publishing) is a known solution, so it starts the search;
    ``cache`` keeps the answers of pieces that have not changed since the last call;
    ``floor``, each hidden cell's least value (by default 1: a member's view, ``View``);
    ``unlike``, the relations a member's part does not obey (``View``).
    """
    if not have_solver():
        raise MissingDependencyError("highspy", "audit", Message("audit published tables"))
    out: dict[int, tuple[float, float]] = {}
    for part in _problem(model, values, hidden, floor, unlike):
        members, relations, bounds = part.members, part.relations, part.bounds
        if only is not None and only not in members:
            continue
        key = (part.equations(), only, bounds)
        found = None if cache is None else cache.get(key)
        if found is not None:
            out.update(found)
            continue
        known = None if truth is None else _known(truth, members, model, unlike)
        answers = _answers(model, (members, relations, known), bounds, only, threshold)
        out.update(answers)
        if cache is not None:
            cache[key] = answers
    return out


@attrs.define
class _Part:
    """One piece of an attack (``_pieces``): its unknowns, their equations and least values."""

    members: list[int]
    relations: list[tuple[dict[int, float], float]]
    bounds: tuple[float, ...]
    named: Any = None

    def equations(self) -> Any:
        """What names the piece in ``solve``'s ``cache`` but for ``only`` and the bounds
        (made once, when first asked)."""
        if self.named is None:
            self.named = (
                tuple(self.members),
                tuple((tuple(c.items()), r) for c, r in self.relations),
            )
        return self.named


Problem = list[_Part]
"""The pieces of one attack."""

RECENT = 32
"""How many attacks' pieces a ``shared_answers()`` scope keeps (``_problem``)."""


def _problem(
    model: Model,
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    floor: np.ndarray[Any, Any] | None,
    unlike: Unlike | None = None,
) -> Problem:
    """The pieces of the attack on the pattern ``hidden`` (``_unknowns``, ``_pieces``). In a
    ``shared_answers()`` scope, the last ``RECENT`` attacks' are kept: a round's reader is
    asked by ``views`` and by ``solve``, and the cells at risk of one pattern one by one."""
    shared = _SHARED.get()
    key = None
    if shared is not None:
        given = (values, hidden, floor, *(() if unlike is None else attrs.astuple(unlike)))
        arrays = [np.asarray(a) for a in given if a is not None]
        made = (model, model.lines, model.subsets, model.covers, model.changes)  # ids kept
        key = (
            *map(id, made),
            len(model.lines),
            len(model.subsets),
            len(model.covers),
            len(model.changes),
            floor is None,
            *((a.dtype.str, a.shape, a.tobytes()) for a in arrays),
        )
        recent = shared.problems
        found = recent.get(key)
        if found is not None and all(a is b for a, b in zip(found[0], made, strict=True)):
            recent[key] = recent.pop(key)  # the most recent last
            return found[1]  # type: ignore[no-any-return]  # what it was given
    rows, lower, _ = _unknowns(model, values, hidden, floor, unlike)
    problem: Problem = []
    for members, relations in _pieces(sorted(lower), rows):
        problem.append(_Part(members, relations, tuple(lower[v] for v in members)))
    if shared is not None:
        recent[key] = (made, problem)
        while len(recent) > RECENT:
            del recent[next(iter(recent))]
    return problem


def _answers(
    model: Model,
    piece_of: tuple[list[int], list[tuple[dict[int, float], float]], np.ndarray[Any, Any] | None],
    bounds: tuple[float, ...],
    only: int | None,
    threshold: int | None,
) -> dict[int, tuple[float, float]]:
    """The intervals of one piece (its unknowns, equations, bounds and true values), solved,
    or as solved before in the ``shared_answers()`` scope with everything that decides them
    alike. The unknowns are named there by their cells' keys (``_names``), not positions: a
    release protected again with some categories pooled has the same pieces elsewhere, at
    other positions."""
    members, relations, known = piece_of
    shared = _SHARED.get()
    full = None
    if shared is not None:
        name = _names(model, shared)
        full = (
            tuple([name[v] for v in members]),
            tuple([(tuple([(name[v], c) for v, c in coefs.items()]), r) for coefs, r in relations]),
            None if only is None else name[only],
            bounds,
            threshold,
            None if known is None else known.tobytes(),
        )
        found = shared.answers.get(full)
        if found is not None:
            return {members[j]: interval for j, interval in found.items()}
    piece = _Piece.build(members, relations, list(bounds), known)
    answers = {
        j: piece.interval(j, threshold) for j, v in enumerate(members) if only is None or v == only
    }
    if shared is not None:
        shared.answers[full] = answers
    return {members[j]: interval for j, interval in answers.items()}


def _names(model: Model, shared: _Scope) -> list[int]:
    """Each unknown's name in the scope ``shared``, by position: a number for its cell's key
    (the same in any model of the same tables), an implied count's (``n + k``) for its
    subset's keys, whole then parts; a cover's rest (``Model.rests_from``) for its
    cover's. Made once a model (and its subsets)."""
    known = shared.names
    made = known.get(id(model))
    size = (len(model.keys), len(model.subsets), len(model.covers))
    if made is not None and made[0] is model and made[1] is model.subsets and made[2] == size:
        return made[3]  # type: ignore[no-any-return]  # what it was given
    numbers = shared.numbers
    keys = model.keys
    named: list[Any] = list(keys)
    named += [(keys[whole], tuple(keys[p] for p in parts)) for whole, parts in model.subsets]
    named += [
        ("cover", keys[whole], tuple(keys[p] for p in parts)) for whole, parts in model.covers
    ]
    out = [numbers.setdefault(key, len(numbers)) for key in named]
    known[id(model)] = (model, model.subsets, size, out)
    return out


def _unknowns(
    model: Model,
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    floor: np.ndarray[Any, Any] | None = None,
    unlike: Unlike | None = None,
) -> tuple[list[tuple[dict[int, float], float]], dict[int, float], list[tuple[int, ...]]]:
    """The attacker's equations over the unknowns (``sum(coef * var) == rhs``), each
    unknown's lower bound (hidden cells, implied counts after the cells, hidden changes), and
    the published cells each equation reads its right-hand side from. A relation ``unlike``
    a member's part starts from the part moved to the known side (``Unlike``).

    The cells are read as Python numbers (``tolist``): the same doubles, added in the same
    order, without numpy's cost for each one (a third of publishing the example year)."""
    n = len(values)
    at = np.flatnonzero(hidden)
    lower = {int(i): 1.0 if floor is None else float(floor[i]) for i in at}
    is_hidden: list[bool] = np.asarray(hidden, dtype=bool).tolist()
    hides = is_hidden.__getitem__
    terms: list[list[tuple[int, float]]] = []
    kinds: list[tuple[int, int]] = []  # each relation of ``terms``: its kind and number
    for k, (whole, parts) in enumerate(model.lines):
        if is_hidden[whole] or any(map(hides, parts)):  # else no unknown: nothing to solve
            terms.append([(whole, -1.0), *((p, 1.0) for p in parts)])
            kinds.append((0, k))
    for k, (whole, parts) in enumerate(model.subsets):
        if not (is_hidden[whole] or any(map(hides, parts))):
            continue  # every term is published: the rest is known, no need to solve
        lower[n + k] = 0.0
        terms.append([(whole, 1.0), *((p, -1.0) for p in parts), (n + k, -1.0)])
        kinds.append((1, k))
    start = model.rests_from(n)
    for k, (whole, parts) in enumerate(model.covers):  # sum(parts) - whole is a rest >= 0
        if is_hidden[whole] or any(map(hides, parts)):
            lower[start + k] = 0.0
            terms.append([(whole, -1.0), *((p, 1.0) for p in parts), (start + k, -1.0)])
            kinds.append((2, k))
    for k, (first, second, change) in enumerate(model.changes):
        if is_hidden[change]:
            lower[change] = -math.inf
        if is_hidden[first] or is_hidden[second] or is_hidden[change]:
            terms.append([(second, 1.0), (first, -1.0), (change, -1.0)])
            kinds.append((3, k))
    starts = [0.0] * len(terms) if unlike is None else _shifts(terms, kinds, unlike)
    rows, read = _equations(terms, is_hidden, np.asarray(values, dtype="float64").tolist(), starts)
    return rows, lower, read


def _shifts(
    terms: list[list[tuple[int, float]]], at: list[tuple[int, int]], unlike: Unlike
) -> list[float]:
    """Each relation's right-hand side before its published cells (``terms``; ``at``, its
    kind and number): 0, or for one ``unlike`` the member's part, the part of its cells
    moved there."""
    masks = (unlike.lines, unlike.subsets, unlike.covers, unlike.changes)
    flags = [mask.tolist() for mask in masks]
    part: list[float] = unlike.part.tolist()
    n = len(part)
    return [
        -sum(coef * part[v] for v, coef in relation if v < n) if flags[kind][k] else 0.0
        for relation, (kind, k) in zip(terms, at, strict=True)
    ]


def _equations(
    relations: list[list[tuple[int, float]]],
    is_hidden: list[bool],
    value: list[float],
    starts: list[float],
) -> tuple[list[tuple[dict[int, float], float]], list[tuple[int, ...]]]:
    """Each relation (its terms, ``coef * var``, adding up to its ``starts``) as an equation
    over its unknowns (``sum(coef * var) == rhs``), the published cells moved to the
    right-hand side, and those cells."""
    n = len(value)
    rows: list[tuple[dict[int, float], float]] = []
    read: list[tuple[int, ...]] = []
    for terms, start in zip(relations, starts, strict=True):
        coefs: dict[int, float] = {}
        rhs = start
        for var, coef in terms:
            if var < n and not is_hidden[var]:
                rhs -= coef * value[var]
            else:
                coefs[var] = coefs.get(var, 0.0) + coef
        if coefs:
            rows.append((coefs, rhs))
            read.append(tuple(v for v, _ in terms if v < n and not is_hidden[v]))
    return rows, read


@attrs.define
class Certificates:
    """The attacker's linear relaxation of one pattern, to ask which published cells prove a
    cell at risk (``certificate``); the equations are built once for all the questions."""

    rows: list[tuple[dict[int, float], float]]
    lower: dict[int, float]
    sources: list[tuple[int, ...]]
    pieces: dict[int, tuple[list[int], list[int]]]
    """Unknown → (the unknowns of its piece, the positions of the piece's equations)."""

    @classmethod
    def of(cls, model: Model, view: View) -> Certificates:
        rows, lower, sources = _unknowns(model, view.values, view.seen, view.floor, view.unlike)
        by_first: dict[int, list[int]] = {}
        for k, (coefs, _) in enumerate(rows):
            by_first.setdefault(next(iter(coefs)), []).append(k)
        pieces: dict[int, tuple[list[int], list[int]]] = {}
        for members, _ in _pieces(sorted(lower), rows):
            index = sorted(k for v in members for k in by_first.get(v, []))
            for v in members:
                pieces[v] = (members, index)
        return cls(rows, lower, sources, pieces)

    def certificate(
        self, var: int, at_risk: Callable[[float, float], bool], *, upper_only: bool = False
    ) -> set[int] | None:
        """The published cells whose values prove ``var`` at risk, by the linear relaxation.

        The attacker's linear programs for the least and greatest value of ``var`` are
        solved; their duals name the equations the bounds follow from. While those equations'
        published cells stay published, the same combination proves the same bounds (hiding
        other cells only adds unknowns it does not use; publishing a hidden one fixes it at a
        value the bound allows), so a safe pattern hides one of them. None when the
        relaxation does not show the risk (only the integers do). With ``upper_only``, the
        risk is a greatest value too small (a count below the threshold): only that bound's
        equations are named, which makes the cut stronger.
        """
        if var not in self.pieces:
            return None  # an implied count of published cells: no proof to name
        members, index = self.pieces[var]
        piece = _Piece.build(
            members,
            [self.rows[k] for k in index],
            [self.lower[v] for v in members],
            np.zeros(len(members)),
            verify=False,  # not checked: the relaxation's duals are all it asks for
        )
        bounds = {1.0: self.lower[var], -1.0: math.inf}
        used: set[int] = set()
        for sign in (-1.0,) if upper_only else (1.0, -1.0):
            objective = np.zeros(len(members))
            objective[members.index(var)] = sign
            result = _relaxed(piece, objective, duals=True)
            if result.status != OPTIMAL:
                continue
            bounds[sign] = sign * result.fun
            for k, dual in zip(index, result.duals, strict=True):
                if abs(dual) > 1e-9:
                    used.update(self.sources[k])
        low, high = (bounds[1.0], bounds[-1.0])
        low = math.ceil(low - 1e-7) if math.isfinite(low) else low
        high = math.floor(high + 1e-7) if math.isfinite(high) else high
        return used if at_risk(low, high) else None


def _known(
    truth: np.ndarray[Any, Any], members: list[int], model: Model, unlike: Unlike | None
) -> np.ndarray[Any, Any]:
    """The true values of a piece's unknowns: cells, and the rests implied by them (of the
    cells themselves where the relation is ``unlike`` a member's part: ``Unlike``)."""
    out = []
    n = len(truth)
    rests = model.rests_from(n)
    cells = truth if unlike is None else truth + unlike.part
    for v in members:
        if v < n:
            out.append(truth[v])
        elif v < rests:
            whole, parts = model.subsets[v - n]
            of = cells if unlike is not None and unlike.subsets[v - n] else truth
            out.append(of[whole] - of[list(parts)].sum())
        else:
            whole, parts = model.covers[v - rests]
            of = cells if unlike is not None and unlike.covers[v - rests] else truth
            out.append(of[list(parts)].sum() - of[whole])
    return np.array(out, dtype="float64")


def _pieces(
    unknowns: list[int], rows: list[tuple[dict[int, float], float]]
) -> list[tuple[list[int], list[tuple[dict[int, float], float]]]]:
    """Split the unknowns into groups no relation connects (union-find)."""
    parent = {v: v for v in unknowns}

    def find(v: int) -> int:
        while parent[v] != v:
            parent[v] = parent[parent[v]]
            v = parent[v]
        return v

    for coefs, _ in rows:
        first, *others = coefs
        root = find(first)
        for other in others:
            mine = find(other)
            if mine != root:
                parent[mine] = root
    members: dict[int, list[int]] = {}
    for v in unknowns:
        members.setdefault(find(v), []).append(v)
    relations: dict[int, list[tuple[dict[int, float], float]]] = {}
    for coefs, rhs in rows:
        relations.setdefault(find(next(iter(coefs))), []).append((coefs, rhs))
    return [(group, relations.get(root, [])) for root, group in members.items()]


@attrs.define
class _Piece:
    """One independent piece of the attacker's problem: A x = b, x >= lower, x integer.

    Every integer solution found is kept: it proves values each cell can take, so many
    intervals are settled without solving for them. Only each cell's least and greatest
    value over them is asked, so those are what is kept (``least_seen``, ``most_seen``).
    """

    matrix: np.ndarray[Any, Any]
    rhs: np.ndarray[Any, Any]
    lower: np.ndarray[Any, Any]
    least_seen: np.ndarray[Any, Any] | None = None
    most_seen: np.ndarray[Any, Any] | None = None
    relaxation: Any = None
    """The HiGHS instance of the linear relaxation, kept between objectives (``_relaxed``)."""

    def keep(self, solution: np.ndarray[Any, Any]) -> None:
        """A solution found: each cell's least and greatest value seen take it in."""
        if self.least_seen is None or self.most_seen is None:
            self.least_seen = np.array(solution, dtype="float64")
            self.most_seen = self.least_seen.copy()
        else:
            np.minimum(self.least_seen, solution, out=self.least_seen)
            np.maximum(self.most_seen, solution, out=self.most_seen)

    @classmethod
    def build(
        cls,
        members: list[int],
        relations: list[tuple[dict[int, float], float]],
        lower: list[float],
        known: np.ndarray[Any, Any] | None = None,
        *,
        verify: bool = True,
    ) -> _Piece:
        position = {v: j for j, v in enumerate(members)}
        matrix = np.zeros((len(relations), len(members)))
        rhs = np.zeros(len(relations))
        for r, (coefs, value) in enumerate(relations):
            for var, coef in coefs.items():
                matrix[r, position[var]] += coef
            rhs[r] = value
        piece = cls(matrix, rhs, np.array(lower, dtype="float64"))
        if known is None:
            piece.check()
        elif verify:
            piece.verify(known)
        return piece

    def verify(self, known: np.ndarray[Any, Any]) -> None:
        """Keep the true values as the first solution; raise if they are none: a relation
        derived from the definitions does not hold for the tables' own figures, and every
        interval of the piece would be wrong (a cell left unprotected, silently)."""
        broken = int(np.sum(np.abs(self.matrix @ known - self.rhs) > 1e-6))
        broken += int(np.sum(known < self.lower - 1e-9))
        if broken:
            msg = Message(
                "the tables' true figures break a relation derived from their definitions: "
                "a definition does not match the report that computes it"
            )
            raise InvalidValueError(msg, field="release", value=broken)
        self.keep(known)

    def _milp(self, objective: np.ndarray[Any, Any]) -> _Result:
        result = _run(_solver_of(self.matrix, self.rhs, self.lower, objective, integer=True))
        if result.status == OPTIMAL:
            self.keep(np.round(result.x))
        return result

    def check(self) -> None:
        """Raise if no integer values fit (the tables contradict each other)."""
        size = len(self.lower)
        for objective in (np.ones(size), np.zeros(size)):  # two solutions to start the pool
            result = self._milp(objective)
            if result.status not in (OPTIMAL, UNBOUNDED, UNBOUNDED_OR_INFEASIBLE):
                msg = Message(
                    "the published tables contradict each other: {reason}",
                    reason=result.message,
                )
                raise InvalidValueError(msg, field="release", value=result.message)

    def least(self, at: int, sign: float) -> float:
        """The minimum of ``sign * x[at]`` over the integers; -inf when there is none.

        The linear relaxation is solved first: these tables mostly give integral optima, and
        then the integer program is not needed.
        """
        objective = np.zeros(len(self.lower))
        objective[at] = sign
        relaxed = _relaxed(self, objective)
        if relaxed.status == UNBOUNDED:
            return -math.inf
        if relaxed.status == OPTIMAL and _integral(relaxed.x):
            self.keep(np.round(relaxed.x))
            return float(round(relaxed.fun))
        result = self._milp(objective)
        if result.status == OPTIMAL:
            return float(round(result.fun))
        return -math.inf  # unbounded: feasibility was checked first

    def interval(self, at: int, threshold: int | None) -> tuple[float, float]:
        """The least and greatest value of ``x[at]``; with ``threshold``, just enough of it."""
        least, most = self.least_seen, self.most_seen
        if (
            threshold is not None
            and least is not None
            and most is not None
            and most[at] >= max(threshold, least[at] + 1)
        ):
            return (least[at], most[at])
        high = -self.least(at, -1.0)
        least = self.least_seen
        low = (
            least[at] if least is not None and least[at] <= self.lower[at] else self.least(at, 1.0)
        )
        return (low, high)


def _integral(x: np.ndarray[Any, Any]) -> bool:
    """``np.allclose(x, np.round(x), atol=1e-7)``, as numpy's own test, without its cost for
    each call (its checks of shapes and infinities: the solution of an optimum is finite)."""
    rounded = np.round(x)
    if not np.isfinite(x).all():
        return bool(np.allclose(x, rounded, atol=1e-7))
    return bool((np.abs(x - rounded) <= 1e-7 + 1e-5 * np.abs(rounded)).all())


OPTIMAL = "kOptimal"


UNBOUNDED = "kUnbounded"


UNBOUNDED_OR_INFEASIBLE = "kUnboundedOrInfeasible"
"""HiGHS's model statuses (``HighsModelStatus`` names). «Unbounded or infeasible» comes after a
feasibility check that found a solution, so it means unbounded."""


@attrs.frozen
class _Result:
    status: str
    message: str
    x: np.ndarray[Any, Any]
    fun: float
    duals: np.ndarray[Any, Any]


def _solver_of(
    matrix: np.ndarray[Any, Any],
    rhs: np.ndarray[Any, Any],
    lower: np.ndarray[Any, Any],
    objective: np.ndarray[Any, Any],
    *,
    integer: bool,
) -> Any:
    """A HiGHS instance that minimises ``objective @ x`` subject to ``matrix @ x == rhs``,
    ``x >= lower``, to run (and run again with other costs, ``_relaxed``).

    highspy rather than scipy: the same solver, imported in 10 ms instead of scipy.optimize's
    450 ms, which was a quarter of ``python -m ettervern report``. The bare ``_Highs`` is used
    because ``highspy.Highs()`` prints its banner on stdout before any option can be set.
    """
    import highspy
    from highspy._core import _Highs

    rows, columns = matrix.shape
    lp = highspy.HighsLp()
    lp.num_col_ = columns
    lp.num_row_ = rows
    lp.col_cost_ = np.asarray(objective, dtype="float64")
    lp.col_lower_ = np.asarray(lower, dtype="float64")
    lp.col_upper_ = np.full(columns, highspy.kHighsInf)
    lp.row_lower_ = np.asarray(rhs, dtype="float64")
    lp.row_upper_ = np.asarray(rhs, dtype="float64")
    at_row, at_column = np.nonzero(matrix)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = columns
    lp.a_matrix_.num_row_ = rows
    lp.a_matrix_.start_ = np.searchsorted(at_row, np.arange(rows + 1)).astype(np.int32)
    lp.a_matrix_.index_ = at_column.astype(np.int32)
    lp.a_matrix_.value_ = matrix[at_row, at_column].astype("float64")
    if integer:
        lp.integrality_ = [highspy.HighsVarType.kInteger] * columns
    solver = _Highs()
    solver.setOptionValue("output_flag", False)
    solver.passModel(lp)
    return solver


def _run(solver: Any, *, duals: bool = False) -> _Result:
    solver.run()
    status = solver.getModelStatus()
    solution = solver.getSolution()
    x = np.array(solution.col_value, dtype="float64")
    value = float(solver.getObjectiveValue())  # the info's objective_function_value, not copied
    row_duals = np.array(solution.row_dual, dtype="float64") if duals else np.zeros(0)
    return _Result(status.name, solver.modelStatusToString(status), x, value, row_duals)


def _relaxed(piece: _Piece, objective: np.ndarray[Any, Any], *, duals: bool = False) -> _Result:
    """The piece's linear relaxation for ``objective``: one HiGHS instance per piece, its
    costs changed between runs, so each run starts from the last basis (warm start)."""
    if piece.relaxation is None:
        piece.relaxation = _solver_of(
            piece.matrix, piece.rhs, piece.lower, objective, integer=False
        )
    else:
        size = len(objective)
        piece.relaxation.changeColsCost(
            size, np.arange(size, dtype=np.int32), np.asarray(objective, dtype="float64")
        )
    return _run(piece.relaxation, duals=duals)


def cover(costs: Sequence[float], cuts: Sequence[Sequence[int]]) -> list[int]:
    """The cheapest set of candidates that meets every cut (HiGHS, an integer program).

    Minimise ``sum(costs[j] * y[j])`` over binary ``y`` with, for every cut, at least one of
    its candidates chosen: the master problem of optimal secondary suppression
    (``_secondary.optimal``). Returns the chosen candidates' positions.
    """
    import highspy
    from highspy._core import _Highs

    size = len(costs)
    lp = highspy.HighsLp()
    lp.num_col_ = size
    lp.num_row_ = len(cuts)
    lp.col_cost_ = np.asarray(costs, dtype="float64")
    lp.col_lower_ = np.zeros(size)
    lp.col_upper_ = np.ones(size)
    lp.row_lower_ = np.ones(len(cuts))
    lp.row_upper_ = np.full(len(cuts), highspy.kHighsInf)
    lp.a_matrix_.format_ = highspy.MatrixFormat.kRowwise
    lp.a_matrix_.num_col_ = size
    lp.a_matrix_.num_row_ = len(cuts)
    lp.a_matrix_.start_ = np.cumsum([0, *map(len, cuts)]).astype(np.int32)
    lp.a_matrix_.index_ = np.array([j for cut in cuts for j in cut], dtype=np.int32)
    lp.a_matrix_.value_ = np.ones(sum(map(len, cuts)))
    lp.integrality_ = [highspy.HighsVarType.kInteger] * size
    solver = _Highs()
    solver.setOptionValue("output_flag", False)
    solver.passModel(lp)
    solver.run()
    chosen = np.array(solver.getSolution().col_value, dtype="float64")
    return [int(j) for j in np.flatnonzero(chosen > 0.5)]
