"""A progress bar for long imports, when ``tqdm`` is installed (the ``progress`` extra).

Small sheets never show one: the bar appears once an import has passed
[`PROGRESS_ROWS`][ettervern._io.PROGRESS_ROWS] rows, and only on a terminal unless asked for.
"""

from __future__ import annotations

import sys
from typing import Any

__all__ = ["PROGRESS_ROWS", "Progress"]

PROGRESS_ROWS = 100_000
"""Rows an import reads before a progress bar appears."""


class Progress:
    """Counts the rows an import has read and shows a bar past ``PROGRESS_ROWS``.

    ``enabled=None`` shows it when standard error is a terminal; ``True`` always (if tqdm is
    installed); ``False`` never.
    """

    def __init__(self, *, enabled: bool | None, description: str) -> None:
        self.enabled = sys.stderr.isatty() if enabled is None else enabled
        self.description = description
        self.rows = 0
        self.bar: Any = None

    def advance(self, rows: int) -> None:
        """``rows`` more rows were read."""
        self.rows += rows
        if self.bar is not None:
            self.bar.update(rows)
        elif self.enabled and self.rows > PROGRESS_ROWS:
            try:
                from tqdm import tqdm
            except ImportError:
                self.enabled = False
                return
            self.bar = tqdm(initial=self.rows, unit=" rows", desc=self.description, leave=False)

    def close(self) -> None:
        """Take the bar away, if one was shown."""
        if self.bar is not None:
            self.bar.close()
            self.bar = None
