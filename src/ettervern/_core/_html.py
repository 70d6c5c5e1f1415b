"""A value's facts as a small HTML table, for a notebook's view of a team or a case.

``_render/`` draws the report tables; the values of the lower layers (``Team`` here, ``Case``
in ``_pathway/``) stand below it, so their notebook view is this one escaped table of labels
and values, already in the reader's language.
"""

from __future__ import annotations

import html
from collections.abc import Iterable

__all__ = ["facts_html"]


def facts_html(title: str, facts: Iterable[tuple[str, str]]) -> str:
    """``title`` in bold above a table of ``(label, value)`` rows; every text escaped."""
    rows = "".join(
        f'<tr><th style="text-align:left">{html.escape(label)}</th>'
        f'<td style="text-align:left">{html.escape(value)}</td></tr>'
        for label, value in facts
    )
    return f"<div><p><strong>{html.escape(title)}</strong></p><table>{rows}</table></div>"
