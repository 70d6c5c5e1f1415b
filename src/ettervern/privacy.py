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
import hashlib
import hmac
import re
import secrets

from stdnum.no import fodselsnummer

from ettervern._l10n import HIDDEN, IDENTITY_RUN, Message
from ettervern.errors import NationalIdError

__all__ = [
    "HIDDEN",
    "MIN_KEY_BYTES",
    "is_valid_national_id",
    "looks_like_national_id",
    "make_pseudonym_key",
    "pseudonym",
]


MIN_KEY_BYTES = 16
"""The shortest secret key [`pseudonym()`][ettervern.privacy.pseudonym] accepts: 128 bits."""

_SEPARATED = re.compile(r"^(\d{6})[ -]?(\d{5})$")


def _compact(value: str) -> str | None:
    """The eleven digits of ``value`` (one space or hyphen allowed after the date part)."""
    match = _SEPARATED.match(value.strip())
    return None if match is None else match.group(1) + match.group(2)


def is_valid_national_id(value: object) -> bool:
    """Whether ``value`` is a valid Norwegian national identity number.

    Accepts fødselsnummer, D-numbers (day + 40) and H-numbers (month + 40): eleven digits (one
    space or hyphen after the date part is allowed), a real date of birth that is not in the
    future, and both mod-11 check digits. The rules are python-stdnum's
    (``stdnum.no.fodselsnummer``), which knows D- and H-numbers.
    """
    if not isinstance(value, str):
        return False
    digits = _compact(value)
    return digits is not None and fodselsnummer.is_valid(digits)


def looks_like_national_id(text: object) -> bool:
    """Whether ``text`` contains a valid national identity number anywhere in it."""
    return any(is_valid_national_id(m.group()) for m in IDENTITY_RUN.finditer(str(text)))


def make_pseudonym_key() -> str:
    """A new secret key for ``pseudonym``: 32 random bytes from the operating system, as
    43 characters of URL-safe base64 (easy to keep in a secrets store or an environment
    variable). Keep it secret and out of the data; a new key gives new pseudonyms.

    >>> len(make_pseudonym_key())
    43
    """
    return secrets.token_urlsafe(32)


def _secret(key: object) -> bytes:
    """The key as bytes, or ``NationalIdError`` when it is not a usable secret."""
    if isinstance(key, str):
        secret = key.encode("utf-8")
    elif isinstance(key, bytes | bytearray):
        secret = bytes(key)
    else:
        msg = Message(
            "the pseudonym key must be bytes or text, got a value of type {given}; make one "
            "with make_pseudonym_key()",
            given=type(key).__name__,
        )
        raise NationalIdError(msg)
    if len(secret) < MIN_KEY_BYTES:
        msg = Message(
            "the pseudonym key must be at least {size} bytes; keep it secret and out of the data",
            size=MIN_KEY_BYTES,
        )
        raise NationalIdError(msg)
    if len(set(secret)) == 1:
        msg = Message(
            "the pseudonym key is one byte repeated, which anyone could guess; make one with "
            "make_pseudonym_key()"
        )
        raise NationalIdError(msg)
    return secret


def pseudonym(national_id: str, *, key: bytes | str) -> str:
    """A stable pseudonym for a person: HMAC-SHA256 of the number under ``key``, 26 characters.

    The result is lower-case base32 (letters and the digits 2-7), 130 bits of the HMAC, and
    never contains the number. The same number and key always give the same pseudonym; another
    key gives another one.

    Raises:
        NationalIdError: the number is not valid (the message does not repeat it), or the key is
            not bytes or text, shorter than [`MIN_KEY_BYTES`][ettervern.privacy.MIN_KEY_BYTES], or one
            byte repeated.
    """
    secret = _secret(key)
    if not is_valid_national_id(national_id):
        msg = Message(
            "not a valid national identity number (11 digits, a real birth date, both check digits)"
        )
        raise NationalIdError(msg)
    digits = _compact(national_id) or ""
    digest = hmac.new(secret, digits.encode("ascii"), hashlib.sha256).digest()
    return base64.b32encode(digest).decode("ascii").lower().rstrip("=")[:26]
