"""Personal data: recognising national identity numbers, and keyed pseudonyms instead of them.

``ettervern`` never stores a national identity number (fødselsnummer, D-number, H-number). This
module lets an integrator *recognise* one (to refuse it where it does not belong) and turn one into
a **pseudonym**: an HMAC-SHA256 of the number under a secret key the municipality holds, so that
people can be counted across services and years, and a re-referral linked to an earlier case,
without anyone holding the number. Whoever has the key and a number can recompute its pseudonym;
nobody can go from a pseudonym back to the number. A new key gives new pseudonyms (key rotation).

Errors never repeat the number they were given.
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
import re

from ettervern.errors import NationalIdError
from ettervern.l10n import HIDDEN, Message

__all__ = ["HIDDEN", "MIN_KEY_BYTES", "is_valid_national_id", "looks_like_national_id", "pseudonym"]


MIN_KEY_BYTES = 16
"""The shortest secret key [`pseudonym()`][ettervern.privacy.pseudonym] accepts: 128 bits."""

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
_ELEVEN_DIGITS = re.compile(r"^\d{11}$")
_CANDIDATE = re.compile(r"(?<!\d)\d{6}\s?\d{5}(?!\d)")


def _check_digit(digits: tuple[int, ...], weights: tuple[int, ...]) -> int | None:
    remainder = 11 - sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    if remainder == 11:
        return 0
    if remainder == 10:
        return None
    return remainder


def _century(year: int, individual: int) -> int | None:
    """The century of a birth year from the individual number (Skatteetaten's rules)."""
    if individual <= 499:
        return 1900
    if individual <= 749 and year >= 54:
        return 1800
    if year <= 39:
        return 2000
    if individual >= 900:
        return 1900
    return None


def _birth_date(digits: tuple[int, ...]) -> dt.date | None:
    day = digits[0] * 10 + digits[1]
    month = digits[2] * 10 + digits[3]
    year = digits[4] * 10 + digits[5]
    individual = digits[6] * 100 + digits[7] * 10 + digits[8]
    if day > 40:  # D-number: the first digit is raised by 4
        day -= 40
    if month > 40:  # H-number (help number): the third digit is raised by 4
        month -= 40
    century = _century(year, individual)
    if century is None:
        return None
    try:
        return dt.date(century + year, month, day)
    except ValueError:
        return None


def is_valid_national_id(value: str) -> bool:
    """Whether ``value`` is a valid Norwegian national identity number.

    Accepts fødselsnummer, D-numbers (day + 40) and H-numbers (month + 40): eleven digits (one
    space after the date part is allowed), a real date of birth and both mod-11 check digits.
    """
    if not isinstance(value, str):
        return False
    text = value.replace(" ", "")
    if not _ELEVEN_DIGITS.match(text):
        return False
    digits = tuple(int(c) for c in text)
    if _birth_date(digits) is None:
        return False
    first = _check_digit(digits[:9], _W1)
    if first is None or first != digits[9]:
        return False
    second = _check_digit(digits[:10], _W2)
    return second is not None and second == digits[10]


def looks_like_national_id(text: str) -> bool:
    """Whether ``text`` contains a valid national identity number anywhere in it."""
    return any(is_valid_national_id(m.group()) for m in _CANDIDATE.finditer(str(text)))


def pseudonym(national_id: str, *, key: bytes | str) -> str:
    """A stable pseudonym for a person: HMAC-SHA256 of the number under ``key``, 26 characters.

    The result is lower-case base32 (letters and the digits 2-7), 130 bits of the HMAC, and
    never contains the number. The same number and key always give the same pseudonym; another
    key gives another one.

    Raises:
        NationalIdError: the number is not valid (the message does not repeat it), or the key is
            shorter than [`MIN_KEY_BYTES`][ettervern.privacy.MIN_KEY_BYTES].
    """
    secret = key.encode("utf-8") if isinstance(key, str) else bytes(key)
    if len(secret) < MIN_KEY_BYTES:
        msg = Message(
            "the pseudonym key must be at least {size} bytes; keep it secret and out of the data",
            size=MIN_KEY_BYTES,
        )
        raise NationalIdError(msg)
    if not is_valid_national_id(national_id):
        msg = Message(
            "not a valid national identity number (11 digits, a real birth date, both check digits)"
        )
        raise NationalIdError(msg)
    digest = hmac.new(secret, national_id.replace(" ", "").encode("ascii"), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii").lower().rstrip("=")[:26]
