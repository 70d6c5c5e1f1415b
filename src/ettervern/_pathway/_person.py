"""The person behind a case, as a keyed pseudonym only (never a name or an identity number).

A case may carry the pseudonym [`pseudonym`][ettervern.privacy.pseudonym] makes from the person's
national identity number under the municipality's secret key. The key is never stored with the
cases; whoever holds it can recompute the pseudonym, nobody can go back from it. With it, reports
count distinct **people** as well as episodes (cases), across years and services.
"""

from __future__ import annotations

import re

import attrs

from ettervern._l10n import Message
from ettervern.errors import InvalidValueError
from ettervern.privacy import HIDDEN, looks_like_national_id

__all__ = ["PSEUDONYM", "check_person"]

PSEUDONYM = re.compile(r"^[a-z2-7]{26}$")
"""What [`pseudonym`][ettervern.privacy.pseudonym] gives: 26 characters of lower-case base32."""


def check_person(_: object, attribute: attrs.Attribute[str | None], value: str | None) -> None:
    """An attrs validator: ``None`` or a pseudonym; an identity number is refused unrepeated."""
    if value is None:
        return
    if isinstance(value, str) and looks_like_national_id(value):
        msg = Message(
            "{field} must be a pseudonym, not a national identity number: use "
            "ettervern.privacy.pseudonym(number, key=...)",
            field=attribute.name,
        )
        raise InvalidValueError(msg, field=attribute.name, value=HIDDEN)
    if not isinstance(value, str) or not PSEUDONYM.match(value):
        msg = Message(
            "{field} must be a pseudonym made by ettervern.privacy.pseudonym (26 characters, "
            "a-z and 2-7)",
            field=attribute.name,
        )
        raise InvalidValueError(msg, field=attribute.name, value=HIDDEN)
