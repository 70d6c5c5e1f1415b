"""What an import made of a sheet: the accepted log, the rejected rows, and its summary
and HTML in the user's language."""

from __future__ import annotations

import html
from collections.abc import Sequence
from typing import ClassVar

import attrs
import pandas as pd

from ettervern._core import MunicipalityChange
from ettervern._io._header import HEADERS
from ettervern._l10n import N_, Label, Message, normalise_locale, translate
from ettervern._render import html_block
from ettervern._timelog import TimeLog
from ettervern.privacy import HIDDEN

__all__ = ["REJECTED_COLUMNS", "ImportResult", "render_all"]

REJECTED_COLUMNS = ("sheet", "row", "column", "value", "reason")


@attrs.frozen(eq=False)
class ImportResult:
    """What [`read_timelog()`][ettervern.read_timelog] made of a sheet: the accepted log and the
    rejected rows.

    ``rejected`` has one line per rejected row: ``sheet``, ``row`` (the row number as the sheet
    shows it), ``column``, ``value`` (as typed; hidden if it looks like personal data) and
    ``reason`` in plain English words. ``reasons`` holds the same reasons as
    [`Message`][ettervern.language.Message] values, and [`rejected_in()`][ettervern.ImportResult.rejected_in]
    gives the whole table in the user's language. ``read`` counts the non-empty rows below the
    header; every one of them is either accepted or rejected.
    """

    accepted: TimeLog
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

    def summary(self, locale: str | None = None) -> str:
        """One line: rows read, accepted and rejected (and sheets skipped, if any), in
        ``locale`` (Bokmål by default; ``str(result)`` is the English line)."""
        counts = Message.plural_of(
            "{source}: read {read} row, accepted {accepted}, rejected {rejected}",
            "{source}: read {read} rows, accepted {accepted}, rejected {rejected}",
            by="read",
            source=self.source or Message("sheet"),
            read=self.read,
            accepted=len(self.accepted),
            rejected=len(self.rejected),
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
        table = self.rejected.copy()
        columns = {key: Label(key, "column").render(locale) for key in HEADERS}
        table["column"] = table["column"].map(lambda key: columns.get(key, key))
        table["reason"] = render_all(self.reasons, locale)
        hidden = translate(HIDDEN, locale)
        for key in ("sheet", "value"):
            table[key] = table[key].map(lambda value: hidden if value == HIDDEN else value)
        headers = {key: translate(key, locale, context="rejected") for key in REJECTED_COLUMNS}
        return table.rename(columns=headers)

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


def render_all(messages: Sequence[Message], locale: str | None) -> list[str]:
    """Each message in ``locale``; a message shared by many rows is rendered once."""
    done: dict[int, str] = {}
    return [
        done[id(m)] if id(m) in done else done.setdefault(id(m), m.render(locale)) for m in messages
    ]
