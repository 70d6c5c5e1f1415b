"""The layer packages' old public paths, kept working for one release.

Until 0.2 the layer folders were importable as ``ettervern.core``, ``ettervern.io`` and so on.
They are private now (``ettervern._core``, …) and the public names live in the namespaces that
docs/api-changes.md lists. An import of an old path still works, through a finder on
``sys.meta_path`` that hands out the private module, and warns with a ``DeprecationWarning``
that names the new home.
"""

from __future__ import annotations

import functools
import importlib
import importlib.abc
import importlib.machinery
import sys
import warnings
from types import ModuleType
from typing import Any

from ettervern._contract import follow
from ettervern._surface import PUBLIC_NAMESPACES, RENAMED

# The old layer fronts and the private package each became.
MOVED = {
    f"ettervern.{name}": f"ettervern._{name}"
    for name in ("core", "data", "io", "l10n", "pathway", "render", "reports", "timelog")
}


def _warn(old: str, stacklevel: int) -> None:
    warnings.warn(
        f"{old} is private since ettervern 0.2: import the public names from ettervern "
        "(docs/api-changes.md maps each old name to its new home)",
        DeprecationWarning,
        stacklevel=stacklevel,
    )


def old_layer(name: str) -> ModuleType:
    """``ettervern.<name>`` read as an attribute: the old layer, after a warning."""
    _warn(f"ettervern.{name}", stacklevel=4)
    return _front(f"ettervern.{name}")


@functools.cache
def _public() -> dict[str, object]:
    """Each public name and its one object, from the public namespaces."""
    found: dict[str, object] = {}
    for namespace in reversed(PUBLIC_NAMESPACES):  # the front's own name wins
        module = importlib.import_module(namespace)
        found.update({name: getattr(module, name) for name in module.__all__})
    return found


class _OldFront(ModuleType):
    """An old layer front (``ettervern.reports``): a name that is public gives the public
    object, checked like any other (one object whichever door); an old name gives what
    ``ettervern.<name>`` gives; anything else the private layer's own."""

    def __getattr__(self, name: str) -> Any:
        rule = RENAMED.get(name)
        if rule is not None:
            home, _, new = rule.new.rpartition(".")
            new_home = importlib.import_module(home)
            return follow(f"{self.__name__}.{name}", rule, getattr(new_home, new))
        public = _public()
        if name in public:
            return public[name]
        return getattr(importlib.import_module(MOVED[self.__name__]), name)


@functools.cache
def _front(old: str) -> ModuleType:
    front = _OldFront(old)
    front.__path__ = importlib.import_module(MOVED[old]).__path__  # its submodules import
    return front


class _Alias(importlib.abc.Loader):
    """Loads an old path as the private module it names, after a warning."""

    def __init__(self, old: str, new: str) -> None:
        self.old, self.new = old, new

    def create_module(self, spec: importlib.machinery.ModuleSpec) -> ModuleType:
        _warn(self.old, stacklevel=3)
        module = _front(self.old) if self.old in MOVED else importlib.import_module(self.new)
        sys.modules[self.old] = module
        return module

    def exec_module(self, module: ModuleType) -> None:
        """The private module is already executed."""


class MovedFinder(importlib.abc.MetaPathFinder):
    """Finds ``ettervern.core`` and its siblings (and their submodules) under their new names."""

    def find_spec(
        self, fullname: str, path: object = None, target: object = None
    ) -> importlib.machinery.ModuleSpec | None:
        head = ".".join(fullname.split(".")[:2])
        if head not in MOVED:
            return None
        new = MOVED[head] + fullname[len(head) :]
        return importlib.machinery.ModuleSpec(fullname, _Alias(fullname, new))


def install() -> None:
    """Put the finder on ``sys.meta_path`` once."""
    if not any(isinstance(finder, MovedFinder) for finder in sys.meta_path):
        sys.meta_path.append(MovedFinder())
