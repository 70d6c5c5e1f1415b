"""Writing reports to Excel workbooks (the ``excel`` extra: openpyxl)."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Any

import pandas as pd

from ettervern.errors import MissingDependencyError
from ettervern.l10n import Message, format_date, translate
from ettervern.render._table import Table, Tables

__all__ = ["write_workbook"]

_FORBIDDEN = re.compile(r"[\[\]:*?/\\]")


def _openpyxl() -> Any:
    try:
        import openpyxl
    except ImportError:
        raise MissingDependencyError(
            "openpyxl", "excel", Message("write Excel workbooks")
        ) from None
    return openpyxl


def _sheet_name(title: str, taken: set[str]) -> str:
    base = _FORBIDDEN.sub(" ", title).strip()[:31] or "Tabell"
    name, n = base, 2
    while name.casefold() in taken:
        suffix = f" ({n})"
        name, n = base[: 31 - len(suffix)] + suffix, n + 1
    taken.add(name.casefold())
    return name


def write_workbook(annual: Tables, path: Path, locale: str | None = None) -> Path:
    """Write ``annual`` to ``path``: a cover sheet, then one formatted sheet per table."""
    openpyxl = _openpyxl()
    styles = openpyxl.styles
    utils = openpyxl.utils
    bold = styles.Font(bold=True)
    title_font = styles.Font(bold=True, size=14)
    workbook = openpyxl.Workbook()
    cover = workbook.active
    cover.title = _sheet_name(translate("About this report", locale), set())
    taken = {cover.title.casefold()}
    generated = dt.datetime.now(tz=dt.UTC).astimezone()
    cover_rows: list[tuple[str, str]] = [
        (translate("Team", locale), annual.team.name),
        (translate("Year", locale), str(annual.year)),
        (
            translate("Generated", locale),
            f"{format_date(generated.date(), locale)} {generated:%H:%M}",
        ),
        (translate("Suppression", locale), annual.rule_in(locale)),
    ]
    cover["A1"] = annual.title_in(locale)
    cover["A1"].font = title_font
    for i, (key, value) in enumerate(cover_rows, start=3):
        cover.cell(row=i, column=1, value=key).font = bold
        cover.cell(row=i, column=2, value=value)
    cover.cell(row=len(cover_rows) + 4, column=1, value=translate("Tables", locale)).font = bold
    for report in annual:
        sheet = workbook.create_sheet(_sheet_name(report.title_in(locale), taken))
        cover.append([report.title_in(locale), sheet.title])
        _write_report(
            sheet,
            report,
            locale=locale,
            bold=bold,
            title_font=title_font,
            utils=utils,
            styles=styles,
        )
    cover.column_dimensions["A"].width = 48
    cover.column_dimensions["B"].width = 48
    workbook.save(path)
    return path


def _write_report(
    sheet: Any,
    report: Table,
    *,
    locale: str | None,
    bold: Any,
    title_font: Any,
    utils: Any,
    styles: Any,
) -> None:
    wide = report.to_frame(labels=False)
    labelled = report.to_frame(locale)
    right = styles.Alignment(horizontal="right")
    sheet["A1"] = report.title_in(locale)
    sheet["A1"].font = title_font
    if report.period is not None:
        start, end = report.period
        sheet["A2"] = f"{format_date(start, locale)} – {format_date(end, locale)}"
    header_row = 4
    sheet.cell(row=header_row, column=1, value=labelled.index.name or "").font = bold
    for j, column in enumerate(labelled.columns, start=2):
        sheet.cell(row=header_row, column=j, value=str(column)).font = bold
    for i, (key, row_label) in enumerate(
        zip(wide.index, labelled.index, strict=True), start=header_row + 1
    ):
        is_total = key == "Total"
        sheet.cell(row=i, column=1, value=str(row_label)).font = bold if is_total else None
        for j, column in enumerate(wide.columns, start=2):
            value = wide.loc[key, column]
            if isinstance(value, str):  # the marker of a hidden cell: text, right-aligned
                cell = sheet.cell(row=i, column=j, value=value)
                cell.alignment = right
            else:
                cell = sheet.cell(row=i, column=j, value=None if pd.isna(value) else float(value))
                cell.number_format = "0.0%" if column in report.share_columns else "#,##0.##"
            if is_total:
                cell.font = bold
    notes_row = header_row + len(wide) + 2
    notes = report.notes_in(locale)
    if report.suppressed and report.suppression_in(locale):
        notes = [*notes, f": {report.suppression_in(locale)}"]
    for k, note in enumerate(notes):
        sheet.cell(row=notes_row + k, column=1, value=note)
    sheet.freeze_panes = sheet.cell(row=header_row + 1, column=2)
    for j in range(1, len(labelled.columns) + 2):
        texts = [str(labelled.index.name or "")] + [str(x) for x in labelled.index]
        if j > 1:
            texts = [
                str(labelled.columns[j - 2]),
                *(
                    v if isinstance(v, str) else f"{v:,.2f}"
                    for v in wide.iloc[:, j - 2]
                    if isinstance(v, str) or not pd.isna(v)
                ),
            ]
        sheet.column_dimensions[utils.get_column_letter(j)].width = min(
            60, max(8, *map(len, texts)) + 2
        )
