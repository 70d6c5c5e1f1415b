"""Text caches remember short texts only, so a file of long distinct cells cannot fill memory."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from ettervern._core import SHORT_TEXT, text_cache


def _counting() -> tuple[list[str], object]:
    calls: list[str] = []

    @text_cache(maxsize=16)
    def upper(text: str) -> str:
        calls.append(text)
        return text.upper()

    return calls, upper


@given(text=st.text(max_size=SHORT_TEXT * 2))
def test_the_answer_is_the_functions_and_only_short_texts_are_remembered(text: str) -> None:
    calls, upper = _counting()
    assert upper(text) == upper(text) == text.upper()  # type: ignore[operator]
    assert len(calls) == (1 if len(text) <= SHORT_TEXT else 2)


def test_a_run_of_long_distinct_texts_leaves_the_cache_empty() -> None:
    calls, upper = _counting()
    for i in range(100):
        upper(f"{i:03d}" + "x" * 10_000)  # type: ignore[operator]
    assert len(calls) == 100
    assert upper.cache_info().currsize == 0  # type: ignore[attr-defined]
    upper("Bodø")  # type: ignore[operator]
    assert upper.cache_info().currsize == 1  # type: ignore[attr-defined]
