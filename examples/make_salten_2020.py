"""Generate the bundled example year: a synthetic Salten 2020 that reproduces the published tables.

Run: python examples/make_salten_2020.py [OUT_DIR]   (default: the package's data/examples/)

Everything is made up — no person, date or case is real — but the year is built so that the
tables published in the Salten team's annual report for 2020 (seed ``000``) come out exactly:

- user follow-up per municipality, in institution and after the stay (30 + 499 = 529 hours);
- driving per municipality (137 hours);
- collaboration per municipality, counted in entries (200 entries);
- 15 cases, two followed in institution (both Fauske); Steigen's hours belong to a referral that
  ended before it was accepted; Hamarøy's and Sørfold's entries carry no case.

The figures are read from ``src/ettervern/_data/published/salten_2020.toml``, where they are
typed once with their source.

Case codes follow the running-number rule: per municipality and year, in the order referrals
came in (``01/20-FA`` … ``10/20-FA``), allocated with ``Team.next_case_code``. Hours fall on
working days (no weekends, no Norwegian public holidays), case work between a case's referral and
its closure, time in institution before the discharge; events of the pathway fall on working days.

It writes the clean log (``salten_2020_log.csv``, the TimeLog schema), the cases
(``salten_2020_cases.json``), and the same year as a team keeps it in Excel
(``salten_2020_messy.xlsx``: a sheet per month, titles above some headers, dates, hours,
categories and municipality names typed in many ways, empty trailing rows, and bad rows of every
kind), with ``salten_2020_messy_expected.json`` listing its bad rows and why they are bad. Read
with ``read_timelog``, the workbook's accepted rows are exactly the clean log.
The random generator is seeded, so the files are the same on every run.
"""

from __future__ import annotations

import datetime as dt
import io
import itertools
import json
import sys
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any, NamedTuple

import numpy as np
import pandas as pd

import ettervern as e
from ettervern._data import read_toml

D = dt.date
YEAR_END = D(2020, 12, 31)
SEED = 2020

PUBLIC_HOLIDAYS_2020 = frozenset(
    {
        D(2020, 1, 1),  # første nyttårsdag
        D(2020, 4, 9),  # skjærtorsdag
        D(2020, 4, 10),  # langfredag
        D(2020, 4, 12),  # første påskedag
        D(2020, 4, 13),  # andre påskedag
        D(2020, 5, 1),  # offentlig høytidsdag
        D(2020, 5, 17),  # grunnlovsdag
        D(2020, 5, 21),  # Kristi himmelfartsdag
        D(2020, 5, 31),  # første pinsedag
        D(2020, 6, 1),  # andre pinsedag
        D(2020, 12, 25),  # første juledag
        D(2020, 12, 26),  # andre juledag
    }
)
"""Norway's public holidays in 2020 (helligdagsfredloven § 2; lov om 1. og 17. mai)."""


class Planned(NamedTuple):
    """One referral of the year, before it has a code."""

    place: str
    referred: dt.date
    source: str
    stay: str
    days_inside: int
    accepted_inside: bool  # accepted while still inside: followed in institution
    weeks: int | None  # weeks of follow-up after discharge; None: still open at year end
    reason: str | None  # why it closed
    reached: bool | None  # the three-month check reached the person


PLAN = [
    Planned("Fauske", D(2020, 1, 13), "institution", "treatment", 48, True, 16, "completed", True),
    Planned("Fauske", D(2020, 8, 3), "correctional_service", "prison", 42, True, None, None, None),
    Planned("Fauske", D(2020, 1, 27), "municipal_service", "treatment", 10, False, 12, "completed", True),
    Planned("Fauske", D(2020, 2, 24), "gp", "mental_health", 14, False, 9, "withdrew", None),
    Planned("Fauske", D(2020, 3, 16), "institution", "treatment", 21, False, 20, "completed", False),
    Planned("Fauske", D(2020, 4, 20), "person", "treatment", 7, False, 14, "moved", None),
    Planned("Fauske", D(2020, 6, 8), "nav", "mental_health", 28, False, 10, "completed", True),
    Planned("Fauske", D(2020, 8, 17), "institution", "treatment", 14, False, None, None, None),
    Planned("Fauske", D(2020, 9, 21), "relatives", "treatment", 21, False, None, None, None),
    Planned("Fauske", D(2020, 10, 19), "institution", "prison", 10, False, None, None, None),
    Planned("Saltdal", D(2020, 2, 10), "institution", "treatment", 30, False, 12, "completed", True),
    Planned("Saltdal", D(2020, 9, 7), "municipal_service", "mental_health", 20, False, None, None, None),
    Planned("Beiarn", D(2020, 3, 2), "person", "treatment", 14, False, 8, "completed", True),
    Planned("Meløy", D(2020, 4, 6), "institution", "treatment", 30, False, 18, "long_term_treatment", None),
    Planned("Gildeskål", D(2020, 5, 4), "gp", "treatment", 21, False, 16, "no_show", None),
]  # fmt: skip
"""The fifteen cases of 2020 (published: Fauske 10, Saltdal 2, Beiarn 1, Meløy 1, Gildeskål 1)."""

STEIGEN = (
    "Steigen",
    D(2020, 1, 20),
    "correctional_service",
    "prison",
    D(2020, 2, 14),
    D(2020, 3, 6),
)
"""The Steigen referral: in prison, released, then the person withdrew before it was accepted."""


def allocate_codes(team: e.Team) -> tuple[list[str], str]:
    """The codes of ``PLAN`` and of the Steigen referral, by the running-number rule."""
    referrals = [(p.referred, p.place, i) for i, p in enumerate(PLAN)]
    referrals.append((STEIGEN[1], STEIGEN[0], len(PLAN)))
    codes: dict[int, str] = {}
    for _, place, i in sorted(referrals):
        codes[i] = str(team.next_case_code(codes.values(), municipality=place, year=2020))
    return [codes[i] for i in range(len(PLAN))], codes[len(PLAN)]


# The published figures (hours; collaboration in entries), typed once with their source in the
# package's data/published/salten_2020.toml; the tests read the same file and check that each
# table adds up to the report's own «Totalsum».
PUBLISHED = read_toml("published", "salten_2020.toml")


def _rows(table: dict[str, int]) -> dict[str, int]:
    return {place: figure for place, figure in table.items() if place != "Totalsum"}


IN_INSTITUTION = _rows(PUBLISHED["user_follow_up"]["in_institution"])
USER_FOLLOW_UP = _rows(PUBLISHED["user_follow_up"]["user_follow_up"])
DRIVING = _rows(PUBLISHED["driving"])
COLLABORATION = _rows(PUBLISHED["collaboration_entries"])


def is_working_day(day: dt.date) -> bool:
    return day.weekday() < 5 and day not in PUBLIC_HOLIDAYS_2020


def working_days(start: dt.date, end: dt.date) -> list[dt.date]:
    """The working days from ``start`` to ``end`` (at most the year's end), both included."""
    days = pd.bdate_range(start, min(end, YEAR_END))
    return [d.date() for d in days if is_working_day(d.date())]


def next_working_day(day: dt.date) -> dt.date:
    """``day`` if the team works that day, else the first working day after it."""
    while not is_working_day(day):
        day += dt.timedelta(days=1)
    return day


def split(rng: np.random.Generator, hours: float, parts: int) -> list[float]:
    """Split ``hours`` into ``parts`` positive amounts in half-hour steps, summing exactly."""
    halves = round(hours * 2)
    parts = max(1, min(parts, halves))
    cuts = (
        np.sort(rng.choice(np.arange(1, halves), size=parts - 1, replace=False))
        if parts > 1
        else []
    )
    edges = [0, *cuts, halves]
    return [(b - a) / 2 for a, b in itertools.pairwise(edges)]


def spread(
    rng: np.random.Generator, total: float, parts: int, days: list[dt.date]
) -> list[tuple[dt.date, float]]:
    amounts = split(rng, total, parts)
    chosen = sorted(rng.choice(len(days), size=len(amounts), replace=len(days) < len(amounts)))
    return [(days[i], h) for i, h in zip(chosen, amounts, strict=True)]


def outcome(rng: np.random.Generator, level: int, flags: tuple[str, ...] = ()) -> e.Outcome:
    domains = [d.value for d in e.LifeDomain]
    scores = {d: int(min(3, max(1, level + rng.integers(-1, 2)))) for d in domains}
    return e.Outcome.from_scores(scores, flags=flags)


def build_cases(
    rng: np.random.Generator, codes: list[str], steigen_code: str
) -> tuple[list[e.Case], dict[str, dict[str, dt.date]]]:
    cases: list[e.Case] = []
    spans: dict[str, dict[str, dt.date]] = {}
    genders = ["male", "male", "female"]
    for number, (code, plan) in enumerate(zip(codes, PLAN, strict=True)):
        place, referred, source, kind, inside, early, weeks, reason, reached = plan
        discharged = next_working_day(referred + dt.timedelta(days=inside))
        accepted = referred + dt.timedelta(days=7) if early else discharged
        case = e.Case.refer(
            code,
            on=referred,
            municipality=place,
            source=source,
            birth_year=int(1965 + rng.integers(0, 37)),
            gender=genders[number % 3],
        ).admit(on=referred, kind=kind)
        intake = outcome(rng, 1)
        plan_done = number != 1  # one individual plan is late, for the due list to show
        # The risk assessment before start where violence is known (seed 000: «kartlegging ved
        # farlighetsproblematikk før oppstart av sak»): every third case here.
        assessed = number % 3 == 0
        if early:  # accepted while still inside: followed in institution
            case = case.accept(on=accepted).assess(on=accepted, outcome=intake)
            if assessed:
                case = case.begin_step("risk_assessment", on=accepted)
            if plan_done:
                case = case.complete("individual_plan", on=discharged - dt.timedelta(days=2))
            case = case.discharge(on=discharged)
        else:
            case = case.discharge(on=discharged).accept(on=accepted)
            case = case.assess(on=accepted, outcome=intake)
            if assessed:
                case = case.begin_step("risk_assessment", on=accepted)
            if plan_done:
                case = case.complete("individual_plan", on=accepted)
        closed = (
            next_working_day(discharged + dt.timedelta(weeks=weeks)) if weeks is not None else None
        )
        if closed is not None:
            case = case.close(
                on=closed,
                reason=reason,
                report_delivered=reason != "moved",
                evaluation_given=reason in ("completed", "long_term_treatment"),
                taken_over_by="mental_health_and_substance_use" if reason == "completed" else None,
                outcome=outcome(rng, 2),
            )
            check = next_working_day((closed + pd.DateOffset(months=3)).date())
            if reached is not None and check <= YEAR_END:
                flags = (
                    ("ordinary_work",)
                    if number % 4 == 0
                    else ("relapse",)
                    if number % 4 == 1
                    else ()
                )
                case = case.record_three_month_check(
                    on=check,
                    reached=reached,
                    outcome=outcome(rng, 3, flags) if reached else None,
                )
        cases.append(case)
        spans[code] = {
            "referred": referred,
            "accepted": accepted,
            "discharged": discharged,
            "end": closed or YEAR_END,
        }
    code = steigen_code
    place, referred, source, kind, discharged, closed = STEIGEN
    steigen = (
        e.Case.refer(code, on=referred, municipality=place, source=source)
        .admit(on=referred, kind=kind)
        .discharge(on=discharged)
        .close(on=closed, reason="withdrew")
    )
    cases.append(steigen)
    spans[code] = {
        "referred": referred,
        "accepted": referred,
        "discharged": discharged,
        "end": closed,
    }
    return cases, spans


def weights(codes: list[str], spans: dict[str, dict[str, dt.date]], start: str) -> np.ndarray:
    lengths = np.array([(spans[c]["end"] - spans[c][start]).days + 1 for c in codes], dtype=float)
    return lengths / lengths.sum()


def share_hours(total: float, shares: np.ndarray) -> list[float]:
    """Divide whole/half hours between cases in proportion, exactly."""
    halves = round(total * 2)
    raw = shares * halves
    base = np.floor(raw).astype(int)
    for i in np.argsort(raw - base)[::-1][: halves - base.sum()]:
        base[i] += 1
    return [b / 2 for b in base]


def build_log(
    rng: np.random.Generator,
    spans: dict[str, dict[str, dt.date]],
    codes: list[str],
    steigen_code: str,
) -> pd.DataFrame:
    rows: list[dict[str, object]] = []

    def add(
        case: str | None,
        place: str,
        category: str,
        entries: list[tuple[dt.date, float]],
        staff: int = 2,
    ) -> None:
        rows.extend(
            {
                "case": case,
                "date": day,
                "municipality": place,
                "category": category,
                "hours": h,
                "staff": staff,
            }
            for day, h in entries
        )

    by_place: dict[str, list[str]] = {}
    for code, plan in zip(codes, PLAN, strict=True):
        by_place.setdefault(plan.place, []).append(code)
    by_place["Steigen"] = [steigen_code]
    # In institution: the two Fauske cases followed inside, and the Steigen referral.
    inside = [code for code, plan in zip(codes, PLAN, strict=True) if plan.accepted_inside]
    for code, hours in zip([*inside, steigen_code], (16.0, 12.0, 2.0), strict=True):
        span = spans[code]
        days = working_days(span["referred"], span["discharged"] - dt.timedelta(days=1))
        place = "Steigen" if code == steigen_code else "Fauske"
        add(code, place, "in_institution", spread(rng, hours, max(1, round(hours / 2)), days))
    assert sum(r["hours"] for r in rows) == sum(IN_INSTITUTION.values())  # type: ignore[misc]
    for place, in_place in by_place.items():
        # User follow-up after the stay, shared by the length of each case's follow-up.
        for code, hours in zip(
            in_place,
            share_hours(USER_FOLLOW_UP[place], weights(in_place, spans, "discharged")),
            strict=True,
        ):
            if hours:
                days = working_days(
                    max(spans[code]["discharged"], spans[code]["accepted"]), spans[code]["end"]
                )
                add(
                    code,
                    place,
                    "user_follow_up",
                    spread(rng, hours, max(1, round(hours / 2.5)), days),
                )
        for code, hours in zip(
            in_place, share_hours(DRIVING[place], weights(in_place, spans, "accepted")), strict=True
        ):
            if hours:
                days = working_days(spans[code]["accepted"], spans[code]["end"])
                add(code, place, "driving", spread(rng, hours, max(1, round(hours / 1.5)), days))
        counts = share_hours(COLLABORATION[place] / 2, weights(in_place, spans, "referred"))
        for code, half_count in zip(in_place, counts, strict=True):
            count = round(half_count * 2)
            if count:
                days = working_days(spans[code]["referred"], spans[code]["end"])
                picked = sorted(rng.choice(len(days), size=count, replace=len(days) < count))
                add(
                    code,
                    place,
                    "collaboration",
                    [(days[i], float(rng.integers(1, 4)) / 2) for i in picked],
                )
        # Some appointments the person did not come to.
        for code in in_place[::3]:
            days = working_days(spans[code]["accepted"], spans[code]["end"])
            add(code, place, "no_show", spread(rng, 1.5, 1, days))
    year = working_days(D(2020, 1, 2), YEAR_END)
    for place in ("Hamarøy", "Sørfold"):  # work with the municipality's services, no case
        add(None, place, "driving", spread(rng, DRIVING[place], 1, year))
        picked = sorted(rng.choice(len(year), size=COLLABORATION[place], replace=False))
        add(None, place, "collaboration", [(year[i], 1.0) for i in picked])
    picked = sorted(rng.choice(len(year), size=COLLABORATION["Felles"], replace=False))
    add(None, "Felles", "collaboration", [(year[i], 1.5) for i in picked])
    add(
        None,
        "Felles",
        "supervision",
        [(d, 1.5) for d in year if d.weekday() == 2 and d.month != 7],
        staff=4,
    )
    add(None, "Felles", "networking", spread(rng, 46.0, 20, year))
    add(None, "Felles", "administration", spread(rng, 38.5, 30, year))
    peer = codes[4]  # a long follow-up in Fauske, with a peer worker along
    add(
        peer,
        "Fauske",
        "peer_worker",
        spread(rng, 6.0, 4, working_days(spans[peer]["accepted"], spans[peer]["end"])),
    )
    for code, place in (("01/20-ME", "Meløy"), ("01/20-GI", "Gildeskål")):
        add(
            code,
            place,
            "overnight",
            spread(rng, 16.0, 2, working_days(spans[code]["accepted"], spans[code]["end"])),
        )
    frame = pd.DataFrame(rows).sort_values(["date", "municipality", "category"], kind="stable")
    return frame.reset_index(drop=True)


# -- the messy workbook ------------------------------------------------------------------------

MONTHS = [
    "Januar",
    "Februar",
    "Mars",
    "April",
    "Mai",
    "Juni",
    "Juli",
    "August",
    "September",
    "Oktober",
    "November",
    "Desember",
]


def _national_id(rng: np.random.Generator) -> str:
    """A made-up 11-digit number with valid check digits, built here, never written down."""
    w1, w2 = (3, 7, 6, 1, 8, 9, 4, 5, 2), (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)
    while True:
        digits = [
            int(c) for c in f"1503{int(rng.integers(70, 99))}{int(rng.integers(100, 499)):03d}"
        ]
        k1 = 11 - sum(a * b for a, b in zip(w1, digits, strict=False)) % 11
        k1 = 0 if k1 == 11 else k1
        if k1 == 10:
            continue
        k2 = 11 - sum(a * b for a, b in zip(w2, [*digits, k1], strict=False)) % 11
        k2 = 0 if k2 == 11 else k2
        if k2 != 10:
            return "".join(map(str, [*digits, k1, k2]))


def write_messy(
    frame: pd.DataFrame, team: e.Team, out: Path, rng: np.random.Generator, codes: list[str]
) -> None:
    """The same year as a team keeps it in Excel, with bad rows of every kind among the good ones.

    Each good row is typed in one of several ways; the bad rows carry the reason ``read_timelog``
    must give (a fragment of it), written to ``salten_2020_messy_expected.json``. The staff column
    (*Ansatte*) is filled only where it differs from the team's two, as teams that keep it do.
    """
    import openpyxl

    names = {c.key: c.name for c in team.categories}
    book = openpyxl.Workbook()
    book.remove(book.active)
    expected: list[dict[str, object]] = []
    good = 0
    fauske = [c for c in codes if c.endswith("-FA")]
    excel_epoch = D(1899, 12, 30)
    for month, label in enumerate(MONTHS, start=1):
        sheet = book.create_sheet(label)
        if month % 3 == 1:  # a title and a blank row above the header on some sheets
            sheet.append([f"Ressursregistrering {label.lower()} 2020"])
            sheet.append([])
        header = ["Sak", "Dato", "Kommune", "Hendelse", "Tidsbruk", "Ansatte"]
        if month % 4 == 0:  # headers typed another way
            header = ["SAK", "Dato:", "kommune", "Hendelse", "Timer", "Antall ansatte"]
        sheet.append(header)
        rows = frame[pd.to_datetime(frame["date"]).dt.month == month]
        for i, row in enumerate(rows.itertuples(index=False)):
            day, hours, place, category = row.date, row.hours, row.municipality, row.category
            date_cell: object = [
                day,
                day.strftime("%d.%m.%Y"),
                day.strftime("%d/%m-%Y"),
                day.isoformat(),
                (day - excel_epoch).days,  # a date column without a date format: a serial
            ][i % 5]
            hours_cell: object = [hours, f"{hours:g}".replace(".", ","), f"{hours:g} t"][i % 3]
            category_cell: object = [
                names[category],
                names[category].lower() + " ",
                team.categories.get(category).number,
            ][i % 3]
            if category == "user_follow_up" and i % 2:
                category_cell = "Bruker oppfølging"
            place_cell = {0: place, 1: place.upper(), 2: f" {place} "}[i % 3]
            if place == "Hamarøy":
                place_cell = ["Hamarøy", "Hábmer - Hamarøy", "hamarøy - hábmer"][i % 3]
            staff = None if row.staff == team.staff_per_case else int(row.staff)
            case = row.case if isinstance(row.case, str) else None
            sheet.append([case, date_cell, place_cell, category_cell, hours_cell, staff])
            good += 1
        for cells, column, reason in BAD_ROWS[month](fauske, rng):
            sheet.append([*cells, None])
            expected.append(
                {"sheet": label, "row": sheet.max_row, "column": column, "reason": reason}
            )
        sheet.append([None] * 6)  # empty trailing rows
        sheet.append([None] * 6)
    save_reproducibly(book, out / "salten_2020_messy.xlsx")
    (out / "salten_2020_messy_expected.json").write_text(
        json.dumps({"accepted": good, "rejected": expected}, ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )


STAMP = dt.datetime(2021, 1, 4, 8, 0, 0, tzinfo=dt.UTC)
"""The workbook's creation time and its zip members' timestamps, fixed so each run is the same."""


def save_reproducibly(book: Any, path: Path) -> None:  # an openpyxl Workbook
    """Save an openpyxl workbook so that the same content gives the same bytes.

    openpyxl stamps the document properties (``modified`` on every save) and every zip member
    with the current time; both are set to ``STAMP`` instead, and the members keep openpyxl's order.
    """
    from openpyxl.xml.functions import tostring

    buffer = io.BytesIO()
    book.save(buffer)
    properties = book.properties
    properties.created = properties.modified = STAMP.replace(tzinfo=None)  # openpyxl: naive UTC
    core = tostring(properties.to_tree())
    with (
        zipfile.ZipFile(buffer) as source,
        zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            member = zipfile.ZipInfo(info.filename, date_time=STAMP.timetuple()[:6])
            member.compress_type = zipfile.ZIP_DEFLATED
            member.external_attr = 0o644 << 16
            data = core if info.filename == "docProps/core.xml" else source.read(info.filename)
            target.writestr(member, data)


BadRows = list[tuple[list[object], str, str]]

BAD_ROWS: dict[int, Callable[[list[str], np.random.Generator], BadRows]] = {
    1: lambda fa, _: [
        ([fa[0], "14.01.2020", "Bodø", "Kjøring", 1], "municipality", "not a member"),
    ],
    2: lambda fa, _: [
        ([fa[0], "12.02.2020", "Fauske", "Kaffepause", 1], "category", "not a category"),
        ([fa[1], "13.02.2020", "Fauske", None, 1], "category", "missing category"),
        ([fa[1], "31.02.2020", "Fauske", 1, 1], "date", "no such date"),
    ],
    3: lambda fa, _: [
        ([fa[2], "16.03.2020", "Fauske", 1, 0], "hours", "more than 0"),
    ],
    4: lambda fa, _: [
        ([fa[3], "14.04.2020", "Fauske", 1, 0.3], "hours", "steps of 0.5"),
        ([fa[3], "15.04.2020", "Fauske", 1, "mye"], "hours", "not a number"),
    ],
    5: lambda fa, _: [
        ([fa[4], None, "Fauske", 1, 1], "date", "missing or not a date"),
        ([None, "12.05.2020", "Rødøy", "Kjøring", 1], "municipality", "only from 2020-09-01"),
    ],
    6: lambda fa, _: [
        ([fa[5], "12.06.2020", None, 1, 1], "municipality", "missing municipality"),
    ],
    7: lambda fa, _: [
        ([fa[5], "14.07.2020", "Felles", "Nettverksarbeid", 1], "case", "carry no case"),
    ],
    8: lambda fa, _: [
        ([fa[6].replace("FA", "ST"), "12.08.2020", "Fauske", 1, 1], "case", "do not match"),
        (["01/20-XY", "13.08.2020", "Fauske", 1, 1], "case", "not a member municipality's"),
    ],
    9: lambda _, rng: [
        ([_national_id(rng), "15.09.2020", "Fauske", 1, 1], "case", "national identity number"),
    ],
    10: lambda _, __: [
        (["Ola Nordmann", "13.10.2020", "Fauske", 1, 1], "case", "looks like a name"),
    ],
    11: lambda fa, _: [
        ([fa[7], "12.11.2020", "Andre kommuner", 1, 1], "municipality", "only collaboration and driving"),
    ],
    12: lambda _, __: [
        (["01/21-FA", "14.12.2020", "Fauske", 1, 1], "case", "year is after"),
        ([None, "04.01.2021", "Felles", "Administrasjonsarbeid", 1], "category", "only until 2020-12-31"),
    ],
}  # fmt: skip
"""The bad rows of each month's sheet: cells, the column at fault, a fragment of the reason."""


def main(out: Path) -> None:
    out.mkdir(parents=True, exist_ok=True)
    rng = np.random.default_rng(SEED)
    team = e.teams.salten()
    codes, steigen_code = allocate_codes(team)
    cases, spans = build_cases(rng, codes, steigen_code)
    frame = build_log(rng, spans, codes, steigen_code)
    log = e.TimeLog.from_frame(frame, team=team)  # validates every entry
    log.to_frame().assign(date=lambda f: f["date"].dt.strftime("%Y-%m-%d")).to_csv(
        out / "salten_2020_log.csv", index=False, lineterminator="\n"
    )
    e.write_cases(cases, out / "salten_2020_cases.json")
    write_messy(frame, team, out, rng, codes)
    print(f"wrote {len(log)} entries and {len(cases)} cases and referrals to {out}")


if __name__ == "__main__":
    default = Path(__file__).resolve().parent.parent / "src" / "ettervern" / "_data" / "examples"
    target = Path(sys.argv[1]) if len(sys.argv) > 1 else default
    main(target if target.suffix == "" else target.parent)
