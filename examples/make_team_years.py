"""Generate the example years of the Jæren team (2019) and the integrated-aftercare team (2025).

Run: python examples/make_team_years.py [OUT_DIR]   (default: the package's data/examples/)

Everything is made up — no person, date or case is real. Each year follows its model's pathway
(seed ``002_…`` and ``003_…``) so that its annual report, due list and docs page show the model:

- **Jæren 2019** (``teams.jaeren()``): participants referred through the year, many straight
  from treatment; a six-week individual plan week by week from the start of follow-up (mapping
  and consent, responsibility group and crisis plan, an individual talk, a status call with the
  drug counsellor, an evaluation talk, the responsibility-group meeting), some weeks done late
  or not at all; the group offer every working day (about five staff hours, logged as shared
  time), and who came to it: each participant open that day comes on about two days in three
  ("sikre oppmøte", seed ``002_…``), drawn by a generator of its own so that the log and cases
  stay as they were; codes such as ``HÅ-2019-001``; quarter hours.
- **Integrated aftercare 2025** (``teams.integrated()``): the hospital trust's tasks before
  admission, a stay in treatment, the individual plan due before discharge (a few late), a
  crisis plan and a cooperation meeting at discharge, reinforced follow-up after it, and
  user-controlled short admissions of 5-7 days during follow-up; Randaberg joins in March;
  codes such as ``2025-ST-001``; six-minute steps (0.1 hours).

It writes ``<team>_<year>_log.csv`` (the TimeLog schema) and ``<team>_<year>_cases.json`` for
each, and ``jaeren_2019_groups.json`` (the group log). The random generator is seeded, so the files are the same on every run.
"""

from __future__ import annotations

import datetime as dt
import sys
from pathlib import Path

import numpy as np
import pandas as pd
from dateutil.relativedelta import relativedelta

import ettervern as e

D = dt.date
Row = tuple[str | None, dt.date, str, str, float]


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """Monday to Friday from ``start`` to ``end`` (public holidays are not left out here)."""
    days = (start + dt.timedelta(days=i) for i in range((end - start).days + 1))
    return [day for day in days if day.weekday() < 5]


def on_weekday(day: dt.date) -> dt.date:
    """``day``, or the Monday after when it falls on a weekend."""
    while day.weekday() >= 5:
        day += dt.timedelta(days=1)
    return day


def outcome(rng: np.random.Generator, level: int, flags: tuple[str, ...] = ()) -> e.Outcome:
    scores = {d.value: int(min(3, max(1, level + rng.integers(-1, 2)))) for d in e.LifeDomain}
    return e.Outcome.from_scores(scores, flags=flags)


class Year:
    """A team's year being made: its random generator, its cases and its time log rows."""

    def __init__(self, team: e.Team, year: int, seed: int) -> None:
        self.team = team
        self.year = year
        self.end = D(year, 12, 31)
        self.rng = np.random.default_rng(seed)
        self.cases: list[e.Case] = []
        self.rows: list[Row] = []
        self.codes: list[e.CaseCode] = []

    def hours(self, low: float, high: float) -> float:
        """Random hours from ``low`` to ``high`` in steps of the team's time unit."""
        step = self.team.time_resolution
        steps = round((high - low) / step)
        return round(low + step * int(self.rng.integers(0, steps + 1)), 2)

    def log(
        self, case: e.Case | None, day: dt.date, category: str, low: float, high: float
    ) -> None:
        """Log hours on ``day`` (within the year) for ``case``, or as shared time."""
        if day > self.end:
            return
        code, place = (None, "Felles") if case is None else (str(case.code), case.municipality.name)
        self.rows.append((code, day, place, category, self.hours(low, high)))

    def refer(self, on: dt.date, place: str, source: str, gender: str) -> e.Case:
        """A referral with the next code of its municipality."""
        code = self.team.next_case_code(self.codes, municipality=place, year=self.year)
        self.codes.append(code)
        return e.Case.refer(
            code,
            on=on,
            municipality=place,
            source=source,
            birth_year=int(self.rng.integers(1960, 2003)),
            gender=gender,
            team=self.team,
        )

    def save(self, out: Path, name: str) -> None:
        """Check the year as the library would read it, and write it."""
        columns = ["case", "date", "municipality", "category", "hours"]
        frame = pd.DataFrame(self.rows, columns=columns).sort_values("date", kind="stable")
        log = e.TimeLog.from_frame(frame, team=self.team)
        e.check_cases(self.cases, self.team)
        out.mkdir(parents=True, exist_ok=True)
        log.to_frame().assign(date=lambda f: f["date"].dt.strftime("%Y-%m-%d")).to_csv(
            out / f"{name}_log.csv", index=False
        )
        e.write_cases(self.cases, out / f"{name}_cases.json")
        print(f"{name}: {len(self.cases)} cases, {len(log)} entries, {log.total_hours:g} hours")


# -- Jæren 2019 --------------------------------------------------------------------------------

JAEREN_REFERRALS = [  # (month, day, municipality, referred from a stay?)
    (1, 14, "Klepp", True),
    (1, 28, "Time", False),
    (2, 11, "Hå", True),
    (2, 25, "Gjesdal", True),
    (3, 11, "Klepp", False),
    (3, 25, "Time", True),
    (4, 8, "Hå", False),
    (4, 29, "Klepp", True),
    (5, 13, "Gjesdal", False),
    (5, 27, "Time", True),
    (6, 10, "Klepp", True),
    (6, 24, "Hå", False),
    (8, 12, "Time", False),
    (8, 26, "Klepp", True),
    (9, 9, "Gjesdal", True),
    (9, 23, "Hå", True),
    (10, 14, "Klepp", False),
    (10, 28, "Time", True),
    (11, 11, "Hå", False),
    (11, 25, "Klepp", True),
]
WEEK_TASKS = [step.key for step in e.pathway_template("jaeren").steps]
WEEK_CATEGORY = {2: "responsibility_group", 4: "drug_counsellor_call", 6: "responsibility_group"}
"""The category of each week's task; the other weeks are talks with the participant."""


def six_weeks(year: Year, case: e.Case, start: dt.date, index: int) -> tuple[e.Case, int]:
    """The week-by-week plan from ``start``: some weeks done late, some participants stop."""
    late = index % 4 == 3
    weeks = 6 if index % 5 else 4  # every fifth participant stops after week 4
    for week, task in enumerate(WEEK_TASKS[:weeks], start=1):
        due = start + dt.timedelta(weeks=week, days=-1)
        when = on_weekday(due - dt.timedelta(days=3) + dt.timedelta(days=6 * late))
        if when > year.end:
            break
        case = case.complete(task, on=when)
        year.log(case, when, WEEK_CATEGORY.get(week, "individual_plan_work"), 0.75, 1.5)
        year.log(case, when, "transport", 0.25, 0.75)
        if week in (3, 5):
            year.log(case, when, "work_preparation", 0.5, 1.25)
    return case, weeks


def jaeren_case(year: Year, index: int, referral: tuple[int, int, str, bool]) -> e.Case:
    month, day, place, from_stay = referral
    referred = on_weekday(D(year.year, month, day))
    source = "institution" if from_stay else ("person", "nav", "gp")[index % 3]
    gender = "male" if year.rng.random() < 0.7 else "female"
    case = year.refer(referred, place, source, gender)
    if index == 5:  # one person withdraws before the intake
        year.log(case, referred + dt.timedelta(days=2), "transport", 0.5, 0.5)
        return case.close(on=referred + dt.timedelta(days=9), reason="withdrew")
    if from_stay:  # referred while in treatment: the stay the team knows of starts here
        case = case.admit(on=referred, kind="treatment")
    accepted = on_weekday(referred + dt.timedelta(days=3))
    case = case.accept(on=accepted)
    start = accepted
    if from_stay:
        start = on_weekday(accepted + dt.timedelta(days=int(year.rng.integers(5, 15))))
        year.log(case, accepted, "individual_plan_work", 1.0, 1.0)
        if index % 7 != 3:  # the individual plan, due at discharge, mostly in time
            case = case.complete("individual_plan", on=on_weekday(accepted + dt.timedelta(days=1)))
        case = case.discharge(on=start)
    case = case.assess(on=start, outcome=outcome(year.rng, 1))
    # Week 1: the consent form is signed with the group rules (seed 002: «Taushetsplikt og
    # grupperegler blir avklart og signert sammen med samtykkeskjema»), for the responsibility
    # group's NAV and specialist service.
    case = case.give_consent("nav", on=start).give_consent("specialist_service", on=start)
    case, weeks = six_weeks(year, case, start, index)
    closes = start + dt.timedelta(weeks=int(year.rng.integers(6, 10)))
    if closes > D(year.year, 12, 10) or (weeks < 6 and closes > D(year.year, 11, 1)):
        return case  # still open at the end of the year
    reason = "completed" if weeks == 6 else "no_show"
    closes = on_weekday(max(closes, case.events[-1].on + dt.timedelta(days=1)))
    flags = ("ordinary_work",) if index % 6 == 0 else ()
    case = case.close(
        on=closes,
        reason=reason,
        report_delivered=reason == "completed",
        evaluation_given=reason == "completed",
        taken_over_by="nav" if reason == "completed" else None,
        outcome=outcome(year.rng, 2, flags),
    )
    check = on_weekday(closes + relativedelta(months=3))
    if check > year.end:
        return case
    reached = index % 3 != 1
    return case.record_three_month_check(
        on=check, reached=reached, outcome=outcome(year.rng, 2, flags) if reached else None
    )


GROUP_ATTENDANCE = 2 / 3
"""The chance that a participant open on a group day comes (Jæren, seed ``002_…``: "sikre
oppmøte", about 8 a day over the summer of 2019 among about 12 followed at a time)."""


def open_on(case: e.Case, day: dt.date) -> bool:
    """Whether ``case`` is open on ``day``: accepted by then and not closed."""
    accepted = case.accepted_on is not None and case.accepted_on <= day
    return accepted and case.phase_on(day) in (e.Phase.FOLLOW_UP, e.Phase.IN_INSTITUTION)


def group_sessions(year: Year, days: list[dt.date]) -> e.events.GroupLog:
    """The group offer on each of ``days``: the participants whose case is open that day, each
    coming with ``GROUP_ATTENDANCE``; checked by the library's rules."""
    rng = np.random.default_rng(year.year + 1)  # its own draws: the log and cases stay the same
    sessions = []
    for day in days:
        open_cases = [c for c in year.cases if open_on(c, day)]
        came = [str(c.code) for c in open_cases if rng.random() < GROUP_ATTENDANCE]
        sessions.append(e.events.GroupSession(day, "group_offer", came))
    groups = e.events.GroupLog(sessions)
    groups.check(year.cases, team=year.team)
    return groups


def jaeren_2019(out: Path) -> None:
    year = Year(e.teams.jaeren(), 2019, seed=2019)
    for index, referral in enumerate(JAEREN_REFERRALS):
        year.cases.append(jaeren_case(year, index, referral))
    days = working_days(D(2019, 1, 2), D(2019, 12, 20))
    for day in days:
        # The group offer every weekday (a shorter Friday), and the weekly coordination.
        year.log(None, day, "group_offer", *((5.0, 5.0) if day.weekday() < 4 else (3.5, 3.5)))
        if day.weekday() == 0:
            year.log(None, day, "coordination", 1.0, 2.5)
    year.save(out, "jaeren_2019")
    groups = group_sessions(year, days)
    text = e.interchange.group_log_to_json(groups) + "\n"
    (out / "jaeren_2019_groups.json").write_text(text, encoding="utf-8")
    attendances = sum(len(s.attendees) for s in groups)
    print(f"jaeren_2019: {len(groups)} group sessions, {attendances} attendances")


# -- Integrated aftercare 2025 -------------------------------------------------------------------

INTEGRATED_REFERRALS = [  # (month, day, municipality)
    (1, 8, "Stavanger"),
    (1, 20, "Sandnes"),
    (2, 3, "Sola"),
    (2, 17, "Stavanger"),
    (3, 10, "Randaberg"),
    (3, 24, "Sandnes"),
    (4, 7, "Stavanger"),
    (4, 28, "Sola"),
    (5, 12, "Sandnes"),
    (6, 2, "Stavanger"),
    (8, 11, "Randaberg"),
    (8, 25, "Stavanger"),
    (9, 15, "Sandnes"),
    (10, 6, "Sola"),
    (10, 27, "Stavanger"),
    (11, 17, "Sandnes"),
]
BEFORE = (
    "contact_patient_and_referrer",
    "who_follows_up_locally",
    "practical_clarifications",
    "travel_arranged",
)
AT_DISCHARGE = ("cooperation_meeting", "crisis_plan", "responsibilities_agreed")


def before_admission(year: Year, case: e.Case, admitted: dt.date) -> e.Case:
    """The trust's tasks before admission, each before the admission day."""
    for offset, task in enumerate(BEFORE):
        when = on_weekday(case.referred_on + dt.timedelta(days=2 + 3 * offset))
        if when < admitted:
            case = case.complete(task, on=when)
            year.log(case, when, "before_admission", 0.3, 1.2)
    return case


def during_stay(
    year: Year, case: e.Case, index: int, admitted: dt.date, discharged: dt.date
) -> tuple[e.Case, dt.date | None]:
    """Mapping, relatives and the individual plan while inside; the day of a late plan."""
    mapped = on_weekday(admitted + dt.timedelta(days=7))
    if mapped < discharged and mapped <= year.end:
        case = case.begin_step("map_life_domains", on=mapped)
        case = case.assess(on=mapped, outcome=outcome(year.rng, 1))
        year.log(case, mapped, "during_stay", 1.0, 2.0)
        # The ward tells the team when it expects the discharge (seed 003: the plan is due
        # "senest før utskrivning"), so the plan shows on the due list while the person is inside.
        case = case.expect_discharge(on=mapped, expected=discharged)
    relatives = on_weekday(admitted + dt.timedelta(days=14))
    if index % 4 == 1 and relatives < discharged and relatives <= year.end:
        # Relatives are involved with the person's consent (seed 001: «Pårørende skal
        # involveres etter samtykke fra brukeren»).
        case = case.give_consent("relatives", on=relatives)
        case = case.begin_step("involve_relatives", on=relatives)
        year.log(case, relatives, "relatives", 1.0, 2.0)
    activity = on_weekday(discharged - dt.timedelta(days=10))
    if index % 6 != 4 and activity > case.events[-1].on and activity <= year.end:
        case = case.begin_step("activity_before_discharge", on=activity)
    if index % 5 == 2:  # the plan comes after discharge: late
        return case, on_weekday(discharged + dt.timedelta(days=5))
    plan = on_weekday(discharged - dt.timedelta(days=6))
    if plan <= year.end:
        case = case.complete("individual_plan", on=plan)
        year.log(case, plan, "during_stay", 1.0, 2.5)
    return case, None


def after_discharge(
    year: Year, case: e.Case, index: int, discharged: dt.date, late_plan: dt.date | None
) -> e.Case:
    """The plan if late, reinforced follow-up, the meeting after, a short admission, closure."""
    if late_plan is not None and late_plan <= year.end:
        case = case.complete("individual_plan", on=late_plan)
        year.log(case, late_plan, "after_discharge", 0.5, 1.5)
    closes = on_weekday(discharged + dt.timedelta(weeks=int(year.rng.integers(9, 14))))
    for week in range(1, 14):
        when = on_weekday(discharged + dt.timedelta(weeks=week))
        if when >= closes:
            break
        year.log(case, when, "after_discharge", 0.5, 1.8)
        if week % 3 == 0:
            year.log(case, when, "ambulant_travel", 0.3, 1.0)
    after = on_weekday(discharged + dt.timedelta(days=14))
    if after <= year.end:
        case = case.begin_step("meeting_after_discharge", on=after)
        year.log(case, after, "discharge_meeting", 0.8, 1.5)
    if index % 3 == 0:  # a user-controlled short admission of 5-7 days
        short_in = on_weekday(discharged + dt.timedelta(weeks=4))
        short_out = short_in + dt.timedelta(days=int(year.rng.integers(5, 8)))
        if short_out <= year.end:
            case = case.admit(on=short_in, kind="user_controlled").discharge(on=short_out)
            year.log(case, short_in, "user_controlled_bed", 0.5, 1.5)
            year.log(case, short_in + dt.timedelta(days=2), "user_controlled_bed", 0.5, 1.0)
            closes = on_weekday(max(short_out + dt.timedelta(days=1), closes))
    if closes > D(year.year, 12, 1):
        return case
    case = case.close(
        on=closes,
        reason="completed" if index % 7 else "long_term_treatment",
        report_delivered=True,
        evaluation_given=index % 2 == 0,
        taken_over_by="mental_health_and_substance_use",
        outcome=outcome(year.rng, 2),
    )
    check = on_weekday(closes + relativedelta(months=3))
    if index % 4 == 2 or check > D(year.year, 11, 1):
        return case
    return case.record_three_month_check(on=check, reached=True, outcome=outcome(year.rng, 3))


def integrated_case(year: Year, index: int, referral: tuple[int, int, str]) -> e.Case:
    month, day, place = referral
    source = ("gp", "institution", "person", "municipal_service")[index % 4]
    gender = "female" if index % 3 == 0 else "male"
    case = year.refer(on_weekday(D(year.year, month, day)), place, source, gender)
    admitted = on_weekday(case.referred_on + dt.timedelta(days=int(year.rng.integers(14, 35))))
    case = before_admission(year, case, admitted)
    if admitted > year.end:
        return case
    # The trust takes the patient on at admission, so follow-up proper starts at discharge.
    case = case.admit(on=admitted, kind="treatment").accept(on=admitted)
    year.log(case, admitted, "ambulant_travel", 0.5, 1.5)
    discharged = on_weekday(admitted + dt.timedelta(weeks=int(year.rng.integers(5, 9))))
    case, late_plan = during_stay(year, case, index, admitted, discharged)
    if discharged > year.end:
        return case  # still in treatment at the end of the year
    meeting = on_weekday(discharged - dt.timedelta(days=3))
    for task in AT_DISCHARGE:
        case = case.complete(task, on=meeting)
    year.log(case, meeting, "discharge_meeting", 1.0, 2.0)
    case = case.discharge(on=discharged)
    return after_discharge(year, case, index, discharged, late_plan)


def integrated_2025(out: Path) -> None:
    year = Year(e.teams.integrated(), 2025, seed=2025)
    for index, referral in enumerate(INTEGRATED_REFERRALS):
        year.cases.append(integrated_case(year, index, referral))
    year.save(out, "integrated_2025")


def main(out: Path) -> None:
    jaeren_2019(out)
    integrated_2025(out)


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent / "src" / "ettervern" / "_data" / "examples"
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    main(target if target.suffix == "" else target.parent)
