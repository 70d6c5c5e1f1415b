"""The register: teams, cases and time entries kept in a database, safely shared by many writers.

Everything written is first built as the library's own value (a [`Case`][ettervern.Case] with
its whole history, a validated [`TimeLog`][ettervern.TimeLog]), so the register obeys exactly the
rules of the in-memory objects, and everything read comes back as those values. Reports and the
due list are the library's own functions run on what was read.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import IO, Any

import alembic.util
import attrs
import pandas as pd
import sqlalchemy as sa
from dateutil.relativedelta import relativedelta
from sqlalchemy.dialects import postgresql, sqlite

from ettervern._core import BETWEEN, CaseCode, Team, check_field
from ettervern._io import (
    CASE_SCHEMA_VERSION,
    case_from_dict,
    case_to_dict,
    cases_from_dicts,
    read_timelog,
    team_from_dict,
    team_to_dict,
)
from ettervern._l10n import HIDDEN, Message
from ettervern._pathway import Case, Event, due_list, plausible_dates_of
from ettervern._reports import AnnualReport, annual_report
from ettervern._timelog import COLUMNS, TimeLog
from ettervern.db._engine import connect, head_revision, revision, shown_url
from ettervern.db._engine import upgrade as upgrade_schema
from ettervern.db._schema import AUDIT, CASES, ENTRIES, ERASED, EVENTS, IMPORTS, TEAMS
from ettervern.errors import (
    ConfigError,
    InvalidValueError,
    NationalIdError,
    StaleVersionError,
    UnknownCaseError,
    UnknownTeamError,
)
from ettervern.privacy import looks_like_national_id

__all__ = ["AuditRecord", "Erasure", "ImportSummary", "Register", "StoredCase", "row_keys"]

_CHUNK = 20_000
"""Entries sent to the database per statement batch (memory stays flat for large sheets)."""
_ENTRY_COLUMNS = (
    "team_id",
    "import_id",
    "source",
    "row_key",
    "case_code",
    "date",
    "municipality",
    "category",
    "hours",
    "staff",
)
_ENTRY_KEY = "team_id, row_key"
_INCOMING = """
CREATE TEMPORARY TABLE ettervern_incoming (
    position bigint, team_id integer, import_id bigint, source varchar(300), row_key varchar(32),
    case_code varchar(40), date date, municipality varchar(100), category varchar(60),
    hours double precision, staff integer
) ON COMMIT DROP
"""
"""Where PostgreSQL imports are copied first, in the importing transaction only."""
_COLUMNS_OF_CASE = frozenset(
    {"schema_version", "code", "municipality", "birth_year", "gender", "events"}
)
"""The case format's fields kept in columns of ``cases``; the others (the person's pseudonym,
say) are kept in its ``details``."""
_CASE_CHUNK = 2_000
"""Cases inserted per batch of statements."""
_USER = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.:-]{0,127}")

MOST_ROWS = 2**53
"""The most rows an import may count as read or rejected (a count the database and a float
both hold exactly)."""


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


@attrs.frozen
class AuditRecord:
    """One write, as the audit trail keeps it: when, who (a pseudonymous id), what kind of
    write, for which team, and how many events and entries. Never a code or a value.

    ``case_id`` is the register's internal number of the case, meaningless once it is erased.
    """

    at: dt.datetime
    user: str
    action: str
    team: str | None
    case_id: int | None
    events: int | None
    entries: int | None


def _exists(code: str) -> InvalidValueError:
    msg = Message(
        "case {case} is already in the register; record its new events instead", case=code
    )
    return InvalidValueError(msg, field="code", value=code)


def _check_user(user: object) -> str:
    if not isinstance(user, str) or not _USER.fullmatch(user) or looks_like_national_id(user):
        shown = HIDDEN if isinstance(user, str) and looks_like_national_id(user) else user
        msg = Message(
            "{field} must be a pseudonymous id of letters, digits and '-_.:' (at most 128), "
            "never a name or an identity number; got {value!r}",
            field="user",
            value=shown,
        )
        raise InvalidValueError(msg, field="user", value=shown)
    return user


def _check_private(value: object) -> None:
    """Refuse text that looks like a national identity number, anywhere in stored data."""
    if isinstance(value, str):
        if looks_like_national_id(value):
            msg = Message("a national identity number is never stored in the register")
            raise NationalIdError(msg)
    elif isinstance(value, Mapping):
        for item in value.values():
            _check_private(item)
    elif isinstance(value, list | tuple):
        for item in value:
            _check_private(item)


def _ended(case: Case) -> dt.date | None:
    """The day a case ended for the retention rule: its closure in force, or the decline."""
    return case.closed_on or case.declined_on


def _now() -> dt.datetime:
    return dt.datetime.now(dt.UTC)


def _utc(value: dt.datetime) -> dt.datetime:
    return value if value.tzinfo is not None else value.replace(tzinfo=dt.UTC)


_KEYED_COLUMNS = ("case", "date", "municipality", "category", "hours", "staff")


def row_keys(frame: pd.DataFrame, source: str) -> pd.Series[str]:
    """A key per time-log row from its ``source`` and its content (a 128-bit hash): equal rows
    of one source get their occurrence number too.

    Two identical rows in one sheet (two visits on one day) keep two keys, ``…#0`` and ``…#1``,
    so importing the sheet again finds both and adds neither; a row added at the end of the
    sheet gets a new key.

    Raises:
        InvalidValueError: ``frame`` is not in the schema of ``TimeLog.to_frame()``.
    """
    missing = [c for c in _KEYED_COLUMNS if c not in frame.columns]
    if missing or not pd.api.types.is_datetime64_any_dtype(frame["date"]):
        msg = Message(
            "expected a time log's frame (TimeLog.to_frame()) with dated rows; missing: {missing}",
            missing=", ".join(missing) or "-",
        )
        raise InvalidValueError(msg, field="frame", value=None)
    case = frame["case"].astype(object).where(frame["case"].notna(), "")
    content = (
        case.astype(str)
        + "|"
        + frame["date"].dt.strftime("%Y-%m-%d")
        + "|"
        + frame["municipality"].astype(str)
        + "|"
        + frame["category"].astype(str)
        + "|"
        + frame["hours"].map(repr)
        + "|"
        + frame["staff"].astype(str)
    )
    occurrence = content.groupby(content, sort=False).cumcount().astype(str)
    texts = source + "\x1f" + content + "#" + occurrence
    keys: pd.Series[str] = texts.map(
        lambda text: hashlib.blake2b(text.encode(), digest_size=16).hexdigest()
    )
    return keys


def _new_id(result: sa.CursorResult[Any]) -> int:
    """The primary key of the row an INSERT just wrote."""
    key = result.inserted_primary_key
    assert key is not None  # every table here has a generated integer key
    return int(key[0])


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
        upgrade: create the schema, or bring an older one up to date, when opening. With
            ``False`` a register whose schema is not the newest is refused.

    Raises:
        ConfigError: the target is not a usable database, or its schema is out of date and
            ``upgrade`` is false.
        InvalidValueError: the user id is not a pseudonymous id.
    """

    def __init__(self, target: str | Path, *, user: str, upgrade: bool = True) -> None:
        self._user = _check_user(user)
        self._engine = connect(target)
        self._dialect = self._engine.dialect.name
        head = head_revision()
        try:
            found = revision(self._engine)
            if found != head and upgrade:
                found = upgrade_schema(self._engine)
        except sa.exc.OperationalError as exc:
            self._engine.dispose()
            problem = Message("cannot open the database: {reason}", reason=str(exc.orig))
            raise ConfigError(shown_url(self._engine.url), [problem]) from None
        except alembic.util.CommandError:
            # A revision this version does not ship: the register was written by a newer one.
            found = revision(self._engine)
        if found != head:
            self._engine.dispose()
            problem = Message(
                "the register's schema is at revision {found}, this version of ettervern needs "
                "{needed}; run 'ettervern db init' to upgrade it",
                found=found or "-",
                needed=head,
            )
            raise ConfigError(shown_url(self._engine.url), [problem])

    # -- the connection ----------------------------------------------------------------------

    @property
    def engine(self) -> sa.Engine:
        """The SQLAlchemy engine (for backups, monitoring and tests)."""
        return self._engine

    @property
    def url(self) -> str:
        """The database URL, without its password."""
        return shown_url(self._engine.url)

    @property
    def user(self) -> str:
        """The pseudonymous id recorded with each write."""
        return self._user

    @property
    def schema_revision(self) -> str | None:
        """The schema revision of the database."""
        return revision(self._engine)

    def close(self) -> None:
        """Close every connection to the database."""
        self._engine.dispose()

    def __enter__(self) -> Register:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"<Register {self.url} as {self._user!r}>"

    @contextmanager
    def _write(self) -> Iterator[sa.Connection]:
        """One transaction that writes: all of it is committed, or none of it."""
        with (
            self._engine.connect().execution_options(ettervern_write=True) as connection,
            connection.begin(),
        ):
            yield connection

    def _insert(self, table: sa.Table) -> Any:
        return (postgresql if self._dialect == "postgresql" else sqlite).insert(table)

    def _audit(
        self,
        connection: sa.Connection,
        action: str,
        *,
        team_id: int | None = None,
        case_id: int | None = None,
        events: int | None = None,
        entries: int | None = None,
    ) -> None:
        connection.execute(
            sa.insert(AUDIT).values(
                at=_now(),
                user_id=self._user,
                action=action,
                team_id=team_id,
                case_id=case_id,
                events=events,
                entries=entries,
            )
        )

    # -- teams -------------------------------------------------------------------------------

    def _team(
        self, connection: sa.Connection, team: Team | str, *, write: bool = False
    ) -> tuple[int, Team]:
        """The team's id and value; a `Team` not yet stored is added when writing, and
        a changed definition (a new member, say) replaces the stored one."""
        name = team if isinstance(team, str) else team.name
        query = sa.select(TEAMS.c.id, TEAMS.c.definition).where(TEAMS.c.name == name)
        row = connection.execute(query).first()
        if isinstance(team, str):
            if row is None:
                raise UnknownTeamError(name, known=self.teams())
            return int(row.id), team_from_dict(row.definition, source=f"register team {name!r}")
        definition = json.loads(json.dumps(team_to_dict(team)))
        if row is None:
            if not write:
                raise UnknownTeamError(name, known=self.teams())
            statement = self._insert(TEAMS).values(name=name, definition=definition)
            connection.execute(statement.on_conflict_do_nothing(index_elements=["name"]))
            row = connection.execute(query).one()
            self._audit(connection, "add_team", team_id=row.id)
        elif write and row.definition != definition:
            connection.execute(
                sa.update(TEAMS).where(TEAMS.c.id == row.id).values(definition=definition)
            )
            self._audit(connection, "change_team", team_id=row.id)
        return int(row.id), team

    def add_team(self, team: Team) -> None:
        """Store ``team`` (or its new definition); writing for a team does it too."""
        with self._write() as connection:
            self._team(connection, team, write=True)

    def team(self, name: str) -> Team:
        """The team stored under ``name``.

        Raises:
            UnknownTeamError: the register holds no such team.
        """
        with self._engine.connect() as connection:
            return self._team(connection, name)[1]

    def teams(self) -> list[str]:
        """The names of the teams in the register."""
        with self._engine.connect() as connection:
            return list(connection.scalars(sa.select(TEAMS.c.name).order_by(TEAMS.c.name)))

    # -- cases -------------------------------------------------------------------------------

    @staticmethod
    def _code(team: Team, code: CaseCode | str) -> str:
        return str(team.code_scheme.parse(str(code)))

    @staticmethod
    def _build(row: Any, bodies: Sequence[Mapping[str, Any]], team: Team) -> Case:
        """The stored case, its history checked against the team's plausible dates."""
        with plausible_dates_of(team):
            return case_from_dict(Register._stored(row, bodies), source=f"register case {row.code}")

    @staticmethod
    def _stored(row: Any, bodies: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
        """A stored case's row and events as the case format writes them."""
        data: dict[str, Any] = {
            "schema_version": CASE_SCHEMA_VERSION,
            "code": row.code,
            "municipality": row.municipality,
            "events": list(bodies),
        }
        if row.birth_year is not None:
            data["birth_year"] = row.birth_year
        if row.gender is not None:
            data["gender"] = row.gender
        data.update(row.details)
        return data

    def _event_rows(
        self, case_id: int, bodies: Sequence[Mapping[str, Any]], first: int
    ) -> list[dict[str, Any]]:
        now = _now()
        return [
            {
                "case_id": case_id,
                "seq": first + i,
                "kind": body["event"],
                "on": dt.date.fromisoformat(body["on"]),
                "body": body,
                "recorded_by": self._user,
                "recorded_at": now,
            }
            for i, body in enumerate(bodies)
        ]

    def add_case(self, case: Case, *, team: Team | str) -> StoredCase:
        """Store a new case with its events so far.

        Raises:
            InvalidValueError: the register already holds a case with that code.
            CaseCodeError: the code is not in the team's code scheme.
            NationalIdError: some text of the case looks like a national identity number.
        """
        self.add_cases([case], team=team, refuse_existing=True)
        return StoredCase(case, len(case.events))

    def add_cases(
        self, cases: Iterable[Case], *, team: Team | str, refuse_existing: bool = False
    ) -> tuple[int, int]:
        """Store the cases the register does not hold yet, in one transaction.

        Returns (added, already there). A case whose code is in the register is left as it is
        (record its new events with [`record`][ettervern.db.Register.record]); with ``refuse_existing`` it is an error
        instead, and nothing is stored.

        Raises:
            InvalidValueError: ``refuse_existing`` and a case is already in the register.
        """
        already = 0
        try:
            with self._write() as connection:
                team_id, team_value = self._team(connection, team, write=True)
                query = sa.select(CASES.c.code).where(CASES.c.team_id == team_id)
                stored = set(connection.scalars(query))
                new: list[tuple[str, Case]] = []
                for case in cases:
                    code = self._code(team_value, case.code)
                    if code in stored:
                        if refuse_existing:
                            raise _exists(code)
                        already += 1
                        continue
                    stored.add(code)
                    new.append((code, case))
                for start in range(0, len(new), _CASE_CHUNK):
                    self._insert_cases(connection, team_id, new[start : start + _CASE_CHUNK])
        except sa.exc.IntegrityError:
            # Another writer added one of these codes after the check above: nothing was stored.
            raise _exists(", ".join(code for code, _ in new)) from None
        return len(new), already

    def _insert_cases(
        self, connection: sa.Connection, team_id: int, cases: Sequence[tuple[str, Case]]
    ) -> None:
        """Insert cases with their events and audit records: a few statements per batch."""
        data = [case_to_dict(case) for _, case in cases]
        _check_private(data)
        rows = [
            {
                "team_id": team_id,
                "code": code,
                "municipality": case.municipality.name,
                "birth_year": case.birth_year,
                "gender": None if case.gender is None else case.gender.value,
                "details": {k: v for k, v in one.items() if k not in _COLUMNS_OF_CASE},
                "version": len(case.events),
                "ended_on": _ended(case),
            }
            for (code, case), one in zip(cases, data, strict=True)
        ]
        inserted = connection.execute(
            sa.insert(CASES).returning(CASES.c.id, sort_by_parameter_order=True), rows
        )
        ids = [int(case_id) for case_id in inserted.scalars()]
        events = [
            row
            for case_id, one in zip(ids, data, strict=True)
            for row in self._event_rows(case_id, one["events"], 1)
        ]
        connection.execute(sa.insert(EVENTS), events)
        now = _now()
        connection.execute(
            sa.insert(AUDIT),
            [
                {
                    "at": now,
                    "user_id": self._user,
                    "action": "add_case",
                    "team_id": team_id,
                    "case_id": case_id,
                    "events": len(one["events"]),
                    "entries": None,
                }
                for case_id, one in zip(ids, data, strict=True)
            ],
        )

    def _case_row(
        self, connection: sa.Connection, team_id: int, team: Team, code: CaseCode | str
    ) -> Any:
        text = self._code(team, code)
        query = sa.select(CASES).where(CASES.c.team_id == team_id, CASES.c.code == text)
        row = connection.execute(query).first()
        if row is None:
            raise UnknownCaseError(text, where=team.name)
        return row

    def _bodies(self, connection: sa.Connection, case_id: int) -> list[Any]:
        query = sa.select(EVENTS.c.body).where(EVENTS.c.case_id == case_id).order_by(EVENTS.c.seq)
        return list(connection.scalars(query))

    def get_case(self, code: CaseCode | str, *, team: Team | str) -> StoredCase:
        """The case with ``code`` and its version.

        Raises:
            UnknownCaseError: the register holds no such case for the team.
        """
        with self._engine.connect() as connection:
            team_id, team_value = self._team(connection, team)
            row = self._case_row(connection, team_id, team_value, code)
            bodies = self._bodies(connection, row.id)
            return StoredCase(self._build(row, bodies, team_value), row.version)

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
        with self._write() as connection:
            team_id, team_value = self._team(connection, team)
            row = self._case_row(connection, team_id, team_value, code)
            if row.version != version:
                raise StaleVersionError(row.code, expected=version, current=row.version)
            case = self._build(row, self._bodies(connection, row.id), team_value).record(event)
            body = case_to_dict(case)["events"][-1]
            _check_private(body)
            # The version check again, in the write itself: on a server another transaction may
            # have moved the case since the read above; then no row matches and nothing is done.
            moved = connection.execute(
                sa.update(CASES)
                .where(CASES.c.id == row.id, CASES.c.version == version)
                .values(version=version + 1, ended_on=_ended(case))
            )
            if moved.rowcount != 1:
                current = connection.scalar(sa.select(CASES.c.version).where(CASES.c.id == row.id))
                raise StaleVersionError(row.code, expected=version, current=int(current or 0))
            connection.execute(sa.insert(EVENTS), self._event_rows(row.id, [body], version + 1))
            self._audit(connection, "record", team_id=team_id, case_id=row.id, events=1)
        return StoredCase(case, version + 1)

    def cases(self, team: Team | str) -> list[Case]:
        """Every case of the team, in the order they were added."""
        with self._engine.connect() as connection:
            team_id, team_value = self._team(connection, team)
            rows = connection.execute(
                sa.select(CASES).where(CASES.c.team_id == team_id).order_by(CASES.c.id)
            ).all()
            bodies: dict[int, list[Any]] = {row.id: [] for row in rows}
            events = connection.execute(
                sa.select(EVENTS.c.case_id, EVENTS.c.body)
                .join(CASES, CASES.c.id == EVENTS.c.case_id)
                .where(CASES.c.team_id == team_id)
                .order_by(EVENTS.c.case_id, EVENTS.c.seq)
            )
            for case_id, body in events:
                bodies[case_id].append(body)
        # One read for all: an event several cases hold is built once.
        with plausible_dates_of(team_value):
            return cases_from_dicts(
                [self._stored(row, bodies[row.id]) for row in rows],
                source=f"register, team {team_value.name}",
            )

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
        result = read_timelog(sheet, team=team_value, strict=strict)
        return self.add_entries(
            result.accepted,
            source=source or result.source,
            read=result.read,
            rejected=len(result.rejected),
        )

    def add_entries(
        self, log: TimeLog, *, source: str, read: int | None = None, rejected: int = 0
    ) -> ImportSummary:
        """Add a validated log's entries, in one transaction, keyed by content and ``source``.

        Entries this source brought before (same content, same occurrence) are left as they
        are and counted as ``already``; those of an erased case are not brought back.
        """
        for field, count in (("read", read), ("rejected", rejected)):
            if count is not None:
                check_field(
                    0 <= count <= MOST_ROWS,
                    BETWEEN,
                    field=field,
                    value=count,
                    low=0,
                    high=MOST_ROWS,
                )
        frame = log.to_frame(copy=False)
        keys = row_keys(frame, source)
        with self._write() as connection:
            team_id, _ = self._team(connection, log.team, write=True)
            import_id = _new_id(
                connection.execute(
                    sa.insert(IMPORTS).values(
                        team_id=team_id,
                        source=source,
                        read=len(frame) + rejected if read is None else read,
                        added=0,
                        already=0,
                        rejected=rejected,
                        recorded_by=self._user,
                        recorded_at=_now(),
                    )
                )
            )
            erased = set(
                connection.scalars(
                    sa.select(ERASED.c.row_key).where(
                        ERASED.c.team_id == team_id, ERASED.c.source == source
                    )
                )
            )
            keep = ~keys.isin(erased).to_numpy()
            rows = frame[keep]
            batches = self._entry_rows(rows, keys.to_numpy()[keep], (team_id, import_id, source))
            self._write_entries(connection, batches)
            added = connection.scalar(
                sa.select(sa.func.count()).where(ENTRIES.c.import_id == import_id)
            )
            summary = ImportSummary(
                source=source,
                read=len(frame) + rejected if read is None else read,
                accepted=len(frame),
                added=int(added or 0),
                already=len(rows) - int(added or 0),
                rejected=rejected,
                erased=len(frame) - len(rows),
            )
            connection.execute(
                sa.update(IMPORTS)
                .where(IMPORTS.c.id == import_id)
                .values(added=summary.added, already=summary.already + summary.erased)
            )
            self._audit(connection, "import", team_id=team_id, entries=summary.added)
        return summary

    @staticmethod
    def _entry_rows(
        frame: pd.DataFrame, keys: Any, prefix: tuple[int, int, str]
    ) -> Iterator[list[tuple[Any, ...]]]:
        """The rows of ``entries`` (in `_ENTRY_COLUMNS` order), in batches, as plain
        Python values: dates as ISO text, which both databases read as dates."""
        for start in range(0, len(frame), _CHUNK):
            chunk = frame.iloc[start : start + _CHUNK]
            cases = chunk["case"].astype(object).where(chunk["case"].notna(), None)
            yield [
                (*prefix, *row)
                for row in zip(
                    keys[start : start + _CHUNK].tolist(),
                    cases.tolist(),
                    chunk["date"].dt.strftime("%Y-%m-%d").tolist(),
                    chunk["municipality"].astype(str).tolist(),
                    chunk["category"].astype(str).tolist(),
                    chunk["hours"].astype(float).tolist(),
                    chunk["staff"].astype(int).tolist(),
                    strict=True,
                )
            ]

    def _write_entries(
        self, connection: sa.Connection, batches: Iterator[list[tuple[Any, ...]]]
    ) -> None:
        """Insert entries, skipping those whose key the register holds (``ON CONFLICT DO
        NOTHING``): straight through the driver, since a million rows are the common case.

        On PostgreSQL the rows are streamed with ``COPY`` into a temporary table and inserted
        from there in their order; on SQLite they go in batches of prepared inserts.
        """
        columns = ", ".join(f'"{name}"' for name in _ENTRY_COLUMNS)
        insert = f"INSERT INTO entries ({columns}) {{rows}} ON CONFLICT ({_ENTRY_KEY}) DO NOTHING"
        if self._dialect != "postgresql":
            values = f"VALUES ({', '.join('?' for _ in _ENTRY_COLUMNS)})"
            for batch in batches:
                connection.exec_driver_sql(insert.format(rows=values), batch)
            return
        driver = connection.connection.driver_connection
        assert driver is not None  # an open connection
        with driver.cursor() as cursor:
            cursor.execute(_INCOMING)
            with cursor.copy("COPY ettervern_incoming FROM STDIN") as copy:
                position = 0
                for batch in batches:
                    for row in batch:
                        copy.write_row((position, *row))
                        position += 1
            select = f"SELECT {columns} FROM ettervern_incoming ORDER BY position"
            cursor.execute(insert.format(rows=select))
            cursor.execute("DROP TABLE ettervern_incoming")

    def timelog(
        self, team: Team | str, *, start: dt.date | None = None, end: dt.date | None = None
    ) -> TimeLog:
        """The team's time log (entries dated ``start`` to ``end``, when given), validated
        again as a [`TimeLog`][ettervern.TimeLog], in the order the entries were added."""
        with self._engine.connect() as connection:
            team_id, team_value = self._team(connection, team)
            query = (
                sa.select(
                    ENTRIES.c.case_code,
                    sa.cast(ENTRIES.c.date, sa.String(10)),
                    ENTRIES.c.municipality,
                    ENTRIES.c.category,
                    ENTRIES.c.hours,
                    ENTRIES.c.staff,
                )
                .where(ENTRIES.c.team_id == team_id)
                .order_by(ENTRIES.c.id)
            )
            if start is not None:
                query = query.where(ENTRIES.c.date >= start)
            if end is not None:
                query = query.where(ENTRIES.c.date <= end)
            # Plain tuples straight from the driver: a million SQLAlchemy rows (and pandas
            # probing each for attributes) cost more than the query.
            rows = connection.execute(query).cursor.fetchall()
        frame = pd.DataFrame.from_records(rows, columns=list(COLUMNS))
        frame["date"] = pd.to_datetime(frame["date"], format="%Y-%m-%d")
        return TimeLog.from_frame(frame, team=team_value)

    # -- reports -----------------------------------------------------------------------------

    def annual_report(self, team: Team | str, *, year: int, **options: Any) -> AnnualReport:
        """[`annual_report()`][ettervern.annual_report] for ``year`` on the register's entries and cases
        (``options``: ``hours_per_fte``, ``cost_spread``, ``budget``)."""
        log = self.timelog(team, start=dt.date(year, 1, 1), end=dt.date(year, 12, 31))
        return annual_report(log, self.cases(team), team=log.team, year=year, **options)

    def due_list(self, team: Team | str, *, on: dt.date, **options: Any) -> pd.DataFrame:
        """[`due_list()`][ettervern.due_list] on the register's cases (``options``: ``template``,
        ``within``, ``locale``)."""
        with self._engine.connect() as connection:
            _, team_value = self._team(connection, team)
        return due_list(self.cases(team), on=on, team=team_value, **options)

    # -- erasure and retention ---------------------------------------------------------------

    def _erase(
        self, connection: sa.Connection, team_id: int, code: str, case_id: int | None, action: str
    ) -> Erasure:
        entries = ENTRIES.c.team_id == team_id, ENTRIES.c.case_code == code
        keys = connection.execute(sa.select(ENTRIES.c.source, ENTRIES.c.row_key).where(*entries))
        tombstones = [{"team_id": team_id, "source": s, "row_key": k} for s, k in keys]
        if tombstones:
            connection.execute(self._insert(ERASED).on_conflict_do_nothing(), tombstones)
        removed_entries = connection.execute(sa.delete(ENTRIES).where(*entries)).rowcount
        removed_events = 0
        if case_id is not None:
            removed_events = connection.execute(
                sa.delete(EVENTS).where(EVENTS.c.case_id == case_id)
            ).rowcount
            connection.execute(sa.delete(CASES).where(CASES.c.id == case_id))
        self._audit(
            connection,
            action,
            team_id=team_id,
            case_id=case_id,
            events=removed_events,
            entries=removed_entries,
        )
        return Erasure(
            cases=int(case_id is not None), events=removed_events, entries=removed_entries
        )

    def erase_case(self, code: CaseCode | str, *, team: Team | str) -> Erasure:
        """Remove a case, its events and its time entries, in one transaction.

        The audit trail keeps that an erasure happened (who, when, how many events and
        entries), never what was erased. Reports made afterwards leave the case and its hours
        out, consistently. Importing the same sheet again does not bring the entries back.

        Raises:
            UnknownCaseError: the register holds neither a case nor entries with that code.
        """
        with self._write() as connection:
            team_id, team_value = self._team(connection, team)
            text = self._code(team_value, code)
            case_id = connection.scalar(
                sa.select(CASES.c.id).where(CASES.c.team_id == team_id, CASES.c.code == text)
            )
            erasure = self._erase(connection, team_id, text, case_id, "erase")
            if not erasure.cases and not erasure.entries:
                raise UnknownCaseError(text, where=team_value.name)
        return erasure

    def apply_retention(self, team: Team | str, *, years: int, today: dt.date) -> Erasure:
        """Erase every case that ended (closed, or declined) more than ``years`` years before
        ``today``, with its events and entries; returns what was removed in all.

        Raises:
            InvalidValueError: ``years`` is not between 0 and 200 (a negative number would
                erase every case that has ended).
        """
        check_field(0 <= years <= 200, BETWEEN, field="years", value=years, low=0, high=200)
        cutoff = today - relativedelta(years=years)
        total = Erasure(cases=0, events=0, entries=0)
        with self._write() as connection:
            team_id, _ = self._team(connection, team)
            old = connection.execute(
                sa.select(CASES.c.id, CASES.c.code).where(
                    CASES.c.team_id == team_id, CASES.c.ended_on < cutoff
                )
            ).all()
            for case_id, code in old:
                done = self._erase(connection, team_id, code, case_id, "retention")
                total = Erasure(
                    cases=total.cases + done.cases,
                    events=total.events + done.events,
                    entries=total.entries + done.entries,
                )
        return total

    def audit(self) -> list[AuditRecord]:
        """The audit trail, oldest first."""
        with self._engine.connect() as connection:
            rows = connection.execute(
                sa.select(AUDIT, TEAMS.c.name)
                .outerjoin(TEAMS, TEAMS.c.id == AUDIT.c.team_id)
                .order_by(AUDIT.c.id)
            )
            return [
                AuditRecord(
                    at=_utc(row.at),
                    user=row.user_id,
                    action=row.action,
                    team=row.name,
                    case_id=row.case_id,
                    events=row.events,
                    entries=row.entries,
                )
                for row in rows
            ]
