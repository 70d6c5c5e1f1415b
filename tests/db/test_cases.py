"""The register's search for identity numbers in stored case data, against one search per text."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from ettervern.db._cases import _check_private
from tests.strategies import national_ids

texts = st.one_of(
    national_ids(),
    st.text(alphabet="0123456789 .-/\nab", max_size=24),
    st.integers(),
    st.none(),
)
values = st.recursive(
    texts,
    lambda inner: st.one_of(
        st.lists(inner, max_size=4), st.dictionaries(st.sampled_from("xyz"), inner, max_size=3)
    ),
    max_leaves=12,
)


def each_text(value: object) -> list[str]:
    """The texts in ``value``, found apart from the register's code."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [t for item in value.values() for t in each_text(item)]
    if isinstance(value, list):
        return [t for item in value for t in each_text(item)]
    return []


@given(values)
def test_stored_data_is_refused_when_one_of_its_texts_holds_an_identity_number(
    value: object,
) -> None:
    holds = any(e.privacy.looks_like_national_id(text) for text in each_text(value))
    if holds:
        with pytest.raises(e.errors.NationalIdError):
            _check_private(value)
    else:
        _check_private(value)
