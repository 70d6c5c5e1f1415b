"""Disclosure control for a whole release: which cells to hide, and an audit that proves it held.

A *release* is every table published together (an annual report, or both years of a
comparison). Its counts, and its hours and log entries, are one system of linear relations,
derived from what each cell counts (``_definitions``). Hiding a cell protects it only if no
combination of what *is* published pins it down. The work is split by job:

- ``_definitions``: what each cell counts, and the relations that follow (the model's rows);
- ``_model``: the cells of a release with their values and relations;
- ``_magnitude``: who contributes to an hours cell, and the rules for magnitudes;
- ``_secondary``: secondary suppression that loses the least (``optimal``, or ``greedy``);
- ``_solver``: the attacker's integer program (HiGHS, the ``audit`` extra);
- ``_audit``: [`audit()`][ettervern.tables.audit_release], from the published tables alone;
- this module: primary suppression, publishing a release, its information loss, and
  coarser groupings proposed where a table is mostly hidden (``Proposal``, ``pool=``).

Zeros are shown as empty cells and only non-zero cells are ever hidden, so a hidden cell is
known to be at least 1: the audit counts on that.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ettervern._l10n import N_, Label, Message, Share
from ettervern._reports._audit import (
    Audit,
    CellBounds,
    MemberRules,
    audit,
)
from ettervern._reports._definitions import (
    TABLES,
    Magnitude,
    magnitude_of,
)
from ettervern._reports._magnitude import Contributions, sensitive
from ettervern._reports._model import (
    TABLE_RULES,
    TOTAL,
    YEAR_SEPARATOR,
    Model,
    TableRules,
    add_derived,
    add_table,
    check_threshold,
    count_columns,
    is_present,
    number_of,
    read_part,
    rules_for,
)
from ettervern._reports._pooling import (
    MOSTLY_HIDDEN,
    OTHER_MEMBERS,
    Pooled,
    categories_of,
    category_candidates,
    knows_nothing_else,
    logged_categories,
    pooled_columns,
    pooled_frame,
    sensitive_rows,
)
from ettervern._reports._secondary import (
    method_of,
    secondary,
)
from ettervern._reports._solver import member_parts, own_cells, shared_cells
from ettervern._reports._tidy import set_cells, tidy_from_grid, tidy_from_wide

__all__ = [
    "HOURS_POLICY",
    "OTHER_MEMBERS",
    "RULE",
    "TABLE_RULES",
    "Audit",
    "CellBounds",
    "InformationLoss",
    "Proposal",
    "TableRules",
    "as_published",
    "audit",
    "check_threshold",
    "hide_compared",
    "information_loss",
    "publish",
    "publish_with_loss",
    "read_by_protection",
    "rules_for",
    "sensitive_to_members",
]


RULE = N_("Counts below {threshold} are hidden (:), with the cells that would reveal them.")
"""The rule printed under every protected table and on the cover (an English message id)."""


HOURS_POLICY = N_(
    "Hours and log entries from fewer cases than the threshold, or mostly from one or two "
    "(the p-percent rule), are hidden too; time tied to no case is the team's own."
)
"""The hours policy, printed with the rule (docs/privacy.md gives the reasons)."""


DOMINANCE_P = 10.0
"""The p of the p% rule for magnitudes when the team sets none (see ``_magnitude``)."""


@attrs.frozen
class InformationLoss:
    """What a release gives up to protect its cells: how many are hidden, and how much."""

    cells: int
    """Non-zero count and magnitude cells of the release."""
    hidden: int
    """Of them, hidden (primary and secondary)."""
    primary: int
    """Of the hidden, those hidden for their own sake (below the threshold, or by the rules
    for magnitudes); the rest protect them."""
    share_hidden: float
    """The share of the release's summed values (counts, and hours in half hours, totals
    too) hidden: one figure to compare patterns by; ``shares`` reads better."""
    tables: Mapping[str, InformationLoss] = attrs.field(factory=dict)
    """The same for each table of the release, by its report key."""
    proposals: tuple[Proposal, ...] = ()
    """Coarser groupings that would publish more of the tables mostly hidden."""
    method: str = ""
    """The secondary suppression method used (``_secondary.METHODS``)."""
    shares: Mapping[str, float] = attrs.field(factory=dict)
    """The share hidden of each unit's summed inner cells, totals left out: ``counts``
    (cases, people), ``hours``, ``entries`` (log entries); only the units the release has.
    Cells that the rule for members' hours (``member_hours``) pools or hides after protection
    are counted in ``cells`` and ``hidden`` (``with_rows_pooled``)."""
    members: MemberRules | None = attrs.field(default=None, repr=False, eq=False, kw_only=True)
    """The hours and entries cells sensitive for each member, for the audit to ask what the
    suppression asked (``_audit.MemberRules``; None: not protected against members)."""

    def __str__(self) -> str:
        return (
            f"{self.hidden} of {self.cells} cells hidden ({self.primary} primary), "
            f"{self.share_hidden:.0%} of the total"
        )


@attrs.frozen
class Proposal:
    """A coarser grouping for a table that would be mostly hidden: its members with hidden
    figures pooled into one row, «Andre medlemskommuner» (apply with ``pool=``), or its
    categories with hidden figures pooled into one column, «Andre kategorier» (apply with
    ``pool_categories=``), or, in a comparison of two years, the years pooled into one figure
    (``compare_years(pool_years=True)``)."""

    table: str
    """The report key of the table."""
    pool: tuple[str, ...]
    """The rows (member municipalities), or the categories (their keys), to pool."""
    hidden_share: float
    """The share of the table's non-zero inner cells hidden as it is."""
    cells: int
    """Members: cells of the pooled row that reach the threshold (before secondary
    suppression). Categories: the cells more that the release publishes with them pooled,
    measured by protecting the pooled release."""
    kind: str = "members"
    """What is pooled: ``"members"``, ``"categories"`` or ``"years"`` (``pool`` the two years;
    ``cells`` the pooled table's cells published, measured by protecting it)."""

    def message(self, table: str | None = None) -> Message:
        """The proposal in words, for the release's notes (``table``: the table's title, by
        default its key); the share is written as the message's language writes it."""
        title = self.table if table is None else table
        said = {"table": title, "share": Share(self.hidden_share)}
        if self.kind == "years":
            return Message.plural_of(
                "{table}: {share} hidden; a figure for {years} together would publish {count} cell",
                "{table}: {share} hidden; a figure for {years} together would publish "
                "{count} cells",
                years="–".join(self.pool),
                by="count",
                count=self.cells,
                **said,
            )
        if self.kind == "categories":
            return Message.plural_of(
                "{table}: {share} hidden; pooling the categories {categories} as «other "
                "categories» would publish {count} cell more",
                "{table}: {share} hidden; pooling the categories {categories} as «other "
                "categories» would publish {count} cells more",
                categories=tuple(Label(c, "category", fallback=c) for c in self.pool),
                by="count",
                count=self.cells,
                **said,
            )
        return Message.plural_of(
            "{table}: {share} hidden; pooling {members} as «other members» would publish "
            "{count} cell",
            "{table}: {share} hidden; pooling {members} as «other members» would publish "
            "{count} cells",
            members=", ".join(self.pool),
            by="count",
            count=self.cells,
            **said,
        )


def publish(
    reports: Sequence[Any],
    threshold: int,
    *,
    log: pd.DataFrame | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    dominance_p: float = DOMINANCE_P,
    member: str | None = None,
) -> tuple[Any, ...]:
    """The published release of ``reports`` (internal [`Report`][ettervern.Report] values), protected as one.

    Tables that list case codes are left out; count tables and, given the ``log`` of the
    ``period``, hours and entries tables get primary and secondary suppression over the whole
    release (see docs/privacy.md).
    """
    published, _ = publish_with_loss(
        reports, threshold, log=log, period=period, dominance_p=dominance_p, member=member
    )
    return published


def publish_with_loss(
    reports: Sequence[Any],
    threshold: int,
    *,
    log: pd.DataFrame | None = None,
    period: tuple[dt.date, dt.date] | None = None,
    dominance_p: float = DOMINANCE_P,
    method: str | None = None,
    pool: Sequence[str] = (),
    member: str | None = None,
    against_members: bool = True,
    medians: Mapping[str, Mapping[str, float]] | None = None,
    pool_categories: Sequence[str] = (),
    propose: bool = True,
    parts: Mapping[str, Sequence[Any]] | None = None,
    contributions: Contributions | None = None,
    measure: bool = True,
) -> tuple[tuple[Any, ...], InformationLoss]:
    """[`publish()`][ettervern._reports._disclosure.publish], and what it hid. ``method``:
    ``_secondary.METHODS``; ``pool``, ``medians``, ``pool_categories``: pooled (``_pooling``).
    No ``member``: against each member knowing its part of every cell, read from ``parts``
    (none: its rows; ``against_members`` False: a reader only); a ``member``: its rows shown.
    ``contributions``: the log's; ``propose``, ``measure``: proposals, of categories measured."""
    check_threshold(threshold)
    method = method_of(method)
    kept = [r for r in reports if not _internal_only(r)]
    pooled = Pooled(pool, medians, pool_categories)
    model, frames = _build(kept, hours=log is not None, pooled=pooled)
    values = np.array(model.values, dtype="float64")
    if contributions is None and log is not None and period is not None:
        contributions = Contributions(log, period)
    _attackers(kept, model, (parts or {}, pooled), member=member, against=against_members)
    rules = (contributions, dominance_p)
    primary = _all_primary(kept, model, frames, threshold, rules, pooled=pooled)
    if member is not None:
        _known(kept, model, primary, member)
    hidden = secondary(values, model, threshold, primary, method=method)
    out = _published(kept, model, frames, hidden, threshold, member=member)
    loss = _release_loss(model, kept, (values, hidden, primary), method)
    loss = attrs.evolve(loss, members=MemberRules.of(model))
    if propose:
        again = {
            "log": log,
            "period": period,
            "dominance_p": dominance_p,
            "method": method,
            "pool": pool,
            "member": member,
            "against_members": against_members,
            "medians": medians,
            "parts": parts,
            "contributions": contributions,
            "measure": measure,
        }
        proposals = _proposals(model, values, hidden, threshold)
        proposals += _category_proposals(kept, model, (values, hidden), pooled, (threshold, again))
        loss = attrs.evolve(loss, proposals=tuple(proposals))
    return tuple(out), loss


def _all_primary(
    kept: Sequence[Any],
    model: Model,
    frames: Mapping[str, pd.DataFrame],
    threshold: int,
    rules: tuple[Contributions | None, float],
    *,
    pooled: Pooled,
) -> np.ndarray[Any, Any]:
    """Primary suppression (``_primary``), and the pooled rows' rules against each of their
    members (``_pooling.sensitive_rows``; in every member's primary set, ``Model.sensitive``)."""
    primary = _primary(kept, model, frames, threshold, rules, pooled_categories=pooled.categories)
    if pooled.parts:
        shapes = {r.key: magnitude_of(r) for r in kept}
        columns = {key: _columns_of(frame) for key, frame in frames.items()}
        magnitudes = (rules[0], rules[1], shapes)
        rows = sensitive_rows(model, pooled, threshold, magnitudes, columns)
        primary |= rows
        for member in model.sensitive:  # by the rows' members: kept against every member
            model.sensitive[member] |= rows
    return primary


def _published(
    kept: Sequence[Any],
    model: Model,
    frames: Mapping[str, pd.DataFrame],
    hidden: np.ndarray[Any, Any],
    threshold: int,
    *,
    member: str | None,
) -> list[Any]:
    """The release's tables with the ``hidden`` cells taken out."""
    by_table: dict[str, set[tuple[str, str]]] = {}
    for (table, row, column), is_hidden in zip(model.keys, hidden, strict=True):
        if is_hidden:
            by_table.setdefault(table, set()).add((row, column))
    return [
        _masked(
            r,
            frames[r.key],
            by_table.get(r.key, set()),
            threshold,
            rules_for(r.key),
            known=member if r.rows == "municipality" else None,
        )
        if r.key in frames
        else r
        for r in kept
    ]


def _release_loss(
    model: Model,
    kept: Sequence[Any],
    pattern: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]],
    method: str,
) -> InformationLoss:
    """The release's loss, and each table's."""
    values, hidden, primary = pattern
    units = _units(model, kept)
    tables = {
        key: information_loss(values[rows], hidden[rows], primary[rows], units[rows])
        for key, rows in _rows_by_table(model).items()
    }
    loss = information_loss(values, hidden, primary, units)
    return attrs.evolve(loss, tables=tables, method=method)


def _category_proposals(
    kept: Sequence[Any],
    model: Model,
    pattern: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]],
    pooled: Pooled,
    again: tuple[int, dict[str, Any]],
) -> list[Proposal]:
    """For each hours table mostly hidden, its categories with hidden cells pooled
    (``_pooling.category_candidates``), proposed where protecting the release so pooled
    publishes more cells (measured, not guessed: the release's hours and entries tables are
    protected again, the count tables being tied to them by no relation). Unless measured
    here (``measure`` in the options), each is returned with ``cells`` 0, for the caller to
    measure through the path it publishes by (``annual_report``: its rows of hours too)."""
    values, hidden = pattern
    threshold, options = again
    candidates = category_candidates(kept, model, values, hidden, pooled)
    if not options.pop("measure"):
        return [Proposal(t, c, share, 0, kind="categories") for t, c, share in candidates]
    hours = [r for r in kept if magnitude_of(r) is not None]  # no relation ties them to counts
    shown = int(((values > 0) & ~hidden & np.array(model.magnitude, dtype=bool)).sum())
    out = []
    for table, categories, share in candidates:
        _, other = publish_with_loss(
            hours,
            threshold,
            **options,
            pool_categories=(*pooled.categories, *categories),
            propose=False,
        )
        more = (other.cells - other.hidden) - shown
        if more > 0:
            out.append(Proposal(table, categories, share, more, kind="categories"))
    return out


def _members_know_their_parts(
    kept: Sequence[Any],
    model: Model,
    parts: Mapping[str, Sequence[Any]],
    pooled: Pooled,
    only: str | None = None,
) -> None:
    """Each member's own cells (its rows of the tables by municipality), the totals every
    member knows its part of, and its part of every cell (read from its own tables,
    ``parts``), for secondary suppression to attack as each member; or as the member
    ``only``, which reads its view and knows its part of every cell."""
    by_member = {r.key for r in kept if r.rows == "municipality"}
    if only is None:
        team = next((r.team for r in kept if getattr(r, "team", None) is not None), None)
        members = None if team is None else {m.municipality.name for m in team.members}
    else:
        members, parts = {only}, {only: parts.get(only, ())}
    own = own_cells(model.keys, by_member, members)
    model.knows = own if only is None else {only: own.get(only, frozenset())}
    model.shared = shared_cells(model, by_member)
    values = np.array(model.values, dtype="float64")
    model.parts = _parts(model, values, parts, (pooled, kept))


def _attackers(
    kept: Sequence[Any],
    model: Model,
    known: tuple[Mapping[str, Sequence[Any]], Pooled],
    *,
    member: str | None,
    against: bool,
) -> None:
    """Whom the release is protected against besides a reader: each member knowing its part
    of every cell (the public release, unless not ``against`` members), or the ``member`` a
    view is for (``known``: the members' own tables, and the release's pooling)."""
    parts, pooled = known
    if member is None and against:
        _members_know_their_parts(kept, model, parts, pooled)
        knows_nothing_else(model, pooled.pool)
    elif member is not None and parts:
        _members_know_their_parts(kept, model, parts, pooled, only=member)


def _parts(
    model: Model,
    values: np.ndarray[Any, Any],
    parts: Mapping[str, Sequence[Any]],
    release: tuple[Pooled, Sequence[Any]],
) -> dict[str, np.ndarray[Any, Any]]:
    """Each member's part of every cell, read from its own internal tables (``parts``) by the
    cells' keys, in the cells' units; its rows are wholly its own (``member_parts`` keeps
    the result consistent with the relations)."""
    out = {}
    for name in sorted(set(model.knows) | set(parts)):
        read = np.zeros(len(values))
        for report in parts.get(name, ()):
            _read_part(model, report, read, release)
        out[name] = member_parts(model, values, name, read)
    return out


def _read_part(
    model: Model, report: Any, into: np.ndarray[Any, Any], release: tuple[Pooled, Sequence[Any]]
) -> None:
    """``read_part``, with members and categories pooled as in the release (``release``: its
    pooling and its tables)."""
    pooled, kept = release
    frame = None
    if pooled.pool or pooled.categories:
        frame = report.to_frame(labels=False)
        # A member may have logged only some of the pooled categories: its column of them
        # adds up those it did (the others are 0 for it).
        shown = [c for c in pooled.categories if c in map(str, frame.columns)]
        again = Pooled(pooled.pool, None, shown)  # a new one: the release's parts untouched
        frame = _pooled(report, frame, again, kept)
    read_part(model, report, into, frame)


def _known(kept: Sequence[Any], model: Model, primary: np.ndarray[Any, Any], member: str) -> None:
    """The member's own cells: never hidden, and published for secondary suppression (the
    team's totals are then no longer kept whatever it costs: less the member's own, they
    would uncover the other members). The
    member's own implied counts (its active less its closed cases) are the member's to know:
    a relation among its cells alone tells the reader nothing it does not see."""
    by_municipality = {r.key for r in kept if r.rows == "municipality"}
    known = set()
    model.forced.clear()  # the team's totals less the member's own would uncover the rest
    for i, (table, row, _) in enumerate(model.keys):
        if row == member and table in by_municipality:
            primary[i] = False
            model.forced.add(i)
            known.add(i)
    model.subsets = [(w, p) for w, p in model.subsets if not {w, *p} <= known]


def information_loss(
    values: np.ndarray[Any, Any],
    hidden: np.ndarray[Any, Any],
    primary: np.ndarray[Any, Any],
    units: np.ndarray[Any, Any],
) -> InformationLoss:
    """The loss of the figures ``values`` (those above 0 count): cells, hidden and primary,
    the share hidden of all of them and of each unit's (``units``: ``UNITS`` or "" for a
    total, which counts in the share of all only)."""
    present = values > 0
    total = float(values[present].sum())
    shares = {}
    for unit in UNITS:
        inner = present & (units == unit)
        summed = float(values[inner].sum())
        if summed:
            shares[unit] = float(values[inner & hidden].sum()) / summed
    return InformationLoss(
        cells=int(present.sum()),
        hidden=int((hidden & present).sum()),
        primary=int((primary & present).sum()),
        share_hidden=float(values[hidden & present].sum()) / total if total else 0.0,
        shares=shares,
    )


UNITS = ("counts", "hours", "entries")
"""The units of a release's cells, for the share of each hidden (``InformationLoss.shares``)."""


def _units(model: Model, kept: Sequence[Any]) -> np.ndarray[Any, Any]:
    """Each cell's unit (``UNITS``), or "" for a total (a Total row or column, or a
    comparison's change): a total adds up cells already counted."""
    kinds = {r.key: getattr(magnitude_of(r), "kind", "counts") for r in kept}
    out = np.full(len(model.keys), "", dtype=object)
    for i, (table, row, column) in enumerate(model.keys):
        inner = TOTAL not in (row, column.split(YEAR_SEPARATOR)[0])
        if inner and not column.endswith(f"{YEAR_SEPARATOR}change"):
            out[i] = kinds.get(table.split(YEAR_SEPARATOR)[0], "counts")
    return out


def _rows_by_table(model: Model) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for i, (table, _, _) in enumerate(model.keys):
        out.setdefault(table, []).append(i)
    return out


def _proposals(
    model: Model, values: np.ndarray[Any, Any], hidden: np.ndarray[Any, Any], threshold: int
) -> list[Proposal]:
    """For each count table by municipality with more than ``MOSTLY_HIDDEN`` of its non-zero
    inner cells hidden: pool the members whose every non-zero cell is hidden, where they are
    two or more and their pooled row would publish a cell."""
    out = []
    for table, cells in _rows_by_table(model).items():
        if not _by_municipality(table) or model.magnitude[cells[0]]:
            continue
        inner = [i for i in cells if TOTAL not in model.keys[i][1:] and values[i] > 0]
        if not inner or np.mean([hidden[i] for i in inner]) <= MOSTLY_HIDDEN:
            continue
        rows: dict[str, list[int]] = {}
        for i in inner:
            rows.setdefault(model.keys[i][1], []).append(i)
        pool = sorted(
            r
            for r, members in rows.items()
            if r != OTHER_MEMBERS and all(hidden[i] for i in members)  # not pooled again
        )
        sums: dict[str, float] = {}
        for row in pool:
            for i in rows[row]:
                sums[model.keys[i][2]] = sums.get(model.keys[i][2], 0.0) + values[i]
        publishable = sum(1 for v in sums.values() if v >= threshold)
        if len(pool) >= 2 and publishable:
            share = float(np.mean([hidden[i] for i in inner]))
            out.append(Proposal(table, tuple(pool), share, publishable))
    return out


def _by_municipality(key: str) -> bool:
    """Whether the rows of the table ``key`` are member municipalities (and a Total)."""
    table = TABLES.get(key.removesuffix("_compared"))
    return table is not None and table.row_dimension == "municipality"


def _build(
    kept: Sequence[Any], *, hours: bool = True, pooled: Pooled | None = None
) -> tuple[Model, dict[str, pd.DataFrame]]:
    """The model of a release's true figures, and the keyed frames of its protected tables
    (hours and entries tables only with ``hours``; the ``pooled`` members pooled in every
    table by municipality, their own rows kept in ``pooled.parts``)."""
    model = Model()
    frames: dict[str, pd.DataFrame] = {}
    for report in kept:
        if not hours and magnitude_of(report) is not None:
            continue
        frame = report.to_frame(labels=False)
        columns = count_columns(report, [str(c) for c in frame.columns])
        if not columns:
            continue
        if pooled is not None:
            frame = _pooled(report, frame, pooled, kept)
            columns = count_columns(report, [str(c) for c in frame.columns])
        frames[report.key] = frame
        add_table(
            model,
            table=report.key,
            base_key=report.key,
            frame=frame,
            hidden=set(),
            count_columns=columns,
            magnitude=magnitude_of(report),
        )
    add_derived(model)
    return model, frames


def _pooled(report: Any, frame: pd.DataFrame, pooled: Pooled, kept: Sequence[Any]) -> pd.DataFrame:
    """``frame`` with the ``pooled`` categories and members put together (``_pooling``)."""
    if pooled.categories and magnitude_of(report) is not None:
        logged = [c for c in pooled.categories if c in logged_categories(kept)]
        frame = pooled_columns(frame, logged, report.key)
    if pooled.pool and report.rows == "municipality":
        medians = pooled.medians.get(report.key)
        frame, parts = pooled_frame(frame, pooled.pool, rules_for(report.key), medians=medians)
        if len(parts):
            pooled.parts[report.key] = parts
    return frame


def _primary(
    kept: Sequence[Any],
    model: Model,
    frames: Mapping[str, pd.DataFrame],
    threshold: int,
    rules: tuple[Contributions | None, float],
    *,
    pooled_categories: Sequence[str] = (),
) -> np.ndarray[Any, Any]:
    """Primary suppression: counts from 1 to ``threshold - 1``; magnitudes by their
    contributors (``_magnitude``; «Andre kategorier» adds up ``pooled_categories``). Sets
    each magnitude cell's protection (p % of it).

    Against each member that knows its part of the cells (``Model.parts``) the same rules
    apply to the other members' part, the cell less the member's own: the cells where it
    breaks them are that member's primary set (``Model.sensitive``), and hidden. A cell
    primary for a reader is in a member's set only if its others' part breaks the rules too:
    a cell of one case's hours and the team's own time is nothing to the member whose case
    it is (it reads the team's time, which is published anyway); a cell the member has no
    part of is the reader's; a cell wholly its own is in no member's set."""
    contributions, dominance_p = rules
    values = np.array(model.values, dtype="float64")
    counts = ~np.array(model.magnitude, dtype=bool)
    primary: np.ndarray[Any, Any] = (values >= 1) & (values < threshold) & counts
    model.sensitive = {}
    for member, part in model.parts.items():  # a member's part of the cell known: the rest
        others = values - part
        model.sensitive[member] = counts & (others >= 1) & (others < threshold)
        primary |= model.sensitive[member]
    if contributions is None:
        return primary
    shapes = {r.key: magnitude_of(r) for r in kept}
    magnitudes = {key: shape for key, shape in shapes.items() if shape is not None}
    columns = {key: _columns_of(frame) for key, frame in frames.items() if shapes.get(key)}
    cells = [
        (i, table, row, categories_of(column, columns[table], pooled_categories))
        for i, (table, row, column) in enumerate(model.keys)
        if table in magnitudes and values[i] > 0
    ]
    _prefill(contributions, model, magnitudes, cells)
    for i, table, row, categories in cells:
        shape = magnitudes[table]
        amounts, _ = contributions.of_cell(shape, row, categories)
        primary[i] = sensitive(amounts, threshold, dominance_p)
        rule = (threshold, dominance_p, bool(primary[i]))
        for member in sensitive_to_members(contributions, (shape, row, categories), model, i, rule):
            model.sensitive[member][i] = primary[i] = True
        model.protection[i] = max(1.0, dominance_p / 100 * values[i])
        if row == TOTAL and not primary[i]:
            model.forced.add(i)
    # A team total that is itself protected is protected with its table's grand total: that
    # one is no longer kept whatever it costs (the category totals still are).
    totals = _totals(model, shapes)
    protected = {model.keys[i][0] for i in totals if primary[i]}
    model.forced.difference_update(
        i for i in totals if model.keys[i][0] in protected and model.keys[i][2] == TOTAL
    )
    return primary


def _prefill(
    contributions: Contributions,
    model: Model,
    shapes: Mapping[str, Magnitude],
    cells: Sequence[tuple[int, str, str, Sequence[str]]],
) -> None:
    """Make the contributions of the magnitude ``cells`` (index, table, row, categories)
    that ``_primary`` asks for, each column's rows at once (``Contributions.prefill``): for
    a reader, and less each member whose part of the cell ``sensitive_to_members`` reads."""
    groups: dict[tuple[str, tuple[str, ...], str | None], list[str]] = {}
    for i, table, row, categories in cells:
        groups.setdefault((table, tuple(categories), None), []).append(row)
        for member, part in model.parts.items():
            if 0 < part[i] < model.values[i]:
                groups.setdefault((table, tuple(categories), member), []).append(row)
    for (table, categories, without), rows in groups.items():
        if len(rows) > 2:  # one or two rows: as cheap one by one
            contributions.prefill(shapes[table], rows, categories, without=without)


def sensitive_to_members(
    contributions: Contributions,
    cell: tuple[Any, str, Sequence[str]],
    model: Model,
    at: int,
    rule: tuple[int, float, bool],
) -> list[str]:
    """The members for which an hours or entries cell, less their own part of it, breaks
    the rules for magnitudes: each would read the other members' part from it. The same
    rule as a count's (``_primary``), for every cell a member has a part of: the team's
    totals, the months, the years. A member with no part of the cell reads what a reader
    does (``rule``: the threshold, the p of the p % rule, and whether the cell breaks the
    rules for a reader); a cell wholly the member's own is nothing to it."""
    threshold, dominance_p, for_a_reader = rule
    shape, row, categories = cell
    out = []
    for member, part in model.parts.items():
        if part[at] >= model.values[at]:
            continue  # all of it the member's own
        if part[at] <= 0:
            found = for_a_reader  # none of it: the others' part is the cell
        else:
            amounts, _ = contributions.of_cell(shape, row, categories, without=member)
            found = sensitive(amounts, threshold, dominance_p)
        if found:
            out.append(member)
    return out


def _totals(model: Model, shapes: Mapping[str, Any]) -> list[int]:
    """The Total-row cells of the magnitude tables."""
    return [
        i
        for i, (table, row, _) in enumerate(model.keys)
        if shapes.get(table) is not None and row == TOTAL
    ]


def _columns_of(frame: pd.DataFrame) -> list[str]:
    return [str(c) for c in frame.columns if str(c) != TOTAL]


def read_by_protection(reports: Sequence[Any]) -> frozenset[str]:
    """The keys of ``reports`` whose cells the release's protection may model, and so read a
    member's part of (``_build``; ``read_part`` reads no other key): every published table
    (``_internal_only`` not) with a row and a column ``count_columns`` counts, both as its
    keyed frame has them (``_keys_of``). Derived from the two, not restated: a table
    ``count_columns`` starts to count is read too. A table left out is never read, so a
    member's part of it need not be made (``_annual._parts_of_members``)."""
    out = set()
    for report in reports:
        if _internal_only(report):
            continue
        rows, columns = _keys_of(report)
        if rows and count_columns(report, columns):
            out.add(report.key)
    return frozenset(out)


def _keys_of(report: Any) -> tuple[list[str], list[str]]:
    """The row and column keys of ``report``'s keyed frame (``to_frame(labels=False)``, what
    ``_build`` models), without making it: the given orders or the keys of its data, and the
    totals it adds."""
    data = report.data
    rows = list(report.row_order) or list(dict.fromkeys(map(str, data["row"])))
    columns = list(report.column_order) or list(dict.fromkeys(map(str, data["column"])))
    return rows + [TOTAL] * report.total_row, columns + [TOTAL] * report.total_column


def _internal_only(report: Any) -> bool:
    rules = rules_for(report.key)
    return rules is not None and rules.internal


def _masked(
    report: Any,
    frame: pd.DataFrame,
    hidden: set[tuple[str, str]],
    threshold: int,
    rules: TableRules | None,
    *,
    known: str | None = None,
) -> Any:
    """``report`` with ``hidden`` cells (and the medians of hidden groups) taken out; the
    ``known`` row (the member's own) is kept whole. Worked on the frame's array, by position:
    a report's frame (``_build``) is a pivot, its labels unique, read as text (the model's
    keys), its cells as floats."""
    rows, columns = [str(r) for r in frame.index], [str(c) for c in frame.columns]
    grid = frame.to_numpy(dtype="float64", copy=True)
    hidden = set(hidden)
    keep = list(range(len(columns)))
    if rules is not None:
        at = _positions(columns)
        for column, groups in rules.dependent.items():
            if column in at and all(g in at for g in groups):
                cells = (grid[:, at[groups[0]]], grid[:, at[column]])
                _hide_dependent(rows, cells, hidden, (column, groups), threshold, known=known)
        keep = [i for i, c in enumerate(columns) if c not in rules.dropped]
    grid, columns = grid[:, keep], [columns[i] for i in keep]
    row_at, column_at = _positions(rows), _positions(columns)
    hidden = {
        (r, c)
        for r, c in hidden
        if c in column_at and not math.isnan(grid[row_at[r], column_at[c]])
    }
    for r, c in hidden:
        grid[row_at[r], column_at[c]] = math.nan
    data = tidy_from_grid(grid, rows, columns)
    return _as_published((report, rows, columns), data, hidden, threshold)


def _positions(labels: Sequence[str]) -> dict[str, int]:
    return {label: i for i, label in enumerate(labels)}


def _hide_dependent(
    rows: Sequence[str],
    cells: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]],
    hidden: set[tuple[str, str]],
    computed: tuple[str, tuple[str, ...]],
    threshold: int,
    *,
    known: str | None = None,
) -> None:
    """Hide the ``computed`` column (with the columns of its groups) where its group is small
    or hidden; where that hides one row alone, the Total too, or the Total less the rest would
    give it back (hours of one person). ``cells``: the group's sizes and the column's values,
    by row."""
    column, groups = computed
    sizes, values = cells
    for row, size in zip(rows, sizes.tolist(), strict=True):
        if row == known:
            continue
        if number_of(size) < threshold or any((row, g) in hidden for g in groups):
            hidden.add((row, column))
    lone = [
        r
        for r, value in zip(rows, values.tolist(), strict=True)
        if r != TOTAL and (r, column) in hidden and not math.isnan(value)
    ]
    if len(lone) == 1 and TOTAL in rows:
        hidden.add((TOTAL, column))


def as_published(
    report: Any,
    frame: pd.DataFrame,
    data: pd.DataFrame,
    hidden: set[tuple[str, str]],
    threshold: int,
) -> Any:
    keys = (report, [str(r) for r in frame.index], [str(c) for c in frame.columns])
    return _as_published(keys, data, hidden, threshold)


def _as_published(
    keys: tuple[Any, Sequence[str], Sequence[str]],
    data: pd.DataFrame,
    hidden: set[tuple[str, str]],
    threshold: int,
) -> Any:
    """``as_published`` of ``report`` with these rows and columns (``keys``), no frame."""
    report, rows, columns = keys
    return attrs.evolve(
        report,
        data=data,
        row_order=tuple(rows),
        column_order=tuple(columns),
        total_row=False,
        total_column=False,
        total_values={},
        share_columns=tuple(c for c in report.share_columns if c in columns),
        suppression=RULE,
        threshold=threshold,
        suppressed=frozenset(hidden),
    )


def hide_compared(
    compared: Any,
    first: Any | None,
    second: Any | None,
    years: tuple[int, int],
    *,
    member: str | None = None,
) -> Any:
    """A comparison of two years with each year's published pattern, and changes hidden with it.

    ``first`` and ``second`` are the two years' published tables; a change is shown only where
    both years' figures are. In a ``member``'s view its row is its own in both years and in
    their change, also where a year's table has no row of it (no case closed that year).
    """
    protected = [p for p in (first, second) if p is not None and p.suppression == RULE]
    if not protected:
        return compared  # hours and entries: published as they are
    frame = compared.to_frame(labels=False)
    hidden: set[tuple[str, str]] = set()
    dropped: set[str] = set()
    rules = rules_for(compared.key)
    for year, published in ((years[0], first), (years[1], second)):
        if published is None:
            continue
        # a row the published year does not show (a member pooled) is hidden whole
        shown = set(published.row_order) or set(published.data["row"])
        pooled = {str(r) for r in frame.index} - shown - {TOTAL, member}
        cells = set(published.suppressed) | {(r, c) for r in pooled for c in published.column_order}
        for row, column in cells:
            hidden.add((row, f"{column}{YEAR_SEPARATOR}{year}"))
            hidden.add((row, f"{column}{YEAR_SEPARATOR}change"))
    if rules is not None:
        dropped = {
            c for c in map(str, frame.columns) if c.split(YEAR_SEPARATOR)[0] in rules.dropped
        }
    frame = frame.drop(columns=sorted(dropped)).astype("float64")
    # A change is hidden with either year, even where it could not be computed (a median of
    # a year without cases): an empty change would read as «no change».
    hidden = {
        (r, c)
        for r, c in hidden
        if c in frame.columns
        and r in frame.index
        and (is_present(frame, r, c) or c.endswith(f"{YEAR_SEPARATOR}change"))
    }
    frame = set_cells(frame, hidden, math.nan)
    return as_published(compared, frame, tidy_from_wide(frame), hidden, protected[0].threshold)
