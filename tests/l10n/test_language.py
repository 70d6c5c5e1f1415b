"""No English in the Norwegian messages, and counts through each language's plural forms."""

from __future__ import annotations

import re
from importlib import resources

import pytest
from babel.messages.pofile import read_po

import ettervern as e
from ettervern._l10n import Message, ngettext

ENGLISH = frozenset(
    """the must expected got invalid value of with should is are file not and or which when where
    from than no has have was were be been this that these those rows row hours hour cases sheet
    register found missing only any each every by on at as it its after before between year years
    month months week weeks day days entry entries category categories municipality date number
    column columns name could cannot can does did an a shared total none unknown""".split()  # noqa: SIM905
)
"""Common English words that are not also Norwegian words (``to``, ``per`` and ``team`` are)."""


def english_words(text: str) -> set[str]:
    """English words of ``text``, leaving out placeholders, quoted input, options and code."""
    text = re.sub(r"\{[^}]*\}", " ", text)
    text = re.sub(r"«[^»]*»|'[^']*'|`[^`]*`", " ", text)
    text = re.sub(r"--[\w-]+", " ", text)  # command-line options such as --year
    text = re.sub(r"\b\w-\w\b", " ", text)  # character ranges such as a-z
    words = re.findall(r"[\w.]+", text)
    plain = [w for w in words if "_" not in w and "." not in w and not w.isupper()]
    return {w.lower() for w in plain} & ENGLISH


def catalog(locale: str) -> list[tuple[str | None, str, list[str]]]:
    source = resources.files("ettervern._l10n").joinpath(
        "locale", locale, "LC_MESSAGES", "ettervern.po"
    )
    with source.open("rb") as handle:
        entries = read_po(handle, locale=locale)
    out = []
    for message in entries:
        if message.id:
            strings = (
                message.string if isinstance(message.string, tuple | list) else [message.string]
            )
            out.append((message.context, str(message.id), [str(s) for s in strings]))
    return out


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_no_english_words_in_the_norwegian_catalogs(locale: str) -> None:
    found = [
        (context, msgid, sorted(english_words(text)))
        for context, msgid, strings in catalog(locale)
        for text in strings
        if english_words(text)
    ]
    assert found == []


def test_the_word_finder_finds_what_the_issue_reported() -> None:
    assert english_words("ingen kommune passer «X» i the national register") == {"the", "register"}
    assert english_words("value må være en av «a», fikk «b»") == {"value"}
    assert english_words("valid_until er før valid_from") == set()
    assert english_words("velg ett med --year") == set()
    assert english_words("26 tegn, a-z og 2-7") == set()


@pytest.mark.parametrize("locale", ["nb", "nn"])
def test_rendered_errors_hold_no_english(locale: str) -> None:
    problems: list[Exception] = []
    for attempt in (
        lambda: e.municipality("Atlantis"),
        lambda: e.municipality("Herøy"),
        lambda: e._core.enum_member(e.LifeDomain, "value", "x"),
        lambda: e.read_cases("nowhere.json"),
        lambda: e.annual_report(
            e.examples.salten_2020().log,
            year=2020,
            cost_spread="fair",  # type: ignore[arg-type]
        ),
    ):
        with pytest.raises(e.errors.EttervernError) as raised:
            attempt()
        problems.append(raised.value)
    for problem in problems:
        text = problem.message_in(locale)  # type: ignore[attr-defined]
        assert english_words(text) == set(), text
    atlantis = problems[0].message_in(locale)  # type: ignore[attr-defined]
    assert "kommuneregisteret" in atlantis


def test_plurals_follow_each_language() -> None:
    one = Message.plural_of(
        "{source}: read {read} row, accepted {accepted}, rejected {rejected}",
        "{source}: read {read} rows, accepted {accepted}, rejected {rejected}",
        by="read",
        source="t.csv",
        read=1,
        accepted=1,
        rejected=0,
    )
    assert one.render("en") == "t.csv: read 1 row, accepted 1, rejected 0"
    assert one.render("nb") == "t.csv: leste 1 rad, godtok 1, avviste 0"
    assert one.render("nn") == "t.csv: las 1 rad, godtok 1, avviste 0"
    for n in (0, 2, 21, 1000):
        text = ngettext("{count} day", "{count} days", n, "nb").format(count=n)
        assert text == f"{n} dager"
    assert ngettext("{count} week", "{count} weeks", 1, "nn") == "{count} veke"
    # A message the catalogs do not know falls back to English's two forms.
    assert ngettext("{n} apple", "{n} apples", 2, "nb") == "{n} apples"
