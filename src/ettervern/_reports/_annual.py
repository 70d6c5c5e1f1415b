"""The annual report (årsrapport): the published pivot tables and the figures the sheet could not give.

The log is scanned once per year: one grouping by municipality, category and month gives a small
summary from which every time-based table is derived, so the full report costs little more than
one pandas ``groupby`` however many entries the log holds.
"""

from __future__ import annotations

import datetime as dt
import html
import logging
import textwrap
from collections.abc import Callable, Container, Iterator, Mapping, Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Any, Literal

import attrs
import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

from ettervern._core import (
    Bucket,
    Instrument,
    PeriodLike,
    ReportGroup,
    ReportTable,
    Response,
    Roster,
    Team,
    check_field,
    check_one_of,
    period_of,
)
from ettervern._l10n import (
    N_,
    Message,
    format_period,
    normalise_locale,
    norwegian_sort_key,
    translate,
)
from ettervern._pathway import Case, GroupLog, Moved, event_kinds
from ettervern._render import Rejections, column_unit, html_block
from ettervern._reports._audience import checked_member
from ettervern._reports._cases import (
    TABLES_APART,
    TALLIED,
    CaseWalk,
    case_reports,
    tallied_parts,
    walk_cases,
)
from ettervern._reports._disclosure import (
    HOURS_POLICY,
    RULE,
    InformationLoss,
    Proposal,
    check_threshold,
    hide_compared,
    publish_with_loss,
    read_by_protection,
)
from ettervern._reports._extra import (
    choose_extras,
    instrument_and_staff_reports,
    people_and_course_reports,
)
from ettervern._reports._groups import group_attendance_report
from ettervern._reports._history import with_history
from ettervern._reports._loss import compared_loss, loss_dict, loss_lines, with_rows_lost
from ettervern._reports._magnitude import Contributions
from ettervern._reports._members import DECLARED_KEY, protect_rows, row_rule, rows_lost
from ettervern._reports._moves import moved_log
from ettervern._reports._pivot import order_keys, pivot_frame
from ettervern._reports._pooling import refuse_empty
from ettervern._reports._report import Report, measure_report
from ettervern._reports._solver import shared_answers
from ettervern._reports._years import YearsPooled, with_years_pooled
from ettervern._timelog import in_period, log_codes, month_summary
from ettervern.errors import InvalidValueError, UnknownReportError

if TYPE_CHECKING:
    from ettervern._timelog import TimeLog

__all__ = [
    "FTE_KEYS",
    "HOURS_PER_FTE",
    "TIDY_COLUMNS",
    "AnnualReport",
    "FteKey",
    "YearComparison",
    "annual_report",
    "compare_years",
    "fte_apportionment",
    "fte_report",
    "member_parts",
]

HOURS_PER_FTE = 1687.5
"""Working hours in one full-time equivalent (årsverk) a year, by default.

37.5 hours a week (the working week of municipal employees under the KS collective agreement,
*Hovedtariffavtalen*, within the 40-hour limit of *arbeidsmiljøloven* § 10-4) for 47 weeks (52
less five weeks of holiday: *ferieloven* § 5 and the agreement's fifth week), less ten public
holidays (*helligdager*) of 7.5 hours: 37.5 × 47 − 75 = 1687.5. Pass ``hours_per_fte`` to use your
own figure.
"""

CostSpread = Literal["pro_rata", "equal"]
Audience = Literal["published", "member", "internal"]
ANNUAL_REPORT = N_("Annual report")
PERIOD_REPORT = N_("Report")
"""The title of a report for a span other than a calendar year: ``Rapport 2. kvartal 2020``."""
SUPPRESSION = N_("Suppression")
INTERNAL = N_("internal, not for publication")
WARNING = N_("Warning")
"""Added to the title of an internal annual report."""
PUBLISHED = N_("published")
"""Added to the title of a published annual report."""
FOR_MEMBER = N_("for {member} municipality")
"""Added to the title of a member's annual report."""
AUDIENCES = ("published", "member", "internal")

logger = logging.getLogger(__name__)
"""Under ``logging.getLogger("ettervern")``: which tables were made from what, and choices."""


def _year_period(year: int) -> tuple[dt.date, dt.date]:
    return (dt.date(year, 1, 1), dt.date(year, 12, 31))


def part_of_years(period: tuple[dt.date, dt.date]) -> float:
    """How many years ``period`` is: each calendar year it touches counts its days in the
    period over its own length (a whole year is 1, the second quarter of 2020 is 91/366)."""
    start, end = period
    total = 0.0
    for year in range(start.year, end.year + 1):
        first, last = _year_period(year)
        inside = (min(end, last) - max(start, first)).days + 1
        total += inside / ((last - first).days + 1)
    return total


def _from_summary(
    summary: pd.DataFrame,
    team: Team,
    *,
    key: str,
    title: str,
    rows: str,
    columns: str,
    agg: Literal["sum", "count", "staff_hours"],
    period: tuple[dt.date, dt.date],
    categories: Sequence[str] | None = None,
    column_order: Sequence[str] | None = None,
    notes: Sequence[str] = (),
) -> Report:
    if categories is not None:
        summary = summary[summary["category"].isin(list(categories))]
    return _summary_report(
        pivot_frame(summary, team, rows, columns, agg),
        team,
        key=key,
        title=title,
        dimensions=(rows, columns),
        agg=agg,
        period=period,
        categories=categories,
        column_order=column_order,
        notes=notes,
    )


def _summary_report(
    tidy: pd.DataFrame,
    team: Team,
    *,
    key: str,
    title: str,
    dimensions: tuple[str, str],
    agg: Literal["sum", "count", "staff_hours"],
    period: tuple[dt.date, dt.date],
    categories: Sequence[str] | None = None,
    column_order: Sequence[str] | None = None,
    notes: Sequence[str] = (),
) -> Report:
    """The table of ``tidy``, the ``pivot_frame`` of a summary by the ``dimensions`` (rows,
    columns)."""
    rows, columns = dimensions
    unit = {"sum": "hours", "count": "entries", "staff_hours": "staff hours"}[agg]
    return Report(
        key=key,
        title=title,
        data=tidy,
        rows=rows,
        columns=columns,
        unit=unit,
        aggregate=agg,
        period=period,
        filters={"categories": tuple(categories)} if categories is not None else {},
        row_order=order_keys(rows, tidy["row"], team),
        column_order=column_order
        if column_order is not None
        else order_keys(columns, tidy["column"], team),
        notes=notes,
        team=team,
    )


def _keys(team: Team, group: ReportGroup) -> list[str]:
    return [c.key for c in team.categories.in_group(group)]


def _share(part: pd.Series[float], whole: pd.Series[float]) -> pd.Series[float]:
    return part.div(whole.where(whole != 0))


def capacity_report(
    summary: pd.DataFrame, team: Team, period: tuple[dt.date, dt.date], hours_per_fte: float
) -> Report:
    """Staff hours per month against the team's capacity (FTE × hours per FTE)."""
    months = pd.period_range(period[0], period[1], freq="M")
    by_month = (
        summary.assign(month=summary["date"].dt.strftime("%Y-%m"))
        .groupby("month")[["hours", "staff_hours"]]
        .sum()
    )
    by_month = by_month.reindex([str(m) for m in months], fill_value=0.0)
    monthly_capacity = hours_per_fte / 12
    wide = pd.DataFrame(
        {
            "hours": by_month["hours"],
            "staff_hours": by_month["staff_hours"],
            "fte_used": by_month["staff_hours"] / monthly_capacity,
            "fte": float(team.staff_fte),
        }
    )
    wide["utilisation"] = wide["fte_used"] / wide["fte"]
    year_fte = wide["staff_hours"].sum() / (monthly_capacity * len(months))
    notes = [
        N_("One FTE is counted as {hours_per_fte} working hours a year."),
        N_(
            "Hours are the time logged; staff hours count each staff member present "
            "(two staff for one hour make two staff hours)."
        ),
    ]
    if period[0].day != 1 or (period[1] + dt.timedelta(days=1)).day != 1:
        notes.append(N_("The period is not whole months: capacity is that of whole months."))
    return measure_report(
        wide,
        key="capacity",
        title=N_("Staff hours and capacity"),
        rows="month",
        unit="mixed",
        period=period,
        team=team,
        share_columns=["utilisation"],
        total_values={
            "fte_used": year_fte,
            "fte": float(team.staff_fte),
            "utilisation": year_fte / team.staff_fte,
        },
        notes=notes,
        note_values={"hours_per_fte": hours_per_fte},
    )


def no_show_report(summary: pd.DataFrame, team: Team, period: tuple[dt.date, dt.date]) -> Report:
    """Hours lost to no-shows (*Ikke møtt*) and their share of all case work, per municipality."""

    def hours_in(group: ReportGroup) -> pd.Series[float]:
        rows = summary[summary["category"].isin(_keys(team, group))]
        return rows.groupby("municipality", observed=True)["hours"].sum()

    wide = pd.DataFrame(
        {
            "no_show_hours": hours_in(ReportGroup.WASTED),
            "case_hours": hours_in(ReportGroup.CASE_WORK),
        }
    ).fillna(0.0)
    wide.index = wide.index.astype(str)
    wide = wide[wide["case_hours"] > 0]
    wide = wide.reindex(sorted(map(str, wide.index), key=norwegian_sort_key))
    wide["share"] = _share(wide["no_show_hours"], wide["case_hours"])
    total_case = float(wide["case_hours"].sum())
    return measure_report(
        wide,
        key="no_show",
        title=N_("No-show hours and their share of case work"),
        rows="municipality",
        unit="mixed",
        period=period,
        team=team,
        share_columns=["share"],
        total_values={
            "share": float(wide["no_show_hours"].sum()) / total_case if total_case else np.nan
        },
    )


def cost_sharing_report(
    frame: pd.DataFrame,
    summary: pd.DataFrame,
    team: Team,
    period: tuple[dt.date, dt.date],
    *,
    spread: CostSpread = "pro_rata",
    budget: float | None = None,
) -> Report:
    """Each member's share of the year's hours, with shared hours spread, applied to a budget.

    A member's own hours are those logged to it, plus hours logged to *Andre kommuner* for a
    case whose code letters are the member's (work with outside services for its resident).
    Shared hours are *Felles* and the rest of *Andre kommuner*; ``spread="pro_rata"`` divides
    them in proportion to own hours, ``spread="equal"`` equally, weighted by the part of the
    period each municipality was a member (Rødøy from September 2020).
    """
    check_one_of("spread", spread, ("pro_rata", "equal"))
    weights, letters = _membership_weights(team, period)
    own_hours, shared = _own_and_shared(
        frame, summary, team, period, weights=weights, letters=letters
    )
    by_own_hours = spread == "pro_rata" and own_hours.sum() > 0
    logger.debug(
        "cost sharing: %.1f shared hours spread %s; membership weights %s",
        shared,
        "by own hours" if by_own_hours else "equally, by months of membership",
        {name: round(weight, 3) for name, weight in weights.items()},
    )
    basis = own_hours if by_own_hours else pd.Series(weights)
    allocated = shared * basis / basis.sum()
    wide = pd.DataFrame({"own_hours": own_hours, "shared_hours": allocated})
    wide["hours"] = wide["own_hours"] + wide["shared_hours"]
    grand = float(wide["hours"].sum())
    wide["share"] = wide["hours"] / grand if grand else np.nan
    if budget is not None:
        wide["amount"] = wide["share"] * budget
    wide = wide.reindex(sorted(wide.index, key=norwegian_sort_key))
    return measure_report(
        wide,
        key="cost_sharing",
        title=N_("Cost sharing between the member municipalities"),
        rows="municipality",
        unit="mixed",
        period=period,
        team=team,
        share_columns=["share"],
        notes=[
            N_("Shared hours are spread in proportion to own hours.")
            if spread == "pro_rata"
            else N_("Shared hours are spread equally, weighted by months of membership.")
        ],
    )


def _membership_weights(
    team: Team, period: tuple[dt.date, dt.date]
) -> tuple[dict[str, float], dict[str, str]]:
    """The part of the period each member was a member, by name; and the members by letters."""
    start, end = period
    days = (end - start).days + 1
    weights: dict[str, float] = {}
    letters: dict[str, str] = {}
    for membership in team.members:
        first = max(start, membership.since or start)
        last = min(end, membership.until or end)
        if first <= last:
            name = membership.municipality.name
            weights[name] = ((last - first).days + 1) / days
            letters[membership.letters] = name
    return weights, letters


def _own_and_shared(
    frame: pd.DataFrame,
    summary: pd.DataFrame,
    team: Team,
    period: tuple[dt.date, dt.date],
    *,
    weights: dict[str, float],
    letters: dict[str, str],
) -> tuple[pd.Series[float], float]:
    """Each member's own hours, and the shared hours: *Felles* and the *Andre kommuner* hours
    that are not for a member's case (those count for that member)."""
    own = summary.groupby("municipality", observed=True)["hours"].sum()
    own_hours = pd.Series({m: float(own.get(m, 0.0)) for m in weights})
    other = Bucket.OTHER_MUNICIPALITIES.value
    shared = float(own.get(Bucket.SHARED.value, 0.0)) + float(own.get(other, 0.0))
    outside = _outside_for_a_case(frame, period)
    if len(outside):
        per_case = outside.groupby("case", observed=True)["hours"].sum()
        for code, hours in per_case.items():
            member = letters.get(_code_letters(team, str(code)))
            if member is not None:
                own_hours[member] += float(hours)
                shared -= float(hours)
    return own_hours, shared


def _outside_for_a_case(frame: pd.DataFrame, period: tuple[dt.date, dt.date]) -> pd.DataFrame:
    """The entries of ``period`` logged to *Andre kommuner* for a case: the few rows of that
    municipality are found first, on its code, and only they are read further."""
    chosen = frame.iloc[_logged_to(frame, Bucket.OTHER_MUNICIPALITIES.value)]
    tied: pd.DataFrame = chosen[chosen["case"].notna().to_numpy() & in_period(chosen, period)]
    return tied


def _logged_to(frame: pd.DataFrame, name: str) -> np.ndarray[Any, Any]:
    """The positions of the entries of a log's ``frame`` logged to the municipality or bucket
    ``name``, found on its code where the column is categorical."""
    place = frame["municipality"]
    if isinstance(place.dtype, pd.CategoricalDtype):
        categories = list(place.cat.categories)
        code = categories.index(name) if name in categories else -2
        return np.flatnonzero(place.cat.codes.to_numpy() == code)
    return np.flatnonzero((place == name).to_numpy())


FteKey = Literal["hours"] | Mapping[str, float]
"""How the team's FTE is apportioned: by share of hours, or by a declared cost-sharing key."""

FTE_KEYS = ("hours",)
"""The named apportionment keys; any other key is a mapping of member to weight."""


def _declared_shares(
    team: Team, period: tuple[dt.date, dt.date], key: Mapping[str, float]
) -> pd.Series[float]:
    """A declared cost-sharing key (member by name, number or letters → weight), weighted by the
    part of the period each member belonged, normalised to sum to 1."""
    start, end = period
    days = (end - start).days + 1
    weights: dict[str, float] = {}
    for member, weight in key.items():
        membership = team.membership(member)
        first = max(start, membership.since or start)
        last = min(end, membership.until or end)
        if first <= last and weight > 0:
            weights[membership.municipality.name] = weight * ((last - first).days + 1) / days
    active = {m.municipality.name for m in team.members if m.active_on(start) or m.active_on(end)}
    missing = sorted(active - set(weights), key=norwegian_sort_key)
    check_field(
        not missing and bool(weights),
        "the FTE key must give every member of the period a positive weight; missing {missing!r}",
        field="key",
        value=dict(key),
        missing=missing,
    )
    series = pd.Series(weights, dtype="float64")
    return series / series.sum()


def fte_apportionment(
    frame: pd.DataFrame,
    summary: pd.DataFrame,
    team: Team,
    period: tuple[dt.date, dt.date],
    *,
    hours_per_fte: float,
    key: FteKey = "hours",
    part_of_year: float = 1.0,
    covered: tuple[dt.date, dt.date] | None = None,
) -> Report:
    """The team's FTE (årsverk) and working hours apportioned per member municipality.

    Each member reports its part of the team in the IS-24/8 survey and under KOSTRA function
    243. ``key="hours"`` apportions by each member's share of the year's hours (own hours, shared
    hours spread in proportion, as `cost_sharing_report`); a mapping (member by name,
    number or code letters → weight) by a declared cost-sharing key, each weight counted for the
    part of the period the municipality was a member. The FTE column sums to the team's
    ``staff_fte``; ``fte_hours`` are FTE × ``hours_per_fte`` (working hours, not hours logged)
    × ``part_of_year``, the part of a year the period is (1 for a year; a quarter's hours for a
    quarter). When the log ``covered`` only part of the period, the FTE are that part's: the
    team's ``staff_fte`` times the share of the period's days covered.
    """
    if isinstance(key, Mapping):
        shares = _declared_shares(team, period, key)
        note = DECLARED_KEY
    else:
        check_one_of("key", key, FTE_KEYS)
        costs = cost_sharing_report(frame, summary, team, period, spread="pro_rata")
        wide = costs.to_frame(labels=False).drop(index="Total")
        shares = wide["share"].fillna(0.0)
        note = N_("Apportioned by share of hours, shared hours spread in proportion.")
    shares = shares.reindex(sorted(shares.index, key=norwegian_sort_key))
    part = covered_share(covered, period)
    fte = shares * float(team.staff_fte) * part
    wide = pd.DataFrame(
        {"share": shares, "fte": fte, "fte_hours": fte * hours_per_fte * part_of_year}
    )
    notes = [note, N_("One FTE is counted as {hours_per_fte} working hours a year.")]
    values: dict[str, float] = {"hours_per_fte": hours_per_fte, "covered": round(100 * part, 1)}
    if part_of_year != 1.0:
        notes.append(N_("FTE hours are those of the period's {days} days, not of a year."))
        values["days"] = (period[1] - period[0]).days + 1
    if part < 1:
        notes.append(N_("The log covers {covered} % of the year's days: the FTE are that part's."))
    return measure_report(
        wide,
        key="fte",
        title=N_("FTE per member municipality (IS-24/8, KOSTRA function 243)"),
        rows="municipality",
        unit="mixed",
        period=period,
        team=team,
        share_columns=["share"],
        notes=notes,
        note_values=values,
    )


def covered_months(
    summary: pd.DataFrame, cases: Sequence[Case], period: tuple[dt.date, dt.date]
) -> tuple[dt.date, dt.date] | None:
    """The whole months of ``period`` from the first to the last the log (or, with no entries
    in the period, the cases' events) has a date in; ``None`` when that is the whole period.
    The log's months are read from its ``summary`` of the period (``month_summary``), not
    from its entries."""
    start, end = period
    if len(summary):
        days = [
            pd.Timestamp(summary["date"].min()).date(),
            pd.Timestamp(summary["date"].max()).date(),
        ]
    else:
        days = [ev.on for case in cases for ev in case.events if start <= ev.on <= end]
    if not days:
        return None
    first = max(start, min(days).replace(day=1))
    last = min(end, max(days).replace(day=1) + relativedelta(months=1, days=-1))
    return None if (first, last) == (start, end) else (first, last)


def covered_share(
    covered: tuple[dt.date, dt.date] | None, period: tuple[dt.date, dt.date]
) -> float:
    """The share of ``period``'s days that ``covered`` spans (1 when it is ``None``)."""
    if covered is None:
        return 1.0
    return ((covered[1] - covered[0]).days + 1) / ((period[1] - period[0]).days + 1)


def fte_report(
    log: TimeLog,
    *,
    year: int,
    team: Team | None = None,
    key: FteKey = "hours",
    hours_per_fte: float = HOURS_PER_FTE,
) -> Report:
    """The FTE table of the annual report for ``year``, with a key of your choice.

    >>> from ettervern import examples
    >>> example = examples.salten_2020()
    >>> table = fte_report(example.log, year=2020)
    >>> round(table.value("Total", "fte"), 6), table.value("Total", "fte_hours")
    (4.0, 6750.0)

    See `fte_apportionment` for the keys.
    """
    team = team or log.team
    period = _year_period(year)
    frame = log_codes(log)
    summary = month_summary(log, period)
    return fte_apportionment(frame, summary, team, period, hours_per_fte=hours_per_fte, key=key)


def _code_letters(team: Team, text: str) -> str:
    try:
        return team.code_scheme.parse(text).municipality
    except ValueError:
        return ""


@attrs.frozen(eq=False)
class AnnualReport:
    """The annual report of a team for one year: named [`Report`][ettervern.Report] tables in
    order.

    Tables are reached by key (``annual["driving"]``) or position, and the whole report is
    written as text, a dict (JSON), an Excel workbook, pandas frames (`to_frame`, `to_tidy`) or
    HTML; in a notebook it shows under a heading naming the team and year, in ``locale`` (Bokmål
    by default).
    """

    team: Team = attrs.field(repr=False)
    year: int
    reports: tuple[Report, ...] = attrs.field(repr=False)
    audience: Audience = "internal"
    """``"published"``: protected for publication; ``"member"``: the ``member``'s own rows
    exact, the rest as published; ``"internal"``: every figure as it is."""
    threshold: int | None = None
    """The smallest count shown, for a published release."""
    loss: InformationLoss | None = attrs.field(default=None, kw_only=True)
    """What protecting a published release hid: cells, and the share of the total."""
    locale: str | None = attrs.field(default=None, kw_only=True)
    """The language a notebook shows the report in; the methods take their own ``locale``."""
    period: tuple[dt.date, dt.date] | None = attrs.field(default=None, kw_only=True)
    """The first and last day reported on, when that is not the calendar year ``year`` (a
    month, a quarter, any span); ``year`` is then the year it starts in."""
    warnings: tuple[Message, ...] = attrs.field(default=(), kw_only=True)
    """What a reader must know before reading the figures: that the log covers only part of
    the year, say. Shown on the cover of every output."""

    def warnings_in(self, locale: str | None = None) -> list[str]:
        """The warnings in ``locale``."""
        return [warning.render(locale or self.locale) for warning in self.warnings]

    def _warning_lines(self, locale: str | None) -> list[str]:
        prefix = translate(WARNING, locale)
        return [f"{prefix}: {warning}" for warning in self.warnings_in(locale)]

    member: str | None = attrs.field(default=None, kw_only=True)
    """The member municipality a member's report is for (``audience="member"``)."""

    def __iter__(self) -> Iterator[Report]:
        return iter(self.reports)

    def __len__(self) -> int:
        return len(self.reports)

    def __getitem__(self, key: str | int) -> Report:
        if isinstance(key, int):
            return self.reports[key]
        for report in self.reports:
            if report.key == key:
                return report
        raise UnknownReportError(key, known=[r.key for r in self.reports])

    def keys(self) -> list[str]:
        """The keys of the reports, in order."""
        return [r.key for r in self.reports]

    @property
    def period_label(self) -> str:
        """The year, or the years compared (``2020–2021``)."""
        return str(self.year)

    def period_in(self, locale: str | None = None) -> str:
        """The span reported on in words: ``2020``, ``2. kvartal 2020``, ``mars 2020``."""
        if self.period is None:
            return self.period_label
        return format_period(*self.period, locale or self.locale)

    def title_in(self, locale: str | None = None) -> str:
        """``Årsrapport 2020 (publisert)``, ``(til Fauske kommune)`` or ``(intern, ikke for
        publisering)``: every report names its audience; a report of another span says it in
        words: ``Rapport 2. kvartal 2020 (publisert)``."""
        code = locale or self.locale
        name = ANNUAL_REPORT if self.period is None else PERIOD_REPORT
        return f"{translate(name, code)} {self.period_in(code)} ({self.audience_in(code)})"

    def audience_in(self, locale: str | None = None) -> str:
        """Who the report is for, in ``locale``: ``publisert``, ``til Fauske kommune`` or
        ``intern, ikke for publisering``."""
        code = locale or self.locale
        if self.audience == "internal":
            return translate(INTERNAL, code)
        if self.audience == "member":
            return translate(FOR_MEMBER, code).format(member=self.member)
        return translate(PUBLISHED, code)

    def heading(self, locale: str | None = None) -> str:
        """``Årsrapport 2020 – Interkommunalt ambulerende ettervernsteam i Salten``."""
        return f"{self.title_in(locale)} – {self.team.name}"

    def rule_in(self, locale: str | None = None) -> str:
        """The disclosure-control rule in ``locale``, or that nothing is hidden (internal)."""
        code = locale or self.locale
        if self.audience == "internal" or self.threshold is None:
            return translate("none: every figure is shown (internal use only)", code)
        rule = translate(RULE, code).format(threshold=self.threshold)
        return f"{rule} {translate(HOURS_POLICY, code)}"

    def loss_in(self, locale: str | None = None) -> list[tuple[str, str]]:
        """What protecting the release hid, in ``locale``, as (what, how much) lines: the
        cells hidden and the share hidden of each unit, with the method, then each table
        that hides cells, then each coarser grouping proposed; none for an internal report."""
        return loss_lines(self.loss, self.reports, locale or self.locale)

    def to_text(self, locale: str | None = None, *, width: int | None = None) -> str:
        """Every table as plain text, for a terminal, after a heading that names the rule and
        the information it lost.

        Tables are split into blocks of columns to fit ``width``, if given.
        """
        code = locale or self.locale
        tables = [r.to_text(code, width=width) for r in self.reports]  # these check the width
        heading = f"{self.title_in(code)}. {translate(SUPPRESSION, code)}: {self.rule_in(code)}"
        loss = "\n".join(f"{what}: {words}" for what, words in self.loss_in(code))
        lines = [heading, *self._warning_lines(code), *([loss] if loss else [])]
        if width:
            lines = [
                "\n".join(w for part in line.split("\n") for w in textwrap.wrap(part, width))
                for line in lines
            ]
        return "\n\n".join([*lines, *tables])

    def to_html(self, locale: str | None = None) -> str:
        """Every table as styled HTML under a heading naming the team and the year, and the rule."""
        code = normalise_locale(locale or self.locale)
        rule = (
            f"<p>{html.escape(translate(SUPPRESSION, code))}: {html.escape(self.rule_in(code))}</p>"
        )
        warnings = "".join(
            f'<p class="warning"><strong>{html.escape(w)}</strong></p>'
            for w in self._warning_lines(code)
        )
        body = warnings + rule + self._loss_html(code)
        body += "".join(r.to_html(code, standalone=False) for r in self.reports)
        return html_block(body, heading=self.heading(code), locale=code)

    def _loss_html(self, locale: str) -> str:
        lines = [
            f"<li><strong>{html.escape(what)}</strong>: {html.escape(words)}</li>"
            for what, words in self.loss_in(locale)
        ]
        return f'<ul class="loss">{"".join(lines)}</ul>' if lines else ""

    def _repr_html_(self) -> str:
        return self.to_html()

    def to_dict(self, locale: str | None = None) -> dict[str, Any]:
        """Every table as JSON-safe data (see [`Report.to_dict()`][ettervern.Report.to_dict]), with
        the team and year."""
        period = {} if self.period is None else {"period": [d.isoformat() for d in self.period]}
        return {
            "team": self.team.name,
            "year": self.year,
            **period,
            "locale": normalise_locale(locale or self.locale),
            "audience": self.audience,
            "member": self.member,
            "threshold": self.threshold,
            "suppression": self.rule_in(locale),
            "warnings": self.warnings_in(locale),
            "loss": loss_dict(self.loss),
            "reports": [r.to_dict(locale or self.locale) for r in self.reports],
        }

    def to_frame(
        self, locale: str | None = None, *, labels: bool = True
    ) -> dict[str, pd.DataFrame]:
        """Every table as a wide frame (see [`Report.to_frame()`][ettervern.Report.to_frame]), by key, in order."""
        return {r.key: r.to_frame(locale or self.locale, labels=labels) for r in self.reports}

    def to_tidy(self, locale: str | None = None) -> pd.DataFrame:
        """All tables as one long frame: one line per cell, for pandas, plotting or a database.

        Columns: ``table`` (the report's key), ``title``, ``row``, ``row_label``,
        ``kommunenummer`` (for rows that are municipalities), ``month`` (``period[M]``, for
        rows that are months), ``column``, ``column_label``, ``unit`` (of the column: hours,
        cases, share …) and ``value``.
        """
        code = locale or self.locale
        frames = []
        for report in self.reports:
            tidy = report.to_tidy(code)
            tidy.insert(0, "table", report.key)
            tidy.insert(1, "title", report.title_in(code))
            tidy["unit"] = [column_unit(report, c.split("\x1f")[0]) for c in tidy["column"]]
            frames.append(tidy)
        columns = list(TIDY_COLUMNS)
        if not frames:
            return pd.DataFrame({c: pd.Series(dtype="object") for c in columns})
        long = pd.concat(frames, ignore_index=True)
        for column in ("kommunenummer", "month"):
            if column not in long:
                long[column] = None
        long["kommunenummer"] = long["kommunenummer"].astype("string")
        long["month"] = long["month"].astype(pd.PeriodDtype("M"))
        for column in ("table", "unit"):
            long[column] = long[column].astype("category")
        return long[columns]

    def to_excel(
        self,
        path: str | Path,
        locale: str | None = None,
        *,
        rejected: Rejections | pd.DataFrame | None = None,
    ) -> Path:
        """Write one sheet per table to an ``.xlsx`` workbook (needs the ``excel`` extra).

        The workbook prints on A4 (see `write_workbook()`). Pass the
        [`ImportResult`][ettervern.ImportResult] of the sheet the report was made from as ``rejected``
        (or its ``rejected_in(locale)`` table) to add a sheet of the rows it rejected.
        """
        from ettervern._render import write_workbook

        return write_workbook(self, Path(path), locale or self.locale, rejected=rejected)


TIDY_COLUMNS = (
    "table",
    "title",
    "row",
    "row_label",
    "kommunenummer",
    "month",
    "column",
    "column_label",
    "unit",
    "value",
)
"""The columns of [`AnnualReport.to_tidy()`][ettervern.AnnualReport.to_tidy], in order."""


@attrs.frozen(eq=False)
class YearComparison(AnnualReport):
    """The tables of two years side by side with the change (see [`compare_years()`][ettervern.compare_years]).

    It has the outputs of an [`AnnualReport`][ettervern.AnnualReport] (text, HTML, Excel, frames, access by key);
    ``year`` is the later year and ``years`` both. A published comparison's ``loss`` counts
    each year's figures it hides, per table, and carries the ``proposals``; every output
    prints them, as an annual report's.
    """

    years: tuple[int, int] = attrs.field(kw_only=True)
    proposals: tuple[Proposal, ...] = attrs.field(default=(), kw_only=True)
    """For each compared table mostly hidden, the years pooled (``kind="years"``): how many
    of its cells a figure for both years together publishes, measured by protecting it with
    both years' published tables (``compare_years(pool_years=True)`` adds those tables)."""

    @property
    def period_label(self) -> str:
        """``2020–2021``."""
        return f"{self.years[0]}–{self.years[1]}"

    def to_dict(self, locale: str | None = None) -> dict[str, Any]:
        """As [`AnnualReport.to_dict()`][ettervern.AnnualReport.to_dict], with ``years``."""
        return {**super().to_dict(locale), "years": list(self.years)}


def annual_report(
    log: TimeLog,
    cases: Sequence[Case] = (),
    *,
    team: Team | None = None,
    year: int | None = None,
    period: PeriodLike | None = None,
    hours_per_fte: float = HOURS_PER_FTE,
    cost_spread: CostSpread = "pro_rata",
    budget: float | None = None,
    responses: Sequence[Response] = (),
    instruments: Sequence[Instrument] = (),
    roster: Roster | None = None,
    audience: Audience = "published",
    threshold: int | None = None,
    groups: GroupLog | None = None,
    pool: Sequence[str] = (),
    member: str | None = None,
    pool_categories: Sequence[str] = (),
) -> AnnualReport:
    """The annual report's tables for ``year`` (or any ``period``: ``"2020-Q2"``, a month, a
    pair of dates, titled in words, the FTE's working hours those of its days), protected for
    publication unless asked otherwise.

    The tables of the team's layout ([`Team.layout`][ettervern.Team.layout]) come first, then
    cases, people, courses, outcomes, staff, capacity, no-shows, months and cost sharing.

    Args:
        log: the team's time log (entries of other years are left out).
        year, period: the calendar year, or any span (``period=``); give one.
        cases: the team's cases and referrals, for the case tables.
        team: the team; by default the log's.
        hours_per_fte: working hours in one FTE a year ([`HOURS_PER_FTE`][ettervern.tables.HOURS_PER_FTE]).
        cost_spread: how *Felles* hours are spread between members: ``"pro_rata"`` or ``"equal"``.
        budget: an amount to divide between the members by their share of hours.
        responses: answer sheets of outcome instruments (FIT's ORS …), for their tables.
        instruments: a team's own instruments (the shipped ones are known already).
        roster: the team's staff, for the table of staff hours and capacity per person.
        groups: the team's group sessions (a checked [`GroupLog`][ettervern.events.GroupLog]).
        audience: ``"published"`` (the default): every table of cases protected together, so
            that no count below the threshold shows or can be worked out, and the table listing
            case codes left out; ``"member"``: the ``member``'s own rows exact, the rest as
            published and protected with them known; ``"internal"``: every figure as it is.
        threshold: the smallest count published; by default the team's (3).
        member: the member municipality of ``audience="member"`` (name, number or letters).
        pool: members whose rows are pooled into one, «Andre medlemskommuner», in every published
            table by municipality (what ``annual.loss.proposals`` proposes).
        pool_categories: categories pooled into one column, «Andre kategorier», in every hours table.

    Raises:
        PathwayError: a case is not the team's (see [`check_case()`][ettervern.check_case]).
        InvalidValueError: nothing to report: no time logged in ``year`` and no case open then;
            ``hours_per_fte`` not more than 0; both ``year`` and ``period`` given, or neither;
            ``member`` without ``audience="member"`` (or missing with it); an unknown category.
        UnknownMunicipalityError: ``member`` is not one of the team's members.
    """
    team = team or log.team
    release = _release_of(team, audience, threshold, member, (pool, pool_categories))
    options = _Options(hours_per_fte, cost_spread, budget, responses, instruments, roster, groups)
    return _annual(log, cases, team, _span(year, period), options=options, release=release)


def _release_of(
    team: Team,
    audience: Audience,
    threshold: int | None,
    member: str | None,
    pooled: tuple[Sequence[str], Sequence[str]],
) -> _Release:
    """Whom the report is for, checked: the member one of the team's, each pooled category
    one of its categories."""
    pool, categories = pooled
    for key in categories:
        check_field(
            team.categories.find(key) is not None,
            "{field}: {value!r} is not one of the team's categories",
            field="pool_categories",
            value=key,
        )
    member = checked_member(team, audience, member)
    pool = [team.membership(name).municipality.name for name in pool]
    return _Release(audience, threshold, tuple(pool), member, tuple(categories))


@attrs.frozen
class _Release:
    """Whom a report is for: the audience, the threshold, the pooled members, the member."""

    audience: Audience
    threshold: int | None
    pool: tuple[str, ...]
    member: str | None
    categories: tuple[str, ...] = ()
    """Categories pooled into one column, «Andre kategorier» (``pool_categories=``)."""


def _annual(
    log: TimeLog,
    cases: Sequence[Case],
    team: Team,
    span: tuple[dt.date, dt.date],
    *,
    options: _Options,
    release: _Release,
) -> AnnualReport:
    """The annual report of ``span`` once its arguments are read: the tables, then their
    release, with a warning when the log covers part of the span only."""
    frame, summary, options, walk = _read(log, cases, team, span, options=options, release=release)
    covered = options.covered
    kinds = walk.kinds if walk is not None else frozenset()
    reports = _annual_tables(frame, summary, cases, team, period=span, options=options, walk=walk)
    parts = None
    if release.audience != "internal":  # against each member, or the member reading its view
        entries = (frame, summary)
        reads = read_by_protection(reports)  # a member's part of any other table goes unread
        parts = _parts_of_members(
            entries, cases, team, span, options=options, walk=walk, pool=release.pool, reads=reads
        )
    report = _released(
        team,
        reports,
        release.audience,
        release.threshold,
        frame=frame,
        period=span,
        pool=release.pool,
        member=release.member,
        medians=_pooled_totals(frame, cases, team, (span, kinds), release),
        pool_categories=release.categories,
        parts=parts,
    )
    if covered is None:
        return report
    return attrs.evolve(report, warnings=(partial_year(covered, span),))


def _read(
    log: TimeLog,
    cases: Sequence[Case],
    team: Team,
    span: tuple[dt.date, dt.date],
    *,
    options: _Options,
    release: _Release,
) -> tuple[pd.DataFrame, pd.DataFrame, _Options, CaseWalk | None]:
    """The log's codes and month summary of ``span`` (moves applied), the options with the
    months covered, and the cases walked once for every table: what the tables are read from."""
    kinds = event_kinds(cases)  # one pass: which kinds of event (moves, goals) to look for
    frame, summary, walk = _checked(
        log,
        cases,
        team,
        span,
        hours_per_fte=options.hours_per_fte,
        audience=release.audience,
        kinds=kinds,
    )
    if release.audience != "internal" and release.pool:  # only a pooled member is checked
        logged = set(summary["municipality"].astype(str))
        present = logged | {c.municipality.name for c in cases if _touches(c, span)}
        refuse_empty(release.pool, present)
    options = attrs.evolve(options, covered=covered_months(summary, cases, span))
    options.check(cases, team)
    return frame, summary, options, walk


def member_parts(
    log: TimeLog,
    cases: Sequence[Case],
    team: Team | None,
    span: tuple[dt.date, dt.date],
    **options: Any,
) -> dict[str, list[Report]]:
    """Each member's part of the annual report of ``span``, by member name: the internal
    tables of its own cases and entries (``_member_tables``), as the published release reads
    them. ``options``: the annual report's ``hours_per_fte``, ``responses``, ``instruments``,
    ``roster`` and ``groups`` (``tables.member_parts``)."""
    team = team or log.team
    given = {"cost_spread": "pro_rata", "budget": None, **options}
    release = _Release("internal", None, (), None)
    frame, summary, read, walk = _read(
        log, cases, team, span, options=_Options(**given), release=release
    )
    return _parts_of_members((frame, summary), cases, team, span, options=read, walk=walk)


def _pooled_totals(
    frame: pd.DataFrame,
    cases: Sequence[Case],
    team: Team,
    walked: tuple[tuple[dt.date, dt.date], frozenset[type] | None],
    release: _Release,
) -> dict[str, dict[str, float]]:
    """Each case table's totals over the pooled members' cases alone, by report key: the
    pooled row's medians, from the pooled group's records (``_pooling``)."""
    if not release.pool or release.audience == "internal":
        return {}
    chosen = [c for c in cases if c.municipality.name in release.pool]
    if not chosen:
        return {}
    span, kinds = walked
    walk = walk_cases(chosen, span, kinds)
    tables = case_reports(chosen, team, span, walk)
    tables += people_and_course_reports(frame, chosen, team, span, walk)
    return {r.key: dict(r.total_values) for r in tables}


def _span(year: int | None, period: PeriodLike | None) -> tuple[dt.date, dt.date]:
    """The days ``year`` or ``period`` stands for (exactly one of them given)."""
    check_field(
        (year is None) != (period is None),
        "{field} and {other} name the span reported on: give one of them, got {value!r}",
        field="year",
        other="period",
        value=(year, period),
    )
    return _year_period(year) if year is not None else period_of(period)


def partial_year(covered: tuple[dt.date, dt.date], period: tuple[dt.date, dt.date]) -> Message:
    """The warning that the data covers only ``covered`` of ``period``."""
    first, last = period
    years = str(first.year) if first.year == last.year else f"{first.year}–{last.year}"
    return Message(
        "the time log covers only {first} to {last} of {year}: the tables count those dates, "
        "and the FTE table that part of the year's FTE",
        first=covered[0],
        last=covered[1],
        year=years,
    )


@attrs.frozen
class _Options:
    """What the tables of an annual report are computed with, beyond the log and the cases."""

    hours_per_fte: float
    cost_spread: CostSpread
    budget: float | None
    responses: Sequence[Response]
    instruments: Sequence[Instrument]
    roster: Roster | None
    groups: GroupLog | None = None
    part: bool = False
    """The tables are a member's part of the team's: every table the team's cases give, also
    where the member's own would be left out (``case_reports``)."""

    def check(self, cases: Sequence[Case], team: Team) -> None:
        """Raise unless the group sessions keep their rules against ``cases``."""
        if self.groups is not None:
            self.groups.check(cases, team=team)

    covered: tuple[dt.date, dt.date] | None = None
    """The months the data covers, when not the whole period (the FTE table counts that part)."""


def _checked(
    log: TimeLog,
    cases: Sequence[Case],
    team: Team,
    period: tuple[dt.date, dt.date],
    *,
    hours_per_fte: float,
    audience: Audience,
    kinds: frozenset[type],
) -> tuple[pd.DataFrame, pd.DataFrame, CaseWalk | None]:
    """The frame of the log with the cases' moves applied, the period's summary and the cases
    walked once for every table, once the arguments are checked and there is something to
    report. The walk checks each case against the team as it reads it (``walk_cases``): one
    pass, refusing what ``check_cases`` refuses before anything else is read."""
    check_field(
        hours_per_fte > 0,
        "{field} must be more than {bound}, got {value!r}",
        field="hours_per_fte",
        value=hours_per_fte,
        bound=0,
    )
    check_one_of("audience", audience, AUDIENCES)
    walk = walk_cases(cases, period, kinds, team=team) if cases else None
    log = moved_log(
        log, cases, kinds
    )  # a person moved: the summary counts the hours where they live
    frame = log_codes(log)  # the reports read the log's codes: no date per entry
    summary = month_summary(log, period)
    if not len(summary) and not any(_touches(case, period) for case in cases):
        whole = period == _year_period(period[0].year)
        field, value = ("year", period[0].year) if whole else ("period", period)
        raise InvalidValueError(_nothing_for(period), field=field, value=value)
    return frame, summary, walk


def _parts_of_members(
    entries: tuple[pd.DataFrame, pd.DataFrame],
    cases: Sequence[Case],
    team: Team,
    span: tuple[dt.date, dt.date],
    *,
    options: _Options,
    walk: CaseWalk | None,
    pool: Sequence[str] = (),
    reads: Container[str] | None = None,
) -> dict[str, list[Report]]:
    """Each member's own tables (``_member_tables``), by name; with ``reads``, of the tables
    apart (``_tables_apart``) only those keys (the others the release never reads). A
    member's part of a table by municipality is its own row (and the Total's part that row),
    which ``member_parts`` sets from the release's cells: unless a case moved to or from it,
    or it is pooled (its row then is part of «Andre medlemskommuner»), those tables are not
    built for it (``by_rows``), and its cases are the rows of the team's walk in its
    municipality. Its referral sources, closure reasons and hours by month are counted for
    all those members at once (``_grouped_parts``); the rest of its tables apart, where it
    may need any (``_makers_apart``), are built of its cases, taken for all of them at once
    (``CaseWalk.split``): no member walks or looks at its cases again. The rare member with
    a moved case, or pooled, finds its cases and builds its tables as before
    (``_cases_by_member``)."""
    moved = walk is not None and Moved in walk.kinds
    belonged = _cases_by_member(cases, moved=moved) if moved or pool else {}
    names = sorted(m.municipality.name for m in team.members)
    slow = {
        name
        for name in names
        if name in pool or (moved and any(c.moves for c in belonged.get(name, [])))
    }
    quick = [name for name in names if name not in slow]
    rows = _rows_by_member(walk, quick)
    out = _grouped_parts(entries[1], (walk, rows), quick, team, span, keys=reads)
    rest = _Besides(reads, _GROUPED)
    makers = _makers_apart((*entries, [], None), team, period=span, options=options, keys=rest)
    more = any(made is None or any(k in rest for k in made) for made, _ in makers)
    split = walk.split(rows) if more and walk is not None else {}
    for name in names:
        if name in slow:
            chosen = belonged.get(name, [])
            walked = None if walk is None or not chosen else walk.restricted_to(chosen)
        elif more:
            walked = split.get(name)
            chosen = [] if walked is None else list(walked.walked)
        else:
            continue
        made = _member_tables(
            entries,
            chosen,
            team,
            span,
            name,
            options=options,
            walk=walked,
            by_rows=name in slow,
            reads=reads if name in slow else rest,
        )
        out[name] = made if name in slow else _in_order(out[name] + made, makers)
    return dict(sorted(out.items()))


_GROUPED = frozenset({*(spec.key for spec in TALLIED), "monthly"})
"""The tables apart whose members' parts ``_grouped_parts`` counts for all members at once."""


@attrs.frozen
class _Besides:
    """The keys of ``keys`` (None: every key) but those ``left_out``."""

    keys: Container[str] | None
    left_out: frozenset[str]

    def __contains__(self, key: object) -> bool:
        return key not in self.left_out and (self.keys is None or key in self.keys)


def _rows_by_member(walk: CaseWalk | None, names: Sequence[str]) -> dict[str, np.ndarray[Any, Any]]:
    """The rows of the team's walk of each member of ``names`` with a case (none of them
    moved): those of its municipality, found for all of them in one grouping."""
    if walk is None or not len(walk.facts):
        return {}
    groups = walk.facts.groupby("municipality", sort=False).indices
    wanted = set(names)
    return {name: np.asarray(at) for name, at in groups.items() if name in wanted}


def _grouped_parts(
    summary: pd.DataFrame,
    walked: tuple[CaseWalk | None, Mapping[str, np.ndarray[Any, Any]]],
    names: Sequence[str],
    team: Team,
    span: tuple[dt.date, dt.date],
    *,
    keys: Container[str] | None,
) -> dict[str, list[Report]]:
    """Each member's tables apart of ``_GROUPED`` that ``keys`` wants, by name, counted for
    all ``names`` at once: as ``_tables_apart`` of its own cases and entries makes them. Its
    referral sources and closure reasons (``tallied_parts``) where it has a case (``walked``:
    the team's walk and each member's rows of it), and its hours by month (``_monthly_parts``)."""
    out: dict[str, list[Report]] = {name: [] for name in names}
    walk, rows = walked
    if walk is not None and rows:
        owner = np.full(len(walk.facts), -1, dtype=np.intp)
        members = list(rows)
        for number, name in enumerate(members):
            owner[rows[name]] = number
        for spec in TALLIED:
            if keys is None or spec.key in keys:
                made = tallied_parts(spec, walk.facts, (owner, len(members)), team, span)
                for name, report in zip(members, made, strict=True):
                    out[name].append(report)
    if keys is None or "monthly" in keys:
        for name, report in _monthly_parts(summary, names, team, span).items():
            out[name].append(report)
    return out


def _in_order(reports: list[Report], makers: Sequence[Maker]) -> list[Report]:
    """``reports`` in the order ``_tables_apart`` makes them (``makers``'): by the builder
    that makes each, then by its place among that builder's keys."""
    place: dict[str, tuple[int, int]] = {}
    unknown = len(makers)
    for number, (made, _) in enumerate(makers):
        if made is None:
            unknown = min(unknown, number)
        for at, key in enumerate(made or ()):
            place.setdefault(key, (number, at))
    return sorted(reports, key=lambda r: place.get(r.key, (unknown, 0)))


def _member_tables(
    entries: tuple[pd.DataFrame, pd.DataFrame],
    chosen: Sequence[Case],
    team: Team,
    period: tuple[dt.date, dt.date],
    member: str,
    *,
    options: _Options,
    walk: CaseWalk | None,
    by_rows: bool = True,
    reads: Container[str] | None = None,
) -> list[Report]:
    """The internal tables of one member's cases and entries alone: its part of every cell
    of the release, which it knows from its closure reports (``Model.parts``); with
    ``by_rows`` False only those whose rows are not municipalities (``_tables_apart``), of
    the keys ``reads`` (None: all). ``walk``: the walk of its cases (``chosen``).

    Everything tied to its cases comes with them, so a table added later brings the member's
    part with it: the cases it ever had (``chosen``: a case that moved belongs to each member
    it lived in, ``_cases_by_member``), the entries logged to it, and the answer sheets and
    group attendance of its cases; and each table the team's cases give is made, so no part
    is read as 0 for want of a table (``_Options.part``). Only what is the team's own stays
    whole: the roster (staff, their FTE and employment, which are no one in care; the people
    each member of staff followed are read from the member's cases) and the budget (an
    amount). ``entries`` are the release's log
    codes and month summary (moves applied: an entry counts for the member the person lived
    in that day), split by member (``_own_entries``)."""
    whole = options.roster is not None  # staff hours read every entry, not only the cases'
    read = by_rows or whole or bool(options.responses) or options.groups is not None
    codes = {str(c.code) for c in chosen} if read else set()
    options = attrs.evolve(
        options,
        responses=[r for r in options.responses if str(r.case) in codes],
        groups=None if options.groups is None else _attended_by(options.groups, codes),
        budget=None,
        part=True,
    )
    if not by_rows and not whole:
        codes = set()  # no table left reads the entries of its cases (hours per person)
    frame, summary = _own_entries(*entries, member, codes=None if whole else codes)
    walked = walk if chosen else None
    if by_rows:
        return _annual_tables(
            frame, summary, chosen, team, period=period, options=options, walk=walked
        )
    return _tables_apart(
        frame, summary, chosen, team, period=period, options=options, walk=walked, keys=reads
    )


def _own_entries(
    frame: pd.DataFrame, summary: pd.DataFrame, member: str, *, codes: set[str] | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The entries logged to ``member``, from the release's log codes and month summary.

    The summary is grouped by municipality first, so its rows of the member are exactly the
    summary of the member's entries: no second pass over the log. Of the entries themselves,
    a member's tables read only those of its cases (hours per person; the rest is read from
    the summary, and its entries are never *Andre kommuner*'s), so with ``codes`` (its cases)
    only those rows are taken; without, all of them (the staff tables read every entry).
    ``test_members_parts_are_their_own_reports`` checks that the tables come out as those of
    the member's whole log."""
    rows = _logged_to(frame, member)
    if codes is not None and not codes:
        rows = rows[:0]
    elif codes is not None:
        case = frame["case"]
        if isinstance(case.dtype, pd.CategoricalDtype):
            wanted = np.flatnonzero(case.cat.categories.astype(str).isin(list(codes)))
            rows = rows[np.isin(case.cat.codes.to_numpy()[rows], wanted)]
        else:
            rows = rows[case.iloc[rows].astype("string").isin(list(codes)).to_numpy()]
    own = frame.iloc[rows].reset_index(drop=True)
    mine = (summary["municipality"].astype(str) == member).to_numpy()
    return own, summary[mine].reset_index(drop=True)


def _cases_by_member(cases: Sequence[Case], *, moved: bool) -> dict[str, list[Case]]:
    """Each member's cases, in the given order: those of its municipality and, when the
    cases record a move (``moved``), those that moved to it. Each member received the case's
    reports while the person lived there, so each knows it: the case is counted in full in
    each (more than either knows, never less). One pass over the cases for all members."""
    out: dict[str, list[Case]] = {}
    for case in cases:
        names = {case.municipality.name}
        if moved:
            names.update(move.municipality.name for move in case.moves)
        for name in names:
            out.setdefault(name, []).append(case)
    return out


def _attended_by(groups: GroupLog, codes: set[str]) -> GroupLog:
    """The sessions attended by the cases of ``codes``, with those attendees only."""
    sessions = (
        attrs.evolve(s, attendees=tuple(c for c in s.attendees if c in codes)) for s in groups
    )
    return GroupLog(s for s in sessions if s.attendees)


def _nothing_for(period: tuple[dt.date, dt.date]) -> Message:
    """Why a span has no report: nothing logged, no case open."""
    start, end = period
    if (start, end) == _year_period(start.year):
        return Message(
            "nothing to report for {year}: no time logged and no case open that year",
            year=start.year,
        )
    return Message(
        "nothing to report for {start} to {end}: no time logged and no case open then",
        start=start,
        end=end,
    )


def _annual_tables(
    frame: pd.DataFrame,
    summary: pd.DataFrame,
    cases: Sequence[Case],
    team: Team,
    *,
    period: tuple[dt.date, dt.date],
    options: _Options,
    walk: CaseWalk | None = None,
) -> list[Report]:
    """Every table of the annual report, in the report's order (``walk``: the pass over
    ``cases``, made here unless given)."""
    common: dict[str, Any] = {"rows": "municipality", "columns": "category", "period": period}
    reports = [
        *(_layout_table(summary, team, table, common) for table in team.layout.tables),
        _from_summary(
            summary, team, key="all_categories", title=N_("Hours by category"), agg="sum", **common
        ),
    ]
    if not cases:
        logger.info("no cases given: the case tables are left out of the %d report", period[0].year)
    if walk is None and cases:
        walk = walk_cases(cases, period)  # one pass, shared by the tables
    if walk is not None:
        reports += case_reports(cases, team, period, walk, part=options.part)
    if options.groups is not None:
        reports.append(group_attendance_report(options.groups, cases, team, period))
    extras = people_and_course_reports(frame, cases, team, period, walk)
    extras += _instrument_and_staff(frame, cases, team, period, options=options, walk=walk)
    reports += choose_extras(extras, team.layout.extras)
    reports += _closing_tables(frame, summary, team, period, options)
    logger.info(
        "annual report %d for %s: %d tables from %d entries in the year, %d cases",
        period[0].year,
        team.name,
        len(reports),
        int(summary["entries"].sum()),
        len(cases),
    )
    return reports


Maker = tuple[tuple[str, ...] | None, Callable[[], list[Report]]]
"""The keys of the tables a builder may make (None: known once made), and the builder."""


def _tables_apart(
    frame: pd.DataFrame,
    summary: pd.DataFrame,
    cases: Sequence[Case],
    team: Team,
    *,
    period: tuple[dt.date, dt.date],
    options: _Options,
    walk: CaseWalk | None = None,
    keys: Container[str] | None = None,
) -> list[Report]:
    """The tables of ``_annual_tables`` whose rows are not municipalities (months, ages,
    sources, reasons, life domains, staff): what a member's part of the release needs
    besides its own rows, when no case moved (``_member_tables``); with ``keys``, of those
    keys only (the release reads no other). The builders whose every table is by
    municipality are not called; the rest (``_makers_apart``) only where they may make a
    table of ``keys``, and their tables are filtered by their rows."""

    def wanted(key: str) -> bool:
        return keys is None or key in keys

    if walk is None and cases:
        walk = walk_cases(cases, period)
    state = (frame, summary, cases, walk)
    makers = _makers_apart(state, team, period=period, options=options, keys=keys)
    reports = [
        report
        for made, build in makers
        if made is None or any(wanted(key) for key in made)
        for report in build()
    ]
    return [r for r in reports if r.rows != "municipality" and wanted(r.key)]


def _makers_apart(
    state: tuple[pd.DataFrame, pd.DataFrame, Sequence[Case], CaseWalk | None],
    team: Team,
    *,
    period: tuple[dt.date, dt.date],
    options: _Options,
    keys: Container[str] | None,
) -> list[Maker]:
    """The builders of ``_tables_apart``, in the report's order, each with the keys of the
    tables it may make: what a member's part may need besides what is grouped for all the
    members at once (``_grouped_parts``). ``state``: the log codes, the month summary, the
    cases and their walk."""
    frame, summary, cases, walk = state
    common: dict[str, Any] = {"rows": "municipality", "columns": "category", "period": period}
    makers: list[Maker] = [
        ((table.key,), _layout_maker(summary, team, table, common))
        for table in team.layout.tables
        if table.rows != "municipality"
    ]

    def of_cases() -> list[Report]:
        if walk is None:
            return []
        part = options.part
        return case_reports(cases, team, period, walk, by_municipality=False, part=part, keys=keys)

    makers.append((TABLES_APART, of_cases))
    groups = options.groups
    if groups is not None:
        attended = lambda: [group_attendance_report(groups, cases, team, period)]  # noqa: E731
        makers.append((("group_attendance",), attended))

    def staff() -> list[Report]:
        extras = _instrument_and_staff(frame, cases, team, period, options=options, walk=walk)
        return choose_extras(extras, team.layout.extras)

    if options.roster is not None:  # the staff table; the outcome tables are by municipality
        makers.append((None, staff))
    hours = options.hours_per_fte
    makers.append((("capacity",), lambda: [capacity_report(summary, team, period, hours)]))
    makers.append((("monthly",), lambda: [_monthly(summary, team, period)]))
    return makers


def _layout_maker(
    summary: pd.DataFrame, team: Team, table: ReportTable, common: dict[str, Any]
) -> Callable[[], list[Report]]:
    """The builder of one table of the team's layout."""
    return lambda: [_layout_table(summary, team, table, common)]


def _instrument_and_staff(
    frame: pd.DataFrame,
    cases: Sequence[Case],
    team: Team,
    period: tuple[dt.date, dt.date],
    *,
    options: _Options,
    walk: CaseWalk | None,
) -> list[Report]:
    """The outcome, instrument and staff tables the ``options`` allow."""
    return instrument_and_staff_reports(
        frame,
        cases,
        team,
        period,
        responses=options.responses,
        instruments=options.instruments,
        roster=options.roster,
        hours_per_fte=options.hours_per_fte,
        walk=walk,
    )


def _monthly(summary: pd.DataFrame, team: Team, period: tuple[dt.date, dt.date]) -> Report:
    """Hours by month and category."""
    return _monthly_of(pivot_frame(summary, team, "month", "category", "sum"), team, period)


def _monthly_of(tidy: pd.DataFrame, team: Team, period: tuple[dt.date, dt.date]) -> Report:
    """Hours by month and category, of their tidy data (``pivot_frame`` of a summary)."""
    return _summary_report(
        tidy,
        team,
        key="monthly",
        title=N_("Hours by month and category"),
        dimensions=("month", "category"),
        agg="sum",
        period=period,
    )


def _monthly_parts(
    summary: pd.DataFrame, names: Sequence[str], team: Team, period: tuple[dt.date, dt.date]
) -> dict[str, Report]:
    """Each member's hours by month and category (``_monthly`` of its rows of the summary,
    ``_own_entries``), by name, grouped for all of them at once: a member's months and
    categories come in the order they first come among its rows, as its own grouping gives
    them, each the sum of the same rows, and as there no hours of 0."""
    month = summary["date"].to_numpy().astype("datetime64[M]")
    place = summary["municipality"].astype(str).to_numpy()
    keys = [place, month, summary["category"]]
    grouped = summary["hours"].groupby(keys, observed=True, sort=False, dropna=False).sum()
    grouped = grouped[grouped != 0]
    index = grouped.index
    owners = index.get_level_values(0).to_numpy()
    months = pd.DatetimeIndex(index.get_level_values(1))
    rows = np.array([f"{y:04d}-{m:02d}" for y, m in zip(months.year, months.month, strict=True)])
    columns = np.array([str(c) for c in index.get_level_values(2)], dtype=object)
    values = grouped.to_numpy(dtype="float64")
    out = {}
    for name in names:
        mine = owners == name
        tidy = pd.DataFrame(
            {"row": rows[mine].tolist(), "column": columns[mine].tolist(), "value": values[mine]}
        )
        out[name] = _monthly_of(tidy, team, period)
    return out


def _closing_tables(
    frame: pd.DataFrame,
    summary: pd.DataFrame,
    team: Team,
    period: tuple[dt.date, dt.date],
    options: _Options,
) -> list[Report]:
    """Capacity, no-shows (for a team that logs them), months, cost sharing and FTE."""
    return [
        capacity_report(summary, team, period, options.hours_per_fte),
        *([no_show_report(summary, team, period)] if _keys(team, ReportGroup.WASTED) else []),
        _monthly(summary, team, period),
        cost_sharing_report(
            frame, summary, team, period, spread=options.cost_spread, budget=options.budget
        ),
        fte_apportionment(
            frame,
            summary,
            team,
            period,
            hours_per_fte=options.hours_per_fte,
            part_of_year=part_of_years(period),
            covered=options.covered,
        ),
    ]


def _released(
    team: Team,
    reports: list[Report],
    audience: Audience,
    threshold: int | None,
    *,
    frame: pd.DataFrame,
    period: tuple[dt.date, dt.date],
    pool: Sequence[str] = (),
    member: str | None = None,
    medians: Mapping[str, Mapping[str, float]] | None = None,
    pool_categories: Sequence[str] = (),
    parts: Mapping[str, Sequence[Report]] | None = None,
) -> AnnualReport:
    """The report for its audience: as computed for the team itself, or protected together
    for publication at the threshold (the team's by default), with the members of ``pool``
    pooled (``medians``: their row's medians, by table; ``pool_categories``: hours categories
    pooled); the log's ``frame`` lets the protection of hours count each cell's cases (its
    contributions made once, for the tables and their rows of hours), ``parts`` each
    member's own tables."""
    year = period[0].year
    span = None if period == _year_period(year) else period
    if audience == "internal":
        return AnnualReport(
            team=team, year=year, reports=tuple(reports), audience="internal", period=span
        )
    threshold = team.disclosure_threshold if threshold is None else threshold
    check_threshold(threshold)
    contributions = Contributions(frame, period)
    options = {
        "log": frame,
        "period": period,
        "dominance_p": team.dominance_p,
        "pool": pool,
        "member": member,
        "medians": medians,
        "parts": parts,
        "contributions": contributions,
    }
    rule = row_rule(team, frame, period, threshold, member, pool=pool, contributions=contributions)
    release = (reports, threshold, rule, options)
    with shared_answers():  # the proposals' protection asks much of what the release's did
        protected, loss = _protected(release, tuple(pool_categories), propose=True)
        loss = _categories_measured(
            loss, lambda more: _protected(release, (*pool_categories, *more), propose=False)[1]
        )
    return AnnualReport(
        team=team,
        year=year,
        reports=protected,
        audience="member" if member is not None else "published",
        threshold=threshold,
        loss=loss,
        period=span,
        member=member,
    )


def _protected(
    release: tuple[list[Report], int, Any, Mapping[str, Any]],
    categories: tuple[str, ...],
    *,
    propose: bool,
) -> tuple[tuple[Report, ...], InformationLoss]:
    """The published tables and their loss, by the one path a release is published by:
    protected together (``publish_with_loss``, ``categories`` pooled), then the rows of hours
    per member decided by the team's rule (``protect_rows``)."""
    reports, threshold, rule, options = release
    published, loss = publish_with_loss(
        reports, threshold, **options, pool_categories=categories, propose=propose, measure=False
    )
    protected = protect_rows(published, rule)
    return protected, with_rows_lost(loss, rows_lost(published, protected))


def _categories_measured(
    loss: InformationLoss, measure: Callable[[tuple[str, ...]], InformationLoss]
) -> InformationLoss:
    """Each proposal to pool categories measured by ``measure`` (the release published again
    by its own path, the categories pooled): ``cells`` is what applying it publishes more,
    rows of hours per member included; a proposal that publishes nothing more is dropped."""
    shown = loss.cells - loss.hidden
    out = []
    for proposal in loss.proposals:
        if proposal.kind != "categories":
            out.append(proposal)
            continue
        after = measure(proposal.pool)
        more = (after.cells - after.hidden) - shown
        if more > 0:
            out.append(attrs.evolve(proposal, cells=more))
    return attrs.evolve(loss, proposals=tuple(out))


def _touches(case: Case, period: tuple[dt.date, dt.date]) -> bool:
    """Whether a referral or case was open on some day of the period."""
    start, end = period
    return any(lo <= end and (hi is None or hi >= start) for lo, hi in case.open_spans)


def _layout_table(
    summary: pd.DataFrame, team: Team, table: ReportTable, common: dict[str, Any]
) -> Report:
    """One hours table of the team's report layout, titled from the team's own data."""
    keys = table.category_keys(team.categories)
    logged = set(summary["category"].astype(str))
    report = _from_summary(
        summary,
        team,
        key=table.key,
        title=table.title.render("en"),
        agg="sum" if table.measure == "hours" else "count",
        categories=keys,
        column_order=[k for k in keys if k in logged],
        **{**common, "rows": table.rows},
    )
    return attrs.evolve(report, title_texts=table.title, note_texts=table.notes)


def compare_years(
    log: TimeLog,
    cases: Sequence[Case] = (),
    *,
    years: tuple[int, int],
    team: Team | None = None,
    audience: Audience = "published",
    threshold: int | None = None,
    pool_years: bool = False,
    member: str | None = None,
    **options: Any,
) -> YearComparison:
    """The annual report's tables for two years side by side, with the change.

    Rows and columns present in only one year show as empty in the other, so categories that
    came or went (*Administrasjonsarbeid* stopped after 2020) and members that joined still line
    up. Municipalities that merged or split between the years (Tysfjord and Finnøy in 2020) are
    counted under the municipality that carries them on, and the tables say so in a note and in
    ``filters["municipality_changes"]``. By default both years are published releases: each
    year hides exactly what its own published annual report hides, and a change is shown only
    where both years' figures are, so the comparison and both annual reports can be published
    together. ``audience="internal"`` compares every figure; ``audience="member"`` with
    ``member=`` compares that member's views of the years (its own rows exact, and their change).

    Where a published table is mostly hidden, ``proposals`` says how many of its cells a
    figure for both years together would publish (``kind="years"``); ``pool_years=True``
    adds, for each table with cells counted once in time (referrals, acceptances, closures),
    that table over both years (key ``cases_years``), protected together with both years'
    published tables (see docs/privacy.md). Not with ``pool=`` or ``pool_categories=``.
    """
    check_one_of("audience", audience, AUDIENCES)
    member = checked_member(team or log.team, audience, member)
    pooling = bool(options.get("pool") or options.get("pool_categories"))
    check_field(
        not pool_years or not pooling,
        "{field}: years are pooled in a release whose members and categories are not",
        field="pool_years",
        value=pool_years,
    )
    first, second = (
        annual_report(log, cases, team=team, year=y, audience="internal", **options) for y in years
    )
    whom = {"team": team, "threshold": threshold, **_whom(member), **options}
    published = _releases(log, cases, years, audience, whom)
    compared = _compared_tables(first, second, published, years)
    pooled = YearsPooled((), ())
    if published and not pooling:
        pooled = _years_pooled(log, cases, (first, second), published, (years, pool_years, member))
    return YearComparison(
        team=first.team,
        year=years[1],
        reports=(*(t for _, _, t in compared), *(pooled.tables if pool_years else ())),
        audience=audience,
        member=member,
        threshold=published[1].threshold if published else None,
        years=years,
        locale=first.locale,
        proposals=pooled.proposals,
        loss=_comparison_loss(compared, published, pooled.proposals),
    )


def _whom(member: str | None) -> dict[str, Any]:
    """The keywords of a year's release in a comparison: the member's view, or published."""
    return {} if member is None else {"audience": "member", "member": member}


def _releases(
    log: TimeLog,
    cases: Sequence[Case],
    years: tuple[int, int],
    audience: Audience,
    keywords: Mapping[str, Any],
) -> tuple[AnnualReport, ...]:
    """Each year's release as the comparison hides it (``keywords``: ``annual_report``'s);
    none for an internal comparison."""
    if audience == "internal":
        return ()
    return tuple(annual_report(log, cases, year=y, **keywords) for y in years)


def _comparison_loss(
    compared: Sequence[tuple[Report, Report, Report]],
    published: tuple[AnnualReport, ...],
    proposals: tuple[Proposal, ...],
) -> InformationLoss | None:
    """What the published comparison hides (``compared_loss``); None for an internal one."""
    if not published:
        return None
    return compared_loss(compared, [p.loss for p in published], proposals=proposals)


def _compared_tables(
    first: AnnualReport,
    second: AnnualReport,
    published: tuple[AnnualReport, ...],
    years: tuple[int, int],
) -> list[tuple[Report, Report, Report]]:
    """Each table of both years side by side, hidden as each year's ``published`` hides it
    (none: internal); a table neither year publishes is left out. With each, the first
    year's internal table and the comparison before hiding (for ``compared_loss``)."""
    out = []
    for report in first:
        try:
            other = second[report.key]
        except KeyError:
            continue
        whole = with_history(_compare(report, other, years), years)
        compared = whole
        if published:
            kept = [_find(p, report.key) for p in published]
            if kept[0] is None and kept[1] is None:
                continue  # internal only: not published
            member = published[0].member
            compared = hide_compared(whole, kept[0], kept[1], years, member=member)
        out.append((report, whole, compared))
    return out


def _years_pooled(
    log: TimeLog,
    cases: Sequence[Case],
    internal: tuple[AnnualReport, AnnualReport],
    published: tuple[AnnualReport, ...],
    asked: tuple[tuple[int, int], bool, str | None],
) -> YearsPooled:
    """The tables of both years pooled, protected with both years' ``published`` tables
    against a reader and each member (``_years``), and the proposals they measure; unless
    the tables are asked for, only where a table is mostly hidden. In a member's view
    (``asked``: the member last) its own pooled rows are shown."""
    years, wanted, member = asked
    threshold = published[1].threshold or 1
    tables = (list(internal[0]), list(internal[1])), (list(published[0]), list(published[1]))
    return with_years_pooled(
        *tables,
        years,
        threshold,
        parts=lambda: _parts_of_years(log, cases, internal[1].team, years),
        wanted=wanted,
        member=member,
        log=log_codes(moved_log(log, cases)),  # as each year's release counts the hours
        dominance_p=internal[1].team.dominance_p,
    )


def _parts_of_years(
    log: TimeLog, cases: Sequence[Case], team: Team, years: tuple[int, int]
) -> dict[str, tuple[list[Report], list[Report]]]:
    """Each member's internal tables of its own cases and entries in each of the ``years``
    (its part of every cell, as in a yearly release); none for a year it has nothing in."""
    known = {m.municipality.name for m in log.team.members}
    out = {}
    for name in sorted(m.municipality.name for m in team.members):
        own = log.for_municipality(name) if name in known else log.for_municipality()
        chosen = [c for c in cases if c.municipality.name == name]
        first, second = (_own_year(own, chosen, team, year) for year in years)
        out[name] = (first, second)
    return out


def _own_year(log: TimeLog, cases: Sequence[Case], team: Team, year: int) -> list[Report]:
    """A member's internal tables of ``year``, every table the team's cases give
    (``_Options.part``); none when it has nothing that year."""
    span = _year_period(year)
    options = _Options(HOURS_PER_FTE, "pro_rata", None, (), (), None, part=True)
    release = _Release("internal", None, (), None)
    try:
        frame, summary, read, walk = _read(log, cases, team, span, options=options, release=release)
    except InvalidValueError:  # nothing logged and no case open that year: no part
        return []
    return _annual_tables(frame, summary, cases, team, period=span, options=read, walk=walk)


def _find(annual: AnnualReport, key: str) -> Report | None:
    return next((r for r in annual if r.key == key), None)


def _compare(a: Report, b: Report, years: tuple[int, int]) -> Report:
    """Put two reports of the same kind side by side: each column for each year, and the change."""
    tidy_a = a.data.assign(year=str(years[0]))
    tidy_b = b.data.assign(year=str(years[1]))
    merged = tidy_a.merge(tidy_b, on=["row", "column"], how="outer", suffixes=("_a", "_b"))
    change = merged["value_b"].fillna(0.0) - merged["value_a"].fillna(0.0)
    parts = []
    for suffix, values in (
        (str(years[0]), merged["value_a"]),
        (str(years[1]), merged["value_b"]),
        ("change", change),
    ):
        parts.append(
            pd.DataFrame(
                {
                    "row": merged["row"],
                    "column": merged["column"].astype(str) + "\x1f" + suffix,
                    "value": values,
                }
            )
        )
    tidy = pd.concat(parts).dropna(subset=["value"])
    rows = list(dict.fromkeys([*a.row_order, *b.row_order]))
    if a.rows == "municipality":
        rows = sorted(rows, key=norwegian_sort_key)
    columns = list(dict.fromkeys([*a.column_order, *b.column_order]))
    column_order = [
        f"{c}\x1f{s}" for c in columns for s in (str(years[0]), str(years[1]), "change")
    ]
    return attrs.evolve(
        a,
        key=f"{a.key}_compared",
        data=tidy.reset_index(drop=True),
        columns=f"{a.columns}+year",
        row_order=rows,
        column_order=column_order,
        period=(dt.date(years[0], 1, 1), dt.date(years[1], 12, 31)),
        total_column=False,
        share_columns=[c for c in column_order if c.split("\x1f")[0] in a.share_columns],
        total_values=_compared_totals(a, b, years),
    )


def _compared_totals(a: Report, b: Report, years: tuple[int, int]) -> dict[str, float]:
    """Totals that are not sums (shares, medians) for each year, and their change."""
    totals: dict[str, float] = {}
    for column in set(a.total_values) | set(b.total_values):
        first = a.total_values.get(column, np.nan)
        second = b.total_values.get(column, np.nan)
        totals[f"{column}\x1f{years[0]}"] = first
        totals[f"{column}\x1f{years[1]}"] = second
        totals[f"{column}\x1fchange"] = second - first
    return totals
