"""The public surface, said once: which namespaces are public, and the old names that still
work for one release.

A namespace named here is public: documented in docs/reference.md, checked by the error
contract, stable. Every other module is private by its underscore. The tests walk these
namespaces' ``__all__`` (the grid of bad values in tests/test_contract.py, the reference's
completeness in tests/test_docs.py).
"""

from __future__ import annotations

__all__ = ["PUBLIC_NAMESPACES"]

PUBLIC_NAMESPACES = (
    "ettervern",
    "ettervern.db",
    "ettervern.errors",
    "ettervern.examples",
    "ettervern.privacy",
    "ettervern.teams",
)
"""The public namespaces: a user imports from these, and from no other module."""
