"""Municipality history: the mergers, splits and renumberings of 2020 and 2024, as data.

The register ([`register`][ettervern.municipalities.municipality_register]) is the 2024 version of SSB's classification, so an old
name or number (*Tysfjord*, *Finnøy*, ``1849``, ``3026``, ``5401``) is not in it. The changes that
lead from the older versions to it are shipped as ``data/municipality_changes.csv`` (see the
provenance note in ``data/README.md``): one row per old → new pair, with the date it took
effect. [`municipality_successors`][ettervern.municipalities.municipality_successors] follows them forward from a name or number to the municipalities that
carry on its area on a given day.
"""

from __future__ import annotations

import csv
import datetime as dt
import enum
import functools
import re
from collections.abc import Iterable

import attrs

from ettervern._core._municipalities import Municipality, register
from ettervern._data import data_path
from ettervern._l10n import Label, Message, normalise_name
from ettervern.errors import UnknownMunicipalityError

__all__ = [
    "ChangeKind",
    "MunicipalityChange",
    "municipality_changes",
    "municipality_successor",
    "municipality_successors",
]

_NUMBER = re.compile(r"^\d{4}$")
_COUNTIES_2020 = {"30": "Viken", "38": "Vestfold og Telemark", "54": "Troms og Finnmark"}
"""Counties of 2020-2023 that the 2024 register no longer has."""


class ChangeKind(enum.StrEnum):
    """How a municipality changed (SSB's *endringstype*, simplified)."""

    MERGER = "merger"
    """Two or more municipalities became one (sammenslåing); the rows share the new number."""
    SPLIT = "split"
    """One municipality was divided (deling): one row per part, sharing the old number."""
    RENUMBERING = "renumbering"
    """The same area got a new number, usually because its county changed."""


@attrs.frozen
class MunicipalityChange:
    """One old → new pair of a change: the area of ``old`` went (wholly or partly) to ``new``."""

    valid_from: dt.date
    """The day the new municipality existed (1 January)."""
    kind: ChangeKind
    old_number: str
    old_name: str
    new_number: str
    new_name: str
    source: str
    """Where the change is documented (see ``data/README.md``)."""

    def describe(self) -> Message:
        """The change in words: ``Tysfjord (1850) → Hamarøy (1875), split, 2020-01-01``."""
        return Message(
            "{old} ({old_number}) → {new} ({new_number}): {kind} {date}",
            old=self.old_name,
            old_number=self.old_number,
            new=self.new_name,
            new_number=self.new_number,
            kind=Label(self.kind.value, "change"),
            date=self.valid_from,
        )

    @property
    def municipality_successor(self) -> Municipality:
        """The new municipality, as the register has it when it is still valid."""
        return _as_municipality(self.new_number, self.new_name)


def _as_municipality(number: str, name: str) -> Municipality:
    found = register().find(number)
    if found is not None and normalise_name(found.name) == normalise_name(name):
        return found
    county = _COUNTIES_2020.get(number[:2], "")
    if not county:
        same_county = next((m for m in register() if m.county_number == number[:2]), None)
        county = same_county.county if same_county is not None else ""
    return Municipality(number=number, name=name, county=county)


@functools.cache
def municipality_changes() -> tuple[MunicipalityChange, ...]:
    """Every shipped change, in date order (SSB KLASS 131, 2020 and 2024)."""
    with data_path("municipality_changes.csv").open(encoding="utf-8") as handle:
        changes = [
            MunicipalityChange(
                valid_from=dt.date.fromisoformat(row["valid_from"]),
                kind=ChangeKind(row["change"]),
                old_number=row["old_number"],
                old_name=row["old_name"],
                new_number=row["new_number"],
                new_name=row["new_name"],
                source=row["source"],
            )
            for row in csv.DictReader(handle)
        ]
    return tuple(sorted(changes, key=lambda c: c.valid_from))


def _starts(query: str) -> set[str]:
    """The numbers ``query`` may mean: itself if a number, else every number that had the name."""
    text = query.strip()
    if _NUMBER.match(text):
        return {text}
    folded = normalise_name(re.sub(r"\s*\(.*\)$", "", text))
    changes = municipality_changes()
    found = {c.old_number for c in changes if normalise_name(c.old_name) == folded}
    found |= {c.new_number for c in changes if normalise_name(c.new_name) == folded}
    found |= {
        m.number for m in register() if normalise_name(re.sub(r"\s*\(.*\)$", "", m.name)) == folded
    }
    return found


def _valid_on(number: str, day: dt.date) -> bool:
    """Whether ``number`` named a municipality on ``day``, as far as the shipped data knows."""
    changes = municipality_changes()
    # A municipality that took others in and kept its number (Stavanger) existed before.
    continuing = {c.valid_from for c in changes if c.old_number == c.new_number == number}
    created = [
        c.valid_from
        for c in changes
        if c.new_number == number != c.old_number and c.valid_from not in continuing
    ]
    ended = [c.valid_from for c in changes if c.old_number == number != c.new_number]
    if created and min(created) > day:
        return False
    if ended and min(ended) <= day:
        return False
    return bool(register().find(number) is not None or created or ended)


def _name_of(number: str) -> str:
    """The latest name the data gives ``number``."""
    current = register().find(number)
    if current is not None:
        return current.name
    names = [c.new_name for c in municipality_changes() if c.new_number == number]
    names += [c.old_name for c in municipality_changes() if c.old_number == number]
    return names[-1] if names else number


Path = tuple[MunicipalityChange, ...]


def _forward(number: str, on: dt.date) -> list[tuple[str, Path]]:
    """(number, changes on the way) for each end of ``number``'s chain of changes up to ``on``."""
    frontier: list[tuple[str, Path]] = [(number, ())]
    for day in sorted({c.valid_from for c in municipality_changes() if c.valid_from <= on}):
        step = [c for c in municipality_changes() if c.valid_from == day]
        moved: list[tuple[str, Path]] = []
        for current, path in frontier:
            out = [c for c in step if c.old_number == current]
            if not out:
                moved.append((current, path))
            moved.extend((c.new_number, (*path, c)) for c in out if c.new_number != current)
            if any(c.new_number == current for c in out):
                moved.append((current, path))
        frontier = moved
    return frontier


def municipality_successors(
    query: str | Municipality, *, on: dt.date | None = None
) -> tuple[tuple[Municipality, Path], ...]:
    """The municipalities that carry on ``query`` on the day ``on``, each with the changes on
    the way.

    ``query`` is a number or a name valid in 2019 or later (*Tysfjord*, ``"1849"``, ``"3026"``,
    *Finnøy*). A municipality valid on ``on`` is its own successor, with no changes; a name valid
    on ``on`` wins over older namesakes (*Nes* is Nes in Akershus, not the old Nes in Buskerud,
    now Nesbyen). A split gives several successors (Tysfjord: Narvik and Hamarøy). ``on``
    defaults to today. Nothing known gives an empty tuple.

    >>> import datetime as dt
    >>> list((m.name, m.number) for m, _ in municipality_successors("5401", on=dt.date(2024, 1, 1)))
    [('Tromsø', '5501')]
    >>> list(m.name for m, _ in municipality_successors("Tysfjord", on=dt.date(2020, 1, 1)))
    ['Hamarøy', 'Narvik']
    """
    day = on or dt.date.max
    text = (query.number if isinstance(query, Municipality) else query).strip()
    starts = _starts(text)
    if not _NUMBER.match(text):
        valid = [number for number in starts if _valid_on(number, day)]
        if len(valid) == 1:
            starts = set(valid)
    found: dict[str, tuple[Municipality, Path]] = {}
    for start in sorted(starts):
        for number, path in _forward(start, day):
            if number in found or not _valid_on(number, day):
                continue
            found[number] = (_as_municipality(number, _name_of(number)), path)
    return tuple(sorted(found.values(), key=lambda entry: entry[0].sort_key()))


def municipality_successor(
    query: str | Municipality,
    *,
    on: dt.date | None = None,
    among: Iterable[Municipality] | None = None,
) -> tuple[Municipality, Path]:
    """The one municipality that carries on ``query`` on ``on``, with the changes on the way.

    ``among`` narrows a split down to the municipalities that count (a team's members): of
    Tysfjord's successors Narvik and Hamarøy, a team serving Hamarøy gets Hamarøy.

    >>> import datetime as dt
    >>> place, changes = municipality_successor("Finnøy", on=dt.date(2020, 1, 1))
    >>> place.name, [c.kind.value for c in changes]
    ('Stavanger', ['merger'])

    Raises:
        UnknownMunicipalityError: nothing matches, or a split leaves more than one successor.
    """
    found = municipality_successors(query, on=on)
    if among is not None:
        wanted = {m.number for m in among}
        found = tuple(entry for entry in found if entry[0].number in wanted)
    if len(found) == 1:
        return found[0]
    text = query.name if isinstance(query, Municipality) else query
    where = Message("the municipality history of 2020 and 2024")
    if found:
        where = Message("{where} (split: choose one of the successors)", where=where)
    raise UnknownMunicipalityError(text, known=[m.name for m, _ in found], where=where)
