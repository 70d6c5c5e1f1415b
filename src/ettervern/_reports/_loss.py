"""What a published release lost to protect its cells, in words for its covers (text, HTML,
workbook) and as data for ``to_dict``: cells hidden, the share hidden of each unit's figures
(counts, hours, log entries; totals left out), per table where a table lost any, the secondary suppression method, and the coarser groupings
proposed for tables mostly hidden; for a comparison of two years too (``compared_loss``)."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd

from ettervern._l10n import N_, Message, Share, translate
from ettervern._reports._definitions import magnitude_of
from ettervern._reports._disclosure import InformationLoss, Proposal, information_loss
from ettervern._reports._model import TOTAL, YEAR_SEPARATOR, count_columns
from ettervern._reports._report import Report

__all__ = ["LOSS", "compared_loss", "loss_dict", "loss_lines", "with_rows_lost"]

LOSS = N_("Information loss")
"""The label of the loss on a cover."""

METHOD_WORDS = {
    "optimal": N_("secondary cells chosen to hide the least (an integer program, HiGHS)"),
    "greedy": N_("secondary cells chosen one by one, the smallest first (heuristic)"),
}
"""The secondary suppression methods (``_secondary.METHODS``) in words."""

UNIT_SHARES = {
    "counts": N_("{share} of the counts"),
    "hours": N_("{share} of the hours"),
    "entries": N_("{share} of the log entries"),
}
"""The share hidden of each unit's figures (``InformationLoss.shares``) in words."""


def loss_lines(
    loss: InformationLoss | None, reports: Sequence[Report], locale: str | None
) -> list[tuple[str, str]]:
    """(what, how much) in ``locale``: the release first, then each table that hides cells,
    then each proposal; nothing for a release that was not protected."""
    if loss is None:
        return []
    whole = " ".join(
        [
            _hidden(loss, locale).render(locale) + ".",
            Message.plural_of(
                "{count} of the hidden cells is below the threshold or breaks the rules for "
                "hours; the others are hidden so that it cannot be worked out.",
                "{count} of the hidden cells are below the threshold or break the rules for "
                "hours; the others are hidden so that they cannot be worked out.",
                by="count",
                count=loss.primary,
            ).render(locale),
            _method(loss.method, locale),
        ]
    )
    lines = [(translate(LOSS, locale), whole.strip())]
    titles = {r.key: r.title_in(locale) for r in reports}
    for key, part in loss.tables.items():
        if part.hidden:
            lines.append((_title(key, titles), _hidden(part, locale).render(locale)))
    lines += [_proposal(p, titles, locale) for p in loss.proposals]
    return lines


def _hidden(loss: InformationLoss, locale: str | None) -> Message:
    shares = [
        Message(UNIT_SHARES[unit], share=Share(share)).render(locale)
        for unit, share in loss.shares.items()
        if unit in UNIT_SHARES
    ]
    if not shares:  # cells of hours pooled after protection only: no sums to share
        return Message.plural_of(
            "{hidden} of {count} cell hidden",
            "{hidden} of {count} cells hidden",
            by="count",
            hidden=loss.hidden,
            count=loss.cells,
        )
    return Message.plural_of(
        "{hidden} of {count} cell hidden; share hidden, totals left out: {shares}",
        "{hidden} of {count} cells hidden; share hidden, totals left out: {shares}",
        by="count",
        hidden=loss.hidden,
        count=loss.cells,
        shares=", ".join(shares),
    )


def _method(method: str, locale: str | None) -> str:
    if method not in METHOD_WORDS:
        return ""
    words = translate(METHOD_WORDS[method], locale)
    return Message("Method: {method}.", method=words).render(locale)


def _title(key: str, titles: dict[str, str]) -> str:
    """A table's title by its key in the model (a compared table's ends in ``␟year``)."""
    base, _, year = key.partition(YEAR_SEPARATOR)
    title = titles.get(base, base)
    return f"{title} ({year})" if year else title


def _proposal(proposal: Proposal, titles: dict[str, str], locale: str | None) -> tuple[str, str]:
    """A proposal as ``Proposal.message`` words it, titled for ``locale``."""
    message = proposal.message(_title(proposal.table, titles))
    return translate(N_("Proposal"), locale), message.render(locale)


def with_rows_lost(loss: InformationLoss, lost: Mapping[str, tuple[int, int]]) -> InformationLoss:
    """``loss`` with the cells of hours that the rule for members' hours pooled or hid after
    protection (``_members.rows_lost``: cells, and of them lost, by table) counted in."""
    tables = dict(loss.tables)
    for key, (cells, hidden) in lost.items():
        part = tables.get(key, InformationLoss(cells=0, hidden=0, primary=0, share_hidden=0.0))
        tables[key] = attrs.evolve(part, cells=part.cells + cells, hidden=part.hidden + hidden)
    return attrs.evolve(
        loss,
        cells=loss.cells + sum(c for c, _ in lost.values()),
        hidden=loss.hidden + sum(h for _, h in lost.values()),
        tables=tables,
    )


def loss_dict(loss: InformationLoss | None) -> dict[str, Any] | None:
    """The loss as JSON-safe data (None for a release that was not protected)."""
    if loss is None:
        return None

    def counts(part: InformationLoss) -> dict[str, Any]:
        return {
            "cells": part.cells,
            "hidden": part.hidden,
            "primary": part.primary,
            "share_hidden": part.share_hidden,
            "shares": dict(part.shares),
        }

    return {
        **counts(loss),
        "method": loss.method,
        "tables": {key: counts(part) for key, part in loss.tables.items()},
        "proposals": [
            {
                "table": p.table,
                "pool": list(p.pool),
                "hidden_share": p.hidden_share,
                "cells": p.cells,
                "kind": p.kind,
            }
            for p in loss.proposals
        ],
    }


def compared_loss(
    tables: Sequence[tuple[Report, Report, Report]],
    yearly: Sequence[InformationLoss | None],
    *,
    proposals: Sequence[Proposal] = (),
) -> InformationLoss:
    """What a comparison of two published years hides, per compared table
    (``(base, internal, published)``: the first year's internal table, the comparison before
    and after hiding) and in all.

    A year's figure is hidden in the comparison exactly where that year's release hides it, so
    the cells, hidden and primary cells are the two years' own (``yearly``: their losses,
    whose method is reported too). The shares hidden are read from the comparison itself: the
    non-zero figures of each year in the columns disclosure control protects
    (``count_columns``; a change is no figure of its own) and of them those it does not show.
    ``proposals``: the years pooled."""
    parts = {}
    arrays: list[tuple[np.ndarray[Any, Any], ...]] = []
    for base, internal, published in tables:
        own = [loss.tables[base.key] for loss in yearly if loss and base.key in loss.tables]
        cells = _compared_cells(base, internal, published)
        arrays.append(cells)
        parts[published.key] = _summed(own, *cells)
    whole = tuple(np.concatenate([a[i] for a in arrays]) for i in range(3)) if arrays else ()
    loss = _summed(list(parts.values()), *whole)
    method = next((loss.method for loss in reversed(yearly) if loss is not None), "")
    return attrs.evolve(loss, tables=parts, proposals=tuple(proposals), method=method)


def _compared_cells(
    base: Report, internal: Report, published: Report
) -> tuple[np.ndarray[Any, Any], ...]:
    """A compared table's figures of each year: values, hidden, and unit ("" for a total)."""
    truth = internal.to_frame(labels=False).apply(pd.to_numeric, errors="coerce")
    names = list(dict.fromkeys(str(c).partition(YEAR_SEPARATOR)[0] for c in truth.columns))
    protected = set(count_columns(base, names))
    unit = getattr(magnitude_of(base), "kind", "counts")
    shown = published.to_frame(labels=False)
    values, hidden, units = [], [], []
    for column in map(str, truth.columns):
        name, _, year = column.partition(YEAR_SEPARATOR)
        if name not in protected or year == "change":
            continue
        for row in map(str, truth.index):
            value = truth.loc[row, column]
            if pd.isna(value) or value <= 0:
                continue
            values.append(float(value))
            printed = row in shown.index and column in shown.columns
            hidden.append(not printed or (row, column) in published.suppressed)
            units.append("" if TOTAL in (row, name) else unit)
    return np.array(values, dtype="float64"), np.array(hidden, dtype=bool), np.array(units)


def _summed(
    parts: Sequence[InformationLoss],
    values: np.ndarray[Any, Any] | None = None,
    hidden: np.ndarray[Any, Any] | None = None,
    units: np.ndarray[Any, Any] | None = None,
) -> InformationLoss:
    """The cells of ``parts`` added up, and the share hidden of the figures ``values`` (all,
    totals too) and of each unit's inner ones, as a release's (``information_loss``)."""
    shares = InformationLoss(cells=0, hidden=0, primary=0, share_hidden=0.0)
    if values is not None and hidden is not None and units is not None:
        shares = information_loss(values, hidden, np.zeros_like(hidden), units)
    return attrs.evolve(
        shares,
        cells=sum(p.cells for p in parts),
        hidden=sum(p.hidden for p in parts),
        primary=sum(p.primary for p in parts),
    )
