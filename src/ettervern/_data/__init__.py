"""The files shipped with the library: domain facts as data, each with its source (README.md).

The lowest layer: it reads files and knows nothing of the domain. Each file is read where it is
used (the municipality register by ``core``, pathway templates by ``pathway``, presets by
``teams``), through these two helpers.
"""

from __future__ import annotations

import tomllib
from importlib import resources
from importlib.resources.abc import Traversable
from typing import Any

__all__ = ["data_path", "read_toml"]


def data_path(*parts: str) -> Traversable:
    """The shipped file ``ettervern/_data/<parts…>``, to open or read."""
    return resources.files(__name__).joinpath(*parts)


def read_toml(*parts: str) -> dict[str, Any]:
    """A shipped TOML file, parsed."""
    with data_path(*parts).open("rb") as handle:
        return tomllib.load(handle)
