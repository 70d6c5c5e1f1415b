"""Planning events of a case: a step waived or moved, and the expected discharge of a stay.

A milestone the person declines (an individual plan they do not want), or one that does not
apply, is *waived* with a [`WaiverReason`][ettervern.events.WaiverReason]: the due list drops it and
reports count it apart from a missing one. A milestone can be *rescheduled* to another day. A
stay can carry an *expected discharge* (forventet utskrivning), recorded and revised while the
person is inside: the individual plan is due "senest før utskrivning" (seed ``003_…``), so it
falls due by that day before the discharge itself is known.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from typing import ClassVar

import attrs

from ettervern._core import enum_member, field_rule
from ettervern._pathway._staffing import check_date

__all__ = ["KEY", "DischargeExpected", "Rescheduled", "Waived", "WaiverReason", "check_key"]


class WaiverReason(enum.StrEnum):
    """Why a milestone is not done and will not be (frafalt)."""

    DECLINED = "declined"
    """The person declined it (for example an individual plan, which needs their consent)."""
    NOT_APPLICABLE = "not_applicable"
    """It does not apply to this case (no stay to plan a discharge from, say)."""


def _waiver_reason(value: WaiverReason | str) -> WaiverReason:
    return enum_member(WaiverReason, "reason", value)


KEY = re.compile(r"[a-z][a-z0-9_]{0,47}")
"""A step's or task's key: a lower-case identifier (``closure_report``), never free text."""

check_key = field_rule(
    lambda value: isinstance(value, str) and bool(KEY.fullmatch(value)),
    "{field} must be a key of lower-case letters, digits and _ such as {example!r}, got {value!r}",
    example="mapping",
)
"""An attrs validator: a step's or task's key."""


@attrs.frozen(kw_only=True)
class Waived:
    """A milestone waived on ``on``: declined by the person or not applicable."""

    tag: ClassVar[str] = "waived"
    on: dt.date = attrs.field(validator=check_date)
    task: str = attrs.field(validator=check_key)
    reason: WaiverReason = attrs.field(converter=_waiver_reason)


@attrs.frozen(kw_only=True)
class Rescheduled:
    """A milestone's due date moved, on ``on``, to the day ``to``."""

    tag: ClassVar[str] = "rescheduled"
    on: dt.date = attrs.field(validator=check_date)
    task: str = attrs.field(validator=check_key)
    to: dt.date = attrs.field(validator=check_date)


@attrs.frozen(kw_only=True)
class DischargeExpected:
    """On ``on``, the open stay's discharge is expected on ``expected`` (a later record revises
    it)."""

    tag: ClassVar[str] = "discharge_expected"
    on: dt.date = attrs.field(validator=check_date)
    expected: dt.date = attrs.field(validator=check_date)
