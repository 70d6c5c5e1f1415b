"""The rules a row of the time log must keep, each checked on whole columns at once, and the
stable key of each rule (``TimeLogError.rule``)."""

from __future__ import annotations

import functools
from typing import Any

import numpy as np
import pandas as pd

from ettervern._core import Bucket, ReportGroup, Team
from ettervern._l10n import Label, Message, redact_value
from ettervern._timelog._columns import as_float, blank_cells
from ettervern._timelog._normalise import (
    ID_IN_CASE,
    NAME_IN_CASE,
    PERSONAL,
    code_parts,
    normalise_cases,
    normalise_categories,
    normalise_places,
)
from ettervern._timelog._schema import COLUMNS, in_schema
from ettervern.errors import InvalidValueError
from ettervern.privacy import HIDDEN

__all__ = ["NOT_A_DATE", "rule_of", "validate_frame"]

NOT_A_DATE = Message("missing or not a date")
"""The reason of a date cell that is empty or not a date (a reader may say more)."""


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
    return [
        *_in_use_rules(frame, team, day, category),
        *_membership_rules(frame, team, day, place),
        *_case_rules(
            frame,
            team,
            day=day,
            place=place,
            category=category,
            case=case,
            code_letters=code_letters,
        ),
    ]


def _in_use_rules(
    frame: pd.DataFrame, team: Team, day: pd.Series[Any], category: pd.Series[Any]
) -> list[pd.DataFrame]:
    """A category is logged only on the dates it is in use."""
    problems: list[pd.DataFrame] = []
    for cat in team.categories:
        rows = category.eq(cat.key).to_numpy()
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
    return problems


def _membership_rules(
    frame: pd.DataFrame, team: Team, day: pd.Series[Any], place: pd.Series[Any]
) -> list[pd.DataFrame]:
    """A member municipality is logged only on the dates it is a member."""
    problems: list[pd.DataFrame] = []
    for name, (since, until) in _lookups(team)[2].items():
        rows = place.eq(name).to_numpy()
        if since is not None:
            early = rows & (day < pd.Timestamp(since)).to_numpy()
            member_from = Message("{name} is a member only from {since}", name=name, since=since)
            problems.append(_problem(frame, early, "municipality", member_from))
        if until is not None:
            late = rows & (day > pd.Timestamp(until)).to_numpy()
            member_until = Message("{name} is a member only until {until}", name=name, until=until)
            problems.append(_problem(frame, late, "municipality", member_until))
    return problems


def _case_rules(
    frame: pd.DataFrame,
    team: Team,
    *,
    day: pd.Series[Any],
    place: pd.Series[Any],
    category: pd.Series[Any],
    case: pd.Series[Any],
    code_letters: dict[str, str],
) -> list[pd.DataFrame]:
    """A case against the entry: no case on shared work, the code's letters those of the
    entry's member, a case outside the members only for collaboration and driving, and the
    code's year not after the entry's date."""
    letters_to_name, name_to_letters, _ = _lookups(team)
    has_case = case.notna()
    shared = has_case & place.eq(Bucket.SHARED.value)
    shared_work = Message(
        "{shared} (shared work) entries carry no case", shared=Label(Bucket.SHARED.value, "bucket")
    )
    # Compare code letters through small integer ids: categoricals of different categories
    # cannot be compared directly, and object arrays would be slow.
    letter_id = {letters: float(i) for i, letters in enumerate(letters_to_name)}
    case_letters = as_float(case, {c: letter_id.get(x, np.nan) for c, x in code_letters.items()})
    own_letters = as_float(place, {n: letter_id[x] for n, x in name_to_letters.items()})
    unknown = has_case & case_letters.isna()
    wrong_place = has_case & ~unknown & own_letters.notna() & (case_letters != own_letters)
    may_be_outside = category.isin(
        [
            c.key
            for c in team.categories
            if c.in_group(ReportGroup.COLLABORATION) or c.in_group(ReportGroup.DRIVING)
        ]
    )
    outside = has_case & place.eq(Bucket.OTHER_MUNICIPALITIES.value) & ~may_be_outside
    only_some = Message(
        "only collaboration and driving for a case may be logged to {other}",
        other=Label(Bucket.OTHER_MUNICIPALITIES.value, "bucket"),
    )
    years = as_float(case, {c: float(code_parts(team, c)[1]) for c in code_letters})
    return [
        _problem(frame, shared.to_numpy(), "case", shared_work),
        _problem(frame, unknown.to_numpy(), "case", _LETTERS_UNKNOWN),
        _problem(frame, wrong_place.to_numpy(), "case", _LETTERS_MISMATCH),
        _problem(frame, outside.to_numpy(), "municipality", only_some),
        _problem(frame, (has_case & (years > day.dt.year)).to_numpy(), "case", _YEAR_AFTER),
    ]


_LETTERS_UNKNOWN = Message("the code's letters are not a member municipality's")
_LETTERS_MISMATCH = Message("the code's letters do not match the entry's municipality")
_YEAR_AFTER = Message("the case code's year is after the entry's date")


_RULE_KEYS = {
    NOT_A_DATE.template: "date",
    "not a date that can be read: {value!r}; write it like {example} or {iso}": "date",
    ID_IN_CASE.template: "national_id_in_case",
    NAME_IN_CASE: "name_in_case",
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
    _check_columns(frame)
    place, bad_place = normalise_places(frame["municipality"], team)
    category, bad_category = normalise_categories(frame["category"], team)
    case, case_reason, code_letters = normalise_cases(frame["case"], team)
    dates = pd.to_datetime(frame["date"], errors="coerce")
    hours = pd.to_numeric(frame["hours"], errors="coerce")
    staff = (
        pd.to_numeric(frame["staff"], errors="coerce")
        if "staff" in frame
        else pd.Series(np.nan, index=frame.index)
    ).fillna(team.staff_per_case)
    day = dates.dt.normalize()
    # In the order a row's first broken rule is reported.
    found = _first_per_row(
        [
            _refused_cases(frame, case_reason),
            *_date_rules(frame, dates, team),
            *_place_and_category_rules(frame, team, bad_place, bad_category),
            *_hours_and_staff_rules(frame, team, hours, staff),
            *_cross_rules(
                frame,
                team,
                day=day,
                place=place,
                category=category,
                case=case,
                code_letters=code_letters,
            ),
        ]
    )
    bad = np.zeros(len(frame), dtype=bool)
    if len(found):  # a hash lookup of the whole index only when some row is bad
        bad = frame.index.isin(found["row"])
    good = pd.DataFrame(
        {
            "case": case[~bad],
            "date": day[~bad],
            "municipality": place[~bad],
            "category": category[~bad],
            "hours": hours[~bad].astype("float64"),
            "staff": staff[~bad].astype("int64"),
        }
    )
    return in_schema(good, team), found.reset_index(drop=True)


def _check_columns(frame: pd.DataFrame) -> None:
    """Refuse a frame without the log's five columns (``staff`` may be left out)."""
    missing = [c for c in COLUMNS if c not in frame.columns and c != "staff"]
    if missing:
        msg = Message(
            "the time log needs the columns {needed!r}; missing: {missing!r}",
            needed=COLUMNS[:5],
            missing=missing,
        )
        raise InvalidValueError(msg, field="columns", value=list(frame.columns))


def _first_per_row(problems: list[pd.DataFrame]) -> pd.DataFrame:
    """The problems as one frame, with only the first of each row."""
    return pd.concat(
        [
            pd.DataFrame(columns=["row", "column", "value", "reason"]),
            *(p for p in problems if len(p)),
        ],
        ignore_index=True,
    ).drop_duplicates(subset="row", keep="first")


def _refused_cases(frame: pd.DataFrame, case_reason: pd.Series[Any]) -> pd.DataFrame:
    """The case cells refused, with their reasons; a value that looks like personal data (an
    identity number, a name) is never echoed."""
    refused = case_reason.notna().to_numpy()
    if not refused.any():
        return _NO_PROBLEMS
    reasons = case_reason[refused].to_numpy(dtype=object)
    shown = np.array(frame["case"][refused].astype(object), dtype=object)
    personal = np.array([reason.template in PERSONAL for reason in reasons], dtype=bool)
    shown[personal] = HIDDEN
    return pd.DataFrame(
        {"row": frame.index[refused], "column": "case", "value": shown, "reason": reasons}
    )


def _date_rules(frame: pd.DataFrame, dates: pd.Series[Any], team: Team) -> list[pd.DataFrame]:
    """A date, and one within the team's plausible dates."""
    earliest, latest = team.plausible_dates
    outside = (dates < pd.Timestamp(earliest)) | (dates > pd.Timestamp(latest))
    implausible = Message(
        "the date lies outside the team's plausible dates, {earliest} to {latest}",
        earliest=earliest,
        latest=latest,
    )
    return [
        _problem(frame, dates.isna(), "date", NOT_A_DATE),
        _problem(frame, outside, "date", implausible),
    ]


def _place_and_category_rules(
    frame: pd.DataFrame, team: Team, bad_place: pd.Series[bool], bad_category: pd.Series[bool]
) -> list[pd.DataFrame]:
    """A municipality the team knows, and a category of its catalog."""
    known = [m.municipality.name for m in team.members] + [Label(b.value, "bucket") for b in Bucket]
    not_known = Message(
        "not a member municipality or bucket of the team; known: {known}", known=known
    )
    return [
        _problem(
            frame,
            blank_cells(frame["municipality"]),
            "municipality",
            Message("missing municipality"),
        ),
        _problem(frame, bad_place, "municipality", not_known),
        _problem(frame, blank_cells(frame["category"]), "category", Message("missing category")),
        _problem(frame, bad_category, "category", Message("not a category in the team's catalog")),
    ]


def _hours_and_staff_rules(
    frame: pd.DataFrame, team: Team, hours: pd.Series[Any], staff: pd.Series[Any]
) -> list[pd.DataFrame]:
    """Hours above 0, at most the team's most, in steps of its unit; staff a whole number."""
    most, step = team.max_hours_per_entry, team.time_resolution
    off_step = (hours / step - np.round(hours / step)).abs() > 1e-9
    too_many = Message(
        "hours must be at most {most} per entry (the team's max_hours_per_entry)", most=most
    )
    return [
        _problem(frame, hours.isna(), "hours", Message("missing or not a number of hours")),
        _problem(frame, hours <= 0, "hours", Message("hours must be more than 0")),
        _problem(frame, hours > most, "hours", too_many),
        _problem(
            frame,
            off_step & (hours > 0),
            "hours",
            Message("hours must be in steps of {step} hours", step=step),
        ),
        _problem(
            frame,
            (staff < 1) | (staff != np.round(staff)) | staff.isna(),
            "staff",
            Message("staff must be a whole number from 1"),
            values=staff,
        ),
    ]
