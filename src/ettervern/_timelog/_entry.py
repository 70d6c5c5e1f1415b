"""One entry of the time log (registrering), checked on its own, before it meets a team."""

from __future__ import annotations

import datetime as dt

import attrs

from ettervern._core import Bucket, CaseCode, Category, Municipality, at_least

__all__ = ["TimeEntry"]


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
