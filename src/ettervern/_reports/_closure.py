"""The closure summary of one case: what the closure report (avslutningsrapport) to the
commissioning municipality is built from (seed ``000_…``).

The summary holds facts only (dates, stays, weeks, hours by category, staff ids, life-domain
scores, who took over, the check's date): no free text is stored by the library, so the parts
only the team can write (what went well, the person's own words) stay in the team's document.
"""

from __future__ import annotations

import datetime as dt
import html
from pathlib import Path
from typing import Any

import attrs

from ettervern._l10n import N_, Message, format_date, format_number, translate
from ettervern._pathway import Case, ClosureReason, Goal, Stay
from ettervern._timelog import TimeLog
from ettervern.errors import MissingDependencyError

__all__ = ["TEAM_HEADINGS", "ClosureSummary", "closure_summary"]

TEAM_HEADINGS = (
    N_("The course of the follow-up"),
    N_("Goals and what was reached"),
    N_("The person's own evaluation"),
    N_("Handover and further follow-up"),
)
"""The headings of a closure report's draft that only the team can fill in (seed ``000_…``: the
report to the commissioning municipality, the evaluation form, the handover meeting)."""


def _weeks(length: dt.timedelta | None) -> float | None:
    return None if length is None else round(length.days / 7, 1)


@attrs.frozen(kw_only=True)
class ClosureSummary:
    """The facts of one closed case for its closure report; see
    [`closure_summary()`][ettervern.closure_summary]."""

    code: str
    municipality: str
    referred: dt.date
    accepted: dt.date | None
    follow_up_start: dt.date | None
    closed: dt.date | None
    reason: ClosureReason | None
    stays: tuple[Stay, ...]
    community_weeks: float | None
    """Weeks in the community from the start of follow-up to closure (stays back inside left
    out)."""
    calendar_weeks: float | None
    hours: dict[str, float]
    """Hours logged on the case, by category key."""
    staff: tuple[str, ...]
    """The roster ids of the staff who worked on the case, in the order they started."""
    intake: dict[str, int]
    """Life-domain scores at intake, by domain key."""
    at_closure: dict[str, int]
    """Life-domain scores at closure, by domain key."""
    taken_over_by: str | None
    """The kind of service that took over (a ``ServiceKind`` key), if any."""
    three_month_check_due: dt.date | None
    consent: tuple[str, ...] = ()
    """The scopes of consent in force on closure (``ConsentScope`` keys), or on the case's last
    event while it is open."""
    goals: tuple[Goal, ...] = ()
    """The goals set with the person, each with its status on closure."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON-safe values (dates as ISO text)."""
        data = attrs.asdict(self, recurse=False)
        for key, value in data.items():
            if isinstance(value, dt.date):
                data[key] = value.isoformat()
        data["stays"] = [
            {
                "kind": s.kind.value,
                "admitted": s.admitted.isoformat(),
                "discharged": None if s.discharged is None else s.discharged.isoformat(),
            }
            for s in self.stays
        ]
        data["reason"] = None if self.reason is None else self.reason.value
        data["staff"] = list(self.staff)
        data["hours"] = dict(self.hours)
        data["consent"] = list(self.consent)
        data["goals"] = [
            {
                "domain": goal.domain.value,
                "target": int(goal.target),
                "due": goal.due.isoformat(),
                "set_on": goal.set_on.isoformat(),
                "status": goal.status.value,
                "reviewed_on": None if goal.reviewed_on is None else goal.reviewed_on.isoformat(),
            }
            for goal in self.goals
        ]
        return data

    def _lines(self, locale: str | None) -> list[tuple[str, str]]:
        """(heading, value) pairs in ``locale``, in the order of the report."""

        def day(value: dt.date | None) -> str:
            return "" if value is None else format_date(value, locale)

        def num(value: float | None) -> str:
            return "" if value is None else format_number(value, locale)

        stays = "; ".join(
            f"{translate(s.kind.value, locale, context='kind')} {day(s.admitted)}–{day(s.discharged)}"
            for s in self.stays
        )
        reason = (
            "" if self.reason is None else translate(self.reason.value, locale, context="reason")
        )
        return [
            (translate(N_("Referred"), locale), day(self.referred)),
            (translate(N_("Accepted"), locale), day(self.accepted)),
            (translate(N_("Follow-up started"), locale), day(self.follow_up_start)),
            (translate(N_("Closed"), locale), f"{day(self.closed)} {reason}".strip()),
            (translate(N_("Stays"), locale), stays),
            (translate(N_("Weeks in the community"), locale), num(self.community_weeks)),
            (translate(N_("Calendar weeks"), locale), num(self.calendar_weeks)),
            (translate(N_("Staff"), locale), ", ".join(self.staff)),
            (translate(N_("Taken over by"), locale), self.taken_over_by or ""),
            (
                translate(N_("Consent in force"), locale),
                ", ".join(translate(key, locale, context="scope") for key in self.consent),
            ),
            (translate(N_("Three-month check due"), locale), day(self.three_month_check_due)),
        ]

    def _tables(self, locale: str | None) -> list[tuple[str, list[tuple[str, str]]]]:
        hours = [
            (translate(key, locale, context="category"), format_number(value, locale))
            for key, value in self.hours.items()
        ]
        domains = [
            (
                translate(key, locale, context="domain"),
                f"{self.intake.get(key, '')} → {self.at_closure.get(key, '')}",
            )
            for key in dict.fromkeys([*self.intake, *self.at_closure])
        ]
        goals = [
            (
                translate(goal.domain.value, locale, context="domain"),
                translate(N_("score {target} by {due}: {status}"), locale).format(
                    target=int(goal.target),
                    due=format_date(goal.due, locale),
                    status=translate(goal.status.value, locale, context="goal_status"),
                ),
            )
            for goal in self.goals
        ]
        return [
            (translate(N_("Hours by category"), locale), hours),
            (translate(N_("Life domains at intake and closure"), locale), domains),
            (translate(N_("Goals set with the person"), locale), goals),
        ]

    def title(self, locale: str | None = None) -> str:
        """The heading: the case code, never a name."""
        return translate(N_("Closure summary, case {code}"), locale).format(code=self.code)

    def to_text(self, locale: str | None = None) -> str:
        """The summary as plain text, in ``locale`` (``"nb"`` by default); what is not known
        (no stays, no hours logged) is left out."""
        out = [self.title(locale), ""]
        out += [f"{heading}: {value}" for heading, value in self._lines(locale) if value]
        for heading, rows in self._tables(locale):
            if rows:  # a table with nothing in it is left out
                out += ["", heading] + [f"  {name}: {value}" for name, value in rows]
        return "\n".join(out) + "\n"

    def to_docx(self, path: str | Path, locale: str | None = None) -> Path:
        """A draft of the closure report at ``path`` (``.docx``): the facts, then headings for
        the text only the team can write. Needs ``pip install "ettervern[docx]"``."""
        return write_docx(self, path, locale)

    def to_html(self, locale: str | None = None) -> str:
        """The summary as an HTML fragment (escaped), in ``locale``."""
        esc = html.escape
        parts = [f"<h2>{esc(self.title(locale))}</h2>", "<dl>"]
        for heading, value in self._lines(locale):
            parts.append(f"<dt>{esc(heading)}</dt><dd>{esc(value)}</dd>")
        parts.append("</dl>")
        for heading, rows in self._tables(locale):
            parts.append(f"<h3>{esc(heading)}</h3><table>")
            parts += [f"<tr><th>{esc(n)}</th><td>{esc(v)}</td></tr>" for n, v in rows]
            parts.append("</table>")
        return "\n".join(parts) + "\n"


def _docx() -> Any:
    try:
        import docx
    except ImportError:
        purpose = Message("write a closure report draft (.docx)")
        raise MissingDependencyError("python-docx", "docx", purpose) from None
    return docx


def write_docx(summary: ClosureSummary, path: str | Path, locale: str | None = None) -> Path:
    """A draft of the closure report as a Word document: the summary's facts, then the team's
    own headings (``TEAM_HEADINGS``) with empty paragraphs to finish
    in a word processor. Needs the ``docx`` extra (python-docx)."""
    document = _docx().Document()
    document.add_heading(summary.title(locale), level=1)
    table = document.add_table(rows=0, cols=2)
    for heading, value in summary._lines(locale):
        cells = table.add_row().cells
        cells[0].text, cells[1].text = heading, value
    for heading, rows in summary._tables(locale):
        if rows:
            document.add_heading(heading, level=2)
            inner = document.add_table(rows=0, cols=2)
            for name, value in rows:
                cells = inner.add_row().cells
                cells[0].text, cells[1].text = name, value
    for heading in TEAM_HEADINGS:
        document.add_heading(translate(heading, locale), level=2)
        document.add_paragraph("")
    target = Path(path)
    document.save(str(target))
    return target


def closure_summary(case: Case, log: TimeLog | None = None) -> ClosureSummary:
    """The facts of ``case`` for its closure report: dates, stays, weeks in the community and
    in the calendar, hours by category from ``log`` (entries with the case's code), the staff
    (roster ids), life-domain scores at intake and closure, the consent in force on closure,
    the goals set with the person and their status, the service that took over and when the
    three-month check is due."""
    hours: dict[str, float] = {}
    if log is not None:
        frame = log.for_case(case.code).to_frame()
        for key, value in (
            frame.groupby("category", sort=False, observed=True)["hours"].sum().items()
        ):
            hours[str(key)] = float(value)
    outcomes = case.outcomes
    closure = case.closure
    taken = None if closure is None or closure.taken_over_by is None else closure.taken_over_by
    return ClosureSummary(
        code=str(case.code),
        municipality=case.municipality.name,
        referred=case.referred_on,
        accepted=case.accepted_on,
        follow_up_start=case.follow_up_start,
        closed=case.closed_on,
        reason=case.closure_reason,
        stays=case.stays,
        community_weeks=_weeks(case.follow_up_length),
        calendar_weeks=_weeks(case.follow_up_calendar_length),
        hours=hours,
        staff=tuple(dict.fromkeys(a.staff for a in case.staff_assignments)),
        intake=_scores(outcomes, "intake"),
        at_closure=_scores(outcomes, "closure"),
        taken_over_by=None if taken is None else taken.service.value,
        three_month_check_due=case.three_month_check_due,
        consent=tuple(
            sorted(scope.value for scope in case.consent_on(case.closed_on or case.events[-1].on))
        ),
        goals=case.goals,
    )


def _scores(outcomes: dict[Any, Any], point: str) -> dict[str, int]:
    outcome = next((o for p, o in outcomes.items() if p.value == point), None)
    if outcome is None:
        return {}
    return {domain.value: int(score) for domain, score in outcome.scores.items()}
