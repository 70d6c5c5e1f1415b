"""Case JSON decoded by msgspec (the ``fast`` extra) into typed rows, in C, while it is parsed.

``json.loads`` makes a dict per event, and the reader then made a key per event to find the
events read before: 0.86 s of CPU for 100,000 cases, more than the parse. msgspec decodes each
case into a typed row and leaves each event as its JSON text (``msgspec.Raw``, a slice of the
text, no value made): the text, as bytes, is the event's key among those read before, hashed
and compared in C as one run of bytes. An event not read before is decoded from its text
(``event_row``) into a frozen struct that holds the JSON's values as ``json.loads`` gives them
(the fields are untyped but the flags, which must be bools), and built from that row's table
(``item_of``) by the same code that builds it from the parsed dict; a case whose events or
fields the rows cannot build is read from the text parsed by ``json``, so every case and every
rejection is the same.

msgspec accepts a subset of what ``json.loads`` does (no ``NaN``, no number out of range, no
lone surrogate) and gives the same values for it. Anything else in a case's fields, or a text
that is not a list of tables with the format's names, makes ``case_rows`` return ``None``, and
the reader parses the whole text with ``json`` as before; an event that ``event_row`` cannot
decode sends its case alone to ``json``.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

__all__ = ["EVENT_NAMES", "TYPED_FROM", "case_rows", "event_row", "item_of", "typed"]

TYPED_FROM = 2 << 20
"""The length of text (2 Mi characters, about 3,000 cases) from which the reader decodes with
msgspec: importing it takes about 30 ms of CPU, which a shorter text's read does not win back
(msgspec saves about 9 µs a case)."""

EVENT_NAMES: dict[str, tuple[str, ...]] = {
    "referral": ("on", "source"),
    "acceptance": ("on",),
    "decline": ("on", "reason"),
    "admission": ("on", "kind"),
    "discharge": ("on",),
    "step": ("on", "step"),
    "task": ("on", "task"),
    "assessment": ("on", "outcome"),
    "closure": (
        "on",
        "reason",
        "report_delivered",
        "evaluation_given",
        "taken_over_by",
        "outcome",
    ),
    "reopening": ("on",),
    "three_month_check": ("on", "reached", "outcome"),
    "staff_assigned": ("on", "staff", "coordinator"),
    "staff_released": ("on", "staff"),
    "waived": ("on", "task", "reason"),
    "rescheduled": ("on", "task", "to"),
    "discharge_expected": ("on", "expected"),
    "consent_given": ("on", "scope"),
    "consent_withdrawn": ("on", "scope"),
    "goal_set": ("on", "domain", "target", "due"),
    "goal_reviewed": ("on", "domain", "status"),
    "moved": ("on", "municipality"),
}
"""Each kind of event's tag and the names its table may hold (``tests/io`` holds it to the
event classes)."""


_FLAGS = frozenset({"report_delivered", "evaluation_given", "reached", "coordinator"})
"""The flags, decoded as ``bool`` only: as values of a row, ``1`` would equal ``True`` and read
as the event built from it; a flag that is not a bool sends the text to ``json``."""


@functools.cache
def _decoder() -> Any:
    """The decoder of a list of cases, the decoder of one event, msgspec's error and its
    ``UNSET``; ``None`` without msgspec. Made when first used, so importing ettervern does not
    import msgspec."""
    try:
        import msgspec  # optional, and not paid for at import
    except ImportError:
        return None
    unset = msgspec.UNSET
    # A struct for each kind of event, told apart by its tag (``event``), with that kind's
    # names only. A name missing from the table stays UNSET (the event's default then
    # applies), a null is None, as in the dict.
    event_rows = tuple(
        msgspec.defstruct(
            "EventRow",
            [(name, bool if name in _FLAGS else Any, unset) for name in names],
            frozen=True,
            forbid_unknown_fields=True,
            tag_field="event",
            tag=tag,
        )
        for tag, names in EVENT_NAMES.items()
    )
    event_row = functools.reduce(operator.or_, event_rows)
    # A case's table: a name missing reads as None, as ``dict.get`` reads it; each event is
    # kept as its text.
    case_row = msgspec.defstruct(
        "CaseRow",
        [
            ("schema_version", Any, None),
            ("code", Any, None),
            ("municipality", Any, None),
            ("events", list[msgspec.Raw] | None, None),
            ("birth_year", Any, None),
            ("gender", Any, None),
            ("code_scheme", Any, None),
            ("person", Any, None),
        ],
        forbid_unknown_fields=True,
    )
    cases = msgspec.json.Decoder(list[case_row])  # type: ignore[valid-type]
    return cases, msgspec.json.Decoder(event_row), msgspec.MsgspecError, unset


def case_rows(text: str) -> list[Any] | None:
    """The cases of ``text`` as typed rows (fields as in ``case_to_dict``; events as their
    JSON texts, ``msgspec.Raw``), or ``None`` when msgspec is not installed or the text is not
    in that shape: the reader then parses it with ``json``."""
    found = _decoder()
    if found is None:
        return None
    decoder, _, error, _ = found
    try:
        rows: list[Any] = decoder.decode(text.encode())  # faster than the text itself
    except (error, UnicodeEncodeError):  # a lone surrogate in the text, which json reads
        return None
    return rows


def typed() -> bool:
    """Whether msgspec is installed (the ``fast`` extra), so that ``event_row`` decodes."""
    return _decoder() is not None


def event_row(text: bytes | str) -> Any:
    """The typed row (an ``EventRow``) of an event's JSON ``text``: a slice of what
    ``case_rows`` decoded, or an event's text as a register stores it.

    Raises:
        ValueError: msgspec does not decode it into a row (an unknown kind or name, a flag
            that is not a bool, a number out of range): its case is read from ``json``'s parse.
    """
    _, decoder, error, _ = _decoder()
    try:
        return decoder.decode(text)
    except error:
        raise ValueError(text) from None


def item_of(row: Any) -> dict[str, Any]:
    """An event row's table, as ``json.loads`` parses it (names missing left out)."""
    unset = _decoder()[3]
    tag = type(row).__struct_config__.tag
    item = {"event": tag}
    for name in EVENT_NAMES[tag]:
        value = getattr(row, name)
        if value is not unset:
            item[name] = value
    return item
