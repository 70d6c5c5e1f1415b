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

import pandas as pd

from ettervern._core import Team, check_one_of
from ettervern._l10n import Message
from ettervern._reports._report import Report
from ettervern._timelog import TimeLog, log_codes
from ettervern.errors import InvalidValueError

__all__ = ["VIEW_AUDIENCES", "Audience", "checked_member", "protect_one", "published_view"]

P = ParamSpec("P")

Audience = Literal["published", "member", "internal"]
"""Who a table for a period is for (see ``VIEW_AUDIENCES``)."""

VIEW_AUDIENCES = ("published", "member", "internal")
"""``published`` (the default): small counts hidden as in
[`Report.publishable()`][ettervern.Report.publishable], and hours per member as the team's
``member_hours`` rule says; ``member`` (with ``member=``): that member's own rows exact, the
rest protected with them known; ``internal``: every figure as it is."""


def published_view(function: Callable[P, Report]) -> Callable[..., Report]:
    """``function`` returning its table as published, unless called with ``audience="internal"``.

    The wrapper takes three keywords more: ``audience`` (``"published"``, ``"member"`` or
    ``"internal"``), ``threshold`` (by default the team's ``disclosure_threshold``, 3 without a
    team) and ``member`` (for ``audience="member"``). Given a time log, the rows of hours that
    come from too few cases are pooled or hidden too (``_members``).
    """

    @functools.wraps(function)
    def view(*args: Any, **kwargs: Any) -> Report:
        audience = kwargs.pop("audience", "published")
        threshold = kwargs.pop("threshold", None)
        member = kwargs.pop("member", None)
        check_one_of("audience", audience, VIEW_AUDIENCES)
        report = function(*args, **kwargs)
        if audience == "internal":
            return report
        team = report.team
        member = checked_member(team, audience, member)
        if threshold is None:
            threshold = 3 if team is None else team.disclosure_threshold
        log = next((a for a in args if isinstance(a, pd.DataFrame | TimeLog)), None)  # not groups
        return protect_one(report, threshold, member=member, log=log)

    signature = inspect.signature(function)
    extra = [
        inspect.Parameter("audience", inspect.Parameter.KEYWORD_ONLY, default="published"),
        inspect.Parameter("threshold", inspect.Parameter.KEYWORD_ONLY, default=None),
        inspect.Parameter("member", inspect.Parameter.KEYWORD_ONLY, default=None),
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


def checked_member(team: Team | None, audience: str, member: str | None) -> str | None:
    """The member a member's view is for, by its name in ``team``; None for the others.

    Raises:
        InvalidValueError: ``member`` without ``audience="member"``, or missing with it.
        UnknownMunicipalityError: ``member`` is not one of the team's members (the message
            lists them).
    """
    if (audience == "member") != (member is not None):
        message = Message(
            "{field} is given with audience='member', and only with it", field="member"
        )
        raise InvalidValueError(message, field="member", value=member)
    if member is None:
        return None
    if team is None:
        message = Message("{field} needs a team to look the member up in", field="member")
        raise InvalidValueError(message, field="member", value=member)
    return team.membership(member).municipality.name


def protect_one(
    report: Report, threshold: int, *, member: str | None = None, log: Any = None
) -> Report:
    """One table published on its own (or for a ``member``): counts as in
    [`Report.publishable()`][ettervern.Report.publishable], and, given the ``log``, its rows of
    hours by the team's rule."""
    from ettervern._reports._disclosure import publish
    from ettervern._reports._members import protect_rows, row_rule

    if member is None:
        published = report.publishable(threshold)
    else:
        published = publish([report], threshold, member=member)[0]
    team, period = report.team, report.period
    if log is None or team is None or period is None:
        return published
    frame = log if isinstance(log, pd.DataFrame) else log_codes(log)
    rule = row_rule(team, frame, period, threshold, member)
    return protect_rows([published], rule)[0]
