"""The layout is the architecture: what import-linter cannot see is checked here.

import-linter (run by CI, configured in pyproject.toml) checks that the layers import only
downward, that there are no circles and that each layer's private modules are used only inside it.
This module checks the rest of the contract in docs/architecture.md.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import ettervern as e

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
        "errors.py",
        "examples.py",
        "privacy.py",
        "teams.py",
    ]
    folders = sorted(p.name for p in SRC.iterdir() if p.is_dir() and p.name != "__pycache__")
    assert folders == sorted([*LAYERS, "_data"])


@pytest.mark.parametrize("layer", LAYERS)
def test_each_layer_has_a_front_and_only_private_modules(layer: str) -> None:
    modules = [p.name for p in (SRC / layer).glob("*.py")]
    assert "__init__.py" in modules
    assert all(name.startswith("_") for name in modules)


def test_the_public_api_is_sorted_and_complete() -> None:
    assert e.__all__ == sorted(e.__all__, key=lambda n: (not n.isupper(), n))
    missing = [name for name in e.__all__ if not hasattr(e, name)]
    assert missing == []
