"""Norway's municipalities: the register of current ones, and the mergers, splits and renames
that take an old number to its successor.

[`Municipality`][ettervern.Municipality] and [`municipality()`][ettervern.municipality] (one
by name or number) are at the top; this namespace holds the register and its history.
Source: Statistics Norway's classification of municipalities (KLASS 131).
"""

from __future__ import annotations

from ettervern._contract import enforce
from ettervern._core import (
    Bucket,
    ChangeKind,
    MunicipalityChange,
    MunicipalityRegister,
    municipality_changes,
    municipality_successor,
    municipality_successors,
)
from ettervern._core import register as municipality_register

__all__ = [
    "Bucket",
    "ChangeKind",
    "MunicipalityChange",
    "MunicipalityRegister",
    "municipality_changes",
    "municipality_register",
    "municipality_successor",
    "municipality_successors",
]

enforce(globals(), __all__)
