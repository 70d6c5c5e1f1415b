"""Errors: one base class, data on each error, and messages in every shipped language."""

from __future__ import annotations

import datetime as dt
import inspect
import io
import json
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given

import ettervern as e
from ettervern import errors
from ettervern.language import LOCALES
from tests import strategies as s


def test_every_error_derives_from_the_base_and_a_builtin() -> None:
    classes = [getattr(errors, name) for name in errors.__all__]
    assert all(issubclass(cls, errors.EttervernError) for cls in classes)
    for cls in classes:
        if cls is not errors.EttervernError:
            assert issubclass(
                cls, ValueError | LookupError | ImportError | RuntimeError | TypeError | OSError
            ), cls


def test_every_error_can_be_shown_in_every_language() -> None:
    """``message_in`` is declared once, on the base class; no error overrides it to skip it."""
    for name in errors.__all__:
        cls = getattr(errors, name)
        assert inspect.getattr_static(cls, "message_in") is errors.EttervernError.message_in


def test_str_is_english_and_message_in_follows_the_locale() -> None:
    with pytest.raises(errors.UnknownMunicipalityError) as info:
        e.teams.salten().membership("Bodø")
    error = info.value
    assert str(error) == error.message_in("en")
    assert str(error).startswith("no municipality matches 'Bodø' in team ")
    assert error.message_in().startswith("ingen kommune passer med «Bodø» i team ")  # Bokmål
    assert error.message_in("nn").startswith("ingen kommune passar med «Bodø» i team ")
    assert error.message_in("nn-NO") == error.message_in("nn")
    with pytest.raises(errors.UnsupportedLocaleError):
        error.message_in("sv")


def test_a_strict_import_error_names_the_sheet_row_and_column_in_the_users_words() -> None:
    text = "Sak;Dato;Kommune;Hendelse;Tidsbruk\n01/20-FA;31.02.2020;Fauske;Kjøring;1,5\n"
    with pytest.raises(errors.TimeLogError) as info:
        e.read_timelog(io.BytesIO(text.encode()), team=e.teams.salten(), format="csv", strict=True)
    error = info.value
    assert (error.row, error.column, error.value) == (2, "date", "31.02.2020")
    # The day does not exist: saying "write it like 21.01.2020" was no help (issue 34).
    assert str(error) == (
        "row 2, column date: no such date: '31.02.2020'; that month has 29 days (got '31.02.2020')"
    )
    assert error.message_in("nb") == (
        "rad 2, kolonne Dato: datoen finnes ikke: «31.02.2020»; den måneden har 29 dager "
        "(fikk «31.02.2020»)"
    )
    assert error.message_in("nn").startswith("rad 2, kolonne Dato: datoen finst ikkje")


def test_a_category_out_of_use_speaks_of_it_by_its_name_in_each_language() -> None:
    catalog = e.teams.salten_categories()
    with pytest.raises(errors.CategoryNotValidError) as info:
        catalog.check("Administrasjonsarbeid", on=dt.date(2021, 3, 1))
    error = info.value
    assert error.valid == "until 2020-12-31"
    assert error.message_in("nb") == (
        "hendelsen Administrasjonsarbeid er ikke i bruk 01.03.2021; den er i bruk til og med "
        "31.12.2020"
    )
    assert str(error) == (
        "category Administration is not in use on 2021-03-01; it is in use until 2020-12-31"
    )


def test_a_teams_own_category_out_of_use_keeps_its_own_name() -> None:
    own = e.Category("peer_support", "Likepersonsarbeid", valid_until=dt.date(2020, 12, 31))
    catalog = e.CategoryCatalog("own", (own,))
    with pytest.raises(errors.CategoryNotValidError) as info:
        catalog.check("peer_support", on=dt.date(2021, 1, 4))
    for locale in LOCALES:
        assert "Likepersonsarbeid" in info.value.message_in(locale)
        assert "peer_support" not in info.value.message_in(locale)


def test_config_errors_list_each_problem_on_its_own_line_in_each_language(
    salten: e.Team,
) -> None:
    data = e.interchange.team_to_dict(salten)
    data["members"][2]["since"] = "2020-13-01"
    data["staff_per_case"] = "two"
    with pytest.raises(errors.ConfigError) as info:
        e.interchange.team_from_dict(data)
    error = info.value
    assert len(error.problems) == len(error.problem_messages) == 2
    for locale in LOCALES:
        lines = error.message_in(locale).splitlines()
        assert len(lines) == 3
        assert lines[1].endswith("@ $.members[2].since")
        assert lines[2].endswith("@ $.staff_per_case")
    assert error.message_in("nb").splitlines()[1].startswith("  - ventet en dato som ÅÅÅÅ-MM-DD")


@given(s.national_ids())
def test_no_language_repeats_an_identity_number(national_id: str) -> None:
    with pytest.raises(errors.CaseCodeError) as info:
        e.CaseCode.parse(national_id)
    error = info.value
    for locale in LOCALES:
        assert national_id not in error.message_in(locale)
    assert "(skjult: ser ut som personopplysninger)" in error.message_in("nb")
    assert "«(skjult" not in error.message_in("nb")  # a placeholder, not a quoted value


def test_an_annual_report_without_the_table_asked_for() -> None:
    example = e.examples.salten_2020()
    annual = e.annual_report(example.log, example.cases, team=example.team, year=2020)
    with pytest.raises(errors.UnknownReportError) as info:
        annual["no_such_table"]
    assert isinstance(info.value, KeyError)
    assert "driving" in info.value.known
    assert info.value.message_in("nn").startswith("ingen tabell «no_such_table» i årsrapporten")


def test_a_missing_extra_says_how_to_install_it_in_each_language() -> None:
    error = errors.MissingDependencyError(
        "openpyxl", "excel", e.language.Message("write Excel workbooks")
    )
    command = 'pip install "ettervern[excel]"'
    assert str(error) == f"openpyxl is needed to write Excel workbooks; install it with: {command}"
    assert error.message_in("nb") == (
        f"openpyxl trengs for å skrive Excel-arbeidsbøker; installer den med: {command}"
    )


def test_lookups_without_a_place_and_with_many_choices() -> None:
    many = [f"{number:04d}" for number in range(1, 20)]
    error = errors.UnknownMunicipalityError("Atlantis", known=many)
    assert str(error) == (
        "no municipality matches 'Atlantis'; known: " + ", ".join(many[:12]) + " and 7 more"
    )
    assert error.message_in("nn").endswith("og 7 til")
    assert str(errors.UnknownCategoryError("x")) == "no category matches 'x'"


def test_team_data_with_a_field_missing_or_unknown(salten: e.Team) -> None:
    data = e.interchange.team_to_dict(salten)
    del data["name"]
    data["colour"] = "blue"
    with pytest.raises(errors.ConfigError) as info:
        e.interchange.team_from_dict(data)
    shown = info.value.message_in("nb")
    assert "et påkrevd felt mangler @ $.name" in shown
    assert "ukjente felt: «colour» @ $" in shown


def test_a_strict_workbook_import_names_the_sheet(tmp_path: Path) -> None:
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.Workbook()
    sheet = book.active
    sheet.title = "Mars"
    sheet.append(["Sak", "Dato", "Kommune", "Hendelse", "Tidsbruk"])
    sheet.append(["01/20-FA", dt.date(2020, 3, 2), "Fauske", "Kjøring", 0])
    book.save(tmp_path / "timer.xlsx")
    with pytest.raises(errors.TimeLogError) as info:
        e.read_timelog(tmp_path / "timer.xlsx", team=e.teams.salten(), strict=True)
    assert info.value.sheet == "Mars"
    assert info.value.message_in("nb").startswith(
        "ark «Mars», rad 2, kolonne Tidsbruk: timene må være mer enn 0"
    )


def test_config_problems_are_plain_data_with_path_message_and_params(tmp_path: Path) -> None:
    """A front-end shows each problem beside its field: the path apart, JSON-safe params."""
    path = tmp_path / "voss.toml"
    path.write_text(
        'name = "Voss"\nhost = "Voss"\nstaff_fte = "many"\n'
        '[[members]]\nmunicipality = "Voss"\nletters = "VO"\nsince = "not a date"\n'
        '[[members]]\nmunicipality = "Nowhere"\nletters = "NW"\n',
        encoding="utf-8",
    )
    with pytest.raises(errors.ConfigError) as caught:
        e.read_team(path)
    problems = caught.value.problems
    assert json.loads(json.dumps(problems)) == list(problems)
    assert {p["path"] for p in problems} == {
        "$.members[0].since",
        "$.members[1].municipality",
        "$.categories",
        "$.staff_fte",
    }
    by_path = {p["path"]: p for p in problems}
    assert by_path["$.members[0].since"]["message"] == (
        "expected a date as YYYY-MM-DD, got 'not a date'"
    )
    assert by_path["$.members[0].since"]["params"] == {"value": "not a date"}
    assert by_path["$.members[1].municipality"]["params"]["query"] == "Nowhere"
    assert all("@" not in p["message"] for p in problems)
    # the message is what it was: one line per problem, the path after an @
    lines = str(caught.value).splitlines()[1:]
    assert sorted(lines) == sorted(f"  - {p['message']} @ {p['path']}" for p in problems)


def test_a_problem_with_the_whole_input_has_no_path(tmp_path: Path) -> None:
    with pytest.raises(errors.ConfigError) as caught:
        e.read_timelog(tmp_path, team=e.teams.salten())
    (problem,) = caught.value.problems
    assert problem["path"] is None
    assert problem["message"] == "this is a folder, not a file"


def _bad_files(tmp_path: Path) -> dict[str, Callable[[], object]]:
    """Each reader given a file it cannot use: missing, a folder, no header, not the format."""
    salten = e.teams.salten()
    (tmp_path / "notes.csv").write_text("Notater;x\nmer;y\n", encoding="utf-8")
    (tmp_path / "notes.xlsx").write_bytes(b"PK\x03\x04 not a workbook")
    (tmp_path / "bad.toml").write_text("name = ", encoding="utf-8")
    (tmp_path / "bad.json").write_text("[{", encoding="utf-8")
    return {
        "no header": lambda: e.read_timelog(tmp_path / "notes.csv", team=salten),
        "no header, bytes": lambda: e.read_timelog(io.BytesIO(b"Notater;x\n"), team=salten),
        "not a workbook": lambda: e.read_timelog(tmp_path / "notes.xlsx", team=salten),
        "a folder": lambda: e.read_timelog(tmp_path, team=salten),
        "bad toml": lambda: e.read_team(tmp_path / "bad.toml"),
        "bad json": lambda: e.read_cases(tmp_path / "bad.json"),
        "wrong suffix": lambda: e.read_cases(tmp_path / "notes.csv"),
        **{f"missing, {name}": read for name, read in _missing_files(tmp_path).items()},
    }


def _missing_files(tmp_path: Path) -> dict[str, Callable[[], object]]:
    gone = tmp_path / "gone"
    return {
        "read_timelog": lambda: e.read_timelog(gone.with_suffix(".csv"), team=e.teams.salten()),
        "read_team": lambda: e.read_team(gone.with_suffix(".toml")),
        "read_cases": lambda: e.read_cases(gone.with_suffix(".json")),
        "read_parquet": lambda: e.read_parquet(gone.with_suffix(".parquet"), team=e.teams.salten()),
    }


_MISSING = ("read_cases", "read_parquet", "read_team", "read_timelog")
_BAD = ("a folder", "bad json", "bad toml", "no header", "no header, bytes", "not a workbook")
_BAD += ("wrong suffix", *(f"missing, {name}" for name in _MISSING))


@pytest.mark.parametrize("case", _BAD)
def test_every_refusal_is_a_public_error_class(tmp_path: Path, case: str) -> None:
    """A user's ``type(err)`` is a class of ``ettervern.errors``, never a private one."""
    with pytest.raises(errors.EttervernError) as caught:
        _bad_files(tmp_path)[case]()
    assert type(caught.value).__module__ == "ettervern.errors", type(caught.value)
    assert type(caught.value).__name__ in errors.__all__


@pytest.mark.parametrize("reader", _MISSING)
def test_a_missing_file_is_a_file_not_found_error(tmp_path: Path, reader: str) -> None:
    with pytest.raises(FileNotFoundError) as caught:
        _missing_files(tmp_path)[reader]()
    assert isinstance(caught.value, errors.FileError)
    assert "does not exist" in str(caught.value)
    assert "finnes ikke" in caught.value.message_in("nb")


def _writes_into(folder: Path) -> dict[str, Callable[[], object]]:
    """Each writer and reader of the library aimed at a path the system refuses: a file
    inside a file (``NotADirectoryError``), whatever layer opens it."""
    team = e.teams.salten()
    cases = e.examples.salten_2020().cases
    blocked = folder / "a file" / "inside.json"
    (folder / "a file").write_text("not a folder")
    return {
        "write_cases": lambda: e.write_cases(cases, blocked),
        "write_team": lambda: e.write_team(team, blocked),
        "read_cases": lambda: e.read_cases(blocked, team=team),
        "read_team": lambda: e.read_team(blocked),
        "read_timelog": lambda: e.read_timelog(folder / "a file" / "log.csv", team=team),
    }


@pytest.mark.parametrize(
    "call", ["write_cases", "write_team", "read_cases", "read_team", "read_timelog"]
)
def test_a_refused_path_is_a_file_error_everywhere(tmp_path: Path, call: str) -> None:
    """The system's refusal is one error, ``FileError`` (an ``OSError``), from every reader and
    writer: the file writers turned it into a ``ConfigError`` once."""
    with pytest.raises(errors.FileError) as caught:
        _writes_into(tmp_path)[call]()
    assert not isinstance(caught.value, errors.ConfigError)
    assert isinstance(caught.value, OSError)
    assert "a file" not in str(caught.value)  # the reason, never the path
