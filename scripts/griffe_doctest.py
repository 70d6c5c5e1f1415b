"""A Griffe extension for the API reference: docstring examples render as code.

The docstrings hold doctest examples (``>>>`` and the expected output) as plain paragraphs, so
that pytest runs them. The Google docstring style reads them as code only inside an
``Examples:`` section; anywhere else they are Markdown, where ``>>>`` starts a nested
blockquote, the prompts vanish and the lines run together. This extension puts every run of
doctest lines outside a fence into a ``pycon`` fence before mkdocstrings renders the docstring.
mkdocs.yml loads it (``extensions: [scripts/griffe_doctest.py]``).
"""

from __future__ import annotations

import re
from typing import Any

import griffe

_FLAGS = re.compile(r"\s*#\s*doctest:\s*[^\n]*$")


def fence_doctests(text: str) -> str:
    r"""``text`` with each run of doctest lines (a ``>>>`` line up to the next blank line)
    inside a ```` ```pycon ```` fence at the run's indentation; fenced code is left alone.

    >>> fence_doctests("Sum:\n\n>>> 1 + 1\n2\n\nDone.").split("\n")
    ['Sum:', '', '```pycon', '>>> 1 + 1', '2', '```', '', 'Done.']
    """
    out: list[str] = []
    fenced = False
    example: str | None = None  # the indentation of the open example, if one is open
    for line in text.split("\n"):
        stripped = line.strip()
        if example is not None and not stripped:
            out.append(f"{example}```")
            example = None
        if stripped.startswith("```") and example is None:
            fenced = not fenced
        elif not fenced and example is None and stripped.startswith(">>>"):
            example = line[: len(line) - len(line.lstrip())]
            out.append(f"{example}```pycon")
        out.append(_FLAGS.sub("", line) if example is not None else line)
    if example is not None:
        out.append(f"{example}```")
    return "\n".join(out)


class DoctestFences(griffe.Extension):
    """Fence the doctest examples of every docstring the reference renders."""

    def on_instance(self, *, obj: griffe.Object, **kwargs: Any) -> None:
        """Rewrite the docstring's text once the object is loaded."""
        if obj.docstring is not None:
            obj.docstring.value = fence_doctests(obj.docstring.value)
