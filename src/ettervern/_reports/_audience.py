"""Who a figure is for: every public function that returns figures for a period returns the
published view unless asked for the internal one.

One mechanism for every such function (``published_view``), rather than a patch in each: the
front (``ettervern``) exports the wrapped function, the annual report calls the raw one inside
and protects the release as a whole.
"""

from __future__ import annotations

import functools
import inspect
from collections.abc import Callable
from typing import Any, Literal, ParamSpec

from ettervern._core import check_one_of
from ettervern._reports._report import Report

__all__ = ["VIEW_AUDIENCES", "Audience", "published_view"]

P = ParamSpec("P")

Audience = Literal["published", "internal"]
"""Who a table for a period is for (see ``VIEW_AUDIENCES``)."""

VIEW_AUDIENCES = ("published", "internal")
"""``published`` (the default): small counts hidden as in
[`Report.publishable()`][ettervern.Report.publishable]; ``internal``: every figure as it is."""


def published_view(function: Callable[P, Report]) -> Callable[..., Report]:
    """``function`` returning its table as published, unless called with ``audience="internal"``.

    The wrapper takes two keywords more: ``audience`` (``"published"`` or ``"internal"``) and
    ``threshold`` (by default the team's ``disclosure_threshold``, 3 without a team).
    """

    @functools.wraps(function)
    def view(*args: Any, **kwargs: Any) -> Report:
        audience = kwargs.pop("audience", "published")
        threshold = kwargs.pop("threshold", None)
        check_one_of("audience", audience, VIEW_AUDIENCES)
        report = function(*args, **kwargs)
        if audience == "internal":
            return report
        if threshold is None:
            team = report.team
            threshold = 3 if team is None else team.disclosure_threshold
        return report.publishable(threshold)

    signature = inspect.signature(function)
    extra = [
        inspect.Parameter("audience", inspect.Parameter.KEYWORD_ONLY, default="published"),
        inspect.Parameter("threshold", inspect.Parameter.KEYWORD_ONLY, default=None),
    ]
    parameters = list(signature.parameters.values())
    at = next(
        (i for i, p in enumerate(parameters) if p.kind is inspect.Parameter.VAR_KEYWORD),
        len(parameters),
    )
    view.__signature__ = signature.replace(  # type: ignore[attr-defined]
        parameters=[*parameters[:at], *extra, *parameters[at:]]
    )
    return view  # the two keywords are more than ParamSpec can spell: Any lets them through
