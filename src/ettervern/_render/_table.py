"""What the renderers need of a table: the `Table` and `Tables` protocols.

``render`` sits below ``reports`` in the layers: it draws and writes any value that has this
shape, and [`Report`][ettervern.Report] and [`AnnualReport`][ettervern.AnnualReport] have it. So the
reports call the renderers (``Report.plot()``, ``AnnualReport.to_excel()``), never the other way
round.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from typing import Protocol

import pandas as pd

from ettervern._core import Team

__all__ = ["Table", "Tables"]


class Table(Protocol):
    """One table of figures with the metadata a renderer shows."""

    @property
    def key(self) -> str:
        """A stable name, such as ``"driving"``."""

    @property
    def rows(self) -> str:
        """The dimension of the rows (``"municipality"``, ``"month"`` …)."""

    @property
    def columns(self) -> str:
        """The dimension of the columns (``"category"``, or ``"measure"`` for measures)."""

    @property
    def unit(self) -> str:
        """What the values count, as an English message id (``"hours"``)."""

    @property
    def period(self) -> tuple[dt.date, dt.date] | None:
        """The first and last day the figures cover."""

    @property
    def column_order(self) -> tuple[str, ...]:
        """The column keys in order."""

    @property
    def share_columns(self) -> tuple[str, ...]:
        """Columns holding shares (0-1)."""

    @property
    def suppression(self) -> str | None:
        """The disclosure-control rule applied, in English words, if any."""

    @property
    def suppressed(self) -> frozenset[tuple[str, str]]:
        """The (row, column) keys of hidden cells."""

    @property
    def team(self) -> Team | None:
        """The team the figures belong to, when known."""

    def title_in(self, locale: str | None = None) -> str:
        """The title in ``locale``."""

    def notes_in(self, locale: str | None = None) -> list[str]:
        """The notes in ``locale``."""

    def suppression_in(self, locale: str | None = None) -> str | None:
        """The disclosure-control rule in ``locale``, if any."""

    def to_frame(self, locale: str | None = None, *, labels: bool = True) -> pd.DataFrame:
        """The wide table: labelled for ``locale``, or keyed by stable keys."""


class Tables(Protocol):
    """A release of several tables for one team and year (an annual report)."""

    @property
    def team(self) -> Team:
        """The team."""

    @property
    def year(self) -> int:
        """The year the tables cover."""

    def title_in(self, locale: str | None = None) -> str:
        """The release's title, saying so when it is internal."""

    def rule_in(self, locale: str | None = None) -> str:
        """The disclosure-control rule applied, or that none was (internal)."""

    def warnings_in(self, locale: str | None = None) -> list[str]:
        """What a reader must know before the figures (a log covering part of the year)."""

    def loss_in(self, locale: str | None = None) -> list[tuple[str, str]]:
        """What protecting the release hid, as (what, how much) lines; none when internal."""

    def __iter__(self) -> Iterator[Table]:
        """The tables in order."""
