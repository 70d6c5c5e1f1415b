"""What a published release lost to protect its cells, in words for its covers (text, HTML,
workbook) and as data for ``to_dict``: cells hidden, the share of the summed figures hidden,
per table where a table lost any, the secondary suppression method, and the coarser groupings
proposed for tables mostly hidden."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from ettervern._l10n import N_, Message, format_share, translate
from ettervern._reports._disclosure import InformationLoss, Proposal
from ettervern._reports._model import YEAR_SEPARATOR
from ettervern._reports._report import Report

__all__ = ["LOSS", "loss_dict", "loss_lines"]

LOSS = N_("Information loss")
"""The label of the loss on a cover."""

METHOD_WORDS = {
    "optimal": N_("secondary cells chosen to hide the least (an integer program, HiGHS)"),
    "greedy": N_("secondary cells chosen one by one, the smallest first (heuristic)"),
}
"""The secondary suppression methods (``_secondary.METHODS``) in words."""


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
    return Message.plural_of(
        "{hidden} of {count} cell hidden, {share} of the summed figures",
        "{hidden} of {count} cells hidden, {share} of the summed figures",
        by="count",
        hidden=loss.hidden,
        count=loss.cells,
        share=format_share(loss.share_hidden, locale),
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
    """A proposal as ``Proposal.message`` words it, the share written for ``locale``."""
    message = Message.plural_of(
        "{table}: {share} hidden; pooling {members} as «other members» would publish {count} cell",
        "{table}: {share} hidden; pooling {members} as «other members» would publish {count} cells",
        by="count",
        table=_title(proposal.table, titles),
        share=format_share(proposal.hidden_share, locale),
        members=", ".join(proposal.pool),
        count=proposal.cells,
    )
    return translate(N_("Proposal"), locale), message.render(locale)


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
