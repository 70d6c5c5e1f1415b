"""Text in the reader's language: messages and labels rendered per call, dates, numbers,
durations and shares written the Norwegian way, and Norwegian alphabetical order.

Languages are CLDR codes: ``"nb"`` (Bokmål, the default), ``"nn"`` (Nynorsk), ``"en"``.
Every error's ``message_in(locale)`` and every report's ``to_text(locale)`` go through here.
"""

from __future__ import annotations

from ettervern._contract import enforce
from ettervern._l10n import (
    LOCALES,
    Label,
    Message,
    format_date,
    format_duration,
    format_number,
    format_share,
    norwegian_sort_key,
    norwegian_sorted,
)

__all__ = [
    "LOCALES",
    "Label",
    "Message",
    "format_date",
    "format_duration",
    "format_number",
    "format_share",
    "norwegian_sort_key",
    "norwegian_sorted",
]

enforce(globals(), __all__)
