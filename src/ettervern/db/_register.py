"""The register: teams, cases and time entries kept in a database, safely shared by many writers.

Everything written is first built as the library's own value (a [`Case`][ettervern.Case] with
its whole history, a validated [`TimeLog`][ettervern.TimeLog]), so the register obeys exactly the
rules of the in-memory objects, and everything read comes back as those values. Reports and the
due list are the library's own functions run on what was read.

This module is the register's front: each method says what it does and hands the work to the
module of its job (``_connection``, ``_teams``, ``_cases``, ``_entries``, ``_reports``,
``_erasure``, ``_audit``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path
from typing import IO, Any

import pandas as pd
import sqlalchemy as sa

from ettervern._contract import warn_renamed
from ettervern._core import CaseCode, Team
from ettervern._io import ImportResult
from ettervern._pathway import Case, Event, GroupLog
from ettervern._reports import AnnualReport
from ettervern._timelog import TimeLog
from ettervern.db._audit import check as check_chain
from ettervern.db._audit import records as audit_records
from ettervern.db._cases import add_cases as store_cases
from ettervern.db._cases import all_cases, get_case, import_cases
from ettervern.db._cases import record as record_event
from ettervern.db._engine import revision
from ettervern.db._entries import add_entries as store_entries
from ettervern.db._entries import import_sheet as import_rows
from ettervern.db._entries import row_keys
from ettervern.db._entries import timelog as stored_timelog
from ettervern.db._erasure import apply_retention as retain
from ettervern.db._erasure import erase_case as erase
from ettervern.db._groups import add_group_sessions as store_groups
from ettervern.db._groups import group_log as stored_groups
from ettervern.db._open import open_store
from ettervern.db._reports import annual_report_of, due_list_of
from ettervern.db._teams import allow_role, team_id_of, team_names
from ettervern.db._values import AuditCheck, AuditRecord, Erasure, ImportSummary, StoredCase

__all__ = [
    "AuditCheck",
    "AuditRecord",
    "Erasure",
    "ImportSummary",
    "Register",
    "StoredCase",
    "row_keys",
]


class Register:
    """A case register on a database: SQLite in a file by default, PostgreSQL by URL.

    >>> import ettervern as e
    >>> from ettervern.db import Register
    >>> example = e.examples.salten_2020()
    >>> with Register(":memory:", user="u-17") as register:
    ...     print(register.add_entries(example.log, source="timer_2020.csv"))
    ...     print(register.add_entries(example.log, source="timer_2020.csv"))
    ...     stored = register.add_case(example.cases[0], team=example.team)
    ...     report = register.annual_report(example.team, year=2020)
    timer_2020.csv: 618 entries added, 0 already in the register, 0 rejected
    timer_2020.csv: 0 entries added, 618 already in the register, 0 rejected
    >>> report["driving"].total
    137.0

    Args:
        target: a file path (SQLite; ``":memory:"`` for a throw-away register) or a SQLAlchemy
            URL such as ``postgresql://user@host/dbname`` (psycopg 3).
        user: the pseudonymous id of whoever writes through this object, recorded with each
            write (letters, digits and ``-_.:``; never a name or an identity number).
        key: the register's secret (at least 16 bytes, from
            [`privacy.make_pseudonym_key()`][ettervern.privacy.make_pseudonym_key]), kept apart
            from the database; by default the environment variable ``ETTERVERN_REGISTER_KEY``.
            It keys the digests that keep erased entries from coming back and the audit
            trail's hash chain. Without one, an erasure keeps no digests (importing the same
            rows again brings them back) and the chain is unkeyed. The first time a register
            is opened with a key, it is keyed; from then on it must always be opened with it.
        upgrade: create the schema, or bring an older one up to date, when opening. With
            ``False`` a register whose schema is not the newest is refused.

    Raises:
        ConfigError: the target is not a usable database, its schema is out of date and
            ``upgrade`` is false, or the register is keyed and the key is missing or wrong.
        InvalidValueError: the user id is not a pseudonymous id, or the key is too short.
    """

    def __init__(
        self,
        target: str | Path,
        *,
        user: str,
        key: bytes | str | None = None,
        upgrade: bool = True,
    ) -> None:
        self._store = open_store(target, user=user, key=key, upgrade_schema=upgrade)

    # -- the connection ----------------------------------------------------------------------

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine (for backups, monitoring and tests)."""
        return self._store.engine

    @property
    def url(self) -> str:
        """The database URL, without its password."""
        return self._store.url

    @property
    def user(self) -> str:
        """The pseudonymous id recorded with each write."""
        return self._store.user

    @property
    def schema_revision(self) -> str | None:
        """The schema revision of the database."""
        return revision(self._store.engine)

    def close(self) -> None:
        """Close every connection to the database."""
        self._store.engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Register {self.url} as {self.user!r}>"

    # -- teams -------------------------------------------------------------------------------

    def add_team(self, team: Team) -> None:
        """Store ``team`` (or its new definition); writing for a team does it too."""
        with self._store.write() as connection:
            team_id_of(self._store, connection, team, write=True)

    def team(self, name: str) -> Team:
        """The team stored under ``name``.

        Raises:
            UnknownTeamError: the register holds no such team.
        """
        with self._store.read() as connection:
            return team_id_of(self._store, connection, name)[1]

    def teams(self) -> list[str]:
        """The names of the teams in the register."""
        return team_names(self._store)

    def allow_role(self, team: Team | str, role: str) -> None:
        """Let the PostgreSQL ``role`` (and the login roles that are members of it) read and
        write the team's cases, events and entries, under row-level security.

        Run it as the owner of the register's tables; see docs/register.md, Roles.

        Raises:
            ConfigError: the register is on SQLite, where the file is the unit of access.
            InvalidValueError: ``role`` is not a role name.
            UnknownTeamError: the register holds no such team.
        """
        allow_role(self._store, team, role)

    # -- cases -------------------------------------------------------------------------------

    def add_case(self, case: Case, *, team: Team | str) -> StoredCase:
        """Store a new case with its events so far.

        Raises:
            InvalidValueError: the register already holds a case with that code.
            CaseCodeError: the code is not in the team's code scheme.
            NationalIdError: some text of the case looks like a national identity number.
        """
        store_cases(self._store, [case], team=team, refuse_existing=True)
        return StoredCase(case, len(case.events))

    def add_cases(
        self, cases: Iterable[Case], *, team: Team | str, refuse_existing: bool = False
    ) -> tuple[int, int]:
        """Store the cases the register does not hold yet, in one transaction.

        Returns (added, already there). A case whose code is in the register is left as it is
        (record its new events with [`record`][ettervern.db.Register.record]); with ``refuse_existing`` it is an error
        instead, and nothing is stored.

        Raises:
            InvalidValueError: ``refuse_existing`` and a case is already in the register, or
                two of the cases have the same code (nothing is stored).
        """
        return store_cases(self._store, cases, team=team, refuse_existing=refuse_existing)

    def import_cases(
        self, cases: Iterable[Case], *, team: Team | str, strict: bool = False
    ) -> ImportResult[tuple[Case, ...]]:
        """Store each case the register can take, in one transaction, and say why each other
        one was not: as [`read_cases()`][ettervern.read_cases] says it, an
        [`ImportResult`][ettervern.ImportResult] with the cases stored and, for each case
        rejected, its ``position`` among ``cases``, ``code``, ``path`` and ``reason``.

        A case is rejected when its code is given twice (the second), when the register already
        holds it (record its new events with [`record`][ettervern.db.Register.record]: a case
        is never stored twice nor overwritten), when the code is not in the team's scheme, or
        when its text looks like a national identity number. With ``strict`` the first of these
        raises and nothing is stored.

        >>> import ettervern as e
        >>> example = e.examples.salten_2020()
        >>> with Register(":memory:", user="u-17") as register:
        ...     print(register.import_cases(example.cases, team=example.team).summary("en"))
        ...     again = register.import_cases(example.cases[:2], team=example.team)
        cases: read 16 cases, accepted 16, rejected 0
        >>> list(again.rejected["code"]), again.rejected["reason"][0]
        (['01/20-FA', '07/20-FA'], 'case 01/20-FA is already in the register; record its new events instead')
        """
        return import_cases(self._store, cases, team=team, strict=strict)

    def get_case(self, code: CaseCode | str, *, team: Team | str) -> StoredCase:
        """The case with ``code`` and its version.

        Raises:
            UnknownCaseError: the register holds no such case for the team.
        """
        return get_case(self._store, code, team=team)

    def record(
        self, code: CaseCode | str, event: Event, *, team: Team | str, version: int
    ) -> StoredCase:
        """Append ``event`` to the case, if nobody changed it since ``version`` was read.

        The event is checked against the whole history, as [`Case.record`][ettervern.Case.record] does.

        Raises:
            StaleVersionError: the case has another version now; nothing was written.
            PathwayError: the event is impossible after the history.
            UnknownCaseError: the register holds no such case for the team.
        """
        return record_event(self._store, code, event, team=team, version=version)

    def cases(self, team: Team | str) -> list[Case]:
        """Every case of the team, in the order they were added."""
        return all_cases(self._store, team)

    # -- time entries ------------------------------------------------------------------------

    def import_sheet(
        self,
        sheet: str | Path | IO[bytes],
        *,
        team: Team | str,
        source: str | None = None,
        strict: bool = False,
    ) -> ImportSummary:
        """Read a time sheet with [`read_timelog()`][ettervern.read_timelog] and add its accepted rows.

        The import is one transaction. Rows already imported from the same ``source`` (by
        default the file's name) are not added again; the summary counts them.
        """
        team_value = self.team(team) if isinstance(team, str) else team
        return import_rows(self._store, sheet, team=team_value, source=source, strict=strict)

    def add_entries(
        self, log: TimeLog, *, source: str, read: int | None = None, rejected: int = 0
    ) -> ImportSummary:
        """Add a validated log's entries, in one transaction, keyed by content and ``source``.

        Entries this source brought before (same content, same occurrence) are left as they
        are and counted as ``already``; those of an erased case are not brought back.
        """
        return store_entries(self._store, log, source=source, read=read, rejected=rejected)

    def timelog(
        self, team: Team | str, *, start: dt.date | None = None, end: dt.date | None = None
    ) -> TimeLog:
        """The team's time log (entries dated ``start`` to ``end``, when given), validated
        again as a [`TimeLog`][ettervern.TimeLog], in the order the entries were added."""
        return stored_timelog(self._store, team, start=start, end=end)

    def add_group_sessions(self, log: GroupLog, *, team: Team | str) -> int:
        """Store the group sessions of ``log`` (who came, by case code), checked against the
        team's cases in the register; return how many attendances were new (a session added
        again adds only those not yet recorded at it).

        Raises:
            PathwayError: a person's case is unknown or not open that day (rule named).
        """
        return store_groups(self._store, log, team=team)

    def group_log(self, team: Team | str) -> GroupLog:
        """The team's group sessions as stored, by day and offer, as a
        [`GroupLog`][ettervern.events.GroupLog]."""
        return stored_groups(self._store, team)

    # -- reports -----------------------------------------------------------------------------

    def annual_report(self, team: Team | str, *, year: int, **options: Any) -> AnnualReport:
        """[`annual_report()`][ettervern.annual_report] for ``year`` on the register's entries and cases
        (``options``: ``hours_per_fte``, ``cost_spread``, ``budget``)."""
        return annual_report_of(self._store, team, year=year, **options)

    def due_list(self, team: Team | str, *, on: dt.date, **options: Any) -> pd.DataFrame:
        """[`due_list()`][ettervern.due_list] on the register's cases (``options``: ``template``,
        ``within``, ``staff``, ``contacts``, ``locale``)."""
        return due_list_of(self._store, team, on=on, **options)

    # -- erasure and retention ---------------------------------------------------------------

    def erase_case(self, code: CaseCode | str, *, team: Team | str) -> Erasure:
        """Remove a case, its events and its time entries, in one transaction.

        The audit trail keeps that an erasure happened (who, when, how many events and
        entries), never what was erased. Reports made afterwards leave the case and its hours
        out, consistently. Importing the same sheet again does not bring the entries back.

        Raises:
            UnknownCaseError: the register holds neither a case nor entries with that code.
        """
        return erase(self._store, code, team=team)

    def apply_retention(self, team: Team | str, *, years: int, today: dt.date) -> Erasure:
        """Erase every case that ended (closed, or declined) more than ``years`` years before
        ``today``, with its events and entries; returns what was removed in all.

        Raises:
            InvalidValueError: ``years`` is not between 0 and 200 (a negative number would
                erase every case that has ended).
        """
        return retain(self._store, team, years=years, today=today)

    # -- the audit trail ---------------------------------------------------------------------

    def audit(self) -> list[AuditRecord]:
        """Deprecated since 0.2 (the name clashed with the disclosure audit of a release):
        [`access_log()`][ettervern.db.Register.access_log]."""
        warn_renamed("ettervern.db.Register.audit()", "ettervern.db.Register.access_log()")
        return self.access_log()

    def access_log(self) -> list[AuditRecord]:
        """The access log (audit trail): who wrote what and when, oldest first, each record
        marked ``intact`` while the hash chain holds up to it."""
        return audit_records(self._store)

    def verify(self) -> AuditCheck:
        """Check the audit trail's hash chain: the number of the first record whose link does
        not hold (altered, or a record before it altered or deleted), or ``None``.

        >>> import ettervern as e
        >>> with Register(":memory:", user="u-17") as register:
        ...     register.add_team(e.examples.salten_2020().team)
        ...     register.verify().ok
        True
        """
        return check_chain(self._store)
