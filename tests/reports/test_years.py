"""Two years pooled into one figure (``compare_years(pool_years=True)``, issue 30 item 5).

The pooled tables are published beside both years' published tables, so they must be safe
together with them. The attacker is ``test_disclosure``'s integer program over the published
frames (scipy), written apart from the library, told one relation more: a pooled cell is the
first year's cell plus the second's (the docs say only cells counted once in time are pooled).
Which columns those are is the oracle's own list, from the tables' notes: referrals by their
referral day, cases accepted, cases closed (and referrals closed unaccepted) by their day.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import attrs
import pandas as pd
import pytest
from hypothesis import HealthCheck, Phase, given, settings

import ettervern as e
from ettervern._reports._solver import have_solver
from tests import strategies as s
from tests.reports.test_coalition import _as_others, _reach, reached_leaks
from tests.reports.test_disclosure import THRESHOLD, Attacker, attack, two_year_log

pytestmark = pytest.mark.skipif(not have_solver(), reason="the audit needs highspy")
pytest.importorskip("scipy.optimize")

ONCE = {
    "cases": {"referrals", "accepted", "closed"},
    "referral_sources": {"referrals"},
    "closure_reasons": {"cases", "referrals"},
}
"""The columns counted once in time, by table: what the oracle expects to be pooled."""

HOURS = {"hours", "entries"}
"""The units of the pooled hours and entries tables (tested in ``test_years_hours``)."""


def attack_pooled(release: list[e.Report]) -> Attacker:
    """``attack`` of the compared tables, and each pooled table: its rows add up to its Total
    row, and each cell is the two years' cells added."""
    attacker = attack([r for r in release if not r.key.endswith("_years")])
    for report in release:
        key = report.key.removesuffix("_years")
        if not report.key.endswith("_years") or key not in ONCE:
            continue  # the pooled hours: tests/reports/test_years_hours.py
        frame = report.to_frame(labels=False)
        columns = [str(c) for c in frame.columns]
        table = f"{key}@pooled"
        attacker.read(table, frame, columns)
        years = sorted({t.split("@")[1] for t, _, _ in attacker.names if t.startswith(key + "@")})
        years = [y for y in years if y.isdigit()]
        rows = [str(r) for r in frame.index]
        for column in columns:
            terms = {attacker.names.index((table, r, column)): 1.0 for r in rows if r != "Total"}
            terms[attacker.names.index((table, "Total", column))] = -1.0
            attacker.equal.append(terms)
            for row in rows:
                both = {attacker.names.index((table, row, column)): -1.0}
                for year in years:
                    cell = attacker.cell((f"{key}@{year}", row, column))
                    if cell is not None:
                        both[cell] = both.get(cell, 0.0) + 1.0
                attacker.equal.append(both)
    return attacker


def leaks(attacker: Attacker) -> list[str]:
    """Every hidden count the attacker pins, or proves from 1 to below the threshold."""
    out = []
    for i, name in enumerate(attacker.names):
        if attacker.low[i] == attacker.high[i] or name[0].endswith("@change"):
            continue
        low, high = attacker.interval({i: 1.0})
        if low == high or (low >= 1 and high < THRESHOLD):
            out.append(f"{name} in [{low}, {high}]")
    return out


def member_leaks(
    release: list[e.Report], log: e.TimeLog, cases: list[e.Case], member: str
) -> list[str]:
    """What ``member`` learns of the other members, knowing its part of every cell (read from
    the internal comparison of its own cases and entries; its part of a pooled cell is its
    two years' parts added): as ``test_coalition.count_leaks``, with the pooled tables."""
    attacker = attack_pooled(release)
    own = e.compare_years(
        log.for_municipality(member),
        [c for c in cases if c.municipality.name == member],
        years=(2020, 2021),
        team=log.team,
        audience="internal",
    )
    mine = attack(list(own))
    parts = dict(zip(mine.names, mine.low, strict=True))
    for table, row, column in attacker.names:
        if table.endswith("@pooled"):
            key = table.removesuffix("@pooled")
            both = (parts.get((f"{key}@{y}", row, column), 0.0) for y in (2020, 2021))
            parts[(table, row, column)] = sum(both)
    start = _as_others(attacker, parts, member)  # a shown change: the others' part of it too
    reach = _reach(attacker, start) | {i for i in start if attacker.low[i] != attacker.high[i]}
    return [f"{member}: {leak}" for leak in reached_leaks(attacker, reach, parts)]


def _two_years() -> tuple[e.TimeLog, list[e.Case]]:
    """Salten 2020 with its log logged again in 2021, and a few small members' referrals in
    2021: most of the case tables are hidden in both years."""
    example = e.examples.salten_2020()
    log = two_year_log(example.log.to_frame().to_dict("records"))
    new = [
        e.Case.refer(f"0{n}/21-{letters}", on=dt.date(2021, 3, n), municipality=name)
        for n, (name, letters) in enumerate(
            [("Gildeskål", "GI"), ("Beiarn", "BE"), ("Meløy", "ME"), ("Saltdal", "SA")], start=1
        )
    ]
    accepted = [c.accept(on=dt.date(2021, 4, 1)) for c in new[:3]] + new[3:]
    return log, [*accepted, *example.cases]


@pytest.fixture(scope="module")
def pooled() -> e.YearComparison:
    log, cases = _two_years()
    return e.compare_years(log, cases, years=(2020, 2021), pool_years=True)


def test_the_pooled_tables_hold_with_both_years(pooled: e.YearComparison) -> None:
    release = list(pooled)
    counts = {r.key for r in release if r.key.endswith("_years") and r.unit not in HOURS}
    assert counts == {f"{k}_years" for k in ONCE}
    for report in release:
        if report.key in counts:
            columns = {str(c) for c in report.to_frame(labels=False).columns}
            assert columns == ONCE[report.key.removesuffix("_years")], report.key
    assert leaks(attack_pooled(release)) == []


def test_the_pooled_tables_hold_against_every_member(pooled: e.YearComparison) -> None:
    """Each member knows its part of every cell, of both years and so of the pooled ones."""
    log, cases = _two_years()
    logged = set(log.to_frame()["municipality"].astype(str))
    members = [m.municipality.name for m in log.team.members if m.municipality.name in logged]
    found = [leak for m in members for leak in member_leaks(list(pooled), log, cases, m)]
    assert found == []


def test_the_pooled_figures_are_both_years_added(pooled: e.YearComparison) -> None:
    log, cases = _two_years()
    internal = e.compare_years(log, cases, years=(2020, 2021), audience="internal")
    truth = internal["cases_compared"].to_frame(labels=False).apply(pd.to_numeric, errors="coerce")
    table = pooled["cases_years"].to_frame(labels=False)
    shown = 0
    for row in table.index:
        for column in table.columns:
            value = table.loc[row, column]
            if isinstance(value, str):
                continue
            both = [truth.loc[row, f"{column}\x1f{y}"] for y in (2020, 2021)]
            assert (0 if pd.isna(value) else value) == sum(0 if pd.isna(v) else v for v in both)
            shown += not pd.isna(value)
    assert shown


def test_a_mostly_hidden_comparison_proposes_the_years_measured(
    pooled: e.YearComparison,
) -> None:
    proposal = next(p for p in pooled.proposals if p.table == "cases_compared")
    assert proposal.kind == "years" and proposal.pool == ("2020", "2021")
    assert proposal.hidden_share > 0.5
    table = pooled["cases_years"].to_frame(labels=False)
    inner = table.drop(index="Total")
    published = int(inner.map(lambda v: not isinstance(v, str) and not pd.isna(v)).sum().sum())
    assert proposal.cells == published
    words = proposal.message().render("nb")
    assert "2020–2021" in words and "samlet" in words


def _shows(printed: pd.DataFrame, row: str, column: str) -> bool:
    """Whether a published table prints a figure in the cell (``:`` and a missing row do not)."""
    if row not in printed.index or column not in printed.columns:
        return False
    value = printed.loc[row, column]
    return not isinstance(value, str) and not pd.isna(value)


def test_a_comparison_reports_what_it_hides(pooled: e.YearComparison) -> None:
    """A compared count table's loss is what the comparison prints hidden, counted here from
    the printed table and the internal comparison: each year's non-zero figures, and of them
    those not shown (the change is no figure of its own)."""
    log, cases = _two_years()
    internal = e.compare_years(log, cases, years=(2020, 2021), audience="internal")
    loss = pooled.loss
    assert loss is not None and loss.proposals == pooled.proposals
    for key in ("cases_compared", "referral_sources_compared", "age_and_gender_compared"):
        truth = internal[key].to_frame(labels=False).apply(pd.to_numeric, errors="coerce")
        printed = pooled[key].to_frame(labels=False)
        figures = [c for c in map(str, truth.columns) if not c.endswith("\x1fchange")]
        cells = [(r, c) for r in map(str, truth.index) for c in figures if truth.loc[r, c] > 0]
        hidden = [cell for cell in cells if not _shows(printed, *cell)]
        assert (loss.tables[key].cells, loss.tables[key].hidden) == (len(cells), len(hidden))
        assert 0 < loss.tables[key].primary <= len(hidden)
    assert loss.cells == sum(part.cells for part in loss.tables.values())
    assert 0 < loss.shares["counts"] < 1 and 0 < loss.shares["hours"] <= 1


def test_every_output_of_a_comparison_prints_its_loss_and_proposals(
    pooled: e.YearComparison, tmp_path: Path
) -> None:
    """As an annual report's cover: the loss, each table's, and the years proposed, in words."""
    proposal = next(p for p in pooled.proposals if p.kind == "years")
    text = pooled.to_text("nb")
    assert "Årsrapport 2020–2021 (publisert)" in text.splitlines()[0]
    assert f"Informasjonstap: {pooled.loss.hidden} av {pooled.loss.cells} celler skjult" in text
    assert "Forslag: Henvisninger og saker 2020-2021: " in text
    assert f"et tall for 2020–2021 samlet ville publisere {proposal.cells} celle" in text
    page = pooled.to_html("nn")
    assert '<ul class="loss">' in page and "eit tal for 2020–2021 samla" in page
    data = pooled.to_dict("en")
    assert data["loss"]["hidden"] == pooled.loss.hidden
    assert data["loss"]["tables"]["cases_compared"]["hidden"] > 0
    tables = [p["table"] for p in data["loss"]["proposals"] if p["kind"] == "years"]
    assert "cases_compared" in tables
    openpyxl = pytest.importorskip("openpyxl")
    book = openpyxl.load_workbook(pooled.to_excel(tmp_path / "sammenligning.xlsx", "nb"))
    words = {str(c.value) for sheet in book for row in sheet.iter_rows() for c in row if c.value}
    assert any(w.startswith("Henvisninger og saker 2020-2021: ") and "samlet" in w for w in words)
    assert "Informasjonstap" in words


def test_years_are_not_pooled_with_members_pooled() -> None:
    log, cases = _two_years()
    with pytest.raises(e.errors.InvalidValueError, match="pool_years"):
        e.compare_years(log, cases, years=(2020, 2021), pool_years=True, pool=["Beiarn", "Meløy"])


NO_SHRINKING = [Phase.explicit, Phase.reuse, Phase.generate]
"""Two releases and their pooled tables are large: shrinking one takes minutes."""


@given(s.salten_logs, s.small_case_sets())
@settings(max_examples=6, phases=NO_SHRINKING, suppress_health_check=list(HealthCheck))
def test_random_teams_pooled_over_two_years_hold(
    rows: list[dict[str, object]], cases: list[e.Case]
) -> None:
    """Random logs and small case sets over 2020 and 2021 (many members of 1–2 cases)."""
    compared = e.compare_years(two_year_log(rows), cases, years=(2020, 2021), pool_years=True)
    assert leaks(attack_pooled(list(compared))) == []


def test_the_attacker_breaks_pooled_figures_hidden_only_where_small(
    pooled: e.YearComparison,
) -> None:
    """The attacker has teeth: the pooled cases table with only its counts of 1–2 hidden,
    beside both years' published tables, gives hidden yearly counts back."""
    log, cases = _two_years()
    internal = e.compare_years(log, cases, years=(2020, 2021), audience="internal")
    truth = internal["cases_compared"].to_frame(labels=False).apply(pd.to_numeric, errors="coerce")
    columns = sorted(ONCE["cases"])
    summed = sum(
        truth[[f"{c}\x1f{y}" for c in columns]].set_axis(columns, axis=1).fillna(0)
        for y in (2020, 2021)
    )
    naive = pooled["cases_years"]
    hidden = {
        (str(r), c) for r in summed.index for c in columns if 1 <= summed.loc[r, c] < THRESHOLD
    }
    tidy = summed.reset_index(names="row").melt(id_vars="row", var_name="column")
    tidy = tidy[tidy["value"] > 0]
    tidy = tidy[[(r, c) not in hidden for r, c in zip(tidy["row"], tidy["column"], strict=True)]]
    naive = attrs.evolve(naive, data=tidy.reset_index(drop=True), suppressed=frozenset(hidden))
    release = [naive if r.key == "cases_years" else r for r in pooled]
    assert leaks(attack_pooled(release))
