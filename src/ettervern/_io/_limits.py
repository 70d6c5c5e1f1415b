"""How much a sheet may hold before it is refused, and reading a file's bytes within that."""

from __future__ import annotations

from pathlib import Path
from typing import IO

import attrs

from ettervern._contract import unusable_file
from ettervern._core import at_least
from ettervern._l10n import Message
from ettervern.errors import ConfigError, ImportLimitError, MissingFileError

__all__ = ["DEFAULT_LIMITS", "ImportLimits", "open_within_limits", "over_limit"]

_MB = 2**20


@attrs.frozen
class ImportLimits:
    """How much ``read_timelog`` reads before it refuses a file, so that a hostile or broken
    file cannot take unbounded time or memory. Every limit can be raised for a genuine file:
    ``read_timelog(path, team=team, limits=ImportLimits(max_rows=5_000_000))``.
    """

    max_bytes: int = attrs.field(default=50 * _MB, validator=at_least(1))
    """The largest file, in bytes (50 MB: years of a team's log)."""
    max_line_chars: int = attrs.field(default=10_000, validator=at_least(1))
    """The longest line of a CSV file, in characters."""
    max_columns: int = attrs.field(default=100, validator=at_least(1))
    """The most columns a sheet may have."""
    max_rows: int = attrs.field(default=1_000_000, validator=at_least(1))
    """The most rows a sheet may have, title and header included."""
    max_inflated_bytes: int = attrs.field(default=500 * _MB, validator=at_least(1))
    """The largest an .xlsx file may become when unzipped."""
    max_inflation_ratio: float = attrs.field(default=200.0, validator=at_least(1))
    """How many times larger an .xlsx may become when unzipped (a zip bomb is thousands)."""


DEFAULT_LIMITS = ImportLimits()
"""The limits ``read_timelog`` uses unless it is given others."""


def over_limit(name: str, limit: str, found: float, allowed: float) -> ImportLimitError:
    return ImportLimitError(name, limit=limit, found=found, allowed=allowed)


def open_within_limits(
    source: str | Path | IO[bytes], name: str, format: str | None, limits: ImportLimits
) -> tuple[bytes, str]:
    """The bytes of the file to read (no more than ``limits.max_bytes``) and its kind."""
    kind = (format or Path(name).suffix.lstrip(".")).lower()
    if isinstance(source, str | Path):
        path = Path(source)
        try:
            if path.is_dir():
                raise ConfigError(name, [Message("this is a folder, not a file")])
            size = path.stat().st_size
            if size > limits.max_bytes:
                raise over_limit(name, "max_bytes", size, limits.max_bytes)
            data = path.read_bytes()
        except FileNotFoundError:
            raise MissingFileError(name) from None
        except OSError as exc:
            raise unusable_file(exc) from None
    else:
        data = source.read(limits.max_bytes + 1)
        if not isinstance(data, bytes):
            problem = Message("expected a file opened in binary mode ('rb')")
            raise ConfigError(name, [problem])
        if len(data) > limits.max_bytes:
            raise over_limit(name, "max_bytes", len(data), limits.max_bytes)
    if kind not in ("csv", "txt", "xlsx", "xlsm"):
        kind = "xlsx" if data[:2] == b"PK" else "csv"
    return data, "xlsx" if kind in ("xlsx", "xlsm") else "csv"
