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

import unicodedata
from collections.abc import Iterable

__all__ = ["normalise_name", "norwegian_sort_key", "norwegian_sorted"]

# Letters after z, mapped onto code points just after "z" so that string comparison works.
_AFTER_Z = {"æ": "{", "ä": "{", "ø": "|", "ö": "|", "å": "}"}
_SPECIAL = {"ü": "y", "đ": "d", "ŋ": "n", "ŧ": "t", "ß": "ss"}


def _primary(name: str) -> str:
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
