"""Pooling members into «Andre medlemskommuner» (``annual_report(pool=…)``, issue 30 item 5):
every table whose rows are municipalities is pooled, hours too; the pooled row's means and
medians are those of the pooled group's records; and the pooled row stays safe against each
member, which knows its own part of it.

The oracles work from the raw log entries and cases, not from the library's tables: the
pooled members' hours by case (grouped here with pandas), their follow-up lengths
(``statistics`` over the cases), and the attackers of ``test_coalition``.
"""

from __future__ import annotations

import datetime as dt
import statistics
from typing import Any

import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings

import ettervern as e
from ettervern._reports._definitions import define, derive
from ettervern._reports._model import count_columns
from tests import strategies as s
from tests.reports.test_coalition import count_leaks, hours_leaks
from tests.reports.test_disclosure import (
    THRESHOLD,
    Attacker,
    assert_safe,
    attack,
    two_year_log,
)

POOL = ["Beiarn", "Gildeskål", "Meløy", "Saltdal", "Steigen"]
OTHER = "Other members"
YEAR = (dt.date(2020, 1, 1), dt.date(2020, 12, 31))


@pytest.fixture(scope="module")
def pooled(example: e.examples.Example) -> e.AnnualReport:
    return e.annual_report(example.log, example.cases, team=example.team, year=2020, pool=POOL)


@pytest.fixture(scope="module")
def entries(example: e.examples.Example) -> pd.DataFrame:
    """The pooled members' log entries of 2020 that are tied to a case."""
    log = example.log.to_frame()
    log = log[(log["date"] >= pd.Timestamp(YEAR[0])) & (log["date"] <= pd.Timestamp(YEAR[1]))]
    log = log.assign(municipality=log["municipality"].astype(str))
    return log[log["municipality"].isin(POOL) & log["case"].notna()]


def _shown(report: e.Report, row: str) -> dict[str, float]:
    frame = report.to_frame(labels=False)
    if row not in frame.index:
        return {}
    return {
        str(c): float(v)
        for c, v in frame.loc[row].items()
        if not isinstance(v, str) and not pd.isna(v) and v
    }


def test_every_table_by_municipality_is_pooled_hours_too(pooled: e.AnnualReport) -> None:
    by_municipality = [r for r in pooled if r.rows == "municipality"]
    for report in by_municipality:
        assert not set(POOL) & set(report.row_order), report.key
    hours = [r.key for r in by_municipality if r.unit in ("hours", "entries")]
    assert {"user_follow_up", "driving", "all_categories", "collaboration_entries"} <= set(hours)
    for key in hours:
        assert OTHER in pooled[key].row_order, key


def test_the_pooled_row_of_hours_adds_up_the_members_entries(
    pooled: e.AnnualReport, example: e.examples.Example
) -> None:
    log = example.log.to_frame()
    log = log[log["date"].dt.year == 2020]
    mine = log[log["municipality"].astype(str).isin(POOL)]
    checked = 0
    for report in pooled:
        if report.rows != "municipality" or report.unit not in ("hours", "entries"):
            continue
        for column, value in _shown(report, OTHER).items():
            if column == "Total":
                continue
            hours = mine.loc[mine["category"].astype(str) == column, "hours"]
            expected = hours.sum() if report.unit == "hours" else len(hours)
            assert value == pytest.approx(expected), (report.key, column)
            checked += 1
    assert checked >= 1  # the collaboration entries: 77


def _unsafe(by_case: pd.Series, p: float) -> bool:
    amounts = sorted((float(v) for v in by_case if v > 0), reverse=True)
    if not amounts:
        return False
    rest = sum(amounts[2:])
    return len(amounts) < THRESHOLD or rest < p / 100 * amounts[0]


def test_no_shown_hours_of_the_pooled_row_give_a_member_the_rest(
    pooled: e.AnnualReport, entries: pd.DataFrame, example: e.examples.Example
) -> None:
    """Each pooled member knows its own hours: a shown hours cell of the pooled row, less that
    member's part, must still come from 3 cases and pass the p % rule; so must the cell."""
    checked = 0
    for report in pooled:
        if report.rows != "municipality" or report.unit not in ("hours", "entries"):
            continue
        columns = [c for c in report.column_order if c != "Total"]
        for column in _shown(report, OTHER):
            chosen = entries[
                entries["category"].astype(str).isin(columns if column == "Total" else [column])
            ]
            for leaving in (None, *POOL):
                part = chosen[chosen["municipality"] != leaving]
                by_case = part.groupby(part["case"].astype(str))["hours"]
                by_case = by_case.sum() if report.unit == "hours" else by_case.size()
                assert not _unsafe(by_case, example.team.dominance_p), (report.key, column, leaving)
            checked += 1
    assert checked >= 1


def test_no_shown_count_of_the_pooled_row_gives_a_member_the_rest(
    pooled: e.AnnualReport, internal: e.AnnualReport
) -> None:
    """A pooled member less its own count must leave 0 or at least the threshold."""
    for report in pooled:
        if report.rows != "municipality" or report.suppression is None or report.unit == "hours":
            continue
        truth = internal[report.key].to_frame(labels=False)
        counts = set(count_columns(report, report.column_order))  # what the table counts
        for column, value in _shown(report, OTHER).items():
            if column not in truth.columns or column not in counts:
                continue
            for member in (m for m in POOL if m in truth.index):
                own = pd.to_numeric(truth.loc[member, column], errors="coerce")
                rest = value - (0.0 if pd.isna(own) else float(own))
                assert not 0 < rest < THRESHOLD, (report.key, column, member, rest)


def test_the_pooled_release_holds_against_a_reader_and_fauske(
    pooled: e.AnnualReport, internal: e.AnnualReport, example: e.examples.Example
) -> None:
    assert_safe([r for r in pooled if r.unit != "hours"])
    fauske = [c for c in example.cases if c.municipality.name == "Fauske"]
    own = e.annual_report(example.log, fauske, team=example.team, year=2020, audience="internal")
    assert count_leaks(list(pooled), list(internal), "Fauske", list(own)) == []
    assert hours_leaks(list(pooled), list(internal), "Fauske") == []
    assert e.tables.audit_release(pooled).ok


def test_the_pooled_row_has_the_pooled_groups_means_and_medians(
    pooled: e.AnnualReport, example: e.examples.Example
) -> None:
    """Course length: the mean and the median of the pooled members' closed courses, from the
    cases themselves (not a mean of the members' means). In the published release the
    pooled row of Salten 2020 is hidden (each pooled member knows its part of it), so the
    figures are read where nothing is hidden for its own sake (threshold 1), and the
    published release may only hide them, never show other ones."""
    days = [
        float(c.follow_up_length.days)
        for c in example.cases
        if c.municipality.name in POOL
        and c.follow_up_length is not None
        and c.closed_on is not None
        and YEAR[0] <= c.closed_on <= YEAR[1]
    ]
    assert len(days) >= THRESHOLD
    expected = {
        "closed": float(len(days)),
        "mean_weeks": statistics.fmean(days) / 7,
        "median_weeks": statistics.median(days) / 7,
    }
    open_release = e.annual_report(
        example.log, example.cases, team=example.team, year=2020, pool=POOL, threshold=1
    )
    row = open_release["course_length"].to_frame(labels=False).loc[OTHER]
    assert {k: float(row[k]) for k in expected} == pytest.approx(expected)
    summary = open_release["follow_up_summary"].to_frame(labels=False).loc[OTHER]
    assert float(summary["median_weeks"]) == pytest.approx(expected["median_weeks"])
    published = pooled["course_length"].to_frame(labels=False).loc[OTHER]
    for key, value in expected.items():
        assert published[key] == ":" or float(published[key]) == pytest.approx(value), key


# -- categories pooled -------------------------------------------------------------------------

CATEGORIES = ["in_institution", "user_follow_up"]


def test_pooling_the_categories_publishes_the_follow_up_total(
    example: e.examples.Example, internal: e.AnnualReport
) -> None:
    """Salten 2020's user follow-up total (529 h) is hidden with the members pooled: the
    in-institution total (Fauske 28 h of 30, Steigen 2 h from one case) is hidden against
    Fauske, and 529 = 30 + 499. With the two categories pooled it is published, and holds."""
    log = example.log.to_frame()
    log = log[log["date"].dt.year == 2020]
    expected = log.loc[log["category"].astype(str).isin(CATEGORIES), "hours"].sum()
    assert expected == 529
    both = e.annual_report(
        example.log,
        example.cases,
        team=example.team,
        year=2020,
        pool=POOL,
        pool_categories=CATEGORIES,
    )
    table = both["user_follow_up"].to_frame(labels=False)
    assert list(table.columns) == ["Other categories", "Total"]
    assert float(table.loc["Total", "Total"]) == expected
    assert "Andre kategorier" in both["user_follow_up"].to_frame("nb").columns
    truth = [_categories_pooled(r) for r in internal]
    assert hours_leaks(list(both), truth, "Fauske") == []
    assert e.tables.audit_release(both).ok


class _Pooled:
    """An internal hours table with ``CATEGORIES`` added up by hand into one column: the
    truth the attacker of ``test_coalition`` checks a member's row against."""

    def __init__(self, report: e.Report) -> None:
        self.key, self.unit, self.rows, self.columns = (
            report.key,
            report.unit,
            report.rows,
            report.columns,
        )
        frame = report.to_frame(labels=False)
        mine = [c for c in frame.columns if str(c) in CATEGORIES]
        rest = [c for c in frame.columns if c not in mine and str(c) != "Total"]
        self.frame = frame[rest].assign(**{"Other categories": frame[mine].sum(axis=1)})
        self.frame["Total"] = frame["Total"]

    def to_frame(self, labels: bool = True) -> pd.DataFrame:
        return self.frame


def _categories_pooled(report: e.Report) -> Any:
    columns = set(map(str, report.column_order))
    return _Pooled(report) if report.columns == "category" and columns & set(CATEGORIES) else report


def test_the_cover_proposes_the_categories_and_says_what_they_publish(
    example: e.examples.Example,
) -> None:
    """The proposal is measured through the path that applies it: applied, the categories
    pooled publish exactly the cells more it says, the rows of hours per member (decided
    after the tables are protected) included."""
    before = e.annual_report(example.log, example.cases, team=example.team, year=2020)
    proposal = next(p for p in before.loss.proposals if p.kind == "categories")
    assert proposal.table == "user_follow_up" and proposal.pool == tuple(CATEGORIES)
    after = e.annual_report(
        example.log, example.cases, team=example.team, year=2020, pool_categories=proposal.pool
    )
    gained = (after.loss.cells - after.loss.hidden) - (before.loss.cells - before.loss.hidden)
    assert 0 < proposal.cells == gained
    words = proposal.message().render("nb")
    assert "«Andre kategorier»" in words and "Brukeroppfølging" in words and "100,0 %" in words


def test_categories_one_table_shows_only_in_part_are_refused(
    example: e.examples.Example,
) -> None:
    """*Kjøring* and *Brukeroppfølging* are columns of different tables: pooled, the column
    «Andre kategorier» would mean one thing in *Hours by category* and another in the user
    follow-up table, and the attacker's model relates cells by what they mean."""
    with pytest.raises(e.errors.InvalidValueError, match="pool_categories"):
        e.annual_report(
            example.log,
            example.cases,
            team=example.team,
            year=2020,
            pool_categories=["driving", "user_follow_up"],
        )
    with pytest.raises(e.errors.InvalidValueError, match="not one of the team's categories"):
        e.annual_report(
            example.log, example.cases, team=example.team, year=2020, pool_categories=["x"]
        )


def test_a_pooled_member_with_no_case_and_no_time_is_refused(
    example: e.examples.Example,
) -> None:
    """Rødøy is a member of Salten with no case and no hour logged in 2020: it has no row
    to pool, and «Andre medlemskommuner» would name a member it holds nothing of. A name that
    is no member is refused too, instead of pooling nothing."""
    frame = example.log.to_frame()
    assert "Rødøy" not in set(frame["municipality"].astype(str))
    assert all(c.municipality.name != "Rødøy" for c in example.cases)
    with pytest.raises(e.errors.InvalidValueError, match="Rødøy") as raised:
        e.annual_report(
            example.log, example.cases, team=example.team, year=2020, pool=["Rødøy", "Beiarn"]
        )
    assert raised.value.field == "pool"
    with pytest.raises(e.errors.UnknownMunicipalityError):
        e.annual_report(example.log, example.cases, team=example.team, year=2020, pool=["Bodø"])
    internal = e.annual_report(
        example.log,
        example.cases,
        team=example.team,
        year=2020,
        audience="internal",
        pool=["Rødøy"],
    )
    assert internal.audience == "internal"


# -- the pooled row of people against the members' active cases ------------------------------

PEOPLE_ACTIVE = {"hours_per_person": "people", "plans_and_coordinators": "people"}
"""Columns counting the people with a case open in the period (the tables' notes): each such
person has an active case of a member the row stands for."""


def chain(attacker: Attacker, release: list[e.Report]) -> int:
    """Tell ``attacker`` the «at most» chain of an *Other members* row of people: its people
    have active cases of the members it pools, and those members are among the rows of the
    cases table that the people's table does not name (their own rows, or the cases table's
    *Other members*). So its people are at most those rows' ``active`` added up, whatever the
    cases table pools. Returns the relations added."""
    cases = next((r for r in release if r.key == "cases"), None)
    if cases is None:
        return 0
    rows_of_cases = [str(r) for r in cases.to_frame(labels=False).index if str(r) != "Total"]
    added = 0
    for report in release:
        column = PEOPLE_ACTIVE.get(report.key)
        people = attacker.cell((report.key, OTHER, column or ""))
        if people is None:
            continue
        named = {str(r) for r in report.to_frame(labels=False).index} - {OTHER}
        among = [attacker.cell(("cases", r, "active")) for r in rows_of_cases if r not in named]
        terms = {people: 1.0}
        for cell in among:
            if cell is not None:
                terms[cell] = terms.get(cell, 0.0) - 1.0
        attacker.at_most.append(terms)
        added += 1
    return added


def test_the_pooled_row_of_people_is_in_the_attack(pooled: e.AnnualReport) -> None:
    """Salten 2020 with five members pooled: the hours-per-person table shows an *Other
    members* row; told the chain (its people ≤ the pooled members' active cases), the attacker
    still finds nothing."""
    release = [r for r in pooled if r.unit != "hours"]
    attacker = attack(release)
    assert chain(attacker, release) >= 1
    assert_safe(release, attacker)


@settings(
    max_examples=8,
    phases=[Phase.explicit, Phase.reuse, Phase.generate],
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(s.salten_logs, s.small_case_sets(years=(2020,)))
def test_no_pooled_row_of_people_leaks_on_random_teams(
    rows: list[dict[str, object]], cases: list[e.Case]
) -> None:
    """Random teams whose small members (one or two cases each) are pooled: the attacker told
    the chain finds nothing. Without ``pool=`` no table of people gets an *Other members* row
    at all: the rows of hours are pooled only in tables outside the model (``protect_rows``
    hides the hours of a table of counts instead), so the chain has nothing to act on."""
    log = two_year_log(rows)
    small = sorted({c.municipality.name for c in cases} - {"Fauske"})
    try:
        plain = e.annual_report(log, cases, year=2020)
        pooled = e.annual_report(log, cases, year=2020, pool=small) if len(small) > 1 else None
    except e.errors.InvalidValueError:
        return  # nothing to report that year, or a member with nothing to pool
    for report in plain:
        if report.key in PEOPLE_ACTIVE:
            assert OTHER not in report.row_order, report.key
    if pooled is None:
        return
    release = [r for r in pooled if r.unit != "hours"]
    attacker = attack(release)
    chain(attacker, release)
    assert_safe(release, attacker)


def test_the_model_derives_the_chain_of_the_pooled_row() -> None:
    """The pooled row is one "municipality" to every definition: the library's model relates
    its people to its active cases as it does any member's."""
    active = define("cases", OTHER, "active")
    people = define("hours_per_person", OTHER, "people")
    planned = define("plans_and_coordinators", OTHER, "people")
    assert active is not None and people is not None and planned is not None
    relations = derive([(0, "cases", active), (1, "hours_per_person", people), (2, "p", planned)])
    assert relations.at_most == [(0, (1,))]
    assert relations.sums == [(1, (2,))]
