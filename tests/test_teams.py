"""The three shipped teams, each with its example year: its own report, due list and labels."""

from __future__ import annotations

import datetime as dt

import pandas as pd
import pytest

import ettervern as e
from ettervern.language import LOCALES

d = dt.date
YEARS = {"salten": 2020, "jaeren": 2019, "integrated": 2025}


@pytest.fixture(scope="module", params=sorted(YEARS))
def name(request: pytest.FixtureRequest) -> str:
    return str(request.param)


@pytest.fixture(scope="module")
def annual(name: str) -> e.AnnualReport:
    example = e.examples.example(name)
    return e.annual_report(example.log, example.cases, team=example.team, year=YEARS[name])


def own_labels(team: e.Team) -> set[str]:
    """Every text a team's own data gives its report: category names and layout texts."""
    labels = {c.label().render(loc) for c in team.categories for loc in LOCALES}
    for table in team.layout.tables:
        for texts in (table.title, *table.notes):
            labels |= {texts.render(loc) for loc in LOCALES}
    return labels


def foreign_labels(name: str) -> set[str]:
    """The labels of the other shipped teams that this team does not have."""
    own = own_labels(e.teams.preset(name))
    others = set().union(*(own_labels(e.teams.preset(n)) for n in YEARS if n != name))
    return others - own


def test_presets_cite_their_seed() -> None:
    assert e.teams.jaeren().categories.source.startswith("seed 002_")
    assert e.teams.integrated().categories.source.startswith("seed 003_")
    assert e.teams.team("jaeren") is e.teams.jaeren()
    assert e.teams.team("Jæren") is e.teams.jaeren()
    with pytest.raises(e.errors.ConfigError, match="no preset team"):
        e.teams.preset("bergen")


def test_every_title_comes_from_the_teams_own_catalog(name: str, annual: e.AnnualReport) -> None:
    team = annual.team
    own, foreign = own_labels(team), foreign_labels(name)
    assert foreign  # the check below has something to find
    layout = {table.key: table for table in team.layout.tables}
    assert annual.keys()[: len(layout)] == list(layout)
    for report in annual:
        for locale in LOCALES:
            title = report.title_in(locale)
            texts = [title, *report.notes_in(locale)]
            frame = report.to_frame(locale)
            texts += [str(c) for c in frame.columns] + [str(r) for r in frame.index]
            for text in texts:
                assert not [label for label in foreign if label in text], (report.key, text)
            if report.key in layout:
                assert title == f"{layout[report.key].title.render(locale)} {YEARS[name]}"
            if report.columns == "category":
                shown = set(map(str, frame.columns)) - {e._l10n.translate("Total", locale)}
                assert shown <= own, (report.key, shown - own)


def test_each_team_has_its_own_report(annual: e.AnnualReport, name: str) -> None:
    keys = set(annual.keys())
    assert {"all_categories", "cases", "follow_up_summary"} <= keys
    assert "follow_up_length" not in keys  # it lists case codes: internal only
    assert ("no_show" in keys) == (name == "salten")  # only Salten logs time lost to no-shows
    total = annual["all_categories"].to_frame(labels=False).loc["Total", "Total"]
    logged = e.examples.example(name).log.in_year(YEARS[name]).total_hours
    assert total == ":" or total == pytest.approx(logged)  # hidden where a total is protected


def test_jaeren_year_shows_the_six_week_plan_and_the_group_offer() -> None:
    example = e.examples.jaeren_2019()
    annual = e.annual_report(
        example.log, example.cases, team=example.team, year=2019, audience="internal"
    )
    group = annual["group_offer"]
    assert group.title_in("nb") == "Gruppetilbudet per måned 2019"
    # By month, as the rows say: every month of the year has its weekday groups.
    assert list(group.row_order) == [f"2019-{m:02d}" for m in range(1, 13)]
    assert group.value("2019-01", "group_offer") == 5.0 * 18 + 3.5 * 4  # 22 weekdays from 2 Jan
    text = annual.to_text("nb")
    assert "Kjøring" not in text and "Samarbeidspartnere" not in text and "Ikke møtt" not in text
    frame = e.due_list(example.cases, on=d(2019, 12, 2), team=example.team, locale="nb")
    weeks = frame[frame["milestone"].str.startswith("week_")]
    assert not weeks.empty
    assert set(weeks["milestone_label"]) <= {
        step.name for step in e.pathway_template("jaeren").steps
    }
    # Quarter hours shown with two decimals, so the rows visibly add up.
    assert any(
        ",25" in line or ",75" in line for line in annual["weekly_plan"].to_text().splitlines()
    )


def test_integrated_year_shows_the_stay_and_short_admissions() -> None:
    example = e.examples.integrated_2025()
    kinds = [stay.kind for case in example.cases for stay in case.stays]
    short = [
        stay
        for case in example.cases
        for stay in case.stays
        if stay.kind is e.StayKind.USER_CONTROLLED
    ]
    assert e.StayKind.TREATMENT in kinds and short
    assert all(
        stay.discharged is not None and 5 <= (stay.discharged - stay.admitted).days <= 7
        for stay in short
    )
    with_short = [
        c for c in example.cases if any(s in short for s in c.stays) and c.closed_on is not None
    ]
    assert any(c.follow_up_length < c.follow_up_calendar_length for c in with_short)  # type: ignore[operator]
    plan = e.pathway_template("integrated").step("individual_plan")
    assert plan.anchor is e.Anchor.DISCHARGE
    statuses = set()
    for case in example.cases:
        for milestone in e.milestones(case, on=d(2025, 12, 31), team=example.team):
            if milestone.key == "individual_plan":
                stay = case.follow_up_stay
                assert stay is not None
                assert milestone.due == (stay.discharged or case.expected_discharge)
                statuses.add(milestone.status(d(2025, 12, 31)))
    assert {e.MilestoneStatus.DONE, e.MilestoneStatus.DONE_LATE} <= statuses
    frame = e.due_list(example.cases, on=d(2025, 12, 1), team=example.team)
    assert "activity_before_discharge" in set(frame["milestone"])  # a task of the checklist


def test_a_team_of_its_own_gets_no_salten_label() -> None:
    # The team: categories "Reise" and "Ansvarsgruppemøte", even under Salten's keys.
    catalog = e.CategoryCatalog(
        "Eget",
        [
            e.Category("driving", "Reise", groups=["driving", "travel", "case_work"]),
            e.Category("collaboration", "Ansvarsgruppemøte", groups=["collaboration", "case_work"]),
            e.Category("follow_up", "Oppfølging", groups=["user_follow_up", "case_work"]),
        ],
    )
    salten = e.teams.salten()
    team = e.Team(
        name="Eget team",
        host=salten.host,
        members=salten.members,
        categories=catalog,
        time_resolution=0.25,
    )
    log = e.TimeLog.from_frame(
        pd.DataFrame(
            {
                "case": ["01/20-FA", "01/20-FA", "01/20-FA", None],
                "date": [d(2020, 3, 2), d(2020, 3, 3), d(2020, 3, 4), d(2020, 3, 5)],
                "municipality": ["Fauske", "Fauske", "Fauske", "Felles"],
                "category": ["Reise", "Ansvarsgruppemøte", "Oppfølging", "Oppfølging"],
                "hours": [2.25, 0.75, 1.5, 0.25],
            }
        ),
        team=team,
    )
    annual = e.annual_report(log, team=team, year=2020, audience="internal")
    titles = [r.title_in("nb") for r in annual]
    assert "Reise 2020" in titles
    assert "Ansvarsgruppemøte 2020" in titles
    assert "Ansvarsgruppemøte, antall registreringer 2020" in titles
    for locale in LOCALES:
        text = annual.to_text(locale)
        for salten_label in ("Kjøring", "Køyring", "Samarbeidspartnere", "Ikke møtt", "Driving"):
            assert salten_label not in text
    # Numbers with the precision of the team's quarter hours.
    driving = annual["driving"]
    assert "2,25" in driving.to_text("nb")
    assert "2.25" in driving.to_text("en")
    assert "<td>0,75</td>" in annual["collaboration"].to_html("nb")
    assert e.language.format_number(0.75, "nb", step=0.25) == "0,75"
    assert e.language.format_number(0.75, "nb") == "0,8"


def test_a_report_layout_as_data(tmp_path: object) -> None:
    salten = e.teams.salten()
    layout = e.tables.ReportLayout(
        [
            e.tables.ReportTable(
                key="travel",
                group="travel",
                title=e.tables.Texts(nb="Reisetid", nn="Reisetid", en="Travel time"),
                notes=[e.tables.Texts(nb="Kjøring og overnatting.")],
            )
        ]
    )
    import attrs

    team = attrs.evolve(salten, report=layout)
    assert e.read_team(e.write_team(team, f"{tmp_path}/team.toml")) == team
    example = e.examples.salten_2020()
    annual = e.annual_report(example.log, example.cases, team=team, year=2020, audience="internal")
    first = annual.reports[0]
    assert first.key == "travel"
    assert first.title_in("en") == "Travel time 2020"
    assert first.notes_in("en") == ["Kjøring og overnatting."]  # no English given: Bokmål
    assert list(first.column_order) == ["driving", "overnight"]
    with pytest.raises(e.errors.UnknownCategoryError):
        attrs.evolve(
            salten,
            report=e.tables.ReportLayout(
                [e.tables.ReportTable(key="x", categories=["reise"], title=e.tables.Texts(nb="X"))]
            ),
        )
    with pytest.raises(e.errors.InvalidValueError, match="either a group or categories"):
        e.tables.ReportLayout([e.tables.ReportTable(key="x", title=e.tables.Texts(nb="X"))]).check(
            salten.categories
        )
    with pytest.raises(e.errors.InvalidValueError, match="non-empty"):
        e.tables.Texts(nb=" ")


def test_no_data_for_the_year_is_an_error() -> None:
    example = e.examples.salten_2020()
    with pytest.raises(e.errors.InvalidValueError, match="nothing to report for 1999") as info:
        e.annual_report(example.log, example.cases, team=example.team, year=1999)
    assert info.value.field == "year"


def test_a_case_of_another_team_is_not_counted() -> None:
    example = e.examples.jaeren_2019()
    bergen = e.Case.refer(
        example.team.parse_code("BG-2019-001"), on=d(2019, 3, 4), municipality="Bergen"
    )
    with pytest.raises(e.errors.PathwayError, match="not_a_member"):
        e.annual_report(example.log, [*example.cases, bergen], team=example.team, year=2019)


def test_bad_layouts_and_names_are_refused() -> None:
    with pytest.raises(e.errors.InvalidValueError, match="measure"):
        e.tables.ReportTable(
            key="x", group="driving", title=e.tables.Texts(nb="X"), measure="minutes"
        )  # type: ignore[arg-type]
    with pytest.raises(e.errors.InvalidValueError, match="rows"):
        e.tables.ReportTable(key="x", group="driving", title=e.tables.Texts(nb="X"), rows="week")  # type: ignore[arg-type]
    table = e.tables.ReportTable(key="x", group="driving", title=e.tables.Texts(nb="X"))
    with pytest.raises(e.errors.InvalidValueError, match="more than once"):
        e.tables.ReportLayout([table, table]).check(e.teams.salten().categories)
    data = e.interchange.team_to_dict(e.teams.jaeren())
    data["report"]["tables"][0]["title"] = {"nb": "Uke", "se": "Vahkku"}
    with pytest.raises(e.errors.ConfigError, match=r"\$\.report\.tables\[0\]\.title"):
        e.interchange.team_from_dict(data)
    with pytest.raises(e.errors.ConfigError, match="no example year"):
        e.examples.example("bergen")
