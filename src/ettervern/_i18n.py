"""Translations and locale-aware formatting, through babel.

Every user-facing label goes through the gettext catalogs committed as ``.po`` files in
``ettervern/locale/<lang>/LC_MESSAGES/ettervern.po`` (Norwegian Bokmål ``nb``, the default;
Nynorsk ``nn``; English ``en``). They are read with babel when first needed, so nothing has to
be compiled on the user's side. The locale is an argument of each call; there is no
process-wide switch, so threads serving different languages do not disturb each other.

Message ids are English; ``msgctxt`` separates kinds of label (``category``, ``bucket`` …)
whose ids are stable keys rather than text.
"""

from __future__ import annotations

import datetime as dt
import functools
from importlib import resources

from babel.dates import format_date as _format_date
from babel.dates import get_month_names
from babel.lists import format_list
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent
from babel.units import format_unit

from ettervern.errors import UnsupportedLocaleError

__all__ = [
    "DEFAULT_LOCALE",
    "LOCALES",
    "N_",
    "format_date",
    "format_duration",
    "format_number",
    "format_share",
    "month_name",
    "normalise_locale",
    "translate",
]

DEFAULT_LOCALE = "nb"
"""Norwegian Bokmål, the library's default language."""
LOCALES = ("nb", "nn", "en")
"""The shipped languages, as CLDR codes."""

_ALIASES = {"no": "nb", "nob": "nb", "nno": "nn", "eng": "en"}


def N_(message: str) -> str:  # noqa: N802 - the gettext convention for "mark, translate later"
    """Mark ``message`` for extraction into the catalogs without translating it now."""
    return message


def normalise_locale(locale: str | None) -> str:
    """Map ``None``, ``"nb_NO"``, ``"no"``, ``"en-GB"`` … onto a shipped locale code.

    Raises:
        UnsupportedLocaleError: the language is not one of ``nb``, ``nn``, ``en``.
    """
    if locale is None:
        return DEFAULT_LOCALE
    language = locale.replace("-", "_").split("_")[0].strip().lower()
    language = _ALIASES.get(language, language)
    if language not in LOCALES:
        raise UnsupportedLocaleError(locale, LOCALES)
    return language


@functools.cache
def _catalog(locale: str) -> dict[tuple[str | None, str], str]:
    source = resources.files("ettervern").joinpath("locale", locale, "LC_MESSAGES", "ettervern.po")
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    table: dict[tuple[str | None, str], str] = {}
    for message in catalog:
        usable = isinstance(message.id, str) and isinstance(message.string, str)
        if usable and message.id and message.string and not message.fuzzy:
            table[(message.context, str(message.id))] = str(message.string)
    return table


def translate(message: str, locale: str | None = None, *, context: str | None = None) -> str:
    """Translate ``message`` into ``locale``; a message with no translation comes back as is."""
    return _catalog(normalise_locale(locale)).get((context, message), message)


def has_translation(message: str, locale: str, *, context: str | None = None) -> bool:
    """Whether the catalog of ``locale`` translates ``message``."""
    return (context, message) in _catalog(normalise_locale(locale))


def format_number(value: float, locale: str | None = None, *, decimals: int = 1) -> str:
    """Format a number the way ``locale`` writes it: ``1 234,5`` in Norwegian.

    Whole numbers are written without decimals; others with at most ``decimals``.
    """
    pattern = "#,##0" if float(value).is_integer() else "#,##0." + "#" * decimals
    return format_decimal(value, format=pattern, locale=normalise_locale(locale))


def format_share(value: float, locale: str | None = None) -> str:
    """Format a share (0.256) as a percentage with one decimal: ``25,6 %``."""
    return format_percent(value, format="#,##0.0 %", locale=normalise_locale(locale))


def format_date(value: dt.date, locale: str | None = None) -> str:
    """Format a date as ``locale`` writes it in tables: ``21.01.2021`` in Norwegian."""
    code = normalise_locale(locale)
    pattern = "yyyy-MM-dd" if code == "en" else "dd.MM.yyyy"
    return _format_date(value, pattern, locale=code)


def format_duration(value: dt.timedelta, locale: str | None = None) -> str:
    """A duration in whole weeks and days, as ``locale`` writes it: ``8 uker og 3 dager``.

    Follow-up is planned in weeks (6-8 weeks in Salten), so weeks come first; hours are dropped.
    """
    code = normalise_locale(locale)
    weeks, days = divmod(value.days, 7)
    parts = []
    if weeks:
        parts.append(format_unit(weeks, "duration-week", length="long", locale=code))
    if days or not weeks:
        parts.append(format_unit(days, "duration-day", length="long", locale=code))
    return format_list(parts, locale=code)


def month_name(month: int, locale: str | None = None) -> str:
    """The month's name in ``locale``: ``januar``, ``January``."""
    return str(get_month_names("wide", locale=normalise_locale(locale))[month])
