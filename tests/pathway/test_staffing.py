"""A case's person (a pseudonym only), its staff assignments and coordinator, and aborted."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given

import ettervern as e
from ettervern import privacy
from tests import strategies as s

d = dt.date


@given(s.national_ids())
def test_a_case_carries_a_pseudonym_never_the_number(number: str) -> None:
    key = "the municipality's secret key!!!"
    person = privacy.pseudonym(number, key=key)
    case = e.Case.refer("01/20-FA", on=d(2020, 1, 6), municipality="Fauske", person=person)
    assert case.person == person
    assert e.interchange.case_from_dict(e.interchange.case_to_dict(case)).person == person
    with pytest.raises(e.errors.InvalidValueError) as raised:
        e.Case.refer("01/20-FA", on=d(2020, 1, 6), municipality="Fauske", person=number)
    assert number not in str(raised.value)
    assert "pseudonym" in str(raised.value)


@pytest.mark.parametrize("bad", ["Kari Nordmann", "ABC", "k" * 25, "1" * 26])
def test_anything_but_a_pseudonym_is_refused_and_not_repeated(bad: str) -> None:
    with pytest.raises(e.errors.InvalidValueError) as raised:
        e.Case.refer("01/20-FA", on=d(2020, 1, 6), municipality="Fauske", person=bad)
    assert bad not in str(raised.value)


def test_staff_assignments_have_periods_and_end_at_closure() -> None:
    case = (
        e.Case.refer("01/20-FA", on=d(2020, 1, 6), municipality="Fauske")
        .accept(on=d(2020, 1, 8))
        .assign_staff("KB", on=d(2020, 1, 8), coordinator=True)
        .assign_staff("AH", on=d(2020, 1, 8))
        .release_staff("AH", on=d(2020, 2, 1))
        .assign_staff("m3", on=d(2020, 2, 1))
        .close(on=d(2020, 3, 31), reason="aborted")
    )
    assert case.closure_reason is e.ClosureReason.ABORTED
    assert case.staff_on(d(2020, 1, 31)) == ("KB", "AH")
    assert case.staff_on(d(2020, 2, 1)) == ("KB", "m3")
    assert case.staff_on(d(2020, 4, 1)) == ()
    assert case.coordinator_on(d(2020, 3, 31)) == "KB"
    assert case.coordinator_on(d(2020, 1, 7)) is None
    ah = case.staff_assignments[1]
    assert (ah.staff, ah.since, ah.until) == ("AH", d(2020, 1, 8), d(2020, 1, 31))
    assert case.staff_assignments[0].until == d(2020, 3, 31)
    assert e.interchange.case_from_dict(e.interchange.case_to_dict(case)) == case


@pytest.mark.parametrize("bad", ["Kari Nordmann", "", "x" * 17, 7])
def test_staff_are_ids_never_names(bad: object) -> None:
    case = e.Case.refer("01/20-FA", on=d(2020, 1, 6), municipality="Fauske")
    # A number is refused at the boundary for its type (WrongTypeError, an InvalidValueError).
    expected = (
        "staff must be of type str" if isinstance(bad, int) else "initials or a pseudonymous id"
    )
    with pytest.raises(e.errors.InvalidValueError, match=expected):
        case.assign_staff(bad, on=d(2020, 1, 7))  # type: ignore[arg-type]


@given(s.national_ids())
def test_a_national_id_as_staff_is_refused_unrepeated(number: str) -> None:
    case = e.Case.refer("01/20-FA", on=d(2020, 1, 6), municipality="Fauske")
    with pytest.raises(e.errors.InvalidValueError) as raised:
        case.assign_staff(number, on=d(2020, 1, 7))
    assert number not in str(raised.value)
