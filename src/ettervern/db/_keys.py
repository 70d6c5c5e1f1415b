"""The register's secret key: kept apart from the database (a secrets store, a key file that
only the service may read, an environment variable), never stored in it.

It keys two things: the digests that remember erased entries (so nobody without the key can
test a candidate row against them) and the audit trail's hash chain (so nobody without the key
can rewrite it consistently). The database holds only ``key_check``, an HMAC of a fixed text,
which tells the right key from a wrong one and reveals nothing of it.
"""

from __future__ import annotations

import hashlib
import hmac
import os

from ettervern._l10n import HIDDEN, Message
from ettervern.errors import InvalidValueError
from ettervern.privacy import MIN_KEY_BYTES

__all__ = ["KEY_VARIABLE", "check_key", "digest", "key_check"]

KEY_VARIABLE = "ETTERVERN_REGISTER_KEY"
"""The environment variable a register's key is read from when none is passed."""

_CHECK = b"ettervern register key check"


def check_key(key: object) -> bytes | None:
    """``key`` (or, when ``None``, the environment's ``ETTERVERN_REGISTER_KEY``) as bytes;
    ``None`` when there is neither. The error never repeats the key."""
    if key is None:
        key = os.environ.get(KEY_VARIABLE) or None
        if key is None:
            return None
    secret = key.encode("utf-8") if isinstance(key, str) else key
    if not isinstance(secret, bytes) or len(secret) < MIN_KEY_BYTES or len(set(secret)) == 1:
        msg = Message(
            "{field} must be a secret of at least {size} bytes (bytes or text), not one byte "
            "repeated; make one with ettervern.privacy.make_pseudonym_key()",
            field="key",
            size=MIN_KEY_BYTES,
        )
        raise InvalidValueError(msg, field="key", value=HIDDEN)
    return secret


def digest(key: bytes, text: str) -> str:
    """HMAC-SHA256 of ``text`` under ``key``, as 64 hexadecimal digits."""
    return hmac.new(key, text.encode(), hashlib.sha256).hexdigest()


def key_check(key: bytes) -> str:
    """What the register stores to recognise its key: an HMAC of a fixed text."""
    return hmac.new(key, _CHECK, hashlib.sha256).hexdigest()
