"""Staff on a case: assignments with periods, the coordinator, and the two-staff rule.

A case records [`StaffAssigned`][ettervern.events.StaffAssigned] and [`StaffReleased`][ettervern.events.StaffReleased] events with the staff's id from
the team's roster (initials or a pseudonymous id, never a name). An assignment runs from its day
to the day before the release, or to the closure. ``coordinator=True`` marks the person's
coordinator (koordinator, helse- og omsorgstjenesteloven § 7-2; Sandnes reports the share of
people who have one, seed ``004_…``).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from typing import Any, ClassVar

import attrs

from ettervern._core import check_staff_id, field_rule

__all__ = ["Assignment", "StaffAssigned", "StaffReleased", "assignments", "check_date"]


check_date = field_rule(
    lambda value: isinstance(value, dt.date) and not isinstance(value, dt.datetime),
    "{field} must be a datetime.date, got {value!r}",
)
"""An attrs validator: a ``datetime.date`` that is not a datetime."""


def _staff(value: object) -> str:
    return check_staff_id(value, "staff")


@attrs.frozen(kw_only=True)
class StaffAssigned:
    """A member of staff starts working on the case (as its coordinator, if ``coordinator``)."""

    tag: ClassVar[str] = "staff_assigned"
    on: dt.date = attrs.field(validator=check_date)
    staff: str = attrs.field(converter=_staff)
    coordinator: bool = False


@attrs.frozen(kw_only=True)
class StaffReleased:
    """A member of staff stops working on the case (from this day on)."""

    tag: ClassVar[str] = "staff_released"
    on: dt.date = attrs.field(validator=check_date)
    staff: str = attrs.field(converter=_staff)


@attrs.frozen
class Assignment:
    """One member of staff on one case: ``since`` to ``until`` (included; ``None`` = open)."""

    staff: str
    since: dt.date
    until: dt.date | None = None
    coordinator: bool = False

    def active_on(self, on: dt.date) -> bool:
        """Whether the member is on the case on ``on``."""
        return self.since <= on and (self.until is None or on <= self.until)


def assignments(events: Sequence[Any], closed: dt.date | None = None) -> tuple[Assignment, ...]:
    """The assignments the events record, ended by their release (the day before it) or by
    ``closed`` (the closure day, included)."""
    found: list[Assignment] = []
    for event in events:
        if isinstance(event, StaffAssigned):
            found.append(Assignment(event.staff, event.on, coordinator=event.coordinator))
        elif isinstance(event, StaffReleased):
            for index, item in enumerate(found):
                if item.staff == event.staff and item.until is None:
                    end = max(item.since, event.on - dt.timedelta(days=1))
                    found[index] = attrs.evolve(item, until=end)
    if closed is not None:
        found = [a if a.until is not None else attrs.evolve(a, until=closed) for a in found]
    return tuple(found)
