"""One redaction for everything the library says: no identity number or name is ever repeated.

Messages (and so every error) and the rejected rows of an import pass through ``redact``,
which hides any run of eleven digits shaped like a national identity number (fødselsnummer,
D-number, H-number), written together or with one separator after the date part
(``15038510190``, ``150385 10190``, ``150385-10190``: a synthetic number of no real person), and
any longer run of digits, which may hold one. It hides the run whether or not its check digits are right: a mistyped number
identifies a person nearly as well.

It lives in the lowest layer because the base error (``EttervernError``) and
``Message`` use it; ``ettervern.privacy`` builds on it.
"""

from __future__ import annotations

import re

__all__ = ["IDENTITY_RUN", "contains_identity", "looks_like_name", "redact", "redact_value"]

IDENTITY_RUN = re.compile(r"\d{6}[ .\-/]?\d{5,}")
"""Eleven digits as an identity number is written, ``DDMMYY`` and five more with one separator
allowed between them, or any longer run of digits (which may hold one)."""

_SHORTEST_RUN = 11
"""The fewest characters ``IDENTITY_RUN`` matches: six digits and five more."""

_NAME = re.compile(r"^\s*[^\W\d_]{2,}(?:[ '\-]+[^\W\d_]+)*\s*$")


def contains_identity(text: str) -> bool:
    """Whether ``text`` holds a run of digits shaped like an identity number (never text of
    fewer than eleven characters, the shortest such run: a case code is not searched)."""
    return len(text) >= _SHORTEST_RUN and IDENTITY_RUN.search(text) is not None


def looks_like_name(text: str) -> bool:
    """Whether ``text`` is only words of letters (``Kari Nordmann``): in a field that takes a
    code or a number, that is most likely a person's name."""
    return _NAME.match(text) is not None and any(c.islower() or c == " " for c in text.strip())


def redact(text: str, placeholder: str) -> str:
    """``text`` with every identity-number-shaped run replaced by ``placeholder``.

    >>> redact("got '150385-10190' in row 4", "(hidden)")
    "got '(hidden)' in row 4"
    """
    return IDENTITY_RUN.sub(placeholder, text)


def redact_value(value: object, placeholder: str) -> object:
    """``value`` as it may be shown: the placeholder if it is text holding an identity-number-shaped
    run, or a whole number of ten or eleven digits (an identity number typed into a number
    cell; as a number it loses a leading zero), otherwise itself."""
    if isinstance(value, bool):
        return value
    if isinstance(value, int):
        return placeholder if 10**9 <= value < 10**11 else value
    if isinstance(value, str) and contains_identity(value):
        return placeholder
    return value
