"""Hours per member and per month in the published, member and internal views.

The attacker here is written apart from the library: it reads the raw time log and, for every
hours, entries, FTE or share cell a published table shows, finds the cases that contribute to
it and checks the two rules for magnitudes itself (at least three cases; the p % rule).
"""

from __future__ import annotations

import inspect
from collections.abc import Callable, Iterator
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import ettervern as e
from ettervern import tables
from ettervern._render import column_unit
from tests import strategies as s

YEAR = 2020
OTHER_MEMBERS = "Other members"
HOURS_UNITS = ("hours", "fte")


def _log(rows: list[dict[str, object]]) -> e.TimeLog:
    frame = pd.DataFrame(rows)
    frame["date"] = pd.to_datetime(frame["date"])
    return e.TimeLog.from_frame(frame, team=e.teams.salten())


# -- the oracle ------------------------------------------------------------------------------


def _letters(code: object) -> str:
    """The member letters of a Salten case code (``01/20-FA`` → ``FA``)."""
    return str(code).rsplit("-", 1)[-1] if isinstance(code, str) else ""


def _entries(log: pd.DataFrame, team: e.Team, dimension: str, rows: set[str]) -> pd.DataFrame:
    """The log entries a row (or rows pooled) of hours is made of: a municipality's own, and
    those logged to *Andre kommuner* for its cases; or a month's."""
    if dimension == "month":
        return log[log["date"].dt.strftime("%Y-%m").isin(rows)]
    letters = {m.letters for m in team.members if m.municipality.name in rows}
    own = log["municipality"].astype(str).isin(rows)
    theirs = [_letters(c) in letters for c in log["case"].astype(object)]
    outside = (log["municipality"].astype(str) == "Andre kommuner") & pd.Series(
        theirs, index=log.index, dtype=bool
    )
    return log[own | outside]


def _breaks_the_rules(entries: pd.DataFrame, p: float, threshold: int = 3) -> bool:
    """Whether the cases' part of ``entries`` comes from 1 or 2 cases or fails the p % rule."""
    by_case = entries[entries["case"].notna()].groupby("case", observed=True)["hours"].sum()
    amounts = sorted((float(v) for v in by_case if v > 0), reverse=True)
    if not amounts:
        return False
    if len(amounts) < threshold:
        return True
    return sum(amounts[2:]) < p / 100 * amounts[0]


def _shown_cells(report: e.Report) -> Iterator[tuple[str, str, float]]:
    frame = report.to_frame(labels=False)
    for row in map(str, frame.index):
        for column in map(str, frame.columns):
            value = frame.loc[row, column]
            if isinstance(value, str) or pd.isna(value) or value == 0:
                continue
            yield row, column, float(value)


def _checked_columns(report: e.Report, frame: pd.DataFrame, magnitude: bool) -> set[str]:
    """The columns that hold hours or follow from them (not the team's own constant FTE)."""
    body = frame.drop(index="Total", errors="ignore")
    out = set()
    for column in map(str, frame.columns):
        if magnitude:
            out.add(column)
            continue
        values = set(pd.to_numeric(body[column], errors="coerce").dropna())
        constant = len(body) > 1 and len(values) <= 1
        if column_unit(report, column) in (*HOURS_UNITS, "share") and not constant:
            out.add(column)
    return out


def _rows_of(row: str, shown: set[str], every_row: set[str], known: str | None) -> set[str]:
    """The rows a shown row is made of: itself, all (Total) or the members pooled."""
    if row == "Total":
        return every_row - {known}
    if row == OTHER_MEMBERS:
        return every_row - shown - {known}
    return {row}


def _cell_entries(
    report: e.Report, log: pd.DataFrame, team: e.Team, rows: set[str], column: str, *, total: bool
) -> pd.DataFrame:
    if report.unit not in ("hours", "entries") or report.columns != "category":
        return _entries(log, team, report.rows, {r for r in rows if r})
    if total:
        entries = log
    elif report.rows == "month":
        entries = log[log["date"].dt.strftime("%Y-%m").isin(rows)]
    else:
        entries = log[log["municipality"].astype(str).isin(rows)]
    columns = [str(c) for c in report.column_order if str(c) != "Total"]
    categories = columns if column == "Total" else [column]
    return entries[entries["category"].astype(str).isin(categories)]


def leaks(report: e.Report, log: pd.DataFrame, team: e.Team, known: str | None = None) -> list[str]:
    """Every shown cell of hours (or of what follows from them) that breaks the rules."""
    if report.rows not in ("municipality", "month"):
        return []
    frame = report.to_frame(labels=False)
    magnitude = report.unit in ("hours", "entries") and report.columns == "category"
    columns = _checked_columns(report, frame, magnitude)
    if not magnitude and not {column_unit(report, c) for c in columns} & set(HOURS_UNITS):
        return []
    shown = {str(r) for r in frame.index} - {"Total", OTHER_MEMBERS}
    every_row = shown | (
        {m.municipality.name for m in team.members} if report.rows == "municipality" else set()
    )
    found = []
    for row, column, _ in _shown_cells(report):
        if row == known or column not in columns:
            continue
        rows = _rows_of(row, shown, every_row, known)
        entries = _cell_entries(report, log, team, rows, column, total=row == "Total")
        if _breaks_the_rules(entries, team.dominance_p):
            found.append(f"{report.key}[{row}, {column}]")
    return found


# -- every table builder, discovered ---------------------------------------------------------


def builders() -> list[Callable[..., e.Report]]:
    """Every table builder of ``ettervern.tables`` that takes an audience."""
    out = []
    for name in tables.__all__:
        function = getattr(tables, name)
        if not callable(function):
            continue
        signature = inspect.signature(function)
        if "audience" in signature.parameters and signature.return_annotation == "Report":
            out.append(function)  # waiting_times returns a frame: tests/reports/test_waiting
    return out


def _call(function: Callable[..., e.Report], log: e.TimeLog, cases: list[e.Case], **kw: Any):
    """``function`` on what its parameters ask for (by name), for the Salten team and 2020."""
    given: dict[str, Any] = {
        "log": log,
        "cases": cases,
        "responses": [],
        "groups": e.events.GroupLog([]),
        "roster": e.Roster([]),
    }
    parameters = inspect.signature(function).parameters
    args = [given[p] for p, v in parameters.items() if v.kind is v.POSITIONAL_OR_KEYWORD]
    span: dict[str, Any] = {"years": [YEAR]} if "years" in parameters else {"period": YEAR}
    return function(*args, team=e.teams.salten(), **span, **kw)


def test_the_builders_with_hours_are_found() -> None:
    names = {f.__name__ for f in builders()}
    assert {"fte_report", "hours_per_person_report", "people_report"} <= names


@settings(
    max_examples=10,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(s.salten_logs, s.small_case_sets(years=(YEAR,)))
def test_no_published_hours_cell_breaks_the_rules(
    rows: list[dict[str, object]], cases: list[e.Case]
) -> None:
    """In the published view of every table builder and of the annual report, of random
    teams where most members have one or two cases, no shown hours, entries, FTE or share of
    hours comes from one or two cases or fails the p % rule."""
    log = _log(rows)
    raw = log.to_frame()
    team = log.team
    for function in builders():
        report = _call(function, log, cases)
        assert leaks(report, raw, team) == [], function.__name__
    try:
        annual = e.annual_report(log, cases, year=YEAR)
    except e.errors.InvalidValueError:
        return  # nothing to report that year
    for report in annual:
        assert leaks(report, raw, team) == [], report.key


# -- the bundled years -----------------------------------------------------------------------

YEARS = {"salten_2020": 2020, "jaeren_2019": 2019, "integrated_2025": 2025}


@pytest.mark.parametrize("name", list(YEARS))
def test_no_hours_cell_of_a_bundled_year_breaks_the_rules(name: str) -> None:
    example = getattr(e.examples, name)()
    log = example.log.to_frame()
    log = log[log["date"].dt.year == YEARS[name]]
    published = e.annual_report(example.log, example.cases, team=example.team, year=YEARS[name])
    assert [leak for r in published for leak in leaks(r, log, example.team)] == []
    internal = e.annual_report(
        example.log, example.cases, team=example.team, year=YEARS[name], audience="internal"
    )
    assert [leak for r in internal for leak in leaks(r, log, example.team)] != []


def test_cost_sharing_pools_the_protected_members(annual: e.AnnualReport) -> None:
    """Salten 2020: no member's hours are publishable, so the members with hours are pooled
    and the team's total stays; the shares add up to one."""
    shown = annual["cost_sharing"].to_frame(labels=False)
    assert OTHER_MEMBERS in shown.index
    assert shown.loc["Total", "hours"] == pytest.approx(1080.5)
    assert shown["share"].drop("Total").sum() == pytest.approx(1.0)
    assert annual["cost_sharing"].to_frame("nb").index[-2] == "Andre medlemskommuner"
    assert annual["cost_sharing"].to_frame("nn").index[-2] == "Andre medlemskommunar"


def test_the_team_may_publish_its_total_only(example: e.examples.Example) -> None:
    import attrs

    team = attrs.evolve(example.team, member_hours="total")
    annual = e.annual_report(example.log, example.cases, team=team, year=YEAR)
    shown = annual["cost_sharing"].to_frame(labels=False)
    assert [r for r in shown.index if shown.loc[r, "hours"] != 0] == ["Total"]
    with pytest.raises(e.errors.InvalidValueError, match="member_hours"):
        attrs.evolve(example.team, member_hours="exact")


def test_the_internal_view_shows_every_member(internal: e.AnnualReport) -> None:
    shown = internal["cost_sharing"].to_frame(labels=False)
    assert shown.loc["Beiarn", "own_hours"] == 46.5
    assert OTHER_MEMBERS not in shown.index


# -- the member view -------------------------------------------------------------------------


@pytest.fixture(scope="module")
def fauske() -> e.AnnualReport:
    example = e.examples.salten_2020()
    return e.annual_report(
        example.log, example.cases, team=example.team, year=YEAR, audience="member", member="FA"
    )


def test_the_member_view_shows_the_members_own_counts(fauske: e.AnnualReport) -> None:
    """Done when: Fauske's view of 2020 shows its own 10 accepted cases, exactly."""
    assert fauske.audience == "member"
    assert fauske.member == "Fauske"
    cases = fauske["cases"].to_frame(labels=False)
    assert cases.loc["Fauske", "accepted"] == 10
    assert cases.loc["Fauske", "referrals"] == 10
    hours = fauske["cost_sharing"].to_frame(labels=False)
    assert hours.loc["Fauske", "own_hours"] == 530.0
    # every other member's small counts are still hidden
    others = cases.drop(index=["Fauske", "Total"])
    assert not others.isin([1, 2, 1.0, 2.0]).any().any()


def test_the_member_view_uncovers_no_other_member(fauske: e.AnnualReport) -> None:
    """With Fauske's own rows known, no hidden cell of another member is pinned or proved
    small; nor is a published hours cell of another member from one or two cases."""
    example = e.examples.salten_2020()
    log = example.log.to_frame()
    log = log[log["date"].dt.year == YEAR]
    assert [x for r in fauske for x in leaks(r, log, example.team, known="Fauske")] == []
    result = e.tables.audit_release(fauske)  # attacked as Fauske: its own rows are known
    assert result.members == ("Fauske",)
    assert result.ok, str(result)


def test_the_member_view_of_one_table() -> None:
    example = e.examples.salten_2020()
    people = e.tables.people_report(
        example.cases, team="salten", period=YEAR, audience="member", member="Fauske"
    )
    assert people.to_frame(labels=False).loc["Fauske", "people"] == 10


@pytest.mark.parametrize("member", ["Bodø", "Fauskee"])
def test_a_member_not_in_the_team_is_refused(member: str) -> None:
    example = e.examples.salten_2020()
    with pytest.raises(e.errors.UnknownMunicipalityError, match="Fauske"):
        e.annual_report(example.log, example.cases, year=YEAR, audience="member", member=member)


def test_member_and_audience_go_together() -> None:
    example = e.examples.salten_2020()
    with pytest.raises(e.errors.InvalidValueError, match="member"):
        e.annual_report(example.log, example.cases, year=YEAR, member="Fauske")
    with pytest.raises(e.errors.InvalidValueError, match="member"):
        e.annual_report(example.log, example.cases, year=YEAR, audience="member")


TITLES = {
    "nb": ("(publisert)", "(til Fauske kommune)", "(intern, ikke for publisering)"),
    "nn": ("(publisert)", "(til Fauske kommune)", "(intern, ikkje for publisering)"),
    "en": ("(published)", "(for Fauske municipality)", "(internal, not for publication)"),
}


@pytest.mark.parametrize("locale", list(TITLES))
def test_every_report_names_its_audience(
    annual: e.AnnualReport, fauske: e.AnnualReport, internal: e.AnnualReport, locale: str
) -> None:
    for report, expected in zip((annual, fauske, internal), TITLES[locale], strict=True):
        assert report.title_in(locale).endswith(expected)
        assert expected in report.to_text(locale)
        assert expected in report.to_html(locale)


@pytest.mark.parametrize(("name", "year"), [("salten", 2020), ("integrated", 2025)])
def test_the_release_reads_only_the_tables_a_members_part_is_made_of(name: str, year: int) -> None:
    """A member's part is made of the tables ``read_by_protection`` names only: every cell
    the release's protection models is of one of them (so no part it reads goes unmade)."""
    from ettervern._reports._disclosure import _build, _internal_only, read_by_protection

    example = e.examples.example(name)
    internal = e.annual_report(
        example.log,
        example.cases,
        team=example.team,
        year=year,
        groups=example.groups,
        audience="internal",
    )
    reports = list(internal)
    model, _ = _build([r for r in reports if not _internal_only(r)])
    modelled = {table for table, _, _ in model.keys}
    read = read_by_protection(reports)
    assert modelled and modelled <= read
    assert "capacity" not in read  # nothing of it counted: never a member's to make


_SHAPE_KEYS = [
    "cases",
    "follow_up_summary",
    "life_domains",
    "follow_up_length",
    "instrument_ors",
    "monthly",
    "capacity",
    "a_table_added_later",
]
_SHAPE_COLUMNS = ["cases", "median_weeks", "mean_weeks", "intake_mean", "user_follow_up", "x"]


@st.composite
def _report_shapes(draw: st.DrawFn) -> Any:
    """A table of any key, unit and shape, its data random (maybe none at all)."""
    from ettervern._reports._report import UNITS, Report

    columns = draw(st.lists(st.sampled_from(_SHAPE_COLUMNS), unique=True, max_size=4))
    rows = draw(st.lists(st.sampled_from(["Beiarn", "Fauske", "2020-03", "unknown"]), unique=True))
    cells = [(r, c) for r in rows for c in columns if draw(st.booleans())]
    data = pd.DataFrame(
        {
            "row": pd.Series([r for r, _ in cells], dtype=object),
            "column": pd.Series([c for _, c in cells], dtype=object),
            "value": [float(draw(st.integers(0, 9))) for _ in cells],
        }
    )
    return Report(
        key=draw(st.sampled_from(_SHAPE_KEYS)),
        title="t",
        data=data,
        rows=draw(st.sampled_from(["municipality", "month", "source"])),
        columns=draw(st.sampled_from(["category", "measure"])),
        unit=draw(st.sampled_from(sorted(UNITS))),
        row_order=rows if draw(st.booleans()) else (),
        column_order=columns if draw(st.booleans()) else (),
        total_row=draw(st.booleans()),
        total_column=draw(st.booleans()),
        team=e.teams.salten(),
    )


@given(st.lists(_report_shapes(), max_size=3, unique_by=lambda r: r.key))
def test_the_release_reads_every_table_it_models(reports: list[Any]) -> None:
    """``read_by_protection`` names exactly the tables whose cells the protection models
    (``_build``, through ``count_columns``), of any key, unit and shape, not only the
    bundled years': were the two to differ, a table counted would get no member's part
    and the protection would take that part as nothing."""
    from ettervern._reports._disclosure import _build, _internal_only, _keys_of, read_by_protection

    model, _ = _build([r for r in reports if not _internal_only(r)])
    assert read_by_protection(reports) == {table for table, _, _ in model.keys}
    for report in reports:
        frame = report.to_frame(labels=False)
        assert _keys_of(report) == (list(frame.index), list(frame.columns))


# -- each member's part, counted for all members at once ---------------------------------------

_APART = ["age_and_gender", "life_domains", "referral_sources", "closure_reasons"]
_READS = st.none() | st.sets(st.sampled_from([*_APART, "monthly", "capacity", "cases"]))


def _same_report(made: Any, own: Any) -> None:
    """``made`` is ``own``: the same figures in the same order, and the same metadata."""
    import attrs

    pd.testing.assert_frame_equal(made.data, own.data, check_exact=True)
    for field in attrs.fields(type(own)):
        if field.name != "data":
            assert getattr(made, field.name) == getattr(own, field.name), (own.key, field.name)


@settings(max_examples=25, suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
@given(s.salten_logs, s.small_case_sets(years=(YEAR,)), _READS)
def test_members_parts_are_their_own_tables(
    rows: list[dict[str, object]], cases: list[e.Case], reads: set[str] | None
) -> None:
    """Each member's part (``_parts_of_members``: its referral sources, closure reasons and
    hours by month counted for all members at once from the team's walk and month summary,
    the rest built of its cases) is exactly the tables ``_member_tables`` makes of that
    member's own cases, picked here by their municipality and walked afresh, and its own
    entries: the same tables, in the same order, with the same figures and metadata."""
    import datetime as dt

    from ettervern._reports import _annual

    log = _log(rows)
    team = log.team
    span = (dt.date(YEAR, 1, 1), dt.date(YEAR, 12, 31))
    given_options = _annual._Options(_annual.HOURS_PER_FTE, "pro_rata", None, (), (), None)
    release = _annual._Release("internal", None, (), None)
    try:
        frame, summary, options, walk = _annual._read(
            log, cases, team, span, options=given_options, release=release
        )
    except e.errors.InvalidValueError:
        return  # nothing to report that year
    entries = (frame, summary)
    parts = _annual._parts_of_members(
        entries, cases, team, span, options=options, walk=walk, reads=reads
    )
    assert list(parts) == sorted(m.municipality.name for m in team.members)
    for name in parts:
        chosen = [c for c in cases if c.municipality.name == name]
        own = _annual._member_tables(
            entries,
            chosen,
            team,
            span,
            name,
            options=options,
            walk=_annual.walk_cases(chosen, span) if chosen else None,
            by_rows=False,
            reads=reads,
        )
        assert [r.key for r in parts[name]] == [r.key for r in own]
        for made, report in zip(parts[name], own, strict=True):
            _same_report(made, report)
