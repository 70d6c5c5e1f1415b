"""Every error ``ettervern`` raises on purpose.

All of them derive from [`EttervernError`][ettervern.errors.EttervernError], so ``except
ettervern.EttervernError`` catches anything the library means to tell you. Each one also derives
from the builtin it resembles (`ValueError`, `KeyError`, `LookupError`, and `RuntimeError` for a
concurrent change), so code written against builtins keeps working. Errors carry their data as
attributes (the field, the value, what was expected) so that a front-end can show them next to
the input that caused them.

``str(error)`` is the message in English, for logs and developers. ``error.message_in("nb")``
(or ``"nn"``, ``"en"``) is the same message for the person who typed the input, in their
language, with dates and numbers written the way it writes them.
"""

from __future__ import annotations

import datetime as dt
import enum
import errno
import math
from collections.abc import Sequence

from ettervern._l10n import (
    HIDDEN,
    N_,
    Bullets,
    EttervernError,
    Label,
    Message,
    UnsupportedLocaleError,
    looks_like_name,
    redact_value,
)

__all__ = [
    "CaseCodeError",
    "CategoryNotValidError",
    "ConfigError",
    "EttervernError",
    "FileError",
    "ImportLimitError",
    "InvalidValueError",
    "MissingDependencyError",
    "MissingFileError",
    "NationalIdError",
    "PathwayError",
    "StaleVersionError",
    "TimeLogError",
    "UnknownCaseError",
    "UnknownCategoryError",
    "UnknownMunicipalityError",
    "UnknownReportError",
    "UnknownTeamError",
    "UnsupportedLocaleError",
    "WrongTypeError",
]


class InvalidValueError(EttervernError, ValueError):
    """A value breaks a rule of the domain model (a negative FTE, a membership that ends
    before it starts, code letters in lower case).

    Attributes:
        field: the name of the field, when one field is to blame.
        value: the value that was given.
    """

    def __init__(self, message: Message, *, field: str | None = None, value: object = None) -> None:
        self.field = field
        self.value = value
        super().__init__(message)


class CaseCodeError(EttervernError, ValueError):
    """A case code (anonymiseringskode) is malformed or cannot be allocated.

    Attributes:
        value: the text that was given (hidden when it looks like an identity number or a
            name).
        expected: the form that was expected, in English words.
        reason: what is wrong beyond the form, in English words (or ``""``).
    """

    def __init__(self, value: object, expected: Message, reason: Message | None = None) -> None:
        if isinstance(value, str) and looks_like_name(value):  # a name typed where a code goes
            value = HIDDEN
        self.value = value
        self.expected = str(expected)
        self.reason = "" if reason is None else str(reason)
        if reason is None:
            message = Message(
                "case code {value!r} is not valid; expected {expected}",
                value=value,
                expected=expected,
            )
        else:
            message = Message(
                "case code {value!r} is not valid: {reason}; expected {expected}",
                value=value,
                reason=reason,
                expected=expected,
            )
        super().__init__(message)


_SHOWN = 12
"""How many of the known choices a 'not found' message lists."""


class _NotFoundError(EttervernError, KeyError):
    """Shared behaviour of the 'nothing by that name' errors.

    `KeyError` quotes its argument when printed; these errors print their message as is.
    """

    def __init__(
        self,
        query: object,
        known: Sequence[str] = (),
        where: str | Message | Label = "",
        *,
        suggestions: Sequence[str] = (),
    ) -> None:
        self.query = query
        self.known = tuple(known)
        self.suggestions = tuple(suggestions)
        """The closest names to ``query``, best first (a "did you mean")."""
        self.where = where.render("en") if isinstance(where, Label) else str(where)
        message = self._problem(query, where)
        if self.suggestions:
            message = Message(
                "{problem}; did you mean {suggestions!r}?",
                problem=message,
                suggestions=self.suggestions,
            )
        elif len(self.known) > _SHOWN:
            message = Message(
                "{problem}; known: {known} and {more} more",
                problem=message,
                known=self.known[:_SHOWN],
                more=len(self.known) - _SHOWN,
            )
        elif self.known:
            message = Message("{problem}; known: {known}", problem=message, known=self.known)
        super().__init__(message)

    _alone: str
    """The message template when nothing matches."""
    _within: str
    """The same, naming ``{where}`` was searched."""

    def _problem(self, query: object, where: str | Message | Label) -> Message:
        if where:
            return Message(self._within, query=query, where=where)
        return Message(self._alone, query=query)


class UnknownMunicipalityError(_NotFoundError):
    """No municipality (kommune) matches a number, name or code letters.

    Attributes:
        query: what was looked up.
        known: a few valid choices, for the message.
        where: the register or team that was searched.
    """

    _alone = N_("no municipality matches {query!r}")
    _within = N_("no municipality matches {query!r} in {where}")


class UnknownCategoryError(_NotFoundError):
    """No resource category (hendelse) matches a key, number or name."""

    _alone = N_("no category matches {query!r}")
    _within = N_("no category matches {query!r} in {where}")


class UnknownReportError(_NotFoundError):
    """An annual report has no table by that key."""

    _alone = _within = N_("no table {query!r} in the annual report")


class UnknownCaseError(_NotFoundError):
    """A register holds no case by that code for the team."""

    _alone = N_("no case {query!r} in the register")
    _within = N_("no case {query!r} in the register for {where}")


class UnknownTeamError(_NotFoundError):
    """A register holds no team by that name; write something for the team first."""

    _alone = _within = N_("no team {query!r} in the register")


class StaleVersionError(EttervernError, RuntimeError):
    """A case changed in the register since it was read: another user recorded an event first.

    Nothing was written. Read the case again (its new events included), decide whether the event
    still applies, and record it against the new version. Like a concurrent modification in the
    standard library, it derives from `RuntimeError`.

    Attributes:
        case: the case's code, as text.
        expected: the version the writer had read.
        current: the version the register holds.
    """

    def __init__(self, case: str, *, expected: int, current: int) -> None:
        self.case = case
        self.expected = expected
        self.current = current
        super().__init__(
            Message(
                "case {case} changed since it was read: the register holds version {current}, "
                "not {expected}; read the case again and retry",
                case=case,
                current=current,
                expected=expected,
            )
        )


class CategoryNotValidError(EttervernError, ValueError):
    """A category exists in the catalog but is not in use on the given date.

    *Administrasjonsarbeid*, for example, was registered only until the end of 2020.

    Attributes:
        category: the category's name.
        on: the date asked about.
        valid: when it is in use, in English words.
    """

    def __init__(
        self, category: str, on: object, valid: Message, *, label: Label | None = None
    ) -> None:
        self.category = category
        self.on = on
        self.valid = str(valid)
        super().__init__(
            Message(
                "category {category!r} is not in use on {on}; it is in use {valid}",
                category=category if label is None else label,
                on=on,
                valid=valid,
            )
        )


class ConfigError(EttervernError, ValueError):
    """A team, catalog or other configuration file or mapping is invalid.

    Attributes:
        source: the file or description of what was read.
        problems: one mapping per problem, plain data a front-end can show beside the field
            and ``json.dumps``: ``path``, the field's path (``"$.members[2].since"``, or
            ``None`` for a problem with the whole input); ``message``, the problem in English
            without the path; ``params``, the message's parameters as JSON values (dates as
            ``YYYY-MM-DD``, nested messages and labels as English text).
        problem_messages: the same problems as [`Message`][ettervern.language.Message] values, to render
            in any shipped language.
    """

    def __init__(self, source: str | Message, problems: Sequence[Message]) -> None:
        self.source = str(redact_value(str(source), HIDDEN))  # a file name may hold an identity
        self.problems = tuple(_structured(problem) for problem in problems)
        self.problem_messages = tuple(problems)
        super().__init__(
            Message("invalid {source}:{problems}", source=source, problems=Bullets(tuple(problems)))
        )


_AT_PATH = "{problem} @ {path}"
"""How a structuring problem names its field (``_core/_structure.py``)."""


def _structured(problem: Message) -> dict[str, object]:
    """One of ``ConfigError.problems``: the path apart from the message, as plain data."""
    shown: object = problem
    path, params = None, dict(problem.params)
    if problem.template == _AT_PATH:
        path, shown = str(params["path"]), params["problem"]
        params = dict(shown.params) if isinstance(shown, Message) else {}
    return {
        "path": path,
        "message": str(shown),
        "params": {name: _json_value(value) for name, value in params.items()},
    }


def _json_value(value: object) -> object:
    """``value`` as JSON can hold it: dates as ISO text, messages and labels in English."""
    if isinstance(value, enum.Enum):
        value = value.value
    if isinstance(value, float) and not math.isfinite(value):
        value = str(value)
    if value is None or isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, list | tuple | set | frozenset):
        return [_json_value(item) for item in value]
    return value.render("en") if isinstance(value, Label) else str(value)


_LIMITS = {
    "max_bytes": N_("the file's size in bytes"),
    "max_line_chars": N_("the longest line, in characters,"),
    "max_columns": N_("the number of columns"),
    "max_rows": N_("the number of rows"),
    "max_inflated_bytes": N_("the unzipped size of the workbook in bytes"),
    "max_inflation_ratio": N_("the ratio of the workbook's unzipped size to its size"),
}
"""What each limit of ImportLimits measures, in words."""


class ImportLimitError(ConfigError):
    """A file is larger than a limit of ``ImportLimits`` allows (its size,
    a line, the columns, the rows, or what an .xlsx unzips to).

    Attributes:
        limit: the setting of ``ImportLimits`` that was exceeded, such as
            ``"max_rows"``; pass a larger value to read a genuine file.
        found: what the file has (at least).
        allowed: the limit.
    """

    def __init__(self, source: str | Message, *, limit: str, found: float, allowed: float) -> None:
        self.limit = limit
        self.found = found
        self.allowed = allowed
        problem = Message(
            "{what} is {found}, more than the limit of {allowed}; if the file is genuine, "
            "raise it with {setting}",
            what=Message(_LIMITS.get(limit, limit)),
            found=found,
            allowed=allowed,
            setting=f"limits=ImportLimits({limit}=...)",
        )
        super().__init__(source, [problem])


class FileError(EttervernError, OSError):
    """A file or folder the system refused: missing, a folder where a file was meant, a name
    too long, no permission, a disk that failed half-way. Any public call answers such a
    failure with this error, wherever the file was opened (the type contract converts it).

    The message gives the system's reason, not the path: a path may hold a person's name.

    Attributes:
        path: the file or folder, as the system named it (``None`` if it did not).
        reason: the system's words.
    """

    def __init__(self, path: str | None, reason: str) -> None:
        self.path = path
        self.reason = reason
        super().__init__(Message("the file cannot be used: {reason}", reason=reason))


class MissingFileError(FileError, FileNotFoundError):
    """A file to read does not exist: a [`FileError`][ettervern.errors.FileError] that is also
    the builtin ``FileNotFoundError``, so ``except FileNotFoundError`` catches it.

    The message names the file (an identity number in its name hidden), as it did when this
    was a ``ConfigError``.

    Attributes:
        path: the file, as it was given.
    """

    def __init__(self, path: str) -> None:
        self.path = path
        self.reason = "the file does not exist"
        self.errno = errno.ENOENT
        self.filename = path
        message = Message(
            "invalid {source}:{problems}",
            source=str(redact_value(path, HIDDEN)),
            problems=Bullets((Message("the file does not exist"),)),
        )
        EttervernError.__init__(self, message)


class MissingDependencyError(EttervernError, ImportError):
    """An optional dependency is needed for what was asked and is not installed.

    Attributes:
        package: the package that is missing.
        extra: the extra that installs it (``pip install "ettervern[excel]"``).
    """

    def __init__(self, package: str, extra: str, purpose: Message) -> None:
        self.package = package
        self.extra = extra
        super().__init__(
            Message(
                "{package} is needed to {purpose}; install it with: {command}",
                package=package,
                purpose=purpose,
                command=f'pip install "ettervern[{extra}]"',
            )
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
        case: the code of the case (a [`CaseCode`][ettervern.CaseCode]).
        event: the event that was refused.
        rule: a stable key for the rule it breaks, such as ``"closure_in_institution"``.
    """

    def __init__(self, message: Message, *, case: object, event: object, rule: str) -> None:
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
        reason: what is wrong, in plain English words.
        count: how many rows were bad in all, when known.
        rule: a stable key for the rule the row breaks, such as ``"hours_step"`` or
            ``"not_a_member"`` (see the table in *Importing your sheets*).
    """

    def __init__(
        self,
        *,
        row: object,
        column: str,
        value: object,
        reason: Message,
        sheet: str | None = None,
        count: int = 1,
        rule: str | None = None,
    ) -> None:
        self.rule = rule
        self.sheet = sheet
        self.row = row
        self.column = column
        self.value = value
        self.reason = str(reason)
        self.count = count
        params = {
            "sheet": sheet,
            "row": row,
            "column": Label(column, "column"),
            "reason": reason,
            "value": value,
        }
        if sheet:
            where = Message("sheet {sheet!r}, row {row}, column {column}", **params)
        else:
            where = Message("row {row}, column {column}", **params)
        message = Message(
            "{where}: {reason} (got {value!r})", where=where, reason=reason, value=value
        )
        if count > 1:
            message = Message("{problem}; bad rows in all: {count}", problem=message, count=count)
        super().__init__(message)


class WrongTypeError(InvalidValueError, TypeError):
    """An argument of a public function is not of the type it takes.

    The message names the parameter, the expected type and the type given, never the value: a
    value of the wrong type may be anything, a person's name included. It is both a
    ``TypeError`` and, like every refused value, an ``InvalidValueError``.

    Attributes:
        field: the parameter.
        expected: the type it takes, as Python writes it (``str | None``).
        given: the name of the type given.
    """

    def __init__(self, message: Message, *, field: str | None, expected: str, given: str) -> None:
        self.expected = expected
        self.given = given
        super().__init__(message, field=field, value=None)

    @classmethod
    def of(cls, field: str, expected: str, value: object) -> WrongTypeError:
        """The error for ``value`` given as ``field`` where ``expected`` was wanted."""
        given = type(value).__name__
        if isinstance(value, float) and not math.isfinite(value):
            msg = Message(
                "{field} must be a finite number, got {value}", field=field, value=str(value)
            )
        elif given == "ImportResult" and hasattr(value, "accepted"):
            # read_parquet returned a TimeLog before 0.2: its callers are told where it went.
            msg = Message(
                "{field} must be of type {expected}, got what an import read ({given}); what "
                "it accepted is its {attribute}",
                field=field,
                expected=expected,
                given=given,
                attribute=".accepted",
            )
        else:
            msg = Message(
                "{field} must be of type {expected}, got a value of type {given}",
                field=field,
                expected=expected,
                given=given,
            )
        return cls(msg, field=field, expected=expected, given=given)
