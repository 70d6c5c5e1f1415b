"""Translations and locale-aware formatting, through babel.

Every user-facing label goes through the gettext catalogs committed as ``.po`` files in
``ettervern/_l10n/locale/<lang>/LC_MESSAGES/ettervern.po`` (Norwegian Bokmål ``nb``, the default;
Nynorsk ``nn``; English ``en``). They are read with babel when first needed, so nothing has to
be compiled on the user's side. The locale is an argument of each call; there is no
process-wide switch, so threads serving different languages do not disturb each other.

Message ids are English; ``msgctxt`` separates kinds of label (``category``, ``bucket`` …)
whose ids are stable keys rather than text.

Error messages and import reasons are [`Message`][ettervern.language.Message] values: an English template
with named parameters, kept apart until the message is shown, so that one error can be read in any
of the shipped languages (``error.message_in("nn")``), with its dates and numbers written the way
that language writes them.
"""

from __future__ import annotations

import datetime as dt
import decimal
import functools
import string
from collections.abc import Callable, Mapping, Sequence
from contextlib import AbstractContextManager
from gettext import c2py
from importlib import resources
from typing import Any

import attrs
from babel.dates import format_date as _format_date
from babel.dates import format_interval, get_month_names
from babel.lists import format_list
from babel.messages.plurals import get_plural
from babel.messages.pofile import read_po
from babel.numbers import format_decimal, format_percent

from ettervern._l10n._redaction import redact, redact_value

__all__ = [
    "DEFAULT_LOCALE",
    "HIDDEN",
    "LOCALES",
    "N_",
    "Bullets",
    "EttervernError",
    "Label",
    "Message",
    "UnsupportedLocaleError",
    "format_date",
    "format_duration",
    "format_number",
    "format_period",
    "format_share",
    "has_translation",
    "month_name",
    "ngettext",
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


HIDDEN = N_("(hidden: looks like personal data)")
"""What error messages and rejected-row lists show instead of a value that looks like an identity
number or a name. Messages show it translated. Re-exported as
[`privacy.HIDDEN`][ettervern.privacy.HIDDEN]."""


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
def _catalogs(
    locale: str,
) -> tuple[dict[tuple[str | None, str], str], dict[tuple[str | None, str], tuple[str, ...]]]:
    """The messages of ``locale``, and its plural messages (by singular) with each form."""
    source = resources.files("ettervern._l10n").joinpath(
        "locale", locale, "LC_MESSAGES", "ettervern.po"
    )
    with source.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    table: dict[tuple[str | None, str], str] = {}
    plurals: dict[tuple[str | None, str], tuple[str, ...]] = {}
    for message in catalog:
        if not message.id or not message.string or message.fuzzy:
            continue
        if isinstance(message.id, str) and isinstance(message.string, str):
            table[(message.context, str(message.id))] = str(message.string)
        elif isinstance(message.id, tuple | list) and all(message.string):
            plurals[(message.context, str(message.id[0]))] = tuple(map(str, message.string))
    return table, plurals


def _catalog(locale: str) -> dict[tuple[str | None, str], str]:
    return _catalogs(locale)[0]


@functools.cache
def _plural_form(locale: str) -> Callable[[int], int]:
    """Which form of a plural message a count takes: gettext's rule for the language."""
    return c2py(get_plural(locale).plural_expr)


def ngettext(
    singular: str, plural: str, n: int, locale: str | None = None, *, context: str | None = None
) -> str:
    """The form of a message for the count ``n``, through the language's plural rule.

    Norwegian and English have two forms (one, and everything else), but the rule comes from
    babel for each language, so a language with more forms needs only its catalog.

    >>> ngettext("wrote {count} table to {path}", "wrote {count} tables to {path}", 1, "nb")
    'skrev {count} tabell til {path}'
    >>> ngettext("wrote {count} table to {path}", "wrote {count} tables to {path}", 5, "nn")
    'skreiv {count} tabellar til {path}'
    """
    code = normalise_locale(locale)
    forms = _catalogs(code)[1].get((context, singular))
    if forms is None:
        return singular if n == 1 else plural
    return forms[min(_plural_form(code)(abs(int(n))), len(forms) - 1)]


def translate(message: str, locale: str | None = None, *, context: str | None = None) -> str:
    """Translate ``message`` into ``locale``; a message with no translation comes back as is."""
    return _catalog(normalise_locale(locale)).get((context, message), message)


def has_translation(message: str, locale: str, *, context: str | None = None) -> bool:
    """Whether the catalog of ``locale`` translates ``message`` (or the singular of a plural)."""
    table, plurals = _catalogs(normalise_locale(locale))
    return (context, message) in table or (context, message) in plurals


def step_decimals(step: float, most: int = 4) -> int:
    """The decimals a number in steps of ``step`` needs: 2 for quarter hours (0.25), 1 for
    half hours (0.5), 0 for whole hours; at most ``most``.

    >>> step_decimals(0.25), step_decimals(0.5), step_decimals(1)
    (2, 1, 0)
    """
    for decimals in range(most + 1):
        scaled = step * 10**decimals
        if abs(scaled - round(scaled)) < 1e-9:
            return decimals
    return most


def format_number(
    value: float, locale: str | None = None, *, decimals: int = 1, step: float | None = None
) -> str:
    """Format a number the way ``locale`` writes it: ``1 234,5`` in Norwegian.

    Whole numbers are written without decimals; others with at most ``decimals``, or as many as
    a team's time unit ``step`` needs when that is more, so that quarter hours add up on the
    page:

    >>> format_number(2.25, "nb", step=0.25), format_number(2.25, "nb")
    ('2,25', '2,2')
    """
    if step is not None:
        decimals = max(decimals, step_decimals(step))
    pattern = "#,##0" if float(value).is_integer() else "#,##0." + "#" * min(max(decimals, 0), 20)
    with _precise():
        return format_decimal(value, format=pattern, locale=normalise_locale(locale))


def format_share(value: float, locale: str | None = None, *, decimals: int = 1) -> str:
    """Format a share (0.256) as a percentage with ``decimals`` decimals: ``25,6 %``."""
    decimals = min(max(decimals, 0), 20)
    pattern = "#,##0." + "0" * decimals + " %" if decimals else "#,##0 %"
    with _precise():
        return format_percent(value, format=pattern, locale=normalise_locale(locale))


def _precise() -> AbstractContextManager[decimal.Context]:
    """Enough decimal precision for any float (up to 1e308) to be written in full."""
    return decimal.localcontext(prec=400)


def format_date(value: dt.date, locale: str | None = None) -> str:
    """Format a date as ``locale`` writes it in tables: ``21.01.2021`` in Norwegian."""
    code = normalise_locale(locale)
    pattern = "yyyy-MM-dd" if code == "en" else "dd.MM.yyyy"
    return _format_date(value, pattern, locale=code)


def format_duration(value: dt.timedelta, locale: str | None = None) -> str:
    """A duration in whole weeks and days, as ``locale`` writes it: ``8 uker og 3 dager``.

    Follow-up is planned in weeks (6-8 weeks in Salten), so weeks come first; hours are dropped.
    The units come from the catalogs with each language's plural forms: CLDR's Bokmål and
    Nynorsk say *døgn* (a day and a night), where a follow-up plan says *dager*.

    >>> format_duration(dt.timedelta(days=59)), format_duration(dt.timedelta(days=1), "nn")
    ('8 uker og 3 dager', '1 dag')
    >>> format_duration(dt.timedelta(weeks=1), "en")
    '1 week'
    """
    code = normalise_locale(locale)
    weeks, days = divmod(value.days, 7)
    parts = []
    if weeks:
        text = ngettext("{count} week", "{count} weeks", weeks, code)
        parts.append(text.format(count=weeks))
    if days or not weeks:
        parts.append(ngettext("{count} day", "{count} days", days, code).format(count=days))
    return format_list(parts, locale=code)


def format_period(start: dt.date, end: dt.date, locale: str | None = None) -> str:
    """A span of days in words, as ``locale`` says it: ``2020``, ``2020–2021``, ``mars 2020``,
    ``2. kvartal 2020``, else from the first to the last day (``1.–15. mars 2020``).

    >>> format_period(dt.date(2020, 4, 1), dt.date(2020, 6, 30), "nb")
    '2. kvartal 2020'
    >>> format_period(dt.date(2020, 3, 1), dt.date(2020, 3, 31), "en")
    'March 2020'
    """
    code = normalise_locale(locale)
    after = end + dt.timedelta(days=1)
    if start.day == 1 and after.day == 1:
        if (start.month, after.month) == (1, 1):
            years = after.year - start.year
            return str(start.year) if years == 1 else f"{start.year}–{end.year}"
        months = (after.year - start.year) * 12 + after.month - start.month
        if months == 1:
            return _format_date(start, "LLLL y", locale=code)
        if months == 3 and start.month % 3 == 1:
            return _format_date(start, "QQQQ y", locale=code)
    return str(format_interval(start, end, "yMMMd", locale=code))


def month_name(month: int, locale: str | None = None) -> str:
    """The month's name in ``locale``: ``januar``, ``January``."""
    return str(get_month_names("wide", locale=normalise_locale(locale))[month])


@attrs.frozen
class Label:
    """A label known by a stable key, translated when shown: ``Label("date", "column")``.

    Used as a [`Message`][ettervern.language.Message] parameter for names the catalogs translate (a column, a
    category, an event), so that they follow the language of the message.
    """

    key: str
    context: str
    fallback: str | None = None
    """Shown when the catalogs do not know the key (a team's own category, say)."""

    def render(self, locale: str | None = None) -> str:
        """The label in ``locale``."""
        code = normalise_locale(locale)
        if self.fallback is not None and not has_translation(self.key, code, context=self.context):
            return self.fallback
        return translate(self.key, code, context=self.context)


@attrs.frozen
class Bullets:
    """Lines of a [`Message`][ettervern.language.Message] parameter, each on its own line after a dash."""

    items: tuple[Message, ...]

    def render(self, locale: str | None = None) -> str:
        """Each item in ``locale``, as ``\\n  - item``."""
        return "".join(f"\n  - {item.render(locale)}" for item in self.items)


@attrs.frozen
class Share:
    """A share (0.256) as a [`Message`][ettervern.language.Message] parameter, written the way
    the message's language writes a percentage when it is shown: ``25,6 %`` in nb and nn."""

    value: float
    decimals: int = 1

    def render(self, locale: str | None = None) -> str:
        """The share in ``locale`` (``format_share``)."""
        return format_share(self.value, locale, decimals=self.decimals)


def _frozen(params: Mapping[str, object]) -> tuple[tuple[str, object], ...]:
    """The parameters as a hashable tuple, with any identity number replaced by ``HIDDEN``:
    a message never holds one, so neither does an error that carries it."""
    return tuple(
        (
            name,
            tuple(redact_value(v, HIDDEN) for v in value)
            if isinstance(value, list | tuple | set | frozenset)
            else redact_value(value, HIDDEN),
        )
        for name, value in params.items()
    )


@attrs.frozen(init=False)
class Message:
    """A user-facing message: an English template and its parameters, rendered per language.

    ``Message("hours must be in steps of {step} hours", step=0.5)`` renders as
    ``hours must be in steps of 0.5 hours`` in English and, through the catalogs, as
    ``timane må vere i steg på 0,5 timar`` in Nynorsk. In a template, ``{name}`` writes a
    parameter the way the language writes it (dates, numbers, lists, nested messages and
    [`Label`][ettervern.language.Label] values), and ``{name!r}`` quotes what the user typed: ``'x'`` in
    English, ``«x»`` in Norwegian. ``str(message)`` is the English text.
    """

    template: str
    params: tuple[tuple[str, object], ...]
    plural: str | None = None
    """The English plural template, when the message has a count (see [`plural_of()`][ettervern.language.Message.plural_of])."""
    by: str | None = None
    """The parameter whose number picks the singular or a plural form."""

    def __init__(self, template: str, /, **params: object) -> None:
        self.__attrs_init__(template, _frozen(params))

    @classmethod
    def plural_of(cls, singular: str, plural: str, /, *, by: str, **params: object) -> Message:
        """A message with a count: the parameter ``by`` picks the form in each language.

        >>> singular, plural = "{count} entry from {start} to {end}", "{count} entries from {start} to {end}"
        >>> one = Message.plural_of(singular, plural, by="count", count=1, start="a", end="b")
        >>> one.render("en"), one.render("nb")
        ('1 entry from a to b', '1 føring fra a til b')
        >>> Message.plural_of(singular, plural, by="count", count=3, start="a", end="b").render("nn")
        '3 føringar frå a til b'
        """
        message = cls.__new__(cls)
        message.__attrs_init__(singular, _frozen(params), plural, by)
        return message

    def render(self, locale: str | None = None) -> str:
        """The message in ``locale`` (Bokmål when ``None``)."""
        code = normalise_locale(locale)
        params = dict(self.params)
        if self.plural is not None and self.by is not None:
            count = params[self.by]
            number = int(count) if isinstance(count, int | float) else 0
            text = ngettext(self.template, self.plural, number, code)
        else:
            text = translate(self.template, code)
        # The one redaction: whatever the parameters held, no identity number is repeated.
        rendered = _Formatter(code).vformat(text, (), params)
        return redact(rendered, translate(HIDDEN, code))

    def __str__(self) -> str:
        return self.render("en")


_QUOTES = {"nb": ("«", "»"), "nn": ("«", "»")}


@attrs.frozen
class _Missing:
    """A parameter a message names but was not given."""

    key: str


class _Formatter(string.Formatter):
    """``str.format`` that writes parameters the way one language does; a parameter the
    message was not given is written as its placeholder, so that rendering never fails."""

    def __init__(self, locale: str) -> None:
        super().__init__()
        self.locale = locale

    def get_value(self, key: int | str, args: Sequence[Any], kwargs: Mapping[str, Any]) -> Any:
        if isinstance(key, str) and key not in kwargs:
            return _Missing(key)
        value = super().get_value(key, args, kwargs)
        if key == "field" and isinstance(value, str) and self.locale != "en":
            # A field is named as the code names it (``spread``): quoted, so that an English
            # identifier does not read as a word of the Norwegian sentence.
            return _Quoted(value)
        return value

    def convert_field(self, value: Any, conversion: str | None) -> Any:
        if isinstance(value, _Missing):
            return value
        if conversion == "r":
            return _Quoted(value)
        return super().convert_field(value, conversion)

    def format_field(self, value: Any, format_spec: str) -> str:
        if isinstance(value, _Missing):
            return "{" + value.key + "}"
        return self.text(value)

    def text(self, value: object) -> str:  # noqa: PLR0911 - one return per kind of value
        """One parameter as text in this language."""
        if isinstance(value, _Quoted):
            return self.quote(value.value)
        if isinstance(value, Message | Label | Bullets | Share):
            return value.render(self.locale)
        if isinstance(value, bool | int) or value is None:  # counts and row numbers: no grouping
            return str(value)
        if isinstance(value, float):
            return format_number(value, self.locale, decimals=2)
        if isinstance(value, dt.datetime):
            return value.isoformat(sep=" ")
        if isinstance(value, dt.date):
            return format_date(value, self.locale)
        if isinstance(value, Sequence) and not isinstance(value, str):
            return ", ".join(self.text(item) for item in value)
        if value == HIDDEN:  # the placeholder for a hidden value, in this language
            return translate(HIDDEN, self.locale)
        return str(value)

    def quote(self, value: object) -> str:
        """What the user gave, quoted as this language quotes: ``'x'`` or ``«x»``."""
        if isinstance(value, Sequence) and not isinstance(value, str):
            return ", ".join(self.quote(item) for item in value)
        if not isinstance(value, str):
            return self.text(value) if isinstance(value, dt.date | Label | Message) else repr(value)
        if value == HIDDEN:  # not what the user typed: the placeholder for it, translated
            return translate(HIDDEN, self.locale)
        if self.locale in _QUOTES:
            left, right = _QUOTES[self.locale]
            return f"{left}{value}{right}"
        return repr(value)


@attrs.frozen
class _Quoted:
    value: object


class EttervernError(Exception):
    """The base class of every error raised by ``ettervern``; see [`errors`][ettervern.errors].

    Defined beside [`Message`][ettervern.language.Message] because an error *is* a message: rendering one can
    itself fail on an unknown locale, so the base error and
    [`UnsupportedLocaleError`][ettervern.errors.UnsupportedLocaleError] live in the lowest layer,
    and [`errors`][ettervern.errors] (the one public home of every error) re-exports them.

    Neither the message nor the error's attributes repeat an identity number: runs of digits
    shaped like one are replaced by ``HIDDEN`` (see ``redact``).

    Attributes:
        message: the message as a [`Message`][ettervern.language.Message] (template and parameters), which
            [`message_in()`][ettervern.errors.EttervernError.message_in] renders in any shipped
            language.
    """

    def __init__(self, message: Message) -> None:
        # The attributes a subclass set (the value, the query, the field) are redacted too, so
        # that neither the message nor the error's data repeats an identity number.
        for name, value in list(vars(self).items()):
            shown = redact_value(value, HIDDEN)
            if shown is not value:
                setattr(self, name, shown)
        self.message = message
        super().__init__(str(message))

    def __str__(self) -> str:
        return str(self.args[0]) if self.args else ""

    def message_in(self, locale: str | None = None) -> str:
        """The message in ``locale``: ``"nb"`` (the default), ``"nn"`` or ``"en"``.

        Raises:
            UnsupportedLocaleError: the language is not shipped.
        """
        return self.message.render(locale)


class UnsupportedLocaleError(EttervernError, ValueError):
    """A language the library has no catalog for was asked for.

    Attributes:
        locale: what was asked for.
        supported: the shipped locale codes.
    """

    def __init__(self, locale: object, supported: Sequence[str]) -> None:
        self.locale = locale
        self.supported = tuple(supported)
        super().__init__(
            Message(
                "no translations for locale {locale!r}; choose one of {supported!r}",
                locale=locale,
                supported=self.supported,
            )
        )


# The public home of the errors is ettervern.errors: name them so in tracebacks and docs.
EttervernError.__module__ = UnsupportedLocaleError.__module__ = "ettervern.errors"
