"""Resource categories (hendelser) and catalogs of them with validity periods."""

from __future__ import annotations

import datetime as dt
import enum
import functools
import re
from collections.abc import Iterable, Iterator

import attrs

from ettervern._core._outcomes import enum_member
from ettervern._core._validators import no_identity
from ettervern._l10n import Label, Message, closest, has_translation, normalise_name, translate
from ettervern.errors import CategoryNotValidError, InvalidValueError, UnknownCategoryError

__all__ = ["Category", "CategoryCatalog", "ReportGroup"]


class ReportGroup(enum.Enum):
    """A group of categories that reports add up together.

    A category may count in several groups: *Institusjon bruker* is user follow-up *and* time
    in institution, so the 2020 table "Brukeroppfølging i institusjon og etter endt opphold"
    (30 + 499 = 529 hours) is the ``USER_FOLLOW_UP`` group split by ``IN_INSTITUTION``.
    """

    USER_FOLLOW_UP = "user_follow_up"
    """Direct follow-up of the person, in institution or after discharge."""
    IN_INSTITUTION = "in_institution"
    """Work done while the person is still in institution or prison."""
    DRIVING = "driving"
    """Driving to, from and with the person and to partners."""
    TRAVEL = "travel"
    """Driving and overnight stays."""
    COLLABORATION = "collaboration"
    """Work with partner services (NAV, housing office, institutions …)."""
    CASE_WORK = "case_work"
    """Everything done for a person's case, including time lost to no-shows."""
    OVERHEAD = "overhead"
    """Administration, networking and supervision: work not for one case."""
    WASTED = "wasted"
    """Time set aside for a person who did not come and did not cancel."""


def _fold(text: str) -> str:
    """Fold a category name for matching: case, spaces and hyphens do not count."""
    return re.sub(r"[\s\-_]+", "", normalise_name(text))


def _groups(values: Iterable[ReportGroup | str]) -> frozenset[ReportGroup]:
    """Report groups from members or their keys (``"driving"``)."""
    return frozenset(enum_member(ReportGroup, "groups", v) for v in values)


def _check_period(instance: Category, _: attrs.Attribute[dt.date | None], value: object) -> None:
    if (
        instance.valid_from is not None
        and value is not None
        and isinstance(value, dt.date)
        and value < instance.valid_from
    ):
        msg = Message(
            "category {key!r}: valid_until {until} is before valid_from {since}",
            key=instance.key,
            until=value,
            since=instance.valid_from,
        )
        raise InvalidValueError(msg, field="valid_until", value=value)


@attrs.frozen
class Category:
    """A resource category (hendelse) that hours are logged under.

    The ``key`` is stable and language-neutral and is what data files store; ``number`` is the
    number the team's sheet uses (1-10 in the Salten sheet); ``name`` is the Norwegian name as the
    team writes it. A category is in use from ``valid_from`` to ``valid_until``, both inclusive;
    ``None`` means open-ended.
    """

    key: str = attrs.field(validator=no_identity)
    name: str = attrs.field(validator=no_identity)
    number: int | None = None
    description: str = attrs.field(default="", validator=no_identity)
    groups: frozenset[ReportGroup] = attrs.field(default=frozenset(), converter=_groups)
    valid_from: dt.date | None = None
    valid_until: dt.date | None = attrs.field(default=None, validator=_check_period)
    aliases: tuple[str, ...] = attrs.field(default=(), converter=tuple, validator=no_identity)

    def __str__(self) -> str:
        return self.name

    def valid_on(self, on: dt.date) -> bool:
        """Whether the category is in use on ``on``."""
        after_start = self.valid_from is None or on >= self.valid_from
        before_end = self.valid_until is None or on <= self.valid_until
        return after_start and before_end

    def in_group(self, group: ReportGroup | str) -> bool:
        """Whether the category counts in ``group``."""
        return ReportGroup(group) in self.groups

    def label(self) -> Label:
        """The category's name as a translatable label: the catalogs' name for a key they
        know under this same name, the team's own ``name`` otherwise (a team that calls its
        ``driving`` category *Reise* is shown *Reise*, never another team's *Kjøring*).
        ``label().render("en")`` gives the English."""
        known = has_translation(self.key, "nb", context="category")
        if known and _fold(translate(self.key, "nb", context="category")) == _fold(self.name):
            return Label(self.key, "category", fallback=self.name)
        return Label(self.name, "team category", fallback=self.name)

    def describe_validity(self) -> Message:
        """The validity period in words, for messages: ``until 2020-12-31``
        (``str()`` of it is English, ``.render(locale)`` any shipped language)."""
        since, until = self.valid_from, self.valid_until
        if since and until:
            return Message("from {since} until {until}", since=since, until=until)
        if since:
            return Message("from {since}", since=since)
        if until:
            return Message("until {until}", until=until)
        return Message("always")


def _unique(instance: CategoryCatalog, _: attrs.Attribute[object], value: object) -> None:
    seen: dict[object, str] = {}
    for category in instance.categories:
        for label in (category.key, category.number):
            if label is None:
                continue
            if label in seen:
                msg = Message(
                    "catalog {catalog!r}: {label!r} is used by both {first!r} and {second!r}",
                    catalog=instance.name,
                    label=label,
                    first=seen[label],
                    second=category.key,
                )
                raise InvalidValueError(msg, field="categories", value=label)
            seen[label] = category.key


@attrs.frozen
class CategoryCatalog:
    """The categories a team logs time under, each with its validity period.

    Categories are found by key (``"driving"``), by the sheet's number (``2`` or ``"2"``) or by
    name in any case and spacing (``"Bruker oppfølging"``, ``"brukeroppfølging "``), including
    the aliases the catalog lists.
    """

    name: str = attrs.field(validator=no_identity)
    categories: tuple[Category, ...] = attrs.field(converter=tuple, validator=_unique)
    source: str = ""

    def __iter__(self) -> Iterator[Category]:
        return iter(self.categories)

    def __len__(self) -> int:
        return len(self.categories)

    def __contains__(self, query: object) -> bool:
        return isinstance(query, str | int | Category) and self.find(query) is not None

    @functools.cached_property
    def _index(self) -> dict[str | int, Category]:
        index: dict[str | int, Category] = {}
        for category in self.categories:
            index[category.key] = category
            if category.number is not None:
                index[category.number] = category
            for label in (category.name, *category.aliases):
                index.setdefault(_fold(label), category)
        return index

    def find(self, query: str | int | Category) -> Category | None:
        """Return the category ``query`` names, or ``None``."""
        if isinstance(query, Category):
            return query if query in self.categories else None
        if isinstance(query, bool):
            return None
        if isinstance(query, int):
            return self._index.get(query)
        text = query.strip()
        if text.isdigit():
            return self._index.get(int(text))
        return self._index.get(text) or self._index.get(_fold(text))

    def get(self, query: str | int | Category) -> Category:
        """Return the category ``query`` names.

        Raises:
            UnknownCategoryError: nothing in the catalog matches.
        """
        found = self.find(query)
        if found is None:
            known = [f"{c.number} {c.name}" if c.number else c.name for c in self.categories]
            where = Message("catalog {name!r}", name=self.name)
            names = [c.name for c in self.categories]
            suggestions = closest(str(query), names) if isinstance(query, str) else []
            raise UnknownCategoryError(query, known=known, where=where, suggestions=suggestions)
        return found

    def valid_on(self, on: dt.date) -> tuple[Category, ...]:
        """The categories in use on ``on``, in catalog order."""
        return tuple(c for c in self.categories if c.valid_on(on))

    def check(self, query: str | int | Category, on: dt.date) -> Category:
        """Return the category ``query`` names, checking that it is in use on ``on``.

        Raises:
            UnknownCategoryError: nothing matches.
            CategoryNotValidError: it matches a category not in use on that date.
        """
        category = self.get(query)
        if not category.valid_on(on):
            raise CategoryNotValidError(
                category.name, on, category.describe_validity(), label=category.label()
            )
        return category

    def in_group(self, group: ReportGroup | str) -> tuple[Category, ...]:
        """The categories that count in ``group``."""
        wanted = ReportGroup(group)
        return tuple(c for c in self.categories if wanted in c.groups)
