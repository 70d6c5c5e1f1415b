"""Case JSON decoded by msgspec (the ``fast`` extra) into typed rows, in C, while it is parsed.

``json.loads`` makes a dict per event, and the reader then made a key per event to find the
events read before: 0.86 s of CPU for 100,000 cases, more than the parse. msgspec decodes each
event straight into a frozen struct (``EventRow``), which is its own key: hashed and compared
in C. The rows hold the JSON's values as ``json.loads`` gives them (the fields are untyped but
the flags, which must be bools); an event not read before is built from its row's table
(``item_of``) by the same code that builds it from the parsed dict, and a case the rows cannot
build is read from the text parsed by ``json``, so every case and every rejection is the same.

msgspec accepts a subset of what ``json.loads`` does (no ``NaN``, no number out of range, no
lone surrogate) and gives the same values for it. Anything else, or a name the format does not
have, makes ``case_rows`` return ``None``, and the reader parses the whole text with ``json``
as before.
"""

from __future__ import annotations

import functools
import operator
from typing import Any

__all__ = ["EVENT_NAMES", "TYPED_FROM", "case_rows", "item_of"]

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
    """The decoder of a list of cases, or ``None`` without msgspec; made when first used, so
    importing ettervern does not import msgspec."""
    try:
        import msgspec  # optional, and not paid for at import
    except ImportError:
        return None
    unset = msgspec.UNSET
    # A struct for each kind of event, told apart by its tag (``event``), with that kind's
    # names only: hashing and comparing a row reads a few fields. A name missing from the
    # table stays UNSET (the event's default then applies), a null is None, as in the dict.
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
    # A case's table: a name missing reads as None, as ``dict.get`` reads it.
    case_row = msgspec.defstruct(
        "CaseRow",
        [
            ("schema_version", Any, None),
            ("code", Any, None),
            ("municipality", Any, None),
            ("events", list[event_row] | None, None),  # type: ignore[valid-type]
            ("birth_year", Any, None),
            ("gender", Any, None),
            ("code_scheme", Any, None),
            ("person", Any, None),
        ],
        forbid_unknown_fields=True,
    )
    return msgspec.json.Decoder(list[case_row]), msgspec.MsgspecError, unset  # type: ignore[valid-type]


def case_rows(text: str) -> list[Any] | None:
    """The cases of ``text`` as typed rows (fields as in ``case_to_dict``; events as
    ``EventRow``s), or ``None`` when msgspec is not installed or the text is not in that
    shape: the reader then parses it with ``json``."""
    found = _decoder()
    if found is None:
        return None
    decoder, error, _ = found
    try:
        rows: list[Any] = decoder.decode(text.encode())  # faster than the text itself
    except (error, UnicodeEncodeError):  # a lone surrogate in the text, which json reads
        return None
    return rows


def item_of(row: Any) -> dict[str, Any]:
    """An event row's table, as ``json.loads`` parses it (names missing left out)."""
    unset = _decoder()[2]
    tag = type(row).__struct_config__.tag
    item = {"event": tag}
    for name in EVENT_NAMES[tag]:
        value = getattr(row, name)
        if value is not unset:
            item[name] = value
    return item
