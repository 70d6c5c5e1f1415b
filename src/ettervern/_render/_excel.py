"""Writing reports to Excel workbooks (the ``excel`` extra: openpyxl), ready to print.

A cover sheet names the team, the year, when the workbook was made and the disclosure rule, and
lists the tables; each table gets its own sheet. Sheet names are the titles cut at a word to
Excel's 31 characters, without doubled or trailing spaces, and unique. Every sheet is set up to
print on A4: landscape when the table is wide, fitted to the page width, the header row repeated on
each page, a header with the team and the table and a footer with the year and the page number.
Values are rounded as the text output shows them and carry a number format per unit (whole
cases, hours to a tenth, shares as percentages). When the report was made from a sheet, a last
sheet lists the rows the import rejected, in the user's language.
"""

from __future__ import annotations

import datetime as dt
import math
import re
from pathlib import Path
from typing import Any, Protocol

import pandas as pd

from ettervern._l10n import N_, Message, format_date, translate
from ettervern._render._cells import no_formulas
from ettervern._render._table import Table, Tables
from ettervern._render._units import column_unit, number_format
from ettervern.errors import MissingDependencyError

__all__ = ["Rejections", "sheet_name", "write_workbook"]

_FORBIDDEN = re.compile(r"[\[\]*?/\\]")
SHEET_NAME_LENGTH = 31
"""The longest sheet name Excel accepts."""
WIDE_COLUMNS = 6
"""Tables with more columns than this print in landscape."""


class Rejections(Protocol):
    """What `write_workbook()` needs of an import: its rejected rows in a language.

    [`ImportResult`][ettervern.ImportResult] has this shape.
    """

    def rejected_in(self, locale: str | None = None) -> pd.DataFrame:
        """The rejected rows with headers and reasons in ``locale``."""


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise MissingDependencyError(
            "openpyxl", "excel", Message("write Excel workbooks")
        ) from None
    return openpyxl


def sheet_name(title: str, taken: set[str]) -> str:
    """A sheet name for ``title``: readable, at most 31 characters, unique in ``taken``.

    Characters Excel forbids are dropped (a colon becomes a dash), runs of spaces become one, a
    long title is cut at the last whole word that fits, and a name already in ``taken``
    (compared without case, as Excel does) gets a number. The name is added to ``taken``.

    >>> taken: set[str] = set()
    >>> sheet_name("Brukeroppfølging i institusjon og etter endt opphold i institusjon 2020", taken)
    'Brukeroppfølging i institusjon'
    >>> sheet_name("Ikke møtt: timer og andel av sakstiden 2020", taken)
    'Ikke møtt – timer og andel'
    >>> sheet_name("Aktive saker etter alder og kjønn", taken)
    'Aktive saker etter alder'
    >>> sheet_name("brukeroppfølging i institusjon", taken)
    'brukeroppfølging (2)'
    """
    text = _FORBIDDEN.sub(" ", title.replace(":", " –"))
    base = _cut(" ".join(text.split()).strip("' "), SHEET_NAME_LENGTH) or "Tabell"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = _cut(base, SHEET_NAME_LENGTH - len(suffix)) + suffix, n + 1
    taken.add(name.casefold())
    return name


_LOOSE_ENDS = frozenset(
    [
        "og",
        "i",
        "av",
        "til",
        "fra",
        "mot",
        "mellom",
        "per",
        "etter",
        "med",
        "for",
        "om",
        "på",
        "ved",
        "and",
        "of",
        "in",
        "by",
        "to",
        "from",
        "with",
        "between",
        "against",
        "the",
        "a",
        "an",
        "at",
        "their",
        "its",
    ]
)
"""Small words a cut name should not end on (Bokmål, Nynorsk and English)."""


def _cut(text: str, length: int) -> str:
    """``text`` cut to ``length`` at a word boundary when one is near, without loose ends."""
    if len(text) <= length:
        return text
    words = text[: length + 1].split(" ")[:-1]
    while len(words) > 1 and words[-1].casefold() in _LOOSE_ENDS:
        words.pop()
    cut = " ".join(words)
    if len(cut) < length // 2:
        cut = text[:length]
    return cut.rstrip(" ,.;–-'")


SHEET_NAMES: dict[str, str] = {
    "user_follow_up": "Follow-up in and after stay",
    "collaboration_entries": "Collaboration partners, entries",
    "age_and_gender": "Active cases by age and gender",
    "follow_up_summary": "Follow-up length vs. target",
    "three_month_checks": "Three-month checks, outcomes",
    "life_domains": "Life domains before and after",
    "courses": "Follow-up courses and status",
    "plans_and_coordinators": "Individual plans, coordinators",
    "outcome_flags": "Outcomes at closure and check",
    "no_show": "No-show hours and share",
    "cost_sharing": "Cost sharing",
    "fte": "FTE per member municipality",
}
"""Sheet names (message ids in the context ``sheet``) of the tables whose titles are longer than
Excel's 31 characters in some language: chosen to fit, rather than cut at a word."""


def _span_words(annual: Tables, locale: str | None) -> str:
    """The year of the release, or the span it covers in words (``2. kvartal 2020``) for a
    release of another period (one that has ``period_in``)."""
    words = getattr(annual, "period_in", None)
    return str(words(locale)) if callable(words) else str(annual.year)


def _span_label(annual: Tables, locale: str | None) -> str:
    """``Year`` on the cover of a year's release, ``Period`` on another span's."""
    if getattr(annual, "period", None) is None:
        return translate("Year", locale)
    return translate("Period", locale)


def _short_title(report: Table, year: str, locale: str | None) -> str:
    """The words a table's sheet is named by: its sheet name, or its title without the year
    (the year is on the cover and in every sheet's title)."""
    if report.key in SHEET_NAMES:
        return translate(SHEET_NAMES[report.key], locale, context="sheet")
    return report.title_in(locale).removesuffix(f" {year}")


def write_workbook(
    annual: Tables,
    path: Path,
    locale: str | None = None,
    *,
    rejected: Rejections | pd.DataFrame | None = None,
) -> Path:
    """Write ``annual`` to ``path``: a cover sheet, one sheet per table, the rejected rows."""
    openpyxl = _openpyxl()
    styles = openpyxl.styles
    workbook = openpyxl.Workbook()
    cover = _cover(workbook.active, annual, locale, styles)
    taken = {cover.title.casefold()}
    wrap = styles.Alignment(wrap_text=True, vertical="top")
    page = _PageSetup(team=annual.team.name, year=_span_words(annual, locale), locale=locale)
    for report in annual:
        sheet = workbook.create_sheet(sheet_name(_short_title(report, page.year, locale), taken))
        cover.append([report.title_in(locale), sheet.title])
        cover.cell(row=cover.max_row, column=1).alignment = wrap
        cover.cell(row=cover.max_row, column=2).alignment = wrap
        _fit_height(cover, cover.max_row, [(report.title_in(locale), _COVER_WIDTHS[0])])
        _write_report(sheet, report, locale=locale, styles=styles, utils=openpyxl.utils)
        page.apply(sheet, title=report.title_in(locale), header_row=_HEADER_ROW)
    title = translate(N_("Rejected rows"), locale)
    table = rejected if rejected is None or isinstance(rejected, pd.DataFrame) else None
    if table is None and rejected is not None and not isinstance(rejected, pd.DataFrame):
        table = rejected.rejected_in(locale)
    if table is not None and getattr(annual, "audience", "internal") == "published":
        # The rows quote what was typed, case codes too: a published workbook counts them.
        left_out = Message.plural_of(
            "{count} row the import rejected is left out of a published workbook, as it may "
            'hold a case code; an internal report (audience="internal", --internal) lists it',
            "{count} rows the import rejected are left out of a published workbook, as they may "
            'hold case codes; an internal report (audience="internal", --internal) lists them',
            by="count",
            count=len(table),
        )
        cover.append([title, left_out.render(locale)])
        cover.cell(row=cover.max_row, column=2).alignment = wrap
        table = None
    if table is not None:
        sheet = workbook.create_sheet(sheet_name(title, taken))
        cover.append([title, sheet.title])
        _write_rejected(sheet, table, title=title, locale=locale, styles=styles)
        page.apply(sheet, title=title, header_row=_HEADER_ROW)
    cover.column_dimensions["A"].width, cover.column_dimensions["B"].width = _COVER_WIDTHS
    page.apply(cover, title=cover["A1"].value, header_row=None)
    no_formulas(workbook)  # a team or category name beginning with "=" stays text
    workbook.save(path)
    return path


def _cover(cover: Any, annual: Tables, locale: str | None, styles: Any) -> Any:
    """The cover sheet: the release's title, team, year, when it was made, the disclosure rule,
    the information it lost (in all and per table) and what hours mean, each row tall enough for its wrapped text; the list of tables follows."""
    bold = styles.Font(bold=True)
    cover.title = sheet_name(translate("About this report", locale), set())
    generated = dt.datetime.now(tz=dt.UTC).astimezone()
    hours = N_(
        "Hours are the time logged; staff hours count each staff member present "
        "(two staff for one hour make two staff hours)."
    )
    cover_rows: list[tuple[str, str]] = [
        (translate("Team", locale), annual.team.name),
        (_span_label(annual, locale), _span_words(annual, locale)),
        (
            translate("Generated", locale),
            f"{format_date(generated.date(), locale)} {generated:%H:%M}",
        ),
        (translate("Suppression", locale), annual.rule_in(locale)),
        *annual.loss_in(locale),
        (translate(N_("Hours and staff hours"), locale), translate(hours, locale)),
    ]
    warning = translate(N_("Warning"), locale)
    cover_rows[:0] = [(warning, text) for text in annual.warnings_in(locale)]
    cover["A1"] = annual.title_in(locale)
    cover["A1"].font = styles.Font(bold=True, size=14)
    wrap = styles.Alignment(wrap_text=True, vertical="top")
    for i, (key, value) in enumerate(cover_rows, start=3):
        key_cell = cover.cell(row=i, column=1, value=key)
        key_cell.font, key_cell.alignment = bold, wrap
        cover.cell(row=i, column=2, value=value).alignment = wrap
        _fit_height(cover, i, [(value, _COVER_WIDTHS[1])])
    cover.cell(row=len(cover_rows) + 4, column=1, value=translate("Tables", locale)).font = bold
    return cover


_HEADER_ROW = 4
_COVER_WIDTHS = (64, 52)
"""The widths of the cover sheet's two columns, in characters."""


def _fit_height(sheet: Any, row: int, texts: list[tuple[str, int]]) -> None:
    """Make ``row`` tall enough for its wrapped texts (text, column width), as no spreadsheet
    program measures rows that a file gives no height: notes otherwise print over each other."""
    # A column width counts digit widths; running text is about a fifth narrower.
    lines = max(math.ceil(len(text) / (1.2 * width)) for text, width in texts)
    sheet.row_dimensions[row].height = 15 * max(1, lines)


class _PageSetup:
    """Print settings shared by every sheet of one workbook."""

    def __init__(self, *, team: str, year: str, locale: str | None) -> None:
        self.team = team.replace("&", "&&")
        self.year = year
        self.page = translate(N_("Page &P of &N"), locale)

    def apply(self, sheet: Any, *, title: str, header_row: int | None) -> None:
        """A4, fitted to the width, landscape when wide, header row and page numbers."""
        setup = sheet.page_setup
        setup.paperSize = sheet.PAPERSIZE_A4
        wide = sheet.max_column > WIDE_COLUMNS + 1
        setup.orientation = "landscape" if wide else "portrait"
        setup.fitToWidth = 1
        setup.fitToHeight = 0
        sheet.sheet_properties.pageSetUpPr.fitToPage = True
        if header_row is not None and sheet.max_row > header_row:
            sheet.print_title_rows = f"{header_row}:{header_row}"
        sheet.print_options.horizontalCentered = False
        sheet.page_margins.top = sheet.page_margins.bottom = 0.8
        # One header part only: a team name on the left and a long title on the right printed
        # over each other. The team and the year go to the footer, beside the page number.
        for header in (sheet.oddHeader, sheet.evenHeader):
            header.left.text = title.replace("&", "&&")
            header.left.size = 9
        for footer in (sheet.oddFooter, sheet.evenFooter):
            footer.left.text = f"{self.team} · {self.year}"
            footer.left.size = footer.right.size = 9
            footer.right.text = self.page


def _write_report(
    sheet: Any, report: Table, *, locale: str | None, styles: Any, utils: Any
) -> None:
    """One table on its sheet: title, period, header, rows, notes, frozen panes, widths."""
    wide = report.to_frame(labels=False)
    labelled = report.to_frame(locale)
    width = len(labelled.columns) + 1
    _title(sheet, report.title_in(locale), width=width, styles=styles)
    if report.period is not None:
        start, end = report.period
        sheet["A2"] = f"{format_date(start, locale)} – {format_date(end, locale)}"
    _header(sheet, labelled, styles)
    _rows(sheet, report, wide, labelled, styles)
    notes_row = _HEADER_ROW + len(wide) + 2
    notes = report.notes_in(locale)
    if report.suppressed and report.suppression_in(locale):
        notes = [*notes, f": {report.suppression_in(locale)}"]
    for k, note in enumerate(notes):
        _wrapped(sheet, notes_row + k, note, width=width, styles=styles)
    sheet.freeze_panes = sheet.cell(row=_HEADER_ROW + 1, column=2)
    _fit_widths(sheet, wide, labelled, utils)


def _header(sheet: Any, labelled: pd.DataFrame, styles: Any) -> None:
    """The header row: the rows' dimension, then each column's label."""
    bold = styles.Font(bold=True)
    alignment = styles.Alignment(wrap_text=True, vertical="bottom", horizontal="right")
    sheet.cell(row=_HEADER_ROW, column=1, value=labelled.index.name or "").font = bold
    for j, column in enumerate(labelled.columns, start=2):
        cell = sheet.cell(row=_HEADER_ROW, column=j, value=str(column))
        cell.font = bold
        cell.alignment = alignment


def _rows(
    sheet: Any, report: Table, wide: pd.DataFrame, labelled: pd.DataFrame, styles: Any
) -> None:
    """The rows below the header: exact numbers shown in their unit's format, a hidden cell's
    marker as text, the total row bold."""
    bold = styles.Font(bold=True)
    right = styles.Alignment(horizontal="right")
    formats = {str(c): number_format(column_unit(report, str(c)))[0] for c in wide.columns}
    rows = zip(wide.index, labelled.index, strict=True)
    for i, (key, row_label) in enumerate(rows, start=_HEADER_ROW + 1):
        is_total = key == "Total"
        sheet.cell(row=i, column=1, value=str(row_label)).font = bold if is_total else None
        for j, column in enumerate(wide.columns, start=2):
            value = wide.loc[key, column]
            if isinstance(value, str):  # the marker of a hidden cell
                cell = sheet.cell(row=i, column=j, value=value)
                cell.alignment = right
            else:
                cell = sheet.cell(row=i, column=j, value=_exact(value))
                cell.number_format = formats[str(column)]
            if is_total:
                cell.font = bold


def _fit_widths(sheet: Any, wide: pd.DataFrame, labelled: pd.DataFrame, utils: Any) -> None:
    """Each column as wide as its longest label or number, within a limit."""
    for j in range(1, len(labelled.columns) + 2):
        if j == 1:
            texts = [str(labelled.index.name or "")] + [str(x) for x in labelled.index]
            limit = 40
        else:
            header = str(labelled.columns[j - 2])
            texts = [
                *header.split(),
                *(f"{v:,.1f}" for v in wide.iloc[:, j - 2] if isinstance(v, int | float)),
            ]
            limit = 24
        sheet.column_dimensions[utils.get_column_letter(j)].width = min(
            limit, max(8, *map(len, texts)) + 2
        )


def _title(sheet: Any, text: str, *, width: int, styles: Any) -> None:
    """The title in A1 across the table, wrapped so a long title is not cut off in print."""
    sheet["A1"] = text
    sheet["A1"].font = styles.Font(bold=True, size=14)
    sheet["A1"].alignment = styles.Alignment(wrap_text=True, vertical="top")
    if width > 1:
        sheet.merge_cells(start_row=1, start_column=1, end_row=1, end_column=width)
    sheet.row_dimensions[1].height = 20 if len(text) <= 8 * width + 20 else 38


def _wrapped(sheet: Any, row: int, text: str, *, width: int, styles: Any) -> None:
    """A note across the table's width, wrapped."""
    sheet.cell(row=row, column=1, value=text).alignment = styles.Alignment(
        wrap_text=True, vertical="top"
    )
    if width > 1:
        sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=width)
    sheet.row_dimensions[row].height = 15 * (1 + len(text) // (12 * width + 20))


def _write_rejected(
    sheet: Any, table: pd.DataFrame, *, title: str, locale: str | None, styles: Any
) -> None:
    """The rows the import rejected, one per line, with a filter on the header."""
    bold = styles.Font(bold=True)
    width = len(table.columns)
    _title(sheet, title, width=width, styles=styles)
    for j, column in enumerate(table.columns, start=1):
        sheet.cell(row=_HEADER_ROW, column=j, value=str(column)).font = bold
    wrap = styles.Alignment(wrap_text=True, vertical="top")
    widths = (16, 8, 16, 22, 60)
    for i, values in enumerate(table.itertuples(index=False), start=_HEADER_ROW + 1):
        lines = 1
        for j, value in enumerate(values, start=1):
            missing = value is None or (isinstance(value, float) and pd.isna(value))
            shown = None if missing else value
            sheet.cell(row=i, column=j, value=shown).alignment = wrap
            chars = widths[min(j, len(widths)) - 1] - 2
            lines = max(lines, -(-len(str(shown or "")) // chars))
        sheet.row_dimensions[i].height = 15 * lines
    if len(table):
        last = _HEADER_ROW + len(table)
        sheet.auto_filter.ref = f"A{_HEADER_ROW}:{chr(ord('A') + width - 1)}{last}"
        sheet.freeze_panes = sheet.cell(row=_HEADER_ROW + 1, column=1)
    else:
        sheet.cell(
            row=_HEADER_ROW + 1, column=1, value=translate(N_("No rows were rejected."), locale)
        )
    for j, limit in enumerate(widths, start=1):
        sheet.column_dimensions[chr(ord("A") + j - 1)].width = limit


def _exact(value: object) -> int | float | None:
    """A figure as the cell stores it: exact (the number format rounds what is shown), so that
    a column summed in the spreadsheet matches its total; whole numbers stay integers."""
    if value is None or pd.isna(value):  # type: ignore[call-overload]
        return None
    number = float(value)  # type: ignore[arg-type]
    return int(number) if number.is_integer() else number
