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
import functools
import html
import re
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Any

import attrs
import numpy as np
import pandas as pd
from pandas.api.types import union_categoricals

from ettervern._core import (
    Bucket,
    CaseCode,
    Category,
    Municipality,
    ReportGroup,
    Team,
    at_least,
    text_cache,
)
from ettervern._l10n import N_, Label, Message, format_number, redact_value, translate
from ettervern._timelog._places import historical_place
from ettervern.errors import EttervernError, InvalidValueError, TimeLogError
from ettervern.privacy import HIDDEN, looks_like_national_id

__all__ = [
    "COLUMNS",
    "NOT_A_DATE",
    "TimeEntry",
    "TimeLog",
    "blank_cells",
    "factorize",
    "join_frames",
    "rule_of",
    "validate_frame",
]

COLUMNS = ("case", "date", "municipality", "category", "hours", "staff")
"""The columns of [`TimeLog.to_frame()`][ettervern.TimeLog.to_frame], in order."""


def _day(value: dt.datetime | dt.date) -> dt.date:
    """A date: a datetime (or a pandas Timestamp) loses its time of day."""
    return value.date() if isinstance(value, dt.datetime) else value


@attrs.frozen
class TimeEntry:
    """One row of the time log (registrering): which case, when, where, what, how long, how many.

    ``case`` is ``None`` for work that is not about one person (*Felles*, or a member's services
    in general); ``municipality`` is a member municipality or one of the two buckets (*Andre
    kommuner*, *Felles*); ``staff`` is how many staff took part (the team's staff per case — two
    in Salten — unless the sheet says otherwise). The entry checks only what it can know alone;
    the rules that need the team (membership on the date, the catalog, half-hour steps) are
    checked when entries become a [`TimeLog`][ettervern.TimeLog].
    """

    case: CaseCode | None
    date: dt.date = attrs.field(converter=_day, validator=attrs.validators.instance_of(dt.date))
    municipality: Municipality | Bucket
    category: Category
    hours: float = attrs.field(converter=float, validator=at_least(0, strictly=True))
    staff: int = attrs.field(validator=[attrs.validators.instance_of(int), at_least(1)])

    @property
    def place(self) -> str:
        """The municipality's name or the bucket's label, as the log's column holds it."""
        return (
            self.municipality.value
            if isinstance(self.municipality, Bucket)
            else self.municipality.name
        )


_NO_PROBLEMS = pd.DataFrame(columns=["row", "column", "value", "reason"])
"""Shared by every rule that finds nothing (building an empty frame per rule costs time)."""


def _problem(
    frame: pd.DataFrame, mask: Any, column: str, reason: Message, values: Any = None
) -> pd.DataFrame:
    """Rows of ``frame`` where ``mask`` holds, as problems with one reason."""
    mask = np.asarray(mask, dtype=bool)
    if not mask.any():
        return _NO_PROBLEMS
    source = frame[column] if values is None else pd.Series(values, index=frame.index)
    shown = np.array(
        [redact_value(v, HIDDEN) for v in source[mask].astype(object).to_numpy()], dtype=object
    )
    return pd.DataFrame(
        {"row": frame.index[mask], "column": column, "value": shown, "reason": reason}
    )


@functools.lru_cache(maxsize=64)  # by team: a service may read many teams' files
def _lookups(team: Team) -> tuple[dict[str, str], dict[str, str], dict[str, tuple[Any, Any]]]:
    letters = {m.letters: m.municipality.name for m in team.members}
    member_letters = {m.municipality.name: m.letters for m in team.members}
    periods = {m.municipality.name: (m.since, m.until) for m in team.members}
    return letters, member_letters, periods


def _text(value: object) -> str:
    """A cell as text: stripped, and whole floats without ``.0`` (Excel gives 1.0 for 1)."""
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def factorize(values: pd.Series[Any]) -> tuple[np.ndarray[Any, Any], Sequence[Any]]:
    """(codes, distinct values) of a column, ``-1`` for missing.

    A categorical column already is that (its codes and categories, unused ones included), so it
    is not hashed again: the sheet reader gives every text column as categorical.
    """
    if isinstance(values.dtype, pd.CategoricalDtype):
        return values.cat.codes.to_numpy(), list(values.cat.categories)
    codes, uniques = pd.factorize(values, use_na_sentinel=True)
    return codes, list(uniques)


def map_unique(values: pd.Series[Any], function: Callable[[str], Any]) -> pd.Series[Any]:
    """Apply ``function`` once per distinct value (as text) and spread the results over the rows.

    Columns of a time log hold few distinct values (a dozen municipalities, ten categories, a
    few hundred codes), so this is how validation stays vectorised. Missing values give None.
    When every result is text (or None) the result is categorical, so later comparisons work on
    small integer codes instead of strings.
    """
    codes, uniques = factorize(values)
    results = [function(_text(unique)) for unique in uniques]
    if all(r is None or isinstance(r, str) for r in results):
        categories = list(dict.fromkeys(r for r in results if r is not None))
        position = {c: i for i, c in enumerate(categories)}
        lookup = np.array(
            [position[r] if r is not None else -1 for r in [*results, None]], dtype="int64"
        )
        categorical = pd.Categorical.from_codes(
            lookup[codes], dtype=pd.CategoricalDtype([str(c) for c in categories])
        )
        return pd.Series(categorical, index=values.index)
    spread = np.empty(len(results) + 1, dtype=object)
    spread[:-1] = results
    spread[-1] = None
    return pd.Series(spread[codes], index=values.index, dtype=object)


def blank_cells(values: pd.Series[Any]) -> np.ndarray[Any, np.dtype[np.bool_]]:
    """Where cells are empty: missing, or only spaces."""
    codes, uniques = factorize(values)
    empty = np.array([_text(u) in ("", "None", "nan", "NaT") for u in uniques] + [True], dtype=bool)
    found: np.ndarray[Any, np.dtype[np.bool_]] = empty[codes]
    return found


_PARTS = re.compile(r"\s+[-–—/]\s+|\s*/\s*")


@text_cache(maxsize=4096)
def _place(team: Team, text: str) -> str | None:
    bucket = Bucket.parse(text)
    if bucket is not None:
        return bucket.value
    try:
        return team.membership(text).municipality.name
    except EttervernError:
        pass
    # Both names in the other order (``Hamarøy - Hábmer`` for the register's ``Hábmer -
    # Hamarøy``): accept it when every part names the same member.
    found = {_place(team, part) for part in _PARTS.split(text) if part and part != text}
    if len(found) == 1 and None not in found:
        return found.pop()
    old = historical_place(team, text)  # Tysfjord, Finnøy: mapped to today's member
    return None if old is None else old[0]


def _normalise_places(values: pd.Series[Any], team: Team) -> tuple[pd.Series[Any], pd.Series[bool]]:
    """Canonical municipality names or bucket labels, and where the text named nothing known."""
    names = map_unique(values, lambda text: _place(team, text) if text else None)
    return names, names.isna() & ~blank_cells(values)


def _normalise_categories(
    values: pd.Series[Any], team: Team
) -> tuple[pd.Series[Any], pd.Series[bool]]:
    def key(text: str) -> str | None:
        if re.fullmatch(r"\d+\.0+", text):  # a category number written by a spreadsheet
            text = text.split(".", maxsplit=1)[0]
        found = team.categories.find(text) if text else None
        return found.key if found is not None else None

    keys = map_unique(values, key)
    return keys, keys.isna() & ~blank_cells(values)


NOT_A_DATE = Message("missing or not a date")
"""The reason of a date cell that is empty or not a date (a reader may say more)."""
_ID_IN_CASE = Message(
    "looks like a national identity number: personal data is not allowed in the case column"
)
_NAME_IN_CASE = N_("looks like a name, not a case code; use codes like {example!r}")
_PERSONAL = frozenset({_ID_IN_CASE.template, _NAME_IN_CASE})
"""The reasons whose value is personal data and is never shown."""


@text_cache(maxsize=65536)
def _case(team: Team, text: str) -> tuple[str | None, Message | None]:
    """(canonical code, reason it is refused) for one case cell."""
    if not text:
        return (None, None)
    if looks_like_national_id(text):
        return (None, _ID_IN_CASE)
    try:
        return (str(team.code_scheme.parse(text)), None)
    except EttervernError:
        if any(ch.isdigit() for ch in text):
            expected = team.code_scheme.describe()
            return (None, Message("not a case code; expected {expected}", expected=expected))
        return (None, Message(_NAME_IN_CASE, example=team.example_code))


@text_cache(maxsize=65536)
def _code_parts(team: Team, text: str) -> tuple[str, int]:
    """The municipality letters and the year of a valid case code."""
    code = team.code_scheme.parse(text)
    return code.municipality, code.year


def _normalise_cases(
    values: pd.Series[Any], team: Team
) -> tuple[pd.Series[Any], pd.Series[Any], dict[str, str]]:
    """Canonical code texts (missing for none), a reason per bad value, and letters per code."""
    canonical = map_unique(values, lambda text: _case(team, text)[0])
    reasons = map_unique(values, lambda text: _case(team, text)[1])
    letters = {code: _code_parts(team, code)[0] for code in canonical.cat.categories}
    return canonical, reasons, letters


def _as_float(values: pd.Series[Any], mapping: dict[str, float]) -> pd.Series[float]:
    """Map each value through ``mapping`` to a float (NaN where missing or unmapped)."""
    codes, uniques = factorize(values)
    lookup = np.array([mapping.get(str(u), np.nan) for u in uniques] + [np.nan], dtype="float64")
    return pd.Series(lookup[codes], index=values.index)


def _cross_rules(
    frame: pd.DataFrame,
    team: Team,
    *,
    day: pd.Series[Any],
    place: pd.Series[Any],
    category: pd.Series[Any],
    case: pd.Series[Any],
    code_letters: dict[str, str],
) -> list[pd.DataFrame]:
    """The rules between columns: validity on the date, membership, and case against place."""
    problems: list[pd.DataFrame] = []
    categories = {c.key: c for c in team.categories}
    letters_to_name, name_to_letters, periods = _lookups(team)
    for key, cat in categories.items():
        rows = category.eq(key).to_numpy()
        out_of_use = Message(
            "{category} is in use only {valid}",
            category=cat.label(),
            valid=cat.describe_validity(),
        )
        if cat.valid_from is not None:
            early = rows & (day < pd.Timestamp(cat.valid_from)).to_numpy()
            problems.append(_problem(frame, early, "category", out_of_use))
        if cat.valid_until is not None:
            late = rows & (day > pd.Timestamp(cat.valid_until)).to_numpy()
            problems.append(_problem(frame, late, "category", out_of_use))
    for name, (since, until) in periods.items():
        rows = place.eq(name).to_numpy()
        if since is not None:
            problems.append(
                _problem(
                    frame,
                    rows & (day < pd.Timestamp(since)).to_numpy(),
                    "municipality",
                    Message("{name} is a member only from {since}", name=name, since=since),
                )
            )
        if until is not None:
            problems.append(
                _problem(
                    frame,
                    rows & (day > pd.Timestamp(until)).to_numpy(),
                    "municipality",
                    Message("{name} is a member only until {until}", name=name, until=until),
                )
            )
    has_case = case.notna()
    shared = place.eq(Bucket.SHARED.value)
    problems.append(
        _problem(
            frame,
            (shared & has_case).to_numpy(),
            "case",
            Message(
                "{shared} (shared work) entries carry no case",
                shared=Label(Bucket.SHARED.value, "bucket"),
            ),
        )
    )
    # Compare code letters through small integer ids: categoricals of different categories
    # cannot be compared directly, and object arrays would be slow.
    letter_id = {letters: float(i) for i, letters in enumerate(letters_to_name)}
    case_letters = _as_float(case, {c: letter_id.get(x, np.nan) for c, x in code_letters.items()})
    own_letters = _as_float(place, {n: letter_id[x] for n, x in name_to_letters.items()})
    outside = place.eq(Bucket.OTHER_MUNICIPALITIES.value)
    may_be_outside = category.isin(
        [
            c.key
            for c in team.categories
            if c.in_group(ReportGroup.COLLABORATION) or c.in_group(ReportGroup.DRIVING)
        ]
    )
    unknown_letters = has_case & case_letters.isna()
    problems.append(
        _problem(
            frame,
            unknown_letters.to_numpy(),
            "case",
            Message("the code's letters are not a member municipality's"),
        )
    )
    wrong_place = has_case & ~unknown_letters & own_letters.notna() & (case_letters != own_letters)
    problems.append(
        _problem(
            frame,
            wrong_place.to_numpy(),
            "case",
            Message("the code's letters do not match the entry's municipality"),
        )
    )
    problems.append(
        _problem(
            frame,
            (has_case & outside & ~may_be_outside).to_numpy(),
            "municipality",
            Message(
                "only collaboration and driving for a case may be logged to {other}",
                other=Label(Bucket.OTHER_MUNICIPALITIES.value, "bucket"),
            ),
        )
    )
    code_years = {text: _code_parts(team, text)[1] for text in code_letters}
    years = _as_float(case, {c: float(y) for c, y in code_years.items()})
    problems.append(
        _problem(
            frame,
            (has_case & (years > day.dt.year)).to_numpy(),
            "case",
            Message("the case code's year is after the entry's date"),
        )
    )
    return problems


_RULE_KEYS = {
    NOT_A_DATE.template: "date",
    "not a date that can be read: {value!r}; write it like {example} or {iso}": "date",
    _ID_IN_CASE.template: "national_id_in_case",
    _NAME_IN_CASE: "name_in_case",
    "not a case code; expected {expected}": "case_code",
    "missing municipality": "municipality_missing",
    "not a member municipality or bucket of the team; known: {known}": "not_a_member",
    "missing category": "category_missing",
    "not a category in the team's catalog": "unknown_category",
    "missing or not a number of hours": "hours_missing",
    "hours must be more than 0": "hours_not_positive",
    "hours must be in steps of {step} hours": "hours_step",
    "hours must be at most {most} per entry (the team's max_hours_per_entry)": "hours_too_many",
    "the date lies outside the team's plausible dates, {earliest} to {latest}": "date_implausible",
    "staff must be a whole number from 1": "staff",
    "{category} is in use only {valid}": "category_not_in_use",
    "{name} is a member only from {since}": "membership_period",
    "{name} is a member only until {until}": "membership_period",
    "{shared} (shared work) entries carry no case": "shared_with_case",
    "the code's letters are not a member municipality's": "code_letters_unknown",
    "the code's letters do not match the entry's municipality": "code_letters_mismatch",
    "only collaboration and driving for a case may be logged to {other}": "outside_category",
    "the case code's year is after the entry's date": "code_year_after_date",
}
"""The stable key of each rule a row can break, by the template of its reason."""


def rule_of(reason: Message, column: str) -> str:
    """The stable key of the rule behind ``reason`` ([`TimeLogError.rule`][ettervern.errors.TimeLogError]); the column's
    name for a reason without its own key."""
    return _RULE_KEYS.get(reason.template, column)


def validate_frame(frame: pd.DataFrame, team: Team) -> tuple[pd.DataFrame, pd.DataFrame]:
    """Check and normalise a frame with the log's columns; return (good rows, problems).

    The input may hold text or numbers for municipality and category (names in any case and
    spacing, category numbers), codes as text, dates as datetimes, hours as numbers, staff as
    numbers or missing. The good rows come back in the log's schema; each bad row appears once in
    the problems (``row``: the input index, ``column``, ``value``, ``reason``) with the first
    rule it breaks.
    """
    missing = [c for c in COLUMNS if c not in frame.columns and c != "staff"]
    if missing:
        msg = Message(
            "the time log needs the columns {needed!r}; missing: {missing!r}",
            needed=COLUMNS[:5],
            missing=missing,
        )
        raise InvalidValueError(msg, field="columns", value=list(frame.columns))
    problems: list[pd.DataFrame] = []
    place, bad_place = _normalise_places(frame["municipality"], team)
    category, bad_category = _normalise_categories(frame["category"], team)
    case, case_reason, code_letters = _normalise_cases(frame["case"], team)
    dates = pd.to_datetime(frame["date"], errors="coerce")
    hours = pd.to_numeric(frame["hours"], errors="coerce")
    staff = (
        pd.to_numeric(frame["staff"], errors="coerce")
        if "staff" in frame
        else pd.Series(np.nan, index=frame.index)
    )
    staff = staff.fillna(team.staff_per_case)

    # A value that looks like personal data (an identity number, a name) is never echoed.
    refused = case_reason.notna().to_numpy()
    if refused.any():
        reasons = case_reason[refused].to_numpy(dtype=object)
        shown = np.array(frame["case"][refused].astype(object), dtype=object)
        personal = np.array([reason.template in _PERSONAL for reason in reasons], dtype=bool)
        shown[personal] = HIDDEN
        problems.append(
            pd.DataFrame(
                {"row": frame.index[refused], "column": "case", "value": shown, "reason": reasons}
            )
        )
    problems.append(_problem(frame, dates.isna(), "date", NOT_A_DATE))
    earliest, latest = team.plausible_dates
    outside = (dates < pd.Timestamp(earliest)) | (dates > pd.Timestamp(latest))
    problems.append(
        _problem(
            frame,
            outside,
            "date",
            Message(
                "the date lies outside the team's plausible dates, {earliest} to {latest}",
                earliest=earliest,
                latest=latest,
            ),
        )
    )
    problems.append(
        _problem(
            frame,
            blank_cells(frame["municipality"]),
            "municipality",
            Message("missing municipality"),
        )
    )
    known = [m.municipality.name for m in team.members] + [Label(b.value, "bucket") for b in Bucket]
    problems.append(
        _problem(
            frame,
            bad_place,
            "municipality",
            Message("not a member municipality or bucket of the team; known: {known}", known=known),
        )
    )
    problems.append(
        _problem(frame, blank_cells(frame["category"]), "category", Message("missing category"))
    )
    problems.append(
        _problem(frame, bad_category, "category", Message("not a category in the team's catalog"))
    )
    problems.append(
        _problem(frame, hours.isna(), "hours", Message("missing or not a number of hours"))
    )
    problems.append(_problem(frame, hours <= 0, "hours", Message("hours must be more than 0")))
    most = team.max_hours_per_entry
    problems.append(
        _problem(
            frame,
            hours > most,
            "hours",
            Message(
                "hours must be at most {most} per entry (the team's max_hours_per_entry)", most=most
            ),
        )
    )
    step = team.time_resolution
    off_step = (hours / step - np.round(hours / step)).abs() > 1e-9
    problems.append(
        _problem(
            frame,
            off_step & (hours > 0),
            "hours",
            Message("hours must be in steps of {step} hours", step=step),
        )
    )
    problems.append(
        _problem(
            frame,
            (staff < 1) | (staff != np.round(staff)) | staff.isna(),
            "staff",
            Message("staff must be a whole number from 1"),
            values=staff,
        )
    )

    problems += _cross_rules(
        frame,
        team,
        day=dates.dt.normalize(),
        place=place,
        category=category,
        case=case,
        code_letters=code_letters,
    )
    found = pd.concat(
        [
            pd.DataFrame(columns=["row", "column", "value", "reason"]),
            *(p for p in problems if len(p)),
        ],
        ignore_index=True,
    ).drop_duplicates(subset="row", keep="first")
    bad = np.zeros(len(frame), dtype=bool)
    if len(found):  # a hash lookup of the whole index only when some row is bad
        bad = frame.index.isin(found["row"])
    good = pd.DataFrame(
        {
            "case": case[~bad],
            "date": dates.dt.normalize()[~bad],
            "municipality": place[~bad],
            "category": category[~bad],
            "hours": hours[~bad].astype("float64"),
            "staff": staff[~bad].astype("int64"),
        }
    )
    return _schema(good, team), found.reset_index(drop=True)


def _schema(frame: pd.DataFrame, team: Team) -> pd.DataFrame:
    """Give a normalised frame the log's dtypes: categoricals, datetime64, float, int."""
    places = [m.municipality.name for m in team.members] + [b.value for b in Bucket]
    case = frame["case"].astype("category")
    # Keep only the codes in use, sorted; counting the small codes beats hashing the values.
    used = np.bincount(case.cat.codes.to_numpy() + 1, minlength=len(case.cat.categories) + 1)[1:]
    in_use = case.cat.categories[used > 0]
    case = case.cat.set_categories(sorted(map(str, in_use)))
    return pd.DataFrame(
        {
            "case": case,
            "date": pd.to_datetime(frame["date"]).astype("datetime64[ns]"),
            "municipality": frame["municipality"].astype(pd.CategoricalDtype(places)),
            "category": frame["category"].astype(
                pd.CategoricalDtype([c.key for c in team.categories])
            ),
            "hours": frame["hours"].astype("float64"),
            "staff": frame["staff"].astype("int64"),
        },
    ).reset_index(drop=True)


def join_frames(frames: Sequence[pd.DataFrame], team: Team) -> pd.DataFrame:
    """Join frames in the log's schema (of one team) into one, keeping the schema.

    The case columns' categories are united without going back to text, so joining the blocks of
    a million-row import costs little more than copying them.
    """
    filled = [f for f in frames if len(f)]
    if not filled:
        return frames[0] if frames else _schema(pd.DataFrame(columns=list(COLUMNS)), team)
    if len(filled) == 1:
        return filled[0]
    try:
        case = union_categoricals([f["case"] for f in filled], sort_categories=True)
    except TypeError:  # categories of different dtypes: go through text
        case = pd.Categorical(pd.concat([f["case"].astype(object) for f in filled]))
        case = case.set_categories(sorted(map(str, case.categories)))
    joined = pd.concat([f.drop(columns="case") for f in filled], ignore_index=True)
    joined.insert(0, "case", pd.Series(case))
    return joined


_EPOCH = dt.date(1970, 1, 1)


def _day_number(day: dt.date) -> int:
    """Days since 1 January 1970, as the lean log stores dates."""
    return (day - _EPOCH).days


def _unit_minutes(team: Team) -> int:
    """The team's time unit in whole minutes (the team checks that it is whole minutes)."""
    return round(team.time_resolution * 60)


def _smallest_int(values: np.ndarray[Any, Any]) -> np.ndarray[Any, Any]:
    """Whole numbers in the smallest signed integer type that holds them all."""
    if not len(values):
        return values.astype("int8")
    low, high = int(values.min()), int(values.max())
    for kind in ("int8", "int16", "int32"):
        info = np.iinfo(kind)
        if info.min <= low and high <= info.max:
            return values.astype(kind)
    return values.astype("int64")


def _lean(frame: pd.DataFrame, team: Team) -> pd.DataFrame:
    """A frame in the log's schema, stored lean: day numbers, time units, small integers.

    The hours are validated to lie on the team's time unit, so the count of units is exact.
    """
    dates = frame["date"].to_numpy().astype("datetime64[D]").astype("int64")
    hours = frame["hours"].to_numpy(dtype="float64")
    units = np.rint(hours * 60 / _unit_minutes(team)).astype("int64")
    return pd.DataFrame(
        {
            "case": frame["case"].array,
            "day": dates.astype("int32"),
            "municipality": frame["municipality"].array,
            "category": frame["category"].array,
            "units": _smallest_int(units),
            "staff": _smallest_int(frame["staff"].to_numpy(dtype="int64")),
        },
        index=pd.RangeIndex(len(frame)),
    )


def _schema_of(lean: pd.DataFrame, team: Team) -> pd.DataFrame:
    """The documented schema built from the lean storage: the same values as were put in."""
    days = lean["day"].to_numpy().astype("int64").astype("datetime64[D]")
    return pd.DataFrame(
        {
            "case": lean["case"].array,
            "date": days.astype("datetime64[ns]"),
            "municipality": lean["municipality"].array,
            "category": lean["category"].array,
            "hours": lean["units"].to_numpy().astype("float64") * _unit_minutes(team) / 60,
            "staff": lean["staff"].to_numpy().astype("int64"),
        },
        index=pd.RangeIndex(len(lean)),
    )


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

    Build one with [`from_entries()`][ettervern.TimeLog.from_entries] or
    [`from_frame()`][ettervern.TimeLog.from_frame] (both validate and raise on a bad row), or read a
    sheet with [`read_timelog()`][ettervern.read_timelog] (which reports bad rows instead).

    Inside, the log is kept lean, about 11 bytes an entry instead of 28, so ten million entries
    fit in about 110 MB: dates as day numbers (``int32``), hours as a whole count of the team's
    time unit (half hours in Salten; ``int16``, exact, so totals have no float drift), staff as
    ``int8``, and the text columns as categorical codes. ``to_frame()`` builds the schema above
    from it.
    """

    __slots__ = ("_lean", "_team")

    def __init__(self, frame: pd.DataFrame, team: Team) -> None:
        # Private: the frame must already be validated and in the schema.
        self._lean = _lean(frame, team)
        self._team = team

    @classmethod
    def _of_lean(cls, lean: pd.DataFrame, team: Team) -> TimeLog:
        log = cls.__new__(cls)
        log._lean = lean
        log._team = team
        return log

    # -- building -------------------------------------------------------------------------

    @classmethod
    def from_frame(cls, frame: pd.DataFrame, *, team: Team) -> TimeLog:
        """Validate ``frame`` (the schema's columns; ``staff`` optional) into a log.

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
        return cls(good, team)

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
        return cls.from_frame(pd.DataFrame(rows, columns=list(COLUMNS)), team=team)

    @classmethod
    def empty(cls, team: Team) -> TimeLog:
        """A log with no entries."""
        return cls.from_frame(pd.DataFrame(columns=list(COLUMNS)), team=team)

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
        return _schema_of(self._lean, self._team)

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
        first, last = (_EPOCH + dt.timedelta(days=int(d)) for d in (days.min(), days.max()))
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
            start=_EPOCH + dt.timedelta(days=int(days.min())),
            end=_EPOCH + dt.timedelta(days=int(days.max())),
        ).render(locale)
        hours = f"{format_number(self.total_hours, locale)} {translate('hours', locale)}"
        preview = _schema_of(self._lean.head(5), self._team).to_html(
            index=False, border=0, na_rep=""
        )
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
        return units * _unit_minutes(self._team) / 60

    # -- selecting ------------------------------------------------------------------------

    def _subset(self, mask: Any) -> TimeLog:
        chosen = self._lean[np.asarray(mask, dtype=bool)].reset_index(drop=True)
        return TimeLog._of_lean(chosen, self._team)

    def between(self, start: dt.date, end: dt.date) -> TimeLog:
        """The entries dated from ``start`` to ``end``, both included."""
        days = self._lean["day"]
        return self._subset((days >= _day_number(start)) & (days <= _day_number(end)))

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

    def duplicates(self) -> pd.DataFrame:
        """Entries that appear more than once (every column equal), with their positions.

        Two equal rows are often a double registration; they are kept in the log (two visits on
        one day are possible), and this lists them for a person to check.
        """
        mask = self._lean.duplicated(keep=False).to_numpy()
        frame = _schema_of(self._lean[mask], self._team)
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
        return TimeLog(join_frames(frames, self._team), self._team)

    def __add__(self, other: TimeLog) -> TimeLog:
        return self.concat(other)


def concat_logs(logs: Sequence[TimeLog]) -> TimeLog:
    """Join several logs of one team into one."""
    if not logs:
        msg = Message("concat needs at least one log")
        raise InvalidValueError(msg, field="logs", value=logs)
    return logs[0].concat(*logs[1:])
