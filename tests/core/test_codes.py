from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from tests import strategies as s


def test_parse_the_seed_example() -> None:
    code = e.CaseCode.parse("02/20-ST")
    assert (code.number, code.year, code.municipality) == (2, 2020, "ST")
    assert str(code) == "02/20-ST"


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("100/20-ST", (100, 2020, "ST")),
        ("01/99-SØ", (1, 2099, "SØ")),
        ("  07/21-fa ", (7, 2021, "FA")),
        ("3/20-RØ", (3, 2020, "RØ")),
    ],
)
def test_parse_variants(text: str, expected: tuple[int, int, str]) -> None:
    code = e.CaseCode.parse(text)
    assert (code.number, code.year, code.municipality) == expected


@pytest.mark.parametrize(
    "text",
    ["", "02-20-ST", "02/2020-ST", "00/20-ST", "02/20-", "02/20-S1", "ab/20-ST", "02/20-STEIG"],
)
def test_malformed_codes_name_input_and_form(text: str) -> None:
    with pytest.raises(e.errors.CaseCodeError) as info:
        e.CaseCode.parse(text)
    assert repr(text) in str(info.value)
    assert "02/20-ST" in str(info.value)
    assert isinstance(info.value, ValueError)
    assert info.value.value == text


def test_non_text_is_rejected() -> None:
    # The argument's type is checked before parsing (the one error contract).
    with pytest.raises(e.errors.WrongTypeError, match="text must be of type str") as info:
        e.CaseCode.parse(220)  # type: ignore[arg-type]
    assert isinstance(info.value, TypeError)


@given(s.case_codes())
def test_format_parse_round_trip(code: e.CaseCode) -> None:
    text = str(code)
    assert e.CaseCode.parse(text) == code
    assert str(e.CaseCode.parse(text)) == text


@given(s.schemes, st.data())
def test_round_trip_in_any_scheme(scheme: e.CodeScheme, data: st.DataObject) -> None:
    code = data.draw(s.case_codes(scheme))
    text = str(code)
    parsed = scheme.parse(text)
    assert parsed == code
    assert str(parsed) == text


@given(s.case_codes())
def test_number_is_at_least_two_digits(code: e.CaseCode) -> None:
    number_text = str(code).split("/")[0]
    assert len(number_text) == max(2, len(str(code.number)))
    assert int(number_text) == code.number


@given(st.lists(s.case_codes(), max_size=8))
def test_order_is_year_then_letters_then_number(codes: list[e.CaseCode]) -> None:
    ordered = sorted(codes)
    keys = [(c.year, e.language.norwegian_sort_key(c.municipality), c.number) for c in ordered]
    assert keys == sorted(keys)


def test_order_uses_norwegian_letters() -> None:
    codes = [
        e.CaseCode.parse(t) for t in ["01/20-ÅS", "01/20-SØ", "01/20-ST", "01/19-ÅS", "02/20-ST"]
    ]
    assert [str(c) for c in sorted(codes)] == [
        "01/19-ÅS",
        "01/20-ST",
        "02/20-ST",
        "01/20-SØ",
        "01/20-ÅS",
    ]


def test_codes_are_hashable_and_equal_across_schemes() -> None:
    other = e.CodeScheme("{letters}-{yyyy}-{number}", number_width=3)
    a = e.CaseCode.parse("02/20-ST")
    b = other.parse("ST-2020-002")
    assert a == b
    assert len({a, b}) == 1
    assert str(b) == "ST-2020-002"


@given(st.lists(s.case_codes(), max_size=30), s.letters, s.years)
def test_allocation_never_repeats(existing: list[e.CaseCode], letters: str, year: int) -> None:
    new = e.next_case_code(existing, municipality=letters, year=year)
    assert new not in existing
    assert (new.municipality, new.year) == (letters, year)
    same = [c.number for c in existing if (c.municipality, c.year) == (letters, year)]
    assert new.number == max(same, default=0) + 1


def test_allocation_from_text_and_beyond_99() -> None:
    existing = [f"{n:02d}/20-ST" for n in range(1, 100)] + ["05/20-FA", "01/21-ST"]
    code = e.next_case_code(existing, municipality="ST", year=2020)
    assert str(code) == "100/20-ST"
    assert str(e.next_case_code([*existing, code], municipality="st", year=2020)) == "101/20-ST"
    assert str(e.next_case_code(existing, municipality="BE", year=2020)) == "01/20-BE"


def test_allocation_takes_the_letters_from_the_team() -> None:
    # By name, number or register municipality: the (default Salten) team gives the letters.
    assert str(e.next_case_code([], municipality="Fauske", year=2020)) == "01/20-FA"
    assert str(e.next_case_code(["01/20-FA"], municipality="1841", year=2020)) == "02/20-FA"
    fauske = e.municipality("Fauske")
    assert str(e.next_case_code([], municipality=fauske, year=2020)) == "01/20-FA"
    # Another team: its letters and its scheme.
    jaeren = e.teams.jaeren()
    code = e.next_case_code(["HÅ-2019-001"], municipality="Hå", year=2019, team=jaeren)
    assert str(code) == "HÅ-2019-002"
    with pytest.raises(e.errors.UnknownMunicipalityError):
        e.next_case_code([], municipality="Fauske", year=2019, team=jaeren)
    # A register municipality outside the team still needs letters.
    with pytest.raises(e.errors.CaseCodeError, match="no code letters"):
        e.next_case_code([], municipality=e.municipality("Bergen"), year=2020)
    bergen = e.municipality("Bergen").with_letters("BG")
    assert str(e.next_case_code([], municipality=bergen, year=2020)) == "01/20-BG"


def test_allocation_rejects_bad_year_and_letters() -> None:
    with pytest.raises(e.errors.CaseCodeError, match="year"):
        e.next_case_code([], municipality="ST", year=1999)
    with pytest.raises(e.errors.CaseCodeError, match="letters"):
        e.next_case_code([], municipality="S1", year=2020)
    with pytest.raises(e.errors.CaseCodeError):
        e.next_case_code(["garbage"], municipality="ST", year=2020)


@pytest.mark.parametrize(
    "pattern",
    [
        "{number}/{yy}",
        "{number}/{yy}-{letters}-{yyyy}",
        "{num}/{yy}-{letters}",
        "{number}{number}{yy}{letters}",
    ],
)
def test_bad_patterns_are_refused(pattern: str) -> None:
    with pytest.raises(ValueError, match="pattern"):
        e.CodeScheme(pattern)


def test_scheme_example_and_four_digit_years() -> None:
    scheme = e.CodeScheme("{letters}-{yyyy}-{number}", number_width=3)
    assert scheme.example == "ST-2020-002"
    assert scheme.parse("fa-1998-010").year == 1998


@given(
    s.schemes,
    st.integers(0, 10**7),
    st.integers(0, 9999),
    s.letters,
)
def test_parsing_agrees_with_the_checked_constructor(
    scheme: e.CodeScheme, number: int, year: int, letters: str
) -> None:
    """A code the pattern matches is made without its validators (it is on every stored case's
    path): it must be refused, or equal the checked code, exactly as the constructor decides."""
    yy = year % 100
    text = scheme.pattern.format(number=number, yy=f"{yy:02d}", yyyy=f"{year:04d}", letters=letters)
    full_year = 2000 + yy if scheme.two_digit_year else year
    try:
        checked = e.CaseCode(year=full_year, municipality=letters, number=number, scheme=scheme)
    except e.errors.InvalidValueError:
        with pytest.raises(e.errors.CaseCodeError):
            scheme.parse(text)
        return
    parsed = scheme.parse(text)
    assert (parsed.year, parsed.municipality, parsed.number) == (full_year, letters, number)
    assert parsed == checked
    assert parsed.scheme is scheme
    assert str(parsed) == str(checked)


_DIGITS = {"ascii": "0123456789", "arabic-indic": "٠١٢٣٤٥٦٧٨٩", "fullwidth": "０１２３４５６７８９"}

_WRITTEN_SCHEMES = st.builds(
    e.CodeScheme,
    pattern=st.sampled_from(
        [
            "{number}/{yy}-{letters}",
            "{letters}-{yyyy}-{number}",
            "SAK {number}.{yy} {letters}",
            "sak {number}.{yy} {letters}",  # words not in capitals: read in capitals
            "{{ {number} }}/{yy}-{letters}",  # braces written as ``{{`` and ``}}``
            "{number}/}}{yy}-{letters}",
            "{{/{number}/{yy}-{letters}",
            "{yyyy}{letters}{number}",
        ]
    ),
    number_width=st.integers(min_value=1, max_value=4),
)


@st.composite
def _code_texts(draw: st.DrawFn) -> tuple[e.CodeScheme, str]:
    """A scheme and a text of a code in it, written by hand in any of the ways a reader takes:
    the number with too few or too many zeros, digits of another script, letters in any case,
    spaces around."""
    scheme = draw(_WRITTEN_SCHEMES)
    code = draw(s.case_codes(scheme))
    scripts = st.sampled_from(sorted(_DIGITS))

    def written(number: int, width: int) -> str:
        digits = _DIGITS[draw(scripts)]
        return "".join(digits[int(d)] for d in f"{number:0{width}d}")

    number = written(code.number, draw(st.integers(min_value=0, max_value=6)))
    letters = code.municipality if draw(st.booleans()) else code.municipality.lower()
    text = (
        scheme.pattern.replace("{{", "\0")
        .replace("}}", "\1")
        .replace("{number}", number)
        .replace("{yyyy}", written(code.year, 4))
        .replace("{yy}", written(code.year % 100, 2))
        .replace("{letters}", letters)
    )
    if draw(st.booleans()):  # a brace as the scheme writes it, or as its pattern holds it
        text = text.replace("\0", "{").replace("\1", "}")
    else:
        text = text.replace("\0", "{{").replace("\1", "}}")
    return scheme, draw(st.sampled_from(["", " ", "\t"])) + text + draw(st.sampled_from(["", " "]))


@settings(max_examples=150)
@given(_code_texts())
def test_a_code_read_in_bulk_is_written_as_str_writes_it(drawn: tuple[e.CodeScheme, str]) -> None:
    # parse_written gives the text read as the written code when it is written so; the oracle
    # is str() of the code parsed, which writes it from its parts.
    from ettervern._core import parse_code, parse_written

    scheme, text = drawn
    try:
        expected = parse_code(text, scheme)
    except e.errors.CaseCodeError:
        with pytest.raises(e.errors.CaseCodeError):
            parse_written(text, scheme)
        return
    code, written = parse_written(text, scheme)
    assert code == expected
    assert written == str(expected)


@pytest.mark.parametrize(
    ("text", "written"),
    [
        ("02/20-ST", "02/20-ST"),
        (" 2/20-st ", "02/20-ST"),
        ("002/20-ST", "02/20-ST"),
        ("123/20-ST", "123/20-ST"),
        ("٠٢/٢٠-ST", "02/20-ST"),
        ("٠٢/20-ST", "02/20-ST"),
        ("02/٢٠-ST", "02/20-ST"),
    ],
)
def test_a_code_read_in_bulk_is_written_in_the_scheme_s_form(text: str, written: str) -> None:
    from ettervern._core import parse_written

    assert parse_written(text, e.DEFAULT_SCHEME)[1] == written
