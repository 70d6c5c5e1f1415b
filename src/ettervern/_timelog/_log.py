"""The time log (ressursregistrering): validated entries in a columnar, pandas-backed collection.

Teams log their time in five columns — *Sak, Dato, Kommune, Hendelse, Tidsbruk* — and the library
adds a sixth, the number of staff present (the team's staff per case by default), because the
sheet could not show that two staff follow each case. No free-text column is kept: free text
invites personal data.

Validation is vectorised: each rule is checked on whole columns at once, with the few distinct
municipalities, categories and case codes looked up once each, so a million rows validate in
about the time pandas takes to read them.
"""

from __future__ import annotations

import datetime as dt
import html
from collections.abc import Iterable, Iterator
from typing import Any

import numpy as np
import pandas as pd

from ettervern._core import Bucket, CaseCode, Category, Municipality, ReportGroup, Team
from ettervern._l10n import Label, Message, format_date, format_number, translate
from ettervern._timelog._entry import TimeEntry
from ettervern._timelog._rules import rule_of, validate_frame
from ettervern._timelog._schema import (
    COLUMNS,
    EPOCH,
    code_frame,
    day_number,
    join_frames,
    lean,
    schema_of,
    unit_minutes,
)
from ettervern.errors import InvalidValueError, TimeLogError

__all__ = [
    "TimeLog",
    "log_codes",
    "month_summary",
]


class TimeLog:
    """A team's time log: entries held as a pandas DataFrame with a fixed schema.

    ``to_frame()`` returns the columns

    | column | type and meaning |
    |---|---|
    | ``case`` | categorical: the case code as the team writes it, missing for none |
    | ``date`` | ``datetime64[ns]``, midnight |
    | ``municipality`` | categorical: a member's register name or ``Andre kommuner``/``Felles`` |
    | ``category`` | categorical: the category key (``user_follow_up``, ``driving`` …) |
    | ``hours`` | ``float64``, in steps of the team's resolution |
    | ``staff`` | ``int64``: staff present (the team's staff per case by default) |

    Build one with ``TimeLog(frame, team)``, [`from_entries()`][ettervern.TimeLog.from_entries] or
    [`from_frame()`][ettervern.TimeLog.from_frame] (all validate and raise on a bad row), or read a
    sheet with [`read_timelog()`][ettervern.read_timelog] (which reports bad rows instead).

    Inside, the log is kept lean, about 11 bytes an entry instead of 28, so ten million entries
    fit in about 110 MB: dates as day numbers (``int32``), hours as a whole count of the team's
    time unit (half hours in Salten; ``int16``, exact, so totals have no float drift), staff as
    ``int8``, and the text columns as categorical codes. ``to_frame()`` builds the schema above
    from it.
    """

    __slots__ = ("_lean", "_team")

    def __init__(self, frame: pd.DataFrame, team: Team) -> None:
        """Validate ``frame`` into a log, exactly as [`from_frame()`][ettervern.TimeLog.from_frame]
        does.

        Raises:
            TimeLogError: on the first bad row, naming the row, the column and the rule.
        """
        good, problems = validate_frame(frame, team)
        if len(problems):
            first = problems.iloc[0]
            raise TimeLogError(
                row=first["row"],
                column=str(first["column"]),
                value=first["value"],
                reason=first["reason"],
                count=len(problems),
                rule=rule_of(first["reason"], str(first["column"])),
            )
        self._lean = lean(good, team)
        self._team = team

    @classmethod
    def _of_valid(cls, frame: pd.DataFrame, team: Team) -> TimeLog:
        """A log of a frame already validated and in the schema (``validate_frame``'s good rows,
        or such frames joined by ``join_frames``), not validated again: the path of a reader
        that reports bad rows instead of raising, and of joining logs."""
        return cls._of_lean(lean(frame, team), team)

    @classmethod
    def _of_lean(cls, lean: pd.DataFrame, team: Team) -> TimeLog:
        """A log of lean storage taken from another log of ``team`` (a subset, a join)."""
        log = cls.__new__(cls)
        log._lean = lean
        log._team = team
        return log

    # -- building -------------------------------------------------------------------------

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, team: Team) -> TimeLog:
        """Validate ``frame`` (the schema's columns; ``staff`` optional) into a log; the same as
        ``TimeLog(frame, team)``.

        Raises:
            TimeLogError: on the first bad row, naming the row, the column and the rule.
        """
        return cls(frame, team)

    @classmethod
    def from_entries(cls, entries: Iterable[TimeEntry], *, team: Team) -> TimeLog:
        """Validate ``entries`` into a log."""
        rows = [
            {
                "case": None if e.case is None else str(e.case),
                "date": pd.Timestamp(e.date),
                "municipality": e.place,
                "category": e.category.key,
                "hours": e.hours,
                "staff": e.staff,
            }
            for e in entries
        ]
        return cls(pd.DataFrame(rows, columns=list(COLUMNS)), team)

    @classmethod
    def empty(cls, team: Team) -> TimeLog:
        """A log with no entries."""
        return cls(pd.DataFrame(columns=list(COLUMNS)), team)

    # -- reading --------------------------------------------------------------------------

    @property
    def team(self) -> Team:
        """The team whose log this is."""
        return self._team

    def to_frame(self, copy: bool = True) -> pd.DataFrame:
        """The entries as a DataFrame in the documented schema.

        The frame is built from the lean storage at each call, so it is always a new frame;
        ``copy`` is kept for compatibility (``copy=False`` once shared memory with the log).
        """
        return schema_of(self._lean, self._team)

    def __len__(self) -> int:
        return len(self._lean)

    def __iter__(self) -> Iterator[TimeEntry]:
        team = self._team
        places: dict[str, Municipality | Bucket] = {b.value: b for b in Bucket}
        places.update({m.municipality.name: m.member for m in team.members})
        categories = {c.key: c for c in team.categories}
        codes: dict[str, CaseCode] = {}
        frame = self.to_frame()
        for case, date, place, category, hours, staff in frame.itertuples(index=False):
            code = None
            if isinstance(case, str):
                code = codes.get(case) or codes.setdefault(case, team.code_scheme.parse(case))
            yield TimeEntry(
                date=date.date(),
                municipality=places[place],
                category=categories[category],
                hours=float(hours),
                case=code,
                staff=int(staff),
            )

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, TimeLog):
            return NotImplemented
        return self._team == other._team and self.to_frame().equals(other.to_frame())

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        if not len(self):
            return f"<TimeLog of {self._team.name!r}: no entries>"
        days = self._lean["day"]
        first, last = (EPOCH + dt.timedelta(days=int(d)) for d in (days.min(), days.max()))
        return (
            f"<TimeLog of {self._team.name!r}: {len(self)} entries, "
            f"{first:%Y-%m-%d} to {last:%Y-%m-%d}, {self.total_hours:g} hours>"
        )

    def to_html(self, locale: str | None = None) -> str:
        """A notebook's view: the team, how many entries over which dates, and the first rows."""
        team = html.escape(self._team.name)
        if not len(self):
            return f"<p><strong>{team}</strong></p>"
        days = self._lean["day"]
        summary = Message.plural_of(
            "{count} entry from {start} to {end}",
            "{count} entries from {start} to {end}",
            by="count",
            count=len(self),
            start=EPOCH + dt.timedelta(days=int(days.min())),
            end=EPOCH + dt.timedelta(days=int(days.max())),
        ).render(locale)
        hours = f"{format_number(self.total_hours, locale)} {translate('hours', locale)}"
        preview = _preview(schema_of(self._lean.head(5), self._team), self._team, locale)
        return f"<p><strong>{team}</strong>: {html.escape(summary)}, {hours}</p>{preview}"

    def _repr_html_(self) -> str:
        return self.to_html()

    @property
    def nbytes(self) -> int:
        """The bytes the log's entries take in memory (codes, numbers and the categories)."""
        return int(self._lean.memory_usage(index=False, deep=True).sum())

    @property
    def total_hours(self) -> float:
        """The sum of the hours of every entry: exact, added up in whole time units (half
        hours in Salten) and divided once, so it never drifts however many entries."""
        units = int(self._lean["units"].to_numpy().sum(dtype="int64"))
        return units * unit_minutes(self._team) / 60

    # -- selecting ------------------------------------------------------------------------

    def _subset(self, mask: Any) -> TimeLog:
        chosen = self._lean[np.asarray(mask, dtype=bool)].reset_index(drop=True)
        return TimeLog._of_lean(chosen, self._team)

    def between(self, start: dt.date, end: dt.date) -> TimeLog:
        """The entries dated from ``start`` to ``end``, both included."""
        days = self._lean["day"]
        return self._subset((days >= day_number(start)) & (days <= day_number(end)))

    def in_year(self, year: int) -> TimeLog:
        """The entries of one calendar year."""
        return self.between(dt.date(year, 1, 1), dt.date(year, 12, 31))

    def for_municipality(self, *queries: str | Municipality | Bucket) -> TimeLog:
        """The entries logged to these municipalities or buckets (number, name, code letters)."""
        names = []
        for query in queries:
            if isinstance(query, Bucket):
                names.append(query.value)
                continue
            bucket = Bucket.parse(query) if isinstance(query, str) else None
            names.append(bucket.value if bucket else self._team.municipality(query).name)
        return self._subset(self._lean["municipality"].isin(names))

    def for_category(self, *queries: str | int | Category | ReportGroup) -> TimeLog:
        """The entries of these categories (key, number, name) or report groups."""
        keys: list[str] = []
        for query in queries:
            if isinstance(query, ReportGroup):
                keys += [c.key for c in self._team.categories.in_group(query)]
            else:
                keys.append(self._team.categories.get(query).key)
        return self._subset(self._lean["category"].isin(keys))

    def for_case(self, *codes: str | CaseCode) -> TimeLog:
        """The entries of these cases."""
        texts = [
            str(c if isinstance(c, CaseCode) else self._team.code_scheme.parse(c)) for c in codes
        ]
        return self._subset(self._lean["case"].isin(texts))

    def contact_days(
        self, *queries: str | int | Category | ReportGroup
    ) -> dict[str, list[dt.date]]:
        """The days of contact with each case: case code → the sorted days it has entries in
        the categories that count as contact (these categories or report groups; by default
        the group ``user_follow_up``, direct follow-up of the person). Shared time (no case)
        and the other categories (driving, collaboration, no-shows) are no contact with the
        person. For the gap-in-contact warning of [`due_list()`][ettervern.due_list]."""
        chosen = self.for_category(*(queries or (ReportGroup.USER_FOLLOW_UP,)))
        frame = chosen.to_frame(copy=False)
        frame = frame[frame["case"].notna()]
        found: dict[str, set[dt.date]] = {}
        for code, day in zip(frame["case"].astype(str), frame["date"].dt.date, strict=True):
            found.setdefault(code, set()).add(day)
        return {code: sorted(days) for code, days in found.items()}

    def duplicates(self) -> pd.DataFrame:
        """Entries that appear more than once (every column equal), with their positions.

        Two equal rows are often a double registration; they are kept in the log (two visits on
        one day are possible), and this lists them for a person to check.
        """
        mask = self._lean.duplicated(keep=False).to_numpy()
        frame = schema_of(self._lean[mask], self._team)
        frame.index = self._lean.index[mask]
        return frame.sort_values(list(COLUMNS[:4])).rename_axis("position")

    def concat(self, *others: TimeLog) -> TimeLog:
        """This log followed by ``others`` (all of the same team)."""
        for other in others:
            if other._team != self._team:
                msg = Message(
                    "cannot join logs of different teams: {one!r} and {other!r}",
                    one=self._team.name,
                    other=other._team.name,
                )
                raise InvalidValueError(msg, field="team", value=other._team.name)
        frames = [log.to_frame() for log in (self, *others)]
        return TimeLog._of_valid(join_frames(frames, self._team), self._team)

    def __add__(self, other: TimeLog) -> TimeLog:
        return self.concat(other)


def log_codes(log: TimeLog) -> pd.DataFrame:
    """The log's entries on the integer codes it keeps (``_schema.code_frame``: day numbers,
    its categorical columns, hours, staff), for the reports that read entries: no frame of
    dates per entry is built."""
    return code_frame(log._lean, log._team)


def month_summary(log: TimeLog, period: tuple[dt.date, dt.date]) -> pd.DataFrame:
    """One row per (municipality, category, month) of ``period`` that has entries: the hours,
    the staff hours and the number of entries.

    Grouped on the integer codes the log keeps (day numbers, the codes of its categorical
    columns, whole time units): one key per entry, made finer by its staff count, and two
    ``numpy.bincount`` (entries, units); the staff hours are the small result's units times
    its staff counts. No frame of dates per entry, and a cost per entry that stays flat however
    many entries the log holds. Hours are whole units added exactly and divided once. Rows
    come in the order of the municipality's and the category's codes, then the month.
    """
    lean = log._lean
    start, end = period
    first, last = day_number(start), day_number(end)
    day = lean["day"].to_numpy()
    inside = (day >= first) & (day <= last)
    whole = bool(inside.all())
    place = lean["municipality"].array
    category = lean["category"].array
    months = pd.period_range(start, end, freq="M")

    def kept(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
        return values if whole else values[inside]

    staff = kept(lean["staff"].to_numpy())
    low = int(staff.min()) if len(staff) else 0
    heads = int(staff.max()) - low + 1 if len(staff) else 1
    key = _month_keys(
        (kept(place.codes), kept(category.codes), kept(day) - first),
        len(category.categories),
        (first, last),
    ).astype(np.intp)
    key *= heads
    key += staff - low
    size = len(place.categories) * len(category.categories) * len(months) * heads
    fine_entries = np.bincount(key, minlength=size).reshape(-1, heads)
    units = kept(lean["units"].to_numpy())
    fine_units = np.bincount(key, weights=units, minlength=size).reshape(-1, heads)
    entries = fine_entries.sum(axis=1)
    found = np.flatnonzero(entries)
    scale = unit_minutes(log._team) / 60
    hours = fine_units.sum(axis=1)[found] * scale
    heads_of = np.arange(low, low + heads, dtype="float64")
    staff_hours = (fine_units[found] * heads_of).sum(axis=1) * scale
    cell, month = np.divmod(found, len(months))
    place_code, category_code = np.divmod(cell, len(category.categories))
    first_month = np.datetime64(start, "M")
    return pd.DataFrame(
        {
            "municipality": pd.Categorical.from_codes(place_code, dtype=place.dtype),
            "category": pd.Categorical.from_codes(category_code, dtype=category.dtype),
            "date": (first_month + month).astype("datetime64[s]"),
            "hours": hours,
            "staff_hours": staff_hours,
            "entries": entries[found].astype("int64"),
        }
    )


def _month_keys(
    codes: tuple[np.ndarray[Any, Any], np.ndarray[Any, Any], np.ndarray[Any, Any]],
    categories: int,
    days: tuple[int, int],
) -> np.ndarray[Any, Any]:
    """One ``int32`` key per entry for its (municipality, category, month), from the codes of
    its municipality and category and its day's offset from the period's first day."""
    place, category, offset = codes
    first, last = days
    # The month of each day of the period, counted from the period's first month.
    month_of_day = np.arange(first, last + 1).astype("datetime64[D]").astype("datetime64[M]")
    month_of_day = month_of_day.astype("int64")
    month_of_day = (month_of_day - month_of_day[0]).astype(np.int32)
    months = int(month_of_day[-1]) + 1
    key = place.astype(np.int32)
    key *= categories
    key += category
    key *= months
    key += month_of_day[offset]
    return key


def _preview(head: pd.DataFrame, team: Team, locale: str | None) -> str:
    """The first rows as an HTML table written the way ``locale`` writes them: its dates and
    numbers (``02.01.2020``, ``1,5``), the categories' and the shared bucket's names in its
    language, the column headers translated."""
    step = unit_minutes(team) / 60
    places = {b.value: Label(b.value, "bucket").render(locale) for b in Bucket}
    shown = pd.DataFrame(
        {
            "case": head["case"].astype("object").where(head["case"].notna(), ""),
            "date": [format_date(day.date(), locale) for day in head["date"]],
            "municipality": [places.get(str(m), str(m)) for m in head["municipality"]],
            "category": [_category_name(team, str(key), locale) for key in head["category"]],
            "hours": [format_number(h, locale, step=step) for h in head["hours"]],
            "staff": [format_number(n, locale) for n in head["staff"]],
        }
    )
    shown.columns = [Label(key, "column").render(locale) for key in shown.columns]
    return shown.to_html(index=False, border=0, na_rep="")


def _category_name(team: Team, key: str, locale: str | None) -> str:
    """A category's name in ``locale``; its key as logged when the team does not know it."""
    category = team.categories.find(key)
    return key if category is None else category.label().render(locale)
