"""Municipalities (kommuner), the national register, and the two buckets that are not places.

The register is Statistics Norway's *Standard for kommuneinndeling* (KLASS classification 131),
version valid from 1 January 2024, shipped as ``data/municipalities.csv``.
"""

from __future__ import annotations

import csv
import enum
import functools
import re
from collections.abc import Iterator

import attrs

from ettervern._core._validators import field_rule
from ettervern._data import data_path
from ettervern._l10n import (
    Label,
    Message,
    closest,
    loose_name,
    normalise_name,
    norwegian_sort_key,
)
from ettervern.errors import UnknownMunicipalityError

__all__ = [
    "Bucket",
    "Municipality",
    "MunicipalityRegister",
    "bare_name",
    "municipality",
    "register",
]

_NUMBER = re.compile(r"^\d{4}$")
_LETTERS = re.compile(r"^[A-ZÆØÅ]{1,4}$")


_check_number = field_rule(
    lambda value: bool(_NUMBER.match(value)),
    "{field} must be four digits such as {example!r}, got {value!r}",
    example="1841",
)
_check_letters = field_rule(
    lambda value: value is None or bool(_LETTERS.match(value)),
    "{field} must be 1-4 capital letters such as {example!r}, got {value!r}",
    example=("ST", "SØ"),
)


@attrs.frozen(order=False, cache_hash=True)
class Municipality:
    """A Norwegian municipality (kommune).

    Two municipalities are equal when their official numbers are equal; the name and the code
    letters are descriptive. ``letters`` are the capitals a team uses in its case codes
    (``ST`` for Steigen): a team's own choice, so a municipality from the national register has
    none, and one obtained from a [`Team`][ettervern.Team] carries the team's.
    """

    number: str = attrs.field(validator=_check_number)
    """The official four-digit number, as text with its leading zero (``"0301"``)."""
    name: str = attrs.field(eq=False)
    """The Norwegian name (``"Hamarøy"``)."""
    official_name: str = attrs.field(eq=False, default="", repr=False)
    """The name as the classification writes it, with Sami or Kven parallel names."""
    county: str = attrs.field(eq=False, default="", repr=False)
    """The county (fylke) name."""
    letters: str | None = attrs.field(eq=False, default=None, validator=_check_letters)
    """The code letters used in case codes, if a team has given it any."""

    def __attrs_post_init__(self) -> None:
        if not self.official_name:
            object.__setattr__(self, "official_name", self.name)

    def __str__(self) -> str:
        return self.name

    def with_letters(self, letters: str | None) -> Municipality:
        """Return the same municipality carrying a team's code letters."""
        return attrs.evolve(self, letters=letters)

    @property
    def county_number(self) -> str:
        """The first two digits of the number: the county (fylke) it belongs to."""
        return self.number[:2]

    def sort_key(self) -> tuple[str, str]:
        """The Norwegian alphabetical key of its name."""
        return norwegian_sort_key(self.name)


class Bucket(enum.Enum):
    """The two places in a time log that are not member municipalities.

    Source: the 2020 annual report of the Salten team (seed ``000``), section "Kommune".
    """

    OTHER_MUNICIPALITIES = "Andre kommuner"
    """*Andre kommuner*: work with services outside the team's municipalities (DPS,
    institutions, the correctional service)."""
    SHARED = "Felles"
    """*Felles*: shared work with no case, such as supervision, networking and training."""

    @property
    def key(self) -> str:
        """A stable, language-neutral key (``"other_municipalities"``, ``"shared"``)."""
        return self.name.lower()

    def __str__(self) -> str:
        return self.value

    @classmethod
    def parse(cls, text: str) -> Bucket | None:
        """The bucket that ``text`` names, by Norwegian label or key, or ``None``."""
        folded = normalise_name(text).replace("_", " ")
        for bucket in cls:
            if folded in (normalise_name(bucket.value), bucket.key.replace("_", " ")):
                return bucket
        return None


_SUFFIX = re.compile(r"\s+(?:kommune|herad|suohkan|gielda|tjïelte|tjielte|kommuuni)$")
"""The word for municipality after a name: Bokmål and Nynorsk *kommune*, Nynorsk *herad* (Voss
herad, Kvam herad, Ulvik herad), North and Lule Sami *suohkan* and *gielda*, South Sami *tjïelte*
and Kven *kommuuni*, as municipalities write their own names (Språkrådet; the municipalities'
own sites)."""


def bare_name(text: str) -> str:
    """``text`` folded for lookup (``loose_name``), without a trailing word for municipality.

    >>> bare_name("Voss herad"), bare_name(" Fauske Kommune"), bare_name("Kárášjohka suohkan")
    ('voss', 'fauske', 'karasjohka')
    """
    return _SUFFIX.sub("", loose_name(text))


def _name_variants(item: Municipality) -> set[str]:
    """Every spelling a user may type for ``item``: name, official name and each part of it,
    each also without accents and Sami letters (``Karasjohka``)."""
    variants = {item.name, item.official_name}
    variants.update(part for part in item.official_name.split(" - "))
    variants.update(re.sub(r"\s*\(.*\)$", "", v) for v in list(variants))
    folded = {normalise_name(v) for v in variants if v}
    return folded | {loose_name(v) for v in folded}


class MunicipalityRegister:
    """A set of municipalities, looked up by number or by name.

    Names match in any case, with stray spaces, with or without the Sami or Kven parallel name
    (``"Hamarøy"``, ``"Hábmer - Hamarøy"``, ``"hábmer"``). A name shared by two municipalities
    (``"Herøy"``) is ambiguous and raises unless the county is given as the register writes it
    (``"Herøy (Nordland)"``).
    """

    def __init__(self, items: Iterator[Municipality] | list[Municipality], name: str) -> None:
        self.name = name
        self._by_number: dict[str, Municipality] = {}
        self._by_name: dict[str, list[Municipality]] = {}
        for item in items:
            self._by_number[item.number] = item
            for variant in _name_variants(item):
                self._by_name.setdefault(variant, []).append(item)
        # The text as it is usually written (the number, the name, the official name), looked
        # up as it is, before any folding: every case names its municipality.
        self._as_written: dict[str, Municipality] = {}
        for item in self._by_number.values():
            for text in (item.name, item.official_name):
                if self.find(text) is item:
                    self._as_written[text] = item
        self._as_written.update(self._by_number)

    def __len__(self) -> int:
        return len(self._by_number)

    def __iter__(self) -> Iterator[Municipality]:
        return iter(sorted(self._by_number.values(), key=Municipality.sort_key))

    def __contains__(self, query: object) -> bool:
        return isinstance(query, str | Municipality) and self.find(query) is not None

    def find(self, query: str | Municipality) -> Municipality | None:
        """Return the municipality ``query`` names, or ``None`` when there is none."""
        if isinstance(query, Municipality):
            return self._by_number.get(query.number)
        written = self._as_written.get(query)
        if written is not None:
            return written
        text = query.strip()
        if _NUMBER.match(text):
            return self._by_number.get(text)
        for key in dict.fromkeys((normalise_name(text), bare_name(text))):
            matches = self._by_name.get(key, [])
            if len(matches) == 1:
                return matches[0]
        return None

    def get(self, query: str | Municipality) -> Municipality:
        """Return the municipality ``query`` names: a number (``"1841"``) or a name.

        Raises:
            UnknownMunicipalityError: no municipality matches, or a name is shared by several.
        """
        found = self.find(query)
        if found is not None:
            return found
        text = query.name if isinstance(query, Municipality) else query
        several = self._by_name.get(normalise_name(text), []) or self._by_name.get(
            bare_name(text), []
        )
        # The register's name is a label the catalogs translate ("the national register").
        name = Label(self.name, "register", fallback=self.name)
        where: Label | Message = name
        if several:
            where = Message("{name} (ambiguous: give the county)", name=name)
            known = [m.official_name for m in several]
            raise UnknownMunicipalityError(query, known=known, where=where)
        raise UnknownMunicipalityError(
            query, known=self._few(), where=where, suggestions=self.suggest(text)
        )

    def suggest(self, text: str) -> list[str]:
        """The names of the municipalities nearest to ``text``, best first (a "did you mean").

        >>> register().suggest("Eidfjor")
        ['Eidfjord', 'Leirfjord']
        """
        names = {m.name: m for m in self._by_number.values()}
        spellings = {v: m.name for m in names.values() for v in (m.name, *_parts(m))}
        found = closest(_SUFFIX.sub("", normalise_name(text)), spellings, n=5)
        return list(dict.fromkeys(spellings[s] for s in found))[:3]

    def _few(self) -> list[str]:
        """Every name, when there are few enough to read (a team's members); else none."""
        return [m.name for m in self] if len(self) <= _LISTED else []


_LISTED = 20
"""A register this small lists its names in an error; the national one (357) suggests instead."""


def _parts(item: Municipality) -> list[str]:
    """The parallel names of the official name (``Hábmer``, ``Hamarøy``)."""
    return [p for p in item.official_name.split(" - ") if p != item.name]


def _read_register() -> list[Municipality]:
    source = data_path("municipalities.csv")
    with source.open(encoding="utf-8") as handle:
        return [
            Municipality(
                number=row["number"],
                name=row["name"],
                official_name=row["official_name"],
                county=row["county_name"],
            )
            for row in csv.DictReader(handle)
        ]


@functools.cache
def register() -> MunicipalityRegister:
    """The national register: all 357 municipalities of Norway (SSB KLASS 131, 2024 version)."""
    return MunicipalityRegister(_read_register(), name="the national register")


def municipality(query: str) -> Municipality:
    """Look a municipality up in the national register by number or name.

    >>> municipality("Hábmer - Hamarøy").number
    '1875'
    >>> municipality("1841").name
    'Fauske'
    """
    return register().get(query)
