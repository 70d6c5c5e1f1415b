"""Secondary suppression: which further cells to hide so that no hidden cell is pinned or
proved small.

Two methods (``METHODS``): ``optimal`` (with HiGHS, the default then) hides the least value
that the exact attack accepts, by an integer program refined with cuts from the attack;
``greedy`` (without HiGHS, and the baseline) hides the smallest tied cell around each cell at
risk, by propagated bounds, then checks with the exact attack and gives back what it can."""

from __future__ import annotations

import math
from collections.abc import Callable, Iterable
from typing import Any

import numpy as np

from ettervern._l10n import Message
from ettervern._reports._model import (
    TOTAL,
    Model,
)
from ettervern._reports._solver import (
    Certificates,
    Unlike,
    View,
    cover,
    have_solver,
    member_view,
    shared_answers,
    solve,
    views,
)
from ettervern.errors import InvalidValueError

Risk = tuple[str, int, str]
"""A cell (``cell``, index) or implied count (``rest``, index of the subset) at risk, and the
attacker who puts it there: ``""`` a reader of the release, else the member whose own cells
it knows (``Model.knows``)."""

METHODS = ("optimal", "greedy")
"""The secondary suppression methods, the default (with HiGHS) first."""


def _bounds(
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    model: Model,
    floor: np.ndarray[Any, Any] | None = None,
    unlike: Unlike | None = None,
) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
    """Bounds of every cell from the relations: visible cells fixed, hidden ones at least 1
    (or their ``floor``, in a member's view; ``unlike``, the relations its part does not
    obey, taken as the cells obey them: the whole's part less the parts' added to it).

    Interval propagation: each relation narrows its cells' bounds from the others' until
    nothing changes. The result contains what an attacker can prove (it may be wider).
    """
    # Plain floats: the relations are short, and numpy's cost per call on a handful of cells
    # was most of publishing a report (25,000 small sums for the example year).
    is_hidden = [bool(h) for h in hidden]
    least = [1.0] * len(values) if floor is None else [float(f) for f in floor]
    lo = [m if h else float(v) for v, h, m in zip(values, is_hidden, least, strict=True)]
    hi = [math.inf if h else float(v) for v, h in zip(values, is_hidden, strict=True)]
    relations = [
        r
        for r in _relations(model, unlike)
        if is_hidden[r[0]] or any(map(is_hidden.__getitem__, r[1]))
    ]
    finite = math.isfinite
    for _ in range(2 * len(relations) + 2):
        before = (lo.copy(), hi.copy())
        for whole, parts, above, below, d in relations:
            sum_lo = sum(lo[p] for p in parts)
            sum_hi_finite = sum(hi[p] for p in parts if finite(hi[p]))
            unbounded = sum(1 for p in parts if not finite(hi[p]))
            if above:
                lo[whole] = max(lo[whole], sum_lo - d)
            if below and not unbounded:
                hi[whole] = min(hi[whole], sum_hi_finite - d)
            for p in parts:
                if not is_hidden[p]:
                    continue
                if above:
                    hi[p] = min(hi[p], hi[whole] + d - (sum_lo - lo[p]))
                others_unbounded = unbounded - (0 if finite(hi[p]) else 1)
                if below and not others_unbounded and finite(lo[whole]):
                    others_hi = sum_hi_finite - (hi[p] if finite(hi[p]) else 0.0)
                    lo[p] = max(lo[p], lo[whole] + d - others_hi)
        if before == (lo, hi):
            break
    return np.array(lo, dtype="float64"), np.array(hi, dtype="float64")


def _relations(
    model: Model, unlike: Unlike | None
) -> list[tuple[int, tuple[int, ...], bool, bool, float]]:
    """The sums, subsets and covers for ``_bounds``: (whole, parts, whole >= sum(parts),
    whole <= sum(parts), the member's part of the whole less its parts' where the relation
    is ``unlike`` its part, else 0)."""
    out: list[tuple[int, tuple[int, ...], bool, bool, float]] = []
    kinds = ((model.lines, True, True), (model.subsets, True, False), (model.covers, False, True))
    masks = (None, None, None) if unlike is None else (unlike.lines, unlike.subsets, unlike.covers)
    part = None if unlike is None else unlike.part
    for (relations, above, below), mask in zip(kinds, masks, strict=True):
        odd = set() if mask is None else set(np.flatnonzero(mask).tolist())
        for k, (whole, parts) in enumerate(relations):
            d = 0.0
            if part is not None and k in odd:
                d = float(part[whole] - part[list(parts)].sum())
            out.append((whole, tuple(parts), above, below, d))
    return out


Intervals = Callable[[View], Callable[[int], "tuple[float, float] | None"]]
"""A source of intervals: for an attacker's view, each unknown's least and greatest value
(a hidden cell by index, an implied count as ``n + k``), or None where it is no unknown."""


def _propagated(model: Model) -> Intervals:
    """Intervals by propagated bounds (``_bounds``): fast, and wider than the exact ones."""

    def of(view: View) -> Callable[[int], tuple[float, float] | None]:
        lo, hi = _bounds(view.values, view.seen, model, view.floor, view.unlike)
        n = len(lo)

        def interval(var: int) -> tuple[float, float] | None:
            if var < n:
                return (float(lo[var]), float(hi[var]))
            whole, parts = model.subsets[var - n]
            if not view.seen[[whole, *parts]].any():
                return None
            parts_hi = hi[list(parts)].sum()
            rest_lo = 0.0 if math.isinf(parts_hi) else max(0.0, lo[whole] - parts_hi)
            return (float(rest_lo), float(hi[whole] - lo[list(parts)].sum()))

        return interval

    return of


def _exact(
    model: Model, threshold: int, cache: dict[Any, dict[int, tuple[float, float]]]
) -> Intervals:
    """Intervals by the exact attack (``solve``, needs HiGHS); the pieces a member's view
    shares with a reader's come from the ``cache``."""

    def of(view: View) -> Callable[[int], tuple[float, float] | None]:
        solved = solve(
            model,
            view.values,
            view.seen,
            threshold=threshold,
            truth=view.values,
            cache=cache,
            floor=view.floor,
            unlike=view.unlike,
        )
        return solved.get

    return of


def _unsafe(
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    model: Model,
    threshold: int,
    intervals: Intervals,
    *,
    members: bool = True,
    primary: np.ndarray[Any, Any] | None = None,
) -> list[Risk]:
    """The hidden cells and implied counts an attacker could pin down or prove small, with
    the ``intervals`` of one source (propagated bounds, or the exact attack): a reader of the
    release, then each member on the other members' part (``members``; ``views``).

    Against a member, a cell is at risk only if its others' part is sensitive for that
    member (``_sensitive_for``): any other cell's others' part, shown, would tell the member
    nothing the rules forbid."""
    found: list[Risk] = []
    for view in views(model, values, hidden) if members else [View("", values, hidden)]:
        interval = intervals(view)
        for i in np.flatnonzero(view.seen):
            low, high = interval(int(i)) or (math.nan, math.nan)
            if not view.member:
                risky = _at_risk(model, int(i), low, high, threshold)
            else:
                risky = (
                    _sensitive_for(model, view.member, int(i), primary)
                    and not _others_sum(model, view.member, int(i))
                    and _member_at_risk(model, int(i), low, high, threshold)
                )
            if risky:
                found.append(("cell", int(i), view.member))
        found += _rests_at_risk(model, view, hidden, interval, threshold)
    return _first_seen(found)


def _sensitive_for(model: Model, member: str, i: int, primary: np.ndarray[Any, Any] | None) -> bool:
    """Whether the other members' part of cell ``i`` is sensitive for ``member``: in its
    primary set (``Model.sensitive``, ``_disclosure._primary``), or, for a member without
    one, ``i`` hidden for its own sake (``primary``; None: every cell)."""
    own = model.sensitive.get(member)
    if own is not None:
        return bool(own[i])
    return primary is None or bool(primary[i])


def _rests_at_risk(
    model: Model,
    view: View,
    hidden: np.ndarray[Any, Any],
    interval: Callable[[int], tuple[float, float] | None],
    threshold: int,
) -> list[Risk]:
    """The implied counts (whole less parts) the attacker of ``view`` proves from 1 to below
    the threshold, with the ``interval`` of each (``_unsafe``)."""
    n = len(view.values)
    known = model.knows.get(view.member, frozenset())
    found: list[Risk] = []
    odd = np.zeros(len(model.subsets), dtype=bool) if view.unlike is None else view.unlike.subsets
    for k, (whole, parts) in enumerate(model.subsets):
        if view.member and known.issuperset((whole, *parts)):
            continue  # the member's own implied count (its active less its closed)
        if odd[k]:
            continue  # the others' rest is no count (``Unlike``): the reader's is checked
        rest = view.values[whole] - view.values[list(parts)].sum()
        if not 1 <= rest < threshold:
            continue  # the true count is safe: no interval can prove it small
        bounds = interval(n + k)
        if bounds is None:
            if not _all_known(model, view, hidden, (whole, *parts)):
                continue
            bounds = (rest, rest)
        if bounds[0] >= 1 and bounds[1] < threshold:
            found.append(("rest", k, view.member))
    return found


def _all_known(
    model: Model, view: View, hidden: np.ndarray[Any, Any], terms: tuple[int, ...]
) -> bool:
    """Whether the attacker of ``view`` knows every term of an implied count: published in
    the pattern ``hidden``, or its own. (A member's view leaves out the pieces its part does
    not touch: their hidden cells are the reader's to attack.)"""
    known = model.knows.get(view.member, frozenset())
    return all(not hidden[t] or t in known for t in terms)


def _others_sum(model: Model, member: str, i: int) -> bool:
    """Whether cell ``i`` is a Total row (or equal to one) of which ``member``'s part is not
    known (none read, ``_solver.member_parts``): the interval is then of the whole, the
    member's own rows in it, and every other member's row is checked on its own
    (``Model.shared``)."""
    part = model.parts.get(member)
    return i in model.shared and (part is None or part[i] == 0)


def _member_at_risk(model: Model, i: int, low: float, high: float, threshold: int) -> bool:
    """Whether a member's interval ``[low, high]`` of the other members' part of hidden cell
    ``i`` exposes them: a part above 0 pinned, a count proved from 1 to below the threshold,
    a magnitude known to within its protection."""
    if high <= 0:
        return False  # none of it is the others': the cell is the member's own
    if low >= high:
        return True
    if model.magnitude[i]:
        return high - low < model.protection.get(i, 1.0)
    return low >= 1 and high < threshold


def _first_seen(found: list[Risk]) -> list[Risk]:
    """Each cell at risk once, with the first attacker that puts it there (a reader's risk
    is every member's too)."""
    seen: set[tuple[str, int]] = set()
    out = []
    for kind, at, member in found:
        if (kind, at) not in seen:
            seen.add((kind, at))
            out.append((kind, at, member))
    return out


def _candidates(kind: str, at: int, model: Model) -> list[list[int]]:
    """Cells whose hiding could protect ``at``, nearest relation first."""
    if kind == "rest":
        whole, parts = model.subsets[at]
        return [list(parts), [whole]]
    groups: list[list[int]] = [[], [], [], [], []]
    for whole, parts in model.lines:
        if at in parts:
            groups[0] += [p for p in parts if p != at]
            groups[4].append(whole)
        elif at == whole:
            groups[3] += list(parts)
    for whole, parts in model.subsets:
        if at in parts:
            groups[1] += [p for p in parts if p != at] + [whole]
        elif at == whole:
            groups[2] += list(parts)
    return groups


def _at_risk(model: Model, i: int, low: float, high: float, threshold: int) -> bool:
    """Whether hidden cell ``i`` is not protected by its feasible interval ``[low, high]``.

    A count must not be pinned (low = high) nor proved below the threshold; a magnitude must
    not be pinned nor known to within its protection (the p of the p% rule, of its value).
    """
    if low >= high:
        return True
    if model.magnitude[i]:
        return high - low < model.protection.get(i, 1.0)
    return high < threshold


def secondary(
    values: np.ndarray[Any, Any],
    model: Model,
    threshold: int,
    primary: np.ndarray[Any, Any],
    *,
    method: str | None = None,
) -> np.ndarray[Any, Any]:
    """Secondary suppression around the ``primary`` cells: the cells to hide.

    ``method`` is one of ``METHODS``; by default ``optimal`` where HiGHS is installed (the
    ``audit`` extra), else ``greedy``.
    """
    with shared_answers():  # the optimal method's rounds and its fallback ask alike
        if method_of(method) == "optimal":
            return optimal(values, model, threshold, primary)
        return greedy(values, model, threshold, primary)


def method_of(method: str | None) -> str:
    """The method that runs for ``method``: ``optimal`` needs HiGHS (the ``audit`` extra) and
    is the default with it; without, ``greedy``."""
    if method not in (None, *METHODS):
        msg = Message(
            "unknown suppression method {method}; expected one of {methods}",
            method=method,
            methods=", ".join(METHODS),
        )
        raise InvalidValueError(msg, field="method", value=method)
    return "optimal" if method in (None, "optimal") and have_solver() else "greedy"


def optimal(
    values: np.ndarray[Any, Any],
    model: Model,
    threshold: int,
    primary: np.ndarray[Any, Any],
) -> np.ndarray[Any, Any]:
    """The secondary cells of least total value (each cell costs its value plus one, so that
    of equal values the fewer cells win) that leave no cell at risk (needs HiGHS).

    A cutting-plane loop in the manner of τ-ARGUS's and sdcTable's optimal methods (Fischetti
    and Salazar-González), with the exact attack as the separation step. The master problem
    (``_solver.cover``) picks the cheapest cells meeting every cut found so far; the attack
    (``_unsafe`` with ``_exact`` intervals) then looks for a cell at risk. For each, the published cells tied to it
    (``_tied``) make a new cut: as long as all of them stay published, the attacker can use
    the same relations with the same known values, and hiding more never narrows an interval,
    so every safe pattern hides one of them. The loop ends when the attack finds nothing (the
    pattern is then optimal among all that the cuts allow, and so among all safe ones) or
    after ``ROUNDS``; then the greedy refinement finishes the last pattern safely.
    """
    n = len(values)
    candidates = [
        c for c in range(n) if not primary[c] and values[c] >= 1 and c not in model.forced
    ]
    position = {c: j for j, c in enumerate(candidates)}
    costs = [float(values[c]) + 1.0 for c in candidates]
    cuts = _first_cuts(values, model, primary, position, threshold)
    cache: dict[Any, dict[int, tuple[float, float]]] = {}
    exact = _exact(model, threshold, cache)
    hidden = primary.copy()
    for _ in range(ROUNDS):
        hidden = primary.copy()
        hidden[[candidates[j] for j in (cover(costs, sorted(cuts)) if cuts else [])]] = True
        found = _unsafe(values, hidden, model, threshold, exact, primary=primary)
        at_risk = [
            (at if kind == "cell" else n + at, member)
            for kind, at, member in found
            if kind == "rest" or primary[at]  # a secondary cell pinned is published at the end
        ]
        new = _new_cuts(values, hidden, model, threshold, (at_risk, position, cuts))
        if not new:
            _publish_pinned(values, hidden, primary, model, cache)
            return hidden  # safe, or at risk with nothing left to hide (the audit says so)
        cuts |= new
    # Not proved optimal within the rounds: the last pattern (a lower bound) finished by the
    # greedy refinement, or the greedy pattern, whichever hides less.
    _refine(values, hidden, model, threshold, primary)
    _publish_pinned(values, hidden, primary, model, cache)
    fallback = greedy(values, model, threshold, primary)
    return min((hidden, fallback), key=lambda h: (float(values[h].sum()), int(h.sum())))


ROUNDS = 12
"""How many patterns the optimal method tries before it settles for the best safe one it can
finish: each round is an exact attack, and the cuts close the gap slowly on large releases."""


def _publish_pinned(
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    primary: np.ndarray[Any, Any],
    model: Model,
    cache: dict[Any, dict[int, tuple[float, float]]],
) -> None:
    """Publish the secondary cells the attack pins anyway: hiding them hides nothing, and the
    attacker learns nothing new from them."""
    solved = solve(model, values, hidden, truth=values, cache=cache)
    for cell in np.flatnonzero(hidden & ~primary):
        low, high = solved[int(cell)]
        if low >= high:
            hidden[cell] = False


def _new_cuts(
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    model: Model,
    threshold: int,
    state: tuple[list[tuple[int, str]], dict[int, int], set[tuple[int, ...]]],
) -> set[tuple[int, ...]]:
    """One cut for each unknown ``at_risk`` in the pattern ``hidden`` not found before. A
    member's cut leaves out its own cells: hiding them never hides them from it."""
    at_risk, position, cuts = state
    by_member: dict[str, list[int]] = {}
    for var, member in at_risk:
        by_member.setdefault(member, []).append(var)
    new: set[tuple[int, ...]] = set()
    for view in views(model, values, hidden):
        if view.member not in by_member:
            continue
        known = model.knows.get(view.member, frozenset())
        proofs = Certificates.of(model, view)
        for var in by_member[view.member]:
            cells = _cut(proofs, view, model, threshold, var=var)
            cut = tuple(sorted(position[c] for c in cells if c in position and c not in known))
            if cut and cut not in cuts:
                new.add(cut)
    return new


def _cut(
    proofs: Certificates, view: View, model: Model, threshold: int, *, var: int
) -> Iterable[int]:
    """Published cells of which a safe pattern must hide one, ``var`` being at risk in the
    attacker's ``view``: those the relaxation's proof reads (``Certificates.certificate``),
    else every cell tied to it."""
    n = len(view.values)

    def at_risk(low: float, high: float) -> bool:
        if var >= n:
            return low >= 1 and high < threshold
        if view.member:
            return _member_at_risk(model, var, low, high, threshold)
        return _at_risk(model, var, low, high, threshold)

    upper_only = var < n and not model.magnitude[var]  # a primary count: too small
    used = proofs.certificate(var, at_risk, upper_only=upper_only)
    return _tied(model, view.seen, view.values, var) if used is None else used


def _first_cuts(
    values: np.ndarray[Any, Any],
    model: Model,
    primary: np.ndarray[Any, Any],
    position: dict[int, int],
    threshold: int,
) -> set[tuple[int, ...]]:
    """The cuts known before any attack, from one relation at a time: where the primary cells
    of a relation would be pinned or proved small if all its other cells were published, one
    of those must be hidden (GaussSuppression's first step, with bounds)."""
    cuts: set[tuple[int, ...]] = set()
    relations = [(whole, parts, True) for whole, parts in model.lines]
    relations += [(whole, parts, False) for whole, parts in model.subsets]
    for whole, parts, equal in relations:
        cut = tuple(sorted(position[c] for c in (whole, *parts) if c in position))
        if cut and _alone_at_risk(values, model, primary, threshold, (whole, parts, equal)):
            cuts.add(cut)
    return cuts


def _alone_at_risk(
    values: np.ndarray[Any, Any],
    model: Model,
    primary: np.ndarray[Any, Any],
    threshold: int,
    relation: tuple[int, tuple[int, ...], bool],
) -> bool:
    """Whether one relation alone would put a primary cell at risk (or show a small implied
    count) if every cell of it but the primary ones were published."""
    whole, parts, equal = relation
    hidden_parts = [p for p in parts if primary[p]]
    if primary[whole]:
        return equal and not hidden_parts  # a total of published parts is their sum
    if not hidden_parts:
        return not equal and 1 <= values[whole] - values[list(parts)].sum() < threshold
    if equal and len(hidden_parts) == 1:
        return True
    if any(model.magnitude[p] for p in hidden_parts):
        return False
    known = values[whole] - sum(values[p] for p in parts if not primary[p])
    return bool(known - (len(hidden_parts) - 1) < threshold)


def greedy(
    values: np.ndarray[Any, Any],
    model: Model,
    threshold: int,
    primary: np.ndarray[Any, Any],
) -> np.ndarray[Any, Any]:
    """Today's heuristic: around each cell at risk by propagated bounds, hide the smallest
    tied cell (totals last); then, with HiGHS, the exact attack's refinement and relaxation."""
    hidden = primary.copy()
    stuck: set[Risk] = set()
    for _ in range(len(values) + 1):
        found = [
            f
            for f in _unsafe(
                values,
                hidden,
                model,
                threshold,
                _propagated(model),
                members=not have_solver(),
                primary=primary,
            )
            if f not in stuck
        ]
        if not found:
            break
        # Fix first what can be fixed without hiding a total: the cause of a cell's risk is
        # often another cell at risk (a part is at risk because its whole is).
        pick = None
        for totals in (False, True):
            for kind, at, member in found:
                groups = _candidates(kind, at, model)
                known = model.knows.get(member, frozenset())
                pick = _pick(groups, hidden, values, model, totals=totals, known=known)
                if pick is not None:
                    break
            if pick is not None:
                break
        if pick is None:
            stuck.update(found)  # nothing left to hide around them; the audit will say so
        else:
            hidden[pick] = True
    if have_solver():
        _refine(values, hidden, model, threshold, primary)
        _relax(values, hidden, model, threshold, primary)
    return hidden


def _relax(
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    model: Model,
    threshold: int,
    primary: np.ndarray[Any, Any],
) -> None:
    """Publish again each secondary cell the exact attack shows is not needed (needs HiGHS).

    The cells hidden to protect others are tried one by one, the largest first (a total
    tells readers most), and published whenever the release stays safe without them: the
    greedy heuristic above hides what protects, this pass gives back what it did not need.
    """
    cache: dict[Any, dict[int, tuple[float, float]]] = {}
    solved = solve(model, values, hidden, truth=values, cache=cache)
    for cell in np.flatnonzero(hidden & ~primary):
        low, high = solved[int(cell)]
        if low >= high:  # worked out from what is published anyway: hiding it hides nothing
            hidden[cell] = False
    exact = _exact(model, threshold, cache)
    counts = ~np.array(model.magnitude, dtype=bool)  # magnitudes: too many to try each
    order = sorted(np.flatnonzero(hidden & ~primary & counts), key=lambda c: (-values[c], c))
    for cell in order[:RELAX_TRIALS]:
        hidden[cell] = False
        if _unsafe(values, hidden, model, threshold, exact, primary=primary):
            hidden[cell] = True


def _pick(
    groups: list[list[int]],
    hidden: np.ndarray[Any, Any],
    values: np.ndarray[Any, Any],
    model: Model,
    *,
    totals: bool,
    known: frozenset[int] = frozenset(),
) -> int | None:
    """The cell to hide next: from the nearest group, the smallest; totals only if ``totals``;
    never one the attacker ``known`` to be protected against knows anyway."""
    for allowed in (False, True) if totals else (False,):
        for group in groups:
            open_cells = [
                c
                for c in dict.fromkeys(group)
                if not hidden[c]
                and values[c] >= 1
                and c not in model.forced
                and c not in known
                and (model.keys[c][1] == TOTAL) == allowed
            ]
            if open_cells:
                return min(open_cells, key=lambda c: (values[c], c))
    return None


def _refine(
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    model: Model,
    threshold: int,
    primary: np.ndarray[Any, Any],
) -> None:
    """Where the exact attack still pins a cell down, hide more around it (needs HiGHS).

    Bounds propagated one relation at a time miss what an attacker gets by combining several
    (summing inequalities over rows, say); the integer program does not. For each cell still
    at risk, the published cells it is tied to are tried one by one — cells before totals,
    small before large — and the first whose hiding protects it is hidden.
    """
    stuck: set[Risk] = set()
    n = len(values)
    cache: dict[Any, dict[int, tuple[float, float]]] = {}
    exact = _exact(model, threshold, cache)
    for _ in range(n + 1):
        found = [
            f
            for f in _unsafe(values, hidden, model, threshold, exact, primary=primary)
            if f not in stuck
        ]
        if not found:
            return
        for item in found:  # each in turn, as long as the ones before have not saved it
            kind, at, member = item
            var = at if kind == "cell" else n + at
            if item is not found[0] and _safe(
                values,
                hidden=hidden,
                model=model,
                threshold=threshold,
                var=var,
                cache=cache,
                member=member,
            ):
                continue
            known = model.knows.get(member, frozenset())
            tied = [c for c in _tied(model, _seen(hidden, known), values, var) if c not in known]
            trials = MAGNITUDE_TRIALS if var < n and model.magnitude[var] else TRIALS
            for cell in tied[:trials]:
                hidden[cell] = True
                if _safe(
                    values,
                    hidden=hidden,
                    model=model,
                    threshold=threshold,
                    var=var,
                    cache=cache,
                    member=member,
                ):
                    break
                hidden[cell] = False
            else:
                if tied:
                    hidden[tied[0]] = True
                else:
                    stuck.add(item)


def _seen(hidden: np.ndarray[Any, Any], known: frozenset[int]) -> np.ndarray[Any, Any]:
    """The pattern ``hidden`` as an attacker who ``known`` the cells sees it."""
    if not known:
        return hidden
    seen = hidden.copy()
    seen[sorted(known)] = False
    return seen


TRIALS = 8
"""How many cells are tried, one by one, to protect a cell at risk before the first is taken."""


MAGNITUDE_TRIALS = 2
"""The same for an hours cell: its neighbours are many and alike, and each try is an exact
attack on the hours tables, the largest part of the release."""


RELAX_TRIALS = 8
"""How many secondary cells, the largest first, are tried for publishing again: each try is
an exact attack on the release, and the largest cells are those readers miss most."""


def _safe(
    values: np.ndarray[Any, Any],
    *,
    hidden: np.ndarray[Any, Any],
    model: Model,
    threshold: int,
    var: int,
    cache: dict[Any, dict[int, tuple[float, float]]],
    member: str = "",
) -> bool:
    """Whether ``var`` is safe in the pattern ``hidden`` against the ``member`` (or a reader)."""
    view = member_view(model, values, hidden, member)
    solved = solve(
        model,
        view.values,
        view.seen,
        threshold=threshold,
        only=var,
        truth=view.values,
        cache=cache,
        floor=view.floor,
        unlike=view.unlike,
    )
    if var not in solved:
        return False  # an implied count of cells all published: only hiding one helps
    low, high = solved[var]
    if var >= len(values):
        return not (low >= 1 and high < threshold)
    if member:
        return not _member_at_risk(model, var, low, high, threshold)
    return not _at_risk(model, var, low, high, threshold)


def _tied(
    model: Model, hidden: np.ndarray[Any, Any], values: np.ndarray[Any, Any], var: int
) -> list[int]:
    """Published non-zero cells in the relations that tie ``var`` to other unknowns."""
    n = len(values)
    relations = [(whole, *parts) for whole, parts in model.lines]
    relations += [(whole, *parts, n + k) for k, (whole, parts) in enumerate(model.subsets)]
    start = model.rests_from(n)
    relations += [(whole, *parts, start + k) for k, (whole, parts) in enumerate(model.covers)]
    relations += list(model.changes)
    touching: dict[int, list[int]] = {}
    for r, cells in enumerate(relations):
        for cell in cells:
            touching.setdefault(cell, []).append(r)
    seen, todo, published = {var}, [var], set()
    while todo:
        current = todo.pop()
        for r in touching.get(current, []):
            for cell in relations[r]:
                if cell >= n or hidden[cell]:
                    if cell not in seen:
                        seen.add(cell)
                        todo.append(cell)
                elif values[cell] >= 1 and cell not in model.forced:
                    published.add(cell)
    return sorted(published, key=lambda c: (model.keys[c][1] == TOTAL, values[c], c))
