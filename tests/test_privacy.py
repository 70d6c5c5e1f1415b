from __future__ import annotations

import enum
import importlib
import io
import json
import logging
import re
from collections.abc import Callable
from pathlib import Path

import attrs
import pytest
from hypothesis import assume, given
from hypothesis import strategies as st

import ettervern as e
from ettervern import privacy
from ettervern._surface import PUBLIC_NAMESPACES
from tests import strategies as s

KEY = b"municipal secret key 0123456789"


@given(s.national_ids())
def test_generated_numbers_are_valid(number: str) -> None:
    assert privacy.is_valid_national_id(number)
    assert privacy.is_valid_national_id(number[:6] + " " + number[6:])
    assert privacy.looks_like_national_id(f"Sak for {number} i Fauske")


@given(s.national_ids(), st.integers(0, 10), st.integers(1, 9))
def test_any_changed_digit_is_caught(number: str, position: int, delta: int) -> None:
    changed = number[:position] + str((int(number[position]) + delta) % 10) + number[position + 1 :]
    assume(changed != number)
    # One wrong digit breaks a check digit or the date (mod 11 catches every single-digit error).
    assert not privacy.is_valid_national_id(changed)


@pytest.mark.parametrize(
    # synthetic values: "00000000000" and 12345678901 pass the checksum but have no valid
    # birth date (day 00; month 34), so they are not identity numbers
    "value",
    ["", "1234567890", "123456789012", "abcdefghijk", "00000000000", 12345678901],
)
def test_malformed_values(value: object) -> None:
    assert not privacy.is_valid_national_id(value)  # type: ignore[arg-type]


@given(s.national_ids())
def test_pseudonym_is_stable_keyed_and_hides_the_number(number: str) -> None:
    first = privacy.pseudonym(number, key=KEY)
    assert first == privacy.pseudonym(number, key=KEY)
    assert first == privacy.pseudonym(number[:6] + " " + number[6:], key=KEY)
    assert first != privacy.pseudonym(number, key=KEY + b"rotated")
    assert number not in first and number[:6] not in first and number[6:] not in first
    assert len(first) == 26 and first.isalnum() and first == first.lower()


@given(s.national_ids(), s.national_ids())
def test_different_people_get_different_pseudonyms(a: str, b: str) -> None:
    assume(a != b)
    assert privacy.pseudonym(a, key=KEY) != privacy.pseudonym(b, key=KEY)


@given(s.national_ids())
def test_errors_never_repeat_the_number(number: str) -> None:
    broken = number[:10] + str((int(number[10]) + 1) % 10)
    with pytest.raises(e.errors.NationalIdError) as info:
        privacy.pseudonym(broken, key=KEY)
    assert broken not in str(info.value) and broken not in repr(info.value.args)
    with pytest.raises(e.errors.NationalIdError, match="at least 16 bytes") as short:
        privacy.pseudonym(number, key="short")
    assert number not in str(short.value)
    assert isinstance(short.value, ValueError)


def test_cases_hold_birth_year_and_gender_only_and_report_age_bands() -> None:
    import datetime as dt

    team = e.teams.salten()
    cases = [
        e.Case.refer(
            "01/20-FA",
            on=dt.date(2020, 2, 3),
            municipality="Fauske",
            birth_year=1985,
            gender="female",
        ).accept(on=dt.date(2020, 2, 4)),
        e.Case.refer(
            "02/20-FA",
            on=dt.date(2020, 2, 3),
            municipality="Fauske",
            birth_year=2003,
            gender="male",
        ).accept(on=dt.date(2020, 2, 4)),
        e.Case.refer("03/20-FA", on=dt.date(2020, 2, 3), municipality="Fauske").accept(
            on=dt.date(2020, 2, 4)
        ),
    ]
    assert [c.age_band(2020) for c in cases] == ["26-39", "0-17", None]
    assert e.age_band(80) == "80+"
    assert e.age_band(25) == "18-25"
    with pytest.raises(e.errors.InvalidValueError):
        e.age_band(-1)
    with pytest.raises(e.errors.InvalidValueError, match="birth_year"):
        e.Case.refer("04/20-FA", on=dt.date(2020, 2, 3), municipality="Fauske", birth_year=85)
    again = [e.interchange.case_from_dict(e.interchange.case_to_dict(c)) for c in cases]
    assert again == cases
    assert "birth_year" not in e.interchange.case_to_dict(cases[2])
    from ettervern._reports._cases import demographics_report

    report = demographics_report(cases, team, (dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
    assert report is not None
    wide = report.to_frame(labels=False)
    assert wide.loc["26-39", "female"] == 1
    assert wide.loc["0-17", "male"] == 1
    assert wide.loc["unknown", "unknown"] == 1
    assert (
        report.to_frame("en").loc["unknown", "Women"]
        != report.to_frame("en").loc["unknown", "Women"]
    )  # empty cell
    assert (
        demographics_report(cases[2:], team, (dt.date(2020, 1, 1), dt.date(2020, 12, 31))) is None
    )


@given(s.national_ids())
def test_case_codes_and_case_files_never_echo_a_national_id(number: str) -> None:
    with pytest.raises(e.errors.CaseCodeError) as info:
        e.CaseCode.parse(number)
    assert number not in str(info.value)
    assert info.value.value != number
    data = {"schema_version": 1, "code": number, "municipality": "Fauske", "events": []}
    with pytest.raises(e.errors.ConfigError) as config:
        e.interchange.case_from_dict(data)
    assert number not in str(config.value)


def _reference_check(number: str) -> bool:
    """The check digits as the Tax Administration defines them, written out independently of
    python-stdnum (the arithmetic this library used before it relied on stdnum)."""
    digits = [int(c) for c in number]
    weights1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
    weights2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    k1 = 11 - sum(d * w for d, w in zip(digits[:9], weights1, strict=True)) % 11
    k2 = 11 - sum(d * w for d, w in zip(digits[:10], weights2, strict=True)) % 11
    return digits[9] == (0 if k1 == 11 else k1) and digits[10] == (0 if k2 == 11 else k2)


@pytest.mark.parametrize("kind", ["f", "d", "h"])
@given(data=st.data())
def test_stdnum_agrees_with_the_reference_on_generated_numbers(
    kind: str, data: st.DataObject
) -> None:
    number = data.draw(s.national_ids(kind))
    assert _reference_check(number)
    assert privacy.is_valid_national_id(number)  # stdnum knows fødselsnummer, D- and H-numbers
    position = data.draw(st.integers(9, 10))
    broken = number[:position] + str((int(number[position]) + 1) % 10) + number[position + 1 :]
    assert privacy.is_valid_national_id(broken) == _reference_check(broken) is False


# -- identity numbers in file and sheet names (issue 31) ---------------------------------------

NAMED = "15038510190"  # synthetic: a valid number of no real person (see _l10n/_redaction.py)


def _workbook_named(directory: Path, number: str) -> Path:
    """A workbook whose file name and sheet names hold ``number``: one time-log sheet with a
    rejected row, and one sheet without a header (skipped, and named in the summary)."""
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = f"Ark {number}"
    sheet.append(["Sak", "Dato", "Kommune", "Hendelse", "Tidsbruk"])
    sheet.append(["01/20-FA", "05.01.2020", "Fauske", "Kjøring", 1.5])
    sheet.append(["02/20-FA", "06.01.2020", "Fauske", "Kjøring", "mye"])
    book.create_sheet(f"Notater {number}").append(["notes"])
    path = directory / f"timer {number}.xlsx"
    book.save(path)
    return path


def _everything_said(result: e.ImportResult) -> list[str]:
    texts = [repr(result), str(result), result.to_html("nn"), result.summary("nb")]
    texts += [result.rejected.to_string(), result.rejected_in("en").to_string()]
    return texts


def test_no_identity_number_in_file_or_sheet_names(
    tmp_path: Path, salten: e.Team, caplog: pytest.LogCaptureFixture
) -> None:
    path = _workbook_named(tmp_path, NAMED)
    with caplog.at_level(logging.DEBUG, logger="ettervern"):
        result = e.read_timelog(path, team=salten)
    assert (len(result.accepted), len(result.rejected), len(result.skipped)) == (1, 1, 1)
    texts = _everything_said(result) + [r.getMessage() for r in caplog.records]
    texts += [str(result.rejected_in(locale)["Ark"].iloc[0]) for locale in ("nb", "nn")]
    assert not [text for text in texts if NAMED in text]
    assert result.rejected["sheet"].iloc[0] == privacy.HIDDEN


def test_no_identity_number_in_the_clis_rejected_csv(tmp_path: Path) -> None:
    from ettervern.__main__ import main

    path = _workbook_named(tmp_path, NAMED)
    rejected = tmp_path / "avvist.csv"
    main(["report", str(path), "--rejected", str(rejected), "--year", "2020"])
    assert NAMED not in rejected.read_text(encoding="utf-8")


@pytest.mark.parametrize("suffix", [".csv", ".xlsx", ".json", ".parquet"])
def test_no_identity_number_in_errors_about_a_file(tmp_path: Path, suffix: str) -> None:
    missing = tmp_path / f"{NAMED}{suffix}"
    readers = {
        ".csv": lambda: e.read_timelog(missing, team=e.teams.salten()),
        ".xlsx": lambda: e.read_timelog(missing, team=e.teams.salten()),
        ".json": lambda: e.read_cases(missing),
        ".parquet": lambda: e.read_cases_parquet(missing),
    }
    with pytest.raises(e.EttervernError) as caught:
        readers[suffix]()
    said = [str(caught.value), repr(caught.value), str(getattr(caught.value, "source", ""))]
    assert not [text for text in said if NAMED in text]


# -- tracebacks with locals (issue 31) ---------------------------------------------------------

SECRET = "Kari Nordmann 15038510190"  # what a traceback printer with locals must not show


def _refusals() -> dict[str, Callable[[], object]]:
    """Each bulk reader given refused input that holds ``SECRET``."""
    case = {"code": "01/20-FA", "municipality": "Fauske", "schema_version": 4, "note": SECRET}
    case["events"] = [{"type": "referral", "on": SECRET}]
    sheet = f"Notater;{SECRET}\n".encode()  # no header: refused as a whole
    return {
        "cases_from_json": lambda: e.cases_from_json(json.dumps([case]), strict=True),
        "cases_from_dicts": lambda: e.interchange.cases_from_dicts([case], strict=True),
        "case_from_dict": lambda: e.interchange.case_from_dict(case),
        "read_timelog": lambda: e.read_timelog(io.BytesIO(sheet), team=e.teams.salten()),
    }


@pytest.mark.parametrize("reader", sorted(_refusals()))
def test_the_readers_frames_drop_refused_input(reader: str) -> None:
    with pytest.raises(e.EttervernError) as caught:
        _refusals()[reader]()
    shown = []
    tb = caught.value.__traceback__
    while tb is not None:
        frame = tb.tb_frame
        if "/ettervern/_io/" in frame.f_code.co_filename:
            shown += [
                f"{frame.f_code.co_name}: {name}={value!r}"
                for name, value in frame.f_locals.items()
            ]
        tb = tb.tb_next
    assert not [line for line in shown if "15038510190" in line or "Kari" in line]


def _public_classes() -> list[type]:
    """Every class a public namespace names (errors too; enums cannot be half built)."""
    classes = {}
    for namespace in PUBLIC_NAMESPACES:
        module = importlib.import_module(namespace)
        for name in module.__all__:
            value = getattr(module, name)
            if isinstance(value, type) and not issubclass(value, enum.Enum):
                classes.setdefault(value, None)
    return list(classes)


@pytest.mark.parametrize("cls", _public_classes(), ids=lambda cls: cls.__name__)
def test_repr_of_a_half_built_object(cls: type) -> None:
    """A traceback printer with locals calls repr on an object whose constructor failed: it
    gets text, and no memory address (``object``'s repr) that differs from run to run."""
    half = cls.__new__(cls) if issubclass(cls, BaseException) else object.__new__(cls)
    shown = repr(half)
    assert isinstance(shown, str)
    assert not re.search(r"0x[0-9a-f]{4,}|\d{11}", shown), shown


def test_a_new_public_class_gets_the_safe_repr() -> None:
    """The safe repr comes from the boundary, not from each class remembering it."""
    from ettervern._contract import enforce

    @attrs.frozen
    class Fresh:
        first: int
        second: str = attrs.field(repr=lambda _: "<hidden>")

    @attrs.frozen
    class Failing:
        size: int

        def __repr__(self) -> str:
            return f"Failing({self.size}, {self.missing})"  # type: ignore[attr-defined]

    enforce({"Fresh": Fresh, "Failing": Failing}, ["Fresh", "Failing"])
    half = object.__new__(Fresh)
    object.__setattr__(half, "first", 1)
    assert repr(half) == "Fresh(first=1, second=<unset>)"
    assert repr(Fresh(2, "Kari")) == "Fresh(first=2, second=<hidden>)"
    assert repr(Failing(3)) == "<Failing>"


# -- the published workbook lists no rejected rows (issue 31) ----------------------------------


@pytest.mark.parametrize("audience", ["published", "internal"])
def test_only_an_internal_workbook_lists_the_rejected_rows(tmp_path: Path, audience: str) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    example = e.examples.salten_2020()
    result = e.read_timelog(e.examples.salten_2020_messy_path(), team=example.team)
    codes = {str(v) for v in result.rejected["value"] if "/" in str(v)}  # typed case codes
    annual = e.annual_report(
        example.log, example.cases, team=example.team, year=2020, audience=audience
    )
    book = openpyxl.load_workbook(annual.to_excel(tmp_path / "r.xlsx", "en", rejected=result))
    cover = [str(c.value) for row in book.worksheets[0].iter_rows() for c in row if c.value]
    if audience == "internal":
        assert "Rejected rows" in book.sheetnames
        return
    assert "Rejected rows" not in book.sheetnames
    assert any(text.startswith("18 rows the import rejected are left out") for text in cover)
    cells = {str(c.value) for sheet in book.worksheets for row in sheet.iter_rows() for c in row}
    assert codes
    assert not [code for code in codes for cell in cells if code in cell]
