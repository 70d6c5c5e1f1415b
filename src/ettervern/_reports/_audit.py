"""The audit of a published release: the attacker's model from the published frames alone,
and each hidden cell's feasible interval."""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ettervern._l10n import Message, format_number, translate
from ettervern._reports._definitions import (
    magnitude_of,
)
from ettervern._reports._model import (
    YEAR_SEPARATOR,
    Key,
    Model,
    add_derived,
    add_table,
    check_threshold,
    count_columns,
    number_of,
    read_part,
)
from ettervern._reports._solver import (
    View,
    member_parts,
    own_cells,
    shared_cells,
    solve,
    views,
)


@attrs.frozen
class CellBounds:
    """What an attacker can work out about one hidden cell, or one implied count."""

    table: str
    row: str
    column: str
    low: float
    high: float
    implied: bool = False
    """True for a count that is not a cell but follows from two (active − closed)."""
    magnitude: bool = False
    """True for hours or log entries (bounds in hours or entries): protected from being
    pinned, not by the threshold for counts."""
    member: str | None = None
    """The member whose own figures give this interval (the coalition of one); None: a
    reader who knows only what is published. With a member, ``low`` and ``high`` bound the
    *other members' part* of the cell: the cell less the member's own part, which it knows."""

    @property
    def width(self) -> float:
        """How many values the cell can still take, less one (0: it is determined)."""
        return self.high - self.low


@attrs.frozen
class Audit:
    """The result of [`audit()`][ettervern.tables.audit_release]: each hidden cell's feasible interval, and what failed."""

    threshold: int
    bounds: tuple[CellBounds, ...]
    """Every hidden cell, then every implied count that depends on one."""
    small_visible: tuple[tuple[str, str, str], ...]
    """Visible counts (or counts implied by visible ones) from 1 to ``threshold - 1``."""
    definitions: tuple[str, ...] = ()
    """The tables whose cell definitions gave the relations the attacker used
    (``ettervern._reports._definitions``): what the audit relied on."""
    members: tuple[str, ...] = ()
    """The members whose own figures the attack used, each in turn (a member's release: that
    member; the public release audited with its ``internal`` one: every member)."""

    @property
    def determined(self) -> tuple[CellBounds, ...]:
        """Hidden cells an attacker can pin to one value."""
        return tuple(b for b in self.bounds if not b.implied and b.low >= b.high)

    @property
    def below_threshold(self) -> tuple[CellBounds, ...]:
        """Hidden cells or implied counts an attacker can prove are from 1 to threshold - 1."""
        return tuple(
            b
            for b in self.bounds
            if not b.magnitude and b.high < self.threshold and (b.low >= 1 or not b.implied)
        )

    @property
    def ok(self) -> bool:
        """Whether the release holds: nothing determined, nothing provably small."""
        return not (self.determined or self.below_threshold or self.small_visible)

    @property
    def narrowest(self) -> float:
        """The narrowest hidden cell's width (max - min); infinite when nothing is hidden."""
        return min(
            (b.width for b in self.bounds if not (b.implied or b.magnitude)), default=math.inf
        )

    def summary(self, locale: str | None = None) -> str:
        """One line: ``no cell determined; the narrowest interval is 5``, or what failed."""
        if not self.ok:
            failed = {(b.table, b.row, b.column) for b in self.determined + self.below_threshold}
            failed |= set(self.small_visible)
            cells = ", ".join(f"{t}[{r}, {c}]" for t, r, c in sorted(failed))
            return Message.plural_of(
                "{count} cell can be worked out: {cells}",
                "{count} cells can be worked out: {cells}",
                by="count",
                count=len(failed),
                cells=cells,
            ).render(locale)
        if not any(not b.implied for b in self.bounds):
            return translate("no cell hidden", locale)
        width = self.narrowest
        text = "∞" if math.isinf(width) else format_number(width, locale)
        return translate("no cell determined; the narrowest interval is {width}", locale).format(
            width=text
        )

    def __str__(self) -> str:
        return self.summary("en")


@attrs.frozen
class MemberRules:
    """What a public release was protected against, for each member that knows its part of
    the cells (``_disclosure._primary``, carried on the release's ``loss``): the hours and
    entries cells whose *other members' part* is sensitive for it (case-tied amounts of 1
    or 2 cases, or failing the p % rule, that member's entries left out). A member pinning
    the others' part of any other cell learns what the rules let it (the team's own time,
    say). Not printed: cell keys, no figures."""

    judged: frozenset[Key]
    """The hours and entries cells the sets judge (the release as protected; a cell
    not among them, such as a row pooled after protection, is judged as before)."""
    sensitive: Mapping[str, frozenset[Key]]
    """By member, the judged cells whose others' part is sensitive for it."""

    @classmethod
    def of(cls, model: Model) -> MemberRules | None:
        """The sets of a protected release's ``model`` (None: not protected against members)."""
        if not model.parts:
            return None
        judged = [i for i, magnitude in enumerate(model.magnitude) if magnitude]
        return cls(
            frozenset(model.keys[i] for i in judged),
            {
                member: frozenset(model.keys[i] for i in judged if cells[i])
                for member, cells in model.sensitive.items()
            },
        )

    def exposes(self, key: Key, member: str) -> bool:
        """Whether ``member`` pinning the others' part of the cell ``key`` discloses it."""
        own = self.sensitive.get(member)
        return own is None or key not in self.judged or key in own


def _release_model(reports: Iterable[Any]) -> Model:
    """The attacker's model of a published release: only what the tables show; each
    member's own cells (its rows of the tables by municipality) in ``Model.knows``."""
    reports = list(reports)
    model = _tables_model(reports)
    bases = {r.key.removesuffix("_compared") for r in reports if r.rows == "municipality"}
    tables = {t for t, _, _ in model.keys if t.partition(YEAR_SEPARATOR)[0] in bases}
    team = next((r.team for r in reports if getattr(r, "team", None) is not None), None)
    members = None if team is None else {m.municipality.name for m in team.members}
    model.knows = own_cells(model.keys, tables, members)
    model.shared = shared_cells(model, tables)
    return model


def _tables_model(reports: Iterable[Any]) -> Model:
    """The cells and relations of the tables of a release."""
    model = Model()
    years: set[str] = set()
    for report in reports:
        frame = report.to_frame(labels=False)
        hidden = set(report.suppressed)
        columns = [str(c) for c in frame.columns]
        if not report.columns.endswith("+year"):
            counted = count_columns(report, columns)
            if counted:
                add_table(
                    model,
                    table=report.key,
                    base_key=report.key,
                    frame=frame,
                    hidden=hidden,
                    count_columns=counted,
                    magnitude=magnitude_of(report),
                )
            continue
        base_key = report.key.removesuffix("_compared")
        split = [c.split(YEAR_SEPARATOR) for c in columns]
        suffixes = list(dict.fromkeys(s for _, s in split if s != "change"))
        years.update(suffixes)
        for suffix in suffixes:
            mine = {b: f"{b}{YEAR_SEPARATOR}{suffix}" for b, s in split if s == suffix}
            part = frame[list(mine.values())].set_axis(list(mine), axis=1)
            part_hidden = {(r, b) for b, c in mine.items() for r, cc in hidden if cc == c}
            counted = count_columns(report, list(mine))
            if counted:
                table = f"{base_key}{YEAR_SEPARATOR}{suffix}"
                add_table(
                    model,
                    table=table,
                    base_key=base_key,
                    frame=part,
                    hidden=part_hidden,
                    count_columns=counted,
                    magnitude=magnitude_of(report),
                )
        if len(suffixes) == 2:
            _add_changes(
                model,
                report=report,
                frame=frame,
                base_key=base_key,
                suffixes=suffixes,
                hidden=hidden,
            )
    add_derived(model)
    return model


def _add_changes(
    model: Model,
    *,
    report: Any,
    frame: pd.DataFrame,
    base_key: str,
    suffixes: list[str],
    hidden: set[tuple[str, str]],
) -> None:
    first, second = (f"{base_key}{YEAR_SEPARATOR}{s}" for s in suffixes)
    shape = magnitude_of(report)
    scale = 1 if shape is None else shape.scale
    for row in map(str, frame.index):
        for column in map(str, frame.columns):
            base, _, suffix = column.partition(YEAR_SEPARATOR)
            a = model.index.get((first, row, base))
            b = model.index.get((second, row, base))
            if suffix != "change" or a is None or b is None:
                continue
            is_hidden = (row, column) in hidden
            value = math.nan if is_hidden else round(number_of(frame.loc[row, column]) * scale)
            change = model.add(
                (report.key, row, column), value, is_hidden, magnitude=model.magnitude[a]
            )
            model.changes.append((a, b, change))


def audit(
    release: Iterable[Any],
    *,
    threshold: int | None = None,
    internal: Iterable[Any] | None = None,
    parts: Mapping[str, Iterable[Any]] | None = None,
) -> Audit:
    """Attack a published release: each hidden cell's least and greatest possible value.

    The attacker knows every published figure of ``release`` (an [`AnnualReport`][ettervern.AnnualReport], or the
    tables of [`compare_years()`][ettervern.compare_years]): the totals, the same totals in other tables, the other
    year and the change columns, that a hidden count is at least 1 (zeros show as empty), and
    which columns count parts of another. For every hidden cell an integer program (HiGHS,
    through highspy; needs ``pip install "ettervern[audit]"``) finds its minimum and maximum.

    A member knows its own figures (its closure reports). A member's release (``audience=
    "member"``) is attacked as that member: its own rows are known, and its own small counts
    are its to see. Given the ``internal`` release the published one was made from, the
    public release is attacked by each member in turn, knowing its own rows (read from
    ``internal``): each hidden cell's interval is then the narrowest any one member gets, and
    [`CellBounds.member`][ettervern.tables.CellBounds] names that member. With ``parts`` (by
    member, the internal tables of its own cases and entries alone, as
    [`member_parts()`][ettervern.tables.member_parts] builds them) each member knows its part of
    every cell, the tables not split by member too, and is attacked on the other members'
    part: a leak is that part pinned above 0 (hours), or proved from 1 to below the threshold.

    Returns:
        An [`Audit`][ettervern.tables.Audit]; ``audit(...).ok`` is True when no hidden cell is determined or provably
        below the threshold and no visible count is below it. ``str()`` gives
        ``no cell determined; the narrowest interval is N``.
    """
    member = getattr(release, "member", None)
    reports = list(release)
    if threshold is None:
        threshold = next((r.threshold for r in reports if r.threshold is not None), 3)
    check_threshold(threshold)
    model = _release_model(reports)
    if member is not None:
        model.knows = {member: model.knows.get(member, frozenset())}
    elif internal is None:
        model.knows = {}
    values = np.array(model.values, dtype="float64")
    hidden = np.array(model.hidden, dtype=bool)
    own = model.knows.get(member, frozenset()) if member is not None else frozenset()
    changes = _change_keys(model)
    small = _small_visible(model, threshold, changes, own)
    attack = _Attack(model, threshold, changes)
    attack.run(values, hidden, member or "")  # a member's own rows are published to it
    if member is None and internal is not None:
        attack.rules = getattr(getattr(release, "loss", None), "members", None)
        _as_members(attack, values, hidden, _release_model(list(internal)), parts or {})
    return Audit(
        threshold=threshold,
        bounds=tuple(attack.bounds.values()),
        small_visible=tuple(small),
        definitions=model.relied_on,
        members=tuple(model.knows),
    )


def _as_members(
    attack: _Attack,
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    truth: Model,
    parts: Mapping[str, Iterable[Any]],
) -> None:
    """Attack the public release as each member, on the other members' part of every cell:
    its part read from its own tables (``parts``), its rows from the internal ``truth``."""
    model = attack.model
    filled = _filled(model, values, hidden, truth)
    if filled is None:
        return  # the internal release is not the one this was published from
    for name in sorted(set(model.knows) | set(parts)):
        read = np.zeros(len(values))
        for report in parts.get(name, ()):
            read_part(model, report, read)
        model.parts[name] = member_parts(model, filled, name, read)
    for view in views(model, filled, hidden)[1:]:
        attack.as_member(view)


def _small_visible(
    model: Model, threshold: int, changes: set[Key], own: frozenset[int]
) -> list[Key]:
    """Visible counts, and counts implied by visible ones, from 1 to ``threshold - 1``; not
    the ``own`` cells of the member a release is for, nor its own implied counts."""
    values = np.array(model.values, dtype="float64")
    hidden = np.array(model.hidden, dtype=bool)
    small = [
        model.keys[i]
        for i in np.flatnonzero(~hidden)
        if 1 <= values[i] < threshold
        and not model.magnitude[i]
        and model.keys[i] not in changes
        and i not in own
    ]
    for whole, parts in model.subsets:
        terms = [whole, *parts]
        if not hidden[terms].any() and not own.issuperset(terms):
            rest = values[whole] - values[list(parts)].sum()
            if 1 <= rest < threshold:
                small.append(_rest_key(model, whole, parts))
    return small


@attrs.define
class _Attack:
    """The attacks on one release, each hidden cell's narrowest interval kept (by variable)."""

    model: Model
    threshold: int
    changes: set[Key]
    bounds: dict[int, CellBounds] = attrs.field(factory=dict)
    cache: dict[Any, dict[int, tuple[float, float]]] = attrs.field(factory=dict)
    """The pieces solved so far: a member's problem is a reader's except around its own."""
    rules: MemberRules | None = None
    """The release's sets of cells sensitive for each member (None: every hidden cell)."""

    def run(
        self,
        values: np.ndarray[Any, Any],
        seen: np.ndarray[Any, Any],
        member: str,
        fixed: frozenset[int] = frozenset(),
    ) -> None:
        """Attack the pattern ``seen`` (hidden from this attacker) with ``values`` known; the
        ``fixed`` cells are hidden from readers, known to this attacker."""
        model, n = self.model, len(values)
        known = model.knows.get(member, frozenset())
        solved = solve(model, values, seen, cache=self.cache)
        shared = model.shared if member else frozenset()
        for i in np.flatnonzero(seen):
            if model.keys[i] not in self.changes and int(i) not in shared:
                self._keep(int(i), self._cell(int(i), *solved[int(i)], member))
        for k, (whole, parts) in enumerate(model.subsets):
            terms = (whole, *parts)
            if (known | shared).issuperset(terms) or (
                n + k not in solved and not fixed & set(terms)
            ):
                continue
            rest = values[whole] - values[list(parts)].sum()
            low, high = solved.get(n + k, (rest, rest))
            if n + k in solved or 1 <= rest < self.threshold:
                key = _rest_key(model, whole, parts)
                bounds = CellBounds(*key, low=low, high=high, implied=True, member=member or None)
                self._keep(n + k, bounds)

    def as_member(self, view: View) -> None:
        """Attack as a member, on the other members' part of every cell (``_solver.views``):
        a hidden cell's part pinned above 0 (hours: and no Total, the others' sum; with the
        release's ``rules``, only where that part is sensitive for the member), or a
        count's proved from 1 to below the threshold, is kept, with the member named."""
        model = self.model
        solved = solve(
            model,
            view.values,
            view.seen,
            cache=self.cache,
            floor=view.floor,
            unlike=view.unlike,
        )
        for i in np.flatnonzero(view.seen):
            if model.keys[i] in self.changes:
                continue
            low, high = solved[int(i)]
            part = model.parts.get(view.member)
            if int(i) in model.shared and (model.magnitude[i] or part is None or part[i] == 0):
                continue  # the others' sum (or, its part unknown, the whole): see _secondary
            if model.magnitude[i]:
                exposed = high > 0 and low >= high
                if exposed and self.rules is not None:
                    exposed = self.rules.exposes(model.keys[i], view.member)
            else:
                exposed = low >= 1 and high < self.threshold
            if exposed:
                self._keep(int(i), self._cell(int(i), low, high, view.member))
        self._member_rests(view, solved)

    def _member_rests(self, view: View, solved: dict[int, tuple[float, float]]) -> None:
        """The implied counts of the others' parts a member proves small (``as_member``)."""
        model, n = self.model, len(view.values)
        hidden = np.array(model.hidden, dtype=bool)
        known = model.knows.get(view.member, frozenset())
        odd = view.unlike.subsets if view.unlike is not None else np.zeros(0, dtype=bool)
        for k, (whole, parts) in enumerate(model.subsets):
            terms = (whole, *parts)
            if known.issuperset(terms):
                continue  # the member's own implied count
            if k < len(odd) and odd[k]:
                continue  # the others' rest is no count (``_solver.Unlike``)
            rest = view.values[whole] - view.values[list(parts)].sum()
            if n + k in solved:
                low, high = solved[n + k]
            elif all(not hidden[t] or t in known for t in terms):
                low = high = rest
            else:
                continue
            if low >= 1 and high < self.threshold:
                key = _rest_key(model, whole, parts)
                self._keep(
                    n + k, CellBounds(*key, low=low, high=high, implied=True, member=view.member)
                )

    def _cell(self, i: int, low: float, high: float, member: str) -> CellBounds:
        model = self.model
        if model.magnitude[i]:
            step = model.steps.get(model.keys[i][0], 1)
            return CellBounds(
                *model.keys[i],
                low=low / step,
                high=high / step,
                magnitude=True,
                member=member or None,
            )
        return CellBounds(*model.keys[i], low=low, high=high, member=member or None)

    def _keep(self, var: int, bounds: CellBounds) -> None:
        """Keep ``bounds`` if no attack so far did worse for this cell."""
        before = self.bounds.get(var)
        if before is None or _risk(bounds, self.threshold) > _risk(before, self.threshold):
            self.bounds[var] = bounds


def _risk(bounds: CellBounds, threshold: int) -> tuple[bool, float]:
    """How badly an interval exposes its cell: at risk first, then the narrower."""
    if bounds.implied:
        exposed = bounds.low >= 1 and bounds.high < threshold
    else:
        exposed = bounds.low >= bounds.high or (not bounds.magnitude and bounds.high < threshold)
    return (exposed, -bounds.width)


def _filled(
    model: Model, values: np.ndarray[Any, Any], hidden: np.ndarray[Any, Any], truth: Model
) -> np.ndarray[Any, Any] | None:
    """The release's values with its hidden cells read from the internal ``truth``; None if
    that is not the release this was published from (a hidden cell it does not hold)."""
    filled = values.copy()
    for i in np.flatnonzero(hidden):
        at = truth.index.get(model.keys[i])
        if at is None:
            return None
        filled[i] = truth.values[at]
    return filled


def _change_keys(model: Model) -> set[Key]:
    return {model.keys[c] for _, _, c in model.changes}


def _rest_key(model: Model, whole: int, parts: Sequence[int]) -> Key:
    table, row, column = model.keys[whole]
    minus = "-".join(model.keys[p][2] for p in parts)
    return (table, row, f"{column}-{minus}")
