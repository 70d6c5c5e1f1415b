"""Staff (ansatte) by pseudonymous id, never by name: FTE, employment periods and the roster.

The Salten team's sheet could not show that four FTE work in the team and that two staff follow
every case (seed ``000_…``). A [`Roster`][ettervern.Roster] lists the staff by an id the team chooses —
initials (``"KB"``) or a pseudonymous number (``"m3"``) — with the periods of their employment
and the FTE of each period; cases record which staff are assigned to them, and the time log may
name the staff on each entry. A name is refused: an id has no spaces.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Iterable, Iterator, Mapping
from typing import Any

import attrs

from ettervern._contract import enum_member
from ettervern._core._structure import structure
from ettervern._core._validators import field_rule
from ettervern._l10n import Message
from ettervern.errors import InvalidValueError
from ettervern.privacy import HIDDEN, looks_like_national_id

__all__ = [
    "PEOPLE_PER_FTE",
    "Employment",
    "Roster",
    "StaffMember",
    "StaffRole",
    "check_staff_id",
    "roster_from_dict",
]

PEOPLE_PER_FTE = 6.0
"""People an ambulant team serves per FTE: Sandnes' yardstick, 10 FTE for about 60 people
(seed ``004_…``, «Med 10 årsverk vil et slikt team kunne yte tjenester til om lag 60
innbyggere»)."""

_STAFF_ID = re.compile(r"^[A-Za-zÆØÅæøå0-9][A-Za-zÆØÅæøå0-9_.\-]{0,15}$")


def check_staff_id(value: object, field: str = "staff") -> str:
    """``value`` as a staff id: 1-16 letters, digits, ``_``, ``.`` or ``-``, no spaces.

    Raises:
        InvalidValueError: not an id; a national identity number is refused without being
            repeated, and so is anything with a space (a name).
    """
    if isinstance(value, str) and looks_like_national_id(value):
        msg = Message(
            "{field} looks like a national identity number; use initials or a pseudonymous id",
            field=field,
        )
        raise InvalidValueError(msg, field=field, value=HIDDEN)
    if not isinstance(value, str) or not _STAFF_ID.match(value):
        shown = HIDDEN if isinstance(value, str) and " " in value.strip() else value
        msg = Message(
            "{field} must be initials or a pseudonymous id such as {example!r} (no names, no "
            "spaces, at most 16 characters), got {value!r}",
            field=field,
            example="KB",
            value=shown,
        )
        raise InvalidValueError(msg, field=field, value=shown)
    return value


def _staff_id(value: object) -> str:
    return check_staff_id(value, "id")


_check_fte = field_rule(
    lambda value: _number(value) and 0 < value <= 1,
    "{field} must be more than 0 and at most 1 (a full-time post), got {value!r}",
)


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _check_until(instance: Employment, _: attrs.Attribute[Any], until: dt.date | None) -> None:
    if until is not None and until < instance.since:
        msg = Message(
            "employment: until {until} is before since {since}", until=until, since=instance.since
        )
        raise InvalidValueError(msg, field="until", value=until)


@attrs.frozen(kw_only=True)
class Employment:
    """A period of employment in the team, both ends included, at an FTE (1.0 = full time)."""

    since: dt.date
    until: dt.date | None = attrs.field(default=None, validator=_check_until)
    fte: float = attrs.field(default=1.0, validator=_check_fte)

    def days_in(self, start: dt.date, end: dt.date) -> int:
        """The days of this period that fall in ``start``-``end``."""
        first, last = max(start, self.since), min(end, self.until or end)
        return max((last - first).days + 1, 0)


class StaffRole(enum.StrEnum):
    """A member's role in the team (rolle), as the teams' reports name them (seeds ``000_…``,
    ``002_…``, ``004_…``)."""

    PEER_WORKER = "peer_worker"
    """A peer worker with lived experience (erfaringskonsulent)."""
    MILIEU_THERAPIST = "milieu_therapist"
    """A milieu therapist (miljøterapeut)."""
    PROJECT_LEADER = "project_leader"
    """The project leader (prosjektleder), who also supervises."""
    NURSE = "nurse"
    """A nurse (sykepleier), psychiatric or otherwise."""
    SOCIAL_WORKER = "social_worker"
    """A social worker or child welfare officer (sosionom, barnevernspedagog)."""
    OTHER = "other"


def _role(value: StaffRole | str | None) -> StaffRole | None:
    return None if value is None else enum_member(StaffRole, "role", value)


def _periods(values: Iterable[Employment]) -> tuple[Employment, ...]:
    return tuple(sorted(values, key=lambda p: p.since))


@attrs.frozen
class StaffMember:
    """One member of staff, by id, with the periods of employment.

    >>> import datetime as dt
    >>> kb = StaffMember("KB", [Employment(since=dt.date(2020, 1, 1), fte=0.5)])
    >>> kb.fte_on(dt.date(2020, 6, 1)), kb.fte_in(dt.date(2019, 1, 1), dt.date(2019, 12, 31))
    (0.5, 0.0)
    """

    id: str = attrs.field(converter=_staff_id)
    periods: tuple[Employment, ...] = attrs.field(converter=_periods)
    role: StaffRole | None = attrs.field(default=None, converter=_role, kw_only=True)
    """The member's role in the team, if recorded."""

    def fte_on(self, on: dt.date) -> float:
        """The FTE on ``on`` (0 when not employed then)."""
        return sum(p.fte for p in self.periods if p.days_in(on, on))

    def fte_in(self, start: dt.date, end: dt.date) -> float:
        """The average FTE over ``start``-``end``, counting the days employed."""
        days = (end - start).days + 1
        return sum(p.fte * p.days_in(start, end) for p in self.periods) / days


def _members(values: Iterable[StaffMember]) -> tuple[StaffMember, ...]:
    members = tuple(values)
    ids = [m.id for m in members]
    twice = sorted({i for i in ids if ids.count(i) > 1})
    if twice:
        msg = Message("the roster lists staff ids {ids!r} more than once", ids=twice)
        raise InvalidValueError(msg, field="staff", value=twice)
    return members


@attrs.frozen
class Roster:
    """The team's staff: who, when and at what FTE (never names)."""

    staff: tuple[StaffMember, ...] = attrs.field(converter=_members)

    def __iter__(self) -> Iterator[StaffMember]:
        return iter(self.staff)

    def __len__(self) -> int:
        return len(self.staff)

    def member(self, staff_id: str) -> StaffMember:
        """The member with ``staff_id``.

        Raises:
            InvalidValueError: no such member.
        """
        for member in self.staff:
            if member.id == staff_id:
                return member
        msg = Message(
            "no staff {id!r} in the roster; it has {ids!r}",
            id=staff_id,
            ids=[m.id for m in self.staff],
        )
        raise InvalidValueError(msg, field="staff", value=staff_id)

    def fte_on(self, on: dt.date) -> float:
        """The team's FTE on ``on``."""
        return sum(m.fte_on(on) for m in self.staff)

    def fte_in(self, start: dt.date, end: dt.date) -> float:
        """The team's average FTE over ``start``-``end``."""
        return sum(m.fte_in(start, end) for m in self.staff)


def roster_from_dict(data: Mapping[str, Any], *, source: str = "roster") -> Roster:
    """A roster from plain data (TOML or JSON): ``{"staff": [{"id": "KB", "periods":
    [{"since": "2020-01-01", "fte": 1.0}]}]}``.

    Raises:
        ConfigError: with one line per bad field, each naming it by path.
    """
    return structure(dict(data), Roster, source)
