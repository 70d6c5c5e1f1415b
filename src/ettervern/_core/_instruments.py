"""Outcome instruments (kartleggings- og tilbakemeldingsverktøy) as data: items, scale, timing.

BrukerPlan's eight life domains are built in (cases score them with [`Outcome`][ettervern.Outcome]). A team
adds another instrument as data — its items, its scale and when it is used — and records the
answers as [`Response`][ettervern.instruments.Response] values keyed by case code. FIT's two forms ship as the second and
third: the Outcome Rating Scale (``"ors"``, four items 0-10, total 0-40, reliable change 5,
cutoff 25) and the Session Rating Scale (``"srs"``). Each shipped file in ``data/instruments/``
cites its source.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
from collections.abc import Iterable, Mapping
from typing import Any

import attrs

from ettervern._core._codes import CaseCode
from ettervern._core._outcomes import LifeDomain, Outcome, enum_member
from ettervern._core._structure import structure
from ettervern._core._validators import check_field, check_one_of
from ettervern._data import read_toml
from ettervern._l10n import Message
from ettervern.errors import ConfigError, InvalidValueError

__all__ = [
    "INSTRUMENTS",
    "Instrument",
    "InstrumentItem",
    "Response",
    "Scale",
    "Timing",
    "instrument",
    "instrument_from_dict",
]

INSTRUMENTS = ("brukerplan", "ors", "srs")
"""The keys of the instruments shipped with the library."""


class Timing(enum.StrEnum):
    """When an instrument is filled in."""

    INTAKE = "intake"
    CLOSURE = "closure"
    THREE_MONTH_CHECK = "three_month_check"
    EVERY_SESSION = "every_session"
    """At every session or contact (FIT)."""


def _timing(values: Iterable[Timing | str]) -> tuple[Timing, ...]:
    return tuple(enum_member(Timing, "timing", v) for v in values)


def _check_range(instance: Scale, _: attrs.Attribute[float], high: float) -> None:
    check_field(
        high > instance.low,
        "{field} must be more than low ({low}), got {value!r}",
        field="high",
        value=high,
        low=instance.low,
    )


def _check_score(_: object, __: attrs.Attribute[str], value: str) -> None:
    check_one_of("score", value, ("sum", "mean"))


@attrs.frozen(kw_only=True)
class Scale:
    """The answer scale of every item: ``low`` to ``high`` in steps of ``step``; the score of
    an answer sheet is the ``"sum"`` or the ``"mean"`` of its items."""

    low: float
    high: float = attrs.field(validator=_check_range)
    step: float = 1.0
    higher_is_better: bool = True
    score: str = attrs.field(default="sum", validator=_check_score)


@attrs.frozen(kw_only=True)
class InstrumentItem:
    """One question or line of an instrument: a stable key and the instrument's own wording."""

    key: str
    name: str


def _items(values: Iterable[InstrumentItem]) -> tuple[InstrumentItem, ...]:
    items = tuple(values)
    keys = [i.key for i in items]
    if not items or len(set(keys)) != len(keys):
        msg = Message("an instrument needs items with distinct keys, got {keys!r}", keys=keys)
        raise InvalidValueError(msg, field="items", value=keys)
    return items


@attrs.frozen(kw_only=True)
class Instrument:
    """An outcome or feedback instrument: items, scale, when it is used, and how effect is read.

    ``reliable_change`` is the change of the score that counts as an effect (ORS: 5 points);
    ``cutoff`` the clinical cutoff, if the instrument has one (ORS: 25).
    """

    key: str
    name: str
    source: str = ""
    """Where the instrument is described (a paper, a manual, a guideline)."""
    items: tuple[InstrumentItem, ...] = attrs.field(converter=_items)
    scale: Scale
    timing: tuple[Timing, ...] = attrs.field(default=(), converter=_timing)
    reliable_change: float | None = None
    cutoff: float | None = None

    @property
    def item_keys(self) -> tuple[str, ...]:
        """The keys of the items, in order."""
        return tuple(i.key for i in self.items)

    def check(self, answers: Mapping[str, float]) -> dict[str, float]:
        """``answers`` checked: every item answered once, each on the scale.

        Raises:
            InvalidValueError: an unknown or missing item, or a value off the scale.
        """
        unknown = sorted(set(answers) - set(self.item_keys))
        missing = [k for k in self.item_keys if k not in answers]
        if unknown or missing:
            msg = Message(
                "instrument {key!r}: the answers must cover the items {items!r}; unknown "
                "{unknown!r}, missing {missing!r}",
                key=self.key,
                items=list(self.item_keys),
                unknown=unknown,
                missing=missing,
            )
            raise InvalidValueError(msg, field="answers", value=unknown or missing)
        checked: dict[str, float] = {}
        for key in self.item_keys:
            value = answers[key]
            steps = (value - self.scale.low) / self.scale.step if _number(value) else -1.0
            if (
                not _number(value)
                or not self.scale.low <= value <= self.scale.high
                or (abs(steps - round(steps)) > 1e-9)
            ):
                msg = Message(
                    "instrument {key!r}: {item} must be from {low} to {high} in steps of "
                    "{step}, got {value!r}",
                    key=self.key,
                    item=key,
                    low=self.scale.low,
                    high=self.scale.high,
                    step=self.scale.step,
                    value=value,
                )
                raise InvalidValueError(msg, field=key, value=value)
            checked[key] = float(value)
        return checked

    def score(self, answers: Mapping[str, float]) -> float:
        """The score of one answer sheet: the sum or the mean of its items."""
        values = list(self.check(answers).values())
        total = sum(values)
        return total / len(values) if self.scale.score == "mean" else total

    def improvement(self, first: float, last: float) -> float:
        """How much better ``last`` is than ``first`` (positive is better, on either scale)."""
        return last - first if self.scale.higher_is_better else first - last


def _number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)


def _answers(value: Mapping[str, float]) -> Mapping[str, float]:
    return dict(value)


def _code(value: CaseCode | str) -> CaseCode:
    return value if isinstance(value, CaseCode) else CaseCode.parse(value)


@attrs.frozen(kw_only=True)
class Response:
    """One filled-in answer sheet of an instrument, for a case, on a day.

    Make one with [`Response.record`][ettervern.instruments.Response.record], which checks the answers against the instrument.
    """

    case: CaseCode = attrs.field(converter=_code)
    on: dt.date
    instrument: str
    answers: Mapping[str, float] = attrs.field(converter=_answers)
    score: float

    @classmethod
    def record(
        cls,
        instrument: Instrument | str,
        *,
        case: CaseCode | str,
        on: dt.date,
        answers: Mapping[str, float],
    ) -> Response:
        """Check ``answers`` against ``instrument`` (an [`Instrument`][ettervern.instruments.Instrument] or a shipped key)
        and keep them with their score.

        >>> import datetime as dt
        >>> sheet = Response.record(
        ...     "ors",
        ...     case="01/20-SA",
        ...     on=dt.date(2020, 3, 2),
        ...     answers={"individually": 4.5, "interpersonally": 6, "socially": 5, "overall": 4},
        ... )
        >>> sheet.score
        19.5
        """
        found = instrument if isinstance(instrument, Instrument) else _shipped(instrument)
        checked = found.check(answers)
        return cls(
            case=case, on=on, instrument=found.key, answers=checked, score=found.score(checked)
        )

    @classmethod
    def from_outcome(cls, case: CaseCode | str, on: dt.date, outcome: Outcome) -> Response | None:
        """A BrukerPlan answer sheet from an [`Outcome`][ettervern.Outcome] that scores all eight domains,
        else ``None``."""
        scores = outcome.scores
        if len(scores) != len(LifeDomain):
            return None
        answers = {d.value: float(s) for d, s in scores.items()}
        return cls.record("brukerplan", case=case, on=on, answers=answers)


def instrument_from_dict(data: Mapping[str, Any], *, source: str = "instrument") -> Instrument:
    """An instrument from plain data (TOML or JSON), as the shipped files are written.

    Raises:
        ConfigError: with one line per bad field, each naming it by path.
    """
    return structure(dict(data), Instrument, source)


@functools.cache
def instrument(key: str) -> Instrument:
    """A shipped instrument: ``"brukerplan"``, ``"ors"`` or ``"srs"``.

    >>> ", ".join(item.key for item in instrument("ors").items)
    'individually, interpersonally, socially, overall'

    Raises:
        ConfigError: there is no such instrument.
    """
    name = key.strip().casefold()
    if name not in INSTRUMENTS:
        problem = Message(
            "no built-in instrument {key!r}; choose one of {known!r}",
            key=key,
            known=list(INSTRUMENTS),
        )
        raise ConfigError(Message("instrument name"), [problem])
    return instrument_from_dict(read_toml("instruments", f"{name}.toml"), source=name)


def _shipped(key: str) -> Instrument:
    return instrument(key)
