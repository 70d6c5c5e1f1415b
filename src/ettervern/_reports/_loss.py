"""What a published release lost to protect its cells, in words for its covers (text, HTML,
workbook) and as data for ``to_dict``: cells hidden, the share hidden of each unit's figures
(counts, hours, log entries; totals left out), per table where a table lost any, the secondary suppression method, and the coarser groupings
proposed for tables mostly hidden."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import attrs

from ettervern._l10n import N_, Message, Share, translate
from ettervern._reports._disclosure import InformationLoss, Proposal
from ettervern._reports._model import YEAR_SEPARATOR
from ettervern._reports._report import Report

__all__ = ["LOSS", "loss_dict", "loss_lines", "with_rows_lost"]

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
            }
            for p in loss.proposals
        ],
    }
