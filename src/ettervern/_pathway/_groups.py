"""Group sessions and who attended them: the team's group offer (Jæren's group every weekday,
«Kartlegging/arbeidsforberedende gruppetilbud», seed ``002_…``), kept apart from the cases.

A session is a day, the key of the group offer and the case codes of those who came: no names,
no free text. The record set is its own (`GroupLog`), not a fact stored on a case, so the case
format does not change with it. Its rules, with a stable key each: an attendee is a case open
that day (accepted, not closed: ``attendee_not_open``; a code the team has no case for:
``unknown_case``), and a session is dated within the team's plausible dates, so no further
ahead than the team's tolerance (``future_days``: ``group_date``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Iterator, Mapping

import attrs
import pandas as pd

from ettervern._core import Team, check_field, no_identity
from ettervern._l10n import N_, Message
from ettervern._pathway._case import Case, Phase
from ettervern.errors import PathwayError

__all__ = [
    "GROUP_COLUMNS",
    "GROUP_RULES",
    "GroupLog",
    "GroupSession",
    "check_group_session",
    "open_on",
]

GROUP_COLUMNS = ("date", "offer", "case")
"""The columns of a group log as a table (one row per person at a session), in order."""

GROUP_RULES = {
    "unknown_case": N_("{case} came to the group on {date}, but the team has no case {case}"),
    "attendee_not_open": N_(
        "{case} came to the group on {date}, but the case was not open that day (accepted "
        "and not closed)"
    ),
    "group_date": N_("a group session on {date} lies outside the team's dates, {first} to {last}"),
}
"""The rules of a group session, by their stable key ([`PathwayError.rule`][ettervern.errors.PathwayError])."""


def _codes(codes: Iterable[object]) -> tuple[str, ...]:
    return tuple(str(code) for code in codes)


def _sessions(sessions: Iterable[GroupSession]) -> tuple[GroupSession, ...]:
    return tuple(sessions)


def _unique(instance: GroupSession, _: attrs.Attribute[tuple[str, ...]], value: object) -> None:
    codes = list(instance.attendees)
    twice = sorted({code for code in codes if codes.count(code) > 1})
    check_field(
        not twice,
        "{field} lists {value!r} twice: one line per person at a session",
        field="attendees",
        value=", ".join(twice),
    )


@attrs.frozen
class GroupSession:
    """One session of a group offer: the day, the offer's key and the case codes of those who
    came (each once)."""

    on: dt.date
    offer: str = attrs.field(validator=no_identity)
    """The group offer's key, the team's own (``"group_offer"``)."""
    attendees: tuple[str, ...] = attrs.field(
        converter=_codes,
        validator=[no_identity, _unique],
    )


def open_on(case: Case, on: dt.date) -> bool:
    """Whether ``case`` was open on ``on``: accepted by then and not closed (inside an
    institution or out of it)."""
    accepted = case.accepted_on
    if accepted is None or accepted > on:
        return False
    return case.phase_on(on) in (Phase.FOLLOW_UP, Phase.IN_INSTITUTION)


def check_group_session(
    session: GroupSession, cases: Mapping[str, Case], *, team: Team | None = None
) -> None:
    """Raise unless ``session`` keeps the rules (``GROUP_RULES``) against ``cases`` (case code
    → case) and, with a team, its plausible dates.

    Raises:
        PathwayError: the first rule broken, with its key as ``rule``.
    """
    if team is not None:
        first, last = team.plausible_dates
        if not first <= session.on <= last:
            msg = Message(GROUP_RULES["group_date"], date=session.on, first=first, last=last)
            raise PathwayError(msg, case=None, event=session, rule="group_date")
    for code in session.attendees:
        case = cases.get(code)
        rule = "unknown_case" if case is None else "attendee_not_open"
        if case is None or not open_on(case, session.on):
            msg = Message(GROUP_RULES[rule], case=code, date=session.on)
            raise PathwayError(msg, case=code, event=session, rule=rule)


@attrs.frozen
class GroupLog:
    """The sessions of a team's group offers, in the order given: who came, when.

    >>> log = GroupLog([GroupSession(dt.date(2019, 3, 4), "group_offer", ["KL-2019-001"])])
    >>> log.attended_days()
    {'KL-2019-001': [datetime.date(2019, 3, 4)]}
    """

    sessions: tuple[GroupSession, ...] = attrs.field(converter=_sessions)

    def __iter__(self) -> Iterator[GroupSession]:
        return iter(self.sessions)

    def __len__(self) -> int:
        return len(self.sessions)

    def add(self, session: GroupSession) -> GroupLog:
        """This log with ``session`` added at the end."""
        return GroupLog((*self.sessions, session))

    def between(self, start: dt.date, end: dt.date) -> GroupLog:
        """The sessions dated from ``start`` to ``end``, both included."""
        return GroupLog(s for s in self.sessions if start <= s.on <= end)

    def to_frame(self) -> pd.DataFrame:
        """One row per person at a session: ``date`` (``datetime64``), ``offer``, ``case``.
        A session nobody came to has no row."""
        rows = [(s.on, s.offer, code) for s in self.sessions for code in s.attendees]
        frame = pd.DataFrame(rows, columns=list(GROUP_COLUMNS))
        return frame.astype({"date": "datetime64[s]", "offer": "string", "case": "string"})

    def attended_days(self) -> dict[str, list[dt.date]]:
        """Case code → the sorted days the person came to a group: contact with the person,
        for the gap-in-contact warning of [`due_list()`][ettervern.due_list] (join it to
        [`TimeLog.contact_days()`][ettervern.TimeLog.contact_days])."""
        found: dict[str, set[dt.date]] = {}
        for session in self.sessions:
            for code in session.attendees:
                found.setdefault(code, set()).add(session.on)
        return {code: sorted(days) for code, days in sorted(found.items())}

    def check(self, cases: Iterable[Case], *, team: Team | None = None) -> None:
        """Raise unless every session keeps the rules (see ``check_group_session``)."""
        known = {str(case.code): case for case in cases}
        for session in self.sessions:
            check_group_session(session, known, team=team)
