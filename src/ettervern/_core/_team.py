"""Aftercare teams (ettervernsteam): who they serve, when, and how they log their work."""

from __future__ import annotations

import datetime as dt
import functools
import time
from collections.abc import Iterable

import attrs
from dateutil.relativedelta import relativedelta

from ettervern._core._categories import Category, CategoryCatalog
from ettervern._core._codes import DEFAULT_SCHEME, CaseCode, CodeScheme, next_case_code
from ettervern._core._html import facts_html
from ettervern._core._layout import ReportLayout, default_layout
from ettervern._core._municipalities import Municipality, bare_name
from ettervern._core._validators import ONE_OF, at_least, between, field_rule, no_identity
from ettervern._l10n import (
    Message,
    closest,
    format_number,
    loose_name,
    normalise_name,
    translate,
)
from ettervern.errors import InvalidValueError, UnknownMunicipalityError

__all__ = [
    "FollowUpTarget",
    "Membership",
    "Team",
    "memberships_by_municipality",
    "ten_years_ahead",
]


def _check_span(instance: Membership, _: attrs.Attribute[dt.date | None], until: object) -> None:
    if instance.since is not None and isinstance(until, dt.date) and until < instance.since:
        msg = Message(
            "membership of {name}: until {until} is before since {since}",
            name=instance.municipality.name,
            until=until,
            since=instance.since,
        )
        raise InvalidValueError(msg, field="until", value=until)


@attrs.frozen
class Membership:
    """A municipality's membership of a team, with the team's code letters for it.

    ``since`` and ``until`` are inclusive; ``None`` means from the start or with no end. Rødøy
    joined the Salten team on 1 September 2020, so its membership has ``since=2020-09-01``.
    """

    municipality: Municipality
    letters: str = attrs.field()
    since: dt.date | None = None
    until: dt.date | None = attrs.field(default=None, validator=_check_span)

    @letters.validator
    def _check_letters(self, _: attrs.Attribute[str], letters: str) -> None:
        # Municipality validates letters; building one with them checks the same rule.
        self.municipality.with_letters(letters)

    def active_on(self, on: dt.date) -> bool:
        """Whether the municipality is a member on ``on``."""
        return (self.since is None or on >= self.since) and (self.until is None or on <= self.until)

    @property
    def member(self) -> Municipality:
        """The municipality carrying this team's code letters."""
        return self.municipality.with_letters(self.letters)


@attrs.frozen
class FollowUpTarget:
    """The planned length of follow-up after discharge, in weeks (Salten: 6-8 weeks)."""

    min_weeks: int = attrs.field(validator=at_least(0))
    max_weeks: int = attrs.field()

    @max_weeks.validator
    def _check_max(self, _: attrs.Attribute[int], value: int) -> None:
        if value < self.min_weeks:
            msg = Message(
                "max_weeks ({max}) must not be less than min_weeks ({min})",
                max=value,
                min=self.min_weeks,
            )
            raise InvalidValueError(msg, field="max_weeks", value=value)

    @property
    def shortest(self) -> dt.timedelta:
        """The lower end of the target as a duration."""
        return dt.timedelta(weeks=self.min_weeks)

    @property
    def longest(self) -> dt.timedelta:
        """The upper end of the target as a duration; follow-up beyond it is flagged."""
        return dt.timedelta(weeks=self.max_weeks)


def _check_members(instance: Team, _: attrs.Attribute[object], members: object) -> None:
    numbers: set[str] = set()
    letters: set[str] = set()
    for membership in instance.members:
        if membership.municipality.number in numbers:
            msg = Message(
                "team {team!r}: {name} is listed twice",
                team=instance.name,
                name=membership.municipality.name,
            )
            raise InvalidValueError(msg, field="members", value=membership.municipality.name)
        if membership.letters in letters:
            msg = Message(
                "team {team!r}: code letters {letters!r} are used twice",
                team=instance.name,
                letters=membership.letters,
            )
            raise InvalidValueError(msg, field="members", value=membership.letters)
        numbers.add(membership.municipality.number)
        letters.add(membership.letters)


_check_resolution = field_rule(
    lambda value: 0 < value <= 24 and not (60 * value) % 1,
    "{field} must be a positive number of whole minutes in hours (0.5), got {value!r}",
)


def _check_layout(
    instance: Team, _: attrs.Attribute[ReportLayout | None], layout: ReportLayout | None
) -> None:
    if isinstance(layout, ReportLayout):
        layout.check(instance.categories)


@functools.lru_cache(maxsize=4)
def _ten_years_after(day_number: int) -> dt.date:
    return _EPOCH + dt.timedelta(days=day_number) + relativedelta(years=YEARS_AHEAD)


_EPOCH = dt.date(1970, 1, 1)
YEARS_AHEAD = 10
"""How many years after today a record may be dated, unless a team sets ``latest_date``."""


def today_utc() -> dt.date:
    """Today in UTC, read from ``time.time()`` as ``ten_years_ahead`` reads it."""
    return _EPOCH + dt.timedelta(days=int(time.time() // 86400))


def ten_years_ahead() -> dt.date:
    """Ten years after today (UTC): the default latest plausible date of a team and a case.

    Asked for every case a report or due list checks, so the date is worked out once a day:
    the day is read from ``time.time()``, days since 1970 in UTC.
    """
    return _ten_years_after(int(time.time() // 86400))


@functools.lru_cache(maxsize=64)
def memberships_by_municipality(team: Team) -> dict[Municipality, Membership]:
    """The team's memberships by municipality (the first, if one is listed twice)."""
    found: dict[Municipality, Membership] = {}
    for membership in team.members:
        found.setdefault(membership.municipality, membership)
    return found


@attrs.frozen(cache_hash=True)
class Team:
    """An aftercare team: its member municipalities and how it works and logs time.

    Get the Salten team with [`teams.salten()`][ettervern.teams.salten], or build your own and save
    it with [`write_team()`][ettervern.write_team].
    """

    name: str = attrs.field(validator=no_identity)
    host: Municipality
    """The host municipality (vertskommune) that employs the team."""
    members: tuple[Membership, ...] = attrs.field(converter=tuple, validator=_check_members)
    categories: CategoryCatalog
    """The resource categories the team logs time under."""
    staff_fte: float = attrs.field(default=4.0, validator=at_least(0, strictly=True))
    """Staff in full-time equivalents (årsverk)."""
    staff_per_case: int = attrs.field(default=2, validator=at_least(1))
    """How many staff take part in each case's work (Salten: always two)."""
    follow_up_target: FollowUpTarget = FollowUpTarget(6, 8)
    time_resolution: float = attrs.field(default=0.5, validator=_check_resolution)
    """The step hours are logged in, in hours (0.5 = whole and half hours)."""
    code_scheme: CodeScheme = DEFAULT_SCHEME
    pathway: str | None = None
    """The key of the team's pathway template (``"jaeren"``): its steps join the due list."""
    report: ReportLayout | None = attrs.field(default=None, validator=_check_layout)
    """The hours tables the annual report opens with; by default one per report group the
    catalog uses, titled from the catalog ([`default_layout()`][ettervern.tables.default_layout])."""
    disclosure_threshold: int = attrs.field(default=3, validator=at_least(1))
    """The smallest count of cases or people published; smaller ones are hidden (``:``).
    Statistics Norway and most health registers use 3 for tables of a few hundred people."""
    dominance_p: float = attrs.field(default=10.0, validator=at_least(0))
    """The p of the p% rule for published hours and log entries: a cell is hidden when, less
    its two largest cases, it is below p % of the largest (τ-ARGUS; 0 turns the rule off)."""
    member_hours: str = attrs.field(
        default="pooled",
        validator=field_rule(
            lambda v: v in ("pooled", "total"), ONE_OF, choices=["pooled", "total"]
        ),
    )
    """How the published tables that print each member's hours (cost sharing, FTE, no-shows)
    show a member whose hours are protected: ``"pooled"`` with the other such members in one
    row, *Other members*; ``"total"``: only the team's total. The member and internal views
    show every member exactly (docs/privacy.md, «Audiences»)."""

    @property
    def layout(self) -> ReportLayout:
        """The team's report layout: its own, or the one derived from its catalog."""
        return self.report if self.report is not None else default_layout(self.categories)

    max_hours_per_entry: float = attrs.field(default=24.0, validator=at_least(0, strictly=True))
    """The most hours one time-log entry may hold; more is refused as a typing error."""
    earliest_date: dt.date = dt.date(1990, 1, 1)
    """The earliest plausible date of a referral, an event or a time-log entry."""
    latest_date: dt.date | None = attrs.field(default=None)
    """The latest plausible date; ``None`` means ten years after today."""
    future_days: int | None = attrs.field(
        default=None,
        validator=attrs.validators.optional([attrs.validators.instance_of(int), between(0, 366)]),
    )
    """How many days after today (UTC) a record may be dated: a small tolerance for a visit
    booked ahead, say 7. ``None``: only ``latest_date`` limits the dates (issue 32)."""
    risk_assessment_before: str | None = attrs.field(
        default=None,
        validator=attrs.validators.optional(attrs.validators.matches_re(r"[a-z][a-z0-9_]{0,47}")),
    )
    """The step that waits for the risk assessment before start (``"risk_assessment"``, done or
    waived): the first home visit, Salten's ``"start_conversation"``. ``None``: no such rule. A
    case whose step comes first is refused by [`check_case()`][ettervern.check_case] (rule
    ``"visit_before_risk_assessment"``)."""

    contact_gap_days: int = attrs.field(
        default=14, validator=[attrs.validators.instance_of(int), between(1, 366)]
    )
    """How many days a case in close follow-up (after discharge, before closure) may go without
    a logged contact before the due list warns (``contact_gap``): two weeks by default, as the
    Jæren plan has a contact every week (seed ``002_…``) and a week may be missed."""
    decision_days: int = attrs.field(
        default=14, validator=[attrs.validators.instance_of(int), between(0, 366)]
    )
    """How many days after the referral the team's decision is due; a referral still without
    one shows on the due list as ``decision`` (overdue after these days). Two weeks by default:
    "raskt på plass" (seed ``000_…``)."""

    @latest_date.validator
    def _check_window(self, _: attrs.Attribute[dt.date | None], latest: dt.date | None) -> None:
        if latest is not None and latest < self.earliest_date:
            msg = Message(
                "latest_date {latest} is before earliest_date {earliest}",
                latest=latest,
                earliest=self.earliest_date,
            )
            raise InvalidValueError(msg, field="latest_date", value=latest)

    @property
    def plausible_dates(self) -> tuple[dt.date, dt.date]:
        """The first and last date the team's records may hold (both included): to
        ``latest_date`` (ten years after today by default), and with ``future_days`` no later
        than that many days after today."""
        latest = self.latest_date
        if latest is None:
            latest = ten_years_ahead()
        if self.future_days is not None:
            latest = min(latest, today_utc() + dt.timedelta(days=self.future_days))
        return self.earliest_date, max(latest, self.earliest_date)

    def members_on(self, on: dt.date) -> tuple[Municipality, ...]:
        """The member municipalities on ``on`` in Norwegian order, carrying their code letters."""
        active = (m.member for m in self.members if m.active_on(on))
        return tuple(sorted(active, key=Municipality.sort_key))

    def membership(self, query: str | Municipality) -> Membership:
        """The membership of the municipality ``query`` names: number, name or code letters.

        Raises:
            UnknownMunicipalityError: no member matches.
        """
        if isinstance(query, Municipality):
            found = memberships_by_municipality(self).get(query)
            if found is not None:
                return found
        else:
            text = query.strip()
            folded = {normalise_name(text), bare_name(text)}
            for membership in self.members:
                m = membership.municipality
                if text.upper() == membership.letters or text == m.number:
                    return membership
                names = {m.name, m.official_name, *m.official_name.split(" - ")}
                if folded & {f(n) for n in names for f in (normalise_name, loose_name)}:
                    return membership
        known = [f"{m.letters} {m.municipality.name}" for m in self.members]
        where = Message("team {name!r}", name=self.name)
        text = query.name if isinstance(query, Municipality) else query
        member_names = [m.municipality.name for m in self.members]
        raise UnknownMunicipalityError(
            query, known=known, where=where, suggestions=closest(text, member_names)
        )

    @property
    def example_code(self) -> str:
        """An example case code in the team's own scheme and letters, for messages: ``02/20-FA``
        for Salten, ``HÅ-2019-002`` for Jæren (its first member, the year it joined or 2020)."""
        first = self.members[0]
        year = first.since.year if first.since is not None else 2020
        return self.code_scheme.format_parts(number=2, year=year, letters=first.letters)

    def municipality(self, query: str | Municipality) -> Municipality:
        """The member municipality ``query`` names (number, name or code letters).

        >>> from ettervern import teams
        >>> teams.salten().municipality("ST").name
        'Steigen'
        """
        return self.membership(query).member

    def is_member(self, query: str | Municipality, on: dt.date) -> bool:
        """Whether ``query`` names a municipality that is a member on ``on``."""
        try:
            return self.membership(query).active_on(on)
        except UnknownMunicipalityError:
            return False

    def categories_on(self, on: dt.date) -> tuple[Category, ...]:
        """The categories the team logs under on ``on``."""
        return self.categories.valid_on(on)

    def parse_code(self, text: str) -> CaseCode:
        """Read a case code in the team's scheme."""
        return self.code_scheme.parse(text)

    def next_case_code(
        self, existing: Iterable[CaseCode | str], *, municipality: str | Municipality, year: int
    ) -> CaseCode:
        """The next free case code for a member municipality in ``year``."""
        letters = self.membership(municipality).letters
        return next_case_code(existing, municipality=letters, year=year, scheme=self.code_scheme)

    def to_html(self, locale: str | None = None) -> str:
        """A notebook's view of the team in ``locale``: its host, members, categories and
        staff, labelled in the reader's language."""
        members = ", ".join(m.municipality.name for m in self.members)
        facts = [
            (translate("Host municipality", locale), self.host.name),
            (translate("Member municipalities", locale), members),
            (translate("Categories", locale), format_number(len(self.categories), locale)),
            (translate("Staff (FTE)", locale), format_number(self.staff_fte, locale)),
        ]
        return facts_html(self.name, facts)

    def _repr_html_(self) -> str:
        return self.to_html()
