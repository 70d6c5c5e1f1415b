"""The layout is the architecture: what import-linter cannot see is checked here.

import-linter (run by CI, configured in pyproject.toml) checks that the layers import only
downward, that there are no circles and that each layer's private modules are used only inside it.
This module checks the rest of the contract in docs/architecture.md.
"""

from __future__ import annotations

import ast
import importlib
import inspect
import re
from pathlib import Path

import pytest

import ettervern as e
from ettervern._surface import PUBLIC_NAMESPACES, RENAMED

SRC = Path(e.__file__).parent
LAYERS = ("_l10n", "_contract", "_core", "_pathway", "_timelog", "_render", "_reports", "_io", "db")


def _modules() -> list[Path]:
    return sorted(SRC.rglob("*.py"))


@pytest.mark.parametrize("path", _modules(), ids=lambda p: str(p.relative_to(SRC)))
def test_no_module_imports_another_modules_private_name(path: Path) -> None:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    private = [
        f"line {node.lineno}: from {node.module} import {alias.name}"
        for node in ast.walk(tree)
        if isinstance(node, ast.ImportFrom) and node.module and node.module.startswith("ettervern")
        for alias in node.names
        if alias.name.startswith("_")
        and not alias.name.startswith("__")
        # the front installs the finder of the old layer paths (ettervern._moved)
        and not (path == SRC / "__init__.py" and alias.name == "_moved")
    ]
    assert private == []


def test_the_top_level_holds_only_the_front_and_its_named_modules() -> None:
    top = sorted(p.name for p in SRC.glob("*.py"))
    assert top == [
        "__init__.py",
        "__main__.py",
        "_moved.py",
        "_surface.py",
        "errors.py",
        "events.py",
        "examples.py",
        "instruments.py",
        "interchange.py",
        "language.py",
        "municipalities.py",
        "privacy.py",
        "tables.py",
        "teams.py",
    ]
    folders = sorted(p.name for p in SRC.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert folders == sorted([*LAYERS, "_data"])


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_has_a_front_and_only_private_modules(layer: str) -> None:
    modules = [p.name for p in (SRC / layer).glob("*.py")]
    assert "__init__.py" in modules
    assert all(name.startswith("_") for name in modules)


@pytest.mark.parametrize("namespace", PUBLIC_NAMESPACES)
def test_each_public_namespace_is_sorted_and_complete(namespace: str) -> None:
    module = importlib.import_module(namespace)
    assert module.__all__ == sorted(module.__all__, key=lambda n: (not n.isupper(), n))
    missing = [name for name in module.__all__ if not hasattr(module, name)]
    assert missing == []


def test_the_public_namespaces_are_said_once_and_are_the_top_level_modules() -> None:
    top = {f"ettervern.{p.stem}" for p in SRC.glob("*.py") if not p.stem.startswith("_")}
    top |= {f"ettervern.{p.name}" for p in SRC.iterdir() if p.is_dir() and p.name[0] != "_"}
    assert top - {"ettervern.__pycache__"} == set(PUBLIC_NAMESPACES) - {"ettervern"}


def test_the_top_level_is_small() -> None:
    assert len(e.__all__) <= 85


@pytest.mark.parametrize("name", sorted(RENAMED))
def test_an_old_name_still_works_and_names_its_new_home(name: str) -> None:
    with pytest.warns(DeprecationWarning, match=re.escape(RENAMED[name].new)):
        old = getattr(e, name)
    namespace, _, new = RENAMED[name].new.rpartition(".")
    current = getattr(importlib.import_module(namespace), new)
    assert old is current or inspect.unwrap(old) is inspect.unwrap(current)


def test_one_object_whichever_door() -> None:
    homes: dict[str, object] = {}
    for namespace in PUBLIC_NAMESPACES:
        module = importlib.import_module(namespace)
        for name in module.__all__:
            obj = getattr(module, name)
            if callable(obj) and not inspect.ismodule(obj):
                assert homes.setdefault(name, obj) is obj, f"{namespace}.{name}"


def test_an_old_layer_path_gives_the_public_object() -> None:
    # ettervern.reports.fte_report and ettervern.fte_report were different objects with
    # different checks until 0.2; through the old path a public name is the public object.
    with pytest.warns(DeprecationWarning, match=r"ettervern\.reports is private"):
        old = e.reports  # type: ignore[attr-defined]
    assert old.pivot is e.pivot
    assert old.Report is e.Report
    with pytest.warns(DeprecationWarning, match=r"ettervern\.tables\.audit_release"):
        assert inspect.unwrap(old.audit) is inspect.unwrap(e.tables.audit_release)
