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
    case_letters = as_float(case, {c: letter_id.get(x, np.nan) for c, x in code_letters.items()})
    own_letters = as_float(place, {n: letter_id[x] for n, x in name_to_letters.items()})
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
    code_years = {text: code_parts(team, text)[1] for text in code_letters}
    years = as_float(case, {c: float(y) for c, y in code_years.items()})
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
    missing = [c for c in COLUMNS if c not in frame.columns and c != "staff"]
    if missing:
        msg = Message(
            "the time log needs the columns {needed!r}; missing: {missing!r}",
            needed=COLUMNS[:5],
            missing=missing,
        )
        raise InvalidValueError(msg, field="columns", value=list(frame.columns))
    problems: list[pd.DataFrame] = []
    place, bad_place = normalise_places(frame["municipality"], team)
    category, bad_category = normalise_categories(frame["category"], team)
    case, case_reason, code_letters = normalise_cases(frame["case"], team)
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
        personal = np.array([reason.template in PERSONAL for reason in reasons], dtype=bool)
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
    return in_schema(good, team), found.reset_index(drop=True)
