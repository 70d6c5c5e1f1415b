"""Norwegian alphabetical order and name normalisation.

Norwegian sorts ``Æ``, ``Ø`` and ``Å`` after ``Z``, in that order, so that ``Steigen`` comes
before ``Sørfold`` and ``Ørland`` before ``Åfjord``. Python's plain string order puts ``Å``
(U+00C5) before ``Æ`` and ``Ø`` and mixes them with accented letters. The rules here follow the
Norwegian Language Council's alphabet (a-z, æ, ø, å): ``ä`` sorts as ``æ``, ``ö`` as ``ø``,
``ü`` as ``y``, other accents (``é``, ``á`` in Sami names such as *Hábmer*) and the Sami letters
``č đ ŋ š ŧ ž`` sort as their base letter. ``aa`` is *not* treated as ``å``: modern municipality
names such as *Aurland* and *Aure* are spelled with a double vowel only by accident.
"""

from __future__ import annotations

import difflib
import functools
import unicodedata
from collections.abc import Iterable

__all__ = ["closest", "loose_name", "normalise_name", "norwegian_sort_key", "norwegian_sorted"]

# Letters after z, mapped onto code points just after "z" so that string comparison works.
_AFTER_Z = {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"}
_SPECIAL = {"ü": "y", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss"}


@functools.lru_cache(maxsize=4096)
def _primary(name: str) -> str:
    """The name as compared first (remembered: a report sorts the same few names and code
    letters over and over, once per case)."""
    out: list[str] = []
    for char in name.casefold():
        if char in _AFTER_Z:
            out.append(_AFTER_Z[char])
        elif char in _SPECIAL:
            out.append(_SPECIAL[char])
        else:
            base = unicodedata.normalize("NFD", char)[0]
            out.append(base)
    return "".join(out)


def norwegian_sort_key(name: str) -> tuple[str, str]:
    """Return a key that sorts names in Norwegian alphabetical order.

    Use it like ``sorted(names, key=norwegian_sort_key)``. Comparison ignores case and accents
    first and breaks ties on the exact text, so the order is total and stable.

    >>> sorted(["Sørfold", "Steigen", "Åfjord", "Ørland", "Aure"], key=norwegian_sort_key)
    ['Aure', 'Steigen', 'Sørfold', 'Ørland', 'Åfjord']
    """
    return (_primary(name), name)


def norwegian_sorted(names: Iterable[str]) -> list[str]:
    """Return ``names`` as a new list in Norwegian alphabetical order."""
    return sorted(names, key=norwegian_sort_key)


def normalise_name(name: str) -> str:
    """Fold a name for lookup: case, surrounding and repeated spaces, Unicode form.

    ``"  hamarøy "`` and ``"Hamarøy"`` fold to the same text; letters keep their accents, since
    ``Å`` and ``A`` are different letters in Norwegian.
    """
    return " ".join(unicodedata.normalize("NFC", name).casefold().split())


_KEPT = {"æ": "æ", "ø": "ø", "å": "å", "ä": "æ", "ö": "ø"}


def loose_name(name: str) -> str:
    """``name`` folded as ``normalise_name`` does, and without accents or Sami letters.

    For names typed on a keyboard without them: ``Kárášjohka`` is ``karasjohka``,
    ``Snåase`` keeps its ``å`` (a letter of its own in Norwegian, not an accent).

    >>> loose_name(" Kárášjohka "), loose_name("Guovdageaidnu"), loose_name("Snåase")
    ('karasjohka', 'guovdageaidnu', 'snåase')
    """
    out: list[str] = []
    for char in normalise_name(name):
        if char in _KEPT:
            out.append(_KEPT[char])
        else:
            out.append(_SPECIAL.get(char) or unicodedata.normalize("NFD", char)[0])
    return "".join(out)


def closest(query: str, choices: Iterable[str], *, n: int = 3, cutoff: float = 0.75) -> list[str]:
    """The ``choices`` nearest to ``query`` as typed, best first: for a "did you mean".

    Names are compared folded (``loose_name``) with difflib's ratio; ``cutoff`` keeps out
    names that merely share letters, so an unrelated word gets no suggestion.

    >>> closest("Eidfjor", ["Eidsvoll", "Eidfjord", "Fauske", "Eid"])
    ['Eidfjord']
    >>> closest("Brukeroppfolging", ["Brukeroppfølging", "Kjøring"])
    ['Brukeroppfølging']
    >>> closest("Oslo", ["Fauske", "Steigen"])
    []
    """
    by_folded: dict[str, str] = {}
    for choice in choices:
        by_folded.setdefault(loose_name(choice), choice)
    found = difflib.get_close_matches(loose_name(query), list(by_folded), n=n, cutoff=cutoff)
    return [by_folded[f] for f in found]
