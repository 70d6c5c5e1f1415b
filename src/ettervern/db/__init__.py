"""The case register: teams, cases and time entries on a database (the ``db`` extra).

SQLite in a file by default, PostgreSQL by URL; SQLAlchemy 2 underneath, and Alembic migrations
shipped inside the package. Install with ``pip install "ettervern[db]"``.

Modules inside are private; other layers and users import from here.
"""

from __future__ import annotations

import importlib.util

from ettervern._core import enforce
from ettervern._l10n import Message
from ettervern.errors import MissingDependencyError

for _package in ("sqlalchemy", "alembic"):
    if importlib.util.find_spec(_package) is None:  # pragma: no cover - the extra is installed
        raise MissingDependencyError(_package, "db", Message("keep cases in a register"))

from ettervern.db._engine import (  # noqa: E402 - after the check for the extra
    VERSION_TABLE,
    connect,
    head_revision,
    make_url,
    revision,
    upgrade,
)
from ettervern.db._register import (  # noqa: E402
    AuditCheck,
    AuditRecord,
    Erasure,
    ImportSummary,
    Register,
    StoredCase,
    row_keys,
)

__all__ = [
    "VERSION_TABLE",
    "AuditCheck",
    "AuditRecord",
    "Erasure",
    "ImportSummary",
    "Register",
    "StoredCase",
    "connect",
    "head_revision",
    "make_url",
    "revision",
    "row_keys",
    "upgrade",
]

# Every public function and method answers bad input with an error of ettervern.errors, and
# runs as one checked call: the library's own calls inside it are not checked again.
enforce(globals(), __all__)
