from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from hypothesis import settings

import ettervern as e
from ettervern._l10n import _messages as i18n
from ettervern._l10n._messages import Message

# One hypothesis profile for the whole suite, chosen by the environment. Neither has a deadline:
# how long one example takes depends on the machine's load, not on the code, and a test must
# not fail because the machine was busy (the README's test command once failed on a 348 ms
# example against the 200 ms default). Tests set only how many examples they need.
settings.register_profile("dev", deadline=None)
# CI: the same examples on every run (derandomize), so a red build is red again when re-run,
# with the blob that reproduces a failure printed (`@reproduce_failure`), and no example
# database (a fresh machine has none to read).
settings.register_profile("ci", deadline=None, derandomize=True, print_blob=True, database=None)
settings.load_profile("ci" if os.environ.get("CI") else "dev")


@pytest.fixture(scope="session")
def salten() -> e.Team:
    """The Salten team preset."""
    return e.teams.salten()


@pytest.fixture(scope="session", autouse=True)
def every_message_the_tests_meet_is_translated() -> Iterator[None]:
    """Fail the run when code builds a :class:`Message` the catalogs do not translate.

    The catalog test checks what babel's extractor finds; this catches a template the extractor
    cannot see (one passed through a variable that was not marked with ``N_``).
    """
    met: set[str] = set()
    original = Message.__init__

    def recording(self: Message, template: str, /, **params: object) -> None:
        met.add(template)
        original(self, template, **params)

    Message.__init__ = recording  # type: ignore[method-assign]
    yield
    Message.__init__ = original  # type: ignore[method-assign]
    missing = sorted(
        template
        for template in met
        for locale in i18n.LOCALES
        if not i18n.has_translation(template, locale)
    )
    assert not missing, f"messages without a translation: {missing}"
