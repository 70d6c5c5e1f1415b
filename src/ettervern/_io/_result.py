"""What an import made of its input: what it accepted, what it rejected and why, its summary,
HTML and plain data in the user's language. One type for every bulk reader: a time sheet
(``ImportResult[TimeLog]``) and cases (``ImportResult[tuple[Case, ...]]``)."""

from __future__ import annotations

import html
import math
from collections.abc import Iterator, Sequence
from typing import Any, ClassVar, Generic, TypeVar

import attrs
import numpy as np
import pandas as pd

from ettervern._core import CaseCode, MunicipalityChange, warn_renamed
from ettervern._io._header import HEADERS
from ettervern._l10n import (
    N_,
    Label,
    Message,
    contains_identity,
    looks_like_name,
    normalise_locale,
    translate,
)
from ettervern._pathway import Case
from ettervern._render import html_block
from ettervern.errors import ConfigError, EttervernError
from ettervern.privacy import HIDDEN, looks_like_national_id

__all__ = [
    "CASE_REJECTED_COLUMNS",
    "MAX_LISTED",
    "REJECTED_COLUMNS",
    "CaseReading",
    "ImportResult",
    "located",
    "render_all",
    "shown_code",
]

REJECTED_COLUMNS = ("sheet", "row", "column", "value", "reason")
CASE_REJECTED_COLUMNS = ("position", "code", "path", "reason")
"""The columns of a case reader's rejected rows: the case's place in the input (its index in a
list, its first row in a table of events), its code (hidden when it looks like personal data),
the field's path within the case (``$.events[2].on``, or the column of a table) and the reason."""
MAX_LISTED = 10_000
"""Rejected cases listed in a result; any beyond are counted (``unlisted``), so that a file of
a million broken cases does not make a million reasons."""

T = TypeVar("T")


@attrs.frozen(eq=False)
class ImportResult(Generic[T]):
    """What a bulk reader made of its input: what it accepted and the rejected rows.

    [`read_timelog()`][ettervern.read_timelog] and [`read_parquet()`][ettervern.read_parquet]
    give the accepted log (``ImportResult[TimeLog]``);
    the case readers ([`read_cases()`][ettervern.read_cases],
    [`cases_from_json()`][ettervern.cases_from_json], [`cases_from_frame()`][ettervern.cases_from_frame],
    [`from_fhir()`][ettervern.interchange.from_fhir], …) the accepted cases in order
    (``ImportResult[tuple[Case, ...]]``), with one rejected row per rejected case: ``position``,
    ``code``, ``path`` and ``reason`` (a code given twice is rejected the second time).

    For a sheet, ``rejected`` has one line per rejected row: ``sheet``, ``row`` (the row number as the sheet
    shows it), ``column``, ``value`` (as typed; hidden if it looks like personal data) and
    ``reason`` in plain English words. ``reasons`` holds the same reasons as
    [`Message`][ettervern.language.Message] values, and [`rejected_in()`][ettervern.ImportResult.rejected_in]
    gives the whole table in the user's language. ``read`` counts the non-empty rows below the
    header; every one of them is either accepted or rejected.
    """

    accepted: T
    rejected: pd.DataFrame = attrs.field(repr=False)
    read: int
    ignored: int = 0
    """Rows left out because they were entirely empty (trailing rows, spacer rows)."""
    source: str = ""
    skipped: tuple[str, ...] = ()
    """Sheets of a workbook left out because they have no time-log header (pivot tables,
    notes); named in the summary so that a misspelt header does not go unnoticed."""
    reasons: tuple[Message, ...] = attrs.field(default=(), repr=False)
    """The reason of each rejected row, in the order of ``rejected``, ready to be rendered in
    any shipped language."""
    renamed: tuple[tuple[str, str], ...] = ()
    """Old municipalities the sheet names (*Tysfjord*, *Finnøy*) and the member each was mapped
    to, through the changes of 2020 and 2024; named in the summary."""
    changes: tuple[MunicipalityChange, ...] = attrs.field(default=(), repr=False)
    """The municipality changes behind [`renamed`][ettervern.ImportResult.renamed], with their dates and sources."""
    encoding: str = ""
    """The text encoding a CSV file was read in (``"UTF-8"``, ``"UTF-8 with BOM"``,
    ``"UTF-16"`` or ``"Windows-1252"``), decided from the whole file; empty for a workbook."""
    unlisted: int = 0
    """Rejected cases (or rows of a Parquet log) beyond the first 10,000, counted in the summary
    and in ``to_dict()`` but not listed in ``rejected`` (a file of a million broken cases makes
    no million reasons)."""

    @property
    def of_cases(self) -> bool:
        """Whether this is a case reader's result (its ``accepted`` a tuple of cases)."""
        return isinstance(self.accepted, tuple)

    def summary(self, locale: str | None = None) -> str:
        """One line: rows read, accepted and rejected (and sheets skipped, if any), in
        ``locale`` (Bokmål by default; ``str(result)`` is the English line)."""
        if self.of_cases:
            counts = Message.plural_of(
                "{source}: read {read} case, accepted {accepted}, rejected {rejected}",
                "{source}: read {read} cases, accepted {accepted}, rejected {rejected}",
                by="read",
                source=self.source or Message("cases"),
                read=self.read,
                accepted=len(self.accepted),  # type: ignore[arg-type]
                rejected=self.rejected_count,
            )
        else:
            counts = Message.plural_of(
                "{source}: read {read} row, accepted {accepted}, rejected {rejected}",
                "{source}: read {read} rows, accepted {accepted}, rejected {rejected}",
                by="read",
                source=self.source or Message("sheet"),
                read=self.read,
                accepted=len(self.accepted),  # type: ignore[arg-type]
                rejected=self.rejected_count,
            )
        if self.skipped:
            counts = Message(
                "{counts}; skipped sheets without a time-log header: {sheets}",
                counts=counts,
                sheets=self.skipped,
            )
        if self.changes:
            counts = Message(
                "{counts}; old municipalities mapped to their successors: {changes}",
                counts=counts,
                changes=[c.describe() for c in self.changes],
            )
        if self.encoding:
            encoding = Label(self.encoding, "encoding", fallback=self.encoding)
            counts = Message("{counts}; read as {encoding}", counts=counts, encoding=encoding)
        return counts.render(locale)

    def rejected_in(self, locale: str | None = None) -> pd.DataFrame:
        """``rejected`` for the person who typed the sheet: headers, column names and reasons
        in ``locale`` (Bokmål by default), such as *Ark, Rad, Kolonne, Verdi, Årsak*."""
        table = self._rejected_words(locale)
        headers = {key: translate(key, locale, context="rejected") for key in table.columns}
        return table.rename(columns=headers)

    def _rejected_words(self, locale: str | None) -> pd.DataFrame:
        """``rejected`` with column names, reasons and hidden values in ``locale`` (its own
        column keys kept)."""
        table = self.rejected.copy()
        if "column" in table:
            columns = {key: Label(key, "column").render(locale) for key in HEADERS}
            table["column"] = table["column"].map(lambda key: columns.get(key, key))
        table["reason"] = render_all(self.reasons, locale)
        hidden = translate(HIDDEN, locale)
        for key in ("sheet", "value", "code"):
            if key in table:
                table[key] = table[key].map(lambda value: hidden if value == HIDDEN else value)
        return table

    @property
    def rejected_count(self) -> int:
        """How many rows or cases were rejected, listed or not."""
        return len(self.rejected) + self.unlisted

    def to_dict(self, locale: str | None = None) -> dict[str, Any]:
        """The result as plain data that ``json.dumps`` takes as it is: the counts, the summary
        and one table per rejected row (its columns as in ``rejected``, its reason in
        ``locale``, Bokmål by default). Holds no identity number and no accepted value.

        >>> import ettervern as e
        >>> result = e.read_timelog(e.examples.salten_2020_messy_path(), team="salten")
        >>> data = result.to_dict("en")
        >>> data["read"], data["accepted"], data["rejected"], data["rows"][0]["column"]
        (636, 618, 18, 'municipality')
        """
        table = self._rejected_words(locale)
        rows = [
            {str(key): _plain(value) for key, value in row.items()}
            for row in table.to_dict(orient="records")
        ]
        return {
            "source": self.source,
            "summary": self.summary(locale),
            "read": self.read,
            "accepted": len(self.accepted),  # type: ignore[arg-type]
            "rejected": self.rejected_count,
            "ignored": self.ignored,
            "unlisted": self.unlisted,
            "skipped": list(self.skipped),
            "encoding": self.encoding,
            "rows": rows,
        }

    # -- the old list of cases, for one release ----------------------------------------------

    def _old_list(self) -> list[Any]:
        """The accepted cases for code written when the case readers returned a list: with a
        ``DeprecationWarning``, and, when a case was rejected, the error the reader raised
        then (so that nothing is dropped in silence)."""
        if not self.of_cases:
            raise TypeError(f"{type(self).__name__} of a sheet is not a sequence; use .accepted")
        warn_renamed("a case reader's result used as a list", "its .accepted", stacklevel=4)
        if self.rejected_count:
            first = self.rejected.iloc[0]
            where = Message("{source}, case {index}", source=self.source, index=first["position"])
            raise ConfigError(where, [self.reasons[0]])
        cases: list[Any] = list(self.accepted)  # type: ignore[call-overload]
        return cases

    def __iter__(self) -> Iterator[Any]:
        return iter(self._old_list())

    def __len__(self) -> int:
        return len(self._old_list())

    def __getitem__(self, index: int) -> Any:
        return self._old_list()[index]

    def __bool__(self) -> bool:
        return bool(self._old_list()) if self.of_cases else True

    def __eq__(self, other: object) -> bool:
        if self.of_cases and isinstance(other, list | tuple):
            return self._old_list() == list(other)
        return self is other

    __hash__ = object.__hash__

    def __str__(self) -> str:
        return self.summary("en")

    PREVIEW_ROWS: ClassVar[int] = 50
    """Rejected rows shown in a notebook; [`rejected_in()`][ettervern.ImportResult.rejected_in] has them all."""

    def to_html(self, locale: str | None = None) -> str:
        """The summary and the rejected rows (the first 50) as styled HTML, in ``locale``."""
        code = normalise_locale(locale)
        table = self.rejected_in(code)
        body = f"<p>{html.escape(self.summary(code))}</p>"
        if len(table):
            caption = html.escape(translate(N_("Rejected rows"), code))
            shown = table.head(self.PREVIEW_ROWS).to_html(index=False, border=0, na_rep="")
            body += shown.replace(">\n", ">", 1).replace(
                '<table class="dataframe">',
                f'<table class="dataframe"><caption>{caption}</caption>',
                1,
            )
        return html_block(body, locale=code)

    def _repr_html_(self) -> str:
        return self.to_html()


def _plain(value: object) -> object:
    """A cell of the rejected table as JSON takes it: numpy numbers as Python's, an empty
    cell (NaN, NA, NaT) as ``None``, anything else not JSON's own as its text."""
    if isinstance(value, np.generic):
        value = value.item()
    if value is None or isinstance(value, bool | int | str):
        return value
    if isinstance(value, float):
        return None if math.isnan(value) else value
    try:
        if pd.isna(value):  # type: ignore[call-overload]
            return None
    except (TypeError, ValueError):
        pass
    return str(value)


def render_all(messages: Sequence[Message], locale: str | None) -> list[str]:
    """Each message in ``locale``; a message shared by many rows is rendered once."""
    done: dict[int, str] = {}
    return [
        done[id(m)] if id(m) in done else done.setdefault(id(m), m.render(locale)) for m in messages
    ]


_CODE_CHARS = 40
"""The most characters of a rejected case's code kept (a "code" may be any text)."""


def shown_code(code: object) -> str:
    """A rejected case's code as a result may show it: hidden when it looks like personal data
    (an identity number, a name), cut to 40 characters, empty when it is not text."""
    if not isinstance(code, str | CaseCode):
        return ""
    text = str(code)
    if looks_like_national_id(text) or contains_identity(text) or looks_like_name(text):
        return HIDDEN
    return text[:_CODE_CHARS]


def _text(value: str) -> str:
    """``value`` as a table of rejections can hold it: a lone surrogate (JSON's ``"\\ud800"``
    reads as one) cannot be encoded, and pandas' text columns refuse it, so it is shown
    escaped (``\\ud800``)."""
    return value.encode("utf-8", "backslashreplace").decode("utf-8")


def located(problem: Message | str) -> tuple[str, Message | str]:
    """The field a reader's problem names (a path ``$.events[2].on``, or a column of a table)
    and the problem without it: ``"{problem} @ {path}"`` and ``"row {row}, column {column}:
    {problem}"`` are taken apart, as deep as they are nested."""
    path = ""
    while isinstance(problem, Message):
        params = dict(problem.params)
        inner = params.get("problem")
        if not path:
            path = str(params.get("path") or params.get("column") or "")
        if not isinstance(inner, Message) or set(params) - {
            "problem",
            "path",
            "row",
            "column",
            "case",
            "source",
            "index",
        }:
            break
        problem = inner
    return path, problem


@attrs.define
class CaseReading:
    """One bulk read of cases, as it goes: the cases accepted in order, and for each one
    rejected its position, code, field and reason; a code accepted once is rejected the
    second time. With ``strict`` the first rejection raises instead."""

    source: str | Message
    strict: bool = False
    accepted: list[Case] = attrs.Factory(list)
    rows: list[tuple[int, str, str, str]] = attrs.Factory(list)
    reasons: list[Message] = attrs.Factory(list)
    unlisted: int = 0
    first_of: dict[str, int] = attrs.Factory(dict)

    def accept(self, position: int, case: Case, written: str | None = None) -> None:
        """Take ``case`` (at ``position`` in the input), unless its code was taken before;
        ``written`` is ``str(case.code)`` when the reader has it (``parse_written``)."""
        code = str(case.code) if written is None else written
        first = self.first_of.setdefault(code, position)
        if first != position:
            taken = Message(
                "the code {code!r} is already used by case {first} of this input",
                code=code,
                first=first,
            )
            problem = Message("{problem} @ {path}", problem=taken, path="$.code")
            self.refuse(position, code, ConfigError(self.where(position), [problem]))
            return
        self.accepted.append(case)

    def where(self, position: int) -> Message:
        return Message("{source}, case {index}", source=self.source, index=position)

    def refuse(self, position: int, code: object, error: EttervernError) -> None:
        """Reject the case at ``position`` for ``error``'s first problem (raise it, if strict)."""
        if self.strict:
            raise error
        if len(self.rows) >= MAX_LISTED:
            self.unlisted += 1
            return
        first = error.problem_messages[0] if isinstance(error, ConfigError) else error.message
        path, problem = located(first)
        reason = problem if isinstance(problem, Message) else first
        self.rows.append((position, _text(shown_code(code)), _text(path), _text(str(reason))))
        self.reasons.append(reason)

    def result(self, read: int) -> ImportResult[tuple[Case, ...]]:
        """What the read gave, as an [`ImportResult`][ettervern.ImportResult]."""
        rejected = pd.DataFrame(self.rows, columns=list(CASE_REJECTED_COLUMNS))
        rejected = rejected.astype({"position": "int64"})
        return ImportResult(
            accepted=tuple(self.accepted),
            rejected=rejected,
            read=read,
            source=str(self.source),
            reasons=tuple(self.reasons),
            unlisted=self.unlisted,
        )
