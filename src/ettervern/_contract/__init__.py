"""The one error contract at the public boundary: arguments of the wrong type are refused.

Every public callable answers bad input with an error from ``ettervern.errors``. Most rules
of the domain are checked where the value is built (attrs validators); what those rules cannot
see is an argument of the wrong *type*, which would otherwise surface as a bare ``TypeError``
or ``AttributeError`` from deep inside pandas or the standard library. ``enforce`` wraps the
public functions and the public classes' constructors and methods so that each argument is
checked against its annotation first, shallowly and cheaply.

Support code with no domain in it: every layer may use it, and it uses only ``_l10n`` and
``errors``. Its modules:

- ``_checks``: what each annotation admits, a predicate per annotation;
- ``_values``: the range of dates and years, an enum's key read as its member, the error for a
  file the system refused;
- ``_guard``: the binding of a call's arguments, the fast path, ``enforce``;
- ``_deprecation``: old names kept for one release, and how their calls are read;
- ``_repr``: a repr that works on a half-built object, which ``enforce`` gives every public class.
"""

from __future__ import annotations

from ettervern._contract._deprecation import Renamed, follow, warn_renamed
from ettervern._contract._guard import by_name, calls_within, enforce, guarded, let_go
from ettervern._contract._values import (
    EARLIEST,
    LATEST,
    ONE_OF,
    check_date,
    check_year,
    enum_member,
    unusable_file,
)

__all__ = [
    "EARLIEST",
    "LATEST",
    "ONE_OF",
    "Renamed",
    "by_name",
    "calls_within",
    "check_date",
    "check_year",
    "enforce",
    "enum_member",
    "follow",
    "guarded",
    "let_go",
    "unusable_file",
    "warn_renamed",
]
