"""Languages: messages and labels through the babel catalogs, locale-aware numbers and dates,
Norwegian collation. The lowest layer of the domain: it knows no aftercare concept.

Modules inside are private; other layers import from here, users from [`ettervern`][ettervern].
"""

from __future__ import annotations

from ettervern._l10n._collation import (
    closest,
    loose_name,
    normalise_name,
    norwegian_sort_key,
    norwegian_sorted,
)
from ettervern._l10n._messages import (
    DEFAULT_LOCALE,
    HIDDEN,
    LOCALES,
    N_,
    Bullets,
    EttervernError,
    Label,
    Message,
    Share,
    UnsupportedLocaleError,
    format_date,
    format_duration,
    format_number,
    format_period,
    format_share,
    has_translation,
    month_name,
    ngettext,
    normalise_locale,
    step_decimals,
    translate,
)
from ettervern._l10n._redaction import (
    IDENTITY_RUN,
    contains_identity,
    looks_like_name,
    redact,
    redact_value,
)

__all__ = [
    "DEFAULT_LOCALE",
    "HIDDEN",
    "IDENTITY_RUN",
    "LOCALES",
    "N_",
    "Bullets",
    "EttervernError",
    "Label",
    "Message",
    "Share",
    "UnsupportedLocaleError",
    "closest",
    "contains_identity",
    "format_date",
    "format_duration",
    "format_number",
    "format_period",
    "format_share",
    "has_translation",
    "looks_like_name",
    "loose_name",
    "month_name",
    "ngettext",
    "normalise_locale",
    "normalise_name",
    "norwegian_sort_key",
    "norwegian_sorted",
    "redact",
    "redact_value",
    "step_decimals",
    "translate",
]
