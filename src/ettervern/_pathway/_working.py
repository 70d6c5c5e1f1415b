"""The team's week: caseload per member of staff, waiting times, and the due list in a calendar.

The capacity yardstick is the Sandnes figure (seed ``004_…``): an ambulant team of 10 FTE serves
about 60 people, 6 people per FTE. With two staff on each case (Salten, seed ``000_…``), a member
of staff at full time carries about 12 case assignments.
"""

from __future__ import annotations

import datetime as dt
import statistics
from collections.abc import Iterable

import pandas as pd

from ettervern._core import PEOPLE_PER_FTE, Roster, Team, check_field
from ettervern._l10n import norwegian_sort_key
from ettervern._pathway._case import Case, Phase

__all__ = ["CASELOAD_COLUMNS", "caseload", "caseload_by_role", "due_list_to_ics", "waiting_times"]

CASELOAD_COLUMNS = ("fte", "cases", "coordinator", "yardstick", "load")
"""The columns of [`caseload()`][ettervern.tables.caseload], in order."""

_OPEN = (Phase.FOLLOW_UP, Phase.IN_INSTITUTION)


def caseload(
    cases: Iterable[Case], roster: Roster, *, on: dt.date, team: Team | None = None
) -> pd.DataFrame:
    """Open cases per member of staff on ``on``, and for the team, against the yardstick: the
    internal view of [`tables.caseload`][ettervern.tables.caseload], whose docstring says what
    each column holds."""
    per_case = 2 if team is None else team.staff_per_case
    counts = {member.id: [0, 0] for member in roster}
    open_cases = 0
    for case in cases:
        if case.accepted_on is None or case.accepted_on > on or case.phase_on(on) not in _OPEN:
            continue
        open_cases += 1
        coordinator = case.coordinator_on(on)
        for staff in set(case.staff_on(on)):
            line = counts.setdefault(staff, [0, 0])
            line[0] += 1
            line[1] += staff == coordinator
    rows = {}
    for staff, (count, coordinating) in counts.items():
        fte = roster.member(staff).fte_on(on) if staff in {m.id for m in roster} else 0.0
        rows[staff] = _load(fte, count, coordinating, fte * PEOPLE_PER_FTE * per_case)
    fte = roster.fte_on(on)
    rows["Total"] = _load(fte, open_cases, None, fte * PEOPLE_PER_FTE)
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(CASELOAD_COLUMNS))
    frame.index.name = "staff"
    return frame


def caseload_by_role(
    cases: Iterable[Case], roster: Roster, *, on: dt.date, team: Team | None = None
) -> pd.DataFrame:
    """Open cases on ``on`` per role on the roster (``StaffRole`` keys, ``"none"`` for a member
    with no role recorded), then ``"Total"``: the FTE of the role's members, the open cases at
    least one of them is assigned to (a case two members of one role share counts once), and
    the yardstick and load as in ``caseload``."""
    cases = list(cases)
    per_case = 2 if team is None else team.staff_per_case
    role_of = {m.id: "none" if m.role is None else m.role.value for m in roster}
    fte: dict[str, float] = {}
    for member in roster:
        fte[role_of[member.id]] = fte.get(role_of[member.id], 0.0) + member.fte_on(on)
    served: dict[str, set[str]] = {role: set() for role in fte}
    for case in cases:
        if case.accepted_on is None or case.accepted_on > on or case.phase_on(on) not in _OPEN:
            continue
        for staff in case.staff_on(on):
            served.setdefault(role_of.get(staff, "none"), set()).add(str(case.code))
    rows = {
        role: _load(
            fte.get(role, 0.0), len(codes), None, fte.get(role, 0.0) * PEOPLE_PER_FTE * per_case
        )
        for role, codes in served.items()
    }
    total = caseload(cases, roster, on=on, team=team).loc["Total"]
    rows["Total"] = list(total)
    frame = pd.DataFrame.from_dict(rows, orient="index", columns=list(CASELOAD_COLUMNS))
    frame.index.name = "role"
    return frame


def _load(fte: float, cases: int, coordinator: int | None, yardstick: float) -> list[object]:
    load = cases / yardstick if yardstick else float("nan")
    return [fte, cases, pd.NA if coordinator is None else coordinator, yardstick, load]


def _days(cases: Iterable[Case], end: str) -> list[int]:
    found = []
    for case in cases:
        if end == "decision":
            day = case.accepted_on or case.declined_on
        else:
            day = case.done_on("first_contact")
        if day is not None:
            found.append((day - case.referred_on).days)
    return found


def waiting_times(cases: Iterable[Case], *, by: str | None = None) -> pd.DataFrame:
    """How long people waited, in days from the referral: to the team's decision (accepted or
    declined) and to the first contact (the task ``"first_contact"``), as ``count``,
    ``median_days`` and ``max_days`` per wait (``"decision"``, ``"first_contact"``).

    "Raskt på plass" (seed ``000_…``); "ventetiden er det vanskeligste" (seed ``003_…``).
    ``by="municipality"`` or ``by="source"`` (who referred) adds a row level. The counts are
    not disclosure-controlled: a table for the team, not for publishing.
    """
    known = ("municipality", "source")
    check_field(
        by is None or by in known,
        "{field} must be one of {known!r}, or left out; got {value!r}",
        field="by",
        value=by,
        known=list(known),
    )
    cases = list(cases)
    groups: dict[str, list[Case]] = {"": cases}
    if by == "municipality":
        groups = {}
        for case in cases:
            groups.setdefault(case.municipality.name, []).append(case)
    elif by == "source":
        groups = {}
        for case in cases:
            source = case.referral_source
            groups.setdefault("unknown" if source is None else source.value, []).append(case)
    rows = []
    for group in sorted(groups, key=norwegian_sort_key):
        members = groups[group]
        for end in ("decision", "first_contact"):
            days = _days(members, end)
            median = float(statistics.median(days)) if days else float("nan")
            rows.append((group, end, len(days), median, max(days) if days else pd.NA))
    frame = pd.DataFrame(rows, columns=[by or "all", "wait", "count", "median_days", "max_days"])
    return frame.set_index(["wait"] if by is None else [by, "wait"]).drop(
        columns=["all"], errors="ignore"
    )


def _escape(text: str) -> str:
    """A TEXT value of RFC 5545 (section 3.3.11): backslash, semicolon, comma, newline."""
    return text.replace("\\", "\\\\").replace(";", "\\;").replace(",", "\\,").replace("\n", "\\n")


def _fold(line: str) -> str:
    """A content line folded at 75 octets (RFC 5545 section 3.1), never inside a character."""
    parts: list[str] = []
    current = ""
    for char in line:
        limit = 75 if not parts else 74  # a continuation line starts with a space
        if len((current + char).encode("utf-8")) > limit:
            parts.append(current)
            current = ""
        current += char
    parts.append(current)
    return "\r\n ".join(parts)


def due_list_to_ics(frame: pd.DataFrame, *, stamp: dt.datetime, name: str = "ettervern") -> str:
    """A due list ([`due_list()`][ettervern.due_list]) as an iCalendar file (RFC 5545) for a
    staff member's calendar: one all-day event per row, on its due day, summarised as the case
    code and the milestone (its label, when the list has ``milestone_label``). Only case codes,
    never names. ``stamp`` is the time the file is made (``DTSTAMP``, in UTC)."""
    missing = sorted({"code", "milestone", "due"} - set(frame.columns))
    check_field(
        not missing,
        "{field} must be a due list with the columns {missing!r}",
        field="frame",
        value=None,
        missing=missing,
    )
    utc = stamp.astimezone(dt.UTC) if stamp.tzinfo is not None else stamp
    lines = [
        "BEGIN:VCALENDAR",
        "VERSION:2.0",
        "PRODID:-//ettervern//due list//EN",
        "CALSCALE:GREGORIAN",
        f"X-WR-CALNAME:{_escape(name)}",
    ]
    labels = frame["milestone_label"] if "milestone_label" in frame else frame["milestone"]
    for code, key, label, due in zip(
        frame["code"], frame["milestone"], labels, frame["due"], strict=True
    ):
        day = pd.Timestamp(due).date()
        lines += [
            "BEGIN:VEVENT",
            f"UID:{_escape(f'{code}-{key}-{day.isoformat()}@ettervern')}",
            f"DTSTAMP:{utc:%Y%m%dT%H%M%SZ}",
            f"DTSTART;VALUE=DATE:{day:%Y%m%d}",
            f"DTEND;VALUE=DATE:{day + dt.timedelta(days=1):%Y%m%d}",
            f"SUMMARY:{_escape(f'{code}: {label}')}",
            "TRANSP:TRANSPARENT",
            "END:VEVENT",
        ]
    lines.append("END:VCALENDAR")
    return "".join(_fold(line) + "\r\n" for line in lines)
