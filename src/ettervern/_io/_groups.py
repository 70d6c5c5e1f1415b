"""Group sessions read and written: an attendance sheet as teams keep it (one line per person
at a session: date, group offer, case code; several codes in one cell, separated by commas,
are several lines), and the group log as JSON.

A sheet is read whole: every line is accepted or rejected with its reason and rule (the rules of
``GROUP_RULES``, and the sheet's own: ``date``, ``case_missing``, ``code_scheme``, ``twice``),
nothing is dropped without a word. Names and identity numbers never come back in a reason.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import IO, Any

import attrs
import pandas as pd

from ettervern._core import Team
from ettervern._io._cells import as_typed, date_reason, parse_dates
from ettervern._io._csv import read_csv_blocks
from ettervern._io._limits import DEFAULT_LIMITS, open_within_limits
from ettervern._io._xlsx import read_xlsx
from ettervern._l10n import N_, Message, contains_identity, normalise_name, redact_value, translate
from ettervern._pathway import GROUP_RULES, Case, GroupLog, GroupSession, open_on
from ettervern._render import Formulas, csv_safe
from ettervern.errors import CaseCodeError, ConfigError
from ettervern.privacy import HIDDEN

__all__ = [
    "GROUP_FORMAT",
    "GroupImport",
    "check_lines",
    "group_log_from_json",
    "group_log_to_json",
    "read_group_sessions",
    "write_group_sessions",
]

GROUP_FORMAT = "ettervern-groups"
"""The ``format`` of a group log as JSON; its ``version`` is 1."""

HEADERS = {
    "date": ("dato", "date", "dag", "day"),
    "offer": ("tilbud", "tilbod", "gruppe", "gruppetilbud", "gruppetilbod", "offer", "group"),
    "case": ("sak", "saksnummer", "kode", "case", "code", "deltaker"),
}
"""The header names each column goes by (folded: case and spaces do not count)."""

SHEET_RULES = {
    "date": N_("not a date that can be read"),
    "case_missing": N_("no case code on the line"),
    "code_scheme": N_("{value!r} is not a case code in the team's scheme; expected {expected}"),
    "twice": N_("{case} is listed twice for the session on {date}"),
    "identity": N_("the cell looks like a national identity number, which must never name a case"),
}
"""The rules of the sheet itself, by key, beside the group log's own (``GROUP_RULES``)."""


@attrs.frozen
class Rejected:
    """One line of a sheet not taken: its row as the sheet shows it, the column at fault, the
    rule broken and why."""

    row: int
    column: str
    rule: str
    reason: Message


@attrs.frozen
class GroupImport:
    """What reading an attendance sheet gave: the sessions accepted, and every line refused."""

    accepted: GroupLog
    rejected: tuple[Rejected, ...]

    def rejected_in(self, locale: str | None = None) -> pd.DataFrame:
        """The refused lines as a table: ``row``, ``column``, ``rule`` and ``reason`` (in
        ``locale``)."""
        rows = [(r.row, r.column, r.rule, r.reason.render(locale)) for r in self.rejected]
        return pd.DataFrame(rows, columns=["row", "column", "rule", "reason"])

    def summary(self, locale: str | None = None) -> str:
        """``12 sessions, 80 attendances accepted; 2 lines rejected``, in ``locale``."""
        attendances = sum(len(s.attendees) for s in self.accepted)
        message = Message.plural_of(
            "{sessions} sessions and {count} attendance accepted; {rejected} lines rejected",
            "{sessions} sessions and {count} attendances accepted; {rejected} lines rejected",
            by="count",
            count=attendances,
            sessions=len(self.accepted),
            rejected=len(self.rejected),
        )
        return message.render(locale)


def _columns(header: Sequence[object]) -> dict[str, int]:
    """Which position each known column has in the header row."""
    found: dict[str, int] = {}
    for position, cell in enumerate(header):
        name = normalise_name(str(cell)).replace(" ", "")
        for column, names in HEADERS.items():
            if name in names and column not in found:
                found[column] = position
    return found


def _lines(frame: pd.DataFrame, name: str, offer: str) -> Iterator[tuple[int, object, str, str]]:
    """(row as the sheet shows it, date cell, offer, one code) for every code of every line."""
    columns = _columns(list(frame.iloc[0]))
    missing = [c for c in ("date", "case") if c not in columns]
    if missing:
        problem = Message(
            "the header row has no column for {missing}; name them like {example}",
            missing=", ".join(missing),
            example="dato;tilbud;sak",
        )
        raise ConfigError(name, [problem])
    for index in range(1, len(frame)):
        line = frame.iloc[index]
        given = str(line[columns["offer"]]).strip() if "offer" in columns else ""
        codes = str(line[columns["case"]]).replace(";", ",").split(",")
        for code in [c.strip() for c in codes if c.strip()] or [""]:
            yield index + 1, line[columns["date"]], given or offer, code


def _check_line(
    line: tuple[int, object, str, str], day: dt.date | None, context: _Context
) -> Rejected | None:
    """The first rule the line (row, date cell, offer, code) breaks, or None."""
    row, raw, offer, code = line
    if day is None:
        return Rejected(row, "date", "date", date_reason(redact_value(raw, HIDDEN)))
    first, last = context.team.plausible_dates
    if not first <= day <= last:
        reason = Message(GROUP_RULES["group_date"], date=day, first=first, last=last)
        return Rejected(row, "date", "group_date", reason)
    if contains_identity(code) or contains_identity(offer):
        return Rejected(row, "case", "identity", Message(SHEET_RULES["identity"]))
    if not code:
        return Rejected(row, "case", "case_missing", Message(SHEET_RULES["case_missing"]))
    return _case_problem(row, day, code, context)


def _case_problem(row: int, day: dt.date, code: str, context: _Context) -> Rejected | None:
    """Why ``code`` cannot have come on ``day``: not a code, no such case, not open then."""
    try:
        text = str(context.team.parse_code(code))
    except CaseCodeError:
        expected = context.team.code_scheme.describe()
        reason = Message(SHEET_RULES["code_scheme"], value=code[:40], expected=expected)
        return Rejected(row, "case", "code_scheme", reason)
    case = context.cases.get(text)
    if case is None or not open_on(case, day):
        rule = "unknown_case" if case is None else "attendee_not_open"
        return Rejected(row, "case", rule, Message(GROUP_RULES[rule], case=text, date=day))
    return None


@attrs.define
class _Context:
    team: Team
    cases: dict[str, Case]


def _sessions(
    lines: Iterable[tuple[int, object, str, str]],
    context: _Context,
    held: Iterable[tuple[dt.date, str]] = (),
) -> tuple[GroupLog, tuple[Rejected, ...]]:
    """The lines grouped into sessions by day and offer, each line checked; the sessions
    ``held`` (day, offer) come first and are kept if no line is accepted for them."""
    raw = list(lines)
    days = parse_dates(pd.Series([line[1] for line in raw], dtype="object"))
    sessions: dict[tuple[dt.date, str], list[str]] = {key: [] for key in held}
    rejected: list[Rejected] = []
    for line, stamp in zip(raw, days, strict=True):
        row, _, offer, code = line
        day = None if pd.isna(stamp) else pd.Timestamp(stamp).date()
        problem = _check_line(line, day, context)
        if problem is None and day is not None:
            text = str(context.team.parse_code(code))
            here = sessions.setdefault((day, offer), [])
            if text in here:
                reason = Message(SHEET_RULES["twice"], case=text, date=day)
                problem = Rejected(row, "case", "twice", reason)
            else:
                here.append(text)
        if problem is not None:
            rejected.append(problem)
    accepted = GroupLog(GroupSession(day, offer, codes) for (day, offer), codes in sessions.items())
    return accepted, tuple(rejected)


def check_lines(
    lines: Iterable[tuple[int, object, str, str]],
    team: Team,
    cases: Iterable[Case],
    *,
    sessions: Iterable[tuple[dt.date, str]] = (),
) -> GroupImport:
    """Lines (row, day as given, offer, case code) checked as a sheet's are, against ``team``
    and ``cases``, and grouped into sessions; the ``sessions`` (day, offer) known to have been
    held come first, kept even if nobody's line is accepted."""
    context = _Context(team, {str(case.code): case for case in cases})
    accepted, rejected = _sessions(lines, context, sessions)
    return GroupImport(accepted, rejected)


def read_group_sessions(
    source: str | Path | IO[bytes],
    *,
    team: Team,
    cases: Iterable[Case],
    offer: str = "group_offer",
    name: str | None = None,
) -> GroupImport:
    """Read an attendance sheet (CSV as Norwegian Excel writes it, or the first sheet of an
    ``.xlsx`` workbook) or a group log as JSON (``.json``, or text that opens with ``{``).

    The sheet has a header row naming a date column (``dato``), a case column (``sak``) and,
    if the team keeps several groups, an offer column (``tilbud``; ``offer`` otherwise). Each
    line is a person at a session; a cell of several codes (``KL-2019-001, HÅ-2019-002``) is
    several people. Every line is checked against the team (its code scheme, its plausible
    dates, so no further ahead than its ``future_days``) and the ``cases`` (the code is a case
    open that day), and accepted or rejected with the rule it breaks.

    Raises:
        ConfigError: the file cannot be read, or has no date or case column.
    """
    label = name or (str(source) if isinstance(source, str | Path) else "group sessions")
    data, kind = open_within_limits(source, label, None, DEFAULT_LIMITS)
    context = _Context(team, {str(case.code): case for case in cases})
    if Path(label).suffix.lower() == ".json" or data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"{":
        log = group_log_from_json(data.decode("utf-8"), source=label)
        lines = [
            (i + 1, session.on, session.offer, code)
            for i, session in enumerate(log)
            for code in session.attendees
        ]
        accepted, rejected = _sessions(lines, context)
        return GroupImport(accepted, rejected)
    frame = _sheet(data, kind, label)
    if frame.empty:
        raise ConfigError(label, [Message("the file has no rows")])
    frame = frame.apply(as_typed)  # the ' that kept a formula text comes off
    accepted, rejected = _sessions(_lines(frame, label, offer), context)
    return GroupImport(accepted, rejected)


def _sheet(data: bytes, kind: str, label: str) -> pd.DataFrame:
    """The cells of a CSV file, or of a workbook's first sheet, the header row first."""
    if kind == "xlsx":
        sheets = read_xlsx(data, label, DEFAULT_LIMITS)
        return sheets[0][1].astype("object") if sheets else pd.DataFrame()
    blocks: list[pd.DataFrame] = []
    read_csv_blocks(data, label, DEFAULT_LIMITS, blocks.extend)
    return pd.concat(blocks, ignore_index=True).astype("object") if blocks else pd.DataFrame()


def write_group_sessions(
    log: GroupLog, path: str | Path, locale: str | None = None, *, formulas: Formulas = "escape"
) -> Path:
    """Write ``log`` as an attendance sheet: CSV as Norwegian Excel reads it (``;``, UTF-8
    with a byte-order mark), one line per person at a session, headers in ``locale``. A text
    cell a spreadsheet would read as a formula gets a leading ``'`` (``formulas="keep"``: as
    it is)."""
    frame = log.to_frame()
    frame["date"] = frame["date"].dt.date.astype(str)
    names = {c: translate(c, locale, context="group column") for c in frame.columns}
    target = Path(path)
    csv_safe(frame.rename(columns=names), formulas=formulas).to_csv(
        target, sep=";", index=False, encoding="utf-8-sig"
    )
    return target


def group_log_to_json(log: GroupLog) -> str:
    """The group log as JSON: ``{"format": "ettervern-groups", "version": 1, "sessions":
    [{"on": "2019-03-04", "offer": "group_offer", "attendees": ["KL-2019-001"]}]}``."""
    sessions = [
        {"on": s.on.isoformat(), "offer": s.offer, "attendees": list(s.attendees)} for s in log
    ]
    document = {"format": GROUP_FORMAT, "version": 1, "sessions": sessions}
    return json.dumps(document, ensure_ascii=False, indent=1)


def group_log_from_json(text: str, *, source: str = "group log") -> GroupLog:
    """A group log from its JSON (see ``group_log_to_json``); the rules against the cases
    are checked by [`GroupLog.check()`][ettervern.events.GroupLog.check] or by reading it with
    ``read_group_sessions``.

    Raises:
        ConfigError: not a group log, or a session that is not one.
    """
    try:
        document: Any = json.loads(text)
        if document.get("format") != GROUP_FORMAT or document.get("version") != 1:
            raise ValueError(f"not an {GROUP_FORMAT} document of version 1")
        return GroupLog(
            GroupSession(dt.date.fromisoformat(s["on"]), s["offer"], s["attendees"])
            for s in document["sessions"]
        )
    except (ValueError, KeyError, TypeError, AttributeError) as error:
        problem = Message("not a group log: {reason}", reason=str(redact_value(str(error), HIDDEN)))
        raise ConfigError(source, [problem]) from None
