"""People, not only cases: distinct people and episodes, and counting shared people across
services without exchanging identities.

A case is one **episode** (sak). With a keyed pseudonym on each case ([`Case.person`][ettervern.Case.person], made by
[`pseudonym`][ettervern.privacy.pseudonym]), reports count distinct **people** too: a person with two
episodes in a year, or followed in two municipalities, is one person. A case without a pseudonym
cannot be linked to another and counts as a person of its own.

STYRK (seed ``001_…``) could not add up its services' figures because their duty of
confidentiality kept them from comparing lists of people, so the municipality's total counted
the same people several times. [`count_shared_people`][ettervern.tables.count_shared_people] counts the people the services share
from pseudonyms alone; see ``docs/privacy.md`` for the protocol.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence

import attrs
import pandas as pd

from ettervern._core import Team, check_field
from ettervern._l10n import N_, Message, norwegian_sort_key
from ettervern._pathway import PSEUDONYM, Case, active_between
from ettervern._reports._report import Report, measure_report
from ettervern.errors import InvalidValueError

__all__ = [
    "SharedPeople",
    "count_shared_people",
    "people_by_year",
    "people_report",
    "person_key",
]

Period = tuple[dt.date, dt.date]


def person_key(case: Case) -> str:
    """Who a case is about, for counting: its pseudonym, or the case itself when it has none."""
    return case.person if case.person is not None else f"case:{case.code}"


def _people_table(groups: Mapping[str, list[Case]]) -> pd.DataFrame:
    rows = {}
    for key, cases in groups.items():
        people: dict[str, int] = {}
        for case in cases:
            people[person_key(case)] = people.get(person_key(case), 0) + 1
        rows[key] = {
            "episodes": float(len(cases)),
            "people": float(len(people)),
            "people_several_episodes": float(sum(n > 1 for n in people.values())),
        }
    return pd.DataFrame.from_dict(
        rows, orient="index", columns=["episodes", "people", "people_several_episodes"]
    )


def _totals(cases: Sequence[Case]) -> dict[str, float]:
    people: dict[str, int] = {}
    for case in cases:
        people[person_key(case)] = people.get(person_key(case), 0) + 1
    return {
        "people": float(len(people)),
        "people_several_episodes": float(sum(n > 1 for n in people.values())),
    }


_NOTES = (
    N_("Episodes are accepted cases open on some day of the period; people are counted once."),
    N_("The total counts each person once, even one followed in two municipalities."),
    N_("A case without a pseudonym counts as a person of its own."),
)


def people_report(cases: Sequence[Case], team: Team | None, period: Period) -> Report:
    """Episodes and distinct people per municipality in ``period``.

    >>> import datetime as dt
    >>> someone = "k" * 26  # what privacy.pseudonym(number, key=...) gives: 26 of a-z, 2-7
    >>> cases = [
    ...     Case.refer(code, on=dt.date(2020, month, 1), municipality="Fauske", person=someone)
    ...     .accept(on=dt.date(2020, month, 2))
    ...     .close(on=dt.date(2020, month, 20), reason="completed")
    ...     for code, month in (("01/20-FA", 2), ("02/20-FA", 9))
    ... ]
    >>> table = people_report(cases, None, (dt.date(2020, 1, 1), dt.date(2020, 12, 31)))
    >>> table.value("Fauske", "episodes"), table.value("Fauske", "people")
    (2.0, 1.0)
    """
    start, end = period
    active = [c for c in cases if active_between(c, start, end)]
    groups: dict[str, list[Case]] = {}
    for case in active:
        groups.setdefault(case.municipality.name, []).append(case)
    wide = _people_table(groups)
    wide = wide.reindex(sorted(wide.index, key=norwegian_sort_key))
    return measure_report(
        wide,
        key="people",
        title=N_("People and episodes"),
        rows="municipality",
        unit="people",
        period=period,
        team=team,
        total_values=_totals(active),
        notes=_NOTES,
        blank_zeros=True,
    )


def people_by_year(cases: Sequence[Case], years: Iterable[int], team: Team | None = None) -> Report:
    """Episodes and distinct people per calendar year: the same person in two years counts in
    each, once."""
    chosen = sorted(set(years))
    check_field(
        bool(chosen),
        "{field} must name at least one year, got {value!r}",
        field="years",
        value=chosen,
    )
    groups = {
        str(year): [
            c for c in cases if active_between(c, dt.date(year, 1, 1), dt.date(year, 12, 31))
        ]
        for year in chosen
    }
    wide = _people_table(groups)
    everyone = [c for group in groups.values() for c in group]
    unique = list({id(c): c for c in everyone}.values())
    return measure_report(
        wide,
        key="people_by_year",
        title=N_("People and episodes by year"),
        rows="year",
        unit="people",
        period=(dt.date(chosen[0], 1, 1), dt.date(chosen[-1], 12, 31)),
        team=team,
        total_values={**_totals(unique), "episodes": float(len(unique))},
        notes=_NOTES[::2],
        blank_zeros=True,
    )


def _pseudonyms(service: str, items: Iterable[str | Case]) -> set[str]:
    found: set[str] = set()
    for item in items:
        value = item.person if isinstance(item, Case) else item
        if value is None or not isinstance(value, str) or not PSEUDONYM.match(value):
            msg = Message(
                "service {service!r}: every person must be given by a pseudonym made with the "
                "shared key (ettervern.privacy.pseudonym); a case without one cannot be matched",
                service=service,
            )
            raise InvalidValueError(msg, field="person", value=service)
        found.add(value)
    return found


@attrs.frozen
class SharedPeople:
    """How many people each service follows, how many they share, and how many there are."""

    per_service: Mapping[str, int]
    """Distinct people per service, as each would report alone."""
    shared: int
    """People followed by two or more of the services."""
    distinct: int
    """People followed by any of them: the municipality's true total."""

    @property
    def sum_of_services(self) -> int:
        """What adding up the services' own counts gives (STYRK's double-counted total)."""
        return sum(self.per_service.values())

    @property
    def double_counted(self) -> int:
        """How many the sum of the services counts too many."""
        return self.sum_of_services - self.distinct

    def to_report(self, period: Period | None = None) -> Report:
        """The counts as a table: a row per service, then the people shared and the total."""
        rows = {name: float(count) for name, count in self.per_service.items()}
        rows["shared"] = float(self.shared)
        rows["distinct"] = float(self.distinct)
        wide = pd.DataFrame({"people": rows})
        return measure_report(
            wide,
            key="shared_people",
            title=N_("People shared between services"),
            rows="service",
            unit="people",
            period=period,
            team=None,
            total_row=False,
            notes=[
                N_(
                    "Counted from pseudonyms made with a key both services hold; "
                    "no identity was exchanged."
                )
            ],
        )


def count_shared_people(services: Mapping[str, Iterable[str | Case]]) -> SharedPeople:
    """Count the people several services follow, from pseudonyms alone.

    ``services`` maps each service's name to its people: pseudonyms that it made with
    [`pseudonym`][ettervern.privacy.pseudonym] under the key all of them hold, or its cases carrying
    them. Only pseudonyms are compared; see the protocol in ``docs/privacy.md``.

    >>> ann, bo, cy = ("a" * 26, "b" * 26, "c" * 26)  # pseudonyms, as privacy.pseudonym gives
    >>> nav, gp = [ann, bo], [bo, cy]
    >>> counted = count_shared_people({"NAV": nav, "Legetjenesten": gp})
    >>> counted.sum_of_services, counted.shared, counted.distinct, counted.double_counted
    (4, 1, 3, 1)

    Raises:
        InvalidValueError: an entry is not a pseudonym (a case without one cannot be matched).
    """
    sets = {name: _pseudonyms(name, items) for name, items in services.items()}
    seen: dict[str, int] = {}
    for found in sets.values():
        for pseudonym in found:
            seen[pseudonym] = seen.get(pseudonym, 0) + 1
    return SharedPeople(
        per_service={name: len(found) for name, found in sets.items()},
        shared=sum(n > 1 for n in seen.values()),
        distinct=len(seen),
    )
