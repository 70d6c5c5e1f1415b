"""The catalogs say what the figures are, in words a Norwegian reader takes the right way.

Read as a reader of Bokmål and Nynorsk would (issue 34): aftercare is follow-up, not treatment
(«behandling»); hours per person followed are not hours per inhabitant; the FTE table's hours
are working hours of the FTE, not hours logged; every message with a count agrees with it.
"""

from __future__ import annotations

import re
from importlib import resources

import pytest
from babel.messages.pofile import read_po
from scripts.catalog_messages import template

from ettervern._l10n import Message, translate
from ettervern._l10n import _messages as i18n

COUNTS = frozenset({"count", "added"})
"""Parameters that count things: a noun after them must agree (1 celle, 2 celler)."""


def _catalog(locale: str) -> object:
    path = resources.files("ettervern._l10n") / "locale" / locale / "LC_MESSAGES" / "ettervern.po"
    with path.open("rb") as handle:
        return read_po(handle, locale=locale)


def _counted(message_id: str) -> bool:
    """Whether a count parameter stands before a word (not at the end, after a colon)."""
    return any(re.search(r"\{" + name + r"\}\s+\w", message_id) for name in COUNTS)


def test_every_message_with_a_count_has_plural_forms() -> None:
    singular_only = [m.id for m in template() if isinstance(m.id, str) and m.id and _counted(m.id)]
    assert singular_only == []


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_every_plural_message_has_each_form_of_the_language(locale: str) -> None:
    catalog = _catalog(locale)
    for message in template():
        if isinstance(message.id, tuple) and message.id[0]:
            found = catalog.get(message.id[0], context=message.context)  # type: ignore[attr-defined]
            assert isinstance(found.string, tuple) and all(found.string), message.id


@pytest.mark.parametrize(
    ("count", "expected"), [(1, "1 celle kan regnes ut: x"), (3, "3 celler kan regnes ut: x")]
)
def test_one_cell_is_singular(count: int, expected: str) -> None:
    message = Message.plural_of(
        "{count} cell can be worked out: {cells}",
        "{count} cells can be worked out: {cells}",
        by="count",
        count=count,
        cells="x",
    )
    assert message.render("nb") == expected


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_aftercare_is_not_called_treatment(locale: str) -> None:
    for key in ("Courses and their state at the end of the period", "Length of courses"):
        assert "behandling" not in translate(key, locale).casefold()
    assert translate("Length of courses", locale).startswith("Oppfølgingslengd")


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_hours_per_person_followed_not_per_inhabitant(locale: str) -> None:
    title = translate("Hours per person", locale)
    assert "innbygg" not in title and "person" in title


@pytest.mark.parametrize(("locale", "label"), [("nb", "Årsverk i timer"), ("en", "FTE in hours")])
def test_the_fte_tables_hours_are_named_for_what_they_are(locale: str, label: str) -> None:
    assert translate("fte_hours", locale, context="measure") == label


def test_the_course_note_parses() -> None:
    note = translate(
        "Courses are accepted cases open on some day of the period. Aborted: closed as "
        "aborted, withdrew or no-show.",
        "nb",
    )
    assert note.startswith("Forløpene er sakene teamet tok imot")
