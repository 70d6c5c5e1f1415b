"""The attacker's integer program: each hidden cell's least and greatest value (HiGHS)."""

from __future__ import annotations

import math
from collections.abc import Sequence
from typing import Any

import attrs
import numpy as np

from ettervern._l10n import Message
from ettervern._reports._model import (
    Model,
)
from ettervern.errors import InvalidValueError, MissingDependencyError


def have_solver() -> bool:
    try:
        import highspy  # noqa: F401
    except ImportError:  # pragma: no cover - the tests run with the audit extra
        return False
    return True


def solve(
    model: Model,
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    *,
    threshold: int | None = None,
    only: int | None = None,
    truth: np.ndarray[Any, Any] | None = None,
    cache: dict[Any, dict[int, tuple[float, float]]] | None = None,
) -> dict[int, tuple[float, float]]:
    """Min and max of every hidden cell and every implied count, by integer programming.

    Variables are the hidden cells, then one per implied count (``whole - parts``); the problem
    is split into independent pieces first, so each solve is small. With ``threshold``, only
    safety is decided: an interval is then as wide as the solutions found so far prove, which
    is enough to show it is at least ``threshold`` wide. With ``only``, just that unknown.
    ``truth`` (the true values, when publishing) is a known solution, so it starts the search;
    ``cache`` keeps the answers of pieces that have not changed since the last call.
    """
    if not have_solver():
        raise MissingDependencyError("highspy", "audit", Message("audit published tables"))
    n = len(values)
    rows, lower = _unknowns(model, values, hidden)
    out: dict[int, tuple[float, float]] = {}
    for members, relations in _pieces(sorted(lower), rows):
        if only is not None and only not in members:
            continue
        key = (tuple(members), tuple((tuple(c.items()), r) for c, r in relations), only)
        if cache is not None and key in cache:
            out.update(cache[key])
            continue
        known = None if truth is None else _known(truth, members, model, n)
        piece = _Piece.build(members, relations, [lower[v] for v in members], known)
        answers = {
            v: piece.interval(j, threshold)
            for j, v in enumerate(members)
            if only is None or v == only
        }
        out.update(answers)
        if cache is not None:
            cache[key] = answers
    return out


def _unknowns(
    model: Model, values: np.ndarray[Any, Any], hidden: np.ndarray[Any, Any]
) -> tuple[list[tuple[dict[int, float], float]], dict[int, float]]:
    """The attacker's equations over the unknowns (``sum(coef * var) == rhs``), and each
    unknown's lower bound: hidden cells, implied counts (after the cells), hidden changes."""
    n = len(values)
    rows: list[tuple[dict[int, float], float]] = []
    lower = dict.fromkeys((int(i) for i in np.flatnonzero(hidden)), 1.0)

    def relation(terms: Sequence[tuple[int, float]]) -> None:
        coefs: dict[int, float] = {}
        rhs = 0.0
        for var, coef in terms:
            if var < n and not hidden[var]:
                rhs -= coef * values[var]
            else:
                coefs[var] = coefs.get(var, 0.0) + coef
        if coefs:
            rows.append((coefs, rhs))

    for whole, parts in model.lines:
        relation([(whole, -1.0), *((p, 1.0) for p in parts)])
    for k, (whole, parts) in enumerate(model.subsets):
        if not (hidden[whole] or hidden[list(parts)].any()):
            continue  # every term is published: the rest is known, no need to solve
        lower[n + k] = 0.0
        relation([(whole, 1.0), *((p, -1.0) for p in parts), (n + k, -1.0)])
    for first, second, change in model.changes:
        if hidden[change]:
            lower[change] = -math.inf
        relation([(second, 1.0), (first, -1.0), (change, -1.0)])
    return rows, lower


def _known(
    truth: np.ndarray[Any, Any], members: list[int], model: Model, n: int
) -> np.ndarray[Any, Any]:
    """The true values of a piece's unknowns: cells, and the rests implied by them."""
    out = []
    for v in members:
        if v < n:
            out.append(truth[v])
        else:
            whole, parts = model.subsets[v - n]
            out.append(truth[whole] - truth[list(parts)].sum())
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
        for other in others:
            parent[find(other)] = find(first)
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
    intervals are settled without solving for them.
    """

    matrix: np.ndarray[Any, Any]
    rhs: np.ndarray[Any, Any]
    lower: np.ndarray[Any, Any]
    pool: list[np.ndarray[Any, Any]] = attrs.field(factory=list)

    @classmethod
    def build(
        cls,
        members: list[int],
        relations: list[tuple[dict[int, float], float]],
        lower: list[float],
        known: np.ndarray[Any, Any] | None = None,
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
        else:
            piece.pool.append(known)
        return piece

    def _milp(self, objective: np.ndarray[Any, Any]) -> _Result:
        result = _highs(self.matrix, self.rhs, self.lower, objective, integer=True)
        if result.status == OPTIMAL:
            self.pool.append(np.round(result.x))
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
        relaxed = _highs(self.matrix, self.rhs, self.lower, objective, integer=False)
        if relaxed.status == UNBOUNDED:
            return -math.inf
        if relaxed.status == OPTIMAL and np.allclose(relaxed.x, np.round(relaxed.x), atol=1e-7):
            self.pool.append(np.round(relaxed.x))
            return float(round(relaxed.fun))
        result = self._milp(objective)
        if result.status == OPTIMAL:
            return float(round(result.fun))
        return -math.inf  # unbounded: feasibility was checked first

    def interval(self, at: int, threshold: int | None) -> tuple[float, float]:
        """The least and greatest value of ``x[at]``; with ``threshold``, just enough of it."""
        seen = [x[at] for x in self.pool]
        if threshold is not None and seen and max(seen) >= max(threshold, min(seen) + 1):
            return (min(seen), max(seen))
        high = -self.least(at, -1.0)
        seen = [x[at] for x in self.pool]
        low = min(seen) if seen and min(seen) <= self.lower[at] else self.least(at, 1.0)
        return (low, high)


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


def _highs(
    matrix: np.ndarray[Any, Any],
    rhs: np.ndarray[Any, Any],
    lower: np.ndarray[Any, Any],
    objective: np.ndarray[Any, Any],
    *,
    integer: bool,
) -> _Result:
    """Minimise ``objective @ x`` subject to ``matrix @ x == rhs``, ``x >= lower`` with HiGHS.

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
    solver.run()
    status = solver.getModelStatus()
    x = np.array(solver.getSolution().col_value, dtype="float64")
    value = float(solver.getInfo().objective_function_value)
    return _Result(status.name, solver.modelStatusToString(status), x, value)
