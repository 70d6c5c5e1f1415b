from __future__ import annotations

import datetime as dt

import attrs
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern._timelog._rules import validate_frame
from ettervern.privacy import HIDDEN as REDACTED
from tests import strategies as s

D = dt.date


def frame(*rows: tuple[object, ...]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=["case", "date", "municipality", "category", "hours"])


def test_schema_and_normalisation(salten: e.Team) -> None:
    log = e.TimeLog.from_frame(
        frame(
            ("01/20-FA", pd.Timestamp("2020-03-02"), " fauske ", "Bruker oppfølging", 1.5),
            (None, pd.Timestamp("2020-03-02"), "FELLES", 8, 2),
            ("2/20-st", pd.Timestamp("2020-03-03 14:30"), "Hábmer - Hamarøy", "kjøring", 1),
        ).assign(case=["01/20-FA", None, None]),
        team=salten,
    )
    out = log.to_frame()
    assert list(out.columns) == ["case", "date", "municipality", "category", "hours", "staff"]
    assert str(out["date"].dtype) == "datetime64[ns]"
    assert [str(out[c].dtype) for c in ("case", "municipality", "category")] == ["category"] * 3
    assert list(out["municipality"]) == ["Fauske", "Felles", "Hamarøy"]
    assert list(out["category"]) == ["user_follow_up", "supervision", "driving"]
    assert out["date"].iloc[2] == pd.Timestamp("2020-03-03")
    assert list(out["staff"]) == [2, 2, 2]
    assert len(log) == 3
    assert log.total_hours == 4.5


@pytest.mark.parametrize(
    ("row", "column", "fragment"),
    [
        (("01/20-FA", D(2020, 3, 2), "Bodø", 1, 1), "municipality", "not a member"),
        (("01/20-FA", D(2020, 3, 2), "Fauske", "Kaffe", 1), "category", "not a category"),
        (("01/20-FA", D(2020, 3, 2), "Fauske", 1, 0), "hours", "more than 0"),
        (("01/20-FA", D(2020, 3, 2), "Fauske", 1, 0.3), "hours", "steps of 0.5"),
        (("01/20-FA", None, "Fauske", 1, 1), "date", "not a date"),
        (("01/20-FA", D(2021, 3, 2), "Fauske", 5, 1), "category", "until 2020-12-31"),
        ((None, D(2020, 8, 3), "Rødøy", 2, 1), "municipality", "from 2020-09-01"),
        (("01/20-FA", D(2020, 3, 2), "Felles", 7, 1), "case", "carry no case"),
        (("01/20-ST", D(2020, 3, 2), "Fauske", 1, 1), "case", "do not match"),
        (("01/20-XY", D(2020, 3, 2), "Fauske", 1, 1), "case", "not a member"),
        (
            ("01/20-FA", D(2020, 3, 2), "Andre kommuner", 1, 1),
            "municipality",
            "only collaboration and driving",
        ),
        (("01/21-FA", D(2020, 3, 2), "Fauske", 1, 1), "case", "year is after"),
        (("Kari Nordmann", D(2020, 3, 2), "Fauske", 1, 1), "case", "looks like a name"),
        (("01/20-FA", D(2020, 3, 2), None, 1, 1), "municipality", "missing"),
        (("01/20-FA", D(2020, 3, 2), "Fauske", None, 1), "category", "missing"),
        (("01/20-FA", D(2020, 3, 2), "Fauske", 1, "mye"), "hours", "not a number"),
    ],
)
def test_each_rule(salten: e.Team, row: tuple[object, ...], column: str, fragment: str) -> None:
    good, problems = validate_frame(frame(row), salten)
    assert len(good) == 0
    assert list(problems["column"]) == [column]
    assert fragment in str(problems["reason"].iloc[0])
    with pytest.raises(e.errors.TimeLogError, match=fragment) as info:
        e.TimeLog.from_frame(frame(row), team=salten)
    assert info.value.column == column
    assert isinstance(info.value, ValueError)


def test_allowed_exceptions(salten: e.Team) -> None:
    log = e.TimeLog.from_frame(
        frame(
            ("01/20-FA", D(2020, 3, 2), "Andre kommuner", "Samarbeidspartnere", 1),
            ("01/20-FA", D(2020, 3, 2), "Andre kommuner", "Kjøring", 1),
            (None, D(2020, 3, 2), "Andre kommuner", "Nettverksarbeid", 1),
            (None, D(2020, 9, 1), "Rødøy", "Kjøring", 1),
            ("01/19-FA", D(2020, 1, 2), "Fauske", 1, 1),
        ),
        team=salten,
    )
    assert len(log) == 5


@given(s.national_ids())
def test_national_ids_in_the_case_column_are_rejected_and_not_echoed(number: str) -> None:
    team = e.teams.salten()
    _, problems = validate_frame(frame((number, D(2020, 3, 2), "Fauske", 1, 1)), team)
    assert problems["value"].iloc[0] == REDACTED
    assert number not in problems.to_string()
    with pytest.raises(e.errors.TimeLogError) as info:
        e.TimeLog.from_frame(frame((number, D(2020, 3, 2), "Fauske", 1, 1)), team=team)
    assert number not in str(info.value)


def test_missing_columns(salten: e.Team) -> None:
    with pytest.raises(e.errors.InvalidValueError, match="missing"):
        e.TimeLog.from_frame(pd.DataFrame({"date": [D(2020, 1, 1)]}), team=salten)


@settings(max_examples=30)
@given(s.salten_logs)
def test_entries_round_trip(rows: list[dict[str, object]]) -> None:
    team = e.teams.salten()
    log = e.TimeLog.from_frame(pd.DataFrame(rows), team=team)
    entries = list(log)
    assert len(entries) == len(rows)
    again = e.TimeLog.from_entries(entries, team=team)
    assert again == log
    assert sum(x.hours for x in entries) == pytest.approx(sum(float(r["hours"]) for r in rows))  # type: ignore[arg-type]


def test_selecting_joining_and_duplicates(salten: e.Team) -> None:
    log = e.TimeLog.from_frame(
        frame(
            ("01/20-FA", D(2020, 3, 2), "Fauske", 1, 1),
            ("01/20-FA", D(2020, 3, 2), "Fauske", 1, 1),
            (None, D(2020, 5, 4), "Sørfold", 2, 0.5),
            (None, D(2020, 6, 1), "Felles", 8, 2),
        ),
        team=salten,
    )
    assert len(log.between(D(2020, 3, 1), D(2020, 5, 4))) == 3
    assert len(log.in_year(2021)) == 0
    assert len(log.for_municipality("SØ", "Felles")) == 2
    assert len(log.for_municipality(e.municipalities.Bucket.SHARED)) == 1
    assert len(log.for_category("Brukeroppfølging")) == 2
    assert len(log.for_category(e.tables.ReportGroup.OVERHEAD)) == 1
    assert len(log.for_case("01/20-FA")) == 2
    assert len(log.duplicates()) == 2
    both = log + log.for_municipality("Felles")
    assert len(both) == 5
    assert both.to_frame()["municipality"].dtype == "category"
    assert "4 entries" in repr(log)
    assert "no entries" in repr(e.TimeLog.empty(salten))
    assert log != both
    assert log.__eq__(object()) is NotImplemented
    other = e.Team(
        name="Other", host=salten.host, members=salten.members, categories=salten.categories
    )
    with pytest.raises(e.errors.InvalidValueError, match="different teams"):
        log.concat(e.TimeLog.empty(other))
    assert len(log.concat(log)) == 8


def _one_row(case: object, day: dt.date, place: object, category: object) -> pd.DataFrame:
    return frame((case, day, place, category, 1))


@settings(max_examples=60)
@given(st.data())
def test_categories_by_number_key_or_name_as_typed(data: st.DataObject) -> None:
    team = e.teams.salten()
    category = data.draw(st.sampled_from(list(team.categories)), label="category")
    names = [category.name, *category.aliases]
    form = data.draw(
        st.one_of(
            st.sampled_from(names).flatmap(s.typed_like_people),
            st.sampled_from([category.number, str(category.number), float(category.number)]),
            st.just(category.key),
        ),
        label="form",
    )
    log = e.TimeLog.from_frame(_one_row(None, D(2020, 6, 2), "Felles", form), team=team)
    assert list(log.to_frame()["category"]) == [category.key]


@settings(max_examples=80)
@given(st.data())
def test_municipalities_by_name_as_typed_with_or_without_the_sami_name(
    data: st.DataObject,
) -> None:
    team = e.teams.salten()
    membership = data.draw(st.sampled_from(list(team.members)), label="member")
    member = membership.municipality
    parts = [p.strip() for p in member.official_name.split(" - ")]
    texts = [member.name, member.official_name, " - ".join(reversed(parts)), *parts]
    form = data.draw(
        st.one_of(
            st.sampled_from(texts).flatmap(s.typed_like_people),
            st.just(member.number),
            st.sampled_from([membership.letters, membership.letters.lower()]),
        ),
        label="form",
    )
    log = e.TimeLog.from_frame(_one_row(None, D(2020, 10, 1), form, "Kjøring"), team=team)
    assert list(log.to_frame()["municipality"]) == [member.name]


@settings(max_examples=40)
@given(st.sampled_from([" Felles", "FELLES", "felles ", "Andre kommuner", " andre  KOMMUNER"]))
def test_buckets_as_typed(text: str) -> None:
    log = e.TimeLog.from_frame(_one_row(None, D(2020, 6, 2), text, 7), team=e.teams.salten())
    assert list(log.to_frame()["municipality"]) == [e.municipalities.Bucket.parse(text).value]  # type: ignore[union-attr]


def test_a_name_of_two_members_is_not_guessed(salten: e.Team) -> None:
    _, problems = validate_frame(frame((None, D(2020, 6, 2), "Fauske - Hamarøy", 2, 1)), salten)
    assert list(problems["column"]) == ["municipality"]


def test_time_entry_is_a_checked_value(salten: e.Team) -> None:
    fauske = salten.municipality("Fauske")
    driving = salten.categories.get("driving")
    entry = e.TimeEntry(
        case=salten.code_scheme.parse("01/20-FA"),
        date=dt.datetime(2020, 3, 2, 14, 30),  # noqa: DTZ001 - a cell from Excel
        municipality=fauske,
        category=driving,
        hours=1,
        staff=2,
    )
    assert entry.date == D(2020, 3, 2)
    assert entry.hours == 1.0
    assert isinstance(entry.hours, float)
    assert entry.place == "Fauske"
    assert [a.name for a in attrs.fields(e.TimeEntry)] == [
        "case",
        "date",
        "municipality",
        "category",
        "hours",
        "staff",
    ]
    with pytest.raises(e.errors.InvalidValueError, match="hours"):
        attrs.evolve(entry, hours=0)
    with pytest.raises(e.errors.InvalidValueError, match="staff"):
        attrs.evolve(entry, staff=0)
    with pytest.raises(AttributeError):
        entry.hours = 2  # type: ignore[misc]
    log = e.TimeLog.from_entries([entry, attrs.evolve(entry, staff=3)], team=salten)
    assert list(log) == [entry, attrs.evolve(entry, staff=3)]
    assert list(log.to_frame()["staff"]) == [2, 3]


@pytest.mark.parametrize(
    ("row", "rule"),
    [
        (("01/20-FA", D(2020, 3, 2), "Fauske", 1, -3), "hours_not_positive"),
        (("01/20-FA", D(2020, 3, 2), "Atlantis", 1, 1), "not_a_member"),
        (("Kari Nordmann", D(2020, 3, 2), "Fauske", 1, 1), "name_in_case"),
    ],
)
def test_the_constructor_validates_like_from_frame(
    salten: e.Team, row: tuple[object, ...], rule: str
) -> None:
    # Issue 29: ``TimeLog(frame, team)`` once took -3 hours, "Atlantis" and a name as a case.
    for build in (lambda f: e.TimeLog(f, salten), lambda f: e.TimeLog.from_frame(f, team=salten)):
        with pytest.raises(e.errors.TimeLogError) as caught:
            build(frame(row))
        assert caught.value.rule == rule
    good = frame(("01/20-FA", pd.Timestamp("2020-03-02"), " fauske ", "Kjøring", 1.5))
    assert e.TimeLog(good, salten) == e.TimeLog.from_frame(good, team=salten)


@settings(max_examples=40)
@given(
    rows=s.salten_logs,
    first=st.dates(min_value=D(2019, 12, 1), max_value=D(2020, 12, 31)),
    days=st.integers(min_value=0, max_value=400),
)
def test_month_summary_groups_the_entries_of_the_period(
    rows: list[dict[str, object]], first: dt.date, days: int
) -> None:
    """The grouping on the log's integer codes adds up what a plain loop over the entries
    adds up: per (municipality, category, month) of the period, hours, staff hours, entries
    (half hours: every sum is exact)."""
    from ettervern._timelog import month_summary

    salten = e.teams.salten()
    log = e.TimeLog.from_frame(pd.DataFrame(rows), team=salten)
    last = first + dt.timedelta(days=days)
    expected: dict[tuple[str, str, str], list[float]] = {}
    for row in rows:
        day = row["date"]
        assert isinstance(day, dt.date)
        if not first <= day <= last:
            continue
        key = (str(row["municipality"]), str(row["category"]), f"{day:%Y-%m}")
        cell = expected.setdefault(key, [0.0, 0.0, 0])
        hours, staff = float(row["hours"]), int(row["staff"])  # type: ignore[arg-type]
        cell[0] += hours
        cell[1] += hours * staff
        cell[2] += 1
    summary = month_summary(log, (first, last))
    found = {
        (m, c, f"{d:%Y-%m}"): [float(h), float(sh), int(n)]
        for m, c, d, h, sh, n in summary.itertuples(index=False)
    }
    assert found == expected  # half hours: every sum is exact
    assert list(summary.columns) == [
        "municipality",
        "category",
        "date",
        "hours",
        "staff_hours",
        "entries",
    ]
