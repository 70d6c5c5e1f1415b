"""Cases as a table of events: one row per event, for Parquet files, DuckDB and pandas.

[`cases_to_frame()`][ettervern.cases_to_frame] writes the case format of
[`case_to_dict()`][ettervern.interchange.case_to_dict] as columns, and
[`cases_from_frame()`][ettervern.cases_from_frame] reads it back with the same checks: each
value, each event and each case's whole history once, with or without a team. Columnar data is
what an engine for national volumes reads (see the performance page), and it is the fastest way
to build many cases: an event that many cases share (an acceptance on a given day) is built once.
"""

from __future__ import annotations

import collections
import datetime as dt
import json
from collections.abc import Iterable, Sequence
from typing import Any

import cattrs
import numpy as np
import pandas as pd
from pandas.api.types import infer_dtype

from ettervern._core import DEFAULT_SCHEME, EARLIEST, LATEST, CodeScheme, Team, problems
from ettervern._io._convert import (
    StoredValues,
    case_converter,
    collector_paused,
    direct_event,
    drops_input_when_refused,
)
from ettervern._io._result import CaseReading, ImportResult
from ettervern._l10n import Message
from ettervern._pathway import Case, Event, check_case, plausible_dates_of, stored_case
from ettervern.errors import ConfigError, EttervernError, InvalidValueError

__all__ = ["CASE_COLUMNS", "EVENT_COLUMNS", "cases_from_frame", "cases_to_frame"]

CASE_COLUMNS = ("case", "municipality", "birth_year", "gender", "person", "code_scheme")
"""The columns of the case, the same on each of its rows: the code as written, the
municipality's name, and the optional fields of the case format (``code_scheme`` as the JSON
text of the scheme, empty for the default ``02/20-ST``)."""

EVENT_COLUMNS = (
    "seq",
    "event",
    "on",
    "source",
    "kind",
    "step",
    "task",
    "reason",
    "report_delivered",
    "evaluation_given",
    "taken_over_service",
    "taken_over_municipality",
    "reached",
    "staff",
    "coordinator",
    "outcome",
    "expected",
    "to",
    "scope",
    "domain",
    "target",
    "due",
    "status",
    "moved_to",
)
"""The columns of each event: its position in the case (``seq``, from 0 for the referral), its
tag and date, then the fields of the kinds of event that have them, empty on the others. The
service that took over is two columns; an outcome is the JSON text of the case format's table.
``expected`` (an expected discharge) and ``to`` (a rescheduled due date) are dates, as is a
goal's ``due``; a goal's ``target`` is its score; ``moved_to`` is the municipality of a move."""

_TEXT = ("source", "kind", "step", "task", "reason", "staff", "scope", "domain", "status")
_FLAGS = ("report_delivered", "evaluation_given", "reached", "coordinator")
_CATEGORIES = ("municipality", "gender", "event", *_TEXT, "taken_over_service")
_STRINGS = ("case", "person", "code_scheme", "taken_over_municipality", "outcome", "moved_to")
_REQUIRED = ("case", "municipality", "seq", "event", "on")
_DAYS = ("expected", "to", "due")
"""The date columns besides ``on``."""
_DETAILS = EVENT_COLUMNS[3:]
"""The event columns after the tag and the date, in the order of a row's key."""
_EPOCH = dt.date(1970, 1, 1)
_FIRST_DAY, _LAST_DAY = (EARLIEST - _EPOCH).days, (LATEST - _EPOCH).days
_SCALARS = frozenset(
    {
        "empty",
        "string",
        "boolean",
        "integer",
        "floating",
        "mixed-integer-float",
        "date",
        "datetime",
        "datetime64",
    }
)
"""What ``pandas.api.types.infer_dtype`` calls a column of plain values, one to a cell."""
_SCALAR_TYPES = (str, bool, int, float, dt.date, np.generic, type(None), type(pd.NA))


def cases_to_frame(cases: Iterable[Case]) -> pd.DataFrame:
    """The cases as a table of events, one row per event, in the cases' order and each case's
    event order (columns [`CASE_COLUMNS`][ettervern.CASE_COLUMNS] and
    [`EVENT_COLUMNS`][ettervern.EVENT_COLUMNS]).

    Texts that repeat are categories, dates ``datetime64``, flags nullable booleans; a value an
    event does not have is empty (``<NA>``). ``cases_from_frame`` reads it back.

    Raises:
        InvalidValueError: two cases have the same code (a case's rows are held together by it).

    >>> import ettervern as e
    >>> frame = e.cases_to_frame(e.examples.salten_2020().cases[:1])
    >>> print(frame[["case", "seq", "event", "on"]].head(3).to_string(index=False))
        case  seq      event         on
    01/20-FA    0   referral 2020-01-13
    01/20-FA    1  admission 2020-01-13
    01/20-FA    2 acceptance 2020-01-20
    """
    heads, sizes, rows, row_of_event = _flattened(cases)
    codes = [head[0] for head in heads]
    if len(set(codes)) != len(codes):  # the code is what holds a case's rows together
        twice = next(code for code, n in collections.Counter(codes).items() if n > 1)
        msg = Message("two cases have the code {code}: a table holds one", code=twice)
        raise InvalidValueError(msg, field="cases", value=twice)
    case_of_row = np.repeat(np.arange(len(heads)), sizes)
    event_of_row = np.asarray(row_of_event, dtype="int64")
    columns: dict[str, np.ndarray[Any, Any]] = {}
    for position, name in enumerate(CASE_COLUMNS):
        columns[name] = _objects(head[position] for head in heads)[case_of_row]
    for position, name in enumerate(EVENT_COLUMNS[1:]):
        columns[name] = _objects(row[position] for row in rows)[event_of_row]
    starts = np.repeat(np.cumsum([0, *sizes[:-1]]), sizes) if sizes else case_of_row
    columns["seq"] = np.arange(len(case_of_row)) - starts
    return _typed(columns)[[*CASE_COLUMNS, *EVENT_COLUMNS]]


def _flattened(
    cases: Iterable[Case],
) -> tuple[list[tuple[Any, ...]], list[int], list[tuple[Any, ...]], list[int]]:
    """Each case's columns, its number of events, each distinct event's columns (an event
    equal to one before is written once: events are values, and cases share many), and the
    distinct event of each case's each event."""
    heads: list[tuple[Any, ...]] = []
    sizes: list[int] = []
    rows: list[tuple[Any, ...]] = []
    row_of: dict[Event, int] = {}
    row_of_event: list[int] = []
    schemes: dict[CodeScheme, str | None] = {DEFAULT_SCHEME: None}
    for case in cases:
        heads.append(
            (
                str(case.code),
                case.municipality.name,
                case.birth_year,
                None if case.gender is None else case.gender.value,
                case.person,
                _scheme_text(case.code.scheme, schemes),
            )
        )
        sizes.append(len(case.events))
        for event in case.events:
            row = row_of.get(event)
            if row is None:
                row = row_of[event] = len(rows)
                rows.append(_event_row(event))
            row_of_event.append(row)
    return heads, sizes, rows, row_of_event


def _typed(columns: dict[str, np.ndarray[Any, Any]]) -> pd.DataFrame:
    """The table's columns in their documented types."""
    return pd.DataFrame(
        {
            **{
                name: pd.Series(columns[name], dtype="string").astype("category")
                for name in _CATEGORIES
            },
            **{name: pd.Series(columns[name], dtype="string") for name in _STRINGS},
            **{name: pd.Series(columns[name], dtype="boolean") for name in _FLAGS},
            "birth_year": pd.Series(columns["birth_year"], dtype="Int16"),
            "target": pd.Series(columns["target"], dtype="Int8"),
            "seq": pd.Series(columns["seq"], dtype="int32"),
            **{
                name: pd.to_datetime(
                    pd.Series(columns[name], dtype="string"), format="%Y-%m-%d"
                ).astype("datetime64[ns]")  # as the time log's dates (TimeLog.to_frame)
                for name in ("on", *_DAYS)
            },
        }
    )


def _objects(values: Iterable[Any]) -> np.ndarray[Any, Any]:
    """``values`` as an array of Python objects (``None`` stays ``None``)."""
    found = list(values)
    array = np.empty(len(found), dtype=object)
    array[:] = found
    return array


def _scheme_text(scheme: CodeScheme, known: dict[CodeScheme, str | None]) -> str | None:
    """The JSON text of a code scheme as the case format stores it (``None``: the default)."""
    if scheme not in known:
        known[scheme] = json.dumps(case_converter().unstructure(scheme), sort_keys=True)
    return known[scheme]


def _event_row(event: Event) -> tuple[Any, ...]:
    """The values of an event's columns after ``seq``, as the case format writes them."""
    item: dict[str, Any] = case_converter().unstructure(event, unstructure_as=type(event))
    over, outcome = item.get("taken_over_by"), item.get("outcome")
    item["taken_over_service"] = None if over is None else over["service"]
    item["taken_over_municipality"] = None if over is None else over["municipality"]
    item["outcome"] = None if outcome is None else json.dumps(outcome, ensure_ascii=False)
    item["moved_to"] = item.pop("municipality", None)
    return tuple(item.get(name) for name in EVENT_COLUMNS[1:])


@drops_input_when_refused
def cases_from_frame(
    frame: pd.DataFrame,
    *,
    team: Team | None = None,
    source: str | None = None,
    strict: bool = False,
) -> ImportResult[tuple[Case, ...]]:
    """Read the cases of a table of events written by
    [`cases_to_frame()`][ettervern.cases_to_frame], or by any engine, with its columns.

    The columns ``case``, ``municipality``, ``seq``, ``event`` and ``on`` are required, the
    others may be left out when no event has them. Rows may come in any order: each case's
    events are ordered by ``seq``, and the cases by their first row. Dates may be dates,
    timestamps or ISO text. Each value, event and history is checked as
    [`cases_from_json()`][ettervern.cases_from_json] checks it; with ``team`` each case is read
    and checked as ``case_from_dict(..., team=team)`` does.

    The result holds the cases accepted and, for each case rejected, its ``position`` (its
    first row in ``frame``), ``code``, ``path`` (the column) and ``reason``. A table whose
    rows are all good is read in one columnar pass; one with bad cases is read again in halves,
    so the good cases still take few passes. With ``strict`` the first bad case raises.

    Raises:
        ConfigError: an unknown or missing column, or a cell that is not one value; with
            ``strict``, a bad value, event or case, named by the row (its position in
            ``frame``) or the case.
    """
    where: str | Message = Message("table of events") if source is None else source
    with collector_paused(), plausible_dates_of(team):
        reader = _Reader(frame, where, team)
        reading = CaseReading(where, strict)
        if strict or not len(reader.frame):
            for position, case in reader.cases():
                reading.accept(position, case)
        else:
            _read_tolerantly(reader, reading)
        return reading.result(len(reading.accepted) + len(reading.rows) + reading.unlisted)


def _read_tolerantly(reader: _Reader, reading: CaseReading) -> None:
    """Read every case of the table that can be read; reject each other one with its reason.

    The table is read whole; when that fails, each half of its cases is read again, down to the
    single bad cases: a few bad cases among many cost a few passes over the table, not one
    pass per case."""
    codes, _ = pd.factorize(reader.frame["case"].astype("string"), use_na_sentinel=True)
    for row in np.flatnonzero(codes < 0).tolist():  # a row with no code belongs to no case
        problem = _row_problem(row, Message("expected a case code"), "case")
        reading.refuse(row, None, reader.fail(problem))
    order = np.argsort(codes, kind="stable")
    order = order[codes[order] >= 0]
    ends = np.flatnonzero(np.diff(codes[order])) + 1
    _read_groups(reader, np.split(order, ends) if len(order) else [], reading)


def _read_groups(
    reader: _Reader, groups: Sequence[np.ndarray[Any, Any]], reading: CaseReading
) -> None:
    """Read the cases whose rows are ``groups`` (one array of rows per case), halving on
    failure until the bad case is alone."""
    if not groups:
        return
    rows = np.concatenate(groups)
    part = _Reader(reader.frame.iloc[rows], reader.source, reader.team, reader.rows[rows])
    part.seen = reader.seen
    try:
        found = part.cases()
    except EttervernError as error:
        if len(groups) > 1:
            half = len(groups) // 2
            _read_groups(reader, groups[:half], reading)
            _read_groups(reader, groups[half:], reading)
            return
        first = int(groups[0][0])
        reading.refuse(int(reader.rows[first]), reader.frame["case"].iloc[first], error)
        return
    for position, case in found:
        reading.accept(position, case)


class _Reader:
    """One read of a table of events (``cases_from_frame``); ``rows`` numbers the rows as
    the caller's whole table does (a part of it is read again after a failure)."""

    def __init__(
        self,
        frame: pd.DataFrame,
        source: str | Message,
        team: Team | None,
        rows: np.ndarray[Any, Any] | None = None,
    ) -> None:
        self.source = source
        self.team = team
        self.seen = StoredValues(team)
        self.rows = np.arange(len(frame)) if rows is None else rows
        self.frame = self._checked_columns(frame)

    def fail(self, problem: Message) -> ConfigError:
        return ConfigError(self.source, [problem])

    def _at(self, row: int) -> int:
        """The number of the table's row ``row`` in the caller's whole table."""
        return int(self.rows[row])

    def _checked_columns(self, frame: pd.DataFrame) -> pd.DataFrame:
        names = [str(c) for c in frame.columns]
        unknown = sorted(set(names) - {*CASE_COLUMNS, *EVENT_COLUMNS})
        missing = [c for c in _REQUIRED if c not in names]
        if unknown or missing or len(set(names)) != len(names):
            problem = Message(
                "expected the columns {expected}; unknown: {unknown}; missing: {missing}",
                expected=", ".join((*CASE_COLUMNS, *EVENT_COLUMNS)),
                unknown=", ".join(unknown) or "-",
                missing=", ".join(missing) or "-",
            )
            raise self.fail(problem)
        for name in names:  # a cell must be one value: no lists, tables or bytes
            values = frame[name]
            if values.dtype != object or infer_dtype(values, skipna=True) in _SCALARS:
                continue
            found = (i for i, v in enumerate(values) if not isinstance(v, _SCALAR_TYPES))
            row = next(found, None)  # "mixed" may be plain values of several types
            if row is not None:
                raise self.fail(_row_problem(self._at(row), Message("expected one value"), name))
        return frame.reset_index(drop=True)

    def _column(self, name: str, order: np.ndarray[Any, Any]) -> list[Any]:
        """The values of a column in ``order``, with ``None`` for an empty cell (and for a
        column that is not there)."""
        if name not in self.frame.columns:
            return [None] * len(order)
        values = self.frame[name].iloc[order]
        empty = values.isna().to_numpy()
        plain = values.astype(object).to_numpy(copy=True)
        plain[empty] = None
        return plain.tolist()

    def _days(self) -> np.ndarray[Any, Any]:
        """Each row's date as days since 1970-01-01; a row without a readable date fails."""
        column = self.frame["on"]
        try:
            if pd.api.types.is_datetime64_any_dtype(column):
                stamps = column
            else:
                stamps = pd.to_datetime(column.astype("string"), format="ISO8601", errors="coerce")
        except (ValueError, TypeError, OverflowError):
            stamps = pd.Series(pd.NaT, index=column.index)
        if isinstance(stamps.dtype, pd.DatetimeTZDtype):  # the day where it was written
            stamps = stamps.dt.tz_localize(None)
        empty = stamps.isna().to_numpy()
        days: np.ndarray[Any, Any] = np.zeros(len(stamps), dtype="int64")
        days[~empty] = stamps[~empty].to_numpy().astype("datetime64[D]").astype("int64")
        bad = np.flatnonzero(empty | (days < _FIRST_DAY) | (days > _LAST_DAY))
        if len(bad):
            problem = Message(
                "{field} must be a date between {low} and {high}, got {value}",
                field="on",
                low=EARLIEST,
                high=LATEST,
                value=str(column.iloc[bad[0]])[:40],
            )
            raise self.fail(_row_problem(self._at(int(bad[0])), problem, "on"))
        return days

    def _order(self) -> tuple[np.ndarray[Any, Any], np.ndarray[Any, Any]]:
        """The rows in case and ``seq`` order, and where each case's rows start."""
        frame = self.frame
        codes, _ = pd.factorize(frame["case"].astype("string"), use_na_sentinel=True)
        empty = np.flatnonzero(codes < 0)
        if len(empty):
            raise self.fail(
                _row_problem(self._at(int(empty[0])), Message("expected a case code"), "case")
            )
        seq = pd.to_numeric(frame["seq"], errors="coerce")
        bad = np.flatnonzero(seq.isna().to_numpy() | (seq % 1 != 0).to_numpy())
        if len(bad):
            raise self.fail(
                _row_problem(self._at(int(bad[0])), Message("expected a whole number"), "seq")
            )
        order = np.lexsort((seq.to_numpy(dtype="float64"), codes))
        ordered_codes, ordered_seq = codes[order], seq.to_numpy()[order]
        starts = np.flatnonzero(np.r_[True, ordered_codes[1:] != ordered_codes[:-1]])
        repeated = np.flatnonzero(
            (ordered_codes[1:] == ordered_codes[:-1]) & (ordered_seq[1:] == ordered_seq[:-1])
        )
        if len(repeated):
            row = int(order[repeated[0] + 1])
            raise self.fail(
                _row_problem(
                    self._at(row), Message("another row of the same case has this seq"), "seq"
                )
            )
        return order, starts

    def cases(self) -> list[tuple[int, Case]]:
        """Each case with its first row in the caller's table, in the order of those rows."""
        if not len(self.frame):
            return []
        order, starts = self._order()
        firsts = order[starts]  # the first row of each case, in the frame
        case_of_row = np.repeat(np.arange(len(starts)), np.diff(np.r_[starts, len(order)]))
        for name in CASE_COLUMNS:  # the case's columns must be the same on all its rows
            codes = self._codes(name, order)
            differ = np.flatnonzero(codes != codes[starts][case_of_row])
            if len(differ):
                row = int(order[differ[0]])
                problem = Message("the rows of one case differ in this column")
                raise self.fail(_row_problem(self._at(row), problem, name))
        heads = [self._column(name, firsts) for name in CASE_COLUMNS]
        # Each distinct event is built once: rows are told apart by their codes, column by
        # column, in C, instead of by a key made and hashed in Python for each row.
        days = self._days()[order]
        event_of_row = pd.factorize(days)[0]
        for name in ("event", *_DETAILS):
            codes = self._codes(name, order)
            event_of_row = pd.factorize(event_of_row * (int(codes.max()) + 1) + codes)[0]
        _, first_of_event = np.unique(event_of_row, return_index=True)
        built = np.empty(len(first_of_event), dtype=object)
        built[:] = self._built(order[first_of_event], days[first_of_event])
        ends = [*starts[1:].tolist(), len(order)]
        cases = []
        for i, (start, end) in enumerate(zip(starts.tolist(), ends, strict=True)):
            events = tuple(built[event_of_row[start:end]].tolist())
            case = self._case([values[i] for values in heads], events, int(firsts[i]))
            cases.append((self._at(int(firsts[i])), case))
        return cases

    def _codes(self, name: str, order: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        """A code per row (in ``order``) that is equal where the column's values are, an empty
        cell (or a missing column) a value of its own."""
        if name not in self.frame.columns:
            return np.zeros(len(order), dtype="int64")
        codes = pd.factorize(self.frame[name].iloc[order], use_na_sentinel=False)[0]
        return codes.astype("int64")

    def _built(self, rows: np.ndarray[Any, Any], days: np.ndarray[Any, Any]) -> list[Event]:
        """The events of ``rows`` (one per distinct event), each built from its row."""
        tags = self._column("event", rows)
        details = [self._column(name, rows) for name in _DETAILS]
        return [
            self._event((tag, day, *values), int(row))
            for tag, day, row, *values in zip(
                tags, days.tolist(), rows.tolist(), *details, strict=True
            )
        ]

    def _event(self, key: tuple[Any, ...], row: int) -> Event:
        """The event of one row, built from the item the case format would hold."""
        item = self._item(key, row)
        try:
            return direct_event(item)
        except Exception:  # the converter names the bad field
            pass
        try:
            event: Event = case_converter().structure(item, Event)  # type: ignore[arg-type]
        except cattrs.BaseValidationError as exc:
            raise ConfigError(
                self.source, [_row_problem(self._at(row), p) for p in problems(exc)]
            ) from None
        except EttervernError as exc:
            raise self.fail(_row_problem(self._at(row), exc.message)) from None
        return event

    def _item(self, key: tuple[Any, ...], row: int) -> dict[str, Any]:
        """The item of the case format one row's event is, as ``case_to_dict`` would write it."""
        tag, day, *values = key
        item: dict[str, Any] = {"event": tag, "on": _day(day).isoformat()}
        fields = dict(zip(_DETAILS, values, strict=True))
        for name in (*_TEXT, *_FLAGS):
            if fields[name] is not None:
                item[name] = fields[name]
        for name in _DAYS:
            if fields[name] is not None:
                item[name] = _iso(fields[name])
        target = fields["target"]
        if target is not None:  # a whole number as int, anything else for the reader to refuse
            whole = isinstance(target, float | np.floating) and float(target).is_integer()
            item["target"] = int(target) if whole or isinstance(target, np.integer) else target
        if fields["moved_to"] is not None:
            item["municipality"] = fields["moved_to"]
        service, place = fields["taken_over_service"], fields["taken_over_municipality"]
        if service is not None or place is not None:
            item["taken_over_by"] = {"service": service, "municipality": place}
        outcome = fields["outcome"]
        if outcome is not None:
            try:
                item["outcome"] = json.loads(outcome) if isinstance(outcome, str) else outcome
            except ValueError:
                raise self.fail(
                    _row_problem(self._at(row), Message("expected JSON"), "outcome")
                ) from None
        return item

    def _case(self, head: Sequence[Any], events: tuple[Event, ...], row: int) -> Case:
        code, municipality, birth_year, gender, person, scheme = head
        seen = self.seen
        try:
            stored = None if scheme is None else json.loads(scheme)
            written_in = seen.scheme(stored)
            place = seen.municipality(str(municipality))
            written = written_in.parse(str(code))
            whole = isinstance(birth_year, float) and birth_year.is_integer()
            year = int(birth_year) if whole else birth_year  # a float column's 1985.0
            optional = {"birth_year": year, "gender": gender, "person": person}
            # The constructor names what ``stored_case`` finds wrong.
            case = stored_case(written, place, events, **optional, window=self.seen.window) or Case(
                written, place, events, **optional
            )
            return case if self.team is None else check_case(case, self.team)
        except EttervernError as exc:
            problem = Message(
                "case {case} (row {row}): {problem}",
                case=str(code),
                row=self._at(row),
                problem=exc.message,
            )
            raise self.fail(problem) from None
        except (ValueError, TypeError):  # a stored scheme that is not a table
            problem = Message("expected the JSON text of a code scheme")
            raise self.fail(_row_problem(self._at(row), problem, "code_scheme")) from None


def _iso(value: object) -> object:
    """A date cell as the case format's ISO text (a text cell as it is: the reader checks it)."""
    if isinstance(value, dt.date | pd.Timestamp):
        return value.isoformat()[:10]
    return value


def _day(number: int) -> dt.date:
    """The date ``number`` days after 1970-01-01."""
    return _EPOCH + dt.timedelta(days=number)


def _row_problem(row: int, problem: Message | str, column: str | None = None) -> Message:
    if column is None:
        return Message("row {row}: {problem}", row=row, problem=problem)
    return Message("row {row}, column {column}: {problem}", row=row, column=column, problem=problem)
