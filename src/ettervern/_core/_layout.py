"""A team's report layout as data: which hours tables its annual report opens with, and their
titles and notes in Bokmål, Nynorsk and English.

Each table adds up, per municipality and category, the hours (or counts the entries) of the
categories in a report group or of categories named by key. Without a layout a team gets one
table per report group it uses, titled from its own catalog (see [`default_layout()`][ettervern.tables.default_layout]), so no
team is shown another team's labels.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Literal

import attrs

from ettervern._core._categories import CategoryCatalog, ReportGroup
from ettervern._core._validators import check_one_of
from ettervern._l10n import LOCALES, N_, Label, Message, normalise_locale
from ettervern.errors import InvalidValueError

__all__ = [
    "EXTRA_TABLES",
    "LAYOUT_GROUPS",
    "ReportLayout",
    "ReportTable",
    "Texts",
    "default_layout",
]

EXTRA_TABLES = (
    "people",
    "courses",
    "course_length",
    "hours_per_person",
    "plans_and_coordinators",
    "three_month_deadline",
    "outcome_flags",
    "staff",
    "consent_and_goals",
)
"""The tables about people, courses, outcomes and staff a layout may ask for (``extras``), besides
``"instrument_<key>"`` for an outcome instrument."""


def _nb(_: object, attribute: attrs.Attribute[str], value: object) -> None:
    if not isinstance(value, str) or not value.strip():
        msg = Message(
            "{field} must be a non-empty text, got {value!r}", field=attribute.name, value=value
        )
        raise InvalidValueError(msg, field=attribute.name, value=value)


@attrs.frozen
class Texts:
    """A text in Bokmål (required), Nynorsk and English, given as data by a team."""

    nb: str = attrs.field(validator=_nb)
    nn: str | None = None
    en: str | None = None

    def render(self, locale: str | None = None) -> str:
        """The text in ``locale``, or the Bokmål when that language is not given."""
        return getattr(self, normalise_locale(locale)) or self.nb


LAYOUT_GROUPS = (
    ReportGroup.USER_FOLLOW_UP,
    ReportGroup.DRIVING,
    ReportGroup.TRAVEL,
    ReportGroup.COLLABORATION,
)
"""The report groups a default layout makes a table of, in this order, when a team uses them."""


def _rendered(make: Callable[[str], str]) -> Texts:
    """Texts made by rendering a label or message in each shipped language."""
    return Texts(**{loc: make(loc) for loc in LOCALES})


def _notes(value: Iterable[Texts]) -> tuple[Texts, ...]:
    return tuple(value)


def _group(value: ReportGroup | str | None) -> ReportGroup | None:
    return None if value is None else ReportGroup(value)


def _keys(value: object) -> tuple[str, ...]:
    return tuple(str(v) for v in value)  # type: ignore[attr-defined]


@attrs.frozen(kw_only=True)
class ReportTable:
    """One hours table of the annual report: municipalities (or months) by category.

    The categories are those of ``group`` (a [`ReportGroup`][ettervern.tables.ReportGroup]), or those named by key in
    ``categories``. ``measure`` is ``"hours"`` (a sum) or ``"entries"`` (a count, what Excel
    calls *Antall av Tidsbruk*).
    """

    key: str
    title: Texts
    group: ReportGroup | None = attrs.field(default=None, converter=_group)
    categories: tuple[str, ...] = attrs.field(default=(), converter=_keys)
    measure: Literal["hours", "entries"] = attrs.field(default="hours")
    rows: Literal["municipality", "month"] = attrs.field(default="municipality")
    """What the rows are: the municipalities (and buckets), or the months of the year."""
    notes: tuple[Texts, ...] = attrs.field(default=(), converter=_notes)

    @measure.validator
    def _check_measure(self, _: attrs.Attribute[str], value: str) -> None:
        check_one_of("measure", value, ("hours", "entries"))

    @rows.validator
    def _check_rows(self, _: attrs.Attribute[str], value: str) -> None:
        check_one_of("rows", value, ("municipality", "month"))

    def category_keys(self, catalog: CategoryCatalog) -> list[str]:
        """The keys of the table's categories in ``catalog``: in the order given, or for a
        group time in institution first, then catalog order (as the Salten report shows it)."""
        if self.group is None:
            return [catalog.get(k).key for k in self.categories]
        chosen = [c.key for c in catalog.in_group(self.group)]
        inside = {c.key for c in catalog.in_group(ReportGroup.IN_INSTITUTION)}
        return [k for k in chosen if k in inside] + [k for k in chosen if k not in inside]


def _tables(value: Iterable[ReportTable]) -> tuple[ReportTable, ...]:
    return tuple(value)


def _extras(value: Iterable[str] | None) -> tuple[str, ...] | None:
    return None if value is None else tuple(str(v) for v in value)


@attrs.frozen
class ReportLayout:
    """The hours tables a team's annual report opens with, in order, and the tables about
    people, courses, outcomes and staff it wants after the case tables."""

    tables: tuple[ReportTable, ...] = attrs.field(converter=_tables)
    extras: tuple[str, ...] | None = attrs.field(default=None, converter=_extras)
    """Keys of [`EXTRA_TABLES`][ettervern.tables.EXTRA_TABLES] or ``"instrument_<key>"``, in the
    order wanted; each is shown when the data allows it. ``None``: every one the data allows."""

    def check(self, catalog: CategoryCatalog) -> None:
        """Check that every table names categories or a group the catalog has.

        Raises:
            InvalidValueError: a table names an unknown category, both a group and categories,
                or neither, or a key twice.
        """
        keys = [t.key for t in self.tables]
        twice = sorted({k for k in keys if keys.count(k) > 1})
        if twice:
            msg = Message("report tables {twice!r} are listed more than once", twice=twice)
            raise InvalidValueError(msg, field="tables", value=twice)
        for table in self.tables:
            if (table.group is None) == (not table.categories):
                msg = Message(
                    "report table {key!r} must name either a group or categories", key=table.key
                )
                raise InvalidValueError(msg, field="tables", value=table.key)
            for key in table.categories:
                catalog.get(key)
        for key in self.extras or ():
            if key not in EXTRA_TABLES and not key.startswith("instrument_"):
                check_one_of("extras", key, [*EXTRA_TABLES, "instrument_<key>"])


def default_layout(catalog: CategoryCatalog) -> ReportLayout:
    """One table per report group of `LAYOUT_GROUPS` that the catalog uses.

    A group of one category is titled with that category's own name (*Reise*); a group of several
    with the group's name. Collaboration is shown as hours and as a count of entries.
    """
    tables: list[ReportTable] = []
    for group in LAYOUT_GROUPS:
        members = catalog.in_group(group)
        if not members:
            continue
        if group is ReportGroup.TRAVEL and {c.key for c in members} == {
            c.key for c in catalog.in_group(ReportGroup.DRIVING)
        }:
            continue  # the same categories as driving: one table is enough
        name = members[0].label() if len(members) == 1 else Label(group.value, "group", group.value)
        hours = _rendered(name.render)
        tables.append(ReportTable(key=group.value, title=hours, group=group))
        if group is ReportGroup.COLLABORATION:
            counted = _rendered(Message(N_("{name}, number of entries"), name=name).render)
            note = _rendered(
                Message(
                    N_("Counts entries, not hours: what Excel calls «Antall av Tidsbruk».")
                ).render
            )
            tables.append(
                ReportTable(
                    key=f"{group.value}_entries",
                    title=counted,
                    group=group,
                    measure="entries",
                    notes=(note,),
                )
            )
    return ReportLayout(tables=tuple(tables))
