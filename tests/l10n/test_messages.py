from __future__ import annotations

import datetime as dt
import re
from concurrent.futures import ThreadPoolExecutor
from importlib import resources

import pytest
from babel.messages.pofile import read_po
from hypothesis import assume, given
from hypothesis import strategies as st
from scripts.catalog_messages import template

import ettervern as e
from ettervern._l10n import Message, contains_identity
from ettervern._l10n import _messages as i18n
from ettervern.privacy import HIDDEN


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_every_message_is_translated(locale: str) -> None:
    missing = [
        f"{m.context or ''}|{m.id}"
        for m in template()
        if m.id
        and not i18n.has_translation(
            str(m.id[0] if isinstance(m.id, tuple) else m.id), locale, context=m.context
        )
    ]
    assert missing == [], f"untranslated in {locale}: {missing}"


def test_total_label_per_locale() -> None:
    assert [i18n.translate("Total", loc) for loc in ("nb", "nn", "en")] == [
        "Totalsum",
        "Totalsum",
        "Total",
    ]
    assert i18n.translate("Total") == "Totalsum"  # Bokmål is the default
    assert i18n.translate("not a catalog message", "en") == "not a catalog message"
    assert i18n.translate("user_follow_up", "nn", context="category") == "Brukaroppfølging"


@pytest.mark.parametrize(
    ("given_locale", "expected"),
    [(None, "nb"), ("nb_NO", "nb"), ("no", "nb"), ("nn-NO", "nn"), ("en_GB", "en"), ("EN", "en")],
)
def test_locale_names_are_normalised(given_locale: str | None, expected: str) -> None:
    assert i18n.normalise_locale(given_locale) == expected


def test_unsupported_locale() -> None:
    with pytest.raises(e.errors.UnsupportedLocaleError, match="'sv'") as info:
        i18n.translate("Total", "sv")
    assert info.value.supported == ("nb", "nn", "en")


def test_formatting() -> None:
    assert i18n.format_number(1234.5) == "1\xa0234,5"
    assert i18n.format_number(1234.5, "en") == "1,234.5"
    assert i18n.format_number(529.0) == "529"
    assert i18n.format_share(0.256) == "25,6 %"
    assert i18n.format_date(dt.date(2021, 1, 21)) == "21.01.2021"
    assert i18n.format_date(dt.date(2021, 1, 21), "en") == "2021-01-21"
    assert i18n.month_name(1, "nn") == "januar"
    # CLDR says døgn (a day and a night); a follow-up plan counts dager.
    assert i18n.format_duration(dt.timedelta(days=59)) == "8 uker og 3 dager"
    assert i18n.format_duration(dt.timedelta(days=8), "nn") == "1 veke og 1 dag"
    assert i18n.format_duration(dt.timedelta(days=56), "en") == "8 weeks"
    assert i18n.format_duration(dt.timedelta(days=1), "en") == "1 day"
    assert i18n.format_duration(dt.timedelta(0), "nb") == "0 dager"
    assert i18n.month_name(2, "en") == "February"


@given(st.floats(min_value=0, max_value=1e7, allow_nan=False).map(lambda x: round(x * 2) / 2))
def test_norwegian_numbers_read_back(value: float) -> None:
    text = i18n.format_number(value, "nb")
    assert float(text.replace("\xa0", "").replace(",", ".")) == value


def test_locales_are_per_call_not_global() -> None:
    def work(locale: str) -> str:
        return "".join(i18n.translate("Total", locale) for _ in range(200))

    with ThreadPoolExecutor(max_workers=4) as pool:
        results = list(pool.map(work, ["nb", "en", "nn", "en"] * 5))
    assert results == [work(loc) for loc in ["nb", "en", "nn", "en"] * 5]


PLACEHOLDER = re.compile(r"\{(\w*)(![rs])?\}")


@pytest.mark.parametrize("locale", i18n.LOCALES)
def test_translations_keep_every_placeholder(locale: str) -> None:
    """A translator may move ``{date}`` but not drop, rename or unquote it."""
    path = resources.files("ettervern._l10n").joinpath(
        "locale", locale, "LC_MESSAGES", "ettervern.po"
    )
    with path.open("rb") as handle:
        catalog = read_po(handle, locale=locale)
    wrong = [
        (message.id, message.string)
        for message in catalog
        if message.id
        and sorted(PLACEHOLDER.findall(str(message.id)))
        != sorted(PLACEHOLDER.findall(str(message.string)))
    ]
    assert wrong == []


@given(st.text(max_size=30).filter(lambda text: text != HIDDEN))
def test_what_the_user_typed_is_quoted_the_way_each_language_quotes(text: str) -> None:
    assume(not contains_identity(text))  # an identity number is never repeated (redaction)
    message = i18n.Message("{suffix!r}", suffix=text)
    assert message.render("nb") == message.render("nn") == f"«{text}»"
    assert message.render("en") == str(message) == repr(text)


def test_parameters_are_written_the_way_each_language_writes_them() -> None:
    message = i18n.Message("hours must be in steps of {step} hours", step=0.25)
    assert str(message) == "hours must be in steps of 0.25 hours"
    assert message.render("nb") == "timene må føres i steg på 0,25 timer"
    assert message.render("nn") == "timane må førast i steg på 0,25 timar"
    span = i18n.Message(
        "period ends ({end}) before it starts ({start})",
        end=dt.date(2020, 1, 1),
        start=dt.date(2020, 2, 1),
    )
    assert str(span) == "period ends (2020-01-01) before it starts (2020-02-01)"
    assert span.render() == "perioden slutter (01.01.2020) før den begynner (01.02.2020)"
    listed = i18n.Message(
        "{problem}; known: {known}", problem=span, known=["Fauske", i18n.Label("Felles", "bucket")]
    )
    assert listed.render("en").endswith("; known: Fauske, Shared")
    assert listed.render("nb").startswith("perioden slutter (01.01.2020)")


def test_messages_are_values() -> None:
    one = i18n.Message(
        "{field} must be one of {choices!r}, got {value!r}",
        field="kind",
        choices=["a", "b"],
        value="c",
    )
    same = i18n.Message(
        "{field} must be one of {choices!r}, got {value!r}",
        field="kind",
        choices=("a", "b"),
        value="c",
    )
    assert one == same
    assert hash(one) == hash(same)
    assert str(one) == "kind must be one of 'a', 'b', got 'c'"
    # The field is named as the code names it, quoted so it does not read as a Nynorsk word.
    assert one.render("nn") == "«kind» må vere ein av «a», «b», fekk «c»"


@pytest.mark.parametrize(
    ("locale", "shown"),
    [
        ("nb", "(skjult: ser ut som personopplysninger)"),
        ("nn", "(skjult: ser ut som personopplysningar)"),
        ("en", "(hidden: looks like personal data)"),
    ],
)
def test_a_hidden_value_is_shown_in_the_messages_language(locale: str, shown: str) -> None:
    """The placeholder for an identity number is translated however the template writes the
    parameter: quoted (``{value!r}``) or plain (``{value}``)."""
    plain = Message("unrecognized arguments: {arguments}", arguments="15038510190")
    quoted = Message("not a case code; expected {expected}", expected="15038510190")
    for message in (plain, quoted):
        text = message.render(locale)
        assert shown in text
        assert "10190" not in text


def test_the_shipped_template_lists_every_message() -> None:
    # translators start a new language from the .pot: a message missing there is never
    # translated (64 were, the schema's field texts among them)
    def keys(catalog: object) -> set[tuple[str, str]]:
        return {
            (m.context or "", str(m.id[0] if isinstance(m.id, tuple) else m.id))
            for m in catalog  # type: ignore[attr-defined]
            if m.id
        }

    path = resources.files("ettervern") / "_l10n" / "locale" / "ettervern.pot"
    with path.open("rb") as handle:
        shipped = keys(read_po(handle))
    assert keys(template()) - shipped == set()
