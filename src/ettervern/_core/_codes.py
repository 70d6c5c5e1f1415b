"""Anonymisation codes (anonymiseringskoder) that name cases instead of people.

A code such as ``02/20-ST`` is a running number, a two-digit year and the letters of the
municipality (ST = Steigen). The rule followed here is the one the Salten report describes:
**a running number per municipality and year, starting at 01**. The report's own example is
inconsistent ("if this were the *fifth* case in Steigen in 2020 it would read ``02/20-ST``");
we read ``02`` as the number and the word "fifth" as a slip. Numbers above 99 keep working
(``100/20-ST``): the width is a minimum, not a maximum.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable

import attrs

from ettervern._contract import LATEST
from ettervern._core._municipalities import Municipality
from ettervern._core._validators import BETWEEN, between, check_field, field_rule, slot_setter
from ettervern._l10n import HIDDEN, Message, contains_identity, norwegian_sort_key
from ettervern.errors import CaseCodeError, InvalidValueError

__all__ = [
    "DEFAULT_SCHEME",
    "CaseCode",
    "CodeScheme",
    "next_case_code",
    "parse_code",
    "parse_written",
]

_FIELDS = {
    "number": r"(?P<number>\d+)",
    "yy": r"(?P<yy>\d{2})",
    "yyyy": r"(?P<yyyy>\d{4})",
    "letters": r"(?P<letters>[A-ZÆØÅ]{1,4})",
}
_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def _check_pattern(_: object, __: attrs.Attribute[str], pattern: str) -> None:
    names = _PLACEHOLDER.findall(pattern)
    unknown = sorted(set(names) - set(_FIELDS))
    if unknown:
        msg = Message(
            "unknown placeholders {unknown!r} in code pattern {pattern!r}; use {known!r}",
            unknown=unknown,
            pattern=pattern,
            known=sorted(_FIELDS),
        )
        raise InvalidValueError(msg, field="pattern", value=pattern)
    years = [n for n in names if n in ("yy", "yyyy")]
    if sorted(set(names)) != sorted({"number", "letters", *years}) or len(years) != 1:
        msg = Message(
            "code pattern {pattern!r} must contain {number}, {letters} and one of {yy} or "
            "{yyyy}, each once",
            pattern=pattern,
            number="{number}",
            letters="{letters}",
            yy="{yy}",
            yyyy="{yyyy}",
        )
        raise InvalidValueError(msg, field="pattern", value=pattern)
    if len(names) != len(set(names)):
        msg = Message("code pattern {pattern!r} repeats a placeholder", pattern=pattern)
        raise InvalidValueError(msg, field="pattern", value=pattern)


@functools.lru_cache(maxsize=1 << 17)
def _formatted(pattern: str, width: int, number: int, year: int, letters: str) -> str:
    """A code written from its parts; remembered, as reports and due lists write each code often."""
    return pattern.format(
        number=f"{number:0{width}d}", yy=f"{year % 100:02d}", yyyy=f"{year:04d}", letters=letters
    )


@attrs.frozen
class CodeScheme:
    """How a team writes its case codes.

    ``pattern`` uses the placeholders ``{number}``, ``{yy}`` or ``{yyyy}`` and ``{letters}``;
    ``number_width`` is the least number of digits (zero-padded). The default,
    ``"{number}/{yy}-{letters}"`` with width 2, gives ``02/20-ST``. Two-digit years are read as
    2000-2099. Parsing ignores case and surrounding spaces.
    """

    pattern: str = attrs.field(default="{number}/{yy}-{letters}", validator=_check_pattern)
    number_width: int = attrs.field(default=2, validator=between(1, 6))

    @property
    def example(self) -> str:
        """An example code in this scheme, for messages."""
        return self.format_parts(number=2, year=2020, letters="ST")

    @property
    def two_digit_year(self) -> bool:
        """Whether the year is written with two digits (and so must lie in 2000-2099)."""
        return "{yy}" in self.pattern

    def describe(self) -> Message:
        """The expected form in words, for error messages (``str()`` of it is English)."""
        return Message(
            "the form {pattern!r}, like {example!r}", pattern=self.pattern, example=self.example
        )

    def format_parts(self, *, number: int, year: int, letters: str) -> str:
        """Write a code from its parts."""
        return _formatted(self.pattern, self.number_width, number, year, letters)

    def parse(self, text: str) -> CaseCode:
        """Read a code written in this scheme.

        Raises:
            CaseCodeError: the text does not have the scheme's form.
        """
        return parse_code(text, self)


def parse_code(text: str, scheme: CodeScheme) -> CaseCode:
    """``scheme.parse(text)``, for the library's own readers: the same, without the two calls
    through the boundary check that ``CaseCode.parse`` makes (every case read or referred is
    named by a parsed code)."""
    return _parsed(text, scheme)[0]


def parse_written(text: str, scheme: CodeScheme) -> tuple[CaseCode, str]:
    """``parse_code(text, scheme)`` and ``str()`` of the code, for a bulk reader that tells
    its cases apart by their written codes.

    A code read back from a file the library wrote is written as its scheme writes it: then
    ``str()`` is the text read (stripped, in capitals), and the code is not written again from
    its parts (1.4 µs a code, which for a new code the cache of ``_formatted`` never saves).
    When the text is written otherwise (a number without its zeros or with more, digits of
    another script, a scheme whose words are not in capitals), the code is written as ``str``
    writes it.

    Raises:
        CaseCodeError: the text does not have the scheme's form.
    """
    code, parts, read = _parsed(text, scheme)
    if parts is None or not _written_as_read(scheme.pattern):
        return code, str(code)
    number, year = parts["number"], parts.get("yy") or parts["yyyy"]
    width = scheme.number_width
    if (
        number.isascii()
        and year.isascii()  # \d takes digits of any script; ``str`` writes ASCII ones
        and (len(number) == width or (len(number) > width and number[0] != "0"))
    ):
        return code, read
    return code, str(code)


def _parsed(text: str, scheme: CodeScheme) -> tuple[CaseCode, dict[str, str] | None, str]:
    """The code ``text`` holds in ``scheme``; the parts of the text it was made of (``None``
    when its constructor made it); the text as matched (stripped, in capitals)."""
    read = text.strip().upper()
    match = _compiled(scheme.pattern).fullmatch(read)
    if match is None or contains_identity(text):
        if contains_identity(text):  # never echo personal data in a message
            reason = Message(
                "it looks like a national identity number, which must never name a case"
            )
            raise CaseCodeError(HIDDEN, scheme.describe(), reason)
        raise CaseCodeError(text, scheme.describe())
    parts = match.groupdict()
    year = 2000 + int(parts["yy"]) if parts.get("yy") else int(parts["yyyy"])
    number = int(parts["number"])
    if 1 <= number <= MAX_NUMBER and (parts.get("yy") or FIRST_YEAR <= year <= LATEST.year):
        # The pattern has checked the letters and the digits; with the number and year in
        # range, every rule of CaseCode holds. Made without its validators, which cost
        # three times the match: every stored case is named by a parsed code.
        return _trusted_code(year, parts["letters"], number, scheme), parts, read
    try:
        code = CaseCode(number=number, year=year, municipality=parts["letters"], scheme=scheme)
    except InvalidValueError as exc:
        raise CaseCodeError(text, scheme.describe(), exc.message) from None
    return code, None, read


@functools.lru_cache(maxsize=256)
def _written_as_read(pattern: str) -> bool:
    """Whether a code of ``pattern`` that matched its text is written as that text (stripped,
    in capitals) once its digits are written as ``str`` writes them: the words between the
    placeholders are the same in capitals and hold no brace (``{{`` is written ``{``)."""
    words = _PLACEHOLDER.split(pattern)[::2]
    return all(word == word.upper() and "{" not in word and "}" not in word for word in words)


@functools.lru_cache(maxsize=256)  # patterns come from team files, which may be many
def _compiled(pattern: str) -> re.Pattern[str]:
    pieces: list[str] = []
    last = 0
    for match in _PLACEHOLDER.finditer(pattern):
        pieces.append(re.escape(pattern[last : match.start()].upper()))
        pieces.append(_FIELDS[match.group(1)])
        last = match.end()
    pieces.append(re.escape(pattern[last:].upper()))
    return re.compile("".join(pieces))


DEFAULT_SCHEME = CodeScheme()
"""The Salten scheme: ``NN/YY-XX`` such as ``02/20-ST``."""

_LETTERS = re.compile(r"^[A-ZÆØÅ]{1,4}$")

FIRST_YEAR = 1900
"""The earliest year of a code written with four digits; the latest is the last year the
library takes anywhere (``LATEST``), as the constructor's boundary check refuses later ones."""


def _check_year(instance: CaseCode, _: attrs.Attribute[int], year: int) -> None:
    low, high = (2000, 2099) if instance.scheme.two_digit_year else (FIRST_YEAR, LATEST.year)
    check_field(low <= year <= high, BETWEEN, field="year", value=year, low=low, high=high)


_check_letters = field_rule(
    lambda letters: bool(_LETTERS.match(letters)),
    "municipality letters must be 1-4 capital letters such as {example!r}, got {value!r}",
    example="ST",
)

MAX_NUMBER = 99_999
"""The highest running number of a code: with five digits at most, a code can never hold the
eleven digits of an identity number."""

_check_number = field_rule(
    lambda number: (
        isinstance(number, int) and not isinstance(number, bool) and 1 <= number <= MAX_NUMBER
    ),
    "number must be a whole number from 1 to {most}, got {value!r}",
    most=MAX_NUMBER,
)


@attrs.frozen(kw_only=True, order=True)
class CaseCode:
    """The anonymised name of a case (sak), such as ``02/20-ST``.

    Codes are hashable and ordered by year, then municipality letters in Norwegian order, then
    number. Two codes with the same parts are equal whatever scheme wrote them; ``str(code)``
    writes the code in the scheme it was parsed with (the Salten scheme by default).

    >>> code = CaseCode.parse("02/20-ST")
    >>> code.number, code.year, code.municipality, str(code)
    (2, 2020, 'ST', '02/20-ST')
    """

    year: int = attrs.field(validator=_check_year)
    municipality: str = attrs.field(validator=_check_letters, order=norwegian_sort_key)
    """The municipality's code letters (``"ST"``)."""
    number: int = attrs.field(validator=_check_number)
    scheme: CodeScheme = attrs.field(
        default=DEFAULT_SCHEME, eq=False, order=False, repr=False, kw_only=True
    )

    @classmethod
    def parse(cls, text: str, scheme: CodeScheme = DEFAULT_SCHEME) -> CaseCode:
        """Read a code such as ``"02/20-ST"``.

        Raises:
            CaseCodeError: the text is not a code in ``scheme``; the message shows the form.
        """
        return parse_code(text, scheme)

    def __str__(self) -> str:
        # The parts are the code's own, checked when it was made: written without a call
        # through ``format_parts``' boundary check (``str`` of a code runs everywhere).
        scheme = self.scheme
        return _formatted(
            scheme.pattern, scheme.number_width, self.number, self.year, self.municipality
        )

    def sort_key(self) -> tuple[int, tuple[str, str], int]:
        """The key codes are ordered by, for sorting many at once (one key per code, instead of
        comparing the codes field by field at each step).

        >>> codes = [CaseCode.parse(c) for c in ("02/20-ØR", "01/20-ST", "10/19-ST")]
        >>> by_key = sorted(codes, key=CaseCode.sort_key)
        >>> by_key == sorted(codes)
        True
        >>> ", ".join(str(c) for c in by_key)
        '10/19-ST, 01/20-ST, 02/20-ØR'
        """
        return (self.year, norwegian_sort_key(self.municipality), self.number)


def _as_letters(municipality: str | Municipality) -> str:
    if isinstance(municipality, Municipality):
        if municipality.letters is None:
            msg = Message(
                "{name} has no code letters; take it from the team", name=municipality.name
            )
            raise CaseCodeError(municipality.name, Message("a municipality with code letters"), msg)
        return municipality.letters
    return municipality.strip().upper()


def next_case_code(
    existing: Iterable[CaseCode | str],
    *,
    municipality: str | Municipality,
    year: int,
    scheme: CodeScheme = DEFAULT_SCHEME,
) -> CaseCode:
    """Allocate the next free code for ``municipality`` in ``year``.

    The number is one more than the highest number already used for that municipality and
    year (01 when there is none), so codes are never reused, even after a gap.

    >>> next_case_code(["01/20-ST", "02/20-ST", "07/20-FA"], municipality="ST", year=2020)
    CaseCode(year=2020, municipality='ST', number=3)

    Raises:
        CaseCodeError: an existing code is malformed, or the letters or year are not valid.
    """
    letters = _as_letters(municipality)
    highest = 0
    for item in existing:
        code = item if isinstance(item, CaseCode) else scheme.parse(item)
        if code.municipality == letters and code.year == year:
            highest = max(highest, code.number)
    try:
        return CaseCode(year=year, municipality=letters, number=highest + 1, scheme=scheme)
    except InvalidValueError as exc:
        raise CaseCodeError(
            scheme.format_parts(number=highest + 1, year=year % 10000, letters=letters),
            scheme.describe(),
            exc.message,
        ) from None


def _trusted_code(year: int, letters: str, number: int, scheme: CodeScheme) -> CaseCode:
    """A code from parts the caller has checked against every rule of ``CaseCode``."""
    code = object.__new__(CaseCode)
    _set_year(code, year)
    _set_letters(code, letters)
    _set_number(code, number)
    _set_scheme(code, scheme)
    return code


_set_year = slot_setter(CaseCode, "year")
_set_letters = slot_setter(CaseCode, "municipality")
_set_number = slot_setter(CaseCode, "number")
_set_scheme = slot_setter(CaseCode, "scheme")
