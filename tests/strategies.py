"""Hypothesis strategies shared by the test modules."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
from collections.abc import Callable

import attrs
from hypothesis import strategies as st

import ettervern as e

NORWEGIAN_CAPITALS = "ABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅ"

letters = st.text(alphabet=NORWEGIAN_CAPITALS, min_size=1, max_size=4)
"""Code letters as a team may choose them (``ST``, ``SØ``, ``RØD``)."""

years = st.integers(min_value=2000, max_value=2099)
numbers = st.integers(min_value=1, max_value=99_998)
"""Running numbers of existing codes (one below the highest, so that one more can be allocated)."""


@st.composite
def case_codes(draw: st.DrawFn, scheme: e.CodeScheme = e.DEFAULT_SCHEME) -> e.CaseCode:
    """Any valid case code in ``scheme``."""
    return e.CaseCode(
        year=draw(years), municipality=draw(letters), number=draw(numbers), scheme=scheme
    )


schemes = st.builds(
    e.CodeScheme,
    pattern=st.sampled_from(
        [
            "{number}/{yy}-{letters}",
            "{letters}-{yyyy}-{number}",
            "SAK {number}.{yy} {letters}",
            "{yyyy}{letters}{number}",
        ]
    ),
    number_width=st.integers(min_value=1, max_value=4),
)

dates = st.dates(min_value=dt.date(2000, 1, 1), max_value=dt.date(2099, 12, 31))

_name_chars = st.sampled_from(
    list("abcdefghijklmnopqrstuvwxyzæøåABCDEFGHIJKLMNOPQRSTUVWXYZÆØÅéá -")
)
names = st.text(_name_chars, min_size=1, max_size=12)
"""Place-like names in the Norwegian alphabet, with accents, spaces and hyphens."""


# -- time logs -------------------------------------------------------------------------------

SALTEN_MEMBERS = {
    m.municipality.name: m.letters
    for m in e.teams.salten().members
    if m.since is None or m.since <= dt.date(2020, 1, 1)
}
"""Salten members all year 2020 (Rødøy joined in September and is left out for simplicity)."""

CASE_CATEGORIES = ["user_follow_up", "driving", "collaboration", "in_institution", "no_show"]
SHARED_CATEGORIES = ["networking", "supervision", "collaboration", "administration"]


@st.composite
def salten_rows(draw: st.DrawFn) -> dict[str, object]:
    """One valid Salten time-log row of 2020, as the columns of ``TimeLog.to_frame()``."""
    day = draw(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2020, 12, 31)))
    place = draw(st.sampled_from([*SALTEN_MEMBERS, "Felles", "Andre kommuner"]))
    hours = draw(st.integers(min_value=1, max_value=16)) / 2
    staff = draw(st.integers(min_value=1, max_value=4))
    if place == "Felles":
        return {
            "case": None,
            "date": day,
            "municipality": place,
            "category": draw(st.sampled_from(SHARED_CATEGORIES)),
            "hours": hours,
            "staff": staff,
        }
    if place == "Andre kommuner":
        member = draw(st.sampled_from(sorted(SALTEN_MEMBERS)))
        number = draw(st.integers(min_value=1, max_value=5))
        return {
            "case": f"{number:02d}/20-{SALTEN_MEMBERS[member]}",
            "date": day,
            "municipality": place,
            "category": draw(st.sampled_from(["collaboration", "driving"])),
            "hours": hours,
            "staff": staff,
        }
    with_case = draw(st.booleans())
    number = draw(st.integers(min_value=1, max_value=5))
    return {
        "case": f"{number:02d}/20-{SALTEN_MEMBERS[place]}" if with_case else None,
        "date": day,
        "municipality": place,
        "category": draw(
            st.sampled_from(CASE_CATEGORIES if with_case else ["driving", "collaboration"])
        ),
        "hours": hours,
        "staff": staff,
    }


salten_logs = st.lists(salten_rows(), min_size=1, max_size=60)
"""Lists of valid Salten rows for 2020; build a log with ``TimeLog.from_frame``."""


# -- national identity numbers (made up here, never written down) -----------------------------

_W1 = (3, 7, 6, 1, 8, 9, 4, 5, 2)
_W2 = (5, 4, 3, 2, 7, 6, 5, 4, 3, 2)


def _control(digits: list[int], weights: tuple[int, ...]) -> int | None:
    k = 11 - sum(d * w for d, w in zip(digits, weights, strict=False)) % 11
    return 0 if k == 11 else None if k == 10 else k


@st.composite
def national_ids(draw: st.DrawFn, kind: str | None = None) -> str:
    """A valid synthetic fødselsnummer, D-number or H-number, built with its check digits."""
    born = draw(st.dates(min_value=dt.date(1940, 1, 1), max_value=dt.date(2024, 12, 31)))
    kind = kind or draw(st.sampled_from(["f", "d", "h"]))
    # Born 2000-2024 (not in the future): individual numbers 500-999; born 1940-1999: 000-499 (Skatteetaten).
    individual = draw(st.integers(500, 999) if born.year >= 2000 else st.integers(0, 499))
    day = born.day + (40 if kind == "d" else 0)
    month = born.month + (40 if kind == "h" else 0)
    digits = [int(c) for c in f"{day:02d}{month:02d}{born.year % 100:02d}{individual:03d}"]
    first = _control(digits, _W1)
    if first is None:
        return draw(national_ids(kind))
    second = _control([*digits, first], _W2)
    if second is None:
        return draw(national_ids(kind))
    return "".join(map(str, [*digits, first, second]))


# -- people and staff -----------------------------------------------------------------------------

BASE32 = "abcdefghijklmnopqrstuvwxyz234567"

pseudonyms = st.text(alphabet=BASE32, min_size=26, max_size=26)
"""Strings shaped like :func:`ettervern.privacy.pseudonym`'s (no number behind them)."""


def fake_pseudonym(index: int) -> str:
    """A fixed pseudonym for person number ``index`` of a synthetic year (no number behind it)."""
    digest = hashlib.sha256(f"person {index}".encode()).digest()
    return base64.b32encode(digest).decode("ascii").lower()[:26]


staff_ids = st.sampled_from(["KB", "AH", "m3", "TO-2"])
"""Staff ids as a roster has them: initials or pseudonymous ids."""


# -- care pathways -------------------------------------------------------------------------------

outcomes = st.builds(
    e.Outcome.from_scores,
    st.dictionaries(st.sampled_from(list(e.LifeDomain)), st.sampled_from(list(e.Score))),
    st.frozensets(st.sampled_from(list(e.OutcomeFlag))),
)
"""Any outcome: some domains scored, some flags set."""


def _close(case: e.Case, on: dt.date, draw: st.DrawFn) -> e.Case:
    return case.close(
        on=on,
        reason=draw(st.sampled_from(list(e.ClosureReason))),
        report_delivered=draw(st.booleans()),
        evaluation_given=draw(st.booleans()),
        taken_over_by=draw(st.none() | st.just("psykisk helse og rus")),
        outcome=draw(st.none() | outcomes),
    )


def _check(case: e.Case, on: dt.date, draw: st.DrawFn) -> e.Case:
    reached = draw(st.booleans())
    outcome = draw(st.none() | outcomes) if reached else None
    return case.record_three_month_check(on=on, reached=reached, outcome=outcome)


_RECORD: dict[str, Callable[[e.Case, dt.date, st.DrawFn], e.Case]] = {
    "accept": lambda case, on, _: case.accept(on=on),
    "decline": lambda case, on, _: case.decline(on=on),
    "admit": lambda case, on, draw: case.admit(on=on, kind=draw(st.sampled_from(list(e.StayKind)))),
    "discharge": lambda case, on, _: case.discharge(on=on),
    "begin_step": lambda case, on, draw: case.begin_step(
        draw(st.sampled_from(["mapping", "plan_and_goals"])), on=on
    ),
    "complete": lambda case, on, draw: case.complete(
        draw(st.sampled_from(["individual_plan", "closure_report"])), on=on
    ),
    "assess": lambda case, on, draw: case.assess(on=on, outcome=draw(outcomes)),
    "close": _close,
    "reopen": lambda case, on, _: case.reopen(on=on),
    "check": _check,
    "assign_staff": lambda case, on, draw: case.assign_staff(
        draw(staff_ids), on=on, coordinator=draw(st.booleans())
    ),
    "release_staff": lambda case, on, draw: case.release_staff(draw(staff_ids), on=on),
}


EVENT_START = dt.date(2020, 3, 2)
"""The day :data:`any_events` are dated (move them with ``attrs.evolve``)."""

_EVENTS: dict[type, st.SearchStrategy[e.events.Event]] = {
    e.events.Referral: st.builds(e.events.Referral, on=st.just(EVENT_START)),
    e.events.Acceptance: st.builds(e.events.Acceptance, on=st.just(EVENT_START)),
    e.events.Decline: st.builds(e.events.Decline, on=st.just(EVENT_START)),
    e.events.Admission: st.builds(
        e.events.Admission, on=st.just(EVENT_START), kind=st.sampled_from(list(e.StayKind))
    ),
    e.events.Discharge: st.builds(e.events.Discharge, on=st.just(EVENT_START)),
    e.events.StepStarted: st.builds(
        e.events.StepStarted, on=st.just(EVENT_START), step=st.just("mapping")
    ),
    e.events.TaskDone: st.builds(
        e.events.TaskDone,
        on=st.just(EVENT_START),
        task=st.sampled_from(["closure_report", "evaluation_form", "plan"]),
    ),
    e.events.Closure: st.builds(
        e.events.Closure,
        on=st.just(EVENT_START),
        reason=st.sampled_from(list(e.ClosureReason)),
        report_delivered=st.booleans(),
        evaluation_given=st.booleans(),
    ),
    e.events.Reopening: st.builds(e.events.Reopening, on=st.just(EVENT_START)),
    e.events.ThreeMonthCheck: st.builds(
        e.events.ThreeMonthCheck, on=st.just(EVENT_START), reached=st.booleans()
    ),
    e.events.Assessment: st.builds(e.events.Assessment, on=st.just(EVENT_START), outcome=outcomes),
    e.events.StaffAssigned: st.builds(
        e.events.StaffAssigned, on=st.just(EVENT_START), staff=staff_ids
    ),
    e.events.StaffReleased: st.builds(
        e.events.StaffReleased, on=st.just(EVENT_START), staff=staff_ids
    ),
}
any_events = st.one_of(*_EVENTS.values())
"""An event of any kind, valid on its own, dated :data:`EVENT_START`."""

_CHECK_EDGES = st.sampled_from([27, 28, 29, 30, 31, 32, 33, 364, 365, 366, 367])
"""Days from a closure to the edges of the three-month check's window (a month, a year)."""


def _gap(draw: st.DrawFn) -> int:
    """Days from one event to the next: mostly a few days on, at times back, a month or a year
    on (the edges of the check's window), or far off (out of the plausible dates)."""
    kind = draw(_GAP_KINDS)
    if kind == "days":
        return draw(st.integers(min_value=0, max_value=40))
    if kind == "same day":
        return 0
    if kind == "back":
        return draw(st.integers(min_value=-3, max_value=-1))
    if kind == "check edge":
        return draw(_CHECK_EDGES)
    return draw(st.integers(min_value=-4000, max_value=4000))


_GAP_KINDS = st.sampled_from(
    ["days"] * 11 + ["same day"] * 4 + ["back"] * 2 + ["check edge"] * 2 + ["far"]
)


def _allowed(events: list[e.events.Event]) -> bool:
    try:
        e.Case("02/20-FA", "Fauske", events)
    except e.errors.PathwayError:
        return False
    return True


_LIKELY_NEXT: dict[type, tuple[type, ...]] = {
    e.events.Referral: (
        e.events.Acceptance,
        e.events.Decline,
        e.events.Admission,
        e.events.Closure,
    ),
    e.events.Acceptance: (
        e.events.Admission,
        e.events.Closure,
        e.events.StepStarted,
        e.events.Decline,
    ),
    e.events.Decline: (e.events.Acceptance, e.events.Closure),
    e.events.Admission: (e.events.Discharge, e.events.Closure, e.events.Admission),
    e.events.Discharge: (
        e.events.Closure,
        e.events.Admission,
        e.events.TaskDone,
        e.events.Discharge,
    ),
    e.events.Closure: (
        e.events.ThreeMonthCheck,
        e.events.Reopening,
        e.events.TaskDone,
        e.events.Closure,
    ),
    e.events.ThreeMonthCheck: (e.events.ThreeMonthCheck, e.events.Reopening, e.events.TaskDone),
    e.events.Reopening: (
        e.events.Closure,
        e.events.Admission,
        e.events.Reopening,
        e.events.ThreeMonthCheck,
    ),
}
"""The kinds of event that often come next, right or wrong (a second check, say): histories
drawn from them reach the rules about closures, checks and reopenings often."""


# sampled_from, not integers: hypothesis draws small integers (0) far more often than others.
_NINE_IN_TEN = st.sampled_from([True] * 9 + [False])
_ONE_IN_EIGHT = st.sampled_from([False] * 7 + [True])


@st.composite
def event_histories(draw: st.DrawFn, max_size: int = 14) -> list[e.events.Event]:
    """Event histories near the edge of the rules: mostly ones the rules allow, some broken at
    an event (any kind, any date), a few not starting with a referral."""
    events: list[e.events.Event] = []
    if draw(_NINE_IN_TEN):
        events.append(e.events.Referral(on=EVENT_START))
    on = EVENT_START
    for _ in range(draw(st.integers(min_value=0, max_value=max_size))):
        likely = _LIKELY_NEXT.get(type(events[-1]), ()) if events else ()
        if likely and draw(st.booleans()):
            event = draw(_EVENTS[draw(st.sampled_from(likely))])
        else:
            event = draw(any_events)
        on = max(dt.date(1985, 1, 1), on + dt.timedelta(days=_gap(draw)))
        dated = attrs.evolve(event, on=on)
        if _allowed([*events, dated]) or draw(_ONE_IN_EIGHT):
            events.append(dated)  # a broken event is kept one time in eight
    return events


ACTIONS = tuple(_RECORD)
"""The names of the recording methods a random history draws from (``check`` is the three-month
check)."""


def apply_action(case: e.Case, action: str, on: dt.date, draw: st.DrawFn) -> e.Case:
    """Record ``action`` (one of :data:`ACTIONS`) on ``case`` dated ``on``, drawing its details;
    may raise PathwayError."""
    return _RECORD[action](case, on, draw)


_PLAN_KEYS = st.sampled_from(
    ["individual_plan", "handover_meeting", "closure_report", "evaluation_form", "mapping"]
)

_PLAN: dict[str, Callable[[e.Case, dt.date, st.DrawFn], e.Case]] = {
    "waive": lambda case, on, draw: case.waive(
        draw(_PLAN_KEYS), on=on, reason=draw(st.sampled_from(list(e.events.WaiverReason)))
    ),
    "reschedule": lambda case, on, draw: case.reschedule(
        draw(_PLAN_KEYS), on=on, to=on + dt.timedelta(days=draw(st.integers(0, 60)))
    ),
    "expect_discharge": lambda case, on, draw: case.expect_discharge(
        on=on, expected=on + dt.timedelta(days=draw(st.integers(0, 30)))
    ),
}
PLANNING_ACTIONS = tuple(_PLAN)
"""Planning actions (a milestone waived or moved, a discharge expected): drawn by
``cases(planning=True)`` only, so that the histories other tests draw stay as they were."""


@st.composite
def cases(draw: st.DrawFn, max_events: int = 12, *, planning: bool = False) -> e.Case:
    """A valid case: a referral and random events, each a few days after the last; events the
    history refuses are left out. With ``planning``, milestones are also waived and moved and
    discharges expected."""
    on = draw(st.dates(min_value=dt.date(2020, 1, 1), max_value=dt.date(2030, 12, 31)))
    code = e.CaseCode(year=on.year, municipality=draw(letters), number=draw(numbers))
    case = e.Case.refer(
        code,  # given when the referral comes: the referral's year
        on=on,
        municipality=draw(st.sampled_from(sorted(SALTEN_MEMBERS))),
        source=draw(st.none() | st.sampled_from(list(e.ReferralSource))),
        person=draw(st.none() | pseudonyms),
    )
    actions = ACTIONS + PLANNING_ACTIONS if planning else ACTIONS
    for action in draw(st.lists(st.sampled_from(actions), max_size=max_events)):
        on += dt.timedelta(days=draw(st.integers(min_value=0, max_value=120)))
        try:
            case = (_PLAN.get(action) or _RECORD[action])(case, on, draw)
        except e.errors.PathwayError:
            continue
    return case


@st.composite
def typed_like_people(draw: st.DrawFn, text: str) -> str:
    """``text`` as people type it in a sheet: any mix of capitals and small letters, stray
    spaces or a tab around it, and spaces doubled inside."""
    cased = "".join(c.upper() if draw(st.booleans()) else c.lower() for c in text)
    inner = cased.replace(" ", " " * draw(st.integers(min_value=1, max_value=3)))
    before = draw(st.sampled_from(["", " ", "  "]))
    after = draw(st.sampled_from(["", " ", "   ", "\t"]))
    return before + inner + after


# -- releases that are hard to protect ------------------------------------------------------------

SMALL_CASE_ACTIONS = (
    "accept",
    "admit",
    "discharge",
    "close",
    "check",
    "assess",
    "decline",
    "reopen",
)


@st.composite
def small_case_sets(draw: st.DrawFn, years: tuple[int, ...] = (2020, 2021)) -> list[e.Case]:
    """Cases over ``years`` where most member municipalities have one or two: the hard case for
    disclosure control. Fauske, the host, may have more; ages, genders and sources vary."""
    out = []
    for name, letters in sorted(SALTEN_MEMBERS.items()):
        count = draw(st.integers(min_value=0, max_value=8 if name == "Fauske" else 2))
        for number in range(1, count + 1):
            year = draw(st.sampled_from(years))
            on = draw(st.dates(min_value=dt.date(year, 1, 1), max_value=dt.date(year, 12, 31)))
            case = e.Case.refer(
                f"{number:02d}/{year % 100:02d}-{letters}",
                on=on,
                municipality=name,
                source=draw(st.none() | st.sampled_from(list(e.ReferralSource))),
                birth_year=draw(st.none() | st.integers(min_value=1950, max_value=2004)),
                gender=draw(st.none() | st.sampled_from(list(e.Gender))),
            )
            for action in draw(st.lists(st.sampled_from(SMALL_CASE_ACTIONS), max_size=8)):
                on += dt.timedelta(days=draw(st.integers(min_value=0, max_value=90)))
                try:
                    case = apply_action(case, action, on, draw)
                except e.errors.PathwayError:
                    continue
            out.append(case)
    return out


@st.composite
def people_in_two_places(draw: st.DrawFn, cases: list[e.Case]) -> list[e.Case]:
    """``cases`` with pseudonyms that make some of them one person's: a pair (or three) of
    cases, in one municipality or in two, given the same pseudonym, the rest a person each.
    Some accepted cases get an individual plan made or declined, so that a person's plan in
    one municipality's case and none in another's is drawn (``plans_report`` takes the best).
    """
    out = list(cases)
    order = draw(st.permutations(range(len(out))))
    at = 0
    person = 0
    while at < len(order):
        size = draw(st.sampled_from([1, 1, 2, 2, 3]))
        for index in order[at : at + size]:
            out[index] = attrs.evolve(out[index], person=fake_pseudonym(person))
        at += size
        person += 1
    for index, case in enumerate(out):
        if case.accepted_on is None:
            continue
        plan = draw(st.sampled_from(["", "", "made", "declined"]))
        on = case.accepted_on + dt.timedelta(days=draw(st.integers(0, 30)))
        try:
            if plan == "made":
                out[index] = case.complete("individual_plan", on=on)
            elif plan == "declined":
                out[index] = case.waive("individual_plan", on=on, reason="declined")
        except e.errors.PathwayError:
            continue
    return out
