"""Cases in the register: stored with their events, read back as the library's own `Case`,
and added to one event at a time under optimistic concurrency (the case's version)."""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import sqlalchemy as sa

from ettervern._core import CaseCode, Team
from ettervern._io import (
    CASE_SCHEMA_VERSION,
    CaseReading,
    ImportResult,
    case_from_dict,
    case_to_dict,
    cases_from_stored,
)
from ettervern._l10n import Message
from ettervern._pathway import Case, Event, plausible_dates_of
from ettervern.db._audit import log as audit
from ettervern.db._audit import log_many as audit_many
from ettervern.db._connection import Store
from ettervern.db._schema import CASES, EVENTS
from ettervern.db._teams import team_id_of
from ettervern.db._values import StoredCase, now
from ettervern.errors import (
    EttervernError,
    InvalidValueError,
    NationalIdError,
    StaleVersionError,
    UnknownCaseError,
)
from ettervern.privacy import looks_like_national_id

__all__ = [
    "add_cases",
    "all_cases",
    "code_text",
    "ended",
    "get_case",
    "import_cases",
    "record",
    "team_and_cases",
    "team_and_cases_on",
]

_COLUMNS_OF_CASE = frozenset(
    {"schema_version", "code", "municipality", "birth_year", "gender", "events"}
)
"""The case format's fields kept in columns of ``cases``; the others (the person's pseudonym,
say) are kept in its ``details``."""
_CASE_CHUNK = 2_000
"""Cases inserted per batch of statements."""


def _exists(code: str) -> InvalidValueError:
    msg = Message(
        "case {case} is already in the register; record its new events instead", case=code
    )
    return InvalidValueError(msg, field="code", value=code)


def _twice(code: str) -> InvalidValueError:
    msg = Message("case {case} is given twice; nothing was stored", case=code)
    return InvalidValueError(msg, field="code", value=code)


def _check_private(value: object) -> None:
    """Refuse text that looks like a national identity number, anywhere in stored data.

    Every text is gathered first and searched in one call: no identity number spans two texts
    joined by a line break (``IDENTITY_RUN`` allows a space, ``.``, ``-`` or ``/`` between its
    digits, never a line break), so one search finds what one search per text would."""
    if looks_like_national_id("\n".join(_texts(value))):
        msg = Message("a national identity number is never stored in the register")
        raise NationalIdError(msg)


def _texts(value: object) -> list[str]:
    """Every text in ``value`` and in the tables and lists it holds, at any depth."""
    found: list[str] = []
    waiting = [value]
    while waiting:
        item = waiting.pop()
        if isinstance(item, str):
            found.append(item)
        elif isinstance(item, Mapping):
            waiting.extend(item.values())
        elif isinstance(item, list | tuple):
            waiting.extend(item)
    return found


def ended(case: Case) -> dt.date | None:
    """The day a case ended for the retention rule: its closure in force, or the decline."""
    return case.closed_on or case.declined_on


def lives_in(case: Case) -> str:
    """The municipality the person lives in after the case's last move (its own without one)."""
    moves = case.moves
    return (moves[-1].municipality if moves else case.municipality).name


def code_text(team: Team, code: CaseCode | str) -> str:
    """The code as the register stores it: parsed by the team's code scheme."""
    return str(team.code_scheme.parse(str(code)))


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


def _build(row: Any, bodies: Sequence[Mapping[str, Any]], team: Team) -> Case:
    """The stored case, its history checked against the team's plausible dates."""
    with plausible_dates_of(team):
        return case_from_dict(_stored(row, bodies), source=f"register case {row.code}")


def _event_rows(
    store: Store, case_id: int, bodies: Sequence[Mapping[str, Any]], first: int
) -> list[dict[str, Any]]:
    at = now()
    return [
        {
            "case_id": case_id,
            "seq": first + i,
            "kind": body["event"],
            "on": dt.date.fromisoformat(body["on"]),
            "body": body,
            "recorded_by": store.user,
            "recorded_at": at,
        }
        for i, body in enumerate(bodies)
    ]


def _new_cases(
    connection: sa.Connection,
    team_id: int,
    team: Team,
    cases: Iterable[Case],
    refuse_existing: bool,
) -> tuple[list[tuple[str, Case]], int]:
    """The cases whose code the register does not hold yet, and how many it holds."""
    stored = set(connection.scalars(sa.select(CASES.c.code).where(CASES.c.team_id == team_id)))
    new: list[tuple[str, Case]] = []
    already = 0
    given: set[str] = set()
    for case in cases:
        code = code_text(team, case.code)
        if code in given:  # two cases for one code: neither is "already in the register"
            raise _twice(code)
        given.add(code)
        if code in stored:
            if refuse_existing:
                raise _exists(code)
            already += 1
            continue
        stored.add(code)
        new.append((code, case))
    return new, already


def add_cases(
    store: Store, cases: Iterable[Case], *, team: Team | str, refuse_existing: bool
) -> tuple[int, int]:
    """Store the cases the register does not hold yet, in one transaction: (added, already)."""
    new: list[tuple[str, Case]] = []
    try:
        with store.write() as connection:
            team_id, team_value = team_id_of(store, connection, team, write=True)
            new, already = _new_cases(connection, team_id, team_value, cases, refuse_existing)
            for start in range(0, len(new), _CASE_CHUNK):
                _insert_cases(store, connection, team_id, new[start : start + _CASE_CHUNK])
    except sa.exc.IntegrityError:
        # Another writer added one of these codes after the check above: nothing was stored.
        raise _exists(", ".join(code for code, _ in new)) from None
    return len(new), already


def import_cases(
    store: Store, cases: Iterable[Case], *, team: Team | str, strict: bool
) -> ImportResult[tuple[Case, ...]]:
    """Store each case the register can take, in one transaction, and reject each other one
    with its reason: a code given twice, a code the register holds, a code not in the team's
    scheme, text that looks like an identity number. ``strict``: the first raises, nothing is
    stored."""
    with store.write() as connection:
        team_id, team_value = team_id_of(store, connection, team, write=True)
        held = set(connection.scalars(sa.select(CASES.c.code).where(CASES.c.team_id == team_id)))
        reading = CaseReading(Message("cases"), strict)
        read = 0
        for position, case in enumerate(cases):
            read += 1
            try:
                code = code_text(team_value, case.code)
                if code in held:
                    raise _exists(code)
                _check_private(case_to_dict(case))
            except EttervernError as error:
                reading.refuse(position, str(case.code), error)
            else:
                reading.accept(position, case)
        new = [(code_text(team_value, case.code), case) for case in reading.accepted]
        for start in range(0, len(new), _CASE_CHUNK):
            _insert_cases(store, connection, team_id, new[start : start + _CASE_CHUNK])
    return reading.result(read)


def _insert_cases(
    store: Store, connection: sa.Connection, team_id: int, cases: Sequence[tuple[str, Case]]
) -> None:
    """Insert cases with their events and audit records: a few statements per batch (the
    cases' ids read back by their codes, one query)."""
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
            "ended_on": ended(case),
            "lives_in": lives_in(case),
        }
        for (code, case), one in zip(cases, data, strict=True)
    ]
    # No RETURNING: with the rows' order asked for, SQLite inserts them one statement each.
    connection.execute(sa.insert(CASES), rows)
    codes = [code for code, _ in cases]
    held = connection.execute(
        sa.select(CASES.c.code, CASES.c.id).where(
            CASES.c.team_id == team_id, CASES.c.code.in_(codes)
        )
    )
    id_of = {code: int(case_id) for code, case_id in held}
    ids = [id_of[code] for code in codes]
    events = [
        row
        for case_id, one in zip(ids, data, strict=True)
        for row in _event_rows(store, case_id, one["events"], 1)
    ]
    connection.execute(sa.insert(EVENTS), events)
    counts = [
        {"team_id": team_id, "case_id": case_id, "events": len(one["events"]), "entries": None}
        for case_id, one in zip(ids, data, strict=True)
    ]
    audit_many(store, connection, "add_case", counts)


def _case_row(connection: sa.Connection, team_id: int, team: Team, code: CaseCode | str) -> Any:
    text = code_text(team, code)
    query = sa.select(CASES).where(CASES.c.team_id == team_id, CASES.c.code == text)
    row = connection.execute(query).first()
    if row is None:
        raise UnknownCaseError(text, where=team.name)
    return row


def _bodies(connection: sa.Connection, case_id: int) -> list[Any]:
    query = sa.select(EVENTS.c.body).where(EVENTS.c.case_id == case_id).order_by(EVENTS.c.seq)
    return list(connection.scalars(query))


def get_case(store: Store, code: CaseCode | str, *, team: Team | str) -> StoredCase:
    """The case with ``code`` and its version."""
    with store.read() as connection:
        team_id, team_value = team_id_of(store, connection, team)
        row = _case_row(connection, team_id, team_value, code)
        bodies = _bodies(connection, row.id)
        return StoredCase(_build(row, bodies, team_value), row.version)


def record(
    store: Store, code: CaseCode | str, event: Event, *, team: Team | str, version: int
) -> StoredCase:
    """Append ``event`` to the case, if nobody changed it since ``version`` was read."""
    with store.write() as connection:
        team_id, team_value = team_id_of(store, connection, team)
        row = _case_row(connection, team_id, team_value, code)
        if row.version != version:
            raise StaleVersionError(row.code, expected=version, current=row.version)
        case = _build(row, _bodies(connection, row.id), team_value).record(event)
        body = case_to_dict(case)["events"][-1]
        _check_private(body)
        # The version check again, in the write itself: on a server another transaction may
        # have moved the case since the read above; then no row matches and nothing is done.
        moved = connection.execute(
            sa.update(CASES)
            .where(CASES.c.id == row.id, CASES.c.version == version)
            .values(version=version + 1, ended_on=ended(case), lives_in=lives_in(case))
        )
        if moved.rowcount != 1:
            current = connection.scalar(sa.select(CASES.c.version).where(CASES.c.id == row.id))
            raise StaleVersionError(row.code, expected=version, current=int(current or 0))
        connection.execute(sa.insert(EVENTS), _event_rows(store, row.id, [body], version + 1))
        audit(store, connection, "record", team_id=team_id, case_id=row.id, events=1)
    return StoredCase(case, version + 1)


def all_cases(store: Store, team: Team | str) -> list[Case]:
    """Every case of the team, in the order they were added."""
    return team_and_cases(store, team)[1]


def team_and_cases(store: Store, team: Team | str) -> tuple[Team, list[Case]]:
    """The team's value and every case of it, in the order they were added, read on one
    connection (the team's row, the cases and their events)."""
    with store.read() as connection:
        return team_and_cases_on(store, connection, team)


def team_and_cases_on(
    store: Store, connection: sa.Connection, team: Team | str
) -> tuple[Team, list[Case]]:
    """``team_and_cases`` read on ``connection`` (a snapshot shared with other reads): the
    cases, then their events, one query each; the events as the JSON texts they are stored as
    (not decoded by the driver), read as a case file's events are (``cases_from_stored``)."""
    team_id, team_value = team_id_of(store, connection, team)
    rows = connection.execute(
        sa.select(*_READ_COLUMNS).where(CASES.c.team_id == team_id).order_by(CASES.c.id)
    ).all()
    texts: dict[int, list[str]] = {row[0]: [] for row in rows}
    events = connection.execute(
        sa.select(EVENTS.c.case_id, sa.cast(EVENTS.c.body, sa.Text))
        .join(CASES, CASES.c.id == EVENTS.c.case_id)
        .where(CASES.c.team_id == team_id)
        .order_by(EVENTS.c.case_id, EVENTS.c.seq)
    )
    for case_id, text in events:
        texts[case_id].append(text)
    # One read for all: an event several cases hold is built once.
    with plausible_dates_of(team_value):
        cases = cases_from_stored(
            ((_fields(row), texts[row[0]]) for row in rows),
            source=f"register, team {team_value.name}",
            strict=True,
        ).accepted
    return team_value, list(cases)


_READ_COLUMNS = (
    CASES.c.id,
    CASES.c.code,
    CASES.c.municipality,
    CASES.c.birth_year,
    CASES.c.gender,
    sa.cast(CASES.c.details, sa.Text),
)
"""What reading a team's cases takes of each row, its ``details`` as their JSON text."""


def _fields(row: Any) -> dict[str, Any]:
    """A case's row from ``_READ_COLUMNS`` as the case format writes its fields (see
    ``_stored``): ``details`` decoded only when they hold anything."""
    _, code, municipality, birth_year, gender, details = row
    fields: dict[str, Any] = {
        "schema_version": CASE_SCHEMA_VERSION,
        "code": code,
        "municipality": municipality,
    }
    if birth_year is not None:
        fields["birth_year"] = birth_year
    if gender is not None:
        fields["gender"] = gender
    if details != "{}":
        fields.update(json.loads(details))
    return fields
