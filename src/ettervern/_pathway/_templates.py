"""Pathway templates (forløpsmaler): the steps of an aftercare model, as data.

A template lists the steps of a model in order, each at a stage of the pathway. A step may be
due a fixed time after an anchor of the case (its discharge, the start of follow-up); those
become milestones in [`due_list()`][ettervern.due_list]. Steps without an anchor are inner phases a
case records with [`Case.begin_step()`][ettervern.Case.begin_step]. Three templates ship with the
library, each in ``data/pathways/`` with its source: ``"salten"`` (seed ``000_…``), ``"jaeren"``
(seed ``002_…``) and ``"integrated"`` (seed ``003_…``). Define your own with
[`PathwayTemplate`][ettervern.PathwayTemplate] or
[`template_from_dict()`][ettervern.interchange.template_from_dict].
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Any, Protocol

import attrs
from dateutil.relativedelta import relativedelta

from ettervern._core import enum_member, field_rule, shipped_key, structure
from ettervern._data import read_toml
from ettervern._l10n import N_, Message
from ettervern.errors import InvalidValueError

if TYPE_CHECKING:
    from ettervern._pathway._events import Stay


class Case(Protocol):
    """What a template reads of a [`Case`][ettervern.Case]: its dates (a protocol, so that this
    module need not import the case's, which checks task keys against the templates)."""

    @property
    def referred_on(self) -> dt.date: ...
    @property
    def accepted_on(self) -> dt.date | None: ...
    @property
    def follow_up_stay(self) -> Stay | None: ...
    @property
    def stays(self) -> tuple[Stay, ...]: ...
    @property
    def expected_discharge(self) -> dt.date | None: ...
    @property
    def follow_up_start(self) -> dt.date | None: ...
    @property
    def closed_on(self) -> dt.date | None: ...


__all__ = [
    "PATHWAY_TEMPLATES",
    "Anchor",
    "PathwayTemplate",
    "Stage",
    "TemplateStep",
    "pathway_template",
    "template_from_dict",
]

PATHWAY_TEMPLATES = ("integrated", "jaeren", "salten", "sandnes")
"""The keys of the templates shipped with the library."""


class Stage(enum.StrEnum):
    """Where on the pathway a step belongs."""

    BEFORE_ADMISSION = "before_admission"
    DURING_STAY = "during_stay"
    AT_DISCHARGE = "at_discharge"
    AFTER_DISCHARGE = "after_discharge"
    FOLLOW_UP = "follow_up"
    CLOSURE = "closure"


class Anchor(enum.StrEnum):
    """The date of a case a step's deadline counts from."""

    REFERRAL = "referral"
    ACCEPTANCE = "acceptance"
    ADMISSION = "admission"
    """The admission of the stay that starts follow-up (else the first stay's)."""
    DISCHARGE = "discharge"
    """The discharge of that stay; while the person is inside, its expected discharge."""
    FOLLOW_UP_START = "follow_up_start"
    CLOSURE = "closure"


def _anchor(value: Anchor | str | None) -> Anchor | None:
    return None if value is None else enum_member(Anchor, "anchor", value)


def _stage(value: Stage | str) -> Stage:
    return enum_member(Stage, "stage", value)


def _stay(case: Case) -> Stay | None:
    """The stay a template's admission and discharge anchors refer to."""
    return case.follow_up_stay or (case.stays[0] if case.stays else None)


def _admitted(case: Case) -> dt.date | None:
    stay = _stay(case)
    return None if stay is None else stay.admitted


def _discharged(case: Case) -> dt.date | None:
    """The discharge of that stay; while the person is inside, the expected one, if recorded."""
    stay = _stay(case)
    if stay is None:
        return None
    return stay.discharged if stay.discharged is not None else case.expected_discharge


_ANCHOR_DATES: dict[Anchor, Callable[[Case], dt.date | None]] = {
    Anchor.REFERRAL: lambda case: case.referred_on,
    Anchor.ACCEPTANCE: lambda case: case.accepted_on,
    Anchor.ADMISSION: _admitted,
    Anchor.DISCHARGE: _discharged,
    Anchor.FOLLOW_UP_START: lambda case: case.follow_up_start,
    Anchor.CLOSURE: lambda case: case.closed_on,
}
"""How each anchor's date is read off a case (only the one asked for is worked out)."""


def _anchor_date(case: Case, anchor: Anchor) -> dt.date | None:
    return _ANCHOR_DATES[anchor](case)


@functools.lru_cache(maxsize=16384)
def _after(start: dt.date, months: int, weeks: int, days: int) -> dt.date:
    """``start`` plus calendar months, weeks and days (remembered: many cases share dates)."""
    later: dt.date = start + relativedelta(months=months, weeks=weeks, days=days)
    return later


_check_key = field_rule(
    lambda value: bool(value) and value.replace("_", "").isalnum() and value == value.lower(),
    "{field} must be a lower-case key such as {example!r}, got {value!r}",
    example="crisis_plan",
)


@attrs.frozen(kw_only=True)
class TemplateStep:
    """One step of a pathway template.

    ``key`` is stable English (``"crisis_plan"``); ``name`` is the model's own wording, as data.
    With an ``anchor``, the step is due ``months``, ``weeks`` and ``days`` after that date of
    the case (calendar months, so 31 January + 1 month is the end of February).
    """

    key: str = attrs.field(validator=_check_key)
    name: str
    stage: Stage = attrs.field(converter=_stage)
    anchor: Anchor | None = attrs.field(default=None, converter=_anchor)
    months: int = 0
    weeks: int = 0
    days: int = 0

    def due(self, case: Case) -> dt.date | None:
        """When the step is due for ``case``, or ``None`` (no anchor, or its date not yet known)."""
        if self.anchor is None:
            return None
        start = _anchor_date(case, self.anchor)
        if start is None:
            return None
        return _after(start, self.months, self.weeks, self.days)


def _unique_steps(
    instance: PathwayTemplate, _: attrs.Attribute[Any], steps: tuple[TemplateStep, ...]
) -> None:
    keys = [s.key for s in steps]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        msg = Message(
            "template {template!r}: step keys {twice!r} are used more than once",
            template=instance.key,
            twice=twice,
        )
        raise InvalidValueError(msg, field="steps", value=twice)


@attrs.frozen(kw_only=True)
class PathwayTemplate:
    """An aftercare model's pathway as ordered steps (see the module docs)."""

    key: str = attrs.field(validator=_check_key)
    name: str
    source: str = ""
    """Where the steps come from (a seed, a guideline)."""
    steps: tuple[TemplateStep, ...] = attrs.field(converter=tuple, validator=_unique_steps)

    def step(self, key: str) -> TemplateStep:
        """The step with ``key``.

        Raises:
            InvalidValueError: the template has no such step.
        """
        for step in self.steps:
            if step.key == key:
                return step
        msg = Message(
            "template {template!r} has no step {key!r}; its steps are {steps!r}",
            template=self.key,
            key=key,
            steps=[s.key for s in self.steps],
        )
        raise InvalidValueError(msg, field="step", value=key)

    @property
    def phases(self) -> tuple[TemplateStep, ...]:
        """The steps without a deadline: the inner phases a case moves through."""
        return tuple(s for s in self.steps if s.anchor is None)


def template_from_dict(
    data: Mapping[str, Any], *, source: str = "pathway template"
) -> PathwayTemplate:
    """Build a [`PathwayTemplate`][ettervern.PathwayTemplate] from plain data, as read from TOML or
    JSON.

    Raises:
        ConfigError: with one line per bad field, each naming it by path.
    """
    return structure(dict(data), PathwayTemplate, source)


@functools.cache
def pathway_template(key: str) -> PathwayTemplate:
    """A template shipped with the library: ``"salten"``, ``"jaeren"`` or ``"integrated"``.

    >>> pathway_template("salten").phases[2].key
    'start_conversation'

    Raises:
        ConfigError: there is no such template.
    """
    name = shipped_key(
        key,
        PATHWAY_TEMPLATES,
        N_("no built-in pathway template {name!r}; choose one of {known!r}"),
        Message("template name"),
    )
    data = read_toml("pathways", f"{name}.toml")
    return template_from_dict(data, source=f"pathway template {name!r}")
