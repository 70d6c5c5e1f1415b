"""Maintain the message catalogs: extract every message and merge it into the .po files.

Run: python scripts/l10n.py update   # write l10n/locale/ettervern.pot and merge it into nb, nn, en
     python scripts/l10n.py check    # list messages a shipped language does not translate

The .po files are committed and read at run time (no compile step). Translate new entries by
editing ``src/ettervern/_l10n/locale/<lang>/LC_MESSAGES/ettervern.po``.
"""

from __future__ import annotations

import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.pofile import read_po, write_po
from catalog_messages import template

from ettervern._l10n._messages import LOCALES

LOCALE_DIR = Path(__file__).resolve().parent.parent / "src" / "ettervern" / "_l10n" / "locale"


def po_path(locale: str) -> Path:
    return LOCALE_DIR / locale / "LC_MESSAGES" / "ettervern.po"


def update() -> None:
    pot = template()
    with (LOCALE_DIR / "ettervern.pot").open("wb") as handle:
        write_po(handle, pot, no_location=True, width=100)
    for locale in LOCALES:
        path = po_path(locale)
        path.parent.mkdir(parents=True, exist_ok=True)
        if path.exists():
            with path.open("rb") as handle:
                catalog = read_po(handle, locale=locale)
        else:
            catalog = Catalog(locale=locale, project="ettervern", charset="utf-8")
        catalog.update(pot, no_fuzzy_matching=True)
        with path.open("wb") as handle:
            write_po(handle, catalog, no_location=True, ignore_obsolete=True, width=100)
        print(f"updated {path.relative_to(LOCALE_DIR.parent.parent.parent)}")


def check() -> int:
    pot = template()
    missing = 0
    for locale in LOCALES:
        with po_path(locale).open("rb") as handle:
            catalog = read_po(handle, locale=locale)
        for message in pot:
            if not message.id:
                continue
            found = catalog.get(message.id, context=message.context)
            strings = found.string if found is not None else ""
            if (
                found is None
                or not all(strings if isinstance(strings, tuple) else [strings])
                or found.fuzzy
            ):
                missing += 1
                print(f"{locale}: untranslated {message.context or ''}|{message.id}")
    return 1 if missing else 0


if __name__ == "__main__":
    command = sys.argv[1] if len(sys.argv) > 1 else "check"
    if command == "update":
        update()
    else:
        sys.exit(check())
