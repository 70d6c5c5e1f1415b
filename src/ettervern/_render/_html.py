"""HTML for notebooks and web pages: accessible tables that read well in light and dark themes.

Tables carry a caption (the title and the unit), header cells with ``scope``, numbers
right-aligned in tabular figures, the total row set apart, hidden cells marked with an
explanation, and the notes and the disclosure rule below, linked to the table with
``aria-describedby``. Colours come from the surrounding page (``currentColor`` and translucent
greys), so the same HTML reads in JupyterLab's light and dark themes and in VS Code.
"""

from __future__ import annotations

import hashlib
import html
from collections.abc import Sequence

from ettervern._l10n import N_, translate

__all__ = ["STYLE", "html_block", "html_table"]

STYLE = """<style>
.ettervern{font-variant-numeric:tabular-nums;margin:0.5em 0 1.5em 0;color:inherit}
.ettervern h2,.ettervern h3{margin:0.6em 0 0.3em 0}
.ettervern table{border-collapse:collapse;color:inherit;background:transparent}
.ettervern caption{caption-side:top;text-align:left;font-weight:bold;padding:0.2em 0}
.ettervern caption .unit{font-weight:normal;opacity:0.75}
.ettervern th,.ettervern td{padding:0.15em 0.6em;border-bottom:1px solid rgba(127,127,127,0.3)}
.ettervern thead th{text-align:right;vertical-align:bottom;border-bottom:2px solid currentColor}
.ettervern thead th:first-child,.ettervern tbody th{text-align:left;font-weight:normal}
.ettervern td{text-align:left;vertical-align:top;white-space:normal;overflow-wrap:break-word}
.ettervern thead th,.ettervern table.ettervern-report td{text-align:right}
.ettervern table.ettervern-report td,.ettervern tbody th{white-space:nowrap;vertical-align:baseline}
.ettervern table.dataframe thead th{text-align:left}
.ettervern table.dataframe td:last-child{min-width:20em}
.ettervern tr.total th,.ettervern tr.total td{font-weight:bold;border-top:2px solid currentColor;
background:rgba(127,127,127,0.12)}
.ettervern td.hidden{opacity:0.7}
.ettervern .notes{font-size:0.9em;opacity:0.85;margin:0.3em 0 0 0;padding-left:1.2em}
.ettervern dl{display:grid;grid-template-columns:max-content auto;gap:0.1em 1em;margin:0.3em 0}
.ettervern dt{font-weight:bold}
.ettervern dd{margin:0}
@media print{
.ettervern table{width:100%;font-size:7.5pt;page-break-inside:auto}
.ettervern th,.ettervern td{padding:0.1em 0.25em}
.ettervern thead th{white-space:normal;hyphens:auto;overflow-wrap:normal}
.ettervern thead{display:table-header-group}
.ettervern tr{break-inside:avoid;page-break-inside:avoid}
.ettervern caption,.ettervern h2,.ettervern h3{break-after:avoid;page-break-after:avoid}
}
</style>"""
"""The CSS every ettervern HTML block starts with; scoped to ``.ettervern``.

Report tables hold numbers: right-aligned, never broken inside a number. Other tables (the
rejected rows of an import) hold text: left-aligned, top-aligned and wrapped. In print, the type
is smaller, the table takes the page's width and its column headers wrap between words
(hyphenated in the page's language), so a wide table fits instead of being cut at its edge; the
header row repeats on each page and rows are not split."""


def html_table(
    *,
    caption: str,
    unit: str,
    corner: str,
    columns: Sequence[str],
    rows: Sequence[tuple[bool, str, Sequence[str]]],
    notes: Sequence[str],
    locale: str,
    hidden: str = ":",
) -> str:
    """One table as an accessible HTML fragment (without the style sheet).

    ``rows`` are ``(is total, label, cell texts)``; a cell equal to ``hidden`` is marked as
    hidden for screen readers. ``notes`` (the table's notes and the disclosure rule) follow the
    table and describe it.
    """
    esc = html.escape
    notes_id = _notes_id(caption, columns, rows, notes)
    described = f' aria-describedby="{notes_id}"' if notes else ""
    hidden_label = esc(translate(N_("hidden"), locale))
    head = "".join(f'<th scope="col">{esc(c)}</th>' for c in columns)
    parts = [
        f'<table class="ettervern-report" lang="{locale}"{described}>',
        f'<caption>{esc(caption)} <span class="unit">({esc(unit)})</span></caption>',
        f'<thead><tr><th scope="col">{esc(corner)}</th>{head}</tr></thead>',
        "<tbody>",
    ]
    for is_total, label, cells in rows:
        tds = "".join(
            f'<td class="hidden" title="{hidden_label}" aria-label="{hidden_label}">{esc(cell)}</td>'
            if cell == hidden
            else f"<td>{esc(cell)}</td>"
            for cell in cells
        )
        css = ' class="total"' if is_total else ""
        parts.append(f'<tr{css}><th scope="row">{esc(label)}</th>{tds}</tr>')
    parts.append("</tbody></table>")
    if notes:
        items = "".join(f"<li>{esc(note)}</li>" for note in notes)
        parts.append(f'<ul class="notes" id="{notes_id}">{items}</ul>')
    return "".join(parts)


def _notes_id(
    caption: str,
    columns: Sequence[str],
    rows: Sequence[tuple[bool, str, Sequence[str]]],
    notes: Sequence[str],
) -> str:
    """An element id derived from the table's content: the same table gives the same HTML on
    every call and in every process (a counter made each request's HTML differ); two different
    tables on one page get different ids. Two equal tables share one, and their notes are equal."""
    content = repr((caption, list(columns), [(t, label, list(c)) for t, label, c in rows], notes))
    digest = hashlib.blake2s(content.encode("utf-8"), digest_size=6).hexdigest()
    return f"ettervern-notes-{digest}"


def html_block(body: str, *, heading: str | None = None, locale: str, level: int = 2) -> str:
    """``body`` wrapped with the style sheet in a ``div`` for one language, under ``heading``."""
    title = f"<h{level}>{html.escape(heading)}</h{level}>" if heading else ""
    return f'{STYLE}<div class="ettervern" lang="{locale}">{title}{body}</div>'
