"""What the register gives back: a stored case with its version, an import's summary, an
erasure's counts and the audit trail's records (values only, no database in them)."""

from __future__ import annotations

import datetime as dt

import attrs

from ettervern._l10n import Message
from ettervern._pathway import Case

__all__ = ["AuditCheck", "AuditRecord", "Erasure", "ImportSummary", "StoredCase", "now", "utc"]


@attrs.frozen
class StoredCase:
    """A case as the register holds it, with its version: the number of events recorded.

    Pass ``version`` back to [`Register.record`][ettervern.db.Register.record]: if someone recorded an event in between,
    the write is refused ([`StaleVersionError`][ettervern.errors.StaleVersionError]) instead of lost.
    """

    case: Case
    version: int


@attrs.frozen
class ImportSummary:
    """What one import did: ``added + already + erased == accepted``.

    ``already`` counts accepted rows the register held from an earlier import of the same
    source; ``erased`` those of cases erased since, which are not brought back.
    """

    source: str
    read: int
    accepted: int
    added: int
    already: int
    rejected: int
    erased: int = 0

    def summary(self, locale: str | None = None) -> str:
        """One line in ``locale`` (Bokmål by default; ``str(summary)`` is the English line)."""
        return Message.plural_of(
            "{source}: {added} entry added, {already} already in the register, {rejected} rejected",
            "{source}: {added} entries added, {already} already in the register, "
            "{rejected} rejected",
            by="added",
            source=self.source,
            added=self.added,
            already=self.already + self.erased,
            rejected=self.rejected,
        ).render(locale)

    def __str__(self) -> str:
        return self.summary("en")


@attrs.frozen
class Erasure:
    """What an erasure removed: cases, their events and their time entries (counts only)."""

    cases: int
    events: int
    entries: int

    def __add__(self, other: Erasure) -> Erasure:
        return Erasure(
            cases=self.cases + other.cases,
            events=self.events + other.events,
            entries=self.entries + other.entries,
        )


@attrs.frozen
class AuditRecord:
    """One write, as the audit trail keeps it: when, who (a pseudonymous id), what kind of
    write, for which team, and how many events and entries. Never a code or a value.

    ``case_id`` is the register's internal number of the case, meaningless once it is erased.
    ``number`` is the record's place in the trail; ``role`` the database's login role that
    wrote it (PostgreSQL only: the server sets it, the application cannot choose it); and
    ``intact`` whether the hash chain holds up to and including this record — false from the
    first altered or deleted record on ([`Register.verify`][ettervern.db.Register.verify]).
    """

    at: dt.datetime
    user: str
    action: str
    team: str | None
    case_id: int | None
    events: int | None
    entries: int | None
    number: int = 0
    role: str | None = None
    intact: bool = True


@attrs.frozen
class AuditCheck:
    """What [`Register.verify`][ettervern.db.Register.verify] found in the audit trail's hash chain.

    ``first_broken`` is the number of the first record whose link does not hold (it was
    altered, or a record before it was deleted or altered), or ``None`` when the chain holds.
    ``head`` is the newest record's link: kept somewhere else (a ticket, a log server, a
    signed e-mail), it shows later whether records were cut off the end.
    """

    records: int
    first_broken: int | None
    head: str

    @property
    def ok(self) -> bool:
        """Whether every link holds."""
        return self.first_broken is None


def now() -> dt.datetime:
    """The time of a write: now, in UTC."""
    return dt.datetime.now(dt.UTC)


def utc(value: dt.datetime) -> dt.datetime:
    """A stored time in UTC (SQLite gives it back without its zone)."""
    return value.astimezone(dt.UTC) if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)
