"""Every error ``ettervern`` raises on purpose.

All of them derive from :class:`EttervernError`, so ``except ettervern.EttervernError`` catches
anything the library means to tell you. Each one also derives from the builtin it resembles
(:class:`ValueError`, :class:`KeyError`, :class:`LookupError`), so code written against builtins
keeps working. Errors carry their data as attributes (the field, the value, what was expected)
so that a front-end can show them next to the input that caused them.
"""

from __future__ import annotations

from collections.abc import Sequence

__all__ = [
    "CaseCodeError",
    "CategoryNotValidError",
    "ConfigError",
    "EttervernError",
    "InvalidValueError",
    "MissingDependencyError",
    "NationalIdError",
    "PathwayError",
    "TimeLogError",
    "UnknownCategoryError",
    "UnknownMunicipalityError",
    "UnsupportedLocaleError",
]


class EttervernError(Exception):
    """The base class of every error raised by ``ettervern``."""


class InvalidValueError(EttervernError, ValueError):
    """A value breaks a rule of the domain model (a negative FTE, a membership that ends
    before it starts, code letters in lower case).

    Attributes:
        field: the name of the field, when one field is to blame.
        value: the value that was given.
    """

    def __init__(self, message: str, *, field: str | None = None, value: object = None) -> None:
        self.field = field
        self.value = value
        super().__init__(message)


class CaseCodeError(EttervernError, ValueError):
    """A case code (anonymiseringskode) is malformed or cannot be allocated.

    Attributes:
        value: the text that was given.
        expected: the form that was expected, for example ``"NN/YY-XX, like 02/20-ST"``.
    """

    def __init__(self, value: object, expected: str, reason: str = "") -> None:
        self.value = value
        self.expected = expected
        self.reason = reason
        detail = f": {reason}" if reason else ""
        super().__init__(f"case code {value!r} is not valid{detail}; expected {expected}")


class _NotFoundError(EttervernError, KeyError):
    """Shared behaviour of the 'nothing by that name' errors.

    :class:`KeyError` quotes its argument when printed; these errors print their message as is.
    """

    what: str = "item"

    def __init__(self, query: object, known: Sequence[str] = (), where: str = "") -> None:
        self.query = query
        self.known = tuple(known)
        self.where = where
        place = f" in {where}" if where else ""
        hint = ""
        if self.known:
            shown = ", ".join(self.known[:12])
            more = f" and {len(self.known) - 12} more" if len(self.known) > 12 else ""
            hint = f"; known: {shown}{more}"
        super().__init__(f"no {self.what} matches {query!r}{place}{hint}")

    def __str__(self) -> str:
        return str(self.args[0])


class UnknownMunicipalityError(_NotFoundError):
    """No municipality (kommune) matches a number, name or code letters.

    Attributes:
        query: what was looked up.
        known: a few valid choices, for the message.
        where: the register or team that was searched.
    """

    what = "municipality"


class UnknownCategoryError(_NotFoundError):
    """No resource category (hendelse) matches a key, number or name."""

    what = "category"


class CategoryNotValidError(EttervernError, ValueError):
    """A category exists in the catalog but is not in use on the given date.

    *Administrasjonsarbeid*, for example, was registered only until the end of 2020.
    """

    def __init__(self, category: str, on: object, valid: str) -> None:
        self.category = category
        self.on = on
        self.valid = valid
        super().__init__(f"category {category!r} is not in use on {on}; it is valid {valid}")


class ConfigError(EttervernError, ValueError):
    """A team, catalog or other configuration file or mapping is invalid.

    Attributes:
        source: the file or description of what was read.
        problems: one line per problem, each naming the field by its path (``$.members[2].since``).
    """

    def __init__(self, source: str, problems: Sequence[str]) -> None:
        self.source = source
        self.problems = tuple(problems)
        lines = "\n".join(f"  - {p}" for p in self.problems)
        super().__init__(f"invalid {source}:\n{lines}")


class UnsupportedLocaleError(EttervernError, ValueError):
    """A language the library has no catalog for was asked for.

    Attributes:
        locale: what was asked for.
        supported: the shipped locale codes.
    """

    def __init__(self, locale: str, supported: Sequence[str]) -> None:
        self.locale = locale
        self.supported = tuple(supported)
        super().__init__(
            f"no translations for locale {locale!r}; choose one of {list(self.supported)}"
        )


class MissingDependencyError(EttervernError, ImportError):
    """An optional dependency is needed for what was asked and is not installed.

    Attributes:
        package: the package that is missing.
        extra: the extra that installs it (``pip install "ettervern[excel]"``).
    """

    def __init__(self, package: str, extra: str, purpose: str) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            f'{package} is needed to {purpose}; install it with: pip install "ettervern[{extra}]"'
        )


class NationalIdError(EttervernError, ValueError):
    """A national identity number is invalid, or a pseudonym key is unusable.

    On purpose it carries no copy of the value: the number must not end up in logs or
    tracebacks.
    """


class PathwayError(EttervernError, ValueError):
    """An event would make a case's history impossible: a discharge with no open stay, a
    closure while the person is in an institution, an event after closure.

    Attributes:
        case: the code of the case (a :class:`~ettervern.CaseCode`).
        event: the event that was refused.
        rule: a stable key for the rule it breaks, such as ``"closure_in_institution"``.
    """

    def __init__(self, message: str, *, case: object, event: object, rule: str) -> None:
        self.case = case
        self.event = event
        self.rule = rule
        super().__init__(message)


class TimeLogError(EttervernError, ValueError):
    """A time-log row breaks a rule (strict import, or building a log from a frame).

    Attributes:
        sheet: the sheet the row came from, when read from a workbook.
        row: the row: its number as the user sees it in the sheet, or the frame's index.
        column: the column at fault.
        value: the value found (hidden when it looks like personal data).
        reason: what is wrong, in plain words.
        count: how many rows were bad in all, when known.
    """

    def __init__(
        self,
        *,
        row: object,
        column: str,
        value: object,
        reason: str,
        sheet: str | None = None,
        count: int = 1,
    ) -> None:
        self.sheet = sheet
        self.row = row
        self.column = column
        self.value = value
        self.reason = reason
        self.count = count
        where = f"sheet {sheet!r}, row {row}" if sheet else f"row {row}"
        more = f" ({count - 1} more bad rows)" if count > 1 else ""
        super().__init__(f"{where}, column {column!r}: {reason} (got {value!r}){more}")
