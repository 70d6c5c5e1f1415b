"""The field checks: one error shape (field, value, a translatable message) for every rule."""

from __future__ import annotations

import attrs
import pytest
from hypothesis import given
from hypothesis import strategies as st

import ettervern as e
from ettervern._core import at_least, between, check_one_of, field_rule


@attrs.frozen
class Stay:
    nights: int = attrs.field(validator=at_least(1))
    month: int = attrs.field(default=1, validator=between(1, 12))
    ward: str = attrs.field(
        default="a",
        validator=field_rule(
            str.islower,
            "{field} must be a lower-case key such as {example!r}, got {value!r}",
            example="crisis_plan",
        ),
    )


# Down to nine digits: a longer run of digits is hidden in messages as a possible identity number.
@given(st.integers(min_value=-(10**9) + 1, max_value=0))
def test_a_value_below_the_bound_names_field_value_and_rule(nights: int) -> None:
    with pytest.raises(e.errors.InvalidValueError) as info:
        Stay(nights)
    assert (info.value.field, info.value.value) == ("nights", nights)
    assert str(info.value) == f"nights must be at least 1, got {nights}"
    assert isinstance(info.value, ValueError)


@given(st.integers(min_value=1), st.integers(min_value=1, max_value=12))
def test_values_within_the_rules_pass(nights: int, month: int) -> None:
    assert Stay(nights, month).month == month


@pytest.mark.parametrize("month", [0, 13])
def test_between_includes_both_ends_and_nothing_more(month: int) -> None:
    with pytest.raises(e.errors.InvalidValueError, match="month must be between 1 and 12, got"):
        Stay(1, month)


def test_a_rule_of_its_own_keeps_its_parameters_and_translates() -> None:
    with pytest.raises(e.errors.InvalidValueError) as info:
        Stay(1, 1, "Crisis")
    assert str(info.value) == "ward must be a lower-case key such as 'crisis_plan', got 'Crisis'"
    assert info.value.message_in("nb") == (
        "«ward» må være en nøkkel med små bokstaver, som «crisis_plan», fikk «Crisis»"
    )


def test_a_choice_lists_the_choices_in_order() -> None:
    check_one_of("spread", "equal", ("pro_rata", "equal"))
    with pytest.raises(e.errors.InvalidValueError) as info:
        check_one_of("spread", "even", ("pro_rata", "equal"))
    assert info.value.field == "spread"
    assert str(info.value) == "spread must be one of 'pro_rata', 'equal', got 'even'"
    assert info.value.message_in("nn") == "«spread» må vere ein av «pro_rata», «equal», fekk «even»"
